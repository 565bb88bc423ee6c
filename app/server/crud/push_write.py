"""Writing a decided batch: applied op results, conflict log rows, scope index rows and the
records themselves, numbered from one block of the sync sequence taken last.

On PostgreSQL a batch of few new records is written (and, for the API, committed) by one
statement; many new records go in by COPY. Elsewhere plain executemany."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.server.crud import bulk, indexes, sequence
from app.server.crud.push_load import (
    APPLIED_STORED,
    APPLIED_TEXT,
    Batch,
    Row,
    is_plain_applied,
)
from app.server.crud.tables import owner_of
from app.server.models import AppliedOp, ConflictLog, Record

# Below this many new records a batch's records are written by one statement that also takes
# the sequence numbers (and, for the API, commits in the same round trip); at or above it,
# new records go in with COPY after the numbers are taken.
COPY_MIN_ROWS = 200

_RECORD_COLUMNS = [
    "table_name",
    "id",
    "data",
    "version",
    "deleted",
    "seq",
    "owner",
    "updated_by",
    "updated_at",
]

# One statement: take ``count`` sequence numbers under the counter's row lock (an upsert, so
# a database without the counter row gets one), insert the new records and update the
# changed ones, each numbered ``base + n``. The rows are decoded first: the counter's upsert
# counts them, so its lock is taken only once they are (and held only for the writes).
# ``_PG_WRITE_SCOPE`` also notes that the batch wrote the scope index tables (see
# ``sequence.note_scope_change``), under the same lock.
_PG_WRITE_HEAD = f"""
WITH x AS MATERIALIZED (
    SELECT * FROM json_to_recordset(%(rows)s::json) AS x(
        n bigint, new boolean, table_name varchar, id varchar, data json, version integer,
        deleted boolean, owner varchar, updated_by varchar, updated_at timestamp)
), ctr AS (
    INSERT INTO counter (name, value) SELECT '{sequence.SEQ}', count(*) FROM x
    ON CONFLICT (name) DO UPDATE SET value = counter.value + EXCLUDED.value
    RETURNING value - %(count)s AS base
), ins AS (
    INSERT INTO record (table_name, id, data, version, deleted, seq, owner, updated_by,
                        updated_at)
    SELECT x.table_name, x.id, x.data, x.version, x.deleted, ctr.base + x.n, x.owner,
           x.updated_by, x.updated_at
    FROM x, ctr WHERE x.new
)"""
_PG_WRITE_SCOPE_PART = f""", scope AS (
    INSERT INTO counter (name, value) SELECT '{sequence.SCOPE}', ctr.base + %(count)s FROM ctr
    ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value
)"""
_PG_WRITE_TAIL = """
UPDATE record AS t
SET data = x.data, version = x.version, deleted = x.deleted, seq = ctr.base + x.n,
    owner = x.owner, updated_by = x.updated_by, updated_at = x.updated_at
