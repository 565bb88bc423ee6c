"""Where an installation keeps its data and where the migrations are found: the same rule for
the laptop (app/storage/paths.py adds its own folders) and the server (its default database
and its migrations)."""

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


def project_root() -> Path:
    """Folder holding migrations/ and resources/ (the PyInstaller bundle when frozen)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]


def migrations_dir(kind: str) -> Path:
    return project_root() / "migrations" / kind
