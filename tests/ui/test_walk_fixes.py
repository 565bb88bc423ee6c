"""Small defects found by using the app as a person would (window titles, stale messages,
where the keyboard focus starts, Tab in the meeting dialogs). Real widgets offscreen, a real
encrypted database without demo data (fast)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from app.services import meetings
from app.services.browse import choices
from tests.ui.conftest import type_text
from ui.context import UiContext
from ui.tasks import TaskRunner


@pytest.fixture
def ctx(qapp, ui_settings, store, actor):
    with store.session() as s:
        picks = choices(s)
    runner = TaskRunner(store)
    yield UiContext(runner=runner, settings=ui_settings, db_path=store.path, actor=actor,
                    choices=picks)  # fmt: skip
    runner.wait_idle()


@pytest.fixture
def meeting(store, actor, ctx):
    with store.session() as s:
        mid = meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=dt.date.today())
        return meetings.meeting_data(s, actor, mid, audit_view=False)


def test_window_titles_do_not_repeat_the_application_name(qapp, ui_settings):
    """Qt adds the application name (寄り添い) to every window title on Windows and X11."""
    from ui.dialogs.first_run import FirstRunDialog
    from ui.dialogs.unlock import UnlockDialog

    assert QApplication.applicationDisplayName() == "寄り添い"
    for dialog in (FirstRunDialog(), UnlockDialog("default")):
        assert "寄り添い" not in dialog.windowTitle(), dialog.windowTitle()
    from ui import main_window

    source = main_window.__file__
    with open(source, encoding="utf-8") as f:
        assert 'tr("寄り添い — ' not in f.read()


def test_first_run_message_goes_once_the_passphrase_is_retyped(qtbot, ui_settings):
    from ui.dialogs.first_run import FirstRunDialog

    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    type_text(dialog.name, "試験 花子")
    qtbot.keyClicks(dialog.passphrase, "abc")
    dialog.ok.click()
    assert dialog.errors.general.text()  # "too weak"
    qtbot.keyClicks(dialog.passphrase, "-kawa-no-hotori-sakura-77")
    assert not dialog.errors.general.text()  # no "too weak" under a strong passphrase


def _shown(qtbot, dialog):
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def test_meeting_dialogs_start_in_the_first_field_and_tab_leaves_text_boxes(qtbot, ctx, meeting):
    from ui.dialogs.meeting_dialogs import CaseDialog, MeetingDialog, MemberDialog, MinutesDialog

    d = _shown(qtbot, CaseDialog(ctx, meeting.id))
    qtbot.waitUntil(lambda: d.focusWidget() is d.search)
    qtbot.keyClicks(d.focusWidget(), "2026-000001")  # typing goes into the field
    assert d.search.text() == "2026-000001"
    d.close()

    d = _shown(qtbot, MemberDialog(ctx, meeting.id))
    qtbot.waitUntil(lambda: d.focusWidget() is d.staff)
    d.close()

    d = _shown(qtbot, MeetingDialog(ctx, meeting))
    assert d.decisions.tabChangesFocus()
    d.close()
    d = _shown(qtbot, MinutesDialog(ctx, meeting))
    for box in (d.discussion, d.decision):
        assert isinstance(box, QPlainTextEdit) and box.tabChangesFocus()
    d.discussion.setFocus()
    qtbot.keyClick(d.discussion, Qt.Key.Key_Tab)
    assert "\t" not in d.discussion.toPlainText()
    assert d.focusWidget() is d.decision
    d.close()


def test_meeting_dialog_messages(qtbot, ctx, meeting):
    from ui.dialogs.meeting_dialogs import CaseDialog, MemberDialog

    d = CaseDialog(ctx, meeting.id)
    qtbot.addWidget(d)
    d.save()  # nothing chosen (no case at all): say what is missing
    assert d.error.text() == "一覧からケースを選んでください。"

    d = MemberDialog(ctx, meeting.id)
    qtbot.addWidget(d)
    d.save()
    assert "職員を選ぶか" in d.error.text()
    d.staff.setCurrentIndex(1)  # fixed: the old message does not stay under the new choice
    assert d.error.text() == ""


def _tiny_pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "test")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_pdf_password_is_typed_twice_and_a_refusal_says_why(qtbot, ui_settings):
    from ui.printing import PdfPasswordDialog

    d = PdfPasswordDialog()
    qtbot.addWidget(d)
    qtbot.keyClicks(d.password, "abc")
    d.accept()
    assert d.message.isVisibleTo(d) and "8文字以上" in d.message.text()
    assert d.result() != d.DialogCode.Accepted
    qtbot.keyClicks(d.password, "abcdefghij")  # replaces the selected short one
    assert not d.message.isVisibleTo(d)  # the old reason goes when the person types
    qtbot.keyClicks(d.again, "abcdefgh")
    d.accept()
    assert "一致しません" in d.message.text()
    qtbot.keyClicks(d.again, "abcdefghij")  # retyped over the selected mismatch
    d.accept()
    assert d.result() == d.DialogCode.Accepted and d.password.text() == "abcdefghij"


def test_preview_speaks_one_language_and_says_where_it_saved(qtbot, ui_settings, tmp_path):
    from ui import printing

    dialog = printing.preview_and_print(None, _tiny_pdf(), "会議録 2026-12-03")
    qtbot.addWidget(dialog)
    texts = [dialog.windowTitle(), dialog.pages_label.text(), dialog.print_button.text(),
             dialog.save_button.text()]  # fmt: skip
    assert not any(" / " in t or "Print" in t or "pages" in t for t in texts), texts
    out = tmp_path / "minutes.pdf"
    assert dialog._save(path=out, password="hozon-pass-1") == out
    assert out.exists() and "保存しました" in dialog.pages_label.text()
    assert str(out) in dialog.pages_label.text()


def test_main_window_keeps_its_size_across_lock_and_restart(
    qtbot, make_controller, store, actor, passphrase, ui_settings
):
    from tests.ui.conftest import unlock

    path = store.path
    store.lock()
    controller = make_controller(path)
    window = unlock(qtbot, controller, passphrase)
    # The offscreen screen is 800x600 and the window's least width is wider: the height
    # tells whether the size was kept.
    window.resize(window.width(), 420)
    window.move(20, 10)
    size = (window.width(), 420)
    controller.lock()
    controller.runner.wait_idle()
    again = unlock(qtbot, controller, passphrase)  # a new window after unlock
    assert again is not window
    assert (again.width(), again.height()) == size

    again.resize(again.width(), 380)
    again.close_for_lock()  # as at quit: the next start opens the same size
    later = make_controller(path)
    assert unlock(qtbot, later, passphrase).height() == 380


def test_sync_page_enrols_on_enter_and_shows_a_readable_time(qtbot, ctx):
    from ui.views.sync_page import SyncScreen
    from ui.views.sync_panel import clock_text

    screen = SyncScreen(ctx, lambda: None)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.panel.refreshed, timeout=10_000):
        screen.activate()
    qtbot.keyClicks(screen.code, "GKDM-V7T7-AA43")
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)  # no URL yet: Enter asked for it
    assert "URL" in screen.enroll_message.text()
    qtbot.waitUntil(lambda: ctx.runner.pending == 0, timeout=10_000)  # before the screen goes

    shown = clock_text("2026-12-03T07:44:10.474809Z")
    expected = dt.datetime(2026, 12, 3, 7, 44, tzinfo=dt.UTC).astimezone()
    assert shown == expected.strftime("%Y-%m-%d %H:%M")  # no microseconds, no "T…Z"
    assert clock_text(None) == "" and clock_text("yesterday") == "yesterday"


def test_meeting_list_keeps_the_shown_meeting_selected(qtbot, ctx, store, actor, meeting):
    from ui.views.meetings import MeetingsView

    with store.session() as s:
        other = meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=dt.date.today(),
                                        title="二つめの会議")  # fmt: skip
    view = MeetingsView(ctx)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=10_000)

    def selected() -> str | None:
        rows = view.table.selectionModel().selectedRows()
        return view.model.row_at(rows[0].row())["id"] if rows else None

    view.load_meeting(other)  # as after 新しい会議: the details show it, so does the list
    qtbot.waitUntil(lambda: view.meeting is not None and view.meeting.id == other)
    assert selected() == other
    view.refresh()  # after every dialog the list reloads: the selection stays
    qtbot.waitUntil(lambda: ctx.runner.pending == 0)
    assert selected() == other and view.meeting.id == other
