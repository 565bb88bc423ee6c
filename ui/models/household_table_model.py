"""The household list: ids from ``browse.household_ids``, rows fetched lazily."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.services.browse import HouseholdRow, household_rows
from ui.i18n import tr
from ui.models.lazy_table_model import LazyIdTableModel
from ui.tasks import TaskRunner


class HouseholdTableModel(LazyIdTableModel[HouseholdRow]):
    def __init__(self, runner: TaskRunner, parent: Any = None) -> None:
        headers = [tr("世帯", "Household"), tr("住所", "Address"), tr("地区", "District"),
                   tr("人数", "Members"), tr("支援中のケース", "Open cases")]  # fmt: skip
        super().__init__(runner, household_rows, headers, (), parent)

    roles = frozenset(
        int(r.value)
        for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                  Qt.ItemDataRole.TextAlignmentRole)
    )  # fmt: skip

    def cell(self, row: HouseholdRow, column: int, role: int) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if role == Qt.ItemDataRole.TextAlignmentRole and column >= 3:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        values = [row.name, row.address or "", row.district_name or "", str(row.members),
                  str(row.open_cases)]  # fmt: skip
        return values[column]
