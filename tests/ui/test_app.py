"""Language switch (Qt translations), the excepthook, the background task helper."""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from ui import i18n
from ui.app import install_excepthook
from ui.tasks import TaskRunner
from ui.widgets import set_combo


def test_english_translation_and_settings_switch(qtbot, unlocked, ui_settings):
    window = unlocked.main_window
    assert window.nav.item(0).text() == "ケース"
    window.show_page("settings")
    view = window.pages["settings"]
    set_combo(view.language, "en")
    view.idle.setValue(7)
    view.apply()
    new = unlocked.main_window
    assert new is not window
    assert new.nav.item(0).text() == "Cases"
    assert i18n.tr("保存", "Save") == "Save"
    # The catalogue wins over the hint; a message it lacks (a label looked up at run time,
    # like the sync phases) shows its English hint, never Japanese.
    assert i18n.tr("検索用の索引を作成中（{n} 件）…", "hint") == (
        "Building the search index ({n} entries)…"
    )
    assert i18n.tr("受信", "Receiving") == "Receiving"
    assert i18n.tr("目録にない文", "") == "目録にない文"  # no hint: the source text
    assert ui_settings.language == "en" and ui_settings.idle_minutes == 7
    assert unlocked.idle._timeout_ms == 7 * 60_000
    i18n.install(QApplication.instance(), "ja")
    ui_settings.language = ""
    assert i18n.tr("保存", "Save") == "保存"
    assert i18n.tr("受信", "Receiving") == "受信"


def test_excepthook_logs_no_personal_data_and_shows_a_dialog(qtbot, caplog, ui_settings):
    old = sys.excepthook
    install_excepthook(None)
    try:
        try:
            raise ValueError("山田 花子 090-1234-5678")
        except ValueError as exc:
            with caplog.at_level(logging.ERROR, logger="yorisoi.ui"):
                sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        sys.excepthook = old
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "ValueError" in logged and "test_app.py" in logged
    assert "山田" not in logged and "090" not in logged
    boxes = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]
    assert boxes and "ValueError" in boxes[-1].text() and "山田" not in boxes[-1].text()
    for b in boxes:
        b.close()


def test_task_runner_results_progress_cancel_and_errors(qtbot):
    runner = TaskRunner()
    got, progress, failed = [], [], []

    def work(ctl):
        for i in range(3):
            ctl.report("step", i, 3)
        return 42

    runner.run(work, got.append, failed.append, on_progress=lambda t, v, m: progress.append(v))
    qtbot.waitUntil(lambda: got == [42], timeout=5_000)
    assert progress == [0, 1, 2]
    cancelled = runner.run(lambda ctl: 1, got.append)
    cancelled.cancel()
    runner.run(lambda ctl: 1 / 0, got.append, failed.append)
    qtbot.waitUntil(lambda: bool(failed), timeout=5_000)
    assert isinstance(failed[0], ZeroDivisionError)
    assert got == [42]  # the cancelled task's result was dropped
    # db work without a store fails with the named error, not a crash
    from app.domain.errors import DatabaseLocked

    runner.db(lambda s: None, got.append, failed.append)
    qtbot.waitUntil(lambda: len(failed) == 2, timeout=5_000)
    assert isinstance(failed[1], DatabaseLocked)
    runner.wait_idle()
