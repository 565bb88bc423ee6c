"""Test helpers for sync: real encrypted client databases, a real server, comparisons.

``queue_everything`` turns rows already in a client database into outbox inserts, exactly as if
a person had typed them (the outbox is what a person's edits produce); it is how a test gives an
administrator's laptop a large body of data to push to a fresh server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.protocol.ids import new_id
from app.protocol.schema import SYNC_ORDER, SYNCED_MODELS
from app.protocol.wire import data_columns
from app.storage.db import Store
from app.storage.lifecycle import create_database
from app.sync import state
from app.sync.codec import decode_stored

PASSPHRASE = "correct horse battery staple"
COMPARE_SKIP = {"created_at", "updated_at", "version"}


def new_client(path: Path) -> Store:
    return create_database(path, PASSPHRASE)


def enroll_store(store: Store, server_url: str, device: dict[str, Any]) -> None:
    """Store an enrollment made by the server helper (``srv.enroll``), as ``enroll`` would."""
    state.write(store, "enrollment", {
        "server_url": server_url, "device_id": device["device_id"], "token": device["token"],
        "expires_at": device.get("expires_at"), "staff": device.get("staff") or {},
    })  # fmt: skip


def queue_everything(store: Store, tables: list[str] | None = None) -> int:
    """Outbox inserts for every row of ``tables`` (default: all case data and resources)."""
    tables = tables or [t for t in SYNC_ORDER if t not in ("district", "agency", "staff")]
    n = 0
    with store.raw() as raw:
        conn = raw.driver_connection
        conn.execute("BEGIN")
        for t in tables:
            cols = data_columns(SYNCED_MODELS[t].__table__)  # type: ignore[attr-defined]
            sel = ", ".join(f'"{c}"' for c in cols)
            rows = conn.execute(f'SELECT id, {sel} FROM "{t}" WHERE deleted = 0').fetchall()
            conn.executemany(
                "INSERT INTO outbox(op_id, table_name, row_id, op, changes, created_at, attempts) "
                "VALUES (?, ?, ?, 'insert', ?, '2026-01-01 00:00:00.000000', 0)",
                [
                    (new_id(), t, r[0], json.dumps(
                        {c: [None, decode_stored(t, c, v)] for c, v in zip(cols, r[1:], strict=True)}
                    ))
                    for r in rows
                ],
            )  # fmt: skip
            n += len(rows)
        conn.execute("COMMIT")
    return n


def snapshot(
    store: Store, tables: list[str] | None = None
) -> dict[tuple[str, str], dict[str, Any]]:
    """{(table, id): {column: wire value}} of every synced row (bookkeeping columns left out)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    with store.raw() as raw:
        conn = raw.driver_connection
        for t in tables or SYNC_ORDER:
            model = SYNCED_MODELS[t]
            if model.__push_only__:
                continue
            cols = [c.name for c in model.__table__.columns if c.name not in COMPARE_SKIP]  # type: ignore[attr-defined]
            sel = ", ".join(f'"{c}"' for c in cols)
            for row in conn.execute(f'SELECT {sel} FROM "{t}"'):
                rec = {c: decode_stored(t, c, v) for c, v in zip(cols, row, strict=True)}
                out[(t, rec["id"])] = rec
    return out


def outbox_size(store: Store) -> int:
    with store.raw() as raw:
        return int(raw.driver_connection.execute("SELECT count(*) FROM outbox").fetchone()[0])


def count(store: Store, table: str, where: str = "1=1") -> int:
    with store.raw() as raw:
        sql = f'SELECT count(*) FROM "{table}" WHERE {where}'
        return int(raw.driver_connection.execute(sql).fetchone()[0])


def export_records(store: Store) -> list[dict[str, Any]]:
    """Every pulled-table row of ``store`` as wire records, parents first (a server's snapshot)."""
    out: list[dict[str, Any]] = []
    with store.raw() as raw:
        conn = raw.driver_connection
        for t in SYNC_ORDER:
            model = SYNCED_MODELS[t]
            if model.__push_only__:
                continue
            cols = [c.name for c in model.__table__.columns]  # type: ignore[attr-defined]
            sel = ", ".join(f'"{c}"' for c in cols)
            for row in conn.execute(f'SELECT {sel} FROM "{t}"'):
                data = {c: decode_stored(t, c, v) for c, v in zip(cols, row, strict=True)}
                out.append({"table": t, "id": data["id"], "data": data})
    return out


def pages_of(records: list[dict[str, Any]], size: int, start: int = 0) -> list[dict[str, Any]]:
    pages = []
    for i in range(0, len(records), size):
        chunk = records[i : i + size]
        pages.append({
            "server_time": "2026-11-27T00:00:00.000000Z", "cursor": start + i,
            "next_cursor": start + i + len(chunk), "has_more": i + size < len(records),
            "records": chunk, "purge": [],
        })  # fmt: skip
    return pages
