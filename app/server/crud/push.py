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

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.server.crud import bulk, indexes, sequence
from app.server.crud.scope import Viewer, claimed_owners, visible_among
from app.server.crud.tables import (
    ADMIN_ONLY_TABLES,
    APPEND_ONLY_TABLES,
    PUSH_ONLY_TABLES,
    TABLES,
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
    done = _previous_results(session, [c["op_id"] for c in changes])
    fresh = [c for c in changes if c["op_id"] not in done]
    _load(session, batch, fresh)
    results: list[dict[str, Any]] = []
    new_results: list[dict[str, Any]] = []
    for change in changes:
        op_id = change["op_id"]
        previous = done.get(op_id)
        if previous is not None:
            results.append(previous)
            continue
        result = _apply(batch, change)
        done[op_id] = result
        new_results.append(result)
        results.append(result)
    _name_conflicting_staff(session, new_results)
    return Plan(batch, results, new_results)


# Prebuilt statements (per dialect), executed with the id lists as named parameters.
_IDS, _TABLES = "ids", "tables"


@cache
def _previous_statement(dialect: str) -> Any:
    return select(AppliedOp.op_id, AppliedOp.result).where(
        bulk.ids_in(dialect, AppliedOp.op_id, _IDS)
    )


@cache
def _rows_statement(dialect: str, lock: bool) -> Any:
    q = (
        select(
            Record.table_name,
            Record.id,
            Record.data,
            Record.version,
            Record.deleted,
            Record.updated_by,
            Record.updated_at,
        )
        .where(
            bulk.ids_in(dialect, Record.table_name, _TABLES),
            bulk.ids_in(dialect, Record.id, _IDS),
        )
        .order_by(Record.table_name, Record.id)
    )
    return q.with_for_update() if lock else q


@cache
def _exists_statement(dialect: str) -> Any:
    return select(Record.table_name, Record.id).where(
        bulk.ids_in(dialect, Record.table_name, _TABLES),
        bulk.ids_in(dialect, Record.id, _IDS),
    )


def _previous_results(session: Session, op_ids: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    dialect = bulk.dialect_of(session)
    q = _previous_statement(dialect)
    for chunk in _chunks(sorted(set(op_ids))):
        out.update((i, r) for i, r in bulk.run(session, q, {_IDS: bulk.ids_value(dialect, chunk)}))
    return out


def _load(session: Session, batch: Batch, changes: list[dict[str, Any]]) -> None:
    keys = sorted({(c["table"], c["row_id"]) for c in changes if c["table"] in TABLES})
    dialect = bulk.dialect_of(session)
    q = _rows_statement(dialect, dialect == "postgresql")  # rows locked on PostgreSQL
    for chunk in _chunks(keys):
        wanted = set(chunk)
        params = {
            _TABLES: bulk.ids_value(dialect, sorted({t for t, _ in chunk})),
            _IDS: bulk.ids_value(dialect, sorted({i for _, i in chunk})),
        }
        for t, i, data, version, deleted, by, at in bulk.run(session, q, params):
            if (t, i) in wanted:
                batch.rows[(t, i)] = Row(data, version, deleted, by, at, exists=True)
    refs: set[tuple[str, str]] = set()
    owners: set[str] = set()
    rows = batch.rows
    for c in changes:
        table = c["table"]
        info = TABLES.get(table)
        if info is None:
            continue
        row = rows.get((table, c["row_id"]))
        if row is not None and (o := owner_of(table, row.data)):
            owners.add(o)
        new_values = {
            k: v[1] for k, v in c["changes"].items() if isinstance(v, list) and len(v) == 2
        }
        if (o := owner_of(table, {"id": c["row_id"], **new_values})) is not None:
            owners.add(o)
        for col_name in _REFERENCES.get(table, ()):
            if isinstance(new_values.get(col_name), str):
                owners.add(new_values[col_name])
        columns = info.columns
        for name, value in new_values.items():
            col = columns.get(name)
            if col is not None and col.fk_table and isinstance(value, str):
                refs.add((col.fk_table, value))
    refs.difference_update(rows)
    for chunk in _chunks(sorted(refs)):
        found = bulk.run(
            session,
            _exists_statement(dialect),
            {
                _TABLES: bulk.ids_value(dialect, sorted({t for t, _ in chunk})),
                _IDS: bulk.ids_value(dialect, sorted({i for _, i in chunk})),
            },
        )
        batch.fk_known.update((t, i) for t, i in found if (t, i) in refs)
    if not batch.viewer.sees_everything:
        batch.visible = visible_among(session, batch.viewer, owners)
        batch.claimed = claimed_owners(session, owners - batch.visible)


def _rejected(op_id: str, reason: str) -> dict[str, Any]:
    return {"op_id": op_id, "status": "rejected", "reason": reason, "conflicts": []}


def _may_write(batch: Batch, owner: str | None) -> bool:
    if owner is None or batch.viewer.sees_everything:
        return True
    return owner in batch.visible or owner in batch.created or owner not in batch.claimed


def _apply(batch: Batch, change: dict[str, Any]) -> dict[str, Any]:
    op_id, table, row_id, op = change["op_id"], change["table"], change["row_id"], change["op"]
    info = TABLES.get(table)
    if info is None:
        return _rejected(op_id, "unknown table")
    if table in ADMIN_ONLY_TABLES and not batch.viewer.sees_everything:
        return _rejected(op_id, "master data: administrators only")
    if table in PUSH_ONLY_TABLES and op != "insert":
        return _rejected(op_id, "append-only table")
    pairs: dict[str, tuple[Any, Any]] = {}
    for name, pair in change["changes"].items():
        col = info.columns.get(name)
        if col is None:
            return _rejected(op_id, f"unknown field: {name[:60]}")
        if not isinstance(pair, list) or len(pair) != 2:
            return _rejected(op_id, f"{name}: expected [base, new]")
        problem = check_value(col, pair[1])
        if problem:
            return _rejected(op_id, problem)
        pairs[name] = (normalise(col.kind, pair[0]), normalise(col.kind, pair[1]))
    key = (table, row_id)
    row = batch.rows.get(key)
    if row is not None and row.exists and table in PUSH_ONLY_TABLES:
        return {"op_id": op_id, "status": "applied", "reason": "already stored", "conflicts": []}
    if row is None and op == "delete":
        return _rejected(op_id, "unknown row")
    # Scope: the row's current owner and its owner after the change must both be writable.
    new_data = {
        **(row.data if row else empty_row(table, row_id)),
        **{k: v[1] for k, v in pairs.items()},
    }
    owners = {owner_of(table, new_data)}
    if row is not None:
        owners.add(owner_of(table, row.data))
    owners.update(
        new_data.get(c) for c in _REFERENCES.get(table, ()) if c in pairs and new_data.get(c)
    )
    if not all(_may_write(batch, o) for o in owners):
        return _rejected(op_id, "outside your scope")
    for name, (_base, new) in pairs.items():
        fk = info.columns[name].fk_table
        if (
            fk
            and new is not None
            and (fk, new) not in batch.rows
            and (fk, new) not in batch.fk_known
        ):
            return _rejected(op_id, f"parent missing: {name}")
    if row is None:
        return _insert(batch, table, row_id, op_id, new_data)
    return _update(batch, table, row_id, op_id, op, row, pairs)


def _insert(batch: Batch, table: str, row_id: str, op_id: str, data: dict[str, Any]) -> dict:
    info = TABLES[table]
    missing = [c.name for c in info.columns.values() if not c.nullable and data.get(c.name) is None]
    if missing:
        return _rejected(op_id, f"{missing[0]}: required")
    stamp = batch.now.isoformat(timespec="microseconds")
    data.update(id=row_id, created_at=stamp, updated_at=stamp, version=1, deleted=False)
    batch.rows[(table, row_id)] = Row(
        data, 1, False, batch.viewer.staff_id, batch.now, exists=False, dirty=True, reindex=True
    )
    if table in ("case", "household", "person", "support_meeting"):
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
        row.data.update(
            version=row.version, updated_at=batch.now.isoformat(timespec="microseconds")
        )
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


def write(session: Session, plan: Plan) -> None:
    """Store a prepared batch. Everything that needs no sequence number is written first; the
    counter is locked only for the last statements (the records themselves) before commit."""
    batch = plan.batch
    if plan.new_results:
        bulk.insert_rows(
            session,
            AppliedOp.__table__,  # type: ignore[arg-type]
            [
                {"op_id": r["op_id"], "device_id": batch.device_id, "result": r, "at": batch.now}
                for r in plan.new_results
            ],
        )
    if batch.conflict_rows:
        bulk.insert_rows(session, ConflictLog.__table__, batch.conflict_rows)  # type: ignore[arg-type]
    dirty = [(k, r) for k, r in batch.rows.items() if r.dirty]
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
