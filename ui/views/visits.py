"""Today's visits (訪問予定表): cases with a next action due on the chosen day."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QPushButton, QWidget

from app.services.visits import visit_plan
from ui.context import UiContext
from ui.i18n import tr
from ui.models.rows_table_model import Column
from ui.views.simple_lists import ListView
from ui.widgets import date_of, empty_state, named


class VisitsView(ListView):
    open_case = Signal(str)
    record_visit = Signal(str, str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        self.day = named(QDateEdit(QDate.currentDate()), tr("日付", "Day"))
        self.mine = named(
            QCheckBox(tr("自分の担当のみ", "Mine only")), tr("自分の担当のみ", "Mine only")
        )
        self.mine.setChecked(True)
        columns = [
            Column(tr("ケース番号", "Case no."), lambda v: v.case_number),
            Column(tr("氏名", "Name"), lambda v: v.person_name or ""),
            Column(tr("住所", "Address"), lambda v: v.address or ""),
            Column(tr("電話", "Phone"), lambda v: v.phone or ""),
            Column(tr("予定", "Planned"), lambda v: v.next_action or ""),
            Column(tr("前回", "Last contact"), lambda v: f"{v.last_contact_at:%Y-%m-%d}" if v.last_contact_at else ""),
        ]  # fmt: skip
        super().__init__(
            ctx,
            tr("今日の訪問", "Today's visits"),
            columns,
            lambda _s, _t: [],
            search=False,
            parent=parent,
        )
        from ui import events

        self.watches = frozenset({events.CONTACT, events.CASE})
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        record = named(
            QPushButton(tr("記録を入力", "Record contact")), tr("記録を入力", "Record contact")
        )
        open_button = named(
            QPushButton(tr("ケースを開く", "Open case")), tr("ケースを開く", "Open case")
        )
        self.print_button = named(
            QPushButton(tr("訪問予定表を印刷…", "Print visit list…")),
            tr("訪問予定表の印刷プレビュー", "Visit list print preview"),
        )
        self.print_button.clicked.connect(lambda: self.print_list())
        for w in (self.day, self.mine, record, open_button, self.print_button):
            self.bar.addWidget(w)
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.mine.toggled.connect(lambda _c: self.refresh())
        record.clicked.connect(self._record)
        open_button.clicked.connect(self._open)
        self.table.activated.connect(lambda _i: self._open())
        self.empty = empty_state(self.table, tr(
            "この日に訪問の予定はありません。相談・訪問記録で「次回予定日」を入れると、"
            "その日の予定としてここに表示されます。",
            "No visits planned for this day. The next action date of a contact record "
            "appears here on its day."))  # fmt: skip

    def refresh(self) -> None:
        day = date_of(self.day.date())
        actor, mine = self.ctx.actor, self.mine.isChecked()
        self.ctx.runner.db(lambda s: visit_plan(s, actor, day, mine_only=mine), self.model.set_rows)

    def _open(self) -> None:
        v = self.current()
        if v:
            self.open_case.emit(v.case_id)

    def _record(self) -> None:
        v = self.current()
        if v:
            self.record_visit.emit(v.case_id, f"{v.case_number} {v.person_name or ''}")

    def print_list(self, on_open: Any = None) -> None:
        """訪問予定表 of the chosen day: preview, print or save (audited like
        ``yorisoi print visits``)."""
        from app.reports.service import visits_document
        from ui.print_actions import preview_document

        day = date_of(self.day.date())
        mine = self.mine.isChecked()
        preview_document(
            self, self.ctx, lambda st, a: visits_document(st, a, day, mine_only=mine), on_open
        )
