"""One sync run: push the outbox, purge cases that left scope, pull from the cursor, purge again.

Every step commits on its own (a pushed batch's results; a pulled page with its cursor), so a
crash, a dropped connection or a cancel at any point is resumed by the next run, and replays
change nothing. Thread use: run on a worker thread, never the UI thread; one run at a time per
database file in this process (another process may sync too: a pulled page is only applied if
the cursor is still where it was read, and results only for entries still in the outbox).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

from app.protocol.ids import new_id
from app.protocol.limits import MAX_PULL_LIMIT
from app.storage.db import Store
from app.sync import state
from app.sync.apply import PreparedPage, apply_page, build_pending_index, prepare_page
from app.sync.errors import (
    DeviceRevoked,
    NotEnrolled,
    SyncCancelled,
    SyncError,
    SyncInProgress,
    SyncRejected,
)
from app.sync.merge_completion import complete_merges
from app.sync.purge import run_pending_purges
from app.sync.push import MAX_BATCH, PushTally, next_batch, pending_by_table, record_results
from app.sync.rejected import expire_trash
from app.sync.transport import Transport
from app.sync.wipe import wipe_local_database

log = logging.getLogger(__name__)

CLOCK_WARNING_SECONDS = 300.0
REFRESH_BEFORE = dt.timedelta(days=5)
_RUNNING: dict[str, threading.Lock] = {}
_RUNNING_GUARD = threading.Lock()


@dataclass(frozen=True)
class SyncProgress:
    phase: str  # push / pull / index / purge
    done: int
    total: int | None = None


@dataclass(frozen=True)
class SyncSummary:
    ok: bool
    server_time: str | None  # of the last answer: the last successful sync, by the server's clock
    pushed: int = 0
    applied: int = 0
    conflicts: int = 0
    rejected: int = 0
    unanswered: int = 0
    pulled: int = 0
    pages: int = 0
    purged_cases: int = 0
    pending_purges: int = 0
    cursor: int = 0
    initial_complete: bool = False
    pending: dict[str, int] = field(default_factory=dict)
    open_conflicts: int = 0
    open_rejected: int = 0
    clock_skew_seconds: float | None = None
    clock_warning: bool = False
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def parse_server_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_GC_GUARD = threading.Lock()
_GC_USERS: list[tuple[int, ...]] = []  # the thresholds before the first user, per nesting


@contextlib.contextmanager
def fewer_collections(threshold: int = 50_000) -> Iterator[None]:
    """Run the garbage collector's youngest generation every ``threshold`` allocations instead
    of every 700 while pages are decoded and applied. A page is hundreds of thousands of small,
    acyclic objects (freed by reference counting); the default threshold makes the collector
    walk them again and again (about 15% of a first sync's CPU time, measured). The setting is
    process-wide: overlapping runs (two databases) restore it only when the last one ends."""
    with _GC_GUARD:
        old: tuple[int, ...]
        if not _GC_USERS:
            old = gc.get_threshold()
            gc.set_threshold(max(old[0], threshold), *old[1:])
        else:
            old = _GC_USERS[0]
        _GC_USERS.append(old)
    try:
        yield
    finally:
        with _GC_GUARD:
            first = _GC_USERS.pop()
            if not _GC_USERS:
                gc.set_threshold(*first)


def _run_lock(store: Store) -> threading.Lock:
    with _RUNNING_GUARD:
        return _RUNNING.setdefault(str(store.path.resolve()), threading.Lock())


class SyncEngine:
    def __init__(
        self,
        store: Store,
        *,
        transport: Transport | None = None,
        page_limit: int = MAX_PULL_LIMIT,
        push_limit: int = MAX_BATCH,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: threading.Event | None = None,
        step: Callable[[str], None] | None = None,
        clock: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        self.store = store
        self.transport = transport
        self.page_limit = page_limit
        self.push_limit = push_limit
        self.progress = progress or (lambda _p: None)
        self.cancel = cancel or threading.Event()
        self.step = step or (lambda _name: None)
        self.clock = clock
        self.skew: float | None = None
        self.server_time: str | None = None

    # --- the run --------------------------------------------------------------------------------

    def run(self) -> SyncSummary:
        lock = _run_lock(self.store)
        if not lock.acquire(blocking=False):
            raise SyncInProgress()
        try:
            return self._run()
        finally:
            lock.release()

    def _run(self) -> SyncSummary:
        started = time.perf_counter()
        enrollment = state.enrollment(self.store)
        if enrollment is None:
            raise NotEnrolled()
        own = self.transport is None
        transport = self.transport or Transport(enrollment.server_url, enrollment.token)
        try:
            self._maybe_refresh(transport, enrollment)
            tally = self._push(transport)
            purged = run_pending_purges(self.store)
            with fewer_collections():
                pulled, pages = self._pull(transport)
                # Normally built as the last page of a first snapshot went in; this finishes
                # one a crash or an error interrupted.
                build_pending_index(self.store, indexing=self._indexing, check=self._check_cancel)
            purged2 = run_pending_purges(self.store)
            # References this laptop made to a record merged meanwhile go to the survivor,
            # and are sent now (app.sync.merge_completion).
            if complete_merges(self.store):
                tally.add(self._push(transport))
            expire_trash(self.store)  # dismissed refusals older than the trash keeps them
            self.progress(SyncProgress("purge", purged.purged + purged2.purged))
        except DeviceRevoked as exc:
            log.warning("device revoked by the server: wiping local data")
            exc.wipe = wipe_local_database(self.store)  # the message tells what was lost
            raise
        except BaseException as exc:
            self._note_failure(exc)
            raise
        finally:
            if own:
                transport.close()
        return self._finish(tally, pulled, pages, purged.purged + purged2.purged, started)

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise SyncCancelled()

    def _saw(self, transport: Transport) -> None:
        """Note the server's clock from an answer; ordering never uses the laptop's clock."""
        server = parse_server_time(transport.last_server_time)
        if server is None:
            return
        self.server_time = transport.last_server_time
        self.skew = round((self.clock() - server).total_seconds(), 3)

    def _maybe_refresh(self, transport: Transport, enrollment: state.Enrollment) -> None:
        expires = parse_server_time(enrollment.expires_at)
        if expires is None or expires - self.clock() > REFRESH_BEFORE:
            return
        answer = transport.refresh()
        if answer.get("token"):
            value = state.read(self.store, "enrollment") or {}
            value.update(token=answer["token"], expires_at=answer.get("expires_at"))
            state.write(self.store, "enrollment", value)
            transport.set_token(str(answer["token"]))

    def _push(self, transport: Transport) -> PushTally:
        tally = PushTally()
        with self.store.raw() as raw:
            total = sum(pending_by_table(raw.driver_connection).values())
        done = 0
        self.progress(SyncProgress("push", 0, total))
        while True:
            self._check_cancel()
            items = next_batch(self.store, self.push_limit)
            if not items:
                break
            answer = transport.push(new_id(), [i.wire() for i in items])
            self._saw(transport)
            self.step("push:sent")
            batch = record_results(self.store, items, answer)
            self.step("push:recorded")
            tally.add(batch)
            done += len(items) - batch.unanswered
            self.progress(SyncProgress("push", done, max(total, done)))
            if batch.unanswered:
                break  # the server left some unanswered: they stay queued for the next run
        return tally

    def _pull(self, transport: Transport) -> tuple[int, int]:
        """Pages in cursor order; the next page is fetched while this one is applied (the server
        and the client then work at the same time). A prefetched page is used only if the page
        before it was applied and moved the cursor exactly to where it was fetched from."""
        with self.store.raw() as raw:
            position = state.cursor(raw.driver_connection).position
            report = device_report(raw.driver_connection)
        pulled = pages = 0
        self.progress(SyncProgress("pull", 0, None))

        def fetch(cursor: int) -> PreparedPage:
            return prepare_page(transport.pull(cursor, self.page_limit, report), cursor)

        # The pool (a thread) is made only when a second page is coming: an incremental sync of
        # one page fetches it on this thread and starts no thread at all.
        pool: ThreadPoolExecutor | None = None

        def ahead_of(cursor: int) -> Future[PreparedPage]:
            nonlocal pool
            if pool is None:
                pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull")
            return pool.submit(fetch, cursor)

        try:
            ahead: tuple[int, Future[PreparedPage]] | None = None
            while True:
                self._check_cancel()
                try:
                    if ahead is None or ahead[0] != position:
                        ahead = None
                        page = fetch(position)
                    else:
                        page = ahead[1].result()
                except SyncRejected as exc:
                    if exc.code not in ("cursor_reset", "cursor_ahead"):
                        raise
                    position, ahead = self._restart_from_zero(), None
                    continue
                self._saw(transport)
                self.step("pull:received")
                more, nxt = page.has_more, page.next_cursor
                ahead = (nxt, ahead_of(nxt)) if more else None
                result = apply_page(
                    self.store, page, position, indexing=self._indexing, check=self._check_cancel
                )
                self.step("pull:applied")
                position = result.cursor
                if result.stale:
                    continue  # another run moved the cursor: continue from where it is now
                pulled += result.applied
                pages += 1
                self.progress(SyncProgress("pull", pulled, None))
                if not more:
                    return pulled, pages
        finally:
            if pool is not None:
                pool.shutdown(wait=True)

    def _indexing(self, documents: int) -> None:
        """The search index of a first snapshot is being built (a few seconds for a large
        scope): its own phase, so the panel does not sit at the last page's count."""
        self.progress(SyncProgress("index", 0, documents))

    def _restart_from_zero(self) -> int:
        """The server is behind this device's cursor (restored from a backup): pull everything."""
        log.warning("server sequence is behind the local cursor: starting a full pull")
        with self.store.raw() as raw:
            conn = raw.driver_connection
            conn.execute("BEGIN IMMEDIATE")
            state.put_cursor(conn, 0, False)
            conn.execute("COMMIT")
        return 0

    # --- bookkeeping ----------------------------------------------------------------------------

    def _note_failure(self, exc: BaseException) -> None:
        if self.store.is_locked:
            return
        try:
            state.write(self.store, "last_attempt", {
                "ok": False, "error": type(exc).__name__, "server_time": self.server_time,
                "clock_skew_seconds": self.skew})  # fmt: skip
        except Exception:  # recording the failure must never hide the failure itself
            log.debug("could not record the failed sync", exc_info=True)

    def _finish(
        self, tally: PushTally, pulled: int, pages: int, purged: int, started: float
    ) -> SyncSummary:
        with self.store.raw() as raw:
            conn = raw.driver_connection
            pending = pending_by_table(conn)
            cur = state.cursor(conn)
            queued = len(state.get(conn, "pending_purge", []) or [])
            open_conflicts = conn.execute(
                "SELECT count(*) FROM conflict WHERE resolved_at IS NULL").fetchone()[0]  # fmt: skip
            open_rejected = conn.execute(
                "SELECT count(*) FROM rejected_change WHERE dismissed = 0").fetchone()[0]  # fmt: skip
        warning = self.skew is not None and abs(self.skew) > CLOCK_WARNING_SECONDS
        summary = SyncSummary(
            ok=True, server_time=self.server_time,
            pushed=tally.applied + tally.conflicts + tally.rejected, applied=tally.applied,
            conflicts=tally.conflicts, rejected=tally.rejected, unanswered=tally.unanswered,
            pulled=pulled, pages=pages, purged_cases=purged, pending_purges=queued,
            cursor=cur.position, initial_complete=cur.initial_complete, pending=pending,
            open_conflicts=int(open_conflicts), open_rejected=int(open_rejected),
            clock_skew_seconds=self.skew, clock_warning=warning,
            seconds=round(time.perf_counter() - started, 3),
        )  # fmt: skip
        with self.store.raw() as raw:
            conn = raw.driver_connection
            conn.execute("BEGIN IMMEDIATE")
            try:
                state.put(conn, "last_sync", summary.to_json())
                state.put(conn, "last_attempt", {"ok": True, "server_time": self.server_time,
                                                 "clock_skew_seconds": self.skew})  # fmt: skip
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return summary


def device_report(conn: Any) -> tuple[int, int]:
    """What the laptop reports of itself at each pull, for the administrators' device health:
    changes still waiting to be pushed (after this run's push) and refused changes nobody
    dismissed yet. Counts only."""
    pending = sum(pending_by_table(conn).values())
    rejected = conn.execute("SELECT count(*) FROM rejected_change WHERE dismissed = 0").fetchone()[
        0
    ]
    return int(pending), int(rejected)


def sync(store: Store, **kwargs: Any) -> SyncSummary:
    """Convenience: one run with the enrolled server."""
    return SyncEngine(store, **kwargs).run()


__all__ = ["SyncEngine", "SyncError", "SyncProgress", "SyncSummary", "sync"]
