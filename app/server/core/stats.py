"""Planner statistics kept in step with bulk writes (PostgreSQL).

PostgreSQL plans every pull and push statement from the statistics of the tables they read.
Autovacuum refreshes them at most once per ``autovacuum_naptime`` (a minute by default) and
only after enough of a table changed, so right after a bulk load (a city's cases pushed by a
migration script, a first device uploading months of work) the planner still believes the
``record`` table is nearly empty. Measured on 545,000 freshly pushed records: the pull page
statement was then planned as a bitmap scan of the whole remaining cursor window and a sort
(555 ms per page of 5,000, and every page again), against 4 ms with an ordered index scan once
the table was analysed (``ANALYZE record``: 0.4 s).

So each server process counts the records it adds and, once they reach as many as the table
held at its last analysis (at least ``min_rows``: the statistics are never more than about
half wrong), analyses the sync tables in a background thread: the push that crossed the line
does not wait for it, at most one runs per process, and a table another session is vacuuming
or analysing is skipped (``SKIP_LOCKED``), not waited for. Nothing here is needed for
correctness: a failure is logged and forgotten.
"""

from __future__ import annotations

import threading
import weakref

from sqlalchemy import Engine, text

from app.server.core.logging import event

# The tables the sync statements plan on (records, op ids, the scope indexes).
TABLES = ("record", "applied_op", "case_index", "scope_link", "device_scope")
# A doubling at most between analyses: a bulk load of 100,000 records analyses ~4 times
# (each ~0.1-0.4 s of database time), not ~16 as with PostgreSQL's own 10-20% rule.
MIN_ROWS = 10_000
GROWTH = 1.0


class PlannerStats:
    def __init__(self, engine: Engine, *, min_rows: int = MIN_ROWS, growth: float = GROWTH):
        self._engine = engine
        self.enabled = engine.dialect.name == "postgresql"
        self._min_rows = min_rows
        self._growth = growth
        self._lock = threading.Lock()
        self._pending = 0  # records added by this process since the last analysis began
        self._known = 0.0  # rows in ``record`` at the last analysis (0: none by this process)
        self._thread: threading.Thread | None = None
        self.runs = 0  # completed analyses (for tests and the log)

    def wrote(self, rows: int) -> None:
        """``rows`` new records were just committed by this process."""
        if not self.enabled or rows <= 0:
            return
        with self._lock:
            self._pending += rows
            if self._thread is not None or self._pending < max(
                self._min_rows, self._growth * self._known
            ):
                return
            self._pending = 0
            self._thread = threading.Thread(
                target=self._analyse, name="yorisoi-analyse", daemon=True
            )
            self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a running analysis (tests, shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _analyse(self) -> None:
        known = self._known
        try:
            with self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql(f"ANALYZE (SKIP_LOCKED) {', '.join(TABLES)}")
                known = float(
                    conn.execute(
                        text("SELECT reltuples FROM pg_class WHERE relname = 'record'")
                    ).scalar_one_or_none()
                    or 0.0
                )
            self.runs += 1
            event("db.analyse", tables=len(TABLES), records=int(max(known, 0)))
        except Exception as exc:  # statistics are an optimisation: never fail a request
            event("db.analyse_failed", level=30, exception=type(exc).__name__)
        finally:
            with self._lock:
                self._known = max(known, 0.0)
                self._thread = None


_BY_ENGINE: weakref.WeakKeyDictionary[Engine, PlannerStats] = weakref.WeakKeyDictionary()
_REGISTRY_LOCK = threading.Lock()


def for_engine(engine: Engine) -> PlannerStats:
    """The process's statistics keeper for this database."""
    with _REGISTRY_LOCK:
        keeper = _BY_ENGINE.get(engine)
        if keeper is None:
            keeper = _BY_ENGINE[engine] = PlannerStats(engine)
        return keeper