FROM x, ctr
WHERE NOT x.new AND t.table_name = x.table_name AND t.id = x.id"""
_PG_WRITE = _PG_WRITE_HEAD + _PG_WRITE_TAIL
_PG_WRITE_SCOPE = _PG_WRITE_HEAD + _PG_WRITE_SCOPE_PART + _PG_WRITE_TAIL


_PG_APPLIED = """
INSERT INTO applied_op (op_id, device_id, result, at)
SELECT o.op_id, %(device)s, o.result, %(at)s
FROM json_to_recordset(%(ops)s::json) AS o(op_id varchar, result json)"""


def write_batch(
    session: Session, batch: Batch, new_results: list[dict[str, Any]], *, commit: bool = False
) -> None:
    """Store a decided batch (``new_results``: the results of its ops that were not replays). Everything that needs no sequence number is written first; the
    counter is locked only for the last statement(s) (the records themselves) before commit.

    ``commit``: the caller's transaction ends with this batch. On PostgreSQL a batch of few
    new records is then written AND committed in one round trip, so the counter's lock is
    held for that statement only; otherwise (and always elsewhere) the caller commits."""
    pg = bulk.is_pg(session)
    dirty = [(k, r) for k, r in batch.rows.items() if r.dirty]
    # Many new records go in with COPY; their lines are built while the database takes in
    # the applied ops (a COPY is processed as it arrives), not after.
    copied = pg and sum(1 for _, r in dirty if not r.exists) >= COPY_MIN_ROWS
    lines: _RecordLines | None = None
    if new_results:
        if pg and len(new_results) < COPY_MIN_ROWS:
            # Sent with the records' statement (or the commit): no round trip of its own.
            bulk.defer_sql(
                session,
                _PG_APPLIED,
                {
                    "device": batch.device_id,
                    "at": batch.now,
                    "ops": bulk.dumps(
                        [
                            {
                                "op_id": r["op_id"],
                                "result": APPLIED_STORED if is_plain_applied(r) else r,
                            }
                            for r in new_results
                        ]
                    ),
                },
            )
        else:
            build = (lambda: _record_lines(batch, dirty)) if copied else None
            lines = _write_applied(session, batch, new_results, pg, meanwhile=build)
    if batch.conflict_rows:
        bulk.insert_rows(session, ConflictLog.__table__, batch.conflict_rows)  # type: ignore[arg-type]
    if not dirty:
        return
    indexed = [
        (t, r) for (t, _), r in dirty if r.reindex and indexes.needs_refresh(t, r.data, r.exists)
    ]
    if indexed:
        indexes.refresh(
            session,
            [(t, r.data, r.updated_by) for t, r in indexed],
            existing={r.data["id"] for _, r in indexed if r.exists},
        )
    session.flush()  # anything the caller added (its audit row) goes in before the lock
    scope_changed = bool(indexed)
    if pg and not copied:
        _write_records_statement(session, dirty, commit=commit, scope_changed=scope_changed)
        return
    first = sequence.allocate(session, len(dirty))
    if scope_changed:
        sequence.note_scope_change(session, first + len(dirty) - 1)
    if copied:
        _write_records_copy(session, dirty, lines or _record_lines(batch, dirty), first)
        return
    new_rows: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for n, (key, r) in enumerate(dirty):
        (changed if r.exists else new_rows).append(_record_values(key, r, seq=first + n))
    if new_rows:
        bulk.insert_rows(session, Record.__table__, new_rows)  # type: ignore[arg-type]
    if changed:
        bulk.update_rows(session, Record.__table__, changed, keys=("table_name", "id"))  # type: ignore[arg-type]


def _record_values(key: tuple[str, str], r: Row, **numbering: Any) -> dict[str, Any]:
    """A record row as written (its ``seq``, or the statement's ``n`` and ``new``, added)."""
    table, row_id = key
    return {
        "table_name": table,
        "id": row_id,
        "data": r.data,
        "version": r.version,
        "deleted": r.deleted,
        "owner": owner_of(table, r.data),
        "updated_by": r.updated_by,
        "updated_at": r.updated_at,
        **numbering,
    }


def _write_applied(
    session: Session,
    batch: Batch,
    results: list[dict[str, Any]],
    pg: bool,
    meanwhile: Any = None,
) -> Any:
    """Every new result, for replays (a plain "applied" one in its compact form). On
    PostgreSQL by COPY, with ``meanwhile()`` run while the database takes the rows in; its
    value is returned."""
    if not pg:
        bulk.insert_rows(
            session,
            AppliedOp.__table__,  # type: ignore[arg-type]
            [
                {
                    "op_id": r["op_id"],
                    "device_id": batch.device_id,
                    "result": APPLIED_STORED if is_plain_applied(r) else r,
                    "at": batch.now,
                }
                for r in results
            ],
        )
        return meanwhile() if meanwhile is not None else None
    tail = f"\t{bulk.copy_escape(batch.device_id)}\t"
    at = f"\t{batch.now.isoformat()}\n"
    escape, as_json = bulk.copy_escape, bulk.copy_json
    applied = f"{tail}{APPLIED_TEXT}{at}"
    payload = "".join(
        [
            f"{escape(r['op_id'])}{applied}"
            if is_plain_applied(r)
            else f"{escape(r['op_id'])}{tail}{as_json(r)}{at}"
            for r in results
        ]
    )
    with bulk.copying(session, "applied_op", ["op_id", "device_id", "result", "at"]) as copy:
        copy.write(payload)
        return meanwhile() if meanwhile is not None else None


def _write_records_statement(
    session: Session,
    dirty: list[tuple[tuple[str, str], Row]],
    *,
    commit: bool,
    scope_changed: bool,
) -> None:
    rows = [
        _record_values(key, r, n=n, new=not r.exists) for n, (key, r) in enumerate(dirty, start=1)
    ]
    params = {"count": len(rows), "rows": bulk.dumps(rows)}
    sql = _PG_WRITE_SCOPE if scope_changed else _PG_WRITE
    if commit:
        bulk.pg_execute_and_commit(session, sql, params)
    else:
        bulk.pg_rows(session, sql, params)


_NULL = "\\N"  # NULL in COPY's text format

# The COPY lines of a batch's new records, but for their sequence numbers: (head, tail) pairs
# and the dirty-list positions they belong to.
_RecordLines = tuple[list[str], list[str], list[int]]


def _record_lines(batch: Batch, dirty: list[tuple[tuple[str, str], Row]]) -> _RecordLines:
    escape, as_json = bulk.copy_escape, bulk.copy_json
    now, stamp = batch.now, batch.now.isoformat()
    heads: list[str] = []
    tails: list[str] = []
    positions: list[int] = []
    for n, ((table, row_id), r) in enumerate(dirty):
        if r.exists:
            continue
        owner = owner_of(table, r.data)
        by = r.updated_by
        at = stamp if r.updated_at is now else (r.updated_at or now).isoformat()
        heads.append(
            f"{escape(table)}\t{escape(row_id)}\t{as_json(r.data)}\t{r.version}\t"
            f"{'t' if r.deleted else 'f'}\t"
        )
        tails.append(
            f"\t{_NULL if owner is None else escape(owner)}"
            f"\t{_NULL if by is None else escape(by)}\t{at}\n"
        )
        positions.append(n)
    return heads, tails, positions


def _write_records_copy(
    session: Session, dirty: list[tuple[tuple[str, str], Row]], lines: _RecordLines, first: int
) -> None:
    """New records by COPY (their lines built before the counter is locked, but for their
    numbers ``first + n``); changed ones by one UPDATE."""
    heads, tails, positions = lines
    payload = "".join(
        [f"{h}{first + n}{t}" for h, n, t in zip(heads, positions, tails, strict=True)]
    )
    bulk.copy_text(session, "record", _RECORD_COLUMNS, payload)
    changed = [(n, key, r) for n, (key, r) in enumerate(dirty) if r.exists]
    if changed:
        bulk.update_rows(
            session,
            Record.__table__,  # type: ignore[arg-type]
            [_record_values(key, r, seq=first + n) for n, key, r in changed],
            keys=("table_name", "id"),
        )
