"""Shared shape of the short-list screens: a search/filter bar, a table, a detail area."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from ui.context import UiContext
from ui.i18n import tr
from ui.models.rows_table_model import Column, RowsTableModel
from ui.widgets import named, table_view

if TYPE_CHECKING:  # SQLAlchemy comes with the store, after the first window
    from sqlalchemy.orm import Session


class ListView(QWidget):
    """Loads rows with ``load(session, text)`` in the background whenever it is shown or the
    entities it lists change."""

    watches: frozenset[str] = frozenset()

    def __init__(self, ctx: UiContext, name: str, columns: Sequence[Column],
                 load: Callable[[Session, str], Sequence[Any]], *, search: bool = True,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        from PySide6.QtCore import QTimer

        from ui import events

        self.ctx = ctx
        self._load = load
        self.model = RowsTableModel(columns, self)
        self.table = table_view(name)
        self.table.setModel(self.model)
        self.bar = QHBoxLayout()
        self.search = named(QLineEdit(), tr("検索", "Search"))
        self.search.setPlaceholderText(tr("検索", "Search"))
        self.search.setClearButtonEnabled(True)
        self.search.setVisible(search)
        self.bar.addWidget(self.search, 1)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.bar)
        self.layout_.addWidget(self.table, 1)
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        events.bus().changed.connect(self._changed)

    def activate(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        text, load = self.search.text(), self._load
        self.ctx.runner.db(lambda s: list(load(s, text)), self.model.set_rows)

    def _changed(self, entities: frozenset[str], _initiator: object) -> None:
        if entities & self.watches and self.isVisible():
            self.refresh()

    def current(self) -> Any:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None
