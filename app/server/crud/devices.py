"""Enrollment codes and device tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from app.protocol.ids import new_id
from app.server.core.security import digest, new_enroll_code, new_token, normalise_code
from app.server.crud import bulk
from app.server.models import Device, EnrollCode, LoginFailure, User, utcnow


class CodeInvalid(Exception):
    pass


def create_code(session: Session, *, user: User, ttl_seconds: int) -> tuple[str, dt.datetime]:
    code = new_enroll_code()
    expires = utcnow() + dt.timedelta(seconds=ttl_seconds)
    session.add(
        EnrollCode(code_hash=digest(normalise_code(code)), user_id=user.id, expires_at=expires)
    )
    return code, expires


def redeem_code(session: Session, *, code: str) -> User:
    """Single use: the code is marked used in the same transaction that creates the device."""
    row = session.execute(
        select(EnrollCode)
        .where(EnrollCode.code_hash == digest(normalise_code(code)))
        .with_for_update()
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        raise CodeInvalid()
    user = session.get(User, row.user_id)
    if user is None:
        raise CodeInvalid()
    row.used_at = utcnow()
    return user


def create_device(
    session: Session, *, user: User, name: str, ttl_seconds: int
) -> tuple[Device, str]:
    token = new_token()
    device = Device(
        id=new_id(),
        user_id=user.id,
        name=name,
        token_hash=digest(token),
        token_expires_at=utcnow() + dt.timedelta(seconds=ttl_seconds),
    )
    session.add(device)
    session.flush()
    return device, token


REFRESH_GRACE = dt.timedelta(minutes=30)


def refresh_token(session: Session, *, device: Device, ttl_seconds: int) -> str:
    token = new_token()
    device.prev_token_hash = device.token_hash
    device.prev_token_valid_until = utcnow() + REFRESH_GRACE
    device.token_hash = digest(token)
    device.token_expires_at = utcnow() + dt.timedelta(seconds=ttl_seconds)
    return token


def _token_matches(hashed: Any, now: Any) -> Any:
    return or_(
        Device.token_hash == hashed,
        and_(Device.prev_token_hash == hashed, Device.prev_token_valid_until > now),
    )


def by_token(session: Session, token: str) -> Device | None:
    return session.execute(
        select(Device).where(_token_matches(digest(token), utcnow()))
    ).scalar_one_or_none()


def by_token_with_user(session: Session, token: str) -> tuple[Device, User | None] | None:
    """The device of a token and its user, in one query (every authenticated request)."""
    row = session.execute(
        select(Device, User)
        .outerjoin(User, User.id == Device.user_id)
        .where(_token_matches(digest(token), utcnow()))
    ).first()
    return None if row is None else (row[0], row[1])


_AUTH = (
    select(
        Device.id.label("device_id"),
        Device.revoked_at,
        Device.token_expires_at,
        Device.last_seen_at,
        User.id.label("user_id"),
        User.login,
        User.disabled,
        User.role,
        User.staff_id,
        User.agency_id,
        User.district_ids,
    )
    .outerjoin(User, User.id == Device.user_id)
    .where(_token_matches(bindparam("token_hash"), bindparam("now")))
)


class AuthRow(NamedTuple):
    device_id: str
    revoked_at: dt.datetime | None
    token_expires_at: dt.datetime
    last_seen_at: dt.datetime | None
    user_id: int | None
    login: str | None
    disabled: bool | None
    role: str | None
    staff_id: str | None
    agency_id: str | None
    district_ids: list[str] | None


def auth_row(session: Session, token: str) -> AuthRow | None:
    """What authenticating a request needs of its device and user: one prebuilt query."""
    rows = bulk.run(session, _AUTH, {"token_hash": digest(token), "now": utcnow()})
    return AuthRow(*rows[0]) if rows else None


_TOUCH = (
    update(Device).where(Device.id == bindparam("device")).values(last_seen_at=bindparam("now"))
)


def touch(session: Session, device_id: str, now: dt.datetime) -> None:
    bulk.run(session, _TOUCH, {"device": device_id, "now": now})


_SYNCED = (
    update(Device)
    .where(Device.id == bindparam("device"))
    .values(last_cursor=bindparam("cursor"), last_sync_at=bindparam("now"))
)


def synced(session: Session, device_id: str, cursor: int, *, defer: bool = False) -> None:
    """Note a pull: the cursor the device pulled from, and when (``defer``: see
    ``bulk.defer``)."""
    params = {"device": device_id, "cursor": cursor, "now": utcnow()}
    (bulk.defer if defer else bulk.run)(session, _SYNCED, params)


def record_failure(session: Session, *, keys: list[str]) -> None:
    for key in keys:
        session.add(LoginFailure(key=key[:120]))


def revoke(session: Session, *, device: Device) -> None:
    if device.revoked_at is None:
        device.revoked_at = utcnow()


def revoke_user_devices(session: Session, *, user_id: int, keep: str | None = None) -> int:
    """Revoke every device of a user not yet revoked (but ``keep``); how many."""
    query = update(Device).where(Device.user_id == user_id, Device.revoked_at.is_(None))
    if keep is not None:
        query = query.where(Device.id != keep)
    done = session.execute(query.values(revoked_at=utcnow()))
    return int(getattr(done, "rowcount", 0) or 0)


def token_is_current(device: Device, token: str) -> bool:
    """Whether ``token`` is the device's current token (not the one before its last refresh,
    which is still accepted for sync during its grace period but may not mint new ones)."""
    return device.token_hash == digest(token)


MIN_CODE_TTL = 60
MAX_CODE_TTL = 30 * 24 * 3600
_TTL_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_ttl(text: str) -> int | None:
    """Seconds of an enrolment code's life: ``90s``, ``30m``, ``2h``, ``7d`` or plain seconds,
    between one minute and 30 days; None if it is none of these."""
    raw = text.strip().lower()
    unit = _TTL_UNITS.get(raw[-1:]) if raw else None
    number = raw[:-1] if unit is not None else raw
    if not (number.isascii() and number.isdigit()) or len(number) > 9:
        return None
    seconds = int(number) * (unit or 1)
    return seconds if MIN_CODE_TTL <= seconds <= MAX_CODE_TTL else None
