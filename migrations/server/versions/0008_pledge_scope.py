"""Pledges checked against the meeting (issue 13): ``scope_link.granted`` and meeting links

Revision ID: 0008
Revises: 0007

An attendee's link was active whenever the pledge was ticked, whatever its date, the
meeting's kind or whether the meeting was deleted. Now an attendee link is active while the
attendee is (not deleted), and ``granted`` while the pledge covers the meeting's date; each
support meeting has a ``meeting`` link (its kind; active unless deleted). The links of stored
meetings and attendees are rebuilt here with the rule of app/domain/pledges.py (copied: a
migration keeps its own copy).
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_record = sa.table(
    "record",
    sa.column("table_name", sa.String),
    sa.column("id", sa.String),
    sa.column("data", sa.JSON),
)
_link = sa.table(
    "scope_link",
    sa.column("row_id", sa.String),
    sa.column("kind", sa.String),
    sa.column("a", sa.String),
    sa.column("b", sa.String),
    sa.column("active", sa.Boolean),
    sa.column("granted", sa.Boolean),
)


def _day(v: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(v)[:10]) if v else None
    except ValueError:
        return None


def _covers(att: dict[str, Any], meeting: dict[str, Any] | None) -> bool:
    if meeting is None or meeting.get("deleted") or att.get("deleted"):
        return False
    s, u, h = _day(att.get("pledge_date")), _day(att.get("pledge_valid_until")), _day(
        meeting.get("held_on")
    )
    if not att.get("pledge_signed") or s is None or h is None:
        return False
    return s <= h and (u is None or h <= u)


def upgrade() -> None:
    with op.batch_alter_table("scope_link") as batch:
        batch.add_column(
            sa.Column("granted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    conn = op.get_bind()
    meetings = {
        i: d
        for i, d in conn.execute(
            sa.select(_record.c.id, _record.c.data).where(
                _record.c.table_name == "support_meeting"
            )
        )
    }
    attendees = list(
        conn.execute(
            sa.select(_record.c.id, _record.c.data).where(
                _record.c.table_name == "meeting_attendee"
            )
        )
    )
    ids = list(meetings) + [i for i, _ in attendees]
    for i in range(0, len(ids), 1000):
        conn.execute(sa.delete(_link).where(_link.c.row_id.in_(ids[i : i + 1000])))
    rows = [
        {
            "row_id": i,
            "kind": "meeting",
            "a": i,
            "b": d.get("kind"),
            "active": not d.get("deleted"),
            "granted": False,
        }
        for i, d in meetings.items()
    ] + [
        {
            "row_id": i,
            "kind": "attendee",
            "a": d.get("meeting_id"),
            "b": d.get("staff_id"),
            "active": not d.get("deleted"),
            "granted": _covers(d, meetings.get(d.get("meeting_id"))),
        }
        for i, d in attendees
    ]
    if rows:
        op.bulk_insert(_link, rows)


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.delete(_link).where(_link.c.kind == "meeting"))
    conn.execute(
        sa.update(_link).where(_link.c.kind == "attendee").values(active=_link.c.granted)
    )
    with op.batch_alter_table("scope_link") as batch:
        batch.drop_column("granted")
