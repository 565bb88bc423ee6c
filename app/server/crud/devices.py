"""Enrollment codes and device tokens."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.server.core.security import digest, new_enroll_code, new_token, normalise_code
from app.server.models import Device, EnrollCode, LoginFailure, User, utcnow
from app.storage.models import new_id


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


def refresh_token(session: Session, *, device: Device, ttl_seconds: int) -> str:
    token = new_token()
    device.token_hash = digest(token)
    device.token_expires_at = utcnow() + dt.timedelta(seconds=ttl_seconds)
    return token


def by_token(session: Session, token: str) -> Device | None:
    return session.execute(
        select(Device).where(Device.token_hash == digest(token))
    ).scalar_one_or_none()


def by_token_with_user(session: Session, token: str) -> tuple[Device, User | None] | None:
    """The device of a token and its user, in one query (every authenticated request)."""
    row = session.execute(
        select(Device, User)
        .outerjoin(User, User.id == Device.user_id)
        .where(Device.token_hash == digest(token))
    ).first()
    return None if row is None else (row[0], row[1])


def record_failure(session: Session, *, keys: list[str]) -> None:
    for key in keys:
        session.add(LoginFailure(key=key[:120]))


def revoke(session: Session, *, device: Device) -> None:
    if device.revoked_at is None:
        device.revoked_at = utcnow()
