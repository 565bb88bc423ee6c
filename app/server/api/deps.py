"""Shared dependencies: settings, sessions, the authenticated device, schema negotiation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session, sessionmaker

from app.server import errors
from app.server.core.config import Settings
from app.server.crud import devices, users
from app.server.crud.scope import Viewer
from app.server.models import utcnow


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_sessions(request: Request) -> sessionmaker[Session]:
    return request.app.state.sessions  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionsDep = Annotated[sessionmaker[Session], Depends(get_sessions)]


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session, session.begin():
        yield session


@dataclass(frozen=True)
class Auth:
    device_id: str
    user_id: int
    login: str
    viewer: Viewer
    remote: str | None


LAST_SEEN_PRECISION = dt.timedelta(seconds=60)


def _bearer(authorization: str | None) -> str:
    if not authorization or not authorization.startswith("Bearer "):
        raise errors.token_invalid()
    token = authorization.removeprefix("Bearer ").strip()
    if not token or len(token) > 200:
        raise errors.token_invalid()
    return token


def authenticate(
    request: Request,
    sessions: SessionsDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Auth:
    token = _bearer(authorization)
    with transaction(sessions) as s:
        found = devices.by_token_with_user(s, token)  # one query
        if found is None:
            raise errors.token_invalid()
        device, user = found
        # Revocation and disabling first: they are effective on the very next request,
        # whatever state the token is in.
        if device.revoked_at is not None:
            raise errors.device_revoked()
        if user is None or user.disabled:
            raise errors.user_disabled()
        if device.token_expires_at < utcnow():
            raise errors.token_expired()
        now = utcnow()
        # Written at most once a minute: a row write (and its commit) on every request would
        # cost more than many requests themselves.
        if device.last_seen_at is None or now - device.last_seen_at > LAST_SEEN_PRECISION:
            device.last_seen_at = now
        remote = request.client.host if request.client else None
        return Auth(device.id, user.id, user.login, users.viewer_of(user), remote)


CurrentDevice = Annotated[Auth, Depends(authenticate)]


def require_admin(auth: CurrentDevice) -> Auth:
    if auth.viewer.role != "admin":
        raise errors.forbidden()
    return auth


AdminDevice = Annotated[Auth, Depends(require_admin)]


def check_schema(
    settings: SettingsDep,
    x_yorisoi_schema: Annotated[str | None, Header()] = None,
) -> int:
    """The client's schema version must be one this server can store and serve."""
    try:
        version = int(x_yorisoi_schema) if x_yorisoi_schema is not None else -1
    except ValueError:
        version = -1
    if not settings.schema_min <= version <= settings.schema_max:
        raise errors.upgrade_required(settings.schema_min, settings.schema_max)
    return version


SchemaDep = Annotated[int, Depends(check_schema)]
