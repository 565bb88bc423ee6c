"""Server-side audit trail. Only ids, actions and counts: never names or narratives."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from app.server.crud import bulk
from app.server.models import ServerAudit, utcnow


def add(
    session: Session,
    *,
    action: str,
    user_id: int | None = None,
    device_id: str | None = None,
    remote: str | None = None,
    **detail: Any,
) -> None:
    session.add(
        ServerAudit(
            action=action,
            user_id=user_id,
            device_id=device_id,
            remote=(remote or "")[:64] or None,
            detail=detail,
        )
    )


def write(
    session: Session,
    *,
    action: str,
    user_id: int | None = None,
    device_id: str | None = None,
    remote: str | None = None,
    defer: bool = False,
    **detail: Any,
) -> None:
    """The same row as ``add``, inserted with a prebuilt statement (no unit of work): the
    sync routes write one on every request. ``defer``: sent with the transaction's next
    statement or its commit (``bulk.defer``), in the same transaction."""
    (bulk.defer if defer else bulk.run)(
        session,
        _INSERT,
        {
            "at": utcnow(),
            "user_id": user_id,
            "device_id": device_id,
            "action": action,
            "detail": detail,
            "remote": (remote or "")[:64] or None,
        },
    )


_INSERT = insert(ServerAudit).values(
    at=bindparam("at"),
    user_id=bindparam("user_id"),
    device_id=bindparam("device_id"),
    action=bindparam("action"),
    detail=bindparam("detail", type_=ServerAudit.__table__.c.detail.type),
    remote=bindparam("remote"),
)


def page(session: Session, *, after_id: int, limit: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(ServerAudit).where(ServerAudit.id > after_id).order_by(ServerAudit.id).limit(limit)
    ).scalars()
    return [
        {
            "id": r.id,
            "at": r.at.isoformat(timespec="seconds") + "Z",
            "user_id": r.user_id,
            "device_id": r.device_id,
            "action": r.action,
            "detail": r.detail,
            "remote": r.remote,
        }
        for r in rows
    ]
