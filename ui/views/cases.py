"""The case list: search as you type (debounced, off the UI thread), filters, sorting, keyboard."""

from __future__ import annotations

import time

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.records import CaseFilter, CaseRow
from app.services.cases import case_ids, case_rows
from app.storage.search import index_pending
from ui import events
from ui.context import UiContext
from ui.i18n import tr
from ui.models.case_table_model import CaseTableModel
from ui.tasks import Task
from ui.widgets import choice_combo, combo_value, named, table_view, vocab_combo

DEBOUNCE_MS = 10  # merges an IME commit; running queries coalesce newer keystrokes


class CasesView(QWidget):
    open_case = Signal(str)
    new_case = Signal()
    results_shown = Signal(str, int)  # the search text the list now shows, number of cases
    list_complete = Signal(int)  # the whole id list is loaded (after a first page)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = CaseTableModel(ctx.runner, self)
        self.model.issue_labels = ctx.choices.issue_labels()
        self._sort = ("case_number", True)  # indexed: the first page comes at once
        self._index_pending = False  # an unfinished first sync: searches miss synced rows
        self._task: Task | None = None
        self._stale = False
        self._loading_rest = False
        self.last_query_ms = 0.0

        self.search = named(QLineEdit(), tr("ケース検索", "Search cases"))
        self.search.setPlaceholderText(
            tr(
                "氏名・ふりがな・電話・住所・ケース番号で検索（Ctrl+F）",
                "Search name, kana, phone, address, case no. (Ctrl+F)",
            )
        )
        self.search.setClearButtonEnabled(True)
        self.district = named(
            choice_combo(ctx.choices.districts, empty=tr("全地区", "All districts")),
            tr("地区", "District"),
        )
        self.status = named(vocab_combo(vocab.CASE_STATUS, empty=True), tr("状況", "Status"))
        self.status.setItemText(0, tr("全状況", "Any status"))
        self.issue = named(vocab_combo(ctx.choices.issue_vocab(), empty=True), tr("課題", "Issue"))
        self.issue.setItemText(0, tr("全課題", "Any issue"))
        self.urgency = named(vocab_combo(vocab.URGENCY, empty=True), tr("緊急度", "Urgency"))
        self.urgency.setItemText(0, tr("全緊急度", "Any urgency"))
        self.consent = named(vocab_combo(vocab.CONSENT_STATUS, empty=True), tr("同意", "Consent"))
        self.consent.setItemText(0, tr("同意（すべて）", "Any consent"))
        self.mine = named(
            QCheckBox(tr("自分の担当", "Assigned to me")), tr("自分の担当", "Assigned to me")
        )
        self.count = QLabel()
        self.count.setAccessibleName(tr("件数", "Count"))
        new_button = named(
            QPushButton(tr("新規ケース（Ctrl+N）", "New case (Ctrl+N)")),
            tr("新規ケース", "New case"),
        )
        new_button.clicked.connect(self.new_case)
        self.import_button = named(
            QPushButton(tr("取り込み…", "Import…")),
            tr("ケースを取り込む", "Import cases"),
            tr(
                "前のシステムの CSV・Excel から取り込む",
                "Import from the previous system's CSV/Excel",
            ),
        )
        self.import_button.setVisible(ctx.actor.role in ("coordinator", "admin"))
        self.import_button.clicked.connect(self.open_import)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(new_button)
        top.addWidget(self.import_button)
        filters = QHBoxLayout()
        for w in (self.district, self.status, self.issue, self.urgency, self.consent, self.mine):
            filters.addWidget(w)
        filters.addStretch(1)
        filters.addWidget(self.count)
        self.table = table_view(tr("ケース一覧", "Case list"))
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.district, self.status, self.issue, self.urgency, self.consent):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.mine.toggled.connect(lambda _c: self.refresh())
        self.model.sort_requested.connect(self._sort_by)
        self.table.activated.connect(self._activated)
        self.search.returnPressed.connect(self._focus_table)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_case.emit)
        events.bus().changed.connect(self._changed)

    def case_filter(self) -> CaseFilter:
        issue = combo_value(self.issue)
        return CaseFilter(
            text=self.search.text(),
            district_ids=tuple(x for x in [combo_value(self.district)] if x),
            statuses=tuple(x for x in [combo_value(self.status)] if x),
            issue_categories=(issue,) if issue else (),
            urgencies=tuple(x for x in [combo_value(self.urgency)] if x),
            consent_statuses=tuple(x for x in [combo_value(self.consent)] if x),
            assigned_staff_id=self.ctx.actor.staff_id if self.mine.isChecked() else None,
            sort=self._sort[0],
            descending=self._sort[1],
        )

    def refresh(self) -> None:
        """Query ids (and the first block of rows) in the background. While one query runs,
        newer keystrokes are coalesced into a single follow-up query. Without search text the
        first page is fetched alone (fast, indexed) and the full id list follows."""
        if self._task is not None and not self._task.cancelled:
            if not self._loading_rest:
                self._stale = True
                return
            self._task.cancel()  # the full list of an older query: interrupt it, query now
        self._loading_rest = False
        flt = self.case_filter()
        first = self.model.BLOCK
        paged = not flt.text.strip()
        started = time.perf_counter()

        def query(s: Session) -> tuple[list[str], list[CaseRow], bool]:
            ids = case_ids(s, flt, limit=first if paged else None)
            partial = not paged and index_pending(s)
            return ids, case_rows(s, ids[:first]), partial

        def done(result: tuple[list[str], list[CaseRow], bool]) -> None:
            self._task = None
            if self._stale:
                self._stale = False
                self.refresh()
                return
            ids, rows, partial = result
            self.last_query_ms = (time.perf_counter() - started) * 1000
            self.model.set_ids(ids, rows)
            complete = not paged or len(ids) < first
            self._index_pending = partial
            self._show_count(len(ids), complete)
            self.results_shown.emit(flt.text, len(ids))
            if not complete:
                self._loading_rest = True
                self._task = self.ctx.runner.db(lambda s: case_ids(s, flt), rest, failed)

        def rest(ids: list[str]) -> None:
            self._task = None
            self._loading_rest = False
            if self._stale:
                self._stale = False
                self.refresh()
                return
            self.model.extend_ids(ids)
            self._show_count(len(ids), True)
            self.list_complete.emit(len(ids))

        def failed(exc: BaseException) -> None:
            self._task = None
            self._stale = False
            self._loading_rest = False
            self.ctx.runner.failed.emit(exc)

        self._task = self.ctx.runner.db(query, done, failed)

    def _show_count(self, n: int, complete: bool) -> None:
        from app.services.cases import SEARCH_LIMIT

        text = tr("{n} 件", "{n} cases").format(n=f"{n:,}")
        if complete and n >= SEARCH_LIMIT and self.search.text().strip():
            text = tr(
                "新しい順に {n} 件（さらに絞り込んでください）",
                "Newest {n} shown (narrow the search)",
            ).format(n=f"{n:,}")
        if not complete:
            text = tr("{n} 件以上…", "{n}+ cases…").format(n=f"{n:,}")
        if self._index_pending and self.search.text().strip():
            # An interrupted first sync: its rows are stored but not searchable yet.
            text += tr(
                "（初回同期の途中：一部のケースはまだ検索できません）",
                " (first sync unfinished: some cases not searchable yet)",
            )
        self.count.setText(text)

    def _sort_by(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self.refresh()

    def _changed(self, entities: frozenset[str], _initiator: object) -> None:
        if entities & {events.CASE, events.PERSON, events.CONTACT}:
            self.refresh()

    def _activated(self, index: QModelIndex) -> None:
        case_id = self.model.row_id(index.row())
        if case_id:
            self.open_case.emit(case_id)

    def selected_case_id(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.row_id(index.row()) if index.isValid() else None

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _focus_table(self) -> None:
        self.table.setFocus()
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def open_import(self) -> object:
        from ui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self.ctx, "cases", self)
        dialog.open()
        return dialog
