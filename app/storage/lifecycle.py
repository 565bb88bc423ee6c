"""The store's life cycle: create a database, open (unlock and migrate) it, check a passphrase
against it, restore it from a backup.

Imports run one way: lifecycle -> migrate -> backup -> db. The store module (app.storage.db)
knows nothing of migrations or backups.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from pathlib import Path

from app.domain.errors import (
    BackupError,
    DatabaseExists,
    DatabaseMissing,
    WrongPassphrase,
)
from app.storage.backup import failure
from app.storage.cipher import SYNC_CHECK_MAX_BYTES, Keyed, quick_check
from app.storage.db import Store, configure, connect, set_wal
from app.storage.files import (
    database_owner_only,
    private_dir,
    private_file,
    remove_with_side_files,
    tmp_beside,
)
from app.storage.migrate import upgrade_to_head
from app.storage.passphrase import check_new_passphrase


def create_database(
    path: Path, passphrase: str | None, *, check_strength: bool = True, plain: bool = False
) -> Store:
    """Create a new encrypted database, migrate it to head, return it unlocked."""
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        raise DatabaseExists()
    if plain:
        passphrase = None  # benchmark baseline: same code, no encryption
    elif check_strength:
        check_new_passphrase(passphrase or "")
    private_dir(path.parent)
    private_file(path)  # owner-only from the start: SQLite gives its side files the same mode
    conn = connect(path, passphrase)
    set_wal(conn)
    conn.close()
    database_owner_only(path)
    store = Store.keyed(path, passphrase, plain=plain)
    upgrade_to_head(store, backup_first=False)
    return store


def open_database(
    path: Path,
    passphrase: str | None,
    *,
    migrate: bool = True,
    integrity: bool = True,
    plain: bool = False,
    keyed: Keyed | None = None,
) -> Store:
    """Unlock an existing database. Raises WrongPassphrase (file untouched) or DatabaseDamaged.

    ``keyed``: a connection to ``path`` that already proved ``passphrase`` (and, if it says
    so, passed quick_check), opened ahead by app.storage.cipher.OpenAhead; it is used instead
    of opening one, so the key is derived and the file checked once."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        if keyed is not None:
            keyed.conn.close()
        raise DatabaseMissing()
    if plain:
        passphrase = None
    elif passphrase is None:
        raise WrongPassphrase()
    # Either way the key is checked before anything is written.
    conn = configure(keyed.conn) if keyed is not None else connect(path, passphrase)
    database_owner_only(path)  # older versions created it 0644
    in_background = integrity and path.stat().st_size > SYNC_CHECK_MAX_BYTES
    try:
        if integrity and not in_background and not (keyed is not None and keyed.checked):
            quick_check(conn)
    except BaseException:
        conn.close()
        raise
    set_wal(conn)
    store = Store.keyed(path, passphrase, plain=plain, preopened=conn)
    if in_background:
        store.start_background_check()
    try:
        with store.raw() as c:
            c.driver_connection.execute("SELECT 1").fetchone()
        if migrate:
            upgrade_to_head(store, backup_first=True)
    except Exception:
        store.lock()
        raise
    return store


def check_passphrase(path: Path, passphrase: str) -> bool:
    try:
        connect(Path(path), passphrase).close()
    except WrongPassphrase:
        return False
    return True


def restore_from(backup: Path, db_path: Path, passphrase: str) -> Path:
    """Replace ``db_path`` with ``backup`` atomically. Returns where the old database was kept.

    The backup is checked to open and be intact before the files are swapped; the old database
    is kept beside it until the new one has opened. The database at ``db_path`` must not be
    open in this process.
    """
    backup, db_path = Path(backup), Path(db_path)
    if not backup.exists():
        raise BackupError(
            "バックアップファイルが見つかりません。", "The backup file does not exist."
        )
    # 1. The backup must open with the passphrase and be intact.
    try:
        conn = connect(backup, passphrase)
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
    private_dir(db_path.parent)
    tmp = tmp_beside(db_path)
    remove_with_side_files(tmp)
    try:
        private_file(tmp)
        shutil.copyfile(backup, tmp)  # into the owner-only file: copyfile keeps its mode
    except OSError as exc:
        remove_with_side_files(tmp)
        raise failure(exc) from None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
    had_old = db_path.exists()
    if had_old:
        # Fold the WAL into the old file first so the kept copy is complete on its own.
        with contextlib.suppress(Exception):
            c = connect(db_path, passphrase)
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            c.close()
        os.replace(db_path, kept)
        for suffix in ("-wal", "-shm"):
            side = Path(str(db_path) + suffix)
            if side.exists():
                os.replace(side, Path(str(kept) + suffix))
        database_owner_only(kept)  # the old file may be one an older version made 0644
    os.replace(tmp, db_path)
    # 3. The new one must open; otherwise put the old one back.
    try:
        open_database(db_path, passphrase).lock()
    except Exception:
        remove_with_side_files(db_path)
        if had_old:
            os.replace(kept, db_path)
        raise
    return kept
