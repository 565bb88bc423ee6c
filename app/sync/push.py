"""Pushing the outbox: batches in dependency order (SYNC_ORDER, then local order) and recording
each result in one transaction.

An outbox entry leaves only when the server acknowledged it: ``applied`` drops it, ``conflict``
moves the conflicted fields to the conflict queue (the local row shows the server's value until
a person decides), ``rejected`` moves it to the rejected list with the server's reason. A
refused change is never undone locally: the record stays where the person put it, marked as not
accepted, until the person fixes and resends it or dismisses it (app.sync.rejected). While a
refusal is open, later entries for that record, and entries that need a refused new record as
their parent, are held back (they would only be refused too). Retries resend the same op ids,
which the server answers from its record of first results.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from app.protocol.ids import new_id
from app.protocol.limits import MAX_PUSH_CHANGES
from app.protocol.schema import SYNC_ORDER, SYNCED_MODELS
from app.storage.db import Store
from app.sync.apply import (
    INDEXED,
    fill_delete_bases,
    reindex_rows,
    write_fields,
    write_transaction,
)
from app.sync.codec import codec

MAX_BATCH = MAX_PUSH_CHANGES  # the most one push may carry (app/protocol/limits.py)
_ORDER_SQL = (
    "CASE table_name "
    + " ".join(f"WHEN '{t}' THEN {i}" for i, t in enumerate(SYNC_ORDER))
    + f" ELSE {len(SYNC_ORDER)} END"
)
# The reason recorded for an edit made here to a record deleted on another device (a conflict
# on ``deleted``; the typed values stay visible in the rejected list).
DELETED_THERE = "他の端末で削除された記録への変更です / The record was deleted on another device"


@dataclass(frozen=True)
class OutboxItem:
    seq: int
    op_id: str
    table: str
    row_id: str
    op: str
    changes: dict[str, Any]

    def wire(self) -> dict[str, Any]:
        return {"op_id": self.op_id, "table": self.table, "row_id": self.row_id, "op": self.op,
                "changes": self.changes}  # fmt: skip


@dataclass
class PushTally:
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    unanswered: int = 0
    held: int = 0  # refused only because their parent was refused: waiting with it
    conflict_fields: int = 0
    tables: dict[str, int] = field(default_factory=dict)

    def add(self, other: PushTally) -> None:
        self.applied += other.applied
        self.conflicts += other.conflicts
        self.rejected += other.rejected
        self.unanswered += other.unanswered
        self.held += other.held
        self.conflict_fields += other.conflict_fields


def pending_count(conn: Any) -> int:
    return int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])


def pending_by_table(conn: Any) -> dict[str, int]:
    rows = conn.execute("SELECT table_name, count(*) FROM outbox GROUP BY table_name")
    return {t: int(n) for t, n in rows}


# Columns that point at another synced row, per table (a refused new row holds back the rows
# that point at it).
FK_COLUMNS: dict[str, tuple[str, ...]] = {
    t: tuple(sorted({fk.parent.name for fk in m.__table__.foreign_keys}))  # type: ignore[attr-defined]
    for t, m in SYNCED_MODELS.items()
}


# (table, id) of rows with an open refusal, and ids of refused new rows, each with the op id
# of the refusal that holds it back.
Refusals = tuple[dict[tuple[str, str], str], dict[str, str]]


def open_refusals(conn: Any) -> Refusals:
    """Rows with an open refusal (their later entries wait) and ids of refused new rows (the
    server does not have them: entries that need them as a parent wait too)."""
    rows: dict[tuple[str, str], str] = {}
    missing: dict[str, str] = {}
    for op_id, table, row_id, op in conn.execute(
        "SELECT op_id, table_name, row_id, op FROM rejected_change "
        "WHERE dismissed = 0 AND reason != ? ORDER BY rejected_at",
        (DELETED_THERE,),
    ):
        rows.setdefault((table, row_id), op_id)
        if op == "insert":
            missing.setdefault(row_id, op_id)
    return rows, missing


def _held_by(
    table: str, row_id: str, op: str, changes: dict[str, Any],
    refused: dict[tuple[str, str], str], missing: dict[str, str],
) -> str | None:  # fmt: skip
    """The refusal an entry waits for, if any (call in push order: parents first)."""
    root = refused.get((table, row_id))
    if root is None and missing:
        for col in FK_COLUMNS.get(table, ()):
            pair = changes.get(col)
            if isinstance(pair, list) and len(pair) == 2 and pair[1] in missing:
                root = missing[pair[1]]
                break
    if root is not None and op == "insert":
        missing.setdefault(row_id, root)  # its own children wait as well
    return root


def held_seqs(conn: Any) -> dict[int, str]:
    """Outbox entries held back by open refusals, each with the refusal's op id."""
    refused, missing = open_refusals(conn)
    if not refused:
        return {}
    out: dict[int, str] = {}
    for seq, table, row_id, op, changes in conn.execute(
        f"SELECT seq, table_name, row_id, op, changes FROM outbox ORDER BY {_ORDER_SQL}, seq"
    ).fetchall():
        root = _held_by(table, row_id, op, json.loads(changes or "{}"), refused, missing)
        if root is not None:
            out[int(seq)] = root
    return out


