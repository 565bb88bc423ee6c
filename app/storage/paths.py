"""Where files live: platformdirs' per-user folders (Windows %LOCALAPPDATA%, ~/.local/share...).
The data folder and the migrations folder are the rule both sides share (app/protocol/paths.py)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from app.protocol.paths import APP_AUTHOR, APP_NAME, data_dir, migrations_dir, project_root

__all__ = [
    "APP_AUTHOR",
    "APP_NAME",
    "backups_dir",
    "data_dir",
    "default_db_path",
    "log_dir",
    "migrations_dir",
    "project_root",
    "resources_dir",
]


def default_db_path(profile: str = "default") -> Path:
    return data_dir() / "profiles" / profile / "yorisoi.db"


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def log_dir() -> Path:
    override = os.environ.get("YORISOI_HOME")
    if override:
        return Path(override) / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def resources_dir() -> Path:
    return project_root() / "resources"
