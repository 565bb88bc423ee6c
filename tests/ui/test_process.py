"""The real ``yorisoi`` process under a real X server (Xvfb), driven with real key presses
(xdotool): first run ends in the main window and the process keeps running; unlock, lock on
demand, auto-lock after idle time, Escape that does not quit, and 終了 on the unlock dialog.

Widget tests (pytest-qt) never run ``QApplication.exec()``, so they cannot see the process end
by itself when its last window closes; these tests can. Needs ``Xvfb`` and ``xdotool``
(.ci/run installs them); skipped where they are missing.

The only hook is ``YORISOI_TEST_IDLE_SECONDS`` (ui/controller.py), which shortens the auto-lock
delay so the idle test takes seconds instead of a minute.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PASSPHRASE = "correct horse battery staple"
MAIN_TITLE = "相談支援記録"
FIRST_RUN_TITLE = "はじめての設定"
UNLOCK_TITLE = "解錠"

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool"
)


def yorisoi_command() -> list[str]:
    """The installed console script (the real entry point), else the same via -m."""
    script = Path(sys.executable).with_name("yorisoi")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ui.launcher"]


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A private X server at 1366x768 (the laptops the app is used on); its number is chosen
    by Xvfb itself (-displayfd), so parallel runs do not clash."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    if not number:
        xvfb.kill()
        pytest.skip("Xvfb did not start")
    try:
        yield f":{number}"
    finally:
        xvfb.terminate()
        xvfb.wait(10)


class Desktop:
    """One ``yorisoi`` process on the X display, and xdotool to look at and type into it."""

    def __init__(self, display: str, home: Path) -> None:
        self.display = display
        self.home = home
        self.env = {
            **os.environ,
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "YORISOI_HOME": str(home),
            "YORISOI_LANG": "ja",
        }
        self.env.pop("YORISOI_PASSPHRASE", None)
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, *args: str, **env: str) -> subprocess.Popen[bytes]:
        self.proc = subprocess.Popen(
            [*yorisoi_command(), *args],
            env={**self.env, **env},
            stdout=subprocess.DEVNULL,
            stderr=(self.home / "stderr.txt").open("wb"),
        )
        return self.proc

    def xdo(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=30
        )
        if check and done.returncode != 0:
            raise AssertionError(f"xdotool {args}: {done.stderr.strip()}")
        return done.stdout

    def windows(self, title: str) -> list[str]:
        """Visible windows whose title contains ``title``."""
        out = self.xdo("search", "--onlyvisible", "--name", title, check=False)
        return out.split()

    def log_text(self) -> str:
        """The app's own log (ui/app.py setup_logging): what it did, never what was typed."""
        path = self.home / "logs" / "yorisoi-ui.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def wait_window(self, title: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.windows(title)
            if found:
                return found[-1]
            self.assert_running()
            time.sleep(0.2)
        shot = self.home / f"timeout-{int(time.time())}.png"
        if shutil.which("import"):  # ImageMagick, where installed: what the screen showed
            subprocess.run(["import", "-window", "root", str(shot)], env=self.env, timeout=30,
                           capture_output=True, check=False)  # fmt: skip
        raise AssertionError(
            f"no window titled …{title}… within {timeout} s; log: {self.log_text()[-800:]!r}; "
            f"windows: {self.xdo('search', '--onlyvisible', '--name', '.', check=False)!r}"
        )

    def wait_gone(self, title: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while self.windows(title):
            assert time.monotonic() < deadline, f"window …{title}… still open"
            time.sleep(0.2)

    def assert_running(self) -> None:
        assert self.proc is not None
        rc = self.proc.poll()
        if rc is not None:
            err = (self.home / "stderr.txt").read_text(errors="replace")[-2000:]
            raise AssertionError(f"yorisoi exited with code {rc}: {err}")

    def focus(self, window: str) -> None:
        self.xdo("windowfocus", "--sync", window)
        time.sleep(0.2)

    def type(self, text: str) -> None:
        self.xdo("type", "--delay", "15", text)

    def key(self, *keys: str) -> None:
        self.xdo("key", "--delay", "60", *keys)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@pytest.fixture
def desktop(display: str, tmp_path: Path) -> Iterator[Desktop]:
    d = Desktop(display, tmp_path / "home")
    d.home.mkdir()
    yield d
    d.stop()


def fill_first_run(d: Desktop, name: str, *args: str) -> None:
    """Type the first-run form and press 作成. Under a loaded X server a synthetic key press
    can go missing (the two passphrases then differ); the form refuses and logs which field,
    and the test starts the process again once. The app refusing twice fails the test."""
    for attempt in (1, 2):
        _type_first_run(d, name)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and d.windows(FIRST_RUN_TITLE):
            if "first run form refused" in d.log_text():
                break
            time.sleep(0.2)
        if "first run form refused" not in d.log_text() or attempt == 2:
            return
        d.stop()
        (d.home / "logs" / "yorisoi-ui.log").unlink()
        d.start(*args)


def _type_first_run(d: Desktop, name: str) -> None:
    window = d.wait_window(FIRST_RUN_TITLE, timeout=30)
    d.focus(window)
    d.type(name)  # the name field has the focus; then role, agency, passphrase
    d.key("Tab", "Tab", "Tab")
    d.type(PASSPHRASE)
    d.key("Tab")
    d.type(PASSPHRASE)
    time.sleep(0.3)  # the strength meter is updated on a short timer
    d.key("Return")  # 作成 is the default button


def unlock(d: Desktop) -> None:
    window = d.wait_window(UNLOCK_TITLE)
    d.focus(window)
    d.type(PASSPHRASE)
    d.key("Return")
    d.wait_window(MAIN_TITLE, timeout=30)
    d.wait_gone(UNLOCK_TITLE)


@pytest.mark.parametrize("demo", [False, True], ids=["plain", "demo"])
def test_first_run_ends_in_the_main_window_and_keeps_running(desktop: Desktop, demo: bool):
    args = ["--demo"] if demo else []
    desktop.start(*args)
    # ASCII: xdotool types other characters by remapping a spare key, and under load the app
    # can read the key before the remapping (the name arrived empty in CI). Japanese text input
    # is covered by the widget tests.
    fill_first_run(desktop, "Shiken Hanako", *args)
    assert "first run form refused" not in desktop.log_text(), desktop.log_text()[-600:]
    main = desktop.wait_window(MAIN_TITLE, timeout=120 if demo else 30)
    assert "first run: database created" in desktop.log_text()  # the log the retry reads
    time.sleep(2)  # the old bug: the process ended on its own right after the build
    desktop.assert_running()
    assert desktop.windows(MAIN_TITLE) == [main]
    assert not desktop.windows(FIRST_RUN_TITLE)
    db = desktop.home / "profiles" / "default" / "yorisoi.db"
    assert db.exists() and db.stat().st_size > 0


def test_unlock_lock_autolock_and_quit(desktop: Desktop):
    init = subprocess.run(
        [*yorisoi_command(), "init", "--name", "試験 次郎", "--json"],
        env={**desktop.env, "YORISOI_PASSPHRASE": PASSPHRASE},
        capture_output=True,
        timeout=60,
    )
    assert init.returncode == 0, init.stderr
    desktop.start(YORISOI_TEST_IDLE_SECONDS="4")
    unlock(desktop)
    # Lock on demand (Ctrl+L on the main window): the unlock dialog replaces the main window.
    desktop.focus(desktop.wait_window(MAIN_TITLE))
    desktop.key("ctrl+l")
    desktop.wait_window(UNLOCK_TITLE)
    desktop.wait_gone(MAIN_TITLE)
    time.sleep(1)
    desktop.assert_running()
    # Unlock again, then touch nothing: the idle timer locks the laptop by itself.
    unlock(desktop)
    started = time.monotonic()
    desktop.wait_window(UNLOCK_TITLE, timeout=20)
    assert time.monotonic() - started >= 3  # not before the idle time
    desktop.wait_gone(MAIN_TITLE)
    time.sleep(1)
    desktop.assert_running()
    # A stray Escape only clears the field: the locked app keeps running.
    desktop.focus(desktop.wait_window(UNLOCK_TITLE))
    desktop.key("Escape")
    time.sleep(1)
    desktop.assert_running()
    assert desktop.windows(UNLOCK_TITLE)
    # 終了 (passphrase, 解錠, 終了 in tab order; Space presses it) ends the process normally.
    desktop.key("Tab", "Tab", "space")
    assert desktop.proc is not None
    assert desktop.proc.wait(20) == 0
