"""Applying a pushed batch: idempotent by op id, per-field conflicts, scope checked per change.

Each change gets its own result (applied, conflict or rejected); a rejected change never
affects the others. All writes of a batch commit together, with one block of sequence numbers
taken at the very end so the counter lock is held as briefly as possible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.server.crud import bulk, indexes, sequence
from app.server.crud.scope import Viewer, claimed_owners, visible_among
from app.server.crud.tables import (
    ADMIN_ONLY_TABLES,
    APPEND_ONLY_TABLES,
    OWNER_COLUMN,
    PUSH_ONLY_TABLES,
    TABLES,
    Column,
    check_value,
    empty_row,
    owner_of,
)
from app.server.crud.values import normalise
from app.server.models import AppliedOp, ConflictLog, Record

# Columns of a case-data row that point at another scope owner: writing them needs that owner
# in scope too, or a case could be pointed at a household its writer may not see.
_REFERENCES: dict[str, tuple[str, ...]] = {
    "case": ("household_id", "person_id"),
    "meeting_case": ("meeting_id",),
    "referral": ("meeting_id",),
    "role_assignment": ("meeting_id",),
}


@dataclass
class Row:
    data: dict[str, Any]
    version: int
    deleted: bool
    updated_by: str | None
    updated_at: dt.datetime | None
    exists: bool
    dirty: bool = False
    reindex: bool = False  # its scope index rows must be rewritten


@dataclass
class Batch:
    viewer: Viewer
    device_id: str
    now: dt.datetime
    rows: dict[tuple[str, str], Row] = field(default_factory=dict)
    fk_known: set[tuple[str, str]] = field(default_factory=set)
    visible: set[str] = field(default_factory=set)
    claimed: set[str] = field(default_factory=set)
    created: set[str] = field(default_factory=set)
    conflict_rows: list[dict[str, Any]] = field(default_factory=list)
    stamp: str = ""  # ``now`` as stored in the data of every row the batch writes

    def __post_init__(self) -> None:
        self.stamp = self.now.isoformat(timespec="microseconds")


@dataclass(frozen=True)
class _TableShape:
    """What applying a change needs of its table, worked out once."""

    columns: dict[str, Column]
    required: tuple[str, ...]  # non-nullable columns, in column order
    fks: tuple[tuple[str, str], ...]  # (column, parent table)
    fk_of: dict[str, str]  # column -> parent table
    plain: frozenset[str]  # str columns: checked inline, stored as sent
    timeish: frozenset[str]  # date / datetime columns: normalised


_SHAPES: dict[str, _TableShape] = {
    name: _TableShape(
        columns=info.columns,
        required=tuple(c.name for c in info.columns.values() if not c.nullable),
        fks=tuple((c.name, c.fk_table) for c in info.columns.values() if c.fk_table),
        fk_of={c.name: c.fk_table for c in info.columns.values() if c.fk_table},
        plain=frozenset(c.name for c in info.columns.values() if c.kind == "str"),
        timeish=frozenset(c.name for c in info.columns.values() if c.kind in ("date", "datetime")),
    )
    for name, info in TABLES.items()
}
# Scope-owner tables whose rows, once created in a batch, may be written to in the same batch.
_OWNER_TABLES = frozenset({"case", "household", "person", "support_meeting"})


def _chunks(items: list[Any], size: int = 2000) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@dataclass
class Plan:
    """A prepared batch: the result of every change, and what to write."""

    batch: Batch
    results: list[dict[str, Any]]
    new_results: list[dict[str, Any]]


def push(
    session: Session, *, viewer: Viewer, device_id: str, changes: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    plan = prepare(session, viewer=viewer, device_id=device_id, changes=changes)
    write(session, plan)
    return plan.results


def prepare(
    session: Session, *, viewer: Viewer, device_id: str, changes: list[dict[str, Any]]
) -> Plan:
    """Read what the batch touches (a few set-wise queries, rows locked on PostgreSQL) and
    decide every change in memory. Nothing is written yet."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    batch = Batch(viewer=viewer, device_id=device_id, now=now)
    checked: list[_Checked] | None = None
    if len(changes) >= COPY_MIN_ROWS and bulk.dialect_of(session) == "postgresql":
        done, checked = _load_pipelined(session, batch, changes)
    else:
        done = _previous_results(session, [c["op_id"] for c in changes])
        _load(session, batch, [c for c in changes if c["op_id"] not in done])
    results: list[dict[str, Any]] = []
    new_results: list[dict[str, Any]] = []
    for n, change in enumerate(changes):
        op_id = change["op_id"]
        previous = done.get(op_id)
        if previous is not None:
            results.append(previous)
            continue
        result = _apply(batch, change, checked[n] if checked is not None else None)
        done[op_id] = result
        new_results.append(result)
        results.append(result)
    _name_conflicting_staff(session, new_results)
    return Plan(batch, results, new_results)


