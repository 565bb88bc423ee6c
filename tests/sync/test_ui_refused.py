"""The sync panel with changes a real server refused, and open views kept current by a sync:
real widgets (offscreen), real encrypted laptops, a real ``yorisoi-server`` process."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services import browse
from app.services.profile import current_actor
from app.storage.models import Case
from tests.serverproc import ServerProc, running_server
from tests.sync.server_side import Admin
from tests.sync.test_rejected import local_only_case, server_has
from tests.sync.world import Laptop, add_contact, edit_case, make_case, new_laptop

pytest.importorskip("pytestqt")

_n = itertools.count()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    with running_server(tmp_path_factory.mktemp("server")) as srv:
        yield srv


@pytest.fixture(scope="module")
def admin(server: ServerProc) -> Admin:
    return Admin.create(server, "uiradmin")


@pytest.fixture
def lap(admin: Admin, tmp_path: Path) -> Iterator[Laptop]:
    laptop = new_laptop(admin, tmp_path, f"uir{next(_n)}")
    laptop.sync()
    yield laptop
    laptop.close()


def answer_questions(yes: bool):
    """Answer the next question box as a person would (its real buttons)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def press() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                which = QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No
                w.button(which).click()

    timer = QTimer()
    timer.timeout.connect(press)
    timer.start(50)
    return timer


def ui_context(store):
    from ui.context import UiContext
    from ui.settings import UiSettings
    from ui.tasks import TaskRunner

    with store.session() as s:
        actor, choices = current_actor(s), browse.choices(s)
    runner = TaskRunner(store)
    return UiContext(runner=runner, settings=UiSettings(), db_path=store.path, actor=actor,
                     choices=choices)  # fmt: skip


def test_panel_shows_refused_records_translated_and_fixes_dismisses_restores(qtbot, server, lap):
    from PySide6.QtGui import QGuiApplication

    from ui.views.sync_panel import SyncPanel

    bad_case = local_only_case(lap)
    visit = add_contact(lap.store, bad_case, lap.staff_id, "画面で直す記録")
    good_case = make_case(lap.store, assigned=lap.staff_id, team=[lap.staff_id])
    lap.sync()
    with lap.store.session() as s:
        good_number = s.get(Case, good_case).case_number
    panel = SyncPanel(lap.store, auto_interval_ms=0)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.rejected.count() == 1, timeout=10_000)
    text = panel.rejected.item(0).text()
    assert "相談・訪問記録" in text and "付け替え" in text and "parent missing" not in text
    panel.rejected.setCurrentRow(0)
    assert panel.reattach_button.isEnabled()
    dialog = panel.open_rejected()
    qtbot.addWidget(dialog)
    assert "画面で直す記録" in dialog.text.toPlainText()
    dialog.copy()
    assert "画面で直す記録" in QGuiApplication.clipboard().text()
    opened: list[str] = []
    panel.open_case.connect(opened.append)
    dialog.case_button.click()
    assert opened == [bad_case]
    # Dismissing asks first; "No" keeps it.
    timer = answer_questions(False)
    panel.dismiss_selected()
    timer.stop()
    panel.runner.wait_idle()
    qtbot.wait(50)
    assert panel.rejected.count() == 1
    timer = answer_questions(True)
    panel.dismiss_selected()
    timer.stop()
    qtbot.waitUntil(lambda: panel.rejected.count() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: "1" in panel.trash_button.text(), timeout=10_000)
    trash = panel.show_trash()
    qtbot.addWidget(trash)
    trash.list.setCurrentRow(0)
    trash.restore_button.click()
    qtbot.waitUntil(lambda: panel.rejected.count() == 1, timeout=10_000)
    panel.rejected.setCurrentRow(0)
    panel.reattach_selected(good_number)
    qtbot.waitUntil(lambda: panel.rejected.count() == 0, timeout=10_000)
    with qtbot.waitSignal(panel.sync_finished, timeout=30_000) as got:
        panel.start_sync()
    assert got.args[0].rejected == 0, got.args[0]
    assert server_has(server, "contact_record", visit)["case_id"] == good_case
    panel.runner.wait_idle()


def test_open_views_show_what_a_sync_and_a_resolution_brought(qtbot, admin, tmp_path):
    from ui.dialogs.conflict_dialog import ConflictDialog
    from ui.views.case_view import CaseView
    from ui.views.cases import CasesView
    from ui.views.sync_panel import SyncPanel

    here = new_laptop(admin, tmp_path, f"here{next(_n)}", "admin")
    there = new_laptop(admin, tmp_path, f"there{next(_n)}", "admin")
    try:
        case_id = make_case(there.store, assigned=there.staff_id, team=[there.staff_id],
                            title="向こうで受けた相談")  # fmt: skip
        there.sync(), here.sync()
        ctx = ui_context(here.store)
        cases = CasesView(ctx)
        qtbot.addWidget(cases)
        cases.show()
        cases.refresh()
        from tests.sync.helpers import count

        before = count(here.store, "case")
        qtbot.waitUntil(lambda: cases.model.rowCount() == before, timeout=10_000)
        view = CaseView(ctx)
        qtbot.addWidget(view)
        view.show()
        view.load(case_id)
        qtbot.waitUntil(lambda: view.detail is not None, timeout=10_000)
        assert len(view.detail.contacts) == 0
        panel = SyncPanel(here.store, ctx.runner, auto_interval_ms=0)
        qtbot.addWidget(panel)
        # Elsewhere: a new case, and a visit in the open case.
        make_case(there.store, assigned=there.staff_id, team=[there.staff_id])
        add_contact(there.store, case_id, there.staff_id, "向こうの訪問記録")
        there.sync()
        with qtbot.waitSignal(panel.sync_finished, timeout=30_000):
            panel.start_sync()
        # Nobody pressed refresh: the open views show what the sync brought.
        qtbot.waitUntil(lambda: cases.model.rowCount() == before + 1, timeout=10_000)
        qtbot.waitUntil(lambda: len(view.detail.contacts) == 1, timeout=10_000)
        # A conflict resolved in its dialog shows in the open case at once.
        assert edit_case(here.store, case_id, title="こちらの主訴")
        assert edit_case(there.store, case_id, title="向こうの主訴")
        there.sync()
        with qtbot.waitSignal(panel.sync_finished, timeout=30_000):
            panel.start_sync()
        qtbot.waitUntil(lambda: panel.conflicts.count() == 1, timeout=10_000)
        qtbot.waitUntil(lambda: view.detail.title == "向こうの主訴", timeout=10_000)
        dialog = ConflictDialog(ctx.runner, panel.conflicts.item(0).data(256), panel)
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.accepted, timeout=10_000):
            dialog.mine_button.click()
        qtbot.waitUntil(lambda: view.detail.title == "こちらの主訴", timeout=10_000)
        qtbot.waitUntil(lambda: panel.conflicts.count() == 0, timeout=10_000)
        ctx.runner.wait_idle()
    finally:
        here.close(), there.close()
