"""Enrolling this laptop with a server: a one-time code buys a device token, kept inside the
encrypted database (``sync_state.enrollment``), never in a file or the OS keychain.

At the first enrolment the local profile binds to the server's staff record: the staff row that
first run or ``yorisoi init`` made on this laptop (directory data only administrators may push)
is replaced by the server's, and every local reference to it (cases assigned to it, visits it
recorded, waiting outbox entries, audit events) is rewritten to the server's staff id, so a
fresh laptop pushes nothing the server must refuse. A demo profile never enrols.
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass
from typing import Any

from app.protocol.schema import SYNCED_MODELS
from app.services.profile import is_demo_conn
from app.storage.db import Store
from app.sync import state
from app.sync.apply import write_transaction
from app.sync.codec import codec
from app.sync.errors import AlreadyEnrolled, SyncError, SyncRejected
from app.sync.transport import Transport, normalize_server_url


class DemoProfileCannotEnroll(SyncError):
    ja = (
        "このプロファイルはデモデータ用のため、サーバーには登録できません。"
        "実際の記録には、デモデータのない別のプロファイルを使ってください（--profile）。"
    )
    en = (
        "This profile holds demo data and cannot be enrolled with a server. Use another "
        "profile without demo data for real records (--profile)."
    )


class DemoOnEnrolledProfile(SyncError):
    ja = (
        "この端末はサーバーに登録済みのため、デモデータは作れません（サーバーに送られず、"
        "食い違いの原因になります）。デモには別のプロファイルを使ってください（--profile demo）。"
    )
    en = (
        "This laptop is enrolled with a server, so demo data cannot be added (it would never "
        "reach the server). Use another profile for a demo (--profile demo)."
    )


def is_demo_profile(store: Store) -> bool:
    with store.raw() as raw:
        return is_demo_conn(raw.driver_connection)


def refuse_demo_if_enrolled(store: Store) -> None:
    """Called before demo data is added to an existing database."""
    if state.enrollment(store) is not None:
        raise DemoOnEnrolledProfile()


# Columns that hold a staff id: foreign keys to ``staff`` and the audit trail's actor.
STAFF_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (t, fk.parent.name)
    for t, m in SYNCED_MODELS.items()
    for fk in m.__table__.foreign_keys  # type: ignore[attr-defined]
    if fk.column.table.name == "staff"
) + (("audit_event", "actor_staff_id"),)


@dataclass(frozen=True)
class EnrollResult:
    server_url: str
    device_id: str
    staff_id: str | None
    staff_name: str | None
    role: str | None
    expires_at: str | None
    server_time: str | None


def default_device_name() -> str:
    return (platform.node() or "laptop")[:80]


def enroll(
    store: Store,
    server_url: str,
    code: str | None,
    *,
    device_name: str | None = None,
    transport: Transport | None = None,
    login: str | None = None,
    password: str | None = None,
) -> EnrollResult:
    """Redeem ``code`` at ``server_url`` (or log in with ``login`` and ``password``: a laptop
    enrolled already keeps its device, the server renews its token). Re-enrolling with the
    same server keeps the cursor and the outbox; a different server is refused (its data
    would mix with this one's)."""
    url = normalize_server_url(server_url) if transport is None else server_url.rstrip("/")
    code = (code or "").strip()
    by_password = bool(login and password)
    if not code and not by_password:
        raise SyncRejected("invalid", 0)
    if is_demo_profile(store):
        raise DemoProfileCannotEnroll()  # before the code is spent
    current = state.enrollment(store)
    if current is not None and current.server_url != url:
        raise AlreadyEnrolled()
    own = transport is None
    transport = transport or Transport(url)
    try:
        name = device_name or default_device_name()
        if by_password:
            assert login is not None and password is not None
            answer = transport.login(
                login, password, name, current.device_id if current is not None else None
            )
        else:
            answer = transport.enroll(code, name)
    finally:
        if own:
            transport.close()
    staff = answer.get("staff") or {}
    value = {
        "server_url": url,
        "device_id": answer["device_id"],
        "token": answer["token"],
        "expires_at": answer.get("expires_at"),
        "staff": staff,
        "enrolled_at": answer.get("server_time"),
    }
    state.write(store, "enrollment", value)  # first: the code is spent once the server answered
    with write_transaction(store) as conn:
        local = _setting(conn, "profile_staff_id")
        if staff.get("id"):
            _ensure_staff(conn, staff)
            if current is None and local and local != staff["id"] and _made_here(conn, local):
                bind_local_staff(conn, str(local), str(staff["id"]))
            _put_setting(conn, "profile_staff_id", staff["id"])
        _put_setting(conn, "device_id", answer["device_id"])
    return EnrollResult(
        server_url=url, device_id=str(answer["device_id"]), staff_id=staff.get("id"),
        staff_name=staff.get("name"), role=staff.get("role"), expires_at=answer.get("expires_at"),
        server_time=answer.get("server_time"),
    )  # fmt: skip


def _setting(conn: Any, key: str) -> Any:
    row = conn.execute("SELECT value FROM local_setting WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row and row[0] is not None else None


def _put_setting(conn: Any, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO local_setting(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value, ensure_ascii=False)),
    )


def _made_here(conn: Any, staff_id: str) -> bool:
    """The staff row was created on this laptop (its insert waits or was refused), not pulled."""
    for table in ("outbox", "rejected_change"):
        found = conn.execute(
            f"SELECT 1 FROM {table} WHERE table_name = 'staff' AND row_id = ? AND op = 'insert'",
            (staff_id,),
        ).fetchone()
        if found:
            return True
    return False


def _ensure_staff(conn: Any, staff: dict[str, Any]) -> None:
    """A placeholder of the server's staff record until the first pull brings the real row
    (written the remote way: no outbox entry)."""
    if conn.execute("SELECT 1 FROM staff WHERE id = ?", (staff["id"],)).fetchone():
        return
    c = codec("staff")
    data = {
        "name": str(staff.get("name") or ""), "role": str(staff.get("role") or "outreach"),
        "agency_id": staff.get("agency_id"), "district_ids": list(staff.get("district_ids") or []),
        "active": True, "version": 1, "deleted": False,
        "created_at": "2000-01-01T00:00:00.000000", "updated_at": "2000-01-01T00:00:00.000000",
    }  # fmt: skip
    conn.execute(c.upsert_sql, c.row(str(staff["id"]), data))


def bind_local_staff(conn: Any, local_id: str, server_id: str) -> int:
    """Replace the laptop-made staff row ``local_id`` by the server's ``server_id``: every
    reference is rewritten (rows, waiting outbox entries, refused changes) and the local row and
    its own entries go (it is never pushed). Returns how many rows were rewritten."""
    n = 0
    for table, col in STAFF_COLUMNS:
        cur = conn.execute(
            f'UPDATE "{table}" SET "{col}" = ? WHERE "{col}" = ?', (server_id, local_id)
        )
        n += int(cur.rowcount or 0)
    columns: dict[str, set[str]] = {}
    for table, col in STAFF_COLUMNS:
        columns.setdefault(table, set()).add(col)
    for store_table, key in (("outbox", "seq"), ("rejected_change", "op_id")):
        marks = ",".join("?" * len(columns))
        rows = conn.execute(
            f"SELECT {key}, table_name, changes FROM {store_table} WHERE table_name IN ({marks})",
            sorted(columns),
        ).fetchall()
        for k, table, changes in rows:
            ch = json.loads(changes or "{}")
            changed = False
            for col in columns[table] & set(ch):
                pair = ch[col]
                if isinstance(pair, list) and local_id in pair:
                    ch[col] = [server_id if v == local_id else v for v in pair]
                    changed = True
            if changed:
                conn.execute(
                    f"UPDATE {store_table} SET changes = ? WHERE {key} = ?",
                    (json.dumps(ch, ensure_ascii=False), k),
                )
        conn.execute(
            f"DELETE FROM {store_table} WHERE table_name = 'staff' AND row_id = ?", (local_id,)
        )
    conn.execute("DELETE FROM staff WHERE id = ?", (local_id,))
    return n
