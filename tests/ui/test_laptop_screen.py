"""Every window fits a 1366x768 laptop screen with the default font: the main window on every
screen (also with a case whose title is far wider than the screen), every dialog, and the
tables show all their columns, sized to content, without a stretched last one.

Runs tests/ui/laptop_screen.py in its own process, because the screen size is fixed when Qt
starts (this session's offscreen screen is 800x800). Its screenshots are kept in the test's
temporary folder (run the script by hand to look at them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FRAME_W, FRAME_H = 16, 40  # title bar and borders (not part of Qt's window size)
TASKBAR = 48  # a Windows taskbar takes this much of the 768 on a real laptop


def test_every_window_fits_a_1366x768_screen(tmp_path: Path):
    out = tmp_path / "shots"
    env = {k: v for k, v in os.environ.items() if not k.startswith("YORISOI_")}
    env.pop("QT_QPA_PLATFORM", None)  # the script chooses offscreen with a 1366x768 screen
    run = subprocess.run(
        [sys.executable, "-m", "tests.ui.laptop_screen", "--json", "--out", str(out)],
        capture_output=True, text=True, env=env, timeout=600,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    data = json.loads(run.stdout)
    assert data["screen"] == [1366, 768]
    width, height = data["screen"]
    names = {w["name"] for w in data["windows"]}
    assert {"main-cases", "main-case-long-title", "referral-editor", "print-preview",
            "case-editor-new", "visit-entry", "first-run", "unlock"} <= names  # fmt: skip
    for w in data["windows"]:
        where = f"{w['name']}: {w}"
        assert w["width"] + FRAME_W <= width and w["height"] + FRAME_H <= height, where
        # Usable even with a taskbar: the window can be made small enough (forms scroll).
        assert w["min_width"] + FRAME_W <= width, where
        assert w["min_height"] + FRAME_H + TASKBAR <= height, where
        assert w["x"] >= 0 and w["y"] >= 0, where
        assert w["x"] + w["width"] <= width and w["y"] + w["height"] + FRAME_H <= height, where
    main = [w for w in data["windows"] if w["name"].startswith("main-")]
    assert {w["width"] for w in main} == {main[0]["width"]}  # the long title did not widen it
    assert data["tables"], "no table measured"
    for t in data["tables"]:
        where = f"{t['name']}: {t}"
        assert not t["stretch_last"], where
        assert sum(c[1] for c in t["columns"]) <= t["viewport"] + 2, where  # nothing cut off
        assert all(c[1] >= 30 for c in t["columns"]), where
    shots = sorted(p.name for p in out.glob("*.png"))
    assert len(shots) == len(data["windows"]), shots
