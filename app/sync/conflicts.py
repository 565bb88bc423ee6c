"""The conflict queue: reading it and deciding (refused changes: app.sync.rejected).

Resolving writes the chosen value through an ordinary local session, so the outbox hook makes a
new change whose base is the value the server has now (the local row shows the server's value
while a conflict is open): it syncs like any edit, and the server checks it like any edit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import YorisoiError
from app.protocol.wire import from_wire
from app.storage.db import Store
from app.storage.models import SYNCED_MODELS, Conflict, utcnow
from app.sync.errors import ConflictNotFound

CHOICES = ("mine", "theirs", "merged")
TABLE_LABELS: dict[str, tuple[str, str]] = {
    "district": ("地区", "District"), "agency": ("機関", "Agency"), "staff": ("職員", "Staff"),
    "school_zone": ("小学校区", "School zone"), "issue_category": ("課題の分類", "Issue category"),
    "resource": ("地域資源", "Resource"), "person": ("人", "Person"),
    "household": ("世帯", "Household"), "household_member": ("世帯員", "Household member"),
    "life_event": ("ライフイベント", "Life event"), "case": ("ケース", "Case"),
    "case_team_member": ("支援チーム", "Team member"),
    "contact_record": ("相談・訪問記録", "Contact record"),
    "support_meeting": ("支援会議", "Support meeting"),
    "meeting_attendee": ("会議出席者", "Attendee"), "meeting_case": ("会議の対象ケース", "Meeting case"),
    "role_assignment": ("役割分担", "Role assignment"),
    "referral": ("つなぐシート", "Referral"), "audit_event": ("操作記録", "Audit event"),
}  # fmt: skip
LABEL_FIELDS = {"case": ("case_number", "title"), "person": ("name",), "household": ("name",),
                "resource": ("name",), "staff": ("name",), "referral": ("receipt_number",)}  # fmt: skip


class CannotRestoreDeleted(YorisoiError):
    ja = "他の端末で削除された記録は、ここから元に戻せません。必要なら新しく作成してください。"
    en = "A record deleted on another device cannot be restored here. Create it anew if needed."


@dataclass(frozen=True)
class ConflictItem:
    id: str
    table: str
    table_label: tuple[str, str]
    row_id: str
    row_label: str
    field: str
    base: Any
    mine: Any
    theirs: Any
    theirs_by: str | None
    theirs_at: str | None  # the server's time of their change
    created_at: dt.datetime
    can_keep_mine: bool


def _row_label(session: Session, table: str, row_id: str) -> str:
    fields = LABEL_FIELDS.get(table)
    model = SYNCED_MODELS.get(table)
    if not fields or model is None:
        return ""
    obj = session.get(model, row_id)
    if obj is None:
        return ""
    return " ".join(str(getattr(obj, f)) for f in fields if getattr(obj, f, None))


def list_conflicts(store: Store) -> list[ConflictItem]:
    with store.session() as s:
        rows = s.scalars(
            select(Conflict).where(Conflict.resolved_at.is_(None)).order_by(Conflict.created_at)
        ).all()
        return [
            ConflictItem(
                id=c.id,
                table=c.table_name,
                table_label=TABLE_LABELS.get(c.table_name, (c.table_name,) * 2),
                row_id=c.row_id,
                row_label=_row_label(s, c.table_name, c.row_id),
                field=c.field,
                base=c.base,
                mine=c.mine,
                theirs=c.theirs,
                theirs_by=c.theirs_by,
                theirs_at=c.theirs_at,
                created_at=c.created_at,
                can_keep_mine=not (c.field == "deleted" and c.theirs is True),
            )  # fmt: skip
            for c in rows
        ]


def resolve_conflict(store: Store, conflict_id: str, choice: str, value: Any = None) -> None:
    """Decide one conflict: keep ``mine``, take ``theirs``, or a ``merged`` value (wire form).
    Every open conflict on the same field of the same record is settled with it."""
    if choice not in CHOICES:
        raise ValueError(choice)
    with store.session() as s:
        c = s.get(Conflict, conflict_id)
        if c is None or c.resolved_at is not None:
            raise ConflictNotFound()
        chosen = {"mine": c.mine, "theirs": c.theirs}.get(choice, value)
        model = SYNCED_MODELS.get(c.table_name)
        obj = s.get(model, c.row_id) if model is not None else None
        if obj is not None:
            if c.field == "deleted":
                if chosen is True and not obj.deleted:
                    obj.deleted = True  # the outbox hook makes a delete; bases filled at push
                elif chosen is not True and obj.deleted:
                    raise CannotRestoreDeleted()
            else:
                column = obj.__table__.columns[c.field]  # type: ignore[attr-defined]
                setattr(obj, c.field, from_wire(column.type, chosen))
        now = utcnow()
        same = s.scalars(
            select(Conflict).where(
                Conflict.table_name == c.table_name, Conflict.row_id == c.row_id,
                Conflict.field == c.field, Conflict.resolved_at.is_(None))
        ).all()  # fmt: skip
        for other in same:
            other.resolved_at = now
            other.resolution = choice
