"""Households (世帯): a lazy list searchable by any member, with members (current and former)
and life stages; editing the household and its members, setting the head (世帯主), a new case
for the household, and for coordinators merging a duplicate household and undoing a merge
(dialogs in ui/dialogs/household_dialogs.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.records import HouseholdData, MemberData
from app.services.browse import HouseholdRow, household_ids, household_rows
from app.services.households import household_data
from ui import events
from ui.context import UiContext
from ui.i18n import tr, vlabel
from ui.models.household_table_model import HouseholdTableModel
from ui.models.rows_table_model import Column, RowsTableModel
from ui.views.timeline import LifeStageTimeline
from ui.widgets import elided_heading, empty_state, named, table_view

COORDINATORS = ("coordinator", "admin")


def _member_dates(m: MemberData) -> str:
    if m.left_on:
        return tr("{d} に離れた", "left {d}").format(d=m.left_on)
    return tr("{d} から", "since {d}").format(d=m.joined_on) if m.joined_on else ""


class HouseholdsView(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = HouseholdTableModel(ctx.runner, self)
        self.search = named(QLineEdit(), tr("世帯検索", "Search households"))
        self.search.setPlaceholderText(
            tr(
                "世帯員の氏名・ふりがな・電話・住所で検索",
                "Search by a member's name, kana, phone, address",
            )
        )
        self.search.setClearButtonEnabled(True)
        self.table = table_view(tr("世帯一覧", "Households"))
        self.table.setModel(self.model)
        self.empty = empty_state(self.table, "")
        self.household: HouseholdData | None = None
        self.review_box: QMessageBox | None = None  # after a merge: 続柄 to check
        self.members = RowsTableModel([
            Column(tr("氏名", "Name"), lambda m: m.person.name),
            Column(tr("続柄", "Relationship"), lambda m: (
                tr("世帯主", "Head") if m.is_head else vlabel(vocab.RELATIONSHIP, m.relationship))),
            Column(tr("生年月日", "Birth date"), lambda m: str(m.person.birth_date or "")),
            Column(tr("同居", "Together"), lambda m: tr("同居", "yes") if m.lives_together
                   else tr("別居", "apart")),
            Column(tr("在籍", "Membership"), _member_dates),
        ], self)  # fmt: skip
        self.members_view = table_view(tr("世帯員", "Members"))
        self.members_view.setModel(self.members)
        self.title = elided_heading()
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.timeline = LifeStageTimeline()
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        coordinator = ctx.actor.role in COORDINATORS
        for i, (key, ja, en, slot, needs_member) in enumerate((
            ("edit", "世帯の編集", "Edit household", self.edit_household, False),
            ("join", "世帯員を追加", "Add member", self.add_member, False),
            ("member", "続柄の変更", "Edit member", self.edit_member, True),
            ("head", "世帯主にする", "Make head", self.make_head, True),
            ("leave", "世帯を離れる", "Member leaves", self.member_leaves, True),
            ("case", "この世帯の新しいケース", "New case here", self.new_case, False),
            ("merge", "世帯の統合…", "Merge…", self.merge, False),
            ("unmerge", "統合を元に戻す…", "Undo merge…", self.unmerge, False),
        )):  # fmt: skip
            b = QPushButton(tr(ja, en))
            b.setAccessibleName(tr(ja, en))
            b.setProperty("needs_member", needs_member)
            b.clicked.connect(slot)
            if key in ("merge", "unmerge"):
                b.setVisible(coordinator)  # a coordinator's work (DOMAIN.md)
            grid.addWidget(b, i // 4, i % 4)
            self.buttons[key] = b
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(self.title)
        rl.addWidget(self.info)
        rl.addLayout(grid)
        rl.addWidget(self.members_view, 1)
        rl.addWidget(self.timeline)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setSizes([600, 500])
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(splitter, 1)
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _p: self._select(cur.row())
        )
        self.members_view.selectionModel().currentRowChanged.connect(lambda _c, _p: self._enable())
        events.bus().changed.connect(self._changed)
        self._enable()

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        text = self.search.text()
        block = self.model.BLOCK
        self.empty.setText(tr("該当する世帯はありません。", "No household matches.") if text.strip()
                           else tr(
            "世帯はまだ登録されていません。新規ケースの「既存の世帯」で"
            "「（新しい世帯を作る・本人が世帯主）」を選ぶと、ここに並びます。",
            "No households yet. Choose (a new household) in a new case to start one."))  # fmt: skip

        def query(s: Session) -> tuple[list[str], list[HouseholdRow]]:
            ids = household_ids(s, text=text)
            return ids, household_rows(s, ids[:block])

        self.ctx.runner.db(query, lambda r: self.model.set_ids(*r))

    def _changed(self, entities: frozenset[str], _initiator: object) -> None:
        if entities & {events.HOUSEHOLD, events.PERSON} and self.isVisible():
            self.refresh()
            if self.household is not None:
                self.load_household(self.household.id)

    def _select(self, row: int) -> None:
        hid = self.model.row_id(row)
        if hid:
            self.load_household(hid)

    def load_household(self, hid: str) -> None:
        self.ctx.runner.db(lambda s: household_data(s, hid), self._show)

    def _show(self, h: HouseholdData) -> None:
        self.household = h
        self.title.setText(h.name)
        parts = [p for p in (h.address, h.district_name) if p]
        if h.situation:
            parts.append(tr("状況: {s}", "Situation: {s}").format(s=h.situation))
        if h.merged_from:
            parts.append(tr("統合された世帯: {n}", "Merged into this: {n}").format(
                n="、".join(c.name for c in h.merged_from)))  # fmt: skip
        self.info.setText("　".join(parts))
        self.members.set_rows([*h.members, *h.former_members])
        self.timeline.set_household(h)
        self._enable()

    def _enable(self) -> None:
        m = self.current_member()
        for key, b in self.buttons.items():
            ok = self.household is not None
            if b.property("needs_member"):
                ok = ok and m is not None and m.left_on is None
            if key == "head":
                ok = ok and m is not None and not m.is_head
            if key == "unmerge":
                ok = ok and bool(self.household and self.household.merged_from)
            b.setEnabled(ok)

    def current_member(self) -> MemberData | None:
        index = self.members_view.currentIndex()
        row = self.members.row_at(index.row()) if index.isValid() else None
        return row if isinstance(row, MemberData) else None

    def select_member(self, member_id: str) -> None:
        for i in range(self.members.rowCount()):
            if self.members.row_at(i).id == member_id:
                self.members_view.selectRow(i)
                return

    # --- actions: each opens a dialog and returns it (tests drive it) -------------------------

    def _open(self, dialog: Any, after: Any = None) -> Any:
        def finished(code: int) -> None:
            if code and after is not None:
                after(dialog)

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def edit_household(self) -> Any:
        from ui.dialogs.household_dialogs import HouseholdDialog

        assert self.household is not None
        return self._open(HouseholdDialog(self.ctx, self.household, self))

    def add_member(self) -> Any:
        from ui.dialogs.household_dialogs import JoinDialog

        assert self.household is not None
        return self._open(JoinDialog(self.ctx, self.household.id, self))

    def edit_member(self) -> Any:
        from ui.dialogs.household_dialogs import MemberDialog

        m = self.current_member()
        assert m is not None
        return self._open(MemberDialog(self.ctx, m, self))

    def make_head(self) -> Any:
        from ui.dialogs.household_dialogs import HeadDialog

        m = self.current_member()
        assert m is not None and self.household is not None
        return self._open(HeadDialog(self.ctx, self.household, m, self))

    def member_leaves(self) -> Any:
        from ui.dialogs.household_dialogs import LeaveDialog

        m = self.current_member()
        assert m is not None
        return self._open(LeaveDialog(self.ctx, m, self))

    def new_case(self) -> Any:
        from ui.dialogs.case_editor import CaseEditorDialog

        h = self.household
        assert h is not None
        dialog = CaseEditorDialog(self.ctx, None, self, household=(h.id, h.name))
        dialog.open()
        return dialog

    def merge(self) -> Any:
        from ui.dialogs.household_dialogs import MergeDialog

        assert self.household is not None

        def merged(d: Any) -> None:
            r = d.result_value
            if r is not None and r.review:
                box = QMessageBox(QMessageBox.Icon.Information, tr("世帯の統合", "Merge households"), tr(
                    "統合した世帯の世帯主だった人の続柄を「その他の親族」にしました。"
                    "確認して、必要なら「続柄の変更」で直してください。",
                    "The merged household's head now has the relationship 'other relative': "
                    "check it and correct it with 'Edit member'."), parent=self)  # fmt: skip
                box.open()  # not modal to the app: the view stays usable behind it
                self.review_box = box

        return self._open(MergeDialog(self.ctx, self.household, self), merged)

    def unmerge(self) -> Any:
        from ui.dialogs.household_dialogs import UnmergeDialog

        assert self.household is not None
        return self._open(UnmergeDialog(self.ctx, self.household, self))
