"""The support-meeting screen as a coordinator uses it: create a meeting, add members (staff
and an outside member) and cases, record pledges, write minutes with 役割分担, see the task on
the case, print. Real widgets offscreen, the real encrypted demo database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from app.services.cases import case_detail
from app.storage.models import Case
from tests.ui.conftest import type_text
from ui.widgets import set_combo

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def _db(qtbot, unlocked, fn):
    got = {}
    unlocked.runner.db(fn, lambda r: got.update(r=r))
    qtbot.waitUntil(lambda: "r" in got, timeout=10_000)
    return got["r"]


def _save(qtbot, dialog):
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()


def test_meeting_from_creation_to_tasks(qtbot, unlocked):
    window = unlocked.main_window
    window.resize(1366, 768)
    window.show()
    window.show_page("meetings")
    view = window.page("meetings")
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    assert view.model.row_at(0)["number"]  # the number the CLI takes

    held = dt.date.today() + dt.timedelta(days=7)
    d = view.new_meeting()
    d.held_on.set_value(held)
    type_text(d.title_, "画面試験の支援会議")
    type_text(d.place, "本庁舎 会議室3")
    _save(qtbot, d)
    qtbot.waitUntil(lambda: view.meeting is not None and view.meeting.title == "画面試験の支援会議",
                    timeout=10_000)  # fmt: skip
    mid = view.meeting.id

    outreach = next(c for c in unlocked.ctx.choices.staff if c.id != unlocked.ctx.actor.staff_id)
    d = view.add_member()
    set_combo(d.staff, outreach.id)
    d.pledge.set_value(held - dt.timedelta(days=3))
    _save(qtbot, d)
    d = view.add_member()
    type_text(d.name, "外部 花子")
    set_combo(d.agency, unlocked.ctx.choices.agencies[3].id)
    _save(qtbot, d)

    secret = _db(qtbot, unlocked, lambda s: s.scalars(
        select(Case.case_number).where(Case.consent_status != "given")).first())  # fmt: skip
    d = view.add_case()
    type_text(d.search, secret)  # the case is found by its number and picked from the list
    qtbot.waitUntil(lambda: d.model.rowCount() >= 1 and d.model.row_at(0).case_number == secret,
                    timeout=10_000)  # fmt: skip
    _save(qtbot, d)
    qtbot.waitUntil(lambda: len(view.meeting.cases) == 1 and len(view.meeting.attendees) == 2,
                    timeout=10_000)  # fmt: skip

    # A pledge dated after the meeting is refused in the dialog, which stays open.
    d = view.record_pledge()
    set_combo(d.member, view.meeting.attendees[1].id)
    d.signed.set_value(held + dt.timedelta(days=1))
    d.save()
    qtbot.waitUntil(lambda: "会議の開催日" in d.error.text(), timeout=10_000)
    assert d.isVisible()
    d.signed.set_value(held)
    _save(qtbot, d)
    qtbot.waitUntil(lambda: all(a.pledge_valid for a in view.meeting.attendees), timeout=10_000)

    d = view.write_minutes()
    type_text(d.discussion, "家賃の滞納と通院の中断について")
    type_text(d.decision, "地域課が訪問して様子を確認する")
    _save(qtbot, d)
    d = view.add_task()
    type_text(d.task, "自宅を訪問して生活状況を確認")
    set_combo(d.staff, outreach.id)
    _save(qtbot, d)
    qtbot.waitUntil(lambda: len(view.meeting.assignments) == 1, timeout=10_000)
    task = view.meeting.assignments[0]
    assert task.status == "open" and task.due_date == held + dt.timedelta(days=14)
    assert "家賃の滞納" in view.detail.toPlainText()

    # The task is on the case, with its assignee, due date and status.
    case_id = view.meeting.cases[0].id
    detail = _db(qtbot, unlocked, lambda s: case_detail(s, unlocked.ctx.actor, case_id))
    on_case = [a for a in detail.assignments if a.meeting_id == mid]
    assert [(a.task, a.staff_id, a.status) for a in on_case] == [
        ("自宅を訪問して生活状況を確認", outreach.id, "open")
    ]
    d = view.task_status()
    _save(qtbot, d)
    qtbot.waitUntil(lambda: view.meeting.assignments[0].status == "done", timeout=10_000)
    # ... and on the case's screen, with its status.
    window.open_case(case_id)
    overview = window.case_view.team_text
    qtbot.waitUntil(
        lambda: "自宅を訪問して生活状況を確認" in overview.toPlainText(), timeout=10_000
    )
    assert "完了" in overview.toPlainText()
    SHOTS.mkdir(exist_ok=True)
    assert window.grab().save(str(SHOTS / "case-with-meeting-task-1366x768.png"))
    window.show_page("meetings")

    SHOTS.mkdir(exist_ok=True)
    qtbot.wait(200)
    assert window.grab().save(str(SHOTS / "meetings-1366x768.png"))
    d = view.add_task()
    d.show()
    qtbot.wait(100)
    assert d.grab().save(str(SHOTS / "meetings-task-dialog.png"))
    assert d.height() <= 768 and d.width() <= 1366
    d.reject()
    d = view.edit_meeting()
    d.show()
    qtbot.wait(100)
    assert d.grab().save(str(SHOTS / "meetings-edit-dialog.png"))
    d.reject()


def test_outreach_worker_cannot_organise(qtbot, unlocked):
    window = unlocked.main_window
    window.show_page("meetings")
    view = window.page("meetings")
    assert view.buttons["new"].isVisibleTo(view) == (unlocked.ctx.actor.role != "outreach")
