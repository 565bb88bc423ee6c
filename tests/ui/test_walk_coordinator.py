"""Defects found by using the app as an outreach worker and as a coordinator would, at
1366x768 (empty lists that said nothing, typing case ids, losing typed minutes to Escape,
...). Real widgets offscreen, a real encrypted database without demo data (fast)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app.domain.records import Actor
from app.services import meetings
from app.services.browse import choices
from ui.context import UiContext
from ui.tasks import TaskRunner


def _ctx(store, actor, ui_settings):
    with store.session() as s:
        picks = choices(s)
    return UiContext(runner=TaskRunner(store), settings=ui_settings, db_path=store.path,
                     actor=actor, choices=picks)  # fmt: skip


@pytest.fixture
def ctx(qapp, ui_settings, store, actor):
    c = _ctx(store, actor, ui_settings)
    yield c
    c.runner.wait_idle()


@pytest.fixture
def outreach(store) -> Actor:
    from app.services.profile import set_profile_user

    with store.session() as s:
        return set_profile_user(s, name="外回り 一郎", role="outreach", login="walker")


def _idle(qtbot, ctx):
    qtbot.waitUntil(lambda: ctx.runner.pending == 0, timeout=10_000)


def test_empty_lists_say_what_they_are_for(qtbot, qapp, ui_settings, store, outreach):
    """An outreach worker who attends no meeting saw a blank table: the screen now says which
    meetings appear there and when; the worklist and today's visits say the same kind of thing."""
    from ui.views.meetings import MeetingsView
    from ui.views.visits import VisitsView
    from ui.views.worklist import WorklistView

    ctx = _ctx(store, outreach, ui_settings)
    views = [MeetingsView(ctx), WorklistView(ctx), VisitsView(ctx)]
    for v in views:
        qtbot.addWidget(v)
        v.resize(1100, 600)
        v.show()
        v.activate() if hasattr(v, "activate") else v.refresh()
    _idle(qtbot, ctx)
    meetings_view, todo, visits = views
    qtbot.waitUntil(lambda: meetings_view.empty.isVisible())
    text = meetings_view.empty.text()
    assert "出席する会議" in text and "担当ケース" in text and "同期" in text
    assert meetings_view.empty.geometry().height() > 100  # over the table, not a sliver
    assert todo.empty.isVisible() and "やることはありません" in todo.empty.text()
    assert "チーム全体" in todo.empty.text()  # where the team's items are, when one's own are none
    assert todo.empty.width() <= 640  # a readable line, not one across the whole table
    assert visits.empty.isVisible() and "次回予定日" in visits.empty.text()
    todo.overdue.setChecked(True)  # a filter: the message says so
    _idle(qtbot, ctx)
    assert "条件" in todo.empty.text()
    ctx.runner.wait_idle()


def test_meetings_empty_state_goes_when_a_meeting_exists(qtbot, ctx, store, actor):
    from ui.views.meetings import MeetingsView

    view = MeetingsView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    _idle(qtbot, ctx)
    assert view.empty.isVisible() and "新しい会議" in view.empty.text()  # the coordinator's words
    with store.session() as s:
        meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=dt.date.today())
    view.refresh()
    _idle(qtbot, ctx)
    assert view.model.rowCount() == 1 and not view.empty.isVisible()
    assert "会議を選ぶと" in view.detail.toPlainText()  # the right side says what it is for


def _case(store, actor, name, kana, title="生活費が足りない（架空）"):
    from app.services.cases import create_case
    from app.services.households import create_person

    with store.session() as s:
        pid = create_person(s, actor, name=name, kana=kana)
        return create_case(s, actor, title=title, person_id=pid)


def test_a_case_goes_on_the_agenda_from_a_searchable_list(qtbot, ctx, store, actor):
    """The dialog asked for a case number (or id) typed from memory; now the coordinator
    searches by name and picks the case from a list."""
    from tests.ui.conftest import type_text
    from ui.dialogs.meeting_dialogs import CaseDialog

    _case(store, actor, "架空 花子", "かくう はなこ")
    wanted = _case(store, actor, "試験 次郎", "しけん じろう")
    with store.session() as s:
        mid = meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=dt.date.today())
    d = CaseDialog(ctx, mid)
    qtbot.addWidget(d)
    d.show()
    _idle(qtbot, ctx)
    assert d.model.rowCount() == 2  # the latest cases, before anything is typed
    type_text(d.search, "しけん")
    qtbot.waitUntil(lambda: d.model.rowCount() == 1, timeout=5_000)
    row = d.model.row_at(0)
    assert row.id == wanted and row.person_name == "試験 次郎" and row.case_number
    qtbot.keyClick(d.search, Qt.Key.Key_Return)  # Enter: to the list, Enter again: added
    assert d.table.hasFocus() or d.focusWidget() is d.table
    with qtbot.waitSignal(d.accepted, timeout=5_000):
        d.table.activated.emit(d.table.currentIndex())
    with store.session() as s:
        data = meetings.meeting_data(s, actor, mid, audit_view=False)
    assert [c.id for c in data.cases] == [wanted]