# Prebuilt statements (per dialect), executed with the id lists as named parameters.
_IDS, _TABLES = "ids", "tables"

# On PostgreSQL the lookups by key are one index probe per key: the keys are unnested from
# one array parameter and joined LATERALLY, which can only be planned as a nested loop over
# the primary key. (``column = ANY(array)`` over thousands of ids is often planned as a scan
# of the whole table, and two ``= ANY`` conditions on a two-column key probe the first
# column only.)
_PG_PREVIOUS = """
SELECT a.op_id, a.result::text
FROM unnest(%(ids)s::varchar[]) AS k(op_id)
CROSS JOIN LATERAL (
    SELECT x.op_id, x.result FROM applied_op AS x WHERE x.op_id = k.op_id
) AS a"""
_PG_ROWS = """
SELECT r.table_name, r.id, r.data::text, r.version, r.deleted, r.updated_by, r.updated_at
FROM unnest(%(tables)s::varchar[], %(ids)s::varchar[]) AS k(table_name, id)
CROSS JOIN LATERAL (
    SELECT x.table_name, x.id, x.data, x.version, x.deleted, x.updated_by, x.updated_at
    FROM record AS x WHERE x.table_name = k.table_name AND x.id = k.id FOR UPDATE
) AS r"""
_PG_EXISTS = """
SELECT r.table_name, r.id
FROM unnest(%(tables)s::varchar[], %(ids)s::varchar[]) AS k(table_name, id)
CROSS JOIN LATERAL (
    SELECT x.table_name, x.id FROM record AS x
    WHERE x.table_name = k.table_name AND x.id = k.id
) AS r"""

# What applied_op keeps of a plain "applied" result (the common case): the op id is the row's
# key and the rest is fixed, so a replay rebuilds exactly the same result from it.
_APPLIED_STORED: dict[str, Any] = {"status": "applied"}
_APPLIED_TEXT = orjson.dumps(_APPLIED_STORED).decode()


def _is_plain_applied(result: dict[str, Any]) -> bool:
    return result["status"] == "applied" and result["reason"] is None and not result["conflicts"]


def _replayed(op_id: str, stored: Any) -> dict[str, Any]:
    """The result of an op as first answered, from what applied_op holds."""
    if isinstance(stored, str):
        stored = _APPLIED_STORED if stored == _APPLIED_TEXT else orjson.loads(stored)
    if "op_id" in stored:
        return dict(stored)
    return {"op_id": op_id, "status": stored["status"], "reason": None, "conflicts": []}


@cache
def _previous_statement(dialect: str) -> Any:
    return select(AppliedOp.op_id, AppliedOp.result).where(
        bulk.ids_in(dialect, AppliedOp.op_id, _IDS)
    )


@cache
def _rows_statement(dialect: str) -> Any:
    return select(
        Record.table_name,
        Record.id,
        Record.data,
        Record.version,
        Record.deleted,
        Record.updated_by,
        Record.updated_at,
    ).where(
        bulk.ids_in(dialect, Record.table_name, _TABLES),
        bulk.ids_in(dialect, Record.id, _IDS),
    )


@cache
def _exists_statement(dialect: str) -> Any:
    return select(Record.table_name, Record.id).where(
        bulk.ids_in(dialect, Record.table_name, _TABLES),
        bulk.ids_in(dialect, Record.id, _IDS),
    )


