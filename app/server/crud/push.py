"""Applying a pushed batch: idempotent by op id, per-field conflicts, scope checked per change.

Each change gets its own result (applied, conflict or rejected); a rejected change never
affects the others. All writes of a batch commit together, with one block of sequence numbers
taken at the very end so the counter lock is held as briefly as possible.

This module decides every change; ``push_load`` reads what a batch touches and
``push_write`` stores the outcome.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.server.crud import bulk, indexes, provenance, write_rules
from app.server.crud.push_load import (
    OWNER_ROW_TABLES,
    REFERENCES,
    SHAPES,
    Batch,
    Row,
    load,
    load_pipelined,
    previous_results,
)
from app.server.crud.push_write import COPY_MIN_ROWS, write_batch
from app.server.crud.scope import Viewer
from app.server.crud.tables import (
    APPEND_ONLY_TABLES,
    OWNER_COLUMN,
    PUSH_ONLY_TABLES,
    TABLES,
    check_value,
    empty_row,
    owner_of,
)
from app.server.crud.values import normalise
from app.server.models import Record

__all__ = ["COPY_MIN_ROWS", "Batch", "Plan", "Row", "prepare", "push", "write"]

# Scope-owner tables whose rows, once created in a batch, may be written to in the same batch.
_OWNER_TABLES = OWNER_ROW_TABLES

OUTSIDE_SCOPE = "outside your scope"
# Rejections the push audit lists one by one (ids only): attempts to write outside the
# pusher's scope or against the write rules.
DENIALS = write_rules.REFUSALS | {OUTSIDE_SCOPE}
AUDITED_DENIALS = 50  # at most this many listed per batch (the count covers all)


def denials(changes: list[dict[str, Any]], results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The changes refused by scope or write rule: table, row id, reason (no values)."""
    return [
        {"table": c["table"][:40], "row_id": c["row_id"], "reason": r["reason"]}
        for c, r in zip(changes, results, strict=True)
        if r["status"] == "rejected" and r["reason"] in DENIALS
    ]


@dataclass
class Plan:
    """A prepared batch: the result of every change, and what to write."""

    batch: Batch
    results: list[dict[str, Any]]
    new_results: list[dict[str, Any]]
    stamps: provenance.Stamps = field(default_factory=dict)


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
        done, checked = load_pipelined(session, batch, changes, partial(_check, viewer))
    else:
        done = previous_results(session, [c["op_id"] for c in changes])
        load(session, batch, [c for c in changes if c["op_id"] not in done])
    results: list[dict[str, Any]] = []
    new_results: list[dict[str, Any]] = []
    stamps: provenance.Stamps = {}  # the fields each update applied
    for n, change in enumerate(changes):
        op_id = change["op_id"]
        previous = done.get(op_id)
        if previous is not None:
            results.append(previous)
            continue
        result = _apply(batch, change, checked[n] if checked is not None else None, stamps)
        done[op_id] = result
        new_results.append(result)
        results.append(result)
    keys = {c["op_id"]: (c["table"], c["row_id"]) for c in changes}
    provenance.attribute(
        session, new_results, keys, stamps, staff_id=viewer.staff_id, now=batch.now
    )
    _name_conflicting_staff(session, new_results)
    return Plan(batch, results, new_results, stamps)


def write(session: Session, plan: Plan, *, commit: bool = False) -> None:
    """Store a prepared batch (see ``push_write.write_batch``; ``commit``: the caller's
    transaction ends with this batch, which may then be written and committed at once)."""
    provenance.write(session, plan.stamps, staff_id=plan.batch.viewer.staff_id, at=plan.batch.now)
    write_batch(session, plan.batch, plan.new_results, commit=commit)


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
    shape = SHAPES.get(table)
    if shape is None:
        return _rejected(op_id, "unknown table"), None
    refused = write_rules.refusal(viewer.role, table, op)
    if refused is not None:
        return _rejected(op_id, refused), None
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


def _apply(
    batch: Batch,
    change: dict[str, Any],
    checked: _Checked | None = None,
    stamps: provenance.Stamps | None = None,
) -> dict[str, Any]:
    """The result of one change (``checked``: its ``_check``, if already done)."""
    rejected, pairs = checked if checked is not None else _check(batch.viewer, change)
    if rejected is not None:
        return rejected
    op_id, table, row_id, op = change["op_id"], change["table"], change["row_id"], change["op"]
    shape = SHAPES[table]
    everything = batch.viewer.sees_everything
    key = (table, row_id)
    row = batch.rows.get(key)
    if row is not None and row.exists and table in PUSH_ONLY_TABLES:
        return {"op_id": op_id, "status": "applied", "reason": None, "conflicts": []}
    if row is None and op == "delete":
        return _rejected(op_id, "unknown row")
    if write_rules.needs_row_check(table):
        new = {k: v[1] for k, v in pairs.items()}
        refused = write_rules.own_row_refusal(
            batch.viewer.staff_id, table, row.data if row is not None else None, new
        )
        if refused is not None:
            return _rejected(op_id, refused)
    if write_rules.limits_assignment(batch.viewer.role, table):
        new = {k: v[1] for k, v in pairs.items()}
        stored = row.data if row is not None and row.exists else None
        case_id = new.get("case_id") or (stored or {}).get("case_id")
        refused = write_rules.assignment_refusal(
            table,
            op,
            stored,
            new,
            case_is_new=case_id in batch.created,
            own_case=case_id in batch.registered,
            names_pusher=new.get("staff_id", (stored or {}).get("staff_id"))
            == batch.viewer.staff_id,
        )
        if refused is not None:
            return _rejected(op_id, refused)
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
                return _rejected(op_id, OUTSIDE_SCOPE)
            if row is not None and not _may_write(batch, owner_of(table, row.data)):
                return _rejected(op_id, OUTSIDE_SCOPE)
        for c in REFERENCES.get(table, ()):
            if c in pairs and (ref := pairs[c][1]) and not _may_write(batch, ref):
                return _rejected(op_id, OUTSIDE_SCOPE)
    if shape.fks:
        rows, known, fk_of = batch.rows, batch.fk_known, shape.fk_of
        for name, (_base, new) in pairs.items():
            fk = fk_of.get(name)
            if fk and new is not None and (fk, new) not in rows and (fk, new) not in known:
                return _rejected(op_id, f"parent missing: {name}")
    if new_data is not None:
        return _insert(batch, table, row_id, op_id, new_data)
    assert row is not None
    return _update(batch, table, row_id, op_id, op, row, pairs, stamps)


def _insert(batch: Batch, table: str, row_id: str, op_id: str, data: dict[str, Any]) -> dict:
    for name in SHAPES[table].required:
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
    stamps: provenance.Stamps | None = None,
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
        if stamps is not None:
            provenance.note(stamps, (table, row_id), apply, row.updated_by, row.updated_at)
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
