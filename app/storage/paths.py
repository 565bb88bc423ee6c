"""Where files live: platformdirs' per-user folders (Windows %LOCALAPPDATA%, ~/.local/share...)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Yorisoi"
APP_AUTHOR = "Yorisoi"


def data_dir() -> Path:
    override = os.environ.get("YORISOI_HOME")
    base = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    return base


def default_db_path(profile: str = "default") -> Path:
    return data_dir() / "profiles" / profile / "yorisoi.db"


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def log_dir() -> Path:
    override = os.environ.get("YORISOI_HOME")
    if override:
        return Path(override) / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def project_root() -> Path:
    """Folder holding migrations/ and resources/ (the PyInstaller bundle when frozen)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]


def migrations_dir(kind: str) -> Path:
    return project_root() / "migrations" / kind


def resources_dir() -> Path:
    return project_root() / "resources"