def _previous_results(session: Session, op_ids: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    dialect = bulk.dialect_of(session)
    for chunk in _chunks(sorted(set(op_ids))):
        if dialect == "postgresql":
            found = bulk.pg_rows(session, _PG_PREVIOUS, {_IDS: bulk.pg_array(chunk)})
        else:
            found = bulk.run(session, _previous_statement(dialect), {_IDS: chunk})
        out.update((i, _replayed(i, r)) for i, r in found)
    return out


def _by_keys(
    session: Session, dialect: str, keys: list[tuple[str, str]], *, full: bool
) -> list[Any]:
    """Stored rows of these (table, id) keys: full rows, locked on PostgreSQL (in key order),
    or just their keys."""
    out: list[Any] = []
    for chunk in _chunks(keys):
        if dialect == "postgresql":
            params = {
                _TABLES: bulk.pg_array([t for t, _ in chunk]),
                _IDS: bulk.pg_array([i for _, i in chunk]),
            }
            out.extend(bulk.pg_rows(session, _PG_ROWS if full else _PG_EXISTS, params))
            continue
        wanted = set(chunk)
        q = _rows_statement(dialect) if full else _exists_statement(dialect)
        lists = {_TABLES: sorted({t for t, _ in chunk}), _IDS: sorted({i for _, i in chunk})}
        out.extend(r for r in bulk.run(session, q, lists) if (r[0], r[1]) in wanted)
    return out


def _keys_and_refs(
    changes: list[dict[str, Any]],
) -> tuple[list[tuple[str, str]], set[tuple[str, str]]]:
    """The (table, id) keys the changes write, and the parents their new values refer to."""
    keys = sorted({(c["table"], c["row_id"]) for c in changes if c["table"] in TABLES})
    refs: set[tuple[str, str]] = set()
    for c in changes:
        shape = _SHAPES.get(c["table"])
        if shape is None or not shape.fks:
            continue
        fk_of = shape.fk_of
        for col_name, pair in c["changes"].items():
            fk_table = fk_of.get(col_name)
            if (
                fk_table is not None
                and isinstance(pair, list)
                and len(pair) == 2
                and isinstance(pair[1], str)
            ):
                refs.add((fk_table, pair[1]))
    return keys, refs


def _store_rows(batch: Batch, found: list[Any]) -> None:
    rows = batch.rows
    for t, i, data, version, deleted, by, at in found:
        if isinstance(data, str):
            data = orjson.loads(data)
        rows[(t, i)] = Row(data, version, deleted, by, at, exists=True)


def _load(session: Session, batch: Batch, changes: list[dict[str, Any]]) -> None:
    keys, refs = _keys_and_refs(changes)
    dialect = bulk.dialect_of(session)
    _store_rows(batch, _by_keys(session, dialect, keys, full=True))
    refs.difference_update(batch.rows)
    if refs:
        found = _by_keys(session, dialect, sorted(refs), full=False)
        batch.fk_known.update((t, i) for t, i in found)
    _load_scope(session, batch, changes)


def _load_pipelined(
    session: Session, batch: Batch, changes: list[dict[str, Any]]
) -> tuple[dict[str, dict[str, Any]], list[_Checked]]:
    """``_previous_results`` and ``_load`` for a large batch on PostgreSQL: the lookups are
    sent at once (pipeline mode) and, while the database runs them, every change's own
    fields are checked (``_check``). Rows of ops that turn out to be replays are looked up
    (and locked) too; nothing is decided from them."""
    keys, refs = _keys_and_refs(changes)
    op_ids = sorted({c["op_id"] for c in changes})
    raw = bulk.driver_connection(session)
    bulk.flush_deferred(session)

    def send(sql: str, params: dict[str, Any]) -> Any:
        return raw.cursor().execute(sql, params)

    def keyed(chunk: list[tuple[str, str]]) -> dict[str, Any]:
        return {
            _TABLES: bulk.pg_array([t for t, _ in chunk]),
            _IDS: bulk.pg_array([i for _, i in chunk]),
        }

    with raw.pipeline():
        previous = [send(_PG_PREVIOUS, {_IDS: bulk.pg_array(c)}) for c in _chunks(op_ids)]
        loaded = [send(_PG_ROWS, keyed(c)) for c in _chunks(keys)]
        parents = [send(_PG_EXISTS, keyed(c)) for c in _chunks(sorted(refs))]
        viewer = batch.viewer
        checked = [_check(viewer, c) for c in changes]
        done = {i: _replayed(i, r) for cur in previous for i, r in cur.fetchall()}
        found = [r for cur in loaded for r in cur.fetchall()]
        batch.fk_known.update((t, i) for cur in parents for t, i in cur.fetchall())
    _store_rows(batch, found)
    _load_scope(session, batch, [c for c in changes if c["op_id"] not in done])
    return done, checked


def _load_scope(session: Session, batch: Batch, changes: list[dict[str, Any]]) -> None:
    """For a viewer with a limited scope: which of the owners the changes touch it may see,
    and which of the others some case already claims (one query each)."""
    if batch.viewer.sees_everything:
        return
    rows = batch.rows
    owners: set[str] = set()
    for c in changes:
        table = c["table"]
        if table not in _SHAPES:
            continue
        pairs = c["changes"]
        # The owners the change may touch: the row's current owner, its owner after the
        # change, and the owners it refers to.
        row = rows.get((table, c["row_id"]))
        if row is not None and (o := owner_of(table, row.data)):
            owners.add(o)
        owner_col = OWNER_COLUMN.get(table)
        if owner_col is not None:
            pair = pairs.get(owner_col)
            if isinstance(pair, list) and len(pair) == 2:
                value = pair[1]
            else:
                value = c["row_id"] if owner_col == "id" else None
            if isinstance(value, str):
                owners.add(value)
        for col_name in _REFERENCES.get(table, ()):
            pair = pairs.get(col_name)
            if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], str):
                owners.add(pair[1])
    batch.visible = visible_among(session, batch.viewer, owners)
    batch.claimed = claimed_owners(session, owners - batch.visible)


