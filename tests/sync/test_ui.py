"""The sync panel and the conflict dialog: real widgets (offscreen), a real encrypted database,
and a real server process for the sync button."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.storage.db import Store
from app.storage.models import Case, OutboxEntry
from app.sync.apply import apply_page
from app.sync.push import next_batch, record_results
from tests.serverproc import running_server
from tests.sync.helpers import pages_of
from tests.sync.server_side import Admin
from tests.sync.world import make_case, new_laptop

pytest.importorskip("pytestqt")


@pytest.fixture
def conflicted(client: Store, snapshot_records) -> Store:
    for page in pages_of(snapshot_records, 1000):
        apply_page(client, page, page["cursor"])
    with client.session() as s:
        case = s.scalars(select(Case).limit(1)).one()
        case.status = "closed"
        base = None
    items = next_batch(client)
    record_results(client, items, {"results": [{"op_id": items[0].op_id, "status": "conflict",
        "conflicts": [{"field": "status", "base": base, "mine": "closed", "theirs": "watching",
                       "theirs_by": "山田 花子", "theirs_at": "2026-11-26T10:00:00.000000"}]}]})  # fmt: skip
    return client


def test_panel_lists_conflicts_and_the_dialog_resolves_them(qtbot, conflicted: Store):
    from ui import events
    from ui.dialogs.conflict_dialog import ConflictDialog
    from ui.views.sync_panel import SyncPanel

    panel = SyncPanel(conflicted, auto_interval_ms=0)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.data is not None, timeout=10_000)  # read off the UI thread
    assert panel.conflicts.count() == 1
    assert (
        "登録されていません" in panel.state_label.text()
        or "not enrolled" in panel.state_label.text()
    )
    assert not panel.sync_button.isEnabled()
    item = panel.conflicts.item(0).data(256)
    heard: list[frozenset[str]] = []
    events.bus().changed.connect(lambda entities, _i: heard.append(entities))
    dialog = ConflictDialog(panel.runner, item, panel)
    qtbot.addWidget(dialog)
    assert [lab.text() for lab in dialog.value_labels][1:] == ["closed", "watching"]
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.mine_button.click()
    assert dialog.choice == "mine"
    # The resolution is announced: every open view (and the panel) refreshes.
    assert any(events.CASE in e and events.SYNC in e for e in heard)
    with conflicted.session() as s:
        entry = s.scalars(select(OutboxEntry)).one()
        assert entry.changes == {"status": ["watching", "closed"]}
    qtbot.waitUntil(lambda: panel.conflicts.count() == 0, timeout=10_000)
    assert "1" in panel.pending_label.text()
    panel.runner.wait_idle()


def test_unknown_change_names_cannot_be_announced(qtbot):
    from ui import events
    from ui.tasks import TaskRunner

    with pytest.raises(ValueError, match="unknown change"):
        events.bus().announce("sync-finished")
    runner = TaskRunner()
    with pytest.raises(ValueError, match="unknown change"):
        runner.run(lambda _ctl: None, changes=("cases",))
    assert runner.pending == 0


def test_sync_button_syncs_with_progress_against_a_real_server(qtbot, tmp_path: Path):
    from ui.views.sync_panel import SyncPanel, confirm_unsynced

    with running_server(tmp_path / "server") as srv:
        admin = Admin.create(srv, "uiadmin")
        lap = new_laptop(admin, tmp_path, "uiuser")
        make_case(lap.store, assigned=lap.staff_id, team=[lap.staff_id])
        panel = SyncPanel(lap.store, auto_interval_ms=0)
        qtbot.addWidget(panel)
        qtbot.waitUntil(lambda: panel.sync_button.isEnabled(), timeout=10_000)
        assert "5" in panel.pending_label.text()
        phases: list[str] = []
        panel.progressed.connect(lambda phase, *_: phases.append(phase))
        with qtbot.waitSignal(panel.sync_finished, timeout=30_000) as got:
            panel.sync_button.click()
        assert got.args[0].pushed == 5, got.args[0]
        # The first pull ends by building the search index: a phase of its own, after pull.
        assert {"push", "pull", "index"} <= set(phases)
        assert phases.index("index") > phases.index("pull")
        panel._progressed("index", 0, 1234)
        assert panel.phase_label.text() == "検索用の索引を作成中（1,234 件）…"
        panel._progressed("pull", 25000, 0)
        assert panel.phase_label.text() == "受信: 25,000"
        assert panel.progress.maximum() == 0  # busy
        qtbot.waitUntil(lambda: "0" in panel.pending_label.text(), timeout=10_000)
        assert "2026" in panel.last_label.text() or "20" in panel.last_label.text()
        assert confirm_unsynced(panel, lap.store)  # nothing unsynced: no question asked
        panel.runner.wait_idle()
        lap.close()


def test_gui_enrolment_then_sync_then_revoke_wipes(qtbot, tmp_path: Path):
    """The sync screen enrols with a one-time code, syncs, and a revoked device is wiped."""
    from tests.sync.world import fresh_db
    from ui.context import UiContext
    from ui.settings import UiSettings
    from ui.tasks import TaskRunner
    from ui.views.sync_page import SyncScreen
    from ui.views.sync_panel import confirm_unsynced

    with running_server(tmp_path / "server") as srv:
        admin = Admin.create(srv, "guiadmin")
        user = admin.add_user("guiuser", "outreach", agency_id=None)
        store = fresh_db(tmp_path / "gui" / "yorisoi.db")
        runner = TaskRunner(store)
        ctx = UiContext(runner=runner, settings=UiSettings(), db_path=store.path)
        wiped: list[bool] = []
        screen = SyncScreen(ctx, lambda: wiped.append(True))
        qtbot.addWidget(screen)
        screen.activate()
        qtbot.waitUntil(lambda: not screen.enroll_box.isHidden(), timeout=10_000)
        assert confirm_unsynced(screen, store)  # not enrolled: nothing to warn about
        screen.url.setText(srv.url)
        screen.code.setText(admin.code(user["id"]))
        with qtbot.waitSignal(screen.panel.sync_finished, timeout=30_000) as got:
            screen.enroll_button.click()
        assert got.args[0].pulled >= 0, got.args[0]
        qtbot.waitUntil(lambda: screen.enroll_box.isHidden(), timeout=10_000)
        from app.sync import state

        enrollment = state.enrollment(store)
        assert enrollment is not None
        admin.revoke(enrollment.device_id)
        with qtbot.waitSignal(screen.panel.device_wiped, timeout=30_000):
            from PySide6.QtCore import QTimer
            from PySide6.QtWidgets import QApplication, QMessageBox

            shown: list[str] = []

            def close_boxes() -> None:
                for w in QApplication.topLevelWidgets():
                    if isinstance(w, QMessageBox) and w.isVisible():
                        shown.append(w.text())
                        w.accept()

            timer = QTimer()
            timer.timeout.connect(close_boxes)
            timer.start(100)
            screen.panel.start_sync()
        timer.stop()
        assert wiped == [True]
        # The person is told what went, including the changes the server never received.
        assert any("消去" in t and "サーバーに届いてい" in t for t in shown), shown
        assert not store.path.exists()
        runner.wait_idle()
