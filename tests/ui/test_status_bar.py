"""The status bar tells the truth: enrolled or not, whether the server (a real server process)
answers, the last successful sync in local time, and the user's own unsent changes, the same
number as the sync screen, without audit events. The lock question speaks of locking."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from app.services import visits
from app.services.cases import case_detail
from app.services.profile import current_actor
from app.storage.db import Store
from app.storage.models import Case
from app.sync import state
from app.sync.status import format_local, parse_utc, sync_status, unsent_changes
from tests.serverproc import free_port, running_server


def _enrol_record(store: Store, url: str) -> None:
    """The enrolment record as ``app.sync.enroll`` writes it (no server work needed for the
    health probe, which is unauthenticated)."""
    with store.raw() as raw:
        conn = raw.driver_connection
        state.put(conn, "enrollment", {"server_url": url, "device_id": "dev-test",
                                       "token": "t", "staff": {"id": None, "name": "試験"}})  # fmt: skip
        conn.commit()


def _outbox(store: Store) -> dict[str, int]:
    with store.raw() as raw:
        rows = raw.driver_connection.execute(
            "SELECT table_name, count(*) FROM outbox GROUP BY table_name"
        ).fetchall()
    return {t: int(n) for t, n in rows}


def _wait_status(qtbot, window, text: str, timeout: int = 15_000) -> None:
    qtbot.waitUntil(lambda: text in window.sync_label.text(), timeout=timeout)


def test_unsent_changes_are_the_users_own_and_match_the_sync_screen(qtbot, unlocked):
    from ui.views.sync_panel import SyncPanel

    controller = unlocked
    window = controller.main_window
    store = controller.store
    before = unsent_changes(store)
    with store.session() as s:
        actor = current_actor(s)
        case_id = s.scalars(select(Case.id).limit(1)).one()
    for _ in range(3):  # opening a case writes audit events: not the user's changes
        with store.session() as s:
            case_detail(s, actor, case_id)
    with store.session() as s:
        visits.add_contact(s, actor, case_id=case_id, kind="visit", narrative="訪問した。")
    outbox = _outbox(store)
    assert outbox.get("audit_event", 0) >= 4  # audit events are queued for the server too
    own = sum(n for t, n in outbox.items() if t != "audit_event")
    assert unsent_changes(store) == own == before + 1
    assert sync_status(store).pending_total == own
    window.refresh_status()
    expected = f"未送信の変更: {own:,} 件"
    qtbot.waitUntil(lambda: window.pending_label.text() == expected, timeout=10_000)
    panel = SyncPanel(store, controller.runner, auto_interval_ms=0)
    qtbot.addWidget(panel)
    # the panel reads through the background runner: the same number once it has read
    qtbot.waitUntil(
        lambda: panel.pending_label.text().startswith(f"未送信の変更: {own}"), timeout=10_000
    )
    assert window.sync_label.text() == "同期: 未登録"  # a laptop that never enrolled
    assert not window.last_sync_label.isVisibleTo(window)


def test_server_reachability_is_a_real_check_of_the_server(qtbot, unlocked, tmp_path: Path):
    controller = unlocked
    window = controller.main_window
    store = controller.store
    indicator = window.sync_indicator
    with running_server(tmp_path / "server") as srv:
        _enrol_record(store, srv.url)
        window.refresh_status()
        _wait_status(qtbot, window, "サーバーに接続できます")
        assert window.sync_label.toolTip() == srv.url
        assert window.last_sync_label.text() == "最終同期: まだありません"
    # The server process has stopped; the OS network is as up as before.
    indicator.probe()
    _wait_status(qtbot, window, "サーバーに接続できません")
    # Another address where nothing listens: unreachable from the first probe on.
    _enrol_record(store, f"http://127.0.0.1:{free_port()}")
    window.refresh_status()
    _wait_status(qtbot, window, "サーバーに接続できません")


def test_last_sync_is_shown_in_local_time(qtbot, unlocked, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        store = unlocked.store
        window = unlocked.main_window
        _enrol_record(store, f"http://127.0.0.1:{free_port()}")
        with store.raw() as raw:
            state.put(raw.driver_connection, "last_sync",
                      {"ok": True, "server_time": "2026-05-01T05:03:27.123456Z"})  # fmt: skip
            raw.driver_connection.commit()
        window.refresh_status()
        qtbot.waitUntil(
            lambda: window.last_sync_label.text() == "最終同期: 2026-05-01 14:03", timeout=10_000
        )
        assert window.last_sync_label.isVisibleTo(window)
        when = parse_utc("2026-05-01T05:03:27")  # naive server times are UTC
        assert when is not None and when.utcoffset() == dt.timedelta(hours=9)
        assert format_local(when) == "2026-05-01 14:03"
        assert format_local(None) is None and parse_utc("garbage") is None
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def _answer_next_box(qtbot, seen: list[str], button_text: str) -> None:
    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, answer)
            return
        seen.append(box.text())
        seen.extend(b.text() for b in box.buttons())
        for b in box.buttons():
            if b.text() == button_text:
                b.click()

    QTimer.singleShot(50, answer)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_lock_question_speaks_of_locking_in_the_ui_language(qtbot, unlocked, lang):
    from ui import i18n

    app = QApplication.instance()
    i18n.install(app, lang)
    try:
        controller = unlocked
        store = controller.store
        _enrol_record(store, f"http://127.0.0.1:{free_port()}")
        with store.session() as s:
            actor = current_actor(s)
            case_id = s.scalars(select(Case.id).limit(1)).one()
            visits.add_contact(s, actor, case_id=case_id, kind="visit", narrative="訪問した。")
        n = unsent_changes(store)
        stay, go = ("キャンセル", "ロックする") if lang == "ja" else ("Cancel", "Lock")
        seen: list[str] = []
        _answer_next_box(qtbot, seen, stay)
        controller.request_lock()
        assert controller.store is not None  # stayed unlocked
        text = seen[0]
        if lang == "ja":
            assert f"{n:,} 件" in text and "ロックしますか" in text and "閉じ" not in text
        else:
            assert f"{n:,} changes" in text and "Lock now?" in text and "Close" not in text
        assert stay in seen and go in seen and "Yes" not in seen
        seen.clear()
        _answer_next_box(qtbot, seen, go)
        with qtbot.waitSignal(controller.locked, timeout=5_000):
            controller.request_lock()
        assert controller.store is None
    finally:
        i18n.install(app, "ja")
