"""Shared dependencies: settings, sessions, the authenticated device, schema negotiation."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session, sessionmaker

from app.server import errors
from app.server.core.config import Settings
from app.server.crud import admin_sessions, bulk, devices
from app.server.crud.scope import Viewer
from app.server.models import utcnow

_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


def has_json_nul(raw: bytes) -> bool:
    """Whether a JSON text holds a NUL character: a raw one (invalid JSON anyway) or the
    escape backslash-u0000 after an even number of other backslashes (two backslashes and
    u0000 are a backslash and the letters u0000). PostgreSQL can neither store nor compare
    text holding NUL, and no field of this API can carry one."""
    if b"\x00" in raw:
        return True
    return b"\\u0000" in raw and _JSON_NUL.search(raw) is not None


def holds_nul(value: object) -> bool:
    """Whether a decoded JSON value holds a NUL character in any string or key."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_nul(v) for v in value)
    return False


# Plain attribute reads are ``async def``: a plain ``def`` dependency would be sent to the
# thread pool and back on every request.
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_sessions(request: Request) -> sessionmaker[Session]:
    return request.app.state.sessions  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionsDep = Annotated[sessionmaker[Session], Depends(get_sessions)]


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session, session.begin():
        yield session
        bulk.commit(session)  # deferred statements go with the COMMIT (one round trip)


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


def authenticate_in(session: Session, token: str, remote: str | None) -> Auth:
    """The device of a token, checked, inside the caller's transaction (one query; a second
    one at most once a minute for ``last_seen_at``)."""
    row = devices.auth_row(session, token)
    if row is None:
        raise errors.token_invalid()
    # Revocation and disabling first: they are effective on the very next request,
    # whatever state the token is in.
    if row.revoked_at is not None:
        raise errors.device_revoked()
    if row.user_id is None or row.disabled or row.staff_id is None or row.role is None:
        raise errors.user_disabled()
    now = utcnow()
    if row.token_expires_at < now:
        raise errors.token_expired()
    # Written at most once a minute: a row write on every request would cost more than many
    # requests themselves.
    if row.last_seen_at is None or now - row.last_seen_at > LAST_SEEN_PRECISION:
        devices.touch(session, row.device_id, now)
    viewer = Viewer(
        row.user_id, row.staff_id, row.role, row.agency_id, tuple(row.district_ids or ())
    )
    return Auth(row.device_id, row.user_id, row.login or "", viewer, remote)


def authenticate(
    request: Request,
    sessions: SessionsDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Auth:
    token = _bearer(authorization)
    with transaction(sessions) as s:
        return authenticate_in(s, token, request.client.host if request.client else None)


@dataclass(frozen=True)
class Credentials:
    """What a sync request presents, checked without the database. The sync routes check the
    token inside their own transaction (``authenticate_in``, then ``check_schema_value``):
    one connection and one transaction per request, in the same order of answers as
    ``CurrentDevice`` + ``SchemaDep`` (401/403, then 426)."""

    token: str
    remote: str | None
    schema: str | None
    # What the laptop reports of itself at a pull (the workspace's device health): its
    # queue of changes to push and its refused changes not yet dismissed; None if not sent.
    report: DeviceReport | None = None


@dataclass(frozen=True)
class DeviceReport:
    app_version: str | None
    schema_version: int | None
    pending: int
    rejected: int


def _count(value: str | None) -> int | None:
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 9:
        return None
    return int(value)


def device_report(
    pending: str | None, rejected: str | None, user_agent: str | None, schema: str | None
) -> DeviceReport | None:
    """The report headers, or None when absent or malformed (an older laptop sends none;
    a malformed one is ignored rather than failing the sync)."""
    p, r = _count(pending), _count(rejected)
    if p is None or r is None:
        return None
    version = None
    if user_agent and user_agent.startswith("yorisoi/"):
        version = user_agent.removeprefix("yorisoi/")[:40] or None
    return DeviceReport(version, _count(schema), p, r)


async def credentials(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
    x_yorisoi_schema: Annotated[str | None, Header()] = None,
    x_yorisoi_pending: Annotated[str | None, Header()] = None,
    x_yorisoi_rejected: Annotated[str | None, Header()] = None,
    user_agent: Annotated[str | None, Header()] = None,
) -> Credentials:
    return Credentials(
        _bearer(authorization),
        request.client.host if request.client else None,
        x_yorisoi_schema,
        device_report(x_yorisoi_pending, x_yorisoi_rejected, user_agent, x_yorisoi_schema),
    )


CredentialsDep = Annotated[Credentials, Depends(credentials)]


CurrentDevice = Annotated[Auth, Depends(authenticate)]


@dataclass(frozen=True)
class AdminAuth:
    """Who calls an admin route: an admin's device (``device_id``) or a workspace session
    (``session_id``, crud/admin_sessions.py), never both."""

    user_id: int
    login: str
    viewer: Viewer
    remote: str | None
    device_id: str | None = None
    session_id: str | None = None

    @property
    def keep(self) -> str | None:
        """The caller's own device or session, which its own password change keeps."""
        return self.device_id or self.session_id


def require_admin(
    request: Request,
    sessions: SessionsDep,
    authorization: Annotated[str | None, Header()] = None,
) -> AdminAuth:
    token = _bearer(authorization)
    remote = request.client.host if request.client else None
    if not token.startswith(admin_sessions.PREFIX):
        with transaction(sessions) as s:
            auth = authenticate_in(s, token, remote)
        if auth.viewer.role != "admin":
            raise errors.forbidden()
        return AdminAuth(auth.user_id, auth.login, auth.viewer, remote, device_id=auth.device_id)
    with transaction(sessions) as s:
        row = admin_sessions.lookup(s, token)
    if row is None or row.ended_at is not None or row.expires_at < utcnow():
        raise errors.token_invalid()
    if row.disabled:
        raise errors.user_disabled()
    if row.role != "admin":
        raise errors.forbidden()
    viewer = Viewer(
        row.user_id, row.staff_id, row.role, row.agency_id, tuple(row.district_ids or ())
    )
    return AdminAuth(row.user_id, row.login, viewer, remote, session_id=row.session_id)


AdminDevice = Annotated[AdminAuth, Depends(require_admin)]


async def check_schema(
    settings: SettingsDep,
    x_yorisoi_schema: Annotated[str | None, Header()] = None,
) -> int:
    return check_schema_value(settings, x_yorisoi_schema)


def check_schema_value(settings: Settings, x_yorisoi_schema: str | None) -> int:
    """The client's schema version must be one this server can store and serve."""
    try:
        version = int(x_yorisoi_schema) if x_yorisoi_schema is not None else -1
    except ValueError:
        version = -1
    if not settings.schema_min <= version <= settings.schema_max:
        raise errors.upgrade_required(settings.schema_min, settings.schema_max)
    return version


SchemaDep = Annotated[int, Depends(check_schema)]
