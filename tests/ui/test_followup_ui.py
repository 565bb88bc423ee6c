"""やること, 担当状況 (bulk handover), duplicate persons and print preview in the real GUI
(offscreen Qt, the real controller, a real encrypted demo database)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.services import caseload, duplicates, worklist
from app.storage.models import AuditEvent, Case, CaseTeamMember, Person, RoleAssignment
from ui.widgets import set_combo

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def _db(controller, qtbot, fn):
    box: list = []
    controller.runner.db(fn, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=20_000)
    return box[0]


def _shot(widget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def _laptop_size(window) -> None:
    window.resize(1366, 768)
    window.show()


def test_worklist_counts_filters_and_keyboard(qtbot, unlocked):
    window = unlocked.main_window
    _laptop_size(window)
    actor = unlocked.ctx.actor
    today = dt.date.today()

    def mine(s):
        # Two of the demo's cases become the tester's: a task overdue, one due in 3 days.
        ids = list(s.scalars(select(Case.id).where(Case.status != "closed").limit(2)))
        for cid, days in zip(ids, (-2, 3), strict=True):
            s.get(Case, cid).assigned_staff_id = actor.staff_id
            s.add(RoleAssignment(case_id=cid, staff_id=actor.staff_id, task=f"書類{days}",
                                 due_date=today + dt.timedelta(days=days)))  # fmt: skip
        return ids

    ids = _db(unlocked, qtbot, mine)
    window.refresh_status()
    expected = _db(unlocked, qtbot, lambda s: worklist.counts(s, actor))
    assert expected["task"] == 2 and expected["overdue"] >= 1
    todo_row = window.order.index("todo")
    qtbot.waitUntil(
        lambda: window.nav.item(todo_row).text() == f"やること（{expected['total']}・超過{expected['overdue']}）",
        timeout=10_000,
    )  # fmt: skip
    view = window.page("todo")
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        window.show_page("todo")
    assert view.model.rowCount() == expected["total"]
    assert f"{expected['total']}件" in view.summary.text()
    # Filters: one kind, then overdue only, then the whole team and one worker.
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        set_combo(view.kind, "task")
    assert {view.model.row_at(i).kind for i in range(view.model.rowCount())} == {"task"}
    assert {view.model.row_at(i).case_id for i in range(view.model.rowCount())} == set(ids)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.overdue.setChecked(True)
    assert [view.model.row_at(i).text for i in range(view.model.rowCount())] == ["書類-2"]
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.overdue.setChecked(False)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        set_combo(view.kind, "")
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        set_combo(view.scope, "team")
    team_total = view.model.rowCount()
    assert team_total > expected["total"]
    assert view.staff.isEnabled()
    worker = view.model.row_at(0).staff_id
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        set_combo(view.staff, worker)
    assert all(view.model.row_at(i).staff_id == worker for i in range(view.model.rowCount()))
    _shot(window, "todo-1366x768")
    # Keyboard: Enter on the selected row opens its case.
    view.table.setFocus()
    view.table.selectRow(0)
    first = view.model.row_at(0)
    with qtbot.waitSignal(window.case_view.loaded, timeout=20_000):
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert window.case_view.case_id == first.case_id
    # Thresholds are local settings: fewer no-contact items with a longer threshold.
    window.show_page("todo")
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        set_combo(view.staff, "")
    # showing the page reloads it too: wait for the load of the whole team, not an earlier one
    qtbot.waitUntil(lambda: len(view.result.items) == team_total, timeout=10_000)
    before = view.result.counts["no_contact"]
    assert before > 0
    dialog = view.edit_thresholds()
    dialog.boxes["no_contact_days"].setValue(3650)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        dialog.accept()
    qtbot.waitUntil(lambda: view.result.thresholds.no_contact_days == 3650, timeout=10_000)
    assert view.result.counts["no_contact"] < before


def test_bulk_reassignment_in_the_caseload_view(qtbot, unlocked):
    window = unlocked.main_window
    _laptop_size(window)
    view = window.page("caseload")
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        window.show_page("caseload")
    rows = view._rows()
    assert rows and rows[0].total >= rows[-1].total or rows[-1].staff_id == ""
    busiest = rows[0]
    expected = _db(unlocked, qtbot, lambda s: caseload.caseload(s))
    assert [(r.staff_id, r.total) for r in rows] == [(r.staff_id, r.total) for r in expected]
    # Drill down: a worker's high-urgency cell lists exactly those cases.
    qtbot.waitUntil(lambda: view.case_model.rowCount() == busiest.total, timeout=10_000)
    high_col = 2  # first cell column: urgency 高
    view.load_table.setCurrentIndex(view.load_model.index(0, high_col))
    qtbot.waitUntil(
        lambda: view.case_model.rowCount() == busiest.by_urgency.get("high", 0), timeout=10_000
    )
    assert all(
        view.case_model.row_at(i).urgency == "high" for i in range(view.case_model.rowCount())
    )
    view.load_table.setCurrentIndex(view.load_model.index(0, 0))
    qtbot.waitUntil(lambda: view.case_model.rowCount() == busiest.total, timeout=10_000)
    _shot(window, "caseload-1366x768")
    # By district: the same cases, counted per district; a district's row lists its cases.
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        set_combo(view.group, "district")
    by_district = view._rows()
    assert sum(r.total for r in by_district) == sum(r.total for r in rows)
    assert {r.staff_name for r in by_district} <= {c.name for c in unlocked.ctx.choices.districts}
    qtbot.waitUntil(lambda: view.case_model.rowCount() == by_district[0].total, timeout=10_000)
    assert {view.case_model.row_at(i).district_name for i in range(view.case_model.rowCount())} == {
        by_district[0].staff_name
    }
    assert not view.hand_all.isEnabled()
    _shot(window, "caseload-by-district-1366x768")
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        set_combo(view.group, "staff")
    qtbot.waitUntil(lambda: view.case_model.rowCount() == busiest.total, timeout=10_000)
    # Hand two selected cases to another worker.
    view.case_table.selectRow(0)
    view.case_table.selectionModel().select(
        view.case_model.index(1, 0),
        view.case_table.selectionModel().SelectionFlag.Select
        | view.case_table.selectionModel().SelectionFlag.Rows,
    )
    chosen = view.selected_case_ids()
    assert len(chosen) == 2
    dialog = view.reassign(all_of_worker=False)
    # Nothing chosen yet: the first field is named first (not "no reason" or "no such staff").
    dialog.ok_button.click()
    assert dialog.errors.message_for("to") == "引き継ぎ先を選んでください。"
    assert not dialog.errors.message_for("reason")
    target = next(c.id for c in unlocked.ctx.choices.staff if c.id != busiest.staff_id)
    set_combo(dialog.to, target)
    _shot(dialog, "reassign-dialog")
    # No reason: a clear message next to the field, nothing saved.
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.errors.message_for("reason") != "", timeout=10_000)
    assert "理由" in dialog.errors.message_for("reason")
    dialog.reason.setText("異動")
    dialog.note.setPlainText("毎週火曜に電話")
    with qtbot.waitSignal(view.reassigned, timeout=20_000) as moved:
        dialog.ok_button.click()
    assert set(moved.args[0].moved) == set(chosen)

    def check(s):
        out = []
        for cid in chosen:
            team = {t.staff_id for t in s.scalars(select(CaseTeamMember).where(
                CaseTeamMember.case_id == cid, CaseTeamMember.deleted.is_(False)))}  # fmt: skip
            out.append((s.get(Case, cid).assigned_staff_id, target in team,
                        busiest.staff_id in team))  # fmt: skip
        audits = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.detail.like("reassigned%")))  # fmt: skip
        return out, audits

    out, audits = _db(unlocked, qtbot, check)
    assert out == [(target, True, False)] * 2 and audits == 2
    # The view refreshed itself: the busiest worker has two fewer.
    qtbot.waitUntil(
        lambda: (
            next((r.total for r in view._rows() if r.staff_id == busiest.staff_id), 0)
            == busiest.total - 2
        ),
        timeout=10_000,
    )
    # All of a worker's cases.
    view.load_table.setCurrentIndex(view.load_model.index(
        next(i for i, r in enumerate(view._rows()) if r.staff_id == busiest.staff_id), 0))  # fmt: skip
    qtbot.waitUntil(lambda: view.case_model.rowCount() == busiest.total - 2, timeout=10_000)
    dialog = view.reassign(all_of_worker=True)
    set_combo(dialog.to, target)
    dialog.reason.setText("退職")
    with qtbot.waitSignal(view.reassigned, timeout=20_000) as moved:
        dialog.ok_button.click()
    assert len(moved.args[0].moved) == busiest.total - 2
    assert _db(unlocked, qtbot, lambda s: caseload.cases_of(s, busiest.staff_id)) == []


def test_duplicate_warning_on_a_new_case_and_merge(qtbot, unlocked):
    window = unlocked.main_window
    _laptop_size(window)
    existing = _db(unlocked, qtbot, lambda s: s.execute(
        select(Person.id, Person.name, Person.kana).where(Person.kana.is_not(None)).limit(1)
    ).one())  # fmt: skip
    from ui.dialogs.case_editor import CaseEditorDialog

    def new_case_dialog(name: str) -> CaseEditorDialog:
        d = CaseEditorDialog(unlocked.ctx, None, window)
        d.show()
        d.person_name.setText(name)
        d.title.setText("家賃の相談")
        return d

    # Same name written with full-width space: warned, and the existing person is picked.
    editor = new_case_dialog(existing.name.replace(" ", "\u3000"))
    editor.save()
    qtbot.waitUntil(lambda: editor.duplicate_dialog is not None, timeout=10_000)
    dup = editor.duplicate_dialog
    ids = [dup.model.row_at(i).person_id for i in range(dup.model.rowCount())]
    assert existing.id in ids
    assert "氏名が同じ" in dup.model.data(dup.model.index(ids.index(existing.id), 1))
    _shot(dup, "duplicate-warning")
    dup.table.selectRow(ids.index(existing.id))
    with qtbot.waitSignal(editor.accepted, timeout=20_000):
        dup.use_button.click()
    made = _db(unlocked, qtbot, lambda s: s.get(Case, editor.case_id).person_id)
    assert made == existing.id
    first_case = editor.case_id
    # Cancelling the warning saves nothing; "register as new" makes a second person.
    editor = new_case_dialog(existing.name)
    editor.save()
    qtbot.waitUntil(lambda: editor.duplicate_dialog is not None, timeout=10_000)
    editor.duplicate_dialog.reject()
    assert editor.case_id is None and editor.isVisible()
    editor.duplicate_dialog = None
    editor.duplicates_checked = False
    editor.save()
    qtbot.waitUntil(lambda: editor.duplicate_dialog is not None, timeout=10_000)
    with qtbot.waitSignal(editor.accepted, timeout=20_000):
        editor.duplicate_dialog.new_button.click()
    twin = _db(unlocked, qtbot, lambda s: s.get(Case, editor.case_id).person_id)
    assert twin != existing.id
    # The coordinator merges the twin into the existing person from the new case's view.
    with qtbot.waitSignal(window.case_view.loaded, timeout=20_000):
        window.open_case(editor.case_id)
    assert window.case_view.duplicates_button.isVisible()
    opened: list = []
    window.case_view.check_duplicates(on_open=opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    merge = opened[0]
    cands = [merge.model.row_at(i).person_id for i in range(merge.model.rowCount())]
    assert existing.id in cands and twin not in cands
    merge.table.selectRow(cands.index(existing.id))
    with qtbot.waitSignal(window.case_view.loaded, timeout=20_000):  # refreshed after the merge
        merge._merge(confirm=False)

    def merged(s):
        p = s.get(Person, existing.id)
        return p.merged_into_id, s.get(Case, editor.case_id).person_id, p.deleted

    assert _db(unlocked, qtbot, merged) == (twin, twin, False)
    assert _db(unlocked, qtbot, lambda s: s.get(Case, first_case).person_id) == twin
    assert (
        _db(unlocked, qtbot, lambda s: duplicates.find_candidates(s, name=existing.name))[
            0
        ].person_id
        != existing.id
    )
    # The coordinator undoes the merge from the same dialog: exactly what moved goes back.
    opened.clear()
    window.case_view.check_duplicates(on_open=opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    again = opened[0]
    assert again.merged.findData(existing.id) >= 0 and again.unmerge_button.isEnabled()
    again.merged.setCurrentIndex(again.merged.findData(existing.id))
    _shot(again, "duplicate-unmerge")
    again.unmerge_button.click()
    qtbot.waitUntil(lambda: _db(unlocked, qtbot, merged)[0] is None, timeout=20_000)
    assert _db(unlocked, qtbot, lambda s: s.get(Case, first_case).person_id) == existing.id
    assert _db(unlocked, qtbot, lambda s: s.get(Case, editor.case_id).person_id) == twin


def test_print_preview_and_save_from_the_case_and_visits_views(qtbot, unlocked, tmp_path):
    window = unlocked.main_window
    _laptop_size(window)
    case_id = window.cases.model.row_id(0)
    with qtbot.waitSignal(window.case_view.loaded, timeout=20_000):
        window.open_case(case_id)
    assert window.case_view.print_button.isEnabled()
    opened: list = []
    window.case_view.print_summary(on_open=opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    preview = opened[0]
    assert preview.document.pageCount() >= 1
    preview.resize(900, 740)
    qtbot.wait(1500)  # QPdfView renders its pages in the background
    _shot(preview, "summary-preview")
    _shot(window, "case-view-with-print-1366x768")
    from ui import printing

    out = tmp_path / "summary.pdf"
    assert printing.save_pdf(preview, preview.pdf, "x.pdf", preview.on_output, path=out,
                             password="たしかな合言葉です") == out  # fmt: skip
    assert out.read_bytes().startswith(b"%PDF") and b"/Encrypt" in out.read_bytes()

    def audits(s, entity_id=case_id):
        return sorted(
            (a.action, a.detail.split()[0]) for a in s.scalars(select(AuditEvent).where(
                AuditEvent.entity_id == entity_id, AuditEvent.action.in_(("export", "print"))
                | AuditEvent.detail.like("preview%")))
        )  # fmt: skip

    qtbot.waitUntil(lambda: ("export", "case") in _db(unlocked, qtbot, audits), timeout=10_000)
    assert ("view", "preview") in _db(unlocked, qtbot, audits)
    preview.close()
    # The visit list of a day with visits, everyone's.
    visits = window.page("visits")
    window.show_page("visits")
    day = _db(unlocked, qtbot, lambda s: s.scalar(select(func.max(
        __import__("app.storage.models", fromlist=["ContactRecord"]).ContactRecord.next_action_date))))  # fmt: skip
    from PySide6.QtCore import QDate

    visits.mine.setChecked(False)
    visits.day.setDate(QDate(day.year, day.month, day.day))
    opened.clear()
    visits.print_list(on_open=opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    listed = opened[0]
    assert listed.document.pageCount() >= 1 and "訪問予定表" in listed.windowTitle()
    _shot(window, "visits-with-print-1366x768")
    qtbot.wait(1500)
    _shot(listed, "visits-preview")
    listed.on_output("print", None)  # what a finished print job reports
    qtbot.waitUntil(
        lambda: _db(unlocked, qtbot, lambda s: s.scalar(select(func.count()).select_from(
            AuditEvent).where(AuditEvent.action == "print"))) > 0, timeout=10_000)  # fmt: skip
    listed.close()
