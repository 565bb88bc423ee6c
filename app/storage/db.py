"""The unlocked encrypted database: connections, sessions, rekeying and locking.

Creating, opening (with migrations), checking a passphrase and restoring are the store's life
cycle, in ``app.storage.lifecycle``; this module needs neither migrations nor backups.

Thread use: a ``Store`` may be shared between threads; each unit of work takes its own
``Session`` from ``store.session()``. There is exactly one pooled SQLCipher connection
(key derivation costs ~100 ms per connection), handed to one session at a time.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from app.domain.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseLocked,
    DiskFull,
    WrongPassphrase,
)
from app.storage import collation, outbox, search
from app.storage.cipher import open_keyed, quick_check, quote
from app.storage.passphrase import check_new_passphrase

log = logging.getLogger(__name__)


def connect(path: Path, passphrase: str | None) -> Any:
    """Open a DB-API connection, apply the key and prove it with a query straight away
    (app.storage.cipher.open_keyed), then set it up for the store (``configure``).
    ``passphrase=None`` opens without a key (the benchmarks' plain baseline)."""
    return configure(open_keyed(path, passphrase))


def configure(conn: Any) -> Any:
    """Set up a connection that proved its key: the SQL functions and pragmas the store uses."""
    conn.create_function("kana_key", 2, collation.kana_key, deterministic=True)  # 五十音 order
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA temp_store = MEMORY")  # no unencrypted temp files on disk
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA cache_size = -24576")  # 24 MiB of decrypted pages: fewer re-decrypts
    return conn


def set_wal(conn: Any) -> None:
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":  # pragma: no cover - only on odd file systems
        log.warning("journal mode is %s, not wal", mode)


def translate_db_error(exc: BaseException) -> BaseException:
    """Map low-level storage errors to named domain errors (no SQL or values in the text)."""
    orig = getattr(exc, "orig", exc)
    msg = str(orig).lower()
    if isinstance(orig, OSError) and orig.errno == errno.ENOSPC:
        return DiskFull()
    if "database or disk is full" in msg or "disk i/o error" in msg and "full" in msg:
        return DiskFull()
    if "database is locked" in msg or "database is busy" in msg:
        return DatabaseBusy()
    if "malformed" in msg or "not a database" in msg:
        return DatabaseDamaged()
    return exc


@dataclass
class Store:
    """An unlocked database. ``lock()`` drops the engine and the key."""

    path: Path
    engine: Engine | None
    _passphrase: str | None = field(repr=False)
    _factory: sessionmaker[Session] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    plain: bool = False  # unencrypted: only for benchmarks' baseline, never for real data
    # The connection that proved the key on open becomes the pool's connection (one KDF).
    _preopened: Any = field(default=None, repr=False)
    # None while running or when none ran; then "ok", "damaged" or "interrupted"
    _integrity: str | None = field(default=None, repr=False)
    _integrity_done: threading.Event = field(default_factory=threading.Event, repr=False)
    _check: _BackgroundCheck | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.engine is None and (self._passphrase is not None or self.plain):
            # The creator asks the store for the key each time, so a rekey takes effect.
            self.engine = _make_engine(self.path, lambda: self._passphrase, self._take_preopened)
        self._factory = _session_factory(self.engine)

    @classmethod
    def keyed(
        cls, path: Path, passphrase: str | None, *, plain: bool = False, preopened: Any = None
    ) -> Store:
        """A store on ``path`` using ``passphrase`` for every connection it opens.
        ``preopened``, a connection that already proved the key, becomes the pool's first."""
        return cls(path=path, engine=None, _passphrase=passphrase, plain=plain,
                   _preopened=preopened)  # fmt: skip

    def _take_preopened(self) -> Any:
        conn, self._preopened = self._preopened, None
        return conn

    def start_background_check(self) -> None:
        """Run the full quick_check on its own connection without holding up the unlock
        (large files). ``integrity_status()`` reports the outcome. Locking the store, or the
        process exiting, interrupts it (see ``_BackgroundCheck``)."""
        check = _BackgroundCheck()

        def work() -> None:
            try:
                conn = check.attach(connect(self.path, self._passphrase))
                try:
                    conn.execute("PRAGMA cache_size = -1024")  # a scan: don't hoard pages
                    quick_check(conn)
                    self._integrity = "ok"
                finally:
                    check.detach()
                    conn.close()
            except DatabaseDamaged:
                self._integrity = "damaged"
                log.error("integrity check failed: the database is damaged")
            except Exception as exc:  # locked or exiting meanwhile, file replaced...: no verdict
                self._integrity = "interrupted"
                log.info("integrity check interrupted (%s): no verdict", type(exc).__name__)
            finally:
                self._integrity_done.set()

        self._check = check
        check.start(work)

    def integrity_status(self, wait: float | None = 0) -> str | None:
        """'ok', 'damaged' (SQLite found damage), 'interrupted' (stopped before a verdict:
        locked, exiting), or None while a background check runs (or none was needed)."""
        self._integrity_done.wait(wait)
        return self._integrity

    @property
    def is_locked(self) -> bool:
        return self.engine is None

    @contextlib.contextmanager
    def session(self, *, remote: bool = False) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error.

        ``remote=True`` marks changes that came from the server (no outbox entries).
        """
        if self._factory is None or self.engine is None:
            raise DatabaseLocked()
        session = self._factory()
        session.info["remote"] = remote
        try:
            yield session
            session.commit()
        except (OperationalError, DBAPIError) as exc:
            session.rollback()
            mapped = translate_db_error(exc)
            if mapped is exc:
                raise
            raise mapped from None
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextlib.contextmanager
    def raw(self) -> Iterator[Any]:
        """The DB-API connection, for bulk work (backup, demo build, sync apply)."""
        if self.engine is None:
            raise DatabaseLocked()
        conn = self.engine.raw_connection()
        try:
            yield conn
        finally:
            conn.close()

    @contextlib.contextmanager
    def reader(self) -> Iterator[Any]:
        """A read-only DB-API connection of its own, for reading on another thread beside a
        write on ``raw()``. Opening it derives the key again (~0.1 s). In WAL mode it sees
        what was committed when its first read began."""
        if self.engine is None:
            raise DatabaseLocked()
        conn = connect(self.path, self._passphrase)
        try:
            conn.execute("PRAGMA query_only = ON")
            yield conn
        finally:
            conn.close()

    def connect_same_key(self, path: Path) -> Any:
        """A DB-API connection to another file keyed with this store's key (a backup's target,
        which is then never unencrypted on disk)."""
        if self.engine is None:
            raise DatabaseLocked()
        return connect(path, self._passphrase)

    def passphrase_matches(self, candidate: str) -> bool:
        return self._passphrase is not None and candidate == self._passphrase

    def rekey(self, old: str, new: str) -> None:
        if not self.passphrase_matches(old):
            raise WrongPassphrase()
        check_new_passphrase(new)
        with self.raw() as conn:
            dbapi = conn.driver_connection
            dbapi.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            dbapi.execute(f"PRAGMA rekey = {quote(new)}")
            dbapi.execute("SELECT count(*) FROM sqlite_master").fetchone()
        self._passphrase = new
        # New connections must use the new key: drop the pooled one.
        assert self.engine is not None
        self.engine.dispose()

    def lock(self) -> None:
        """Close every connection and forget the key."""
        if self._check is not None:
            self._check.stop()
            self._check = None
        if self._preopened is not None:
            self._preopened.close()
            self._preopened = None
        if self.engine is not None:
            self.engine.dispose()
        self.engine = None
        self._factory = None
        self._passphrase = None
        search.clear_caches()
        collation.clear_caches()

    close = lock


class _BackgroundCheck:
    """A quick_check running on a daemon thread, which ``stop()`` interrupts and waits for.

    A daemon thread still inside SQLite when the interpreter shuts down is left running
    while Python frees what it uses: at exit that crashed the process now and then
    ("double free or corruption", SIGSEGV; 2 of 20 runs of a script that exited during the
    check of a 350 MB database). So every check still running at exit is stopped first."""

    _running: set[_BackgroundCheck] = set()
    _guard = threading.Lock()

    def __init__(self) -> None:
        self._conn: Any = None
        self._stopped = False
        self._thread: threading.Thread | None = None

    def start(self, work: Callable[[], None]) -> None:
        def run() -> None:
            try:
                work()
            finally:
                with _BackgroundCheck._guard:
                    _BackgroundCheck._running.discard(self)

        with _BackgroundCheck._guard:
            _BackgroundCheck._running.add(self)
        self._thread = threading.Thread(target=run, name="yorisoi-integrity", daemon=True)
        self._thread.start()

    def attach(self, conn: Any) -> Any:
        with _BackgroundCheck._guard:
            if self._stopped:
                conn.close()
                raise DatabaseLocked()
            self._conn = conn
        # Also asked every 10,000 steps: an interrupt() that comes between two statements
        # (before quick_check starts) would otherwise be lost.
        conn.set_progress_handler(lambda: 1 if self._stopped else 0, 10_000)
        return conn

    def detach(self) -> None:
        with _BackgroundCheck._guard:
            self._conn = None

    def stop(self, timeout: float = 10.0) -> None:
        with _BackgroundCheck._guard:
            self._stopped = True
            if self._conn is not None:
                self._conn.interrupt()  # the check ends with "interrupted" at its next step
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    @classmethod
    def stop_all(cls) -> None:
        with cls._guard:
            running = list(cls._running)
        for check in running:
            check.stop()


atexit.register(_BackgroundCheck.stop_all)


def _session_factory(engine: Engine | None) -> sessionmaker[Session]:
    """The store's sessions, and only they, carry the two flush hooks: every edit writes its
    outbox entry (app.storage.outbox) and keeps the search index current (app.storage.search),
    in the same transaction as the edit."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    event.listen(factory, "before_flush", outbox.write_outbox)
    event.listen(factory, "after_flush", search.reindex_flushed)
    return factory


def _make_engine(
    path: Path,
    passphrase: Callable[[], str | None],
    preopened: Callable[[], Any] = lambda: None,
) -> Engine:
    def creator() -> Any:
        ready = preopened()
        if ready is not None:
            return ready
        conn = connect(path, passphrase())
        set_wal(conn)
        return conn

    engine = create_engine(
        "sqlite://",
        creator=creator,
        module=sqlcipher3.dbapi2,  # so SQLAlchemy wraps sqlcipher3's own exception classes
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=60,
        pool_pre_ping=False,
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:  # pragma: no cover - trivial
        # pysqlite's own transaction handling is off (isolation_level=None below); we BEGIN
        # ourselves so SAVEPOINT and DDL work inside transactions.
        conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    return engine


def execute(store: Store, sql: str, **params: Any) -> list[Any]:
    with store.session() as s:
        return list(s.execute(text(sql), params))
