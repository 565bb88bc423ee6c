"""Audit trail: every view, edit, print and export of a case. No personal data in ``detail``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.records import Actor
from app.storage.models import AuditEvent

ACTIONS = frozenset({"view", "create", "update", "delete", "print", "export", "search"})


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str | None,
    detail: str | None = None,
) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action}")
    session.add(
        AuditEvent(
            actor_staff_id=actor.staff_id,
            device_id=actor.device_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )
    )


def recent(
    session: Session, *, entity_id: str | None = None, limit: int = 100
) -> list[dict[str, object]]:
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc()).limit(limit)
    if entity_id:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    out: list[dict[str, object]] = []
    for ev in session.scalars(stmt):
        at: dt.datetime = ev.at
        out.append(
            {
                "at": at.isoformat(),
                "actor_staff_id": ev.actor_staff_id,
                "device_id": ev.device_id,
                "action": ev.action,
                "entity": ev.entity,
                "entity_id": ev.entity_id,
                "detail": ev.detail,
            }
        )
    return out
