"""Drafts of forms being typed (visit entry, referral editor), kept in the encrypted database.

Local only: drafts never sync. Payloads are plain JSON (strings, numbers, lists) so they can be
restored after a lock, a crash or a restart.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage.models import Draft

MAX_KEY = 120


def save_draft(session: Session, key: str, payload: dict[str, Any]) -> None:
    if not key or len(key) > MAX_KEY:
        raise ValueError("draft key must be 1-120 characters")
    row = session.get(Draft, key)
    if row is None:
        session.add(Draft(key=key, payload=dict(payload)))
    else:
        row.payload = dict(payload)


def load_draft(session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(Draft, key)
    return dict(row.payload) if row is not None else None


def delete_draft(session: Session, key: str) -> None:
    row = session.get(Draft, key)
    if row is not None:
        session.delete(row)


def list_drafts(session: Session, prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
    stmt = select(Draft).order_by(Draft.updated_at)
    if prefix:
        stmt = stmt.where(Draft.key.startswith(prefix))
    return [(d.key, dict(d.payload)) for d in session.scalars(stmt)]
