"""Changes the server refused: listing them with their values, fixing, resending, dismissing to
the local trash, and restoring from it.

A refused change is never undone on its own (app.sync.push): the record stays where the person
made it, marked as not accepted, and later entries that depend on it wait in the outbox. From
here the person can

- ``retry``: send it again as a new change built from the record as it is now (a fix made in
  the meantime, and the held later edits of the record, go with it);
- ``reattach``: attach a record to another case (e.g. a visit whose case is not on the server),
  then resend it;
- ``dismiss``: give it up. The record (a new one, with the local records that need it) or the
  edit leaves the screens and goes to the trash (``trash_item``, inside the encrypted database),
  kept for at least ``TRASH_DAYS`` days; ``restore`` brings it back as it was, refusal and all.

Thread use: any thread but the UI's; each function is one short transaction on the store.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.domain.errors import ValidationError, YorisoiError
from app.protocol.ids import new_id
from app.protocol.schema import SYNC_ORDER, SYNCED_MODELS
from app.protocol.wire import data_columns
from app.storage.db import Store
from app.sync.apply import reindex_rows, write_fields, write_transaction
from app.sync.codec import codec, decode_stored
from app.sync.conflicts import LABEL_FIELDS, TABLE_LABELS
from app.sync.push import DELETED_THERE, held_seqs
from app.sync.reasons import explain

TRASH_DAYS = 90


class RejectedNotFound(YorisoiError):
    ja = "該当する却下された変更が見つからないか、すでに処理済みです。"
    en = "No such refused change, or it was already dealt with."


class TrashItemNotFound(YorisoiError):
    ja = "ごみ箱に該当する項目がありません（期限切れで消えたか、すでに元に戻しました）。"
    en = "No such item in the trash (it expired or was already restored)."


class RecordGone(YorisoiError):
    ja = "この記録はこの端末にもうありません。再送信はできません。"
    en = "This record is no longer on this laptop; it cannot be sent again."


class CannotReattach(YorisoiError):
    ja = "この種類の記録は、別のケースに付け替えられません。"
    en = "This kind of record cannot be attached to another case."


@dataclass(frozen=True)
class RejectedItem:
    op_id: str
    table: str
    table_label: tuple[str, str]
    row_id: str
    op: str
    changes: dict[str, Any]
    reason: str  # as the server sent it
    reason_text: tuple[str, str]  # what it means, in Japanese and English
    rejected_at: dt.datetime
    row_label: str = ""
    case_id: str | None = None  # the case the record belongs to (to open it there)
    record: dict[str, Any] | None = None  # the record as it is on this laptop (wire form)
    here: bool = True  # False: the row left this laptop (``record`` holds the typed values)
    held: int = 0  # later entries waiting for this one
    can_reattach: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "op_id": self.op_id, "table": self.table, "row_id": self.row_id, "op": self.op,
            "reason": self.reason, "reason_ja": self.reason_text[0],
            "reason_en": self.reason_text[1], "rejected_at": self.rejected_at.isoformat(),
            "label": self.row_label, "case_id": self.case_id, "changes": self.changes,
            "record": self.record, "here": self.here, "held": self.held,
        }  # fmt: skip


@dataclass(frozen=True)
class TrashedItem:
    id: str
    op_id: str
    table: str
    table_label: tuple[str, str]
    row_id: str
    op: str
    reason_text: tuple[str, str]
    trashed_at: dt.datetime
    expires_at: dt.datetime
    rows: int  # records it holds
    label: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "op_id": self.op_id, "table": self.table, "row_id": self.row_id,
            "op": self.op, "reason_ja": self.reason_text[0], "reason_en": self.reason_text[1],
            "trashed_at": self.trashed_at.isoformat(), "expires_at": self.expires_at.isoformat(),
            "rows": self.rows, "label": self.label,
        }  # fmt: skip


# --- reading -------------------------------------------------------------------------------


def _stamp(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _stored_now() -> str:
    return _now().strftime("%Y-%m-%d %H:%M:%S.%f")


def read_row(conn: Any, table: str, row_id: str) -> dict[str, Any] | None:
    """Every column of a local row in wire form, or None."""
    cols = codec(table).columns
    sel = ", ".join(f'"{c}"' for c in cols)
    row = conn.execute(f'SELECT {sel} FROM "{table}" WHERE id = ?', (row_id,)).fetchone()
    if row is None:
        return None
    return {c: decode_stored(table, c, v) for c, v in zip(cols, row, strict=True)}


def _typed_values(table: str, op: str, changes: dict[str, Any]) -> dict[str, Any] | None:
    """A refused new record's values as typed (its insert carries every field): what is
    shown, and put back, when the row itself is no longer here (its case left this laptop)."""
    if op != "insert" or table not in SYNCED_MODELS:
        return None
    values = {f: p[1] for f, p in changes.items() if isinstance(p, list) and len(p) == 2}
    return {"id": None, **values}


def _put_back(conn: Any, table: str, row_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """Write a refused new record back from its typed values (no outbox entry)."""
    now = _now().isoformat(timespec="microseconds")
    data = {**values, "id": row_id, "created_at": now, "updated_at": now, "version": 1,
            "deleted": False}  # fmt: skip
    c = codec(table)
    conn.execute(c.upsert_sql, c.row(row_id, data))
    reindex_rows(conn, table, [row_id])
    return read_row(conn, table, row_id) or data


def _label(table: str, record: dict[str, Any] | None) -> str:
    if not record:
        return ""
    fields = LABEL_FIELDS.get(table, ())
    if table == "contact_record":
        fields = ("contact_at", "narrative")
    parts = [str(record.get(f)) for f in fields if record.get(f)]
    return " ".join(parts)[:80]


def case_of(conn: Any, table: str, record: dict[str, Any] | None) -> str | None:
    if not record:
        return None
    if table == "case":
        return str(record["id"])
    if record.get("case_id"):
        return str(record["case_id"])
    if table in ("person", "household"):
        col = "person_id" if table == "person" else "household_id"
        found = conn.execute(
            f'SELECT id FROM "case" WHERE {col} = ? AND deleted = 0 LIMIT 1', (record["id"],)
        ).fetchone()
        return found[0] if found else None
    if table in ("household_member", "life_event") and record.get("household_id"):
        found = conn.execute(
            'SELECT id FROM "case" WHERE household_id = ? AND deleted = 0 LIMIT 1',
            (record["household_id"],),
        ).fetchone()
        return found[0] if found else None
    return None


def _held_by_refusal(conn: Any) -> dict[str, int]:
    """How many outbox entries wait for each open refusal (its record's later edits and the
    records that need it)."""
    out: dict[str, int] = {}
    for root in held_seqs(conn).values():
        out[root] = out.get(root, 0) + 1
    return out


def list_rejected(store: Store, *, include_dismissed: bool = False) -> list[RejectedItem]:
    """Open refusals, oldest first, with the record as it is here and what the reason means."""
    with store.raw() as raw:
        conn = raw.driver_connection
        where = "" if include_dismissed else "WHERE dismissed = 0"
        rows = conn.execute(
            "SELECT op_id, table_name, row_id, op, changes, reason, rejected_at "
            f"FROM rejected_change {where} ORDER BY rejected_at, op_id"
        ).fetchall()
        held = _held_by_refusal(conn) if rows else {}
        out = []
        for op_id, table, row_id, op, changes, reason, at in rows:
            ch = json.loads(changes) if changes else {}
            record = read_row(conn, table, row_id) if table in SYNCED_MODELS else None
            here = record is not None
            typed = _typed_values(table, op, ch) if record is None else None
            if typed is not None:
                record = {**typed, "id": row_id}
            out.append(
                RejectedItem(
                    op_id=op_id,
                    table=table,
                    table_label=TABLE_LABELS.get(table, (table, table)),
                    row_id=row_id,
                    op=op,
                    changes=ch,
                    reason=reason,
                    reason_text=explain(table, reason),
                    rejected_at=_stamp(at),
                    row_label=_label(table, record),
                    case_id=case_of(conn, table, record),
                    record=record,
                    here=here,
                    held=held.get(op_id, 0),
                    can_reattach=table in SYNCED_MODELS
                    and "case_id" in codec(table).columns
                    and op == "insert",
                )  # fmt: skip
            )
        return out


def not_accepted_ids(conn: Any, row_ids: list[str] | None = None) -> set[str]:
    """Ids of local records with an open refusal (the screens mark them as not accepted)."""
    q = "SELECT DISTINCT row_id FROM rejected_change WHERE dismissed = 0 AND reason != ?"
    found = {r[0] for r in conn.execute(q, (DELETED_THERE,))}
    return found if row_ids is None else found & set(row_ids)


# --- retrying and fixing -------------------------------------------------------------------


def _open_refusal(conn: Any, op_id: str) -> tuple[str, str, str, dict[str, Any], str, str]:
    row = conn.execute(
        "SELECT table_name, row_id, op, changes, reason, rejected_at FROM rejected_change "
        "WHERE op_id = ? AND dismissed = 0",
        (op_id,),
    ).fetchone()
    if row is None:
        raise RejectedNotFound()
    table, row_id, op, changes, reason, at = row
    return table, row_id, op, json.loads(changes) if changes else {}, reason, str(at)


def _queue(conn: Any, table: str, row_id: str, op: str, changes: dict[str, Any]) -> str:
    op_id = new_id()
    conn.execute(
        "INSERT INTO outbox(op_id, table_name, row_id, op, changes, created_at, attempts) "
        "VALUES (?, ?, ?, ?, ?, ?, 0)",
        (op_id, table, row_id, op, json.dumps(changes, ensure_ascii=False), _stored_now()),
    )
    return op_id


def _fold_held(conn: Any, table: str, row_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Take the outbox entries of this row out (they are sent as part of the resend)."""
    entries = [
        (op, json.loads(changes or "{}"))
        for op, changes in conn.execute(
            "SELECT op, changes FROM outbox WHERE table_name = ? AND row_id = ? ORDER BY seq",
            (table, row_id),
        )
    ]
    conn.execute("DELETE FROM outbox WHERE table_name = ? AND row_id = ?", (table, row_id))
    return entries


