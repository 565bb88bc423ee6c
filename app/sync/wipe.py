"""Erasing a revoked device's local data: this profile's files, and nothing of other profiles.

What goes: the database with its -wal/-shm/-journal (drafts and everything else recorded live
in it), the copies ``yorisoi restore`` kept beside it (``<db>.before-restore-*``), temporary
files left beside it (``.<db>.tmp-*``), and its backups: in the backups folder, the ones named
after this database (app.storage.backup.backup_path) and any other file there that opens with
this profile's key (backups older versions named ``backup-*.db``/``pre-migrate-*.db``, or a
copy saved there by hand: still readable with the revoked key, so they must go). Backups
named after another database, and files that do not open with this key, stay. A backup
written with ``yorisoi backup <file>`` outside the backups folder is the user's own export and
is not looked for.

The report says what was removed and how many changes had not reached the server: they are
lost with the wipe, and the person is told so.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.i18n import pick
from app.storage.db import Store
from app.storage.files import SIDE_SUFFIXES
from app.storage.paths import backups_dir
from app.sync.status import sync_status

log = logging.getLogger(__name__)

_STAMP = r"\d{8}T\d{6}Z"
_SIDE = r"(?:\.tmp-\d+)?(?:-wal|-shm|-journal)?"
# A backup the app named after its database (see backup_path), its temp file and side files.
_NAMED_BACKUP = re.compile(
    rf"^\.?(?P<db>.+)\.(?:backup|pre-migrate-[0-9A-Za-z_]+)-{_STAMP}\.db{_SIDE}$"
)


@dataclass(frozen=True)
class WipeReport:
    removed: tuple[Path, ...]
    unsent_changes: int  # changes made here the server never received
    rejected_changes: int  # changes the server refused, kept here for the person to fix

    @property
    def lost_changes(self) -> int:
        return self.unsent_changes + self.rejected_changes

    def message(self, lang: str | None = None) -> str:
        n, files = self.lost_changes, len(self.removed)
        if n:
            return pick(
                f"サーバーに届いていなかった変更 {n:,} 件も消去されました（削除したファイル: {files}）。",
                f"{n:,} changes that had not reached the server were erased with it "
                f"(files removed: {files}).",
                lang,
            )
        return pick(
            f"サーバーに届いていない変更はありませんでした（削除したファイル: {files}）。",
            f"No changes were waiting to be sent (files removed: {files}).",
            lang,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "removed": [str(p) for p in self.removed],
            "unsent_changes_lost": self.unsent_changes,
            "rejected_changes_lost": self.rejected_changes,
        }


def _own_files_beside(path: Path) -> list[Path]:
    name = path.name
    found = [Path(str(path) + s) for s in ("", *SIDE_SUFFIXES)]
    if not path.parent.is_dir():
        return found
    for p in path.parent.iterdir():
        if p.name.startswith((f"{name}.before-restore-", f".{name}.tmp-")) and p.is_file():
            found.append(p)
    return found


def _opens_with_key(store: Store, candidate: Path) -> bool:
    try:
        store.connect_same_key(candidate).close()
    except Exception:  # another key, not a database, unreadable: not this profile's
        return False
    return True


def _own_backups(store: Store, path: Path) -> list[Path]:
    folder = backups_dir(path)
    if not folder.is_dir():
        return []
    found: list[Path] = []
    for p in sorted(folder.iterdir()):
        if not p.is_file():
            continue
        named = _NAMED_BACKUP.match(p.name)
        if named is not None:
            if named["db"] == path.name:
                found.append(p)
            continue
        if p.name.endswith(SIDE_SUFFIXES):
            continue  # goes with its main file below
        if _opens_with_key(store, p):
            found += [p, *(Path(str(p) + s) for s in SIDE_SUFFIXES)]
    return found


def _changes_not_on_server(store: Store) -> tuple[int, int]:
    try:
        status = sync_status(store)
    except Exception:  # locked or unreadable: nothing can be counted
        log.warning("could not count unsent changes before the wipe")
        return 0, 0
    return status.pending_total, status.open_rejected


def wipe_local_database(store: Store) -> WipeReport:
    """Count what is lost, lock the store (dropping its connections and key) and delete this
    profile's files. Returns what went."""
    path = Path(store.path)
    unsent, rejected = _changes_not_on_server(store)
    candidates = _own_files_beside(path)
    if not store.is_locked:
        candidates += _own_backups(store, path)  # needs the key, so before locking
    store.lock()
    removed: list[Path] = []
    for p in dict.fromkeys(candidates):
        try:
            p.unlink()
            removed.append(p)
        except FileNotFoundError:
            continue
        except OSError:
            log.error("could not remove a local database file during wipe")
            raise
    with contextlib.suppress(OSError):  # only when empty: other profiles' backups stay
        backups_dir(path).rmdir()
    log.info("local data wiped: %d files, %d unsent changes lost", len(removed), unsent)
    return WipeReport(tuple(removed), unsent, rejected)