def _rejected(op_id: str, reason: str) -> dict[str, Any]:
    return {"op_id": op_id, "status": "rejected", "reason": reason, "conflicts": []}


def _may_write(batch: Batch, owner: str | None) -> bool:
    if owner is None or batch.viewer.sees_everything:
        return True
    return owner in batch.visible or owner in batch.created or owner not in batch.claimed


# What a change's own fields say, before anything stored is looked at: (its rejection, None)
# or (None, its (base, new) pairs in canonical form).
_Checked = tuple[dict[str, Any] | None, Any]


def _check(viewer: Viewer, change: dict[str, Any]) -> _Checked:
    """The checks of a change that need nothing stored: (rejection, None) or (None, pairs)."""
    op_id, table, op = change["op_id"], change["table"], change["op"]
    shape = _SHAPES.get(table)
    if shape is None:
        return _rejected(op_id, "unknown table"), None
    if table in ADMIN_ONLY_TABLES and not viewer.sees_everything:
        return _rejected(op_id, "master data: administrators only"), None
    if table in PUSH_ONLY_TABLES and op != "insert":
        return _rejected(op_id, "append-only table"), None
    columns, plain, timeish = shape.columns, shape.plain, shape.timeish
    pairs: dict[str, tuple[Any, Any]] = {}
    for name, pair in change["changes"].items():
        col = columns.get(name)
        if col is None:
            return _rejected(op_id, f"unknown field: {name[:60]}"), None
        if not isinstance(pair, list) or len(pair) != 2:
            return _rejected(op_id, f"{name}: expected [base, new]"), None
        base, new = pair
        if (
            name in plain
            and type(new) is str
            and (col.max_length is None or len(new) <= col.max_length)
            and "\x00" not in new
        ):
            pairs[name] = (base, new)  # a valid text value: stored as sent
            continue
        problem = check_value(col, new)
        if problem:
            return _rejected(op_id, problem), None
        if name in timeish:
            pairs[name] = (normalise(col.kind, base), normalise(col.kind, new))
        else:
            pairs[name] = (base, new)
    return None, pairs


