"""Base of the big lists: a table model over ids whose rows are fetched in blocks, lazily,
through the background runner, and kept in a bounded cache (main thread only)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QModelIndex, Qt, Signal

from ui.i18n import tr
from ui.models.table_base import HeaderedTableModel, Index
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class HasId(Protocol):
    """A row of a big list: it knows the id it was fetched by."""

    @property
    def id(self) -> str: ...


Row = TypeVar("Row", bound=HasId)
LOADING = "…"


class LazyIdTableModel(HeaderedTableModel, Generic[Row]):
    BLOCK = 100
    MAX_BLOCKS = 30

    sort_requested = Signal(str, bool)  # sort key, descending
    rows_loaded = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        fetch: Callable[[Session, Sequence[str]], list[Row]],
        headers: Sequence[str],
        sort_keys: Sequence[str | None] = (),
        parent: Any = None,
    ) -> None:
        super().__init__(headers, parent)
        self._runner = runner
        self._fetch = fetch
        self._sort_keys = list(sort_keys) + [None] * (len(headers) - len(sort_keys))
        self._ids: list[str] = []
        self._blocks: OrderedDict[int, dict[str, Row]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0

    # --- content --------------------------------------------------------------------------

    def set_ids(self, ids: Sequence[str], first_rows: Sequence[Row] = ()) -> None:
        self.beginResetModel()
        self._generation += 1
        self._ids = list(ids)
        self._blocks.clear()
        self._pending.clear()
        if first_rows:
            self._blocks[0] = {self.id_of(r): r for r in first_rows}
        self.endResetModel()

    def extend_ids(self, ids: Sequence[str]) -> None:
        """Replace a first page by the full list: rows are appended when the list starts with
        the current ids (cache and selection kept), otherwise the model is reset."""
        n = len(self._ids)
        if len(ids) < n or list(ids[:n]) != self._ids:
            self.set_ids(ids)
            return
        if len(ids) > n:
            self.beginInsertRows(QModelIndex(), n, len(ids) - 1)
            self._ids = list(ids)
            self.endInsertRows()

    def ids(self) -> list[str]:
        return list(self._ids)

    def row_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_data(self, row: int) -> Row | None:
        """The cached row, or None (and a fetch is queued)."""
        if not 0 <= row < len(self._ids):
            return None
        block = row // self.BLOCK
        cached = self._blocks.get(block)
        if cached is None:
            self._request(block)
            return None
        self._blocks.move_to_end(block)
        return cached.get(self._ids[row])

    def refresh_rows(self) -> None:
        """Drop the cache (rows changed elsewhere); visible rows are fetched again."""
        self._generation += 1
        self._blocks.clear()
        self._pending.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, self.columnCount() - 1)
            )

    def id_of(self, row: Row) -> str:
        return str(row.id)

    def _request(self, block: int) -> None:
        if block in self._pending:
            return
        self._pending.add(block)
        gen = self._generation
        ids = self._ids[block * self.BLOCK : (block + 1) * self.BLOCK]
        fetch = self._fetch
        self._runner.db(
            lambda s: fetch(s, ids),
            lambda rows: self._loaded(gen, block, rows),
            lambda _exc: self._pending.discard(block),
        )

    def _loaded(self, gen: int, block: int, rows: list[Row]) -> None:
        if gen != self._generation:
            return
        self._pending.discard(block)
        self._blocks[block] = {self.id_of(r): r for r in rows}
        while len(self._blocks) > self.MAX_BLOCKS:
            self._blocks.popitem(last=False)
        first = block * self.BLOCK
        last = min(len(self._ids), first + self.BLOCK) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))
        self.rows_loaded.emit()

    # --- Qt model API ----------------------------------------------------------------------

    def _row_total(self) -> int:
        return len(self._ids)

    # Roles subclasses answer; the view asks for about ten per cell on every paint, so the
    # others are turned away before any work (painting stays well under the 50 ms budget).
    roles: frozenset[int] = frozenset(
        {int(Qt.ItemDataRole.DisplayRole.value), int(Qt.ItemDataRole.AccessibleTextRole.value)}
    )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in self.roles:
            return None
        r = index.row()
        if not 0 <= r < len(self._ids) or not index.isValid():
            return None
        row = self.row_data(r)
        if row is None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return LOADING if index.column() else tr("読み込み中", "Loading")
            return None
        return self.cell(row, index.column(), role)

    def cell(self, row: Row, column: int, role: int) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self._sort_keys) and self._sort_keys[column]:
            self.sort_requested.emit(self._sort_keys[column], order == Qt.SortOrder.DescendingOrder)
