"""The case view's overview is built from form rows (ui.widgets.FormRows): each value is named
by its row's label for a screen reader, shows the case's data as plain text, and the person's
rows are hidden for a case without a person. Real widgets (offscreen), a real encrypted file."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFormLayout, QLabel

from app.services.browse import choices
from app.services.cases import create_case
from app.services.households import create_person

pytest.importorskip("pytestqt")


@pytest.fixture
def view(qtbot, store, actor):
    from ui.context import UiContext
    from ui.settings import UiSettings
    from ui.tasks import TaskRunner
    from ui.views.case_view import CaseView

    with store.session() as s:
        found = choices(s)
    runner = TaskRunner(store)
    ctx = UiContext(runner=runner, settings=UiSettings(), db_path=store.path, actor=actor,
                    choices=found)  # fmt: skip
    v = CaseView(ctx)
    qtbot.addWidget(v)
    v.resize(1280, 700)
    v.show()
    yield v
    runner.wait_idle()


def _load(qtbot, view, case_id: str) -> None:
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.load(case_id)


def _row_label(field: QLabel) -> str:
    form = field.parentWidget().layout()
    assert isinstance(form, QFormLayout)
    label = form.labelForField(field)
    assert isinstance(label, QLabel)
    return label.text()


def test_overview_rows_are_named_by_their_labels_and_show_plain_text(qtbot, view, store, actor):
    with store.session() as s:
        person = create_person(s, actor, name="<b>山田</b> 花子", kana="やまだ はなこ",
                               phone="090-1234-5678", birth_date="1980-04-01")  # fmt: skip
        case_id = create_case(s, actor, title="家計の相談", person_id=person, urgency="high",
                              issue_categories=["debt", "work"], notes="毎週 火曜に連絡")  # fmt: skip
    _load(qtbot, view, case_id)
    fields = {**{f"person.{k}": v for k, v in view.person_fields.items()},
              **{f"case.{k}": v for k, v in view.case_fields.items()}}  # fmt: skip
    for key, field in fields.items():
        assert field.accessibleName() == _row_label(field) != "", key  # label written once
    assert view.person_box.isVisible()
    # Data is text, never markup: the tags in the name are shown as typed.
    assert view.person_fields["name"].text() == "<b>山田</b> 花子（やまだ はなこ）"
    assert view.person_fields["phone"].text() == "090-1234-5678"
    assert view.person_fields["birth_date"].text().startswith("1980-04-01（昭和55年）\u3000")
    assert view.case_fields["urgency"].text() == "高"
    assert view.case_fields["issues"].text() == "借金、仕事"
    assert view.case_fields["notes"].text() == "毎週 火曜に連絡"
    assert view.case_fields["closed_on"].text() == ""
    assert "支援チーム" in view.team_text.toPlainText()
    # At a laptop's size every row shows: the rows ask for their height at their width.
    from ui.views.case_view import _OverviewRows

    rows = view.findChild(_OverviewRows)
    qtbot.waitUntil(lambda: rows.height() >= rows.widget().heightForWidth(rows.viewport().width()))
    assert not rows.verticalScrollBar().isVisible()


def test_a_case_without_a_person_hides_the_person_rows(qtbot, view, store, actor):
    with store.session() as s:
        with_person = create_case(s, actor, title="本人あり",
                                  person_id=create_person(s, actor, name="川口 一郎"))  # fmt: skip
        without = create_case(s, actor, title="本人なし（匿名の相談）")
    _load(qtbot, view, with_person)
    assert view.person_box.isVisible() and view.person_fields["name"].text() == "川口 一郎"
    _load(qtbot, view, without)
    assert not view.person_box.isVisible()
    assert view.case_fields["status"].text() != ""