def _resend(conn: Any, op_id: str) -> str | None:
    table, row_id, op, changes, _reason, _at = _open_refusal(conn, op_id)
    record = read_row(conn, table, row_id)
    if record is None:
        typed = _typed_values(table, op, changes)
        if typed is None:
            raise RecordGone()
        record = _put_back(conn, table, row_id, typed)
    later = _fold_held(conn, table, row_id)
    new_op: str | None = None
    if op == "insert" or any(o == "insert" for o, _ in later):
        if record.get("deleted"):
            raise RecordGone()
        cols = data_columns(SYNCED_MODELS[table].__table__)  # type: ignore[attr-defined]
        new_op = _queue(conn, table, row_id, "insert", {c: [None, record[c]] for c in cols})
    elif op == "delete" or any(o == "delete" for o, _ in later):
        new_op = _queue(conn, table, row_id, "delete", {})
    else:
        bases: dict[str, Any] = {}
        for source in [changes] + [ch for _o, ch in later]:
            for f, pair in source.items():
                if isinstance(pair, list) and len(pair) == 2 and f not in bases:
                    bases[f] = pair[0]
        pairs = {f: [b, record.get(f)] for f, b in bases.items() if b != record.get(f)}
        if pairs:
            new_op = _queue(conn, table, row_id, "update", pairs)
    conn.execute("DELETE FROM rejected_change WHERE op_id = ?", (op_id,))
    return new_op


