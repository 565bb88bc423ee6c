"""The audit viewer's queries: filtered pages of ``server_audit`` newest first, and a case's
access history.

Pages are keyset pages on ``id`` (``before_id``: the last id of the previous page), never
OFFSET: reading page 5,000 of ten million rows costs what page 1 costs. Each filter has an
index ending in ``id`` (migration 0010), so a page is a backwards range scan of that index
that stops after ``limit`` rows; the date range narrows the scan, it does not filter a
whole table. ``detail`` holds ids and counts only; the case filter reads its ``case_id``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, String, cast, func, select
from sqlalchemy.orm import Session

from app.server.crud import receipts
from app.server.models import Device, Record, ServerAudit, User

MAX_PAGE = 1000


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    device_id: str | None = None
    case_id: str | None = None
    action: str | None = None
    since: dt.datetime | None = None  # inclusive, UTC
    until: dt.datetime | None = None  # exclusive, UTC


def case_key(session: Session) -> Any:
    """``detail ->> 'case_id'`` in the form the PostgreSQL expression index was made with."""
    if session.get_bind().dialect.name == "postgresql":
        return ServerAudit.detail.op("->>")("case_id")
    return cast(func.json_extract(ServerAudit.detail, "$.case_id"), String)


def statement(
    session: Session, f: AuditFilter, *, before_id: int | None, limit: int
) -> Select[Any]:
    q = select(ServerAudit)
    if f.user_id is not None:
        q = q.where(ServerAudit.user_id == f.user_id)
    if f.device_id:
        q = q.where(ServerAudit.device_id == f.device_id)
    if f.action:
        q = q.where(ServerAudit.action == f.action)
    if f.case_id:
        q = q.where(case_key(session) == f.case_id)
    if f.since is not None:
        q = q.where(ServerAudit.at >= f.since)
    if f.until is not None:
        q = q.where(ServerAudit.at < f.until)
    if before_id is not None:
        q = q.where(ServerAudit.id < before_id)
    return q.order_by(ServerAudit.id.desc()).limit(min(max(limit, 1), MAX_PAGE))


def _row(r: ServerAudit) -> dict[str, Any]:
    return {
        "id": r.id,
        "at": r.at.isoformat(timespec="seconds") + "Z",
        "user_id": r.user_id,
        "device_id": r.device_id,
        "action": r.action,
        "detail": r.detail,
        "remote": r.remote,
    }


def page(
    session: Session, f: AuditFilter, *, before_id: int | None, limit: int
) -> tuple[list[dict[str, Any]], int | None]:
    """One page and the cursor of the next (None: this was the last)."""
    rows = [
        _row(r)
        for r in session.execute(statement(session, f, before_id=before_id, limit=limit)).scalars()
    ]
    more = len(rows) == min(max(limit, 1), MAX_PAGE)
    return rows, (int(rows[-1]["id"]) if rows and more else None)


def laptop_events(session: Session, case_id: str, limit: int = 500) -> list[dict[str, Any]]:
    """What laptops recorded of the case and pushed (``audit_event``: views, prints, exports,
    edits), newest first, with the staff member's login."""
    entity: Any
    if session.get_bind().dialect.name == "postgresql":
        entity = Record.data.op("->>")("entity_id")
    else:
        entity = cast(func.json_extract(Record.data, "$.entity_id"), String)
    rows = session.execute(
        select(Record.data)
        .where(Record.table_name == "audit_event", entity == case_id)
        .order_by(Record.seq.desc())
        .limit(limit)
    ).scalars()
    events = [dict(r) for r in rows]
    staff = {e.get("actor_staff_id") for e in events} - {None}
    logins = (
        dict(
            session.execute(select(User.staff_id, User.login).where(User.staff_id.in_(staff))).all()
        )
        if staff
        else {}
    )
    return [
        {
            "at": e.get("at"),
            "action": e.get("action"),
            "entity": e.get("entity"),
            "staff_id": e.get("actor_staff_id"),
            "login": logins.get(str(e.get("actor_staff_id"))),
            "device_id": e.get("device_id"),
        }
        for e in events
    ]


def case_access(session: Session, case_id: str) -> dict[str, Any]:
    """Who viewed, printed and exported a case on a laptop, what the server did with it for
    administrators, and which devices received it."""
    server_rows, _ = page(session, AuditFilter(case_id=case_id), before_id=None, limit=500)
    return {
        "case_id": case_id,
        "laptop_events": laptop_events(session, case_id),
        "server_events": server_rows,
        "devices": receipts.holders(session, case_id),
    }


def device_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Device.id, Device.name)).all())


__all__ = ["MAX_PAGE", "AuditFilter", "case_access", "page", "statement"]
