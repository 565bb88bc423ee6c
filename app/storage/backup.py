"""Encrypted backups.

A backup uses SQLite's online backup API from the open (keyed) connection into a new file keyed
with the same passphrase, so it is consistent while the app is in use and never exists
unencrypted. Restoring one is part of the store's life cycle (app.storage.lifecycle).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from app.domain.errors import BackupError, DiskFull, YorisoiError
from app.storage.cipher import quick_check
from app.storage.db import Store, translate_db_error
from app.storage.files import (
    OWNER_DIR,
    owner_only,
    private_dir,
    private_file,
    remove_with_side_files,
    tmp_beside,
)
from app.storage.paths import backups_dir


def failure(exc: BaseException) -> YorisoiError:
    """The error a failed backup or restore copy reports: DiskFull when the disk is full,
    else BackupError (the original database is untouched either way)."""
    if isinstance(exc, YorisoiError):
        return exc
    if isinstance(translate_db_error(exc), DiskFull) or "full" in str(exc).lower():
        return DiskFull()
    return BackupError()


def backup_path(db_path: Path, kind: str) -> Path:
    """A new backup's place in the database's backups folder (owner-only), named after the
    database (``yorisoi.db.backup-20260102T030405Z.db``) so that databases sharing a folder
    keep their backups apart."""
    folder = private_dir(backups_dir(db_path))
    owner_only(folder, OWNER_DIR)  # one an older version made keeps no wider mode
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return folder / f"{Path(db_path).name}.{kind}-{stamp}.db"


def backup_to(store: Store, target: Path) -> Path:
    """Write an encrypted, consistent, owner-only copy of the store to ``target``."""
    target = Path(target)
    private_dir(target.parent)
    tmp = tmp_beside(target)
    remove_with_side_files(tmp)
    try:
        private_file(tmp)  # owner-only before SQLite writes a page (and its journal alike)
        dst = store.connect_same_key(tmp)
        try:
            dst.execute("PRAGMA synchronous = FULL")  # a copy to keep: every write synced
            with store.raw() as conn:
                conn.driver_connection.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
            quick_check(dst)
        finally:
            dst.close()
        os.replace(tmp, target)
    except Exception as exc:
        remove_with_side_files(tmp)
        raise failure(exc) from None
    return target
