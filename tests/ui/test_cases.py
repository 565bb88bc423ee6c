"""Case list (search, filters, sorting), creating and editing a case, recording a visit."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.domain.records import CaseFilter
from app.services.cases import case_ids, case_rows
from tests.ui.conftest import type_text
from ui.widgets import set_combo


def _db(controller, qtbot, fn):
    box = []
    controller.runner.db(fn, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]


def test_search_as_you_type_is_debounced_and_finds_by_kana(qtbot, unlocked):
    view = unlocked.main_window.cases
    # Pick a real person's kana from the data and type part of it in hiragana.
    row = _db(unlocked, qtbot, lambda s: case_rows(s, case_ids(s, CaseFilter())[:1])[0])
    import jaconv

    surname = jaconv.kata2hira(row.person_kana.split()[0])
    shown = []
    view.results_shown.connect(lambda text, n: shown.append((text, n)))
    type_text(view.search, surname)
    qtbot.waitUntil(lambda: bool(shown) and shown[-1][0] == surname, timeout=10_000)
    assert len(shown) < len(surname) + 1  # coalesced, not one query per keystroke... at most
    n = view.model.rowCount()
    assert 0 < n < 300
    qtbot.waitUntil(lambda: view.model.row_data(0) is not None, timeout=5_000)
    names = [view.model.row_data(i) for i in range(n)]
    assert any(r.person_name == row.person_name for r in names if r)
    with qtbot.waitSignal(view.list_complete, timeout=10_000):  # first page, then the rest
        view.search.clear()
    assert view.model.rowCount() >= 300


def test_filters_narrow_the_list(qtbot, unlocked):
    view = unlocked.main_window.cases
    total = view.model.rowCount()
    shown = []
    view.results_shown.connect(lambda text, n: shown.append(n))
    set_combo(view.urgency, "high")
    qtbot.waitUntil(lambda: len(shown) >= 1 and view.model.rowCount() == shown[-1], timeout=10_000)
    high = view.model.rowCount()
    assert 0 < high < total
    qtbot.waitUntil(lambda: view.model.row_data(0) is not None, timeout=5_000)
    assert all(view.model.row_data(i).urgency == "high" for i in range(min(high, 50)))
    set_combo(view.status, "supporting")
    qtbot.waitUntil(lambda: len(shown) >= 2, timeout=10_000)
    both = view.model.rowCount()
    assert both <= high
    expected = _db(
        unlocked,
        qtbot,
        lambda s: len(case_ids(s, CaseFilter(urgencies=("high",), statuses=("supporting",)))),
    )
    assert both == expected
    set_combo(view.issue, "hikikomori")
    qtbot.waitUntil(lambda: len(shown) >= 3, timeout=10_000)
    assert view.model.rowCount() <= both
    view.mine.setChecked(True)  # the test profile has no cases assigned
    qtbot.waitUntil(lambda: len(shown) >= 4, timeout=10_000)
    assert view.model.rowCount() == 0


def test_header_click_sorts_in_the_database(qtbot, unlocked):
    view = unlocked.main_window.cases
    shown = []
    view.results_shown.connect(lambda text, n: shown.append(n))
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: bool(shown) and view.model.row_data(0) is not None, timeout=10_000)
    numbers = [view.model.row_data(i).case_number for i in range(20)]
    assert numbers == sorted(numbers)


def test_create_case_with_validation_in_place(qtbot, unlocked):
    from ui.dialogs.case_editor import CaseEditorDialog

    window = unlocked.main_window
    window.new_case()
    dialog = next(w for w in window.findChildren(CaseEditorDialog) if w.isVisible())
    type_text(dialog.person_name, "新規 一郎")
    dialog.save()  # no title yet
    qtbot.waitUntil(lambda: bool(dialog.errors.message_for("title")), timeout=5_000)
    assert "主訴" in dialog.errors.message_for("title")
    type_text(dialog.title, "家賃の滞納と生活費の相談")
    dialog.issues.boxes["rent_loans"].setChecked(True)
    with qtbot.waitSignal(window.case_view.loaded, timeout=10_000):
        dialog.save()
    detail = window.case_view.detail
    assert detail.title == "家賃の滞納と生活費の相談"
    assert detail.person.name == "新規 一郎"
    assert detail.issue_categories == ("rent_loans",)
    # The list refreshed itself from the announcement and finds the new case.
    window.show_page("cases")
    type_text(window.cases.search, "新規一郎")
    qtbot.waitUntil(lambda: window.cases.model.rowCount() == 1, timeout=10_000)


def test_record_a_visit_with_a_template(qtbot, unlocked):
    window = unlocked.main_window
    case_id = window.cases.model.row_id(0)
    with qtbot.waitSignal(window.case_view.loaded, timeout=10_000):
        window.open_case(case_id)
    before = len(window.case_view.detail.contacts)
    dialog = window.record_visit(case_id, "x")
    dialog.narrative.clear()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5_000)  # shortcuts need the active window
    qtbot.keyClick(dialog, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)  # template 3
    assert dialog.kind.currentData() == "accompany"
    assert dialog.narrative.toPlainText().startswith("支援員と同行訪問")
    type_text(dialog.narrative, "本人と少し話ができた。")
    dialog.next_date.check.setChecked(True)
    dialog.next_date.edit.setDate(dialog.next_date.edit.date().addDays(7))
    with qtbot.waitSignal(window.case_view.loaded, timeout=10_000):
        qtbot.keyClick(dialog.narrative, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    contacts = window.case_view.detail.contacts
    assert len(contacts) == before + 1
    newest = contacts[0]  # newest first
    assert newest.kind == "accompany" and newest.narrative.endswith("本人と少し話ができた。")


def test_visit_validation_message_next_to_field(qtbot, unlocked):
    window = unlocked.main_window
    dialog = window.record_visit(window.cases.model.row_id(0), "x")
    dialog.narrative.clear()
    dialog.save()
    qtbot.waitUntil(lambda: bool(dialog.errors.message_for("narrative")), timeout=5_000)
    assert dialog.isVisible()
    dialog.close_for_lock()


def test_edit_case_shows_error_for_bad_date_order(qtbot, unlocked):
    from ui.dialogs.case_editor import CaseEditorDialog

    window = unlocked.main_window
    with qtbot.waitSignal(window.case_view.loaded, timeout=10_000):
        window.open_case(window.cases.model.row_id(0))
    window.case_view.edit()
    dialog = next(w for w in window.case_view.findChildren(CaseEditorDialog) if w.isVisible())
    dialog.title.clear()
    dialog.save()
    qtbot.waitUntil(lambda: bool(dialog.errors.message_for("title")), timeout=5_000)
    type_text(dialog.title, "見守りに移行")
    set_combo(dialog.status, "watching")
    with qtbot.waitSignal(window.case_view.loaded, timeout=10_000):
        dialog.save()
    assert window.case_view.detail.status == "watching"


def test_capped_search_says_the_newest_are_shown(qtbot, unlocked, monkeypatch):
    import app.services.cases as cases_service

    monkeypatch.setattr(cases_service, "SEARCH_LIMIT", 3)
    monkeypatch.setattr(
        cases_service.case_ids, "__kwdefaults__", {"search_limit": 3, "limit": None}
    )
    view = unlocked.main_window.cases
    shown = []
    view.results_shown.connect(lambda text, n: shown.append((text, n)))
    type_text(view.search, "の")  # one character: matches a great many cases
    qtbot.waitUntil(lambda: bool(shown) and shown[-1][0] == "の", timeout=10_000)
    qtbot.waitUntil(lambda: "新しい順" in view.count.text(), timeout=5_000)
    assert view.model.rowCount() == 3


def test_search_during_an_unfinished_first_sync_says_some_cases_are_missing(qtbot, unlocked):
    from app.storage.search import PENDING_KEY
    from app.sync import state

    view = unlocked.main_window.cases
    shown = []
    view.results_shown.connect(lambda text, n: shown.append((text, n)))
    type_text(view.search, "の")
    qtbot.waitUntil(lambda: bool(shown) and shown[-1][0] == "の", timeout=10_000)
    assert "初回同期" not in view.count.text()

    state.write(unlocked.store, PENDING_KEY, True)  # a first sync stopped halfway
    try:
        view.search.clear()
        type_text(view.search, "山")
        qtbot.waitUntil(lambda: "初回同期" in view.count.text(), timeout=10_000)
        view.search.clear()  # the whole list, no search: nothing is missing from it
        qtbot.waitUntil(lambda: "初回同期" not in view.count.text(), timeout=10_000)
    finally:
        state.write(unlocked.store, PENDING_KEY, None)
