"""Keeping the scope index tables (case_index, scope_link) in step with written records."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain.pledges import pledge_covers
from app.server.crud import bulk
from app.server.models import CaseIndex, Link, Record

_LINKS: dict[str, tuple[str, str, str]] = {
    "case_team_member": ("team", "case_id", "staff_id"),
    "meeting_attendee": ("attendee", "meeting_id", "staff_id"),
    "meeting_case": ("meeting_case", "meeting_id", "case_id"),
    "household_member": ("member", "household_id", "person_id"),
    # The meeting itself: its kind decides whether it may share a case without consent, its
    # date which pledges count, its deletion that it shares nothing (issue 13).
    "support_meeting": ("meeting", "id", "kind"),
    # A merged person or household (a tombstone pointing at the survivor, issue 14): seen by
    # whoever sees the survivor (crud/scope.py), so the merge mark and its undo reach them.
    "person": ("merged_person", "merged_into_id", "id"),
    "household": ("merged_household", "merged_into_id", "id"),
}
# Tables whose rows have a link only while its first column is set (most persons and
# households were never merged: no link row, no index work for them).
_OPTIONAL_LINKS = frozenset({"person", "household"})
_EXTRA_FIELDS: dict[str, frozenset[str]] = {
    "meeting_attendee": frozenset({"pledge_date", "pledge_valid_until"}),
    "support_meeting": frozenset({"held_on"}),
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
        table: frozenset({a, b, "deleted", "pledge_signed"}) | _EXTRA_FIELDS.get(table, frozenset())
        for table, (_kind, a, b) in _LINKS.items()
    },
}


def needs_refresh(table: str, data: dict[str, Any], exists: bool) -> bool:
    """Whether writing this row may change the scope index (a new person or household that
    was never merged has no link to write)."""
    if table not in INDEXED_TABLES:
        return False
    return table not in _OPTIONAL_LINKS or exists or bool(data.get(_LINKS[table][1]))


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
        _refresh_links(session, links, existing)


def _stored(session: Session, table: str, col: Any, ids: list[str]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for chunk in _chunks(sorted(ids)):
        out.extend(
            session.connection()
            .execute(
                select(Record.id, Record.data).where(
                    Record.table_name == table, bulk.id_in(session, col, chunk)
                )
            )
            .all()
        )
    return out


def _refresh_links(
    session: Session, links: list[tuple[str, dict[str, Any]]], existing: set[str] | None
) -> None:
    """An attendee link is granted only while its pledge covers its meeting's date and the
    meeting is not deleted, so a change to a meeting (date, deletion) recomputes the links of
    all its attendees, and an attendee's link reads its meeting (from this batch or stored)."""
    batch = {d["id"]: (t, d) for t, d in links}
    meetings = {i: d for i, (t, d) in batch.items() if t == "support_meeting"}
    stored_ids: set[str] = set()
    if meetings:
        for rid, data in _stored(session, "meeting_attendee", Record.owner, list(meetings)):
            if rid not in batch and isinstance(data, dict):
                batch[rid] = ("meeting_attendee", data)
                stored_ids.add(rid)
    wanted = {d.get("meeting_id") for t, d in batch.values() if t == "meeting_attendee"} - set(
        meetings
    )
    wanted.discard(None)
    for rid, data in _stored(session, "support_meeting", Record.id, list(wanted)):  # type: ignore[arg-type]
        if isinstance(data, dict):
            meetings[rid] = data
    values = []
    for row_id, (table, d) in batch.items():
        kind, a_col, b_col = _LINKS[table]
        if table in _OPTIONAL_LINKS and not d.get(a_col):
            continue  # any link it had is removed below (``stale``)
        active = not d.get("deleted")
        granted = False
        if table == "meeting_attendee":
            m = meetings.get(d.get("meeting_id") or "")
            granted = (
                active
                and m is not None
                and not m.get("deleted")
                and pledge_covers(
                    signed=d.get("pledge_signed"),
                    signed_on=d.get("pledge_date"),
                    valid_until=d.get("pledge_valid_until"),
                    held_on=m.get("held_on"),
                )
            )
        values.append(
            {
                "row_id": row_id,
                "kind": kind,
                "a": d.get(a_col),
                "b": d.get(b_col),
                "active": active,
                "granted": granted,
            }
        )
    stale = [
        row_id for row_id in batch if existing is None or row_id in existing or row_id in stored_ids
    ]
    for chunk in _chunks(stale):
        session.connection().execute(delete(Link).where(bulk.id_in(session, Link.row_id, chunk)))
    bulk.insert_rows(session, Link.__table__, values)  # type: ignore[arg-type]


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