def _apply(batch: Batch, change: dict[str, Any], checked: _Checked | None = None) -> dict[str, Any]:
    """The result of one change (``checked``: its ``_check``, if already done)."""
    rejected, pairs = checked if checked is not None else _check(batch.viewer, change)
    if rejected is not None:
        return rejected
    op_id, table, row_id, op = change["op_id"], change["table"], change["row_id"], change["op"]
    shape = _SHAPES[table]
    everything = batch.viewer.sees_everything
    key = (table, row_id)
    row = batch.rows.get(key)
    if row is not None and row.exists and table in PUSH_ONLY_TABLES:
        return {"op_id": op_id, "status": "applied", "reason": None, "conflicts": []}
    if row is None and op == "delete":
        return _rejected(op_id, "unknown row")
    new_data: dict[str, Any] | None = None
    if row is None:
        new_data = empty_row(table, row_id)
        for k, v in pairs.items():
            new_data[k] = v[1]
    if not everything:
        # Scope: the row's current owner, its owner after the change and the owners the
        # change refers to must all be writable.
        before = row.data if row is not None else new_data
        assert before is not None
        owner_col = OWNER_COLUMN.get(table)
        if owner_col is not None:
            after = pairs[owner_col][1] if owner_col in pairs else before.get(owner_col)
            if not _may_write(batch, after if isinstance(after, str) else None):
                return _rejected(op_id, "outside your scope")
            if row is not None and not _may_write(batch, owner_of(table, row.data)):
                return _rejected(op_id, "outside your scope")
        for c in _REFERENCES.get(table, ()):
            if c in pairs and (ref := pairs[c][1]) and not _may_write(batch, ref):
                return _rejected(op_id, "outside your scope")
    if shape.fks:
        rows, known, fk_of = batch.rows, batch.fk_known, shape.fk_of
        for name, (_base, new) in pairs.items():
            fk = fk_of.get(name)
            if fk and new is not None and (fk, new) not in rows and (fk, new) not in known:
                return _rejected(op_id, f"parent missing: {name}")
    if new_data is not None:
        return _insert(batch, table, row_id, op_id, new_data)
    assert row is not None
    return _update(batch, table, row_id, op_id, op, row, pairs)


def _insert(batch: Batch, table: str, row_id: str, op_id: str, data: dict[str, Any]) -> dict:
    for name in _SHAPES[table].required:
        if data.get(name) is None:
            return _rejected(op_id, f"{name}: required")
    stamp = batch.stamp
    data["id"] = row_id
    data["created_at"] = stamp
    data["updated_at"] = stamp
    data["version"] = 1
    data["deleted"] = False
    batch.rows[(table, row_id)] = Row(
        data, 1, False, batch.viewer.staff_id, batch.now, exists=False, dirty=True, reindex=True
    )
    if table in _OWNER_TABLES:
        batch.created.add(row_id)
    return {"op_id": op_id, "status": "applied", "reason": None, "conflicts": []}