def _answer(qtbot, d, discard: bool) -> None:
    qtbot.waitUntil(lambda: d.discard_box is not None and d.discard_box.isVisible())
    box = d.discard_box
    button = next(b for b in box.buttons() if ("破棄" in b.text()) == discard)
    button.click()


def test_escape_or_cancel_with_typed_minutes_asks_first(qtbot, ctx, store, actor):
    """Escape in 議事録を書く threw away the typed minutes without a word."""
    from tests.ui.conftest import type_text
    from ui.dialogs.meeting_dialogs import MeetingDialog, MinutesDialog

    cid = _case(store, actor, "試験 次郎", "しけん じろう")
    with store.session() as s:
        mid = meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=dt.date.today(),
                                      case_ids=[cid])  # fmt: skip
        meeting = meetings.meeting_data(s, actor, mid, audit_view=False)
    d = MinutesDialog(ctx, meeting)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    qtbot.keyClick(d, Qt.Key.Key_Escape)  # nothing typed: closes at once
    assert not d.isVisible() and d.discard_box is None

    d = MinutesDialog(ctx, meeting)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    type_text(d.discussion, "家賃の相談先を検討した")
    qtbot.keyClick(d.discussion, Qt.Key.Key_Escape)
    _answer(qtbot, d, discard=False)  # 編集に戻る: still open, text kept
    assert d.isVisible() and d.discussion.toPlainText() == "家賃の相談先を検討した"
    d.buttons.button(d.buttons.StandardButton.Cancel).click()
    _answer(qtbot, d, discard=True)
    qtbot.waitUntil(lambda: not d.isVisible())

    d = MeetingDialog(ctx, None)  # the other multi-field dialogs ask the same way
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    type_text(d.place, "本庁舎 会議室3")
    d.close()  # the window's close button
    _answer(qtbot, d, discard=False)
    assert d.isVisible()


def test_case_editor_and_household_dialogs_ask_before_discarding(qtbot, ctx):
    from tests.ui.conftest import type_text
    from ui.dialogs.case_editor import CaseEditorDialog

    d = CaseEditorDialog(ctx)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    type_text(d.household_search, "佐藤")  # a search alone is nothing to lose
    qtbot.waitUntil(lambda: ctx.runner.pending == 0)
    type_text(d.title, "食べるものがない（架空）")
    d.reject()
    _answer(qtbot, d, discard=True)
    qtbot.waitUntil(lambda: not d.isVisible())


def test_escape_in_the_unlock_dialog_clears_the_passphrase_and_does_not_quit(qtbot, ui_settings):
    from ui.dialogs.unlock import UnlockDialog

    d = UnlockDialog("default")
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    rejected: list[bool] = []
    d.rejected.connect(lambda: rejected.append(True))
    qtbot.keyClicks(d.passphrase, "half typed")
    qtbot.keyClick(d.passphrase, Qt.Key.Key_Escape)
    assert d.passphrase.text() == "" and d.isVisible() and not rejected
    qtbot.keyClick(d.passphrase, Qt.Key.Key_Escape)  # again, on the empty field: still there
    assert d.isVisible() and not rejected
    quit_button = next(b for b in d.findChildren(type(d.button)) if b.text() == "終了")
    quit_button.click()  # quitting is still one click away
    assert rejected == [True]


def test_agency_pickers_are_sorted_by_name(qtbot, ctx):
    """The agencies came in the administrator's code order (重層的支援推進担当課, 保健福祉
    センター（南部）, ...北部, 福祉局 ...): nobody could guess where one was in a long list."""
    from ui.dialogs.first_run import FirstRunDialog
    from ui.dialogs.meeting_dialogs import MemberDialog

    names = [c.name for c in ctx.choices.agencies]
    assert len(names) > 10
    assert names == sorted(names, key=lambda n: (n[0] > "ヿ", n))  # kana first, then by name
    assert names.index("保健福祉センター（北部）") + 1 == names.index("保健福祉センター（南部）")
    d = MemberDialog(ctx, "m")
    qtbot.addWidget(d)
    assert [d.agency.itemText(i) for i in range(1, d.agency.count())] == names
    first = FirstRunDialog()
    qtbot.addWidget(first)
    shown = [first.agency.itemText(i) for i in range(1, first.agency.count())]
    assert shown == sorted(shown)


