"""Administrators' workspace sessions: a password sign-in that is not a device.

A session token opens the admin API only (never sync): the desktop workspace signs in with
the administrator's password, keeps the token in memory, and ends the session on lock or
sign-out. Sessions are short (``SESSION_TTL``) and never refreshed: signing in again is the
way on.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.protocol.ids import new_id
from app.server.core.security import digest, new_token
from app.server.models import AdminSession, User, utcnow

SESSION_TTL = dt.timedelta(hours=8)
# Session tokens carry this prefix, so the admin routes know which table to look in (one
# query per request either way) and a session token given to the sync routes is refused.
PREFIX = "adm_"


def create(session: Session, *, user: User) -> tuple[AdminSession, str]:
    token = PREFIX + new_token()
    row = AdminSession(
        id=new_id(),
        user_id=user.id,
        token_hash=digest(token),
        created_at=utcnow(),
        expires_at=utcnow() + SESSION_TTL,
    )
    session.add(row)
    session.flush()
    return row, token


class SessionRow(NamedTuple):
    session_id: str
    expires_at: dt.datetime
    ended_at: dt.datetime | None
    user_id: int
    login: str
    disabled: bool
    role: str
    staff_id: str
    agency_id: str | None
    district_ids: list[str] | None


def lookup(session: Session, token: str) -> SessionRow | None:
    row = session.execute(
        select(
            AdminSession.id,
            AdminSession.expires_at,
            AdminSession.ended_at,
            User.id,
            User.login,
            User.disabled,
            User.role,
            User.staff_id,
            User.agency_id,
            User.district_ids,
        )
        .join(User, User.id == AdminSession.user_id)
        .where(AdminSession.token_hash == digest(token))
    ).first()
    return None if row is None else SessionRow(*tuple(row))


def end(session: Session, session_id: str) -> None:
    session.execute(
        update(AdminSession)
        .where(AdminSession.id == session_id, AdminSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_user_sessions(session: Session, user_id: int) -> None:
    """A disabled user or a new password ends the user's sessions too."""
    session.execute(
        update(AdminSession)
        .where(AdminSession.user_id == user_id, AdminSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
