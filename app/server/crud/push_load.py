"""Loading what a pushed batch touches: previous results of its op ids, the stored rows it
writes (locked on PostgreSQL), the parents its new values refer to, and which scope owners
the pusher may write under. A few set-wise queries per batch, never one per change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

import orjson
from sqlalchemy import String, and_, bindparam, select
from sqlalchemy.orm import Session

from app.server.crud import bulk, sequence
from app.server.crud.scope import Viewer, claimed_owners, viewer_key, visible_among
from app.server.crud.tables import OWNER_COLUMN, TABLES, Column, owner_of
from app.server.models import AppliedOp, CaseIndex, Counter, Device, DeviceScope, Record

T = TypeVar("T")

# Tables whose rows are scope owners themselves (a case, household, person or meeting).
OWNER_ROW_TABLES = frozenset({"case", "household", "person", "support_meeting"})

# Every column of a case-data row, other than its owner column, that names a case,
# household, person or meeting (derived from the client models, so a new such column is
# covered): writing it needs that owner in the pusher's write scope too. Otherwise a case
# could be pointed at a household its writer may not see, or a colleague's client added to
# one's own household (``household_member.person_id``) and then read and overwritten.
REFERENCES: dict[str, tuple[str, ...]] = {
    table: refs
    for table, owner_col in OWNER_COLUMN.items()
    if (
        refs := tuple(
            c.name
            for c in TABLES[table].columns.values()
            if c.fk_table in OWNER_ROW_TABLES and c.name != owner_col
        )
    )
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
    # Cases the pusher registered and is still assigned to (an outreach worker's team rows
    # for them are allowed: write_rules; a case split from its team by the batch size).
    registered: set[str] = field(default_factory=set)
    conflict_rows: list[dict[str, Any]] = field(default_factory=list)
    stamp: str = ""  # ``now`` as stored in the data of every row the batch writes

    def __post_init__(self) -> None:
        self.stamp = self.now.isoformat(timespec="microseconds")


@dataclass(frozen=True)
class TableShape:
    """What applying a change needs of its table, worked out once."""

    columns: dict[str, Column]
    required: tuple[str, ...]  # non-nullable columns, in column order
    fks: tuple[tuple[str, str], ...]  # (column, parent table)
    fk_of: dict[str, str]  # column -> parent table
    plain: frozenset[str]  # str columns: checked inline, stored as sent
    timeish: frozenset[str]  # date / datetime columns: normalised


SHAPES: dict[str, TableShape] = {
    name: TableShape(
        columns=info.columns,
        required=tuple(c.name for c in info.columns.values() if not c.nullable),
        fks=tuple((c.name, c.fk_table) for c in info.columns.values() if c.fk_table),
        fk_of={c.name: c.fk_table for c in info.columns.values() if c.fk_table},
        plain=frozenset(c.name for c in info.columns.values() if c.kind == "str"),
        timeish=frozenset(c.name for c in info.columns.values() if c.kind in ("date", "datetime")),
    )
    for name, info in TABLES.items()
}


def _chunks(items: list[Any], size: int = 2000) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# Prebuilt statements (per dialect), executed with the id lists as named parameters.
_IDS, _TABLES = "ids", "tables"

# On PostgreSQL the lookups by key are one index probe per key: the keys are unnested from
# one array parameter and joined LATERALLY to a subquery the planner may not flatten
# (``OFFSET 0``; ``FOR UPDATE`` does the same), so it can only be planned as a nested loop over
# the primary key. Without the fence the planner pulls the subquery up into a plain join and,
# once the table has statistics, hashes the WHOLE table for a batch of a few thousand keys
# (measured: 56,000 records, 4,000 keys: a 22 ms seq scan + hash join against 3 ms of
# probes, growing with the table). ``column = ANY(array)`` over thousands of ids is often
# planned as a scan of the whole table too, and two ``= ANY`` conditions on a two-column key
# probe the first column only.
_PG_PREVIOUS = """
SELECT a.op_id, a.result::text
FROM unnest(%(ids)s::varchar[]) AS k(op_id)
CROSS JOIN LATERAL (
    SELECT x.op_id, x.result FROM applied_op AS x WHERE x.op_id = k.op_id OFFSET 0
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
    WHERE x.table_name = k.table_name AND x.id = k.id OFFSET 0
) AS r"""

# What applied_op keeps of a plain "applied" result (the common case): the op id is the row's
# key and the rest is fixed, so a replay rebuilds exactly the same result from it.
APPLIED_STORED: dict[str, Any] = {"status": "applied"}
APPLIED_TEXT = orjson.dumps(APPLIED_STORED).decode()


def is_plain_applied(result: dict[str, Any]) -> bool:
    return result["status"] == "applied" and result["reason"] is None and not result["conflicts"]


def _replayed(op_id: str, stored: Any) -> dict[str, Any]:
    """The result of an op as first answered, from what applied_op holds."""
    if isinstance(stored, str):
        stored = APPLIED_STORED if stored == APPLIED_TEXT else orjson.loads(stored)
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


def previous_results(session: Session, op_ids: list[str]) -> dict[str, dict[str, Any]]:
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
        shape = SHAPES.get(c["table"])
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


def load(session: Session, batch: Batch, changes: list[dict[str, Any]]) -> None:
    keys, refs = _keys_and_refs(changes)
    dialect = bulk.dialect_of(session)
    _store_rows(batch, _by_keys(session, dialect, keys, full=True))
    refs.difference_update(batch.rows)
    if refs:
        found = _by_keys(session, dialect, sorted(refs), full=False)
        batch.fk_known.update((t, i) for t, i in found)
    _load_scope(session, batch, changes)


def load_pipelined(
    session: Session, batch: Batch, changes: list[dict[str, Any]], check: Callable[[Any], T]
) -> tuple[dict[str, dict[str, Any]], list[T]]:
    """``previous_results`` and ``_load`` for a large batch on PostgreSQL: the lookups are
    sent at once (pipeline mode) and, while the database runs them, every change's own
    fields are checked (``check(change)``). Rows of ops that turn out to be replays are looked up
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
        checked = [check(c) for c in changes]
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
        if table not in SHAPES:
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
        for col_name in REFERENCES.get(table, ()):
            pair = pairs.get(col_name)
            if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], str):
                owners.add(pair[1])
    known = _visible_as_last_compared(session, batch, owners)
    batch.visible = known if known is not None else visible_among(session, batch.viewer, owners)
    batch.claimed = claimed_owners(session, owners - batch.visible)
    team_cases = {
        pair[1]
        for c in changes
        if c["table"] == "case_team_member"
        and isinstance(pair := c["changes"].get("case_id"), list)
        and len(pair) == 2
        and isinstance(pair[1], str)
    }
    if team_cases and batch.viewer.staff_id:
        # One indexed lookup, only for pushes that carry team rows.
        batch.registered = set(
            session.scalars(
                select(CaseIndex.case_id).where(
                    CaseIndex.case_id.in_(sorted(team_cases)),
                    CaseIndex.creator_staff_id == batch.viewer.staff_id,
                    CaseIndex.assigned_staff_id == batch.viewer.staff_id,
                )
            )
        )