def test_sync_page_of_a_demo_profile_says_once_that_it_cannot_sync(qtbot, ctx, store):
    """The demo profile's sync page said it twice: in the disabled enrolment form and in the
    panel's state line."""
    from app.services.profile import DEMO_SETTING, set_setting
    from ui.views.sync_page import SyncScreen

    with store.session() as s:
        set_setting(s, DEMO_SETTING, True)
    screen = SyncScreen(ctx, lambda: None)
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show()
    with qtbot.waitSignal(screen.panel.refreshed, timeout=10_000):
        screen.activate()
    from PySide6.QtWidgets import QLabel

    said = [w.text() for w in screen.findChildren(QLabel) if w.isVisible() and "デモ" in w.text()]
    assert len(said) == 1, said
    assert "--profile" in said[0]  # what to do instead
    assert not screen.enroll_box.isVisible()
    _idle(qtbot, ctx)


def test_case_editor_names_the_case_it_edits(qtbot, ctx, store, actor):
    from app.services.cases import case_detail
    from ui.dialogs.case_editor import CaseEditorDialog

    cid = _case(store, actor, "試験 次郎", "しけん じろう")
    with store.session() as s:
        detail = case_detail(s, actor, cid)
    d = CaseEditorDialog(ctx, detail)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    assert detail.case_number in d.heading.text() and "試験 次郎" in d.heading.text()
    assert d.heading.isVisible() and d.heading.width() > 200
    assert detail.case_number in d.windowTitle() and "試験 次郎" in d.windowTitle()
    new = CaseEditorDialog(ctx)
    qtbot.addWidget(new)
    assert not new.heading.isVisibleTo(new) and new.windowTitle() == "新規ケース"


def test_timeline_labels_of_dense_events_do_not_overlap(qtbot, qapp, ui_settings):
    """Events a few months apart had their labels painted over each other on one line."""
    from app.domain.records import HouseholdData, LifeEventData, MemberData, PersonData
    from ui.views.timeline import LifeStageTimeline

    events = tuple(
        LifeEventData(
            id=f"e{i}",
            event_date=dt.date(2023, 1 + i, 1),
            kind="other",
            description=f"架空の出来事 その{i + 1}（長めの説明）",
        )  # fmt: skip
        for i in range(8)
    )
    members = (
        MemberData(id="m1", person=PersonData(id="p1", name="試験 太郎", birth_date=dt.date(1960, 4, 1),
                                              sex="male"), relationship="head", is_head=True),
        MemberData(id="m2", person=PersonData(id="p2", name="試験 花子", birth_date=dt.date(1990, 4, 1),
                                              sex="female"), relationship="child"),
    )  # fmt: skip
    t = LifeStageTimeline()
    qtbot.addWidget(t)
    t.resize(1000, 100)  # the case view's width at 1366x768
    t.set_household(HouseholdData(id="h", name="試験さん世帯", members=members, events=events))
    t.show()
    qtbot.waitExposed(t)
    labels = t.event_labels()
    assert len(labels) >= 4
    rects = [r for r, _t, _row in labels]
    for i, a in enumerate(rects):
        assert a.left() >= 0 and a.right() <= t.width()
        for b in rects[i + 1 :]:
            assert not a.intersects(b), (a, b)
    lanes_top = t._top()
    assert all(r.bottom() <= lanes_top for r in rects)  # above the lanes, not on them
    assert t.height() >= lanes_top + 2 * 34  # the widget grew to hold the label rows
    assert "その8" in t.toolTip()  # every event, even one left without a label
    t.resize(
        520, 100
    )  # the households page: a lone event keeps its words (not 「転居: 転居して…」)
    t.set_household(HouseholdData(id="h", name="試験さん世帯", members=members, events=events[:1]))
    ((_r, text, _row),) = t.event_labels()
    assert text.endswith("その1（長めの説明）"), text
    t.grab()  # paints without error


