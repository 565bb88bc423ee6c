"""Encrypted backups and atomic restore.

A backup uses SQLite's online backup API from the open (keyed) connection into a new file keyed
with the same passphrase, so it is consistent while the app is in use and never exists
unencrypted. Restore checks the backup opens and is intact before it swaps files; the old
database is kept beside it until the new one has opened.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from pathlib import Path

from app.domain.errors import BackupError, DiskFull, WrongPassphrase, YorisoiError
from app.storage.db import Store, _quote, _raw_connect, open_database, quick_check


def _tmp_beside(target: Path) -> Path:
    return target.with_name(f".{target.name}.tmp-{os.getpid()}")


def _remove_quietly(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()


def backup_to(store: Store, target: Path) -> Path:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_beside(target)
    _remove_quietly(tmp)
    passphrase = store._passphrase
    if passphrase is None and not store.plain:
        raise BackupError()
    try:
        import sqlcipher3

        dst = sqlcipher3.connect(str(tmp))
        try:
            if passphrase is not None:
                dst.execute("PRAGMA cipher_log_level = NONE")
                dst.execute(f"PRAGMA key = {_quote(passphrase)}")
            with store.raw() as conn:
                conn.driver_connection.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
            quick_check(dst)
        finally:
            dst.close()
        os.replace(tmp, target)
    except OSError as exc:
        _remove_quietly(tmp)
        if exc.errno == 28:
            raise DiskFull() from None
        raise BackupError() from None
    except YorisoiError:
        _remove_quietly(tmp)
        raise
    except Exception as exc:
        _remove_quietly(tmp)
        if "full" in str(exc).lower():
            raise DiskFull() from None
        raise BackupError() from None
    return target


def restore_from(backup: Path, db_path: Path, passphrase: str) -> Path:
    """Replace ``db_path`` with ``backup`` atomically. Returns where the old database was kept.

    The database at ``db_path`` must not be open in this process.
    """
    backup, db_path = Path(backup), Path(db_path)
    if not backup.exists():
        raise BackupError(
            "バックアップファイルが見つかりません。", "The backup file does not exist."
        )
    # 1. The backup must open with the passphrase and be intact.
    try:
        conn = _raw_connect(backup, passphrase)
    except WrongPassphrase:
        raise WrongPassphrase(
            "バックアップのパスフレーズが違います。何も変更していません。",
            "Wrong passphrase for the backup. Nothing was changed.",
        ) from None
    try:
        quick_check(conn)
    finally:
        conn.close()
    # 2. Copy it next to the target (same file system, so the swap is a rename).
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_beside(db_path)
    _remove_quietly(tmp)
    try:
        shutil.copyfile(backup, tmp)
    except OSError as exc:
        _remove_quietly(tmp)
        if exc.errno == 28:
            raise DiskFull() from None
        raise BackupError() from None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
    had_old = db_path.exists()
    if had_old:
        # Fold the WAL into the old file first so the kept copy is complete on its own.
        with contextlib.suppress(Exception):
            c = _raw_connect(db_path, passphrase)
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            c.close()
        os.replace(db_path, kept)
        for suffix in ("-wal", "-shm"):
            side = Path(str(db_path) + suffix)
            if side.exists():
                os.replace(side, Path(str(kept) + suffix))
    os.replace(tmp, db_path)
    # 3. The new one must open; otherwise put the old one back.
    try:
        open_database(db_path, passphrase).lock()
    except Exception:
        _remove_quietly(db_path)
        if had_old:
            os.replace(kept, db_path)
        raise
    return kept
