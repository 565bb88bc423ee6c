"""The encrypted store: keys, wrong passphrases, damage, rekey, locking, plain-text leaks."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
from pathlib import Path

import pytest

from app.domain.errors import (
    DatabaseDamaged,
    DatabaseExists,
    DatabaseLocked,
    DatabaseMissing,
    WeakPassphrase,
    WrongPassphrase,
)
from app.services import households
from app.storage.lifecycle import check_passphrase, create_database, open_database
from tests.conftest import PASSPHRASE

SECRET_NAME = "秘密山 花子"
SECRET_NOTE = "UNIQUEPLAINTEXTMARKER"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(path: Path) -> list[Path]:
    return [p for p in path.parent.iterdir() if p.name.startswith(path.name)]


def test_plain_sqlite_cannot_read_and_no_plaintext_on_disk(store, actor, db_path):
    with store.session() as s:
        households.create_person(s, actor, name=SECRET_NAME, notes=SECRET_NOTE, phone="09011112222")
    # Data is still in the WAL here (not checkpointed): check the WAL too.
    for f in _files(db_path):
        data = f.read_bytes()
        assert SECRET_NOTE.encode() not in data, f.name
        assert SECRET_NAME.encode() not in data, f.name
        assert b"09011112222" not in data, f.name
    strings = subprocess.run(["strings", str(db_path)], capture_output=True, text=True).stdout
    assert SECRET_NOTE not in strings
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(db_path).execute("SELECT * FROM sqlite_master").fetchall()


def test_wrong_passphrase_is_named_and_file_untouched(store, db_path):
    store.lock()
    before = {f.name: _digest(f) for f in _files(db_path)}
    with pytest.raises(WrongPassphrase) as err:
        open_database(db_path, "not the right passphrase at all")
    assert "パスフレーズ" in err.value.message("ja")
    assert "passphrase" in err.value.message("en").lower()
    after = {f.name: _digest(f) for f in _files(db_path)}
    assert before == after
    assert check_passphrase(db_path, PASSPHRASE)
    assert not check_passphrase(db_path, "nope nope nope nope")


def test_weak_and_short_passphrases_refused(tmp_path):
    for weak in ("short", "password123", "aaaaaaaaaaaaaa"):
        with pytest.raises(WeakPassphrase):
            create_database(tmp_path / f"{len(weak)}.db", weak)
    assert not list(tmp_path.glob("*.db"))


def test_create_refuses_to_overwrite(store, db_path):
    with pytest.raises(DatabaseExists):
        create_database(db_path, PASSPHRASE)


def test_missing_file(tmp_path):
    with pytest.raises(DatabaseMissing):
        open_database(tmp_path / "nothing.db", PASSPHRASE)


def test_damaged_file_gives_clear_error(demo_store, db_path):
    demo_store.lock()
    # Fold the WAL in, then scribble over a page in the middle of the file.
    c = open_database(db_path, PASSPHRASE, migrate=False, integrity=False)
    with c.raw() as conn:
        conn.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.lock()
    size = db_path.stat().st_size
    assert size > 64 * 4096
    with db_path.open("r+b") as f:
        f.seek((size // 4096 // 2) * 4096 + 100)
        f.write(b"\x00" * 512)
    with pytest.raises(DatabaseDamaged) as err:
        open_database(db_path, PASSPHRASE)
    assert "restore" in err.value.message("en")


def test_rekey_then_old_passphrase_fails(store, actor, db_path):
    new = "violet tundra kettle harmonica"
    with store.session() as s:
        households.create_person(s, actor, name="鍵変 太郎")
    store.rekey(PASSPHRASE, new)
    with store.session() as s:  # still usable after rekey
        households.create_person(s, actor, name="鍵変 次郎")
    store.lock()
    with pytest.raises(WrongPassphrase):
        open_database(db_path, PASSPHRASE)
    reopened = open_database(db_path, new)
    from sqlalchemy import func, select

    from app.storage.models import Person

    with reopened.session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 2
    reopened.lock()


def test_rekey_refuses_wrong_old_and_weak_new(store):
    with pytest.raises(WrongPassphrase):
        store.rekey("wrong old passphrase here", "violet tundra kettle harmonica")
    with pytest.raises(WeakPassphrase):
        store.rekey(PASSPHRASE, "weak")


def test_lock_drops_key(store):
    store.lock()
    assert store.is_locked
    with pytest.raises(DatabaseLocked), store.session():
        pass
    assert store._passphrase is None


def test_one_pooled_connection_and_pragmas(store):
    with store.raw() as conn:
        dbapi = conn.driver_connection
        assert dbapi.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert dbapi.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert dbapi.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")
    assert store.engine is not None
    assert store.engine.pool.size() == 1


def _damage_middle(db_path: Path) -> None:
    c = open_database(db_path, PASSPHRASE, migrate=False, integrity=False)
    with c.raw() as conn:
        conn.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.lock()
    size = db_path.stat().st_size
    with db_path.open("r+b") as f:
        f.seek((size // 4096 // 2) * 4096 + 100)
        f.write(b"\x00" * 512)


def test_large_file_is_checked_in_background(demo_store, db_path, monkeypatch):
    import app.storage.lifecycle

    demo_store.lock()
    monkeypatch.setattr(app.storage.lifecycle, "SYNC_CHECK_MAX_BYTES", 1024)
    healthy = open_database(db_path, PASSPHRASE)
    assert healthy.integrity_status(wait=30) == "ok"
    healthy.lock()
    _damage_middle(db_path)
    damaged = open_database(db_path, PASSPHRASE)  # unlock returns at once...
    assert damaged.integrity_status(wait=30) == "damaged"  # ...and the check reports it
    damaged.lock()


def test_reading_a_damaged_page_gives_named_error(demo_store, db_path):
    from sqlalchemy import text

    demo_store.lock()
    _damage_middle(db_path)
    size = db_path.stat().st_size
    with db_path.open("r+b") as f:  # and every 8th page of the middle third, so table pages too
        for page in range(size // 4096 // 3, 2 * size // 4096 // 3, 8):
            f.seek(page * 4096 + 64)
            f.write(b"\x5a" * 256)
    store = open_database(db_path, PASSPHRASE, integrity=False)
    with pytest.raises(DatabaseDamaged):
        for table in ("contact_record", "person", "case", "household_member", "search_doc"):
            with store.session() as s:
                s.execute(text(f'SELECT * FROM "{table}"')).all()
    store.lock()


def test_lock_forgets_memoised_search_text(store, actor):
    from app.storage import search

    with store.session() as s:
        households.create_person(s, actor, name="記憶 消去")
    assert search._normalize.cache_info().currsize > 0
    store.lock()
    assert search._normalize.cache_info().currsize == 0


def test_locking_or_exiting_stops_a_running_background_check(demo_store, db_path, monkeypatch):
    """A check left running inside SQLite on a daemon thread crashed the interpreter's exit
    now and then; locking interrupts it, and so does the exit hook for a store never locked."""
    import threading

    import app.storage.db as dbmod
    import app.storage.lifecycle

    demo_store.lock()
    monkeypatch.setattr(app.storage.lifecycle, "SYNC_CHECK_MAX_BYTES", 1024)
    slowed = threading.Event()

    def slow_check(conn):  # a check long enough to be caught running
        slowed.set()
        conn.execute(
            "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 10000000000) "
            "SELECT count(*) FROM r"
        ).fetchone()

    monkeypatch.setattr(dbmod, "quick_check", slow_check)
    for stop in ("lock", "exit hook"):
        store = open_database(db_path, PASSPHRASE)
        assert slowed.wait(30)
        check = store._check
        assert check is not None and check in dbmod._BackgroundCheck._running
        if stop == "lock":
            store.lock()
        else:
            dbmod._BackgroundCheck.stop_all()  # what atexit runs
        assert check._thread is not None and not check._thread.is_alive()
        assert check not in dbmod._BackgroundCheck._running
        assert store.integrity_status(wait=0) == "interrupted"  # not a verdict
        store.lock()
        slowed.clear()


@pytest.mark.parametrize("stop", ["lock", "exit hook"])
def test_an_interrupted_integrity_check_is_no_verdict(
    store, actor, db_path, monkeypatch, caplog, stop
):
    """The real quick_check on a few-MB file, interrupted by locking (or the exit hook) while
    SQLite runs it: reported as interrupted, never as damage (it was taken for damage)."""
    import logging
    import threading

    import app.storage.db as dbmod
    import app.storage.lifecycle
    from app.services.demo import build_demo

    build_demo(store, persons=1500)
    with store.raw() as conn:
        conn.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.lock()
    assert db_path.stat().st_size > 4 * 1024 * 1024
    monkeypatch.setattr(app.storage.lifecycle, "SYNC_CHECK_MAX_BYTES", 1024)
    running = threading.Event()
    attach = dbmod._BackgroundCheck.attach

    def attach_and_watch(self, conn):
        conn = attach(self, conn)
        conn.set_trace_callback(lambda sql: running.set() if "quick_check" in sql else None)
        return conn

    monkeypatch.setattr(dbmod._BackgroundCheck, "attach", attach_and_watch)
    caplog.set_level(logging.INFO, logger="app.storage.db")
    opened = app.storage.lifecycle.open_database(db_path, PASSPHRASE)
    assert running.wait(30)  # SQLite is inside the check now
    if stop == "lock":
        opened.lock()
    else:
        dbmod._BackgroundCheck.stop_all()  # what atexit runs
    assert opened.integrity_status(wait=30) == "interrupted"
    assert "damaged" not in caplog.text and "failed" not in caplog.text
    assert "interrupted" in caplog.text
    opened.lock()
    healthy = app.storage.lifecycle.open_database(db_path, PASSPHRASE)  # and it is healthy
    assert healthy.integrity_status(wait=60) == "ok"
    healthy.lock()
