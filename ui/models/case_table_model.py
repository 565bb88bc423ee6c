"""The case list: ids from ``cases.case_ids``, rows from ``cases.case_rows`` (lazy)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.domain import vocab
from app.domain.records import CaseRow
from app.services.cases import case_rows
from ui.i18n import tr, vlabel
from ui.models.lazy_table_model import LazyIdTableModel
from ui.tasks import TaskRunner

URGENT = QColor("#b3261e")


class CaseTableModel(LazyIdTableModel[CaseRow]):
    def __init__(self, runner: TaskRunner, parent: Any = None) -> None:
        headers = [
            tr("ケース番号", "Case no."), tr("氏名", "Name"), tr("主訴", "Main concern"),
            tr("地区", "District"), tr("状況", "Status"), tr("緊急度", "Urgency"),
            tr("同意", "Consent"), tr("担当", "Assigned"), tr("更新日", "Updated"),
        ]  # fmt: skip
        keys = ["case_number", "person", "title", "district", "status", "urgency", None, None,
                "updated_at"]  # fmt: skip
        super().__init__(runner, case_rows, headers, keys, parent)
        self._texts: dict[str, tuple[str, ...]] = {}  # row id -> display texts (rows are immutable)
        # The issue categories' labels (master data, the view sets them from its pick lists).
        self.issue_labels: vocab.Vocabulary = dict(vocab.ISSUE_CATEGORY)
        self.modelReset.connect(self._texts.clear)

    roles = frozenset(
        int(r.value)
        for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                  Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole)
    )  # fmt: skip

    def cell(self, row: CaseRow, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            texts = self._texts.get(row.id)
            if texts is None:
                if len(self._texts) > 5000:
                    self._texts.clear()
                texts = self._texts[row.id] = tuple(self._text(row, c) for c in range(9))
            return texts[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 1:
                return row.person_kana or None
            if column == 2:
                return "、".join(vlabel(self.issue_labels, c) for c in row.issue_categories)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column == 5 and row.urgency == "high":
            return URGENT
        return None

    def _text(self, row: CaseRow, column: int) -> str:
        match column:
            case 0:
                return row.case_number
            case 1:
                return row.person_name or ""
            case 2:
                return row.title
            case 3:
                return row.district_name or ""
            case 4:
                return vlabel(vocab.CASE_STATUS, row.status)
            case 5:
                return vlabel(vocab.URGENCY, row.urgency)
            case 6:
                return vlabel(vocab.CONSENT_STATUS, row.consent_status)
            case 7:
                return row.assigned_staff_name or ""
            case 8:
                return row.updated_at.strftime("%Y-%m-%d") if row.updated_at else ""
        return ""
