"""やること: the follow-up worklist (app/services/worklist.py) of the user or the team.

Keyboard: the filters are reached with Tab (or Alt+the underlined letter), Enter on a row
opens its case, F5 reloads. All of it is read from the local store, so it works offline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services import worklist
from ui import events
from ui.context import UiContext
from ui.i18n import tr
from ui.models.rows_table_model import Column, RowsTableModel
from ui.widgets import empty_state, heading, named, table_view

if TYPE_CHECKING:  # SQLAlchemy comes with the store, after the first window
    from sqlalchemy.orm import Session


def kind_label(kind: str) -> str:
    ja, en = worklist.KINDS[kind]
    return tr(ja, en)


def _late(item: worklist.TodoItem) -> str:
    if item.days_late > 0:
        return tr("{n}日超過", "{n} d overdue").format(n=item.days_late)
    if item.days_late == 0:
        return tr("今日", "today")
    return tr("あと{n}日", "in {n} d").format(n=-item.days_late)


def nav_title(counts: dict[str, int] | None) -> str:
    """The navigation entry: やること with the user's count (and overdue) when known."""
    base = tr("やること", "To do")
    if not counts or not counts.get("total"):
        return base
    if counts.get("overdue"):
        return tr("{base}（{n}・超過{o}）", "{base} ({n}, {o} overdue)").format(
            base=base, n=counts["total"], o=counts["overdue"]
        )
    return f"{base}（{counts['total']}）"


