"""The desktop app's log file and folder are owner-only, like every file the app writes."""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path

import pytest

from ui.app import setup_logging


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_log_file_and_folder_are_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("YORISOI_HOME", str(tmp_path / "home"))
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    old = os.umask(0o022)
    try:
        setup_logging()
        logging.getLogger("test").warning("a line")
    finally:
        os.umask(old)
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)
    log = tmp_path / "home" / "logs" / "yorisoi-ui.log"
    assert log.read_text(encoding="utf-8").strip()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
