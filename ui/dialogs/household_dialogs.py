"""Dialogs of the households screen: the household itself (name, address, district, 状況), a
member joining (a new person, or a likely existing one), a member's 続柄, the head (世帯主), a
member leaving, merging another household into this one (both shown side by side before
anything changes) and undoing a merge (coordinators).

Each dialog hands ``apply(session)`` to the background runner; a refused change is shown in
the dialog in Japanese and the dialog stays open with what was typed."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from app.domain import vocab
from app.domain.records import HouseholdData, MemberData
from app.services import household_edit, merges
from app.services.households import create_person, household_data
from ui import events
from ui.context import UiContext
from ui.i18n import error_text, tr, vlabel
from ui.models.rows_table_model import Column, RowsTableModel
from ui.widgets import (
    AskBeforeDiscard,
    OptionalDate,
    choice_combo,
    combo_value,
    fit_window,
    named,
    table_view,
    vocab_combo,
)

CHANGES = (events.HOUSEHOLD, events.PERSON, events.CASE)


def relationship_combo(current: str | None = None, *, head: bool = False) -> QComboBox:
    """続柄 to the head; 「世帯主」 itself only where ``head`` (it is set with 世帯主にする)."""
    combo = vocab_combo(vocab.RELATIONSHIP, current)
    if not head:
        combo.removeItem(combo.findData("head"))
    return combo


def relationship_text(m: MemberData) -> str:
    return tr("世帯主", "Head") if m.is_head else vlabel(vocab.RELATIONSHIP, m.relationship)


class _Dialog(AskBeforeDiscard, QDialog):
    """A form, an error line and Save/Cancel; ``save`` runs ``apply`` in the background."""

    save_text = ("保存", "Save")

    def __init__(self, ctx: UiContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_value: Any = None
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = QLabel()
        self.error.setStyleSheet("color:#b3261e")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(tr("エラー", "Error"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(tr(*self.save_text))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            tr("キャンセル", "Cancel")
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.resize(520, 0)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)

    def row(self, label: str, widget: Any) -> Any:
        self.form.addRow(label, named(widget, label))
        return widget

    def apply(self, session: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def save(self) -> None:
        self.error.clear()
        self.buttons.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            self.error.setText(error_text(exc))

        def done(result: Any) -> None:
            self.result_value = result
            self.accept()

        self.ctx.runner.db(self.apply, done, failed, changes=CHANGES)


class HouseholdDialog(_Dialog):
    def __init__(self, ctx: UiContext, h: HouseholdData, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("世帯の編集", "Edit household"), parent)
        self.household_id = h.id
        self.name = self.row(tr("世帯名", "Name"), QLineEdit(h.name))
        self.address = self.row(tr("住所", "Address"), QLineEdit(h.address or ""))
        self.district = self.row(
            tr("地区", "District"), choice_combo(ctx.choices.districts, h.district_id)
        )
        self.situation = self.row(tr("状況・メモ", "Situation"), QPlainTextEdit(h.situation or ""))
        self.situation.setTabChangesFocus(True)
        self.situation.setMaximumHeight(90)
        self.finish_layout()

    def apply(self, s: Any) -> Any:
        values = {"name": self.name.text(), "address": self.address.text(),
                  "district_id": combo_value(self.district),
                  "situation": self.situation.toPlainText()}  # fmt: skip
        return household_edit.update_household(s, self.ctx.actor, self.household_id, values)


class JoinDialog(_Dialog):
    """A person joins: a new person, or one of the existing persons that look like them."""

    def __init__(self, ctx: UiContext, household_id: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("世帯員を追加", "Add member"), parent)
        self.household_id = household_id
        self.name = self.row(tr("氏名", "Name"), QLineEdit())
        self.kana = self.row(tr("ふりがな", "Kana"), QLineEdit())
        self.birth = self.row(
            tr("生年月日", "Birth date"), OptionalDate(tr("生年月日", "Birth date"))
        )
        self.existing = self.row(tr("同じ人の記録", "Existing record"), QComboBox())
        self.existing.addItem(tr("（新しい人として登録）", "(register a new person)"), None)
        self.relationship = self.row(tr("続柄（世帯主との関係）", "Relationship"),
                                     relationship_combo("child"))  # fmt: skip
        self.joined = self.row(
            tr("加わった日", "Joined on"),
            OptionalDate(tr("加わった日", "Joined on"), dt.date.today()),
        )
        self.apart = self.row(
            tr("別居", "Lives apart"), QCheckBox(tr("別居している", "Lives apart"))
        )
        self.finish_layout()
        self._lookup = QTimer(self, singleShot=True, interval=250)
        self._lookup.timeout.connect(self.find_existing)
        self.name.textChanged.connect(lambda _t: self._lookup.start())
        self.kana.textChanged.connect(lambda _t: self._lookup.start())

    def find_existing(self) -> None:
        """Likely duplicates of the typed person (app/services/duplicates.py), to pick one."""
        from app.services.duplicates import find_candidates

        name, kana = self.name.text(), self.kana.text()

        def load(s: Any) -> list[Any]:
            return find_candidates(s, name=name, kana=kana, limit=10)

        def show(found: list[Any]) -> None:
            self.existing.clear()
            self.existing.addItem(tr("（新しい人として登録）", "(register a new person)"), None)
            for c in found:
                born = f" {c.birth_date}" if c.birth_date else ""
                self.existing.addItem(f"{c.name}（{c.kana or ''}）{born}  {c.score}", c.person_id)

        self.ctx.runner.db(load, show)

    def apply(self, s: Any) -> Any:
        actor = self.ctx.actor
        person_id = combo_value(self.existing)
        if person_id is None:
            person_id = create_person(s, actor, name=self.name.text(),
                                      kana=self.kana.text().strip() or None,
                                      birth_date=self.birth.value())  # fmt: skip
        return household_edit.join_household(
            s, actor, household_id=self.household_id, person_id=person_id,
            relationship=combo_value(self.relationship) or "relative",
            joined_on=self.joined.value(), lives_together=not self.apart.isChecked(),
        )  # fmt: skip


class MemberDialog(_Dialog):
    """A member's 続柄 and whether they live together."""

    def __init__(self, ctx: UiContext, m: MemberData, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("続柄の変更", "Edit member"), parent)
        self.member_id = m.id
        self.row(tr("氏名", "Name"), QLabel(m.person.name))
        self.relationship = self.row(tr("続柄（世帯主との関係）", "Relationship"),
                                     relationship_combo(m.relationship, head=m.is_head))  # fmt: skip
        self.relationship.setEnabled(not m.is_head)
        self.apart = self.row(
            tr("別居", "Lives apart"), QCheckBox(tr("別居している", "Lives apart"))
        )
        self.apart.setChecked(not m.lives_together)
        self.finish_layout()

    def apply(self, s: Any) -> Any:
        rel = combo_value(self.relationship) if self.relationship.isEnabled() else None
        household_edit.update_member(s, self.ctx.actor, self.member_id, relationship=rel,
                                     lives_together=not self.apart.isChecked())  # fmt: skip


