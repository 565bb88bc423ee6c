"""Erasing a revoked device's local data: the database, its WAL files and its backups."""

from __future__ import annotations

import logging
from pathlib import Path

from app.storage.db import Store
from app.storage.paths import backups_dir

log = logging.getLogger(__name__)


def wipe_local_database(store: Store) -> list[Path]:
    """Lock the store (dropping its connections and key) and delete its files. Returns what went."""
    path = Path(store.path)
    store.lock()
    removed: list[Path] = []
    candidates = [path.with_name(path.name + s) for s in ("", "-wal", "-shm", "-journal")]
    backups = backups_dir(path)
    if backups.is_dir():
        candidates.extend(p for p in backups.iterdir() if p.is_file())
    for p in candidates:
        try:
            p.unlink()
            removed.append(p)
        except FileNotFoundError:
            continue
        except OSError:
            log.error("could not remove a local database file during wipe")
            raise
    return removed
