"""Files of a database on disk: its side files, and temporary copies beside it."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

# SQLite's files beside a database: the write-ahead log, its index, a rollback journal.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def tmp_beside(target: Path) -> Path:
    """Where a file is written before it is renamed onto ``target`` (same folder, so the
    rename is atomic)."""
    return target.with_name(f".{target.name}.tmp-{os.getpid()}")


def remove_with_side_files(path: Path) -> None:
    """Remove a database file and its side files, whichever exist."""
    for suffix in ("", *SIDE_SUFFIXES):
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()
