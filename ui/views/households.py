"""Households (世帯): a lazy list searchable by any member, with members and life stages."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit, QSplitter, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.records import HouseholdData
from app.services.browse import HouseholdRow, household_ids, household_rows
from app.services.households import household_data
from ui import events
from ui.context import UiContext
from ui.i18n import tr, vlabel
from ui.models.household_table_model import HouseholdTableModel
from ui.models.rows_table_model import Column, RowsTableModel
from ui.views.timeline import LifeStageTimeline
from ui.widgets import named, table_view


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
        self.members = RowsTableModel([
            Column(tr("氏名", "Name"), lambda m: m.person.name),
            Column(tr("続柄", "Relationship"), lambda m: vlabel(vocab.RELATIONSHIP, m.relationship)),
            Column(tr("生年月日", "Birth date"), lambda m: str(m.person.birth_date or "")),
            Column(tr("電話", "Phone"), lambda m: m.person.phone or ""),
        ], self)  # fmt: skip
        members_view = table_view(tr("世帯員", "Members"))
        members_view.setModel(self.members)
        self.timeline = LifeStageTimeline()
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(members_view, 1)
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
        events.bus().changed.connect(self._changed)

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        text = self.search.text()
        block = self.model.BLOCK

        def query(s: Session) -> tuple[list[str], list[HouseholdRow]]:
            ids = household_ids(s, text=text)
            return ids, household_rows(s, ids[:block])

        self.ctx.runner.db(query, lambda r: self.model.set_ids(*r))

    def _changed(self, entities: frozenset[str], _initiator: object) -> None:
        if entities & {events.HOUSEHOLD, events.PERSON} and self.isVisible():
            self.refresh()

    def _select(self, row: int) -> None:
        hid = self.model.row_id(row)
        if hid:
            self.ctx.runner.db(lambda s: household_data(s, hid), self._show)

    def _show(self, h: HouseholdData) -> None:
        self.members.set_rows(h.members)
        self.timeline.set_household(h)