def _update(
    batch: Batch,
    table: str,
    row_id: str,
    op_id: str,
    op: str,
    row: Row,
    pairs: dict[str, tuple[Any, Any]],
) -> dict:
    conflicts: list[dict[str, Any]] = []
    apply: dict[str, Any] = {}
    theirs_at = row.updated_at.isoformat(timespec="microseconds") if row.updated_at else None
    append_only = table in APPEND_ONLY_TABLES
    for name, (base, new) in pairs.items():
        current = row.data.get(name)
        if current == new:
            continue
        if append_only or base == current:
            apply[name] = new
        else:
            conflicts.append(
                {
                    "field": name,
                    "base": base,
                    "mine": new,
                    "theirs": current,
                    "theirs_by": row.updated_by,
                    "theirs_at": theirs_at,
                }
            )
    if row.deleted and (apply or op == "delete"):
        # Edited or deleted on the laptop, tombstoned here: keep it for a person to decide.
        conflicts.append(
            {
                "field": "deleted",
                "base": False,
                "mine": op == "delete",
                "theirs": True,
                "theirs_by": row.updated_by,
                "theirs_at": theirs_at,
            }
        )
        apply = {}
    elif op == "delete":
        if conflicts:
            conflicts.append(
                {
                    "field": "deleted",
                    "base": False,
                    "mine": True,
                    "theirs": False,
                    "theirs_by": row.updated_by,
                    "theirs_at": theirs_at,
                }
            )
            apply = {}
        else:
            apply["deleted"] = True
    if apply:
        missing = [
            k
            for k, v in apply.items()
            if v is None and k != "deleted" and not TABLES[table].columns[k].nullable
        ]
        if missing:
            return _rejected(op_id, f"{missing[0]}: required")
        row.data.update(apply)
        if table in indexes.INDEX_FIELDS and not indexes.INDEX_FIELDS[table].isdisjoint(apply):
            row.reindex = True
        row.deleted = bool(row.data.get("deleted"))
        row.version += 1
        row.data.update(version=row.version, updated_at=batch.stamp)
        row.updated_by = batch.viewer.staff_id
        row.updated_at = batch.now
        row.dirty = True
    for c in conflicts:
        batch.conflict_rows.append(
            {
                "op_id": op_id,
                "table_name": table,
                "row_id": row_id,
                "field": c["field"],
                "device_id": batch.device_id,
                "at": batch.now,
            }
        )
    status = "conflict" if conflicts else "applied"
    return {"op_id": op_id, "status": status, "reason": None, "conflicts": conflicts}


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
_PG_WRITE = f"""
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
)
UPDATE record AS t
SET data = x.data, version = x.version, deleted = x.deleted, seq = ctr.base + x.n,
    owner = x.owner, updated_by = x.updated_by, updated_at = x.updated_at
FROM x, ctr
WHERE NOT x.new AND t.table_name = x.table_name AND t.id = x.id"""


_PG_APPLIED = """
INSERT INTO applied_op (op_id, device_id, result, at)
SELECT o.op_id, %(device)s, o.result, %(at)s
FROM json_to_recordset(%(ops)s::json) AS o(op_id varchar, result json)"""


def write(session: Session, plan: Plan, *, commit: bool = False) -> None:
    """Store a prepared batch. Everything that needs no sequence number is written first; the
    counter is locked only for the last statement(s) (the records themselves) before commit.

    ``commit``: the caller's transaction ends with this batch. On PostgreSQL a batch of few
    new records is then written AND committed in one round trip, so the counter's lock is
    held for that statement only; otherwise (and always elsewhere) the caller commits."""
    batch = plan.batch
    pg = bulk.is_pg(session)
    dirty = [(k, r) for k, r in batch.rows.items() if r.dirty]
    # Many new records go in with COPY; their lines are built while the database takes in
    # the applied ops (a COPY is processed as it arrives), not after.
    copied = pg and sum(1 for _, r in dirty if not r.exists) >= COPY_MIN_ROWS
    lines: _RecordLines | None = None
    if plan.new_results:
        if pg and len(plan.new_results) < COPY_MIN_ROWS:
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
                                "result": _APPLIED_STORED if _is_plain_applied(r) else r,
                            }
                            for r in plan.new_results
                        ]
                    ),
                },
            )
        else:
            build = (lambda: _record_lines(batch, dirty)) if copied else None
            lines = _write_applied(session, batch, plan.new_results, pg, meanwhile=build)
    if batch.conflict_rows:
        bulk.insert_rows(session, ConflictLog.__table__, batch.conflict_rows)  # type: ignore[arg-type]
    if not dirty:
        return
    indexed = [(t, r) for (t, _), r in dirty if r.reindex and t in indexes.INDEXED_TABLES]
    if indexed:
        indexes.refresh(
            session,
            [(t, r.data, r.updated_by) for t, r in indexed],
            existing={r.data["id"] for _, r in indexed if r.exists},
        )
    session.flush()  # anything the caller added (its audit row) goes in before the lock
    if pg:
        if copied:
            _write_records_copy(session, batch, dirty, lines or _record_lines(batch, dirty))
        else:
            _write_records_statement(session, batch, dirty, commit)
        return
    first = sequence.allocate(session, len(dirty))
    new_rows: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for n, ((table, row_id), r) in enumerate(dirty):
        values = {
            "table_name": table,
            "id": row_id,
            "data": r.data,
            "version": r.version,
            "deleted": r.deleted,
            "seq": first + n,
            "owner": owner_of(table, r.data),
            "updated_by": r.updated_by,
            "updated_at": r.updated_at,
        }
        (changed if r.exists else new_rows).append(values)
    if new_rows:
        bulk.insert_rows(session, Record.__table__, new_rows)  # type: ignore[arg-type]
    if changed:
        bulk.update_rows(session, Record.__table__, changed, keys=("table_name", "id"))  # type: ignore[arg-type]


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
                    "result": _APPLIED_STORED if _is_plain_applied(r) else r,
                    "at": batch.now,
                }
                for r in results
            ],
        )
        return meanwhile() if meanwhile is not None else None
    tail = f"\t{bulk.copy_escape(batch.device_id)}\t"
    at = f"\t{batch.now.isoformat()}\n"
    escape, as_json = bulk.copy_escape, bulk.copy_json
    applied = f"{tail}{_APPLIED_TEXT}{at}"
    payload = "".join(
        [
            f"{escape(r['op_id'])}{applied}"
            if _is_plain_applied(r)
            else f"{escape(r['op_id'])}{tail}{as_json(r)}{at}"
            for r in results
        ]
    )
    with bulk.copying(session, "applied_op", ["op_id", "device_id", "result", "at"]) as copy:
        copy.write(payload)
        return meanwhile() if meanwhile is not None else None