def retry(store: Store, op_id: str) -> str | None:
    """Send a refused change again (at the next sync), built from the record as it is now.
    Returns the new change's op id (None: nothing left to send)."""
    with write_transaction(store) as conn:
        return _resend(conn, op_id)


def reattach(store: Store, op_id: str, case_id: str) -> str | None:
    """Attach a refused new record (a visit, a referral, ...) to another case, and resend it."""
    with write_transaction(store) as conn:
        table, row_id, op, changes, _reason, _at = _open_refusal(conn, op_id)
        if table not in SYNCED_MODELS or "case_id" not in codec(table).columns or op != "insert":
            raise CannotReattach()
        target = conn.execute(
            'SELECT id FROM "case" WHERE (id = ? OR case_number = ?) AND deleted = 0',
            (case_id, case_id),
        ).fetchone()
        if target is None:
            raise ValidationError(
                f"ケース「{case_id}」は見つかりません。", f"No case {case_id!r}.", field="case_id"
            )
        if read_row(conn, table, row_id) is None:
            typed = _typed_values(table, op, changes) or {}
            _put_back(conn, table, row_id, {**typed, "case_id": target[0]})
        write_fields(conn, table, row_id, {"case_id": target[0]})
        return _resend(conn, op_id)


# --- the trash -----------------------------------------------------------------------------

# parent table -> [(child table, column)] along the foreign keys of the synced tables.
_CHILDREN: dict[str, list[tuple[str, str]]] = {}
for _t in SYNC_ORDER:
    for _fk in SYNCED_MODELS[_t].__table__.foreign_keys:  # type: ignore[attr-defined]
        _CHILDREN.setdefault(_fk.column.table.name, []).append((_t, _fk.parent.name))


