"""The households screen as a coordinator uses it: edit the household, a member joins, 続柄
changes, a new 世帯主, a member leaves (kept as history), a new case for the household, a
merge confirmed with both households shown, and its undo; an outreach worker sees no merge.
Real widgets offscreen on the real encrypted demo database; screenshots at 1366x768."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from sqlalchemy import select

from app.services.households import household_data
from app.storage.models import Case, Household, HouseholdMember
from tests.ui.conftest import type_text
from ui.widgets import set_combo

SHOTS = Path(os.environ.get("YORISOI_SHOTS", "/tmp"))


def _db(controller, qtbot, fn):
    box: list = []
    controller.runner.db(fn, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=20_000)
    return box[0]


def _shot(widget, name: str) -> None:
    widget.grab().save(str(SHOTS / f"households-{name}.png"))


def _save(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        dialog.save()


def _open(qtbot, unlocked, household_id: str):
    window = unlocked.main_window
    window.resize(1366, 768)
    window.show()
    window.show_page("households")
    view = window.page("households")
    view.load_household(household_id)
    qtbot.waitUntil(lambda: view.household is not None and view.household.id == household_id,
                    timeout=20_000)  # fmt: skip
    return window, view


def _two_households(s):
    rows = s.execute(select(Household.id).where(Household.merged_into_id.is_(None))
                     .order_by(Household.id).limit(2)).scalars().all()  # fmt: skip
    return list(rows)


def test_edit_members_relationships_head_and_leaving(qtbot, unlocked):
    hid = _db(unlocked, qtbot, _two_households)[0]
    window, view = _open(qtbot, unlocked, hid)
    head = next(m for m in view.household.members if m.is_head)

    d = view.edit_household()
    d.address.setText("尼崎市武庫之荘1丁目2-3")
    d.situation.setPlainText("高齢の親と無職の子（8050）")
    _save(qtbot, d)
    qtbot.waitUntil(lambda: view.household.address == "尼崎市武庫之荘1丁目2-3", timeout=20_000)

    d = view.add_member()
    type_text(d.name, "画面 試験子")
    set_combo(d.relationship, "grandchild")
    _shot(d, "join-dialog")
    _save(qtbot, d)
    qtbot.waitUntil(lambda: any(m.person.name == "画面 試験子" for m in view.household.members),
                    timeout=20_000)  # fmt: skip
    new = next(m for m in view.household.members if m.person.name == "画面 試験子")
    assert new.relationship == "grandchild" and new.joined_on is not None

    view.select_member(new.id)
    d = view.edit_member()
    set_combo(d.relationship, "child")
    _save(qtbot, d)
    qtbot.waitUntil(lambda: next(m for m in view.household.members if m.id == new.id)
                    .relationship == "child", timeout=20_000)  # fmt: skip

    # The head cannot leave while others remain: the dialog says why and stays open.
    view.select_member(head.id)
    assert not view.buttons["head"].isEnabled() and view.buttons["leave"].isEnabled()
    d = view.member_leaves()
    d.save()
    qtbot.waitUntil(lambda: "新しい世帯主" in d.error.text(), timeout=20_000)
    assert d.isVisible()
    d.reject()

    view.select_member(new.id)
    d = view.make_head()
    set_combo(d.previous, "parent")
    _shot(d, "head-dialog")
    _save(qtbot, d)
    qtbot.waitUntil(lambda: view.household.members[0].id == new.id, timeout=20_000)
    assert view.household.members[0].is_head

    view.select_member(head.id)
    d = view.member_leaves()
    _save(qtbot, d)
    qtbot.waitUntil(lambda: [m.id for m in view.household.former_members] == [head.id],
                    timeout=20_000)  # fmt: skip
    view.members_view.selectRow(view.members.rowCount() - 1)  # the former member
    assert not view.buttons["leave"].isEnabled() and not view.buttons["member"].isEnabled()
    _shot(window, "view-1366x768")
    row = _db(unlocked, qtbot, lambda s: s.get(HouseholdMember, head.id))
    assert not row.deleted and row.left_on is not None and row.relationship == "parent"


def test_new_case_merge_with_both_shown_and_undo(qtbot, unlocked):
    keep, other = _db(unlocked, qtbot, _two_households)
    window, view = _open(qtbot, unlocked, keep)

    # A new case for this household: its person joins it.
    editor = view.new_case()
    assert editor.household.currentData() == keep and editor.relationship.isEnabled()
    type_text(editor.person_name, "世帯 新規郎")
    type_text(editor.title, "同じ世帯の別の相談")
    set_combo(editor.relationship, "sibling")
    _shot(editor, "case-editor-household")
    with qtbot.waitSignal(editor.finished, timeout=20_000):
        editor.save()
    case = _db(unlocked, qtbot, lambda s: s.get(Case, editor.case_id))
    assert case.household_id == keep
    members = _db(unlocked, qtbot, lambda s: household_data(s, keep).members)
    assert any(m.person.id == case.person_id and m.relationship == "sibling" for m in members)

    # Merge: search the other household by a member's name, both are shown, then merge.
    other_data = _db(unlocked, qtbot, lambda s: household_data(s, other))
    d = view.merge()
    assert not d.save_button.isEnabled()
    type_text(d.search, other_data.members[0].person.name)
    qtbot.waitUntil(lambda: any(d.found.row_at(i).id == other
                                for i in range(d.found.rowCount())), timeout=20_000)  # fmt: skip
    d.table.selectRow(next(i for i in range(d.found.rowCount()) if d.found.row_at(i).id == other))
    qtbot.waitUntil(lambda: other_data.name in d.right.toPlainText()
                    and view.household.name in d.left.toPlainText(), timeout=20_000)  # fmt: skip
    assert other_data.members[0].person.name in d.right.toPlainText()
    _shot(d, "merge-confirm")
    d.save_button.click()
    qtbot.waitUntil(lambda: not d.isVisible(), timeout=20_000)
    qtbot.waitUntil(lambda: bool(view.household.merged_from) and view.household.merged_from[0].id == other,
                    timeout=20_000)  # fmt: skip
    merged = _db(unlocked, qtbot, lambda s: s.get(Household, other).merged_into_id)
    assert merged == keep
    # The other household's head is a member here now, not a second head: 続柄 to check.
    assert [m.is_head for m in view.household.members].count(True) == 1
    qtbot.waitUntil(lambda: view.review_box is not None and view.review_box.isVisible(),
                    timeout=20_000)  # fmt: skip
    assert "続柄" in view.review_box.text()
    _shot(window, "after-merge-1366x768")
    view.review_box.accept()
    assert view.buttons["unmerge"].isEnabled()

    d = view.unmerge()
    assert d.merged.currentData() == other
    _shot(d, "unmerge-dialog")
    _save(qtbot, d)
    qtbot.waitUntil(lambda: not view.household.merged_from, timeout=20_000)
    assert _db(unlocked, qtbot, lambda s: s.get(Household, other).merged_into_id) is None
    back = _db(unlocked, qtbot, lambda s: household_data(s, other).members)
    assert {m.id for m in back} == {m.id for m in other_data.members}

    # An outreach worker's households screen offers no merge or undo.
    from ui.views.households import HouseholdsView

    worker_ctx = dataclasses.replace(
        unlocked.ctx, actor=dataclasses.replace(unlocked.ctx.actor, role="outreach")
    )
    worker_view = HouseholdsView(worker_ctx)
    qtbot.addWidget(worker_view)
    worker_view.show()
    assert not worker_view.buttons["merge"].isVisible()
    assert not worker_view.buttons["unmerge"].isVisible()
    assert worker_view.buttons["join"].isVisible()