class ThresholdDialog(QDialog):
    """The day thresholds (local settings of this laptop)."""

    LABELS = {
        "due_soon_days": ("訪問・役割分担を何日前から表示", "Show visits and tasks days ahead"),
        "referral_reply_days": ("紹介の返信待ち（日）", "Referral reply awaited after (days)"),
        "consent_valid_days": ("同意の有効期間（日）", "Consent valid for (days)"),
        "consent_warn_days": ("同意の期限の何日前から", "Warn before consent lapses (days)"),
        "no_contact_days": ("連絡なしとみなす日数", "No contact after (days)"),
    }

    def __init__(self, values: worklist.Thresholds, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("やることの設定", "Worklist settings"))
        form = QFormLayout(self)
        self.boxes: dict[str, QSpinBox] = {}
        for key, (ja, en) in self.LABELS.items():
            box = named(QSpinBox(), tr(ja, en))
            box.setRange(0, 3650)
            box.setValue(getattr(values, key))
            box.setSuffix(tr(" 日", " d"))
            self.boxes[key] = box
            form.addRow(tr(ja, en), box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("保存", "Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("キャンセル", "Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, int]:
        return {k: b.value() for k, b in self.boxes.items()}


class WorklistView(QWidget):
    open_case = Signal(str)
    counts_changed = Signal(object)  # the user's counts (dict), for the navigation
    loaded = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result: worklist.Worklist | None = None
        self.scope = named(QComboBox(), tr("範囲", "Scope"))
        self.scope.addItem(tr("自分の担当", "Mine"), "mine")
        self.scope.addItem(tr("チーム全体", "Whole team"), "team")
        self.kind = named(QComboBox(), tr("種類", "Kind"))
        self.kind.addItem(tr("すべての種類", "All kinds"), "")
        for k in worklist.KINDS:
            self.kind.addItem(kind_label(k), k)
        self.staff = named(QComboBox(), tr("担当者", "Worker"))
        self.staff.addItem(tr("全員", "Everyone"), "")
        for c in ctx.choices.staff:
            self.staff.addItem(c.name, c.id)
        self.overdue = named(
            QCheckBox(tr("期限超過のみ(&O)", "&Overdue only")), tr("期限超過のみ", "Overdue only")
        )
        settings = named(
            QPushButton(tr("日数の設定…", "Thresholds…")), tr("日数の設定", "Thresholds")
        )
        open_button = named(
            QPushButton(tr("ケースを開く", "Open case")), tr("ケースを開く", "Open case")
        )
        bar = QHBoxLayout()
        for w in (self.scope, self.kind, self.staff, self.overdue):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(settings)
        bar.addWidget(open_button)
        self.summary = QLabel()
        self.summary.setAccessibleName(tr("件数", "Counts"))
        columns = [
            Column(tr("期限", "Due"), lambda i: i.due.isoformat()),
            Column(tr("状況", "When"), _late),
            Column(tr("種類", "Kind"), lambda i: kind_label(i.kind)),
            Column(tr("ケース番号", "Case no."), lambda i: i.case_number),
            Column(tr("氏名", "Name"), lambda i: i.person_name or ""),
            Column(tr("内容", "What"), lambda i: i.text),
            Column(tr("担当", "Worker"), lambda i: i.staff_name or ""),
        ]
        self.model = RowsTableModel(columns, self)
        self.table = table_view(tr("やること", "To do"))
        self.table.setModel(self.model)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("やること", "To do")))
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.empty = empty_state(self.table, "")
        for combo in (self.scope, self.kind, self.staff):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.overdue.toggled.connect(lambda _c: self.refresh())
        settings.clicked.connect(self.edit_thresholds)
        open_button.clicked.connect(self._open)
        self.table.activated.connect(lambda _i: self._open())
        QShortcut(QKeySequence("F5"), self, self.refresh)
        self.watches = frozenset({events.CASE, events.CONTACT, events.REFERRAL, events.MEETING,
                                  events.SETTINGS})  # fmt: skip
        events.bus().changed.connect(self._changed)
        self._sync_staff_enabled()
        self.scope.currentIndexChanged.connect(lambda _i: self._sync_staff_enabled())

    def _sync_staff_enabled(self) -> None:
        self.staff.setEnabled(self.scope.currentData() == "team")

    def activate(self) -> None:
        self.refresh()
        self.table.setFocus()

    def _changed(self, entities: frozenset[str], _initiator: object) -> None:
        if entities & self.watches and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        actor = self.ctx.actor
        scope = str(self.scope.currentData())
        kind = str(self.kind.currentData() or "")
        staff = str(self.staff.currentData() or "") if scope == "team" else ""
        overdue = self.overdue.isChecked()

        def load(s: Session) -> tuple[worklist.Worklist, dict[str, int]]:
            wl = worklist.worklist(s, actor, scope=scope, kinds=(kind,) if kind else (),
                                   staff_id=staff or None, overdue_only=overdue)  # fmt: skip
            return wl, worklist.counts(s, actor)

        self.ctx.runner.db(load, self._loaded)

    def _loaded(self, result: tuple[worklist.Worklist, dict[str, int]]) -> None:
        wl, mine = result
        self.result = wl
        self.empty.setText(self._empty_text())
        self.model.set_rows(wl.items)
        parts = [f"{kind_label(k)} {n}" for k, n in wl.counts.items()]
        self.summary.setText(
            tr("{n}件（期限超過 {o}）: ", "{n} items ({o} overdue): ").format(
                n=len(wl.items), o=wl.overdue
            )
            + " ・ ".join(parts)
        )
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self.counts_changed.emit(mine)
        self.loaded.emit()

    def _empty_text(self) -> str:
        if (
            self.kind.currentData()
            or self.overdue.isChecked()
            or (self.scope.currentData() == "team" and self.staff.currentData())
        ):
            return tr("この条件に当てはまる項目はありません。", "Nothing matches these filters.")
        text = tr(
            "今はやることはありません。訪問の予定（相談・訪問記録の次回予定日）、役割分担の期限、"
            "紹介の返信待ち、同意の期限、長く連絡のないケースが近づくと、ここに表示されます。",
            "Nothing to do now. Visits due (the next visit of a contact record), role "
            "assignments due, referral replies awaited, consents about to lapse and cases "
            "without contact for long appear here.")  # fmt: skip
        if self.scope.currentData() == "mine":
            text += tr(
                "\n\nチーム全体のやることは、「自分の担当」を「チーム全体」に切り替えると表示されます。",
                "\n\nChoose Whole team instead of Mine to see the team's.")  # fmt: skip
        return text

    def current(self) -> worklist.TodoItem | None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        return row if isinstance(row, worklist.TodoItem) else None

    def _open(self) -> None:
        item = self.current()
        if item is not None:
            self.open_case.emit(item.case_id)

    def edit_thresholds(self) -> ThresholdDialog | None:
        if self.result is None:
            return None
        dialog = ThresholdDialog(self.result.thresholds, self)

        def save() -> None:
            values = dialog.values()

            def unit(s: Session) -> None:
                for k, v in values.items():
                    worklist.set_threshold(s, k, v)

            self.ctx.runner.db(unit, lambda _r: self.refresh(), changes=[events.SETTINGS])

        dialog.accepted.connect(save)
        dialog.open()
        return dialog