def next_batch(store: Store, limit: int = MAX_BATCH) -> list[OutboxItem]:
    """The next batch, parents first, marking one more attempt on each entry. Entries held
    back by an open refusal are left in the outbox."""
    with write_transaction(store) as conn:
        refused, missing = open_refusals(conn)
        rows: list[Any] = []
        if not refused:
            rows = conn.execute(
                "SELECT seq, op_id, table_name, row_id, op, changes FROM outbox "
                f"ORDER BY {_ORDER_SQL}, seq LIMIT ?",
                (limit,),
            ).fetchall()
        else:
            for row in conn.execute(
                "SELECT seq, op_id, table_name, row_id, op, changes FROM outbox "
                f"ORDER BY {_ORDER_SQL}, seq"
            ):
                seq, op_id, table, row_id, op, changes = row
                if (
                    _held_by(table, row_id, op, json.loads(changes or "{}"), refused, missing)
                    is None
                ):
                    rows.append(row)
                    if len(rows) >= limit:
                        break
        items = []
        for seq, op_id, table, row_id, op, changes in rows:
            ch = json.loads(changes) if changes else {}
            if op == "delete":
                ch = fill_delete_bases(conn, seq, table, row_id, ch)
            items.append(OutboxItem(seq, op_id, table, row_id, op, ch))
        if items:
            marks = ",".join("?" * len(items))
            conn.execute(
                f"UPDATE outbox SET attempts = attempts + 1 WHERE seq IN ({marks})",
                [i.seq for i in items],
            )
    return items


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _later_fields(conn: Any, table: str, row_id: str) -> set[str]:
    """Fields still touched by pending entries for this row (they keep the local value)."""
    touched: set[str] = set()
    for op, changes in conn.execute(
        "SELECT op, changes FROM outbox WHERE table_name = ? AND row_id = ?", (table, row_id)
    ):
        if op == "delete":
            touched.add("deleted")
        else:
            touched.update(json.loads(changes or "{}"))
        if op == "insert":
            touched.add("__insert__")
    return touched


