"""Defects found by using the app as an outreach worker and as a coordinator would, at
1366x768 (empty lists that said nothing, typing case ids, losing typed minutes to Escape,
...). Real widgets offscreen, a real encrypted database without demo data (fast)."""

from __future__ import annotations

import datetime as dt

import pytest

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