def test_reassign_dialog_says_whose_cases_and_which(qtbot, ctx, store, actor):
    """It said only "3件のケースを引き継ぎます": not whose, nor which, of 239 listed."""
    from ui.views.caseload import CaseloadView

    made = [_case(store, actor, f"試験 {n}", f"しけん {k}") for n, k in
            (("一郎", "いちろう"), ("二郎", "じろう"), ("三郎", "さぶろう"))]  # fmt: skip
    view = CaseloadView(ctx)
    qtbot.addWidget(view)
    view.resize(1100, 650)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.activate()
    qtbot.waitUntil(lambda: view.case_model.rowCount() == 3, timeout=10_000)
    assert not view.hand_selected.isEnabled()  # nothing selected: it would do nothing
    assert view.hand_all.isEnabled()
    sel = view.case_table.selectionModel()
    for row in (0, 2):
        sel.select(view.case_model.index(row, 0), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
    assert view.hand_selected.isEnabled()
    dialog = view.reassign(all_of_worker=False)
    text = dialog.summary.text()
    assert "試験 太郎さん" in text and "2件" in text
    for row in (0, 2):
        r = view.case_model.row_at(row)
        assert f"{r.case_number}　{r.person_name}" in text
    assert view.case_model.row_at(1).case_number not in text
    dialog.reason.setText("異動")  # typed: Escape asks first, like the other forms
    dialog.reject()
    assert dialog.discard_box is not None and dialog.isVisible()
    dialog.discard_box.reject()
    dialog.done(0)
    everything = view.reassign(all_of_worker=True)
    assert "すべて" in everything.summary.text() and "3件" in everything.summary.text()
    everything.done(0)
    assert len(made) == 3
    view.group.setCurrentIndex(view.group.findData("district"))  # by district: no worker
    _idle(qtbot, ctx)
    assert not view.hand_all.isEnabled()
    _idle(qtbot, ctx)


def test_minutes_have_room_and_a_case_search_says_when_nothing_matches(qtbot, ctx, store, actor):
    from tests.ui.conftest import type_text
    from ui.dialogs.meeting_dialogs import CaseDialog, MinutesDialog

    with store.session() as s:
        mid = meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=dt.date.today())
        meeting = meetings.meeting_data(s, actor, mid, audit_view=False)
    d = MinutesDialog(ctx, meeting)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    lines = d.discussion.fontMetrics().lineSpacing()
    assert d.discussion.height() >= 8 * lines and d.decision.height() >= 4 * lines
    assert d.frameGeometry().height() <= 768 - 40  # still fits the laptop's screen
    c = CaseDialog(ctx, mid)
    qtbot.addWidget(c)
    c.show()
    type_text(c.search, "そんな人はいない")
    qtbot.waitUntil(lambda: c.empty.isVisible(), timeout=5_000)
    assert "該当するケースはありません" in c.empty.text()
    _idle(qtbot, ctx)


def test_print_summary_button_opens_the_preview(qtbot, ctx, store, actor):
    """概要を印刷… raised TypeError (clicked(bool) reached the on_open callback as False):
    the preview never opened and an error box said 予期しないエラー."""
    from ui.printing import PdfPreviewDialog
    from ui.views.case_view import CaseView

    cid = _case(store, actor, "試験 次郎", "しけん じろう")
    view = CaseView(ctx)
    qtbot.addWidget(view)
    view.resize(1280, 700)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.load(cid)
    view.print_button.click()  # the real button, as a person clicks it

    def previews() -> list[PdfPreviewDialog]:
        return [w for w in qapp_widgets() if isinstance(w, PdfPreviewDialog) and w.isVisible()]

    qtbot.waitUntil(lambda: len(previews()) == 1, timeout=20_000)
    for p in previews():
        p.close()
    _idle(qtbot, ctx)


def qapp_widgets():
    from PySide6.QtWidgets import QApplication

    return QApplication.topLevelWidgets()