def record_results(store: Store, items: list[OutboxItem], response: dict[str, Any]) -> PushTally:
    results = {str(r.get("op_id")): r for r in response.get("results") or [] if isinstance(r, dict)}
    tally = PushTally()
    touched: dict[str, set[str]] = {}
    with write_transaction(store) as conn:
        _refused, missing = open_refusals(conn)
        for item in items:
            r = results.get(item.op_id)
            status = r.get("status") if r else None
            if status not in ("applied", "conflict", "rejected"):
                tally.unanswered += 1
                continue
            assert r is not None
            parent = _refused_parent(item, r, missing) if status == "rejected" else None
            if parent is not None:
                # Its parent was refused in this same batch: it waits for the parent like any
                # later entry would, under a new op id (the server remembers this answer).
                conn.execute("UPDATE outbox SET op_id = ? WHERE op_id = ?", (new_id(), item.op_id))
                tally.held += 1
                if item.op == "insert":
                    missing.setdefault(item.row_id, missing[parent])
                continue
            gone = conn.execute("DELETE FROM outbox WHERE op_id = ?", (item.op_id,)).rowcount
            if not gone:
                continue  # recorded already (another sync run got there first)
            assert r is not None
            if status == "applied":
                tally.applied += 1
            elif status == "conflict":
                tally.conflicts += 1
                tally.conflict_fields += _record_conflicts(conn, item, r.get("conflicts") or [])
            else:
                tally.rejected += 1
                _record_rejected(conn, item, str(r.get("reason") or "rejected"))
                if item.op == "insert":
                    missing.setdefault(item.row_id, item.op_id)
            if item.table in INDEXED and status != "applied":
                touched.setdefault(item.table, set()).add(item.row_id)
        for table, ids in touched.items():
            reindex_rows(conn, table, sorted(ids))
    return tally


def _refused_parent(
    item: OutboxItem, result: dict[str, Any], missing: dict[str, str]
) -> str | None:
    """The refused new row whose absence got this entry refused, if that is why."""
    reason = str(result.get("reason") or "")
    if not reason.startswith("parent missing: "):
        return None
    pair = item.changes.get(reason.removeprefix("parent missing: "))
    if isinstance(pair, list) and len(pair) == 2 and pair[1] in missing:
        return str(pair[1])
    return None


def _record_conflicts(conn: Any, item: OutboxItem, conflicts: list[dict[str, Any]]) -> int:
    later = _later_fields(conn, item.table, item.row_id)
    now = _now()
    queued = 0
    for c in conflicts:
        name = str(c.get("field"))
        mine, theirs = c.get("mine"), c.get("theirs")
        if name != "deleted" and name not in codec(item.table).data_columns:
            continue
        if name not in later:
            write_fields(conn, item.table, item.row_id, {name: theirs})
        if mine == theirs:
            continue  # both sides agree (e.g. deleted twice): nothing to decide
        if name == "deleted" and theirs is True and item.op != "delete":
            # Edited here, deleted there: the server kept none of the edit; list it with a reason
            # so the typed values stay visible whatever the person decides.
            _record_rejected(conn, item, DELETED_THERE)
        conn.execute(
            "UPDATE conflict SET resolved_at = ?, resolution = 'superseded' "
            "WHERE table_name = ? AND row_id = ? AND field = ? AND resolved_at IS NULL",
            (now, item.table, item.row_id, name),
        )
        conn.execute(
            "INSERT INTO conflict(id, op_id, table_name, row_id, field, base, mine, theirs, "
            "theirs_by, theirs_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new_id(), item.op_id, item.table, item.row_id, name,
                json.dumps(c.get("base"), ensure_ascii=False), json.dumps(mine, ensure_ascii=False),
                json.dumps(theirs, ensure_ascii=False), _clip(c.get("theirs_by"), 80),
                _clip(c.get("theirs_at"), 40), now,
            ),
        )  # fmt: skip
        queued += 1
    return queued


def _clip(value: Any, n: int) -> str | None:
    return None if value is None else str(value)[:n]


def _record_rejected(conn: Any, item: OutboxItem, reason: str) -> None:
    """List a refused change. The local row is left exactly as the person made it: it stays in
    its case, marked as not accepted (app.sync.rejected), until it is resent or dismissed."""
    conn.execute(
        "INSERT OR IGNORE INTO rejected_change(op_id, table_name, row_id, op, changes, reason, "
        "rejected_at, dismissed) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
        (item.op_id, item.table, item.row_id, item.op,
         json.dumps(item.changes, ensure_ascii=False), reason[:500], _now()),
    )  # fmt: skip
