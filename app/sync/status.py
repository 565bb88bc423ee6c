"""What the status bar, the sync panel and the close/lock warning show: plain data read in one go.

The number of changes not yet sent is defined here once (``unsent_by_table``): outbox entries of
synced data, excluding audit events. Audit events are synced too, but they are the app's own
record of who opened what (one visit writes a dozen), not changes the user made, so counting them
would make a worker believe there is unsent work that is not theirs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.storage.db import Store
from app.sync import state

# Tables whose outbox entries are not "the user's own changes" (still pushed, just not counted).
NOT_COUNTED = ("audit_event",)
HEALTH_PATH = "/api/v1/health"
PROBE_TIMEOUT_S = 4.0

_NOT_COUNTED_SQL = ",".join(f"'{t}'" for t in NOT_COUNTED)


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    server_url: str | None = None
    staff_name: str | None = None
    last_sync_server_time: str | None = None  # by the server's clock (UTC ISO, as sent)
    last_error: str | None = None  # class name of the last failure, if the last attempt failed
    clock_skew_seconds: float | None = None
    clock_warning: bool = False
    pending: dict[str, int] = field(default_factory=dict)  # unsent changes by table
    open_conflicts: int = 0
    open_rejected: int = 0
    initial_complete: bool = False

    @property
    def pending_total(self) -> int:
        """The user's own changes not yet sent (the number every screen shows)."""
        return sum(self.pending.values())

    @property
    def last_sync_at(self) -> dt.datetime | None:
        """The last successful sync as an aware datetime in the local time zone."""
        return parse_utc(self.last_sync_server_time)


def parse_utc(value: str | None) -> dt.datetime | None:
    """A server timestamp (ISO, ``Z`` or offset; naive means UTC) in local time, or None."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone()


def format_local(when: dt.datetime | None, *, today: dt.date | None = None) -> str | None:
    """``2026-05-01 14:03`` in local time (``14:03`` alone when it is today), or None."""
    if when is None:
        return None
    local = when.astimezone()
    if local.date() == (today or dt.date.today()):
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def unsent_by_table(conn: Any) -> dict[str, int]:
    """The user's own changes not yet sent, by table (DB-API connection)."""
    rows = conn.execute(
        "SELECT table_name, count(*) FROM outbox "
        f"WHERE table_name NOT IN ({_NOT_COUNTED_SQL}) GROUP BY table_name ORDER BY table_name"
    )
    return {t: int(n) for t, n in rows}


def unsent_changes(store: Store) -> int:
    """The user's own changes not yet sent (the status bar, the sync panel, the lock warning)."""
    with store.raw() as raw:
        row = raw.driver_connection.execute(
            f"SELECT count(*) FROM outbox WHERE table_name NOT IN ({_NOT_COUNTED_SQL})"
        ).fetchone()
    return int(row[0])


def sync_status(store: Store) -> SyncStatus:
    enrollment = state.enrollment(store)
    with store.raw() as raw:
        conn = raw.driver_connection
        last = state.get(conn, "last_sync") or {}
        attempt = state.get(conn, "last_attempt") or {}
        pending = unsent_by_table(conn)
        cur = state.cursor(conn)
        conflicts = conn.execute("SELECT count(*) FROM conflict WHERE resolved_at IS NULL")
        n_conflicts = int(conflicts.fetchone()[0])
        rejected = conn.execute("SELECT count(*) FROM rejected_change WHERE dismissed = 0")
        n_rejected = int(rejected.fetchone()[0])
    skew = attempt.get("clock_skew_seconds", last.get("clock_skew_seconds"))
    return SyncStatus(
        enrolled=enrollment is not None,
        server_url=enrollment.server_url if enrollment else None,
        staff_name=enrollment.staff_name if enrollment else None,
        last_sync_server_time=last.get("server_time"),
        last_error=None if attempt.get("ok", True) else attempt.get("error"),
        clock_skew_seconds=skew,
        clock_warning=skew is not None and abs(float(skew)) > 300,
        pending=pending,
        open_conflicts=n_conflicts,
        open_rejected=n_rejected,
        initial_complete=cur.initial_complete,
    )


def has_unsynced(store: Store) -> bool:
    """Changes made here that the server has not acknowledged (warn before closing/locking)."""
    return unsent_changes(store) > 0


def server_reachable(server_url: str, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """A real check of the server: its unauthenticated health endpoint answers ``ok``.

    Blocking (call it off the UI thread). Any network error, timeout, non-2xx answer or a body
    that is not the health document counts as unreachable; nothing is logged but the kind."""
    import httpx

    try:
        resp = httpx.get(server_url.rstrip("/") + HEALTH_PATH, timeout=timeout)
        return resp.status_code == 200 and bool(resp.json().get("ok"))
    except (httpx.HTTPError, ValueError, AttributeError):
        return False