def test_merge_button_asks_before_merging_two_persons(qtbot, qapp, ui_settings):
    """統合… merged at once: clicked(bool) reached _merge as confirm=False, so the question
    (「…の記録をこの人に統合します。よろしいですか。」) never came."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.services.duplicates import Candidate
    from ui.dialogs.duplicate_dialog import DuplicateDialog

    cand = Candidate(person_id="p2", name="試験 次郎", kana="シケン ジロウ", birth_date=None,
                     phone=None, address=None, score=70, reasons=("name", "kana"),
                     case_numbers=("2026-000002",))  # fmt: skip
    d = DuplicateDialog([cand], mode="merge")
    qtbot.addWidget(d)
    d.show()
    d.table.selectRow(0)
    asked: list[str] = []

    def answer_no(tries: int = 40) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            asked.append(box.text())
            box.button(QMessageBox.StandardButton.No).click()
        elif tries:
            QTimer.singleShot(50, lambda: answer_no(tries - 1))

    QTimer.singleShot(50, answer_no)
    d.use_button.click()
    assert asked and "試験 次郎" in asked[0]
    assert d.choice is None and d.isVisible()  # "No": nothing merged, the dialog stays


def test_task_dialog_fills_in_the_members_agency(qtbot, ctx, store, actor):
    from app.storage.models import Staff
    from ui.dialogs.meeting_dialogs import TaskDialog
    from ui.widgets import combo_value, set_combo

    cid = _case(store, actor, "試験 次郎", "しけん じろう")
    agency = ctx.choices.agencies[2].id
    with store.session() as s:
        member = Staff(name="外部 三郎", role="outreach")
        s.add(member)
        s.flush()
        sid = member.id
        mid = meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=dt.date.today(),
                                      case_ids=[cid])  # fmt: skip
        meetings.add_attendee(s, actor, mid, staff_id=sid, agency_id=agency)
        meeting = meetings.meeting_data(s, actor, mid, audit_view=False)
        ctx.choices = choices(s)
    d = TaskDialog(ctx, meeting)
    qtbot.addWidget(d)
    set_combo(d.staff, sid)
    assert combo_value(d.agency) == agency  # the member's agency, filled in
    other = ctx.choices.agencies[5].id
    set_combo(d.agency, other)  # chosen by hand: kept when the staff changes back and forth
    set_combo(d.staff, None)
    set_combo(d.staff, sid)
    assert combo_value(d.agency) == other


def test_household_merge_dialog_says_what_to_do(qtbot, ctx, store, actor):
    from app.services.households import create_household, household_data
    from tests.ui.conftest import type_text
    from ui.dialogs.household_dialogs import MergeDialog

    with store.session() as s:
        hid = create_household(s, actor, name="試験さん世帯")
        keep = household_data(s, hid)
    d = MergeDialog(ctx, keep)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    assert d.empty.isVisible() and "探してください" in d.empty.text()  # not a blank table
    assert "選ぶと" in d.right.toPlainText()
    type_text(d.search, "存在しない名前")
    qtbot.waitUntil(lambda: "ありません" in d.empty.text(), timeout=5_000)
    assert d.empty.isVisible()
    _idle(qtbot, ctx)


def test_a_meeting_opens_from_the_cases_meeting_tab(qtbot, make_controller, store, actor,
                                                    passphrase):  # fmt: skip
    """Enter or a double click on a meeting in the case's 支援会議 tab did nothing."""
    from tests.ui.conftest import unlock

    cid = _case(store, actor, "試験 次郎", "しけん じろう")
    with store.session() as s:
        mid = meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=dt.date.today(),
                                      title="試験の支援会議", case_ids=[cid])  # fmt: skip
    path = store.path
    store.lock()
    controller = make_controller(path)
    window = unlock(qtbot, controller, passphrase)
    with qtbot.waitSignal(window.case_view.loaded, timeout=10_000):
        window.open_case(cid)
    view = window.case_view.meetings_table
    qtbot.waitUntil(lambda: window.case_view.meetings.rowCount() == 1)
    assert window.case_view.meetings_empty.isHidden()  # a meeting: no empty-list message
    assert not window.case_view.referrals_empty.isHidden()  # no referral: it says how to make one
    assert "紹介票を作成" in window.case_view.referrals_empty.text()
    view.activated.emit(window.case_view.meetings.index(0, 0))
    page = window.page("meetings")
    qtbot.waitUntil(lambda: page.meeting is not None and page.meeting.id == mid, timeout=10_000)
    assert window.stack.currentWidget() is page
    assert "試験の支援会議" in page.detail.toPlainText()


