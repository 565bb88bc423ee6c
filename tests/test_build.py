"""The PyInstaller one-folder build starts and passes ``self-check``, and the bundled desktop
app starts (set YORISOI_TEST_BUILD=1; the build takes a minute or two, so it is opt-in locally
and switched on in CI)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.reports import fonts

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    os.environ.get("YORISOI_TEST_BUILD") != "1", reason="set YORISOI_TEST_BUILD=1 to build"
)


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    dist, work = out / "dist", out / "work"
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(ROOT / "build.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-3000:]
    return dist / "yorisoi" / ("yorisoi.exe" if os.name == "nt" else "yorisoi")


def _env(tmp_path: Path) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", YORISOI_HOME=str(tmp_path / "home"))


def test_frozen_build_self_check(frozen: Path, tmp_path: Path) -> None:
    """The bundle carries both fonts: IPAexGothic, and the fallback IPAmj Mincho (for 𠮷 ...)
    with its licence, which the frozen app finds in its own folder (on Windows there is
    usually no system copy, so without it such characters printed as boxes)."""
    env = _env(tmp_path)
    env.pop(fonts.FALLBACK_ENV, None)  # the bundle's own copy, not one pointed at
    run = subprocess.run([str(frozen), "self-check", "--json"], capture_output=True, text=True,
                         env=env, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["frozen"] is True and report["ok"] is True
    assert report["sqlcipher"].startswith("4.") and report["qt"].startswith("6.")
    bundled = frozen.parent / "_internal" / "resources" / "fonts"
    assert (bundled / "ipaexg.ttf").exists()
    if fonts.fallback_path() is None:
        pytest.skip("no ipamjm.ttf on this build machine (fonts-ipamj-mincho) to bundle")
    assert Path(report["fallback_font"]) == bundled / fonts.FALLBACK_FILE, report
    assert report["fallback_font_bundled"] is True
    licence = (bundled / fonts.FALLBACK_LICENCE_FILE).read_text(encoding="utf-8")
    assert "IPAフォントライセンスv1.0" in licence


def test_frozen_gui_starts(frozen: Path, tmp_path: Path) -> None:
    """The bundled desktop app starts offscreen and waits at its first-run dialog."""
    proc = subprocess.Popen([str(frozen), "--demo"], env=_env(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        time.sleep(8)
        assert proc.poll() is None, proc.communicate()[1][-2000:]
    finally:
        proc.kill()
        proc.wait(30)
