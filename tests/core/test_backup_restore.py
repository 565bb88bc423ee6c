"""Backups are encrypted and consistent; restore swaps atomically and keeps the old file."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import func, select

from app.domain.errors import WrongPassphrase
from app.services import households
from app.storage.backup import backup_to
from app.storage.lifecycle import open_database, restore_from
from app.storage.models import Person
from tests.conftest import PASSPHRASE


def _count(store) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(Person)))


def test_backup_is_encrypted_and_opens(demo_store, tmp_path):
    out = backup_to(demo_store, tmp_path / "b.db")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(out).execute("SELECT 1 FROM sqlite_master").fetchall()
    copy = open_database(out, PASSPHRASE)
    assert _count(copy) == _count(demo_store)
    copy.lock()


def test_backup_while_writing_is_consistent(demo_store, actor, tmp_path):
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            with demo_store.session() as s:
                households.create_person(s, actor, name="書込 中")

    t = threading.Thread(target=writer)
    t.start()
    try:
        out = backup_to(demo_store, tmp_path / "live.db")
    finally:
        stop.set()
        t.join()
    copy = open_database(out, PASSPHRASE)  # quick_check passes
    assert _count(copy) >= 300
    copy.lock()


def test_restore_replaces_and_keeps_old(demo_store, actor, db_path, tmp_path):
    out = backup_to(demo_store, tmp_path / "b.db")
    before = _count(demo_store)
    with demo_store.session() as s:
        households.create_person(s, actor, name="後で 追加")
    demo_store.lock()
    kept = restore_from(out, db_path, PASSPHRASE)
    assert kept.exists()
    restored = open_database(db_path, PASSPHRASE)
    assert _count(restored) == before
    restored.lock()
    old = open_database(kept, PASSPHRASE)
    assert _count(old) == before + 1
    old.lock()


def test_restore_with_wrong_passphrase_changes_nothing(demo_store, db_path, tmp_path):
    out = backup_to(demo_store, tmp_path / "b.db")
    demo_store.lock()
    original = db_path.read_bytes()
    with pytest.raises(WrongPassphrase):
        restore_from(out, db_path, "a different passphrase entirely")
    assert db_path.read_bytes() == original


def test_restore_of_corrupt_backup_changes_nothing(demo_store, db_path, tmp_path):
    out = backup_to(demo_store, tmp_path / "b.db")
    demo_store.lock()
    data = bytearray(out.read_bytes())
    mid = (len(data) // 4096 // 2) * 4096 + 200
    data[mid : mid + 300] = b"\xff" * 300
    out.write_bytes(bytes(data))
    original = db_path.read_bytes()
    with pytest.raises(Exception):  # noqa: B017 - DatabaseDamaged or WrongPassphrase by page
        restore_from(out, db_path, PASSPHRASE)
    assert db_path.read_bytes() == original
    open_database(db_path, PASSPHRASE).lock()


def test_backup_to_full_disk_leaves_no_partial_file(demo_store, tmp_path, monkeypatch):
    """A write failure (ENOSPC at the file boundary) gives DiskFull and no half backup."""
    import errno
    import os

    from app.domain.errors import DiskFull

    real_replace = os.replace

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(DiskFull):
        backup_to(demo_store, tmp_path / "full.db")
    monkeypatch.setattr(os, "replace", real_replace)
    assert not list(tmp_path.glob("*full.db*"))
