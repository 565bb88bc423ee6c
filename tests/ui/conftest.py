"""UI test fixtures: real Qt widgets (offscreen), real encrypted databases, the real controller."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from app.storage.db import Store  # noqa: E402
from ui.app import setup_application  # noqa: E402
from ui.controller import AppController  # noqa: E402
from ui.settings import UiSettings  # noqa: E402


@pytest.fixture
def ui_settings(qapp: object) -> UiSettings:
    settings = UiSettings()
    setup_application(qapp, settings)  # type: ignore[arg-type]
    return settings


@pytest.fixture
def make_controller(qtbot: object, ui_settings: UiSettings) -> Iterator[object]:
    made: list[AppController] = []

    def make(path: Path, **kwargs: object) -> AppController:
        c = AppController(path, ui_settings, integrity_check=False, **kwargs)  # type: ignore[arg-type]
        made.append(c)
        return c

    yield make
    for c in made:
        if c.main_window is not None:
            c.main_window.close_for_lock()
        for d in (c.unlock_dialog, c.first_run_dialog):
            if d is not None:
                d.hide()
        c.shutdown()


def unlock(qtbot: object, controller: AppController, passphrase: str) -> object:
    """Type the passphrase into the unlock dialog and wait for the main window."""
    from PySide6.QtCore import Qt

    controller.start()
    dialog = controller.unlock_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.passphrase, passphrase)  # type: ignore[attr-defined]
    with qtbot.waitSignal(controller.main_window_shown, timeout=20_000):  # type: ignore[attr-defined]
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    return controller.main_window


@pytest.fixture
def closed_demo(demo_store: Store) -> Path:
    """A demo database on disk, locked (the GUI opens it itself)."""
    path = demo_store.path
    demo_store.lock()
    return path


@pytest.fixture
def unlocked(
    qtbot: object, make_controller: object, closed_demo: Path, passphrase: str
) -> AppController:
    controller = make_controller(closed_demo)  # type: ignore[operator]
    unlock(qtbot, controller, passphrase)
    window = controller.main_window
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: window.cases.model.rowCount() > 100 and window.cases._task is None, timeout=10_000
    )
    return controller


def type_text(widget: object, text: str) -> None:
    """Type any text (QTest.keyClicks only handles ASCII) as real key events."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )  # type: ignore[arg-type]