def test_meeting_buttons_wait_for_what_their_dialog_needs(qtbot, ctx, store, actor):
    """議事録を書く on a meeting without a case opened a dialog with an empty case list that
    could only say 「ケースを選んでください」."""
    from ui.views.meetings import MeetingsView

    with store.session() as s:
        mid = meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=dt.date.today())
    view = MeetingsView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.load_meeting(mid)
    qtbot.waitUntil(lambda: view.meeting is not None, timeout=10_000)
    b = view.buttons
    for key in ("minutes", "task", "status", "pledge"):
        assert not b[key].isEnabled() and b[key].toolTip(), key
    assert b["case"].isEnabled() and b["member"].isEnabled() and b["edit"].isEnabled()
    cid = _case(store, actor, "試験 次郎", "しけん じろう")
    with store.session() as s:
        meetings.add_case(s, actor, mid, cid)
    view.load_meeting(mid)
    qtbot.waitUntil(lambda: view.meeting is not None and bool(view.meeting.cases), timeout=10_000)
    assert b["minutes"].isEnabled() and b["task"].isEnabled()
    assert not b["status"].isEnabled()
    _idle(qtbot, ctx)


def test_first_run_does_not_open_with_an_error_in_red(qtbot, ui_settings):
    """The form opened with 「10文字以上にしてください。」 in red under an untouched field."""
    from ui.dialogs.first_run import FirstRunDialog

    d = FirstRunDialog()
    qtbot.addWidget(d)
    assert d.hint.text() and "#b3261e" not in d.hint.styleSheet()  # a hint, in grey
    qtbot.keyClicks(d.passphrase, "abc")
    d._update_strength()
    assert "#b3261e" in d.hint.styleSheet()  # typed and too weak: now it is red


def test_required_dates_have_no_empty_tick(qtbot, ctx, store, actor):
    """開催日 and the pledge's 署名日 are required but came with the tick that empties a date."""
    from ui.dialogs.meeting_dialogs import MeetingDialog, PledgeDialog

    d = MeetingDialog(ctx, None)
    qtbot.addWidget(d)
    d.show()
    assert not d.held_on.check.isVisible() and d.held_on.value() == dt.date.today()
    with store.session() as s:
        mid = meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=dt.date.today())
        meeting = meetings.meeting_data(s, actor, mid, audit_view=False)
    p = PledgeDialog(ctx, meeting)
    qtbot.addWidget(p)
    p.show()
    assert not p.signed.check.isVisible() and p.signed.value() == dt.date.today()
    assert p.until.check.isVisibleTo(p)  # a standing pledge's end stays optional


def test_referral_and_resource_lists_explain_themselves_when_empty(qtbot, ctx):
    from ui.views.referrals import ReferralsView
    from ui.views.resources import ResourcesView

    refs, res = ReferralsView(ctx), ResourcesView(ctx)
    for v in (refs, res):
        qtbot.addWidget(v)
        v.show()
        v.refresh()
    _idle(qtbot, ctx)
    assert refs.empty.isVisible() and "紹介票を作成" in refs.empty.text()
    assert res.empty.isVisible() and "新規登録" in res.empty.text()


def test_a_new_case_can_start_a_new_household(qtbot, ctx, store, actor):
    """The GUI could attach a new case to an existing household but never make one: on a
    laptop without imported data the 世帯 screen stayed empty for good."""
    from app.services.browse import household_ids, household_rows
    from app.services.households import household_data
    from app.storage.models import Case
    from tests.ui.conftest import type_text
    from ui.dialogs.case_editor import NEW_HOUSEHOLD, CaseEditorDialog
    from ui.widgets import set_combo

    d = CaseEditorDialog(ctx)
    qtbot.addWidget(d)
    d.show()
    type_text(d.person_name, "新井 花子")
    type_text(d.address, "尼崎市架空町1丁目2番3号")
    type_text(d.title, "生活費が足りない（架空）")
    set_combo(d.household, NEW_HOUSEHOLD)
    assert not d.relationship.isEnabled()  # the person is its head
    with qtbot.waitSignal(d.accepted, timeout=10_000):
        d.save()
    with store.session() as s:
        case = s.get(Case, d.case_id)
        assert case.household_id
        hh = household_data(s, case.household_id)
        assert hh.name == "新井さん世帯" and hh.address == "尼崎市架空町1丁目2番3号"
        assert [(m.person.name, m.is_head) for m in hh.members] == [("新井 花子", True)]
        assert [r.name for r in household_rows(s, household_ids(s))] == ["新井さん世帯"]
    _idle(qtbot, ctx)


def test_households_list_explains_itself_when_empty(qtbot, ctx):
    from ui.views.households import HouseholdsView

    v = HouseholdsView(ctx)
    qtbot.addWidget(v)
    v.show()
    v.refresh()
    _idle(qtbot, ctx)
    assert v.empty.isVisible() and "新規ケース" in v.empty.text()
