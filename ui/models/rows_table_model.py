"""A table model over a short list of plain rows already in memory (referrals, meetings,
resources, today's visits, household members). Main thread only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt

from ui.models.table_base import HeaderedTableModel, Index


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any], str]


class RowsTableModel(HeaderedTableModel):
    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__([c.header for c in columns], parent)
        self._columns = list(columns)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _row_total(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._columns[index.column()].text(self._rows[index.row()]) or ""
        return None
