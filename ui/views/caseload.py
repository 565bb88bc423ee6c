"""担当状況 (caseload, for coordinators): open cases by worker with their districts, statuses
and urgencies; choosing a worker (or a cell) lists the cases; selected cases, or all of a
worker's, are handed to another worker with a reason and a handover note
(app/services/caseload.py). Enter on a case opens it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain import vocab
from app.services import caseload, cases
from ui import events
from ui.context import UiContext
from ui.i18n import tr, vlabel
from ui.models.rows_table_model import Column, RowsTableModel
from ui.widgets import (
    AskBeforeDiscard,
    FieldErrors,
    choice_combo,
    combo_value,
    error_label,
    heading,
    named,
    table_view,
)

if TYPE_CHECKING:  # SQLAlchemy comes with the store, after the first window
    from sqlalchemy.orm import Session

# Drill-down columns after 担当者 and 件数: (kind, code) of the cell.
_CELLS: list[tuple[str, str]] = [("urgency", u) for u in vocab.URGENCY] + [
    ("status", s) for s in vocab.CASE_STATUS if s != "closed"
]


def _worker(r: caseload.LoadRow) -> str:
    return r.staff_name or (tr("（未割当）", "(unassigned)") if not r.staff_id else r.staff_id[:8])


class ReassignDialog(AskBeforeDiscard, QDialog):
    """To whom, why, and a note for the new worker (their first task on each case). It says
    whose cases and which ones (the first few), so nobody hands over the wrong selection."""

    SHOWN = 5

    def __init__(self, ctx: UiContext, count: int, exclude: str | None, parent: QWidget,
                 *, from_name: str | None = None, cases: Sequence[str] = (),
                 all_of_worker: bool = False) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(tr("ケースの引き継ぎ", "Hand cases over"))
        self.errors = FieldErrors(error_label())
        form = QFormLayout(self)
        if from_name and all_of_worker:
            what = tr("{who}さんの担当ケース {n}件すべてを引き継ぎます。",
                      "Hand over all {n} case(s) of {who}.").format(who=from_name, n=count)  # fmt: skip
        elif from_name:
            what = tr("{who}さんの担当ケースから {n}件を引き継ぎます。",
                      "Hand over {n} case(s) of {who}.").format(who=from_name, n=count)  # fmt: skip
        else:
            what = tr("{n}件のケースを引き継ぎます。", "Hand over {n} case(s).").format(n=count)
        if cases:
            listed = "\n".join(f"・{c}" for c in cases[: self.SHOWN])
            if len(cases) > self.SHOWN:
                listed += "\n" + tr("ほか {n}件", "and {n} more").format(n=len(cases) - self.SHOWN)
            what += "\n" + listed
        self.summary = QLabel(what)
        self.summary.setWordWrap(True)
        form.addRow(self.summary)
        staff = tuple(c for c in ctx.choices.staff if c.id != exclude)
        self.to = named(choice_combo(staff, None), tr("引き継ぎ先", "New worker"))
        self.reason = named(QLineEdit(), tr("理由", "Reason"))
        self.reason.setPlaceholderText(tr("例: 異動、担当地区の変更", "e.g. transfer"))
        self.note = named(QPlainTextEdit(), tr("引き継ぎメモ", "Handover note"))
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(110)
        form.addRow(tr("引き継ぎ先", "New worker"), self.to)
        form.addRow("", self.errors.add("to"))
        form.addRow(tr("理由", "Reason"), self.reason)
        form.addRow("", self.errors.add("reason"))
        form.addRow(tr("引き継ぎメモ", "Handover note"), self.note)
        form.addRow(self.errors.general)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("引き継ぐ", "Hand over"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("キャンセル", "Cancel"))
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form.addRow(buttons)
        self.setMinimumWidth(520)


class CaseloadView(QWidget):
    open_case = Signal(str)
    loaded = Signal()
    reassigned = Signal(object)  # caseload.ReassignResult

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.may_assign = ctx.actor.role in caseload.COORDINATOR_ROLES
        self.district = named(
            choice_combo(ctx.choices.districts, None, empty=tr("全地区", "All districts")),
            tr("地区", "District"),
        )
        self.group = named(QComboBox(), tr("集計の単位", "Group by"))
        self.group.addItem(tr("担当者別", "By worker"), "staff")
        self.group.addItem(tr("地区別", "By district"), "district")
        self.include_closed = named(
            QCheckBox(tr("終結も含める", "Include closed")), tr("終結も含める", "Include closed")
        )
        load_cols = [
            Column(tr("担当者・地区", "Worker / district"), _worker),
            Column(tr("件数", "Cases"), lambda r: str(r.total)),
        ] + [
            Column(
                vlabel(vocab.URGENCY if k == "urgency" else vocab.CASE_STATUS, code),
                _cell(k, code),
            )
            for k, code in _CELLS
        ]
        self.load_model = RowsTableModel(load_cols, self)
        self.load_table = table_view(tr("担当者ごとの件数", "Cases per worker"))
        self.load_table.setModel(self.load_model)
        # The one-character urgency headers (高 中 低) stay wide enough to read and click.
        self.load_table.horizontalHeader().setMinimumSectionSize(34)
        self.load_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        case_cols = [
            Column(tr("ケース番号", "Case no."), lambda r: r.case_number),
            Column(tr("氏名", "Name"), lambda r: r.person_name or ""),
            Column(tr("地区", "District"), lambda r: r.district_name or ""),
            Column(tr("状況", "Status"), lambda r: vlabel(vocab.CASE_STATUS, r.status)),
            Column(tr("緊急", "Urgency"), lambda r: vlabel(vocab.URGENCY, r.urgency)),
            Column(tr("主訴", "Main concern"), lambda r: r.title),
        ]
        self.case_model = RowsTableModel(case_cols, self)
        self.case_table = table_view(tr("ケース一覧", "Cases"))
        self.case_table.setModel(self.case_model)
        self.case_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.drill_label = QLabel()
        self.hand_selected = named(
            QPushButton(tr("選んだケースを引き継ぐ…", "Hand selected over…")),
            tr("選んだケースを引き継ぐ", "Hand selected cases over"),
        )
        self.hand_all = named(
            QPushButton(tr("この担当者の全ケースを引き継ぐ…", "Hand all of this worker's over…")),
            tr("この担当者の全ケースを引き継ぐ", "Hand all of this worker's cases over"),
        )
        for b in (self.hand_selected, self.hand_all):
            b.setEnabled(self.may_assign)
            if not self.may_assign:
                b.setToolTip(tr("引き継ぎはコーディネーターが行います。",
                                "Coordinators hand cases over."))  # fmt: skip
        top = QHBoxLayout()
        top.addWidget(self.group)
        top.addWidget(self.district)
        top.addWidget(self.include_closed)
        top.addStretch(1)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.load_table)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.drill_label)
        rl.addWidget(self.case_table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hand_selected)
        buttons.addWidget(self.hand_all)
        buttons.addStretch(1)
        rl.addLayout(buttons)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 6)
        split.setSizes([556, 568])  # the counts table shows every column at 1366x768
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("担当状況", "Caseloads")))
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self._cell: tuple[str | None, str | None, str | None] = (None, None, None)
        self.district.currentIndexChanged.connect(lambda _i: self.refresh())
        self.group.currentIndexChanged.connect(lambda _i: self.refresh())
        self.include_closed.toggled.connect(lambda _c: self.refresh())
        self.load_table.selectionModel().currentChanged.connect(lambda cur, _p: self._drill(cur))
        self.case_table.activated.connect(self._open)
        self.hand_selected.clicked.connect(lambda: self.reassign(all_of_worker=False))
        self.hand_all.clicked.connect(lambda: self.reassign(all_of_worker=True))
        # The buttons are usable only when they would do something (they did nothing, without
        # a word, with no case selected or when the table is by district).
        self.case_table.selectionModel().selectionChanged.connect(lambda *_a: self._buttons())
        self.case_model.modelReset.connect(self._buttons)
        self.group.currentIndexChanged.connect(lambda _i: self._buttons())
        self._buttons()
        events.bus().changed.connect(self._changed)

    def _buttons(self) -> None:
        if not self.may_assign:
            return
        chosen = bool(self.case_table.selectionModel().selectedRows())
        self.hand_selected.setEnabled(chosen)
        self.hand_selected.setToolTip("" if chosen else tr(
            "引き継ぐケースを右の一覧で選んでください（Ctrl・Shiftで複数）。",
            "Select the cases in the list (Ctrl or Shift for several)."))  # fmt: skip
        by_worker = self.group.currentData() == "staff" and bool(self._cell[0])
        self.hand_all.setEnabled(by_worker)
        self.hand_all.setToolTip("" if by_worker else tr(
            "「担当者別」の表で担当者を選ぶと使えます。",
            "Choose a worker in the by-worker table first."))  # fmt: skip

    def activate(self) -> None:
        self.refresh()

    def _changed(self, entities: frozenset[str], _initiator: object) -> None:
        if events.CASE in entities and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        district = combo_value(self.district)
        closed = self.include_closed.isChecked()
        group = str(self.group.currentData())
        self.ctx.runner.db(
            lambda s: caseload.caseload(s, include_closed=closed, district_id=district,
                                        group=group),
            self._loaded,
        )  # fmt: skip

    def _loaded(self, rows: list[caseload.LoadRow]) -> None:
        previous = self._cell
        self.load_model.set_rows(rows)
        row = next((i for i, r in enumerate(rows) if r.staff_id == previous[0]), 0)
        if rows:
            self.load_table.setCurrentIndex(self.load_model.index(row, 0))
        else:
            self.case_model.set_rows([])
        self.loaded.emit()

    def _drill(self, index: Any) -> None:
        r = self.load_model.row_at(index.row()) if index.isValid() else None
        if r is None:
            return
        status = urgency = None
        col = index.column() - 2
        if 0 <= col < len(_CELLS):
            kind, code = _CELLS[col]
            status, urgency = (code, None) if kind == "status" else (None, code)
        self._cell = (r.staff_id, status, urgency)
        self._buttons()
        district = combo_value(self.district)
        closed = self.include_closed.isChecked()
        label = _worker(r)
        if status or urgency:
            label += " ・ " + (
                vlabel(vocab.CASE_STATUS, status) if status else vlabel(vocab.URGENCY, urgency)
            )

        by_worker = r.group == "staff"

        def load(s: Session) -> list[Any]:
            ids = caseload.load_case_ids(
                s, staff_id=r.staff_id if by_worker else None,
                district_id=district if by_worker else r.staff_id, status=status,
                urgency=urgency, include_closed=closed,
            )  # fmt: skip
            return cases.case_rows(s, ids)

        def show(rows: list[Any]) -> None:
            self.case_model.set_rows(rows)
            self.drill_label.setText(
                tr("{who}: {n}件", "{who}: {n} case(s)").format(who=label, n=len(rows))
            )
            self.hand_all.setEnabled(self.may_assign and by_worker and bool(r.staff_id))

        self.ctx.runner.db(load, show)

    def selected_case_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.case_table.selectionModel().selectedRows()})
        return [self.case_model.row_at(n).id for n in rows if self.case_model.row_at(n)]

    def _open(self, index: Any) -> None:
        row = self.case_model.row_at(index.row())
        if row is not None:
            self.open_case.emit(row.id)

    def reassign(self, *, all_of_worker: bool) -> ReassignDialog | None:
        by_worker = self.group.currentData() == "staff"
        worker = self._cell[0] if by_worker else None
        if all_of_worker:
            if not worker:
                return None
            ids: list[str] | None = None
            count = sum(r.total for r in self._rows() if r.staff_id == worker)
        else:
            ids = self.selected_case_ids()
            count = len(ids)
            if not ids:
                return None
        from_name = next((_worker(r) for r in self._rows() if r.staff_id == worker), None)
        listed = [] if ids is None else [
            f"{r.case_number}　{r.person_name or ''}".rstrip()
            for n in sorted({i.row() for i in self.case_table.selectionModel().selectedRows()})
            if (r := self.case_model.row_at(n)) is not None
        ]  # fmt: skip
        dialog = ReassignDialog(self.ctx, count, worker or None, self, from_name=from_name,
                                cases=listed, all_of_worker=all_of_worker)  # fmt: skip
        actor = self.ctx.actor

        def submit() -> None:
            dialog.errors.clear()
            to, reason, note = (
                combo_value(dialog.to),
                dialog.reason.text(),
                dialog.note.toPlainText(),
            )
            if to is None:  # the first field first, in words that fit an empty choice
                from app.domain.errors import ValidationError

                dialog.errors.show(ValidationError(
                    "引き継ぎ先を選んでください。", "Choose the new worker.", field="to"))  # fmt: skip
                dialog.to.setFocus()
                return

            def unit(s: Session) -> caseload.ReassignResult:
                chosen = ids if ids is not None else caseload.cases_of(s, str(worker))
                return caseload.reassign_cases(s, actor, chosen, to_staff_id=to or "",
                                               reason=reason, note=note)  # fmt: skip

            def done(result: caseload.ReassignResult) -> None:
                dialog.accept()
                self.reassigned.emit(result)

            self.ctx.runner.db(unit, done, dialog.errors.show, changes=[events.CASE])

        dialog.ok_button.clicked.connect(submit)
        dialog.open()
        return dialog

    def _rows(self) -> list[caseload.LoadRow]:
        return [self.load_model.row_at(i) for i in range(self.load_model.rowCount())]


def _cell(kind: str, code: str) -> Callable[[Any], str]:
    """The count of one urgency or status column (blank for none)."""

    def value(r: Any) -> str:
        return str((r.by_urgency if kind == "urgency" else r.by_status).get(code, 0) or "")

    return value
