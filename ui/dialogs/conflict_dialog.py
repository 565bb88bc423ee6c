"""Side-by-side conflict dialog: base, mine, theirs, who and when; keep mine, take theirs, or
edit a merged value. The decision becomes a new change that syncs (app.sync.conflicts).

Main thread only. ``ConflictDialog(runner, conflict, parent)``: ``conflict`` is an
``app.sync.conflicts.ConflictItem``; the resolution is one short unit of work run by ``runner``
(ui.tasks.TaskRunner) off the UI thread, then ``events.SYNCED`` is announced so every open view
shows the decided value.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.sync.conflicts import ConflictItem, resolve_conflict
from ui import events
from ui.i18n import error_text, tr
from ui.tasks import TaskControl, TaskRunner


def show_value(value: Any) -> str:
    if value is None:
        return tr("（空欄）", "(empty)")
    if value is True:
        return tr("削除", "deleted")
    if value is False:
        return tr("あり", "present")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


class ConflictDialog(QDialog):
    def __init__(
        self, runner: TaskRunner, conflict: ConflictItem, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.conflict = conflict
        self.choice: str | None = None
        self.setWindowTitle(tr("競合の解決", "Resolve a conflict"))
        layout = QVBoxLayout(self)
        table_ja, table_en = conflict.table_label
        head = QLabel(f"{tr(table_ja, table_en)} {conflict.row_label} — {conflict.field}")
        head.setWordWrap(True)
        layout.addWidget(head)
        grid = QGridLayout()
        rows = [
            (tr("元の値", "Base"), conflict.base, ""),
            (tr("この端末の変更", "Mine"), conflict.mine, tr("あなた", "you")),
            (tr("他の変更", "Theirs"), conflict.theirs,
             f"{conflict.theirs_by or tr('不明', 'unknown')} {conflict.theirs_at or ''}"),
        ]  # fmt: skip
        self.value_labels: list[QLabel] = []
        for r, (title, value, who) in enumerate(rows):
            grid.addWidget(QLabel(title), r, 0)
            shown = QLabel(show_value(value))
            shown.setWordWrap(True)
            self.value_labels.append(shown)
            grid.addWidget(shown, r, 1)
            grid.addWidget(QLabel(who), r, 2)
        layout.addLayout(grid)
        self.merged = QLineEdit(self._editable(conflict.mine))
        self.merged.setEnabled(conflict.field != "deleted" and not isinstance(conflict.mine, bool))
        layout.addWidget(QLabel(tr("統合した値（編集できます）", "Merged value (editable)")))
        layout.addWidget(self.merged)
        buttons = QDialogButtonBox()
        self.mine_button = QPushButton(tr("この端末の値を残す", "Keep mine"))
        self.mine_button.setEnabled(conflict.can_keep_mine)
        self.theirs_button = QPushButton(tr("他の変更を採用", "Take theirs"))
        self.merged_button = QPushButton(tr("統合した値で保存", "Save merged"))
        self.merged_button.setEnabled(self.merged.isEnabled())
        for b in (self.mine_button, self.theirs_button, self.merged_button):
            buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.mine_button.clicked.connect(lambda: self.resolve("mine"))
        self.theirs_button.clicked.connect(lambda: self.resolve("theirs"))
        self.merged_button.clicked.connect(lambda: self.resolve("merged"))
        layout.addWidget(buttons)

    @staticmethod
    def _editable(value: Any) -> str:
        if isinstance(value, list):
            return json.dumps(value, ensure_ascii=False)
        return "" if value is None else str(value)

    def merged_value(self) -> Any:
        text = self.merged.text()
        if isinstance(self.conflict.mine, list) or isinstance(self.conflict.theirs, list):
            try:
                return json.loads(text)
            except ValueError:
                return [t.strip() for t in text.split(",") if t.strip()]
        if isinstance(self.conflict.mine, int) and not isinstance(self.conflict.mine, bool):
            return int(text)
        return text or None

    def resolve(self, choice: str) -> None:
        try:
            value = self.merged_value() if choice == "merged" else None
        except ValueError as exc:
            QMessageBox.warning(self, tr("解決できません", "Cannot resolve"), error_text(exc))
            return
        store, conflict_id = self.runner.store, self.conflict.id
        if store is None:
            return

        def work(_ctl: TaskControl) -> None:  # worker thread
            resolve_conflict(store, conflict_id, choice, value)

        def done(_result: object) -> None:
            self.choice = choice
            events.bus().announce(*events.SYNCED, initiator=self)
            self.accept()

        def failed(exc: BaseException) -> None:
            for b in (self.mine_button, self.theirs_button, self.merged_button):
                b.setEnabled(True)
            self.mine_button.setEnabled(self.conflict.can_keep_mine)
            QMessageBox.warning(self, tr("解決できません", "Cannot resolve"), error_text(exc))

        for b in (self.mine_button, self.theirs_button, self.merged_button):
            b.setEnabled(False)
        self.runner.run(work, done, failed)
