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


# --- owner-only files ---------------------------------------------------------------------
#
# Everything the app writes holds personal data, or metadata about it: files are created
# 0600 and the folders it makes 0700. The mode is set when a file is created (SQLite gives a
# database's -wal, -shm and -journal files the mode of the database file) and again right after
# a write, never by changing the process umask (that would race with other threads). On
# Windows chmod only sets the read-only flag: there the per-user folders' inherited ACLs
# (%LOCALAPPDATA%) keep files private.

OWNER_FILE = 0o600
OWNER_DIR = 0o700


def owner_only(path: Path, mode: int = OWNER_FILE) -> None:
    """Restrict an existing file (or, with ``OWNER_DIR``, folder) to its owner."""
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, mode)


def private_dir(path: Path) -> Path:
    """Make ``path`` and any missing parents, each new one owner-only. Folders that already
    exist keep their mode (``--db`` may point into a shared folder)."""
    path = Path(path)
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=OWNER_DIR)
        owner_only(folder, OWNER_DIR)  # mkdir's mode is masked by the umask
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty and owner-only if it does not exist; restrict it if it does."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_FILE)
    except FileExistsError:
        pass
    else:
        os.close(fd)
    owner_only(path)
    return path


def database_owner_only(path: Path) -> None:
    """Restrict a database and its side files (files older versions wrote 0644)."""
    for suffix in ("", *SIDE_SUFFIXES):
        owner_only(Path(str(path) + suffix))