def _dependents(conn: Any, table: str, row_id: str) -> Iterator[tuple[str, str]]:
    """The row and every local row that needs it (through foreign keys), parents first."""
    seen: set[tuple[str, str]] = set()
    queue = [(table, row_id)]
    ordered: list[tuple[str, str]] = []
    while queue:
        key = queue.pop(0)
        if key in seen:
            continue
        seen.add(key)
        ordered.append(key)
        for child, col in _CHILDREN.get(key[0], ()):
            for (cid,) in conn.execute(f'SELECT id FROM "{child}" WHERE "{col}" = ?', (key[1],)):
                queue.append((child, cid))
    ordered.sort(key=lambda k: SYNC_ORDER.index(k[0]))
    return iter(ordered)


def _bundle(conn: Any, table: str, row_id: str, record: dict[str, Any]) -> dict[str, Any]:
    """A row with its outbox entries and open refusals, as kept in the trash."""
    outbox = [
        {"op_id": o, "op": op, "changes": json.loads(ch or "{}"), "created_at": str(at)}
        for o, op, ch, at in conn.execute(
            "SELECT op_id, op, changes, created_at FROM outbox "
            "WHERE table_name = ? AND row_id = ? ORDER BY seq",
            (table, row_id),
        )
    ]
    refused = [
        {"op_id": o, "op": op, "changes": json.loads(ch or "{}"), "reason": r,
         "rejected_at": str(at)}
        for o, op, ch, r, at in conn.execute(
            "SELECT op_id, op, changes, reason, rejected_at FROM rejected_change "
            "WHERE table_name = ? AND row_id = ? AND dismissed = 0",
            (table, row_id),
        )
    ]  # fmt: skip
    return {"table": table, "id": row_id, "data": record, "outbox": outbox, "refused": refused}


def dismiss(store: Store, op_id: str) -> str:
    """Give up a refused change: it goes to the trash (restorable for ``TRASH_DAYS`` days).
    A refused new record leaves this laptop with the local records that need it; a refused
    edit or delete is undone here (the record goes back to the server's values). Returns the
    trash item's id."""
    with write_transaction(store) as conn:
        table, row_id, op, changes, reason, at = _open_refusal(conn, op_id)
        record = read_row(conn, table, row_id) if table in SYNCED_MODELS else None
        bundles: list[dict[str, Any]] = []
        if record is not None and op == "insert":
            for t, i in _dependents(conn, table, row_id):
                data = read_row(conn, t, i)
                if data is not None:
                    bundles.append(_bundle(conn, t, i, data))
            for b in reversed(bundles):
                conn.execute("DELETE FROM outbox WHERE table_name = ? AND row_id = ?",
                             (b["table"], b["id"]))  # fmt: skip
                conn.execute(
                    "DELETE FROM rejected_change WHERE table_name = ? AND row_id = ? "
                    "AND dismissed = 0",
                    (b["table"], b["id"]),
                )
                conn.execute(f'DELETE FROM "{b["table"]}" WHERE id = ?', (b["id"],))
                reindex_rows(conn, b["table"], [b["id"]])
        elif record is not None:
            bundles.append({"table": table, "id": row_id, "data": record, "outbox": [],
                            "refused": []})  # fmt: skip
            if op == "delete":
                write_fields(conn, table, row_id, {"deleted": False})
            else:
                bases = {f: p[0] for f, p in changes.items() if isinstance(p, list) and len(p) == 2}
                write_fields(conn, table, row_id, bases)
            reindex_rows(conn, table, [row_id])
        conn.execute("DELETE FROM rejected_change WHERE op_id = ?", (op_id,))
        trash_id = new_id()
        conn.execute(
            "INSERT INTO trash_item(id, op_id, table_name, row_id, op, changes, reason, "
            "rejected_at, rows, trashed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (trash_id, op_id, table, row_id, op, json.dumps(changes, ensure_ascii=False),
             reason, at, json.dumps(bundles, ensure_ascii=False), _stored_now()),
        )  # fmt: skip
        _expire(conn)
    return trash_id


def _expire(conn: Any, now: dt.datetime | None = None) -> int:
    limit = (now or _now()) - dt.timedelta(days=TRASH_DAYS)
    cur = conn.execute(
        "DELETE FROM trash_item WHERE trashed_at < ?", (limit.strftime("%Y-%m-%d %H:%M:%S.%f"),)
    )
    return int(cur.rowcount or 0)


