"""Pushing the outbox: batches in dependency order (SYNC_ORDER, then local order) and recording
each result in one transaction.

An outbox entry leaves only when the server acknowledged it: ``applied`` drops it, ``conflict``
moves the conflicted fields to the conflict queue (the local row shows the server's value until
a person decides), ``rejected`` moves it to the rejected list with the server's reason and
reverts the local row (nothing silently dropped: the change is kept there). Retries resend the
same op ids, which the server answers from its record of first results.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from app.storage.db import Store
from app.storage.models import SYNC_ORDER, new_id
from app.sync.apply import (
    INDEXED,
    fill_delete_bases,
    reindex_rows,
    write_fields,
    write_transaction,
)
from app.sync.codec import codec

MAX_BATCH = 2000
_ORDER_SQL = (
    "CASE table_name "
    + " ".join(f"WHEN '{t}' THEN {i}" for i, t in enumerate(SYNC_ORDER))
    + f" ELSE {len(SYNC_ORDER)} END"
)


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
    conflict_fields: int = 0
    tables: dict[str, int] = field(default_factory=dict)

    def add(self, other: PushTally) -> None:
        self.applied += other.applied
        self.conflicts += other.conflicts
        self.rejected += other.rejected
        self.unanswered += other.unanswered
        self.conflict_fields += other.conflict_fields


def pending_count(conn: Any) -> int:
    return int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])


def pending_by_table(conn: Any) -> dict[str, int]:
    rows = conn.execute("SELECT table_name, count(*) FROM outbox GROUP BY table_name")
    return {t: int(n) for t, n in rows}


def next_batch(store: Store, limit: int = MAX_BATCH) -> list[OutboxItem]:
    """The next batch, parents first, marking one more attempt on each entry."""
    with write_transaction(store) as conn:
        rows = conn.execute(
            "SELECT seq, op_id, table_name, row_id, op, changes FROM outbox "
            f"ORDER BY {_ORDER_SQL}, seq LIMIT ?",
            (limit,),
        ).fetchall()
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
        for item in items:
            r = results.get(item.op_id)
            status = r.get("status") if r else None
            if status not in ("applied", "conflict", "rejected"):
                tally.unanswered += 1
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
            if item.table in INDEXED and status != "applied":
                touched.setdefault(item.table, set()).add(item.row_id)
        for table, ids in touched.items():
            reindex_rows(conn, table, sorted(ids))
    return tally


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
            _record_rejected(conn, item, DELETED_THERE, revert=False)
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


DELETED_THERE = "他の端末で削除された記録への変更です / The record was deleted on another device"


def _record_rejected(conn: Any, item: OutboxItem, reason: str, *, revert: bool = True) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO rejected_change(op_id, table_name, row_id, op, changes, reason, "
        "rejected_at, dismissed) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
        (item.op_id, item.table, item.row_id, item.op,
         json.dumps(item.changes, ensure_ascii=False), reason[:500], _now()),
    )  # fmt: skip
    if not revert:
        return
    # Put the local row back as the server has it; the change itself stays in the list.
    later = _later_fields(conn, item.table, item.row_id)
    if item.op == "insert":
        if not later:
            conn.execute(f'DELETE FROM "{item.table}" WHERE id = ?', (item.row_id,))
        return
    if item.op == "delete":
        if "deleted" not in later:
            write_fields(conn, item.table, item.row_id, {"deleted": False})
        return
    bases = {f: pair[0] for f, pair in item.changes.items()
             if isinstance(pair, list) and f not in later}  # fmt: skip
    write_fields(conn, item.table, item.row_id, bases)
