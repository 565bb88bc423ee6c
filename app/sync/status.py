"""What the sync panel and the close/lock warning show: plain data read in one go."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.storage.db import Store
from app.sync import state
from app.sync.push import pending_by_table


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    server_url: str | None = None
    staff_name: str | None = None
    last_sync_server_time: str | None = None  # by the server's clock
    last_error: str | None = None  # class name of the last failure, if the last attempt failed
    clock_skew_seconds: float | None = None
    clock_warning: bool = False
    pending: dict[str, int] = field(default_factory=dict)
    open_conflicts: int = 0
    open_rejected: int = 0
    initial_complete: bool = False

    @property
    def pending_total(self) -> int:
        return sum(self.pending.values())


def sync_status(store: Store) -> SyncStatus:
    enrollment = state.enrollment(store)
    with store.raw() as raw:
        conn = raw.driver_connection
        last = state.get(conn, "last_sync") or {}
        attempt = state.get(conn, "last_attempt") or {}
        pending = pending_by_table(conn)
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
    """Changes typed here that the server has not acknowledged (warn before closing/locking)."""
    with store.raw() as raw:
        return raw.driver_connection.execute("SELECT 1 FROM outbox LIMIT 1").fetchone() is not None
