"""Likely duplicates of a person (app/services/duplicates.py), each with its score and why.

Two uses: before a new case's person is saved ("new": use the existing person, or register
a new one anyway), and from a case, for a coordinator, to merge a duplicate into the case's
person ("merge": the chosen record's references move to this person, it is kept as merged)
or to undo an earlier merge into this person ("unmerge", app/services/merges.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import duplicates
from ui.i18n import tr
from ui.models.rows_table_model import Column, RowsTableModel
from ui.widgets import fit_window, named, table_view


def reasons_text(c: duplicates.Candidate) -> str:
    return "、".join(tr(*duplicates.REASONS[r]) for r in c.reasons)


class DuplicateDialog(QDialog):
    """``choice`` after it closes: "existing" (``person_id`` set), "new", "merge", "unmerge"
    or None. ``merged``: (id, name) of the records merged into this person before (mode
    "merge"), each undoable."""

    def __init__(
        self, candidates: Sequence[duplicates.Candidate], *, mode: str = "new",
        may_merge: bool = True, parent: QWidget | None = None,
        merged: Sequence[tuple[str, str]] = (),
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.mode = mode
        self.choice: str | None = None
        self.person_id: str | None = None
        self.setWindowTitle(tr("同じ人の可能性がある記録", "Possible duplicates"))
        layout = QVBoxLayout(self)
        intro = (
            tr("同じ人と思われる記録があります。既存の人を選ぶか、別人として登録してください。",
               "These existing records look like the same person. Pick one, or register a "
               "new person anyway.")
            if mode == "new"
            else tr("このケースの本人と同じ人と思われる記録です。統合すると、選んだ記録のケース・"
                    "世帯・記録・紹介がこの人に移り、選んだ記録は「統合済み」として残ります。",
                    "Records that look like this case's person. Merging moves the chosen "
                    "record's cases, households, contacts and referrals to this person; the "
                    "chosen record is kept, marked as merged.")
        )  # fmt: skip
        label = QLabel(intro)
        label.setWordWrap(True)
        layout.addWidget(label)
        columns = [
            Column(tr("一致度", "Score"), lambda c: str(c.score)),
            Column(tr("理由", "Why"), reasons_text),
            Column(tr("氏名", "Name"), lambda c: c.name),
            Column(tr("ふりがな", "Kana"), lambda c: c.kana or ""),
            Column(tr("生年月日", "Born"), lambda c: c.birth_date.isoformat() if c.birth_date else ""),
            Column(tr("電話", "Phone"), lambda c: c.phone or ""),
            Column(tr("住所", "Address"), lambda c: c.address or ""),
            Column(tr("ケース", "Cases"), lambda c: ", ".join(c.case_numbers)),
        ]  # fmt: skip
        self.model = RowsTableModel(columns, self)
        self.model.set_rows(list(candidates))
        self.table = table_view(tr("候補", "Candidates"))
        self.table.setModel(self.model)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(self)
        if mode == "new":
            self.use_button: QPushButton = named(
                QPushButton(tr("選んだ人のケースにする", "Use the chosen person")),
                tr("既存の人を使う", "Use existing person"),
            )
            self.new_button = named(
                QPushButton(tr("別人として登録", "Register as a new person")),
                tr("別人として登録", "Register as new"),
            )
            buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.AcceptRole)
            buttons.addButton(self.new_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.use_button.clicked.connect(self._use)
            self.new_button.clicked.connect(self._new)
        else:
            self.use_button = named(
                QPushButton(tr("選んだ記録をこの人に統合…", "Merge the chosen record…")),
                tr("統合", "Merge"),
            )
            self.use_button.setEnabled(may_merge)
            if not may_merge:
                self.use_button.setToolTip(
                    tr("統合はコーディネーターが行います。", "Coordinators merge duplicates.")
                )
            buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.AcceptRole)
            self.use_button.clicked.connect(lambda: self._merge())  # asks first (not clicked(bool))
        self.merged = QComboBox()
        self.unmerge_button = QPushButton(tr("統合を元に戻す", "Undo the merge"))
        if mode != "new" and merged:
            row = QHBoxLayout()
            row.addWidget(QLabel(tr("この人に統合された記録:", "Merged into this person:")))
            for pid, name in merged:
                self.merged.addItem(name, pid)
            named(self.merged, tr("この人に統合された記録", "Merged into this person"))
            row.addWidget(self.merged, 1)
            self.unmerge_button.setEnabled(may_merge)
            self.unmerge_button.clicked.connect(self._unmerge)
            row.addWidget(self.unmerge_button)
            layout.addLayout(row)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("キャンセル", "Cancel") if mode == "new" else tr("閉じる", "Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if self.model.rowCount():
            self.table.selectRow(0)
        self.table.activated.connect(lambda _i: self.use_button.click())
        fit_window(self, 1000, 420)

    def current(self) -> duplicates.Candidate | None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        return row if isinstance(row, duplicates.Candidate) else None

    def _use(self) -> None:
        c = self.current()
        if c is not None:
            self.choice, self.person_id = "existing", c.person_id
            self.accept()

    def _new(self) -> None:
        self.choice = "new"
        self.accept()

    def _merge(self, confirm: bool = True) -> None:
        c = self.current()
        if c is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self, tr("統合", "Merge"),
                tr("「{name}」の記録をこの人に統合します。よろしいですか。",
                   "Merge the record of {name} into this person?").format(name=c.name),
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.choice, self.person_id = "merge", c.person_id
        self.accept()

    def _unmerge(self) -> None:
        pid = self.merged.currentData()
        if pid:
            self.choice, self.person_id = "unmerge", str(pid)
            self.accept()
