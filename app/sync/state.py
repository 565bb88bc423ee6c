"""Sync facts kept inside the encrypted database (table ``sync_state``, JSON values).

Keys: ``enrollment`` (server URL, device id, token, staff), ``cursor`` (pull position and whether
the first snapshot completed), ``pending_purge`` (cases that left this device's scope and wait
for their pending changes to be pushed), ``last_sync`` (server time of the last success, clock
skew, summary). Functions take a DB-API connection so the cursor can be written in the same
transaction as a pulled page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.storage.db import Store


def get(conn: Any, key: str, default: Any = None) -> Any:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    if row is None or row[0] is None:
        return default
    return json.loads(row[0])


def put(conn: Any, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO sync_state(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value, ensure_ascii=False)),
    )


def delete(conn: Any, key: str) -> None:
    conn.execute("DELETE FROM sync_state WHERE key = ?", (key,))


def read(store: Store, key: str, default: Any = None) -> Any:
    with store.raw() as raw:
        return get(raw.driver_connection, key, default)


def write(store: Store, key: str, value: Any) -> None:
    with store.raw() as raw:
        conn = raw.driver_connection
        conn.execute("BEGIN IMMEDIATE")
        try:
            put(conn, key, value)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


@dataclass(frozen=True)
class Enrollment:
    server_url: str
    device_id: str
    token: str
    expires_at: str | None
    staff_id: str | None
    staff_name: str | None

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Enrollment:
        staff = value.get("staff") or {}
        return cls(
            server_url=str(value["server_url"]),
            device_id=str(value["device_id"]),
            token=str(value["token"]),
            expires_at=value.get("expires_at"),
            staff_id=staff.get("id"),
            staff_name=staff.get("name"),
        )

    def __repr__(self) -> str:  # never show the token
        return f"Enrollment(server_url={self.server_url!r}, device_id={self.device_id!r})"


def enrollment(store: Store) -> Enrollment | None:
    value = read(store, "enrollment")
    return Enrollment.from_json(value) if value else None


@dataclass(frozen=True)
class Cursor:
    position: int = 0
    initial_complete: bool = False


def cursor(conn: Any) -> Cursor:
    value = get(conn, "cursor") or {}
    return Cursor(int(value.get("cursor", 0)), bool(value.get("initial_complete", False)))


def put_cursor(conn: Any, position: int, initial_complete: bool) -> None:
    put(conn, "cursor", {"cursor": int(position), "initial_complete": bool(initial_complete)})