def _owner(table: str, data: dict[str, Any]) -> str | None:
    col = OWNER_COLUMN.get(table)
    value = data.get(col) if col is not None else None
    return value if isinstance(value, str) else None


def _write_records_statement(
    session: Session, batch: Batch, dirty: list[tuple[tuple[str, str], Row]], commit: bool
) -> None:
    rows = [
        {
            "n": n,
            "new": not r.exists,
            "table_name": table,
            "id": row_id,
            "data": r.data,
            "version": r.version,
            "deleted": r.deleted,
            "owner": _owner(table, r.data),
            "updated_by": r.updated_by,
            "updated_at": r.updated_at,
        }
        for n, ((table, row_id), r) in enumerate(dirty, start=1)
    ]
    params = {"count": len(rows), "rows": bulk.dumps(rows)}
    if commit:
        bulk.pg_execute_and_commit(session, _PG_WRITE, params)
    else:
        bulk.pg_rows(session, _PG_WRITE, params)


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
        owner = _owner(table, r.data)
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
    session: Session,
    batch: Batch,
    dirty: list[tuple[tuple[str, str], Row]],
    lines: _RecordLines,
) -> None:
    """New records by COPY (their lines built before the counter is locked, but for their
    numbers); changed ones by one UPDATE."""
    heads, tails, positions = lines
    first = sequence.allocate(session, len(dirty))
    payload = "".join(
        [f"{h}{first + n}{t}" for h, n, t in zip(heads, positions, tails, strict=True)]
    )
    bulk.copy_text(session, "record", _RECORD_COLUMNS, payload)
    changed = [(n, key, r) for n, (key, r) in enumerate(dirty) if r.exists]
    if changed:
        bulk.update_rows(
            session,
            Record.__table__,  # type: ignore[arg-type]
            [
                {
                    "table_name": table,
                    "id": row_id,
                    "data": r.data,
                    "version": r.version,
                    "deleted": r.deleted,
                    "seq": first + n,
                    "owner": _owner(table, r.data),
                    "updated_by": r.updated_by,
                    "updated_at": r.updated_at,
                }
                for n, (table, row_id), r in changed
            ],
            keys=("table_name", "id"),
        )


def _name_conflicting_staff(session: Session, results: list[dict[str, Any]]) -> None:
    """``theirs_by`` is shown to the person resolving: the staff directory name."""
    ids = {c["theirs_by"] for r in results for c in r["conflicts"] if c.get("theirs_by")}
    if not ids:
        return
    names: dict[str, str] = {}
    for i, data in session.connection().execute(
        select(Record.id, Record.data).where(
            Record.table_name == "staff", bulk.id_in(session, Record.id, sorted(ids))
        )
    ):
        names[i] = str(data.get("name") or i)
    for r in results:
        for c in r["conflicts"]:
            if c.get("theirs_by"):
                c["theirs_by"] = names.get(c["theirs_by"], c["theirs_by"])
