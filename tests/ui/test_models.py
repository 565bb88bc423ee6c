"""Every list model passes Qt's model tester; lazy models fetch rows in the background."""

from __future__ import annotations

from app.domain.records import CaseFilter
from app.services.browse import household_ids
from app.services.cases import case_ids


def _wait_all_rows(qtbot, model):
    for r in range(model.rowCount()):
        model.row_data(r)
    qtbot.waitUntil(
        lambda: all(model.row_data(r) is not None for r in range(model.rowCount())), timeout=15_000
    )


def test_case_model(qtbot, qtmodeltester, unlocked):
    from ui.models.case_table_model import CaseTableModel

    model = CaseTableModel(unlocked.runner)
    ids = []
    unlocked.runner.db(lambda s: case_ids(s, CaseFilter()), ids.extend)
    qtbot.waitUntil(lambda: bool(ids), timeout=10_000)
    model.set_ids(ids)
    assert model.row_data(0) is None  # not cached yet: fetched lazily
    _wait_all_rows(qtbot, model)
    assert len(model._blocks) <= model.MAX_BLOCKS
    qtmodeltester.check(model, force_py=True)


def test_household_model(qtbot, qtmodeltester, unlocked):
    from ui.models.household_table_model import HouseholdTableModel

    model = HouseholdTableModel(unlocked.runner)
    ids = []
    unlocked.runner.db(lambda s: household_ids(s), ids.extend)
    qtbot.waitUntil(lambda: bool(ids), timeout=10_000)
    model.set_ids(ids)
    _wait_all_rows(qtbot, model)
    qtmodeltester.check(model, force_py=True)
    assert int(model.data(model.index(0, 3))) >= 1


def test_short_list_models(qtbot, qtmodeltester, unlocked):
    window = unlocked.main_window
    for name in ("visits", "referrals", "meetings", "resources"):
        view = window.page(name)
        window.show_page(name)
        qtbot.waitUntil(
            lambda v=view, n=name: v.model.rowCount() > 0 or n == "visits", timeout=10_000
        )
        qtmodeltester.check(view.model, force_py=True)
    window.show_page("case")
    window.case_view.load(window.cases.model.row_id(0))
    qtbot.waitUntil(lambda: window.case_view.detail is not None, timeout=10_000)
    for model in (window.case_view.contacts, window.case_view.members, window.case_view.referrals,
                  window.case_view.meetings):  # fmt: skip
        qtmodeltester.check(model, force_py=True)


def test_resources_search_and_edit(qtbot, unlocked):
    from tests.ui.conftest import type_text
    from ui.dialogs.resource_editor import ResourceEditorDialog

    window = unlocked.main_window
    window.show_page("resources")
    view = window.pages["resources"]
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    view._edit(None)
    dialog = next(w for w in view.findChildren(ResourceEditorDialog) if w.isVisible())
    dialog.save()
    qtbot.waitUntil(lambda: bool(dialog.errors.message_for("name")), timeout=5_000)
    type_text(dialog.name, "ほっとサロン寄り添い")
    type_text(dialog.schedule, "毎週水曜 10時〜")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5_000)
    type_text(view.search, "ほっとさろん")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10_000)
    assert view.model.row_at(0).name == "ほっとサロン寄り添い"