def expire_trash(store: Store, now: dt.datetime | None = None) -> int:
    """Remove trash items older than ``TRASH_DAYS`` days; returns how many."""
    with write_transaction(store) as conn:
        return _expire(conn, now)


def list_trash(store: Store) -> list[TrashedItem]:
    with store.raw() as raw:
        rows = raw.driver_connection.execute(
            "SELECT id, op_id, table_name, row_id, op, reason, trashed_at, rows FROM trash_item "
            "ORDER BY trashed_at DESC, id"
        ).fetchall()
    out = []
    for tid, op_id, table, row_id, op, reason, at, bundles in rows:
        held = json.loads(bundles or "[]")
        first = held[0]["data"] if held else None
        trashed = _stamp(at)
        out.append(
            TrashedItem(
                id=tid,
                op_id=op_id,
                table=table,
                table_label=TABLE_LABELS.get(table, (table, table)),
                row_id=row_id,
                op=op,
                reason_text=explain(table, reason),
                trashed_at=trashed,
                expires_at=trashed + dt.timedelta(days=TRASH_DAYS),
                rows=len(held),
                label=_label(table, first),
            )  # fmt: skip
        )
    return out


def restore(store: Store, trash_id: str) -> str:
    """Bring a dismissed change back as it was: the records, their waiting entries and the
    refusal (so the person can fix and resend it). Returns the refusal's op id."""
    with write_transaction(store) as conn:
        row = conn.execute(
            "SELECT op_id, table_name, row_id, op, changes, reason, rejected_at, rows "
            "FROM trash_item WHERE id = ?",
            (trash_id,),
        ).fetchone()
        if row is None:
            raise TrashItemNotFound()
        op_id, table, row_id, op, changes, reason, at, raw_bundles = row
        bundles = json.loads(raw_bundles or "[]")
        touched: dict[str, list[str]] = {}
        for b in bundles:
            t, i, data = b["table"], b["id"], b["data"]
            c = codec(t)
            if op == "insert":
                conn.execute(c.upsert_sql, c.row(i, data))
            else:
                # An edit or a delete: put the person's values back on the row.
                values = {f: p[1] for f, p in json.loads(changes or "{}").items()
                          if isinstance(p, list) and len(p) == 2 and op == "update"}  # fmt: skip
                if op == "delete":
                    values = {"deleted": True}
                write_fields(conn, t, i, values)
            for e in b.get("outbox") or []:
                conn.execute(
                    "INSERT OR IGNORE INTO outbox(op_id, table_name, row_id, op, changes, "
                    "created_at, attempts) VALUES (?, ?, ?, ?, ?, ?, 0)",
                    (e["op_id"], t, i, e["op"], json.dumps(e["changes"], ensure_ascii=False),
                     e.get("created_at") or _stored_now()),
                )  # fmt: skip
            for r in b.get("refused") or []:
                _reopen(conn, r["op_id"], t, i, r["op"], r["changes"], r["reason"],
                        r["rejected_at"])  # fmt: skip
            touched.setdefault(t, []).append(i)
        _reopen(conn, op_id, table, row_id, op, json.loads(changes or "{}"), reason, str(at))
        conn.execute("DELETE FROM trash_item WHERE id = ?", (trash_id,))
        for t, ids in touched.items():
            reindex_rows(conn, t, ids)
    return str(op_id)


def _reopen(
    conn: Any, op_id: str, table: str, row_id: str, op: str, changes: dict[str, Any],
    reason: str, at: str,
) -> None:  # fmt: skip
    conn.execute(
        "INSERT OR REPLACE INTO rejected_change(op_id, table_name, row_id, op, changes, reason, "
        "rejected_at, dismissed) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
        (op_id, table, row_id, op, json.dumps(changes, ensure_ascii=False), reason, at),
    )


def record_text(item: RejectedItem, lang: str | None = None) -> str:
    """The refused record as plain text (to copy or print): what, why, and every value."""
    from app.i18n import pick

    ja, en = item.table_label
    lines = [
        f"{pick(ja, en, lang)} {item.row_label}".strip(),
        pick("サーバーが受け付けなかった理由", "Why the server refused it", lang) + ": "
        + pick(*item.reason_text, lang=lang),
        pick("却下された日時（UTC）", "Refused at (UTC)", lang) + f": {item.rejected_at:%Y-%m-%d %H:%M}",
        "",
    ]  # fmt: skip
    for key, value in (item.record or {}).items():
        if key in ("version", "deleted") or value in (None, "", []):
            continue
        lines.append(f"{key}: {value}")
    return "\n".join(lines)
