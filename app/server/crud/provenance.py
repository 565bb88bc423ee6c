"""Per-field provenance of records (``field_stamp``): who set a field, and when.

A pushed update stamps the fields it applied with the pusher's staff id and the batch's time;
before a row's first stamp, a ``*`` stamp keeps the row's writer until then (its creator, for
the fields nobody changed since). A conflict on a field then names whoever set that field
(``theirs_by``/``theirs_at``), not whoever last touched the row. Stamps are written only for
updates (never for inserts, so bulk loads cost nothing) and read only when a batch has
conflicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.server.crud import bulk
from app.server.models import FieldStamp

ROW = "*"  # the stamp of every field not stamped on its own


@dataclass
class RowStamps:
    """A row's stamps from one batch: its writer before the batch, and the fields set."""

    before_by: str | None
    before_at: dt.datetime | None
    fields: set[str] = field(default_factory=set)


Stamps = dict[tuple[str, str], RowStamps]


def note(
    stamps: Stamps, key: tuple[str, str], fields: Any, by: str | None, at: dt.datetime | None
) -> None:
    """An update of ``key`` applied ``fields``; ``by``/``at``: the row's writer before it."""
    entry = stamps.get(key)
    if entry is None:
        entry = stamps[key] = RowStamps(by, at)
    entry.fields.update(fields)


def write(session: Session, stamps: Stamps, *, staff_id: str | None, at: dt.datetime) -> None:
    """Store a batch's stamps (before its records; they need no sequence number)."""
    if not stamps:
        return
    keep = [
        {"table_name": t, "row_id": i, "field": ROW, "staff_id": s.before_by, "at": s.before_at}
        for (t, i), s in stamps.items()
    ]
    fresh = [
        {"table_name": t, "row_id": i, "field": f, "staff_id": staff_id, "at": at}
        for (t, i), s in stamps.items()
        for f in sorted(s.fields)
    ]
    if bulk.is_pg(session):
        # Two statements rendered with their values and sent with the batch's next round trip
        # (or its COMMIT): the stamps need no answer, and SQLAlchemy's executemany of small
        # rows cost a third of an incremental push (py-spy, tests/bench/server.py).
        bulk.defer_sql(session, _PG_KEEP, _columns(keep))
        if fresh:
            bulk.defer_sql(session, _PG_FRESH, _columns(fresh))
        return
    keys = ["table_name", "row_id", "field"]
    session.execute(sqlite_insert(FieldStamp).on_conflict_do_nothing(index_elements=keys), keep)
    if fresh:
        stmt = sqlite_insert(FieldStamp)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=keys,
                set_={"staff_id": stmt.excluded.staff_id, "at": stmt.excluded.at},
            ),
            fresh,
        )


_UNNEST = (
    "INSERT INTO field_stamp (table_name, row_id, field, staff_id, at)"
    " SELECT * FROM unnest(%(table_name)s::varchar[], %(row_id)s::varchar[],"
    " %(field)s::varchar[], %(staff_id)s::varchar[], %(at)s::timestamp[])"
    " ON CONFLICT (table_name, row_id, field) DO "
)
_PG_KEEP = _UNNEST + "NOTHING"
_PG_FRESH = _UNNEST + "UPDATE SET staff_id = excluded.staff_id, at = excluded.at"


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Rows as one list per column: one array parameter each."""
    return {name: [r[name] for r in rows] for name in ("table_name", "row_id", "field",
                                                        "staff_id", "at")}  # fmt: skip


def _stamp_text(at: dt.datetime | None) -> str | None:
    return at.isoformat(timespec="microseconds") if at else None


def attribute(
    session: Session,
    results: list[dict[str, Any]],
    keys: dict[str, tuple[str, str]],
    stamps: Stamps,
    *,
    staff_id: str | None,
    now: dt.datetime,
) -> None:
    """Set each conflict's ``theirs_by``/``theirs_at`` to whoever set that field (a staff id;
    names come later). ``keys``: op id -> (table, row id) of the change."""
    wanted: set[tuple[str, str]] = set()
    for r in results:
        if r["conflicts"] and r["op_id"] in keys:
            wanted.add(keys[r["op_id"]])
    if not wanted:
        return
    if bulk.is_pg(session):
        bulk.flush_deferred(session)  # stamps deferred by an earlier write() count too
    stored: dict[tuple[str, str, str], tuple[str | None, dt.datetime | None]] = {}
    ordered = sorted(wanted)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        for t, row_id, f, by, at in session.execute(
            select(
                FieldStamp.table_name, FieldStamp.row_id, FieldStamp.field,
                FieldStamp.staff_id, FieldStamp.at,
            ).where(tuple_(FieldStamp.table_name, FieldStamp.row_id).in_(chunk))
        ):  # fmt: skip
            stored[(t, row_id, f)] = (by, at)
    for r in results:
        key = keys.get(r["op_id"])
        if key is None:
            continue
        mine = stamps.get(key)
        for c in r["conflicts"]:
            name = c["field"]
            if name == "deleted" and c.get("theirs") is False:
                continue  # edited there, deleted here: the row's last writer edited it
            if mine is not None and name in mine.fields:
                found: tuple[str | None, dt.datetime | None] | None = (staff_id, now)
            else:
                found = stored.get((*key, name)) or stored.get((*key, ROW))
                if found is None and mine is not None:
                    found = (mine.before_by, mine.before_at)
            if found is not None:
                c["theirs_by"], c["theirs_at"] = found[0], _stamp_text(found[1])