class HeadDialog(_Dialog):
    """Make a member the head (世帯主); the previous head's 続柄 to the new head is asked."""

    save_text = ("世帯主にする", "Make head")

    def __init__(self, ctx: UiContext, h: HouseholdData, m: MemberData,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(ctx, tr("世帯主の変更", "Change the head"), parent)
        self.member_id = m.id
        previous = next((o for o in h.members if o.is_head), None)
        self.row(tr("新しい世帯主", "New head"), QLabel(m.person.name))
        self.previous: QComboBox | None = None
        if previous is not None:
            self.row(tr("前の世帯主", "Previous head"), QLabel(previous.person.name))
            self.previous = self.row(
                tr("前の世帯主の続柄（新しい世帯主との関係）", "Previous head's relationship"),
                relationship_combo("parent"),
            )
        note = QLabel(tr("ほかの世帯員の続柄は世帯主との関係です。必要なら「続柄の変更」で直してください。",
                         "Relationships are to the head: correct the others' with 'Edit member'."))  # fmt: skip
        note.setWordWrap(True)
        self.layout_.addWidget(note)
        self.finish_layout()

    def apply(self, s: Any) -> Any:
        prev = combo_value(self.previous) if self.previous is not None else None
        household_edit.set_head(s, self.ctx.actor, self.member_id, previous_relationship=prev)


class LeaveDialog(_Dialog):
    save_text = ("離れたことを記録", "Record leaving")

    def __init__(self, ctx: UiContext, m: MemberData, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("世帯を離れる", "Member leaves"), parent)
        self.member_id = m.id
        self.row(tr("氏名", "Name"), QLabel(m.person.name))
        self.left_on = self.row(
            tr("離れた日", "Left on"), OptionalDate(tr("離れた日", "Left on"), dt.date.today())
        )
        note = QLabel(tr("記録は消えません。世帯の履歴に「離れた世帯員」として残ります。",
                         "Nothing is deleted: the member stays in the household's history."))  # fmt: skip
        note.setWordWrap(True)
        self.layout_.addWidget(note)
        self.finish_layout()

    def apply(self, s: Any) -> Any:
        household_edit.leave_household(s, self.ctx.actor, self.member_id, self.left_on.value())


def summary_html(h: HouseholdData, case_numbers: list[str]) -> str:
    """One household for the merge confirmation: name, address, members, cases."""
    e = html.escape
    members = "".join(
        f"<li>{e(m.person.name)}（{e(relationship_text(m))}）"
        + (f" {e(str(m.person.birth_date))}" if m.person.birth_date else "") + "</li>"
        for m in h.members
    )  # fmt: skip
    cases = "、".join(e(n) for n in case_numbers) or tr("なし", "none")
    return (
        f"<h3>{e(h.name)}</h3><p>{e(h.address or '')} {e(h.district_name or '')}</p>"
        f"<p><b>{e(tr('世帯員', 'Members'))}</b></p><ul>{members}</ul>"
        f"<p><b>{e(tr('ケース', 'Cases'))}</b>: {cases}</p>"
    )


def load_summary(s: Any, household_id: str) -> tuple[HouseholdData, list[str]]:
    from app.storage.models import Case

    numbers = list(s.scalars(select(Case.case_number).where(
        Case.household_id == household_id, Case.deleted.is_(False)).order_by(Case.case_number)))  # fmt: skip
    return household_data(s, household_id), numbers


class MergeDialog(_Dialog):
    """Merge another household into this one: pick it, see both, then merge."""

    save_text = ("この世帯に統合する", "Merge into this household")

    def __init__(self, ctx: UiContext, keep: HouseholdData, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("世帯の統合", "Merge households"), parent)
        self.keep = keep
        self.other_id: str | None = None
        intro = QLabel(tr(
            "同じ世帯の重複を、この世帯（左）に統合します。右の世帯の世帯員・ケース・記録は左に移り、"
            "右の世帯は「統合済み」として残ります。コーディネーターは後で元に戻せます。",
            "Merge a duplicate into this household (left). The right one's members, cases and "
            "records move to the left; it is kept, marked as merged. A coordinator can undo it."))  # fmt: skip
        intro.setWordWrap(True)
        self.layout_.addWidget(intro)
        self.search = named(QLineEdit(), tr("統合する世帯を検索", "Find the household to merge"))
        self.search.setPlaceholderText(tr("世帯員の氏名・ふりがな・電話・住所", "A member's name, kana, phone, address"))  # fmt: skip
        self.search.setProperty("discard_check", False)
        self.layout_.addWidget(self.search)
        self.found = RowsTableModel([
            Column(tr("世帯名", "Household"), lambda r: r.name),
            Column(tr("住所", "Address"), lambda r: r.address or ""),
            Column(tr("世帯員", "Members"), lambda r: str(r.members)),
        ], self)  # fmt: skip
        self.table = table_view(tr("候補の世帯", "Households"))
        self.table.setModel(self.found)
        self.table.setMaximumHeight(150)
        self.layout_.addWidget(self.table)
        both = QHBoxLayout()
        self.left = named(QTextBrowser(), tr("残る世帯", "Kept household"))
        self.right = named(QTextBrowser(), tr("統合される世帯", "Household merged"))
        for title, pane in ((tr("残る世帯", "Kept"), self.left),
                            (tr("統合される世帯（統合済みとして残る）", "Merged (kept as merged)"),
                             self.right)):  # fmt: skip
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<b>{html.escape(title)}</b>"))
            column.addWidget(pane, 1)
            both.addLayout(column, 1)
        self.layout_.addLayout(both, 1)
        from ui.widgets import empty_state

        self.empty = empty_state(self.table, tr(
            "重複している世帯を、世帯員の氏名・ふりがな・電話・住所で探してください。",
            "Find the duplicate household by a member's name, kana, phone or address."))  # fmt: skip
        self.found.set_rows([])  # shows the hint before the first search
        self.right.setHtml("<p style='color:gray'>" + html.escape(tr(
            "上の一覧で統合する世帯を選ぶと、その世帯員とケースがここに表示されます。",
            "Choose the household to merge above to see its members and cases here.")) + "</p>")  # fmt: skip
        self.finish_layout()
        self.save_button.setEnabled(False)
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.find_households)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self.pick(cur.row()))
        keep_id = keep.id
        ctx.runner.db(lambda s: load_summary(s, keep_id),
                      lambda r: self.left.setHtml(summary_html(*r)))  # fmt: skip
        fit_window(self, 900, 640)

    def find_households(self) -> None:
        from app.services.browse import household_ids, household_rows

        text, keep_id = self.search.text(), self.keep.id

        def load(s: Any) -> list[Any]:
            ids = [i for i in household_ids(s, text=text, limit=200) if i != keep_id]
            return household_rows(s, ids[:50])

        def show(rows: list[Any]) -> None:
            self.empty.setText(tr("該当する世帯はありません。", "No household matches.")
                               if text.strip() else self.empty.text())  # fmt: skip
            self.found.set_rows(rows)

        self.ctx.runner.db(load, show)

    def pick(self, row: int) -> None:
        r = self.found.row_at(row)
        self.other_id = r.id if r is not None else None
        self.save_button.setEnabled(self.other_id is not None)
        if self.other_id:
            oid = self.other_id
            self.ctx.runner.db(lambda s: load_summary(s, oid),
                               lambda res: self.right.setHtml(summary_html(*res)))  # fmt: skip

    def apply(self, s: Any) -> Any:
        assert self.other_id is not None
        return merges.merge_households(s, self.ctx.actor, self.keep.id, self.other_id)


class UnmergeDialog(_Dialog):
    """Undo the merge of one of the households merged into this one (coordinators)."""

    save_text = ("統合を元に戻す", "Undo the merge")

    def __init__(self, ctx: UiContext, keep: HouseholdData, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("統合を元に戻す", "Undo a merge"), parent)
        self.merged = self.row(tr("統合された世帯", "Merged household"), QComboBox())
        for c in keep.merged_from:
            self.merged.addItem(c.name, c.id)
        note = QLabel(tr(
            "統合で移した世帯員・ケース・記録を、元の世帯に戻します。統合のあとに加えたものは"
            "この世帯に残ります。",
            "What the merge moved goes back to the merged household; what was added since "
            "stays here."))  # fmt: skip
        note.setWordWrap(True)
        self.layout_.addWidget(note)
        self.finish_layout()

    def apply(self, s: Any) -> Any:
        merged_id = combo_value(self.merged)
        assert merged_id is not None
        return merges.unmerge_household(s, self.ctx.actor, merged_id)
