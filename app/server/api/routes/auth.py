"""Enrollment (one-time code or password), token refresh."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from sqlalchemy.orm import Session

from app.server import errors
from app.server.api.deps import (
    AdminDevice,
    CurrentDevice,
    SessionsDep,
    SettingsDep,
    _bearer,
    transaction,
)
from app.server.core.config import Settings
from app.server.core.logging import event
from app.server.core.security import verify_password
from app.server.crud import admin_sessions, audit, devices, users
from app.server.models import Device, User
from app.server.schemas import (
    AdminLoginIn,
    AdminSessionOut,
    EnrollIn,
    EnrollOut,
    LoginIn,
    StaffOut,
    TokenOut,
    error_responses,
)
from app.server.timeutil import iso, server_time

router = APIRouter(prefix="/auth", tags=["auth"])


def _remote(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _throttle(sessions: SessionsDep, settings: Settings, keys: list[str]) -> None:
    with transaction(sessions) as s:
        for key in keys:
            n = users.recent_failures(s, key=key, window_seconds=settings.login_window_seconds)
            if n >= settings.login_max_failures:
                event("auth.throttled", key_kind=key.split(":")[0])
                raise errors.throttled(settings.login_window_seconds)


def _fail(sessions: SessionsDep, keys: list[str], action: str, remote: str) -> None:
    with transaction(sessions) as s:
        devices.record_failure(s, keys=keys)
        audit.add(s, action=action, remote=remote, ok=False)


def _enrolled_staff(s: Session, user: User) -> StaffOut:
    return StaffOut(
        id=user.staff_id,
        name=users.staff_name(s, user.staff_id),
        role=user.role,
        agency_id=user.agency_id,
        district_ids=list(user.district_ids or []),
    )


def _enrolled(s: Session, user: User, device: Device, token: str) -> EnrollOut:
    return EnrollOut(
        device_id=device.id,
        token=token,
        expires_at=iso(device.token_expires_at),
        staff=_enrolled_staff(s, user),
        server_time=server_time(),
    )


@router.post("/enroll", responses=error_responses(401, 403, 429))
def enroll(
    body: EnrollIn, request: Request, sessions: SessionsDep, settings: SettingsDep
) -> EnrollOut:
    remote = _remote(request)
    keys = [f"enroll:{remote}"]
    _throttle(sessions, settings, keys)
    try:
        with transaction(sessions) as s:
            user = devices.redeem_code(s, code=body.code)
            if user.disabled:
                raise errors.user_disabled()
            device, token = devices.create_device(
                s, user=user, name=body.device_name, ttl_seconds=settings.token_ttl_seconds
            )
            audit.add(s, action="enroll", user_id=user.id, device_id=device.id, remote=remote)
            out = _enrolled(s, user, device, token)
    except devices.CodeInvalid:
        _fail(sessions, keys, "enroll", remote)
        raise errors.enroll_failed() from None
    event("device.enrolled", device=out.device_id)
    return out


@router.post("/login", responses=error_responses(401, 403, 429))
def login(
    body: LoginIn, request: Request, sessions: SessionsDep, settings: SettingsDep
) -> EnrollOut:
    """Enroll a device with a login name and password (users given a password). A laptop that
    is enrolled already sends its ``device_id``: that device (this user's, not revoked) gets a
    new token, so logging in again never adds a device to the device list."""
    remote = _remote(request)
    keys = [f"login:{body.login.lower()}", f"ip:{remote}"]
    _throttle(sessions, settings, keys)
    with transaction(sessions) as s:
        user = users.get_by_login(s, body.login)
        ok = verify_password(user.password_hash if user else None, body.password)
        if ok and user is not None:
            if user.disabled:
                raise errors.user_disabled()
            device = s.get(Device, body.device_id) if body.device_id else None
            if device is not None and device.user_id == user.id and device.revoked_at is None:
                token = devices.refresh_token(
                    s, device=device, ttl_seconds=settings.token_ttl_seconds
                )
                reused = True
            else:
                device, token = devices.create_device(
                    s, user=user, name=body.device_name or "password login",
                    ttl_seconds=settings.token_ttl_seconds,
                )  # fmt: skip
                reused = False
            audit.add(s, action="login", user_id=user.id, device_id=device.id, remote=remote,
                      reused_device=reused)  # fmt: skip
            return _enrolled(s, user, device, token)
    _fail(sessions, keys, "login", remote)
    raise errors.login_failed()


@router.post("/session", status_code=201, responses=error_responses(401, 403, 429))
def start_session(
    body: AdminLoginIn, request: Request, sessions: SessionsDep, settings: SettingsDep
) -> AdminSessionOut:
    """An administrator signs in to the admin API (the desktop workspace) with a password:
    a session token, not a device (``/auth/login`` enrols a device, and a workspace that
    used it added one to the device list at every sign-in). Admins only (403 otherwise);
    the token opens the ``/admin`` routes, never sync, for ``admin_sessions.SESSION_TTL``."""
    remote = _remote(request)
    keys = [f"login:{body.login.lower()}", f"ip:{remote}"]
    _throttle(sessions, settings, keys)
    with transaction(sessions) as s:
        user = users.get_by_login(s, body.login)
        ok = verify_password(user.password_hash if user else None, body.password)
        if ok and user is not None:
            if user.disabled:
                raise errors.user_disabled()
            if user.role != "admin":
                raise errors.forbidden()
            row, token = admin_sessions.create(s, user=user)
            audit.add(s, action="admin.session_start", user_id=user.id, remote=remote,
                      admin_session=row.id)  # fmt: skip
            return AdminSessionOut(
                session_id=row.id,
                token=token,
                expires_at=iso(row.expires_at),
                user_id=user.id,
                login=user.login,
                staff=_enrolled_staff(s, user),
                server_time=server_time(),
            )
    _fail(sessions, keys, "admin.session_start", remote)
    raise errors.login_failed()


@router.delete("/session", status_code=204, responses=error_responses(401, 403))
def end_session(auth: AdminDevice, sessions: SessionsDep) -> None:
    """Sign out of the workspace (on lock too): the session token stops working."""
    if auth.session_id is None:
        return
    with transaction(sessions) as s:
        admin_sessions.end(s, auth.session_id)
        audit.add(
            s, action="admin.session_end", user_id=auth.user_id, admin_session=auth.session_id
        )


@router.post("/refresh", responses=error_responses(401, 403))
def refresh(
    auth: CurrentDevice,
    sessions: SessionsDep,
    settings: SettingsDep,
    authorization: Annotated[str | None, Header()] = None,
) -> TokenOut:
    """A new token for the current one. The token before the last refresh still works for
    sync during its grace period (the refresh answer may have been lost), but mints nothing:
    401 ``token_superseded`` (a leaked old token is worth half an hour, not 30 days)."""
    with transaction(sessions) as s:
        device = s.get(Device, auth.device_id)
        if device is None:
            raise errors.token_invalid()
        if not devices.token_is_current(device, _bearer(authorization)):
            raise errors.token_superseded()
        token = devices.refresh_token(s, device=device, ttl_seconds=settings.token_ttl_seconds)
        expires = iso(device.token_expires_at)
        audit.add(s, action="refresh", user_id=auth.user_id, device_id=auth.device_id)
    return TokenOut(token=token, expires_at=expires, server_time=server_time())