_OWNERS, _DEVICE = "owners", "device"


@cache
def _last_compared_statement(dialect: str) -> Any:
    """The device's remembered scope comparison and which of the owners it found in scope."""
    return (
        select(
            select(Counter.value).where(Counter.name == sequence.SCOPE).scalar_subquery(),
            Device.scope_seen_at,
            Device.scope_viewer,
            DeviceScope.owner,
        )
        .select_from(Device)
        .outerjoin(
            DeviceScope,
            and_(
                DeviceScope.device_id == Device.id,
                DeviceScope.inside.is_(True),
                bulk.ids_in(dialect, DeviceScope.owner, _OWNERS),
            ),
        )
        .where(Device.id == bindparam(_DEVICE, type_=String))
    )


def _visible_as_last_compared(session: Session, batch: Batch, owners: set[str]) -> set[str] | None:
    """Which owners the viewer may see, from the device's device_scope rows when they hold
    its current scope: compared on a pull (see crud/pull.py) for this same viewer, with no
    write to the scope index tables since (every such write notes its sequence number above
    any the pull read). None when that is not known: ``visible_among`` decides."""
    if not owners or len(owners) > 2000:
        return None
    dialect = bulk.dialect_of(session)
    params = {_DEVICE: batch.device_id, _OWNERS: bulk.ids_value(dialect, sorted(owners))}
    rows = bulk.run(session, _last_compared_statement(dialect), params)
    if not rows:
        return None
    noted, seen_at, viewer, _ = rows[0]
    if seen_at is None or (noted is not None and noted > seen_at):
        return None
    if viewer != viewer_key(batch.viewer):
        return None
    return {owner for *_, owner in rows if owner is not None}
