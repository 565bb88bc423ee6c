"""First run, unlock, wrong passphrase with a growing delay, locking with drafts kept."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.drafts import list_drafts
from app.storage.lifecycle import open_database
from tests.ui.conftest import type_text, unlock
from ui.dialogs.unlock import delay_after


def test_first_run_creates_profile_and_database(qtbot, make_controller, db_path, passphrase):
    controller = make_controller(db_path)
    controller.start()
    dialog = controller.first_run_dialog
    assert dialog is not None and controller.unlock_dialog is None
    type_text(dialog.name, "試験 花子")
    type_text(dialog.passphrase, "short")
    dialog._update_strength()
    assert dialog.meter.value() == 0
    assert "10" in dialog.hint.text()  # the minimum length is explained
    dialog.ok.click()
    assert dialog.isVisible()  # weak passphrase refused in place
    assert dialog.errors.general.isVisible()
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, passphrase)
    qtbot.keyClicks(dialog.confirm, passphrase + "x")
    dialog.ok.click()
    assert dialog.errors.message_for("confirm")  # mismatch shown next to the field
    dialog.confirm.clear()
    qtbot.keyClicks(dialog.confirm, passphrase)
    with qtbot.waitSignal(controller.main_window_shown, timeout=20_000):
        dialog.ok.click()
    assert controller.main_window.ctx.actor.name == "試験 花子"
    assert db_path.exists()
    controller.lock()
    controller.runner.wait_idle()
    store = open_database(db_path, passphrase)  # really encrypted with that passphrase
    store.lock()


def test_demo_first_run_builds_demo_data_in_background(
    qtbot, make_controller, db_path, passphrase, monkeypatch
):
    monkeypatch.setattr("ui.controller.DEMO_PERSONS", 120)
    controller = make_controller(db_path, demo=True)
    controller.start()
    dialog = controller.first_run_dialog
    assert dialog.demo.isChecked()
    type_text(dialog.name, "デモ 太郎")
    qtbot.keyClicks(dialog.passphrase, passphrase)
    qtbot.keyClicks(dialog.confirm, passphrase)
    with qtbot.waitSignal(controller.main_window_shown, timeout=60_000):
        dialog.ok.click()
    window = controller.main_window
    # The first run's role is アウトリーチ職員 (outreach): the laptop holds the worker's own caseload,
    # as it would sync, not the whole fictional city (app.services.demo._keep_scope).
    qtbot.waitUntil(lambda: window.cases.model.rowCount() >= 20, timeout=10_000)
    assert window.cases.model.rowCount() < 120


def test_wrong_passphrase_message_and_growing_delay(
    qtbot, make_controller, closed_demo, passphrase
):
    assert [delay_after(n) for n in range(1, 6)] == [0, 2, 4, 8, 16]
    controller = make_controller(closed_demo)
    controller.start()
    dialog = controller.unlock_dialog
    for attempt in (1, 2):
        dialog.passphrase.setText("not the passphrase")
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(
            lambda a=attempt: dialog.message.isVisible() and dialog.failures == a, timeout=10_000
        )
    assert "パスフレーズが違います" in dialog.message.text()
    assert dialog.waiting and not dialog.button.isEnabled() and not dialog.passphrase.isEnabled()
    # While waiting, Return does nothing; afterwards the right passphrase unlocks.
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.failures == 2
    qtbot.waitUntil(lambda: not dialog.waiting, timeout=5_000)
    dialog.passphrase.setText(passphrase)
    with qtbot.waitSignal(controller.main_window_shown, timeout=20_000):
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)


def test_ctrl_l_locks_and_hides_everything(qtbot, unlocked, passphrase):
    window = unlocked.main_window
    with qtbot.waitSignal(unlocked.locked):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert unlocked.main_window is None and unlocked.unlock_dialog is not None
    unlocked.runner.wait_idle()
    assert unlocked.store is None


@pytest.mark.parametrize("how", ["idle", "ctrl_l"])
def test_lock_keeps_visit_draft_and_restores_it(
    qtbot, make_controller, closed_demo, passphrase, how
):
    controller = make_controller(closed_demo)
    window = unlock(qtbot, controller, passphrase)
    qtbot.waitUntil(lambda: window.cases.model.rowCount() > 0, timeout=10_000)
    case_id = window.cases.model.row_id(0)
    dialog = window.record_visit(case_id, "テスト")
    type_text(dialog.narrative, "玄関先で面会。体調は良好とのこと。")
    type_text(dialog.place, "自宅")
    if how == "idle":
        controller.idle.set_timeout_ms(300)
        with qtbot.waitSignal(controller.locked, timeout=5_000):
            pass
    else:
        controller.lock()
    assert not dialog.isVisible()
    controller.runner.wait_idle()
    store = open_database(closed_demo, passphrase)
    with store.session() as s:
        kept = dict(list_drafts(s))
    store.lock()
    assert kept[f"visit:{case_id}"]["narrative"] == "玄関先で面会。体調は良好とのこと。"
    # Unlock again: the visit entry comes back with what was typed.
    dialog2 = controller.unlock_dialog
    dialog2.passphrase.setText(passphrase)
    with qtbot.waitSignal(controller.main_window_shown, timeout=20_000):
        qtbot.keyClick(dialog2.passphrase, Qt.Key.Key_Return)
    from ui.dialogs.draft_dialog import open_draft_dialogs

    restored = [d for d in open_draft_dialogs() if d.draft_key == f"visit:{case_id}"]
    assert len(restored) == 1
    assert restored[0].narrative.toPlainText() == "玄関先で面会。体調は良好とのこと。"
    assert restored[0].place.text() == "自宅"
    restored[0].close_for_lock()


def test_autosave_writes_draft_while_typing(qtbot, unlocked, passphrase):
    window = unlocked.main_window
    case_id = window.cases.model.row_id(0)
    dialog = window.record_visit(case_id, "テスト")
    dialog._autosave.setInterval(100)
    type_text(dialog.narrative, "電話で近況を確認")
    qtbot.waitUntil(lambda: "下書きを保存しました" in dialog.status.text(), timeout=5_000)
    unlocked.runner.wait_idle()

    from app.services.drafts import load_draft

    found = {}
    unlocked.runner.db(lambda s: load_draft(s, f"visit:{case_id}"), found.update)
    qtbot.waitUntil(lambda: bool(found), timeout=5_000)
    assert found["narrative"] == "電話で近況を確認"
    dialog.close_for_lock()


def test_work_that_finds_the_database_locked_after_locking_shows_no_error(
    qtbot, unlocked, monkeypatch
):
    import ui.widgets
    from app.domain.errors import DatabaseLocked

    shown: list[BaseException] = []
    monkeypatch.setattr(ui.widgets, "show_error", lambda _parent, exc: shown.append(exc))
    runner = unlocked.runner
    unlocked.lock()
    # A view's timer (debounced search, refresh) that fires after the lock queues a query.
    failures: list[BaseException] = []
    runner.db(lambda s: None, None, lambda exc: (failures.append(exc), runner.failed.emit(exc)))
    qtbot.waitUntil(lambda: bool(failures), timeout=5_000)
    assert isinstance(failures[0], DatabaseLocked)
    assert shown == []  # the user locked on purpose: no error dialog over the lock screen
    runner.failed.emit(ValueError("boom"))  # any other failure is still shown
    assert len(shown) == 1 and isinstance(shown[0], ValueError)
