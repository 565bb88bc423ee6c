"""Every file the app writes is owner-only: 0600 files, 0700 folders (POSIX; on Windows the
per-user folders' ACLs do this and chmod is a no-op)."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services import households
from app.storage.backup import backup_path, backup_to
from app.storage.lifecycle import create_database, open_database, restore_from
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    old = os.umask(0o022)  # what most desktops use: files 0644 unless the app says otherwise
    yield
    os.umask(old)


def test_database_its_side_files_and_new_folders_are_owner_only(tmp_path: Path):
    outer = tmp_path / "shared"
    outer.mkdir(mode=0o755)
    path = outer / "new" / "deeper" / "yorisoi.db"
    store = create_database(path, PASSPHRASE)
    try:
        from app.services.profile import set_profile_user

        with store.session() as s:
            actor = set_profile_user(s, name="権限 確認", role="coordinator", login="perm")
        with store.session() as s:
            households.create_person(s, actor, name="権限 花子")
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert mode(path.parent) == mode(path.parent.parent) == 0o700
        assert mode(outer) == 0o755  # a folder the app did not make keeps its mode
    finally:
        store.lock()


def test_backups_their_folder_and_migration_backups_are_owner_only(store, tmp_path: Path):
    target = backup_path(store.path, "backup")
    assert target.name.startswith("yorisoi.db.backup-") and target.suffix == ".db"
    backup_to(store, target)
    assert mode(target) == 0o600 and mode(target.parent) == 0o700
    elsewhere = backup_to(store, tmp_path / "exports" / "copy.db")
    assert mode(elsewhere) == 0o600 and mode(elsewhere.parent) == 0o700


def test_an_older_0644_database_and_backups_folder_are_tightened(store, db_path: Path):
    backups = backup_path(db_path, "backup").parent
    store.lock()
    for f in db_path.parent.iterdir():
        if f.is_file():
            f.chmod(0o644)
    backups.chmod(0o755)
    reopened = open_database(db_path, PASSPHRASE)
    try:
        assert mode(db_path) == 0o600
        backup_to(reopened, backup_path(db_path, "backup"))
        assert mode(backups) == 0o700
    finally:
        reopened.lock()


def test_restore_writes_owner_only_and_keeps_the_old_file_owner_only(store, db_path, tmp_path):
    out = backup_to(store, tmp_path / "b.db")
    store.lock()
    db_path.chmod(0o644)  # as an older version left it
    kept = restore_from(out, db_path, PASSPHRASE)
    assert mode(db_path) == 0o600 and mode(kept) == 0o600
    for side in db_path.parent.iterdir():
        assert mode(side) == 0o600, side.name


def test_cli_init_and_backup_are_owner_only(tmp_path: Path):
    import json

    from tests.core.test_cli import run

    home = tmp_path / "cli-home"
    assert run(["init", "--name", "試験 太郎", "--role", "coordinator"], home).returncode == 0
    r = run(["backup", "--json"], home)
    assert r.returncode == 0, r.stderr
    written = Path(json.loads(r.stdout)["backup"])
    db = home / "profiles" / "default" / "yorisoi.db"
    assert written.parent == db.parent / "backups" and written.name.startswith("yorisoi.db.")
    assert mode(written) == 0o600 and mode(written.parent) == 0o700
    assert mode(db) == 0o600 and mode(db.parent) == mode(db.parent.parent) == 0o700
