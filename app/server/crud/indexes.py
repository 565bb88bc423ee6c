"""Keeping the scope index tables (case_index, scope_link) in step with written records."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.server.crud import bulk
from app.server.models import CaseIndex, Link

_LINKS: dict[str, tuple[str, str, str]] = {
    "case_team_member": ("team", "case_id", "staff_id"),
    "meeting_attendee": ("attendee", "meeting_id", "staff_id"),
    "meeting_case": ("meeting_case", "meeting_id", "case_id"),
    "household_member": ("member", "household_id", "person_id"),
}
INDEXED_TABLES = frozenset(_LINKS) | {"case"}
# The fields the index rows are made of: a change to other fields leaves them as they are.
INDEX_FIELDS: dict[str, frozenset[str]] = {
    "case": frozenset(
        {
            "district_id",
            "lead_agency_id",
            "consent_status",
            "assigned_staff_id",
            "household_id",
            "person_id",
        }
    ),
    **{
        table: frozenset({a, b, "deleted", "pledge_signed"})
        for table, (_kind, a, b) in _LINKS.items()
    },
}


def _chunks(items: list[Any], size: int = 5000) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def refresh(
    session: Session,
    rows: list[tuple[str, dict[str, Any], str | None]],
    *,
    existing: set[str] | None = None,
) -> None:
    """rows: (table, data, staff id of the writer) for every record written in a batch.
    The caller notes the change with its sequence number (``sequence.note_scope_change``):
    a pull skips the scope comparison while no such note is newer than its last one.
    ``existing``: ids of those records that were already stored (None: any may be); index
    rows exist only for stored records, so brand-new records need no lookup or delete."""
    cases = [(d, by) for t, d, by in rows if t == "case"]
    links = [(t, d) for t, d, _ in rows if t in _LINKS]
    if cases:
        _refresh_cases(session, cases, existing)
    if links:
        values = []
        for table, d in links:
            kind, a_col, b_col = _LINKS[table]
            active = not d.get("deleted")
            if table == "meeting_attendee":
                active = active and bool(d.get("pledge_signed"))
            values.append(
                {
                    "row_id": d["id"],
                    "kind": kind,
                    "a": d.get(a_col),
                    "b": d.get(b_col),
                    "active": active,
                }
            )
        stale = [v["row_id"] for v in values if existing is None or v["row_id"] in existing]
        for chunk in _chunks(stale):
            session.connection().execute(
                delete(Link).where(bulk.id_in(session, Link.row_id, chunk))
            )
        bulk.insert_rows(session, Link.__table__, list({v["row_id"]: v for v in values}.values()))  # type: ignore[arg-type]


def _refresh_cases(
    session: Session, cases: list[tuple[dict[str, Any], str | None]], existing: set[str] | None
) -> None:
    ids = [d["id"] for d, _ in cases if existing is None or d["id"] in existing]
    creators: dict[str, str | None] = {}
    for chunk in _chunks(ids):
        creators.update(
            session.connection()
            .execute(
                select(CaseIndex.case_id, CaseIndex.creator_staff_id).where(
                    bulk.id_in(session, CaseIndex.case_id, chunk)
                )
            )
            .all()
        )
        session.connection().execute(
            delete(CaseIndex).where(bulk.id_in(session, CaseIndex.case_id, chunk))
        )
    values: dict[str, dict[str, Any]] = {}
    for d, by in cases:
        values[d["id"]] = {
            "case_id": d["id"],
            "district_id": d.get("district_id"),
            "lead_agency_id": d.get("lead_agency_id"),
            "consent_given": d.get("consent_status") == "given",
            "assigned_staff_id": d.get("assigned_staff_id"),
            "creator_staff_id": creators.get(d["id"], by) if d["id"] in creators else by,
            "household_id": d.get("household_id"),
            "person_id": d.get("person_id"),
        }
    bulk.insert_rows(session, CaseIndex.__table__, list(values.values()))  # type: ignore[arg-type]
