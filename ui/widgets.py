"""Small building blocks shared by views and dialogs (main thread only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QWidget,
)

from app.domain import vocab
from app.domain.errors import ValidationError, YorisoiError
from app.domain.records import Choice
from ui.i18n import error_text, tr, vchoices

ERROR_STYLE = "color: #b3261e;"


def named(widget: QWidget, name: str, description: str = "") -> QWidget:
    """Give a control its accessible name (screen readers) and object name (tests)."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    label.setAccessibleName(tr("エラー", "Error"))
    return label


class FieldErrors:
    """Shows a ValidationError next to the field it names, or in a general label."""

    def __init__(self, general: QLabel) -> None:
        self.general = general
        self.labels: dict[str, QLabel] = {}

    def add(self, field: str) -> QLabel:
        label = error_label()
        self.labels[field] = label
        return label

    def clear(self) -> None:
        for label in [self.general, *self.labels.values()]:
            label.clear()
            label.setVisible(False)

    def show(self, exc: BaseException) -> None:
        self.clear()
        text = error_text(exc)
        target = self.general
        if isinstance(exc, ValidationError) and exc.field in self.labels:
            target = self.labels[exc.field]
        target.setText(text)
        target.setVisible(True)

    def message_for(self, field: str) -> str:
        label = self.labels.get(field)
        return label.text() if label is not None and label.isVisible() else ""


def vocab_combo(
    vocabulary: vocab.Vocabulary, current: str | None = None, *, empty: bool = False
) -> QComboBox:
    combo = QComboBox()
    if empty:
        combo.addItem(tr("（すべて）", "(all)"), None)
    for code, text in vchoices(vocabulary):
        combo.addItem(text, code)
    set_combo(combo, current)
    return combo


def choice_combo(
    choices: Iterable[Choice], current: str | None = None, *, empty: str | None = ""
) -> QComboBox:
    combo = QComboBox()
    if empty is not None:
        combo.addItem(empty or tr("（未選択）", "(none)"), None)
    for c in choices:
        combo.addItem(c.name, c.id)
    set_combo(combo, current)
    return combo


def set_combo(combo: QComboBox, value: str | None) -> None:
    i = combo.findData(value)
    if i >= 0:
        combo.setCurrentIndex(i)


def combo_value(combo: QComboBox) -> str | None:
    value = combo.currentData()
    return str(value) if value is not None else None


class IssueChecks(QWidget):
    """The issue checkboxes of the referral sheet, in a grid."""

    def __init__(self, columns: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, (code, text) in enumerate(vchoices(vocab.ISSUE_CATEGORY)):
            box = QCheckBox(text)
            box.setAccessibleName(text)
            self.boxes[code] = box
            grid.addWidget(box, i // columns, i % columns)

    def values(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def set_values(self, codes: Sequence[str]) -> None:
        for code, box in self.boxes.items():
            box.setChecked(code in codes)


class OptionalDate(QWidget):
    """A date that may be empty: a checkbox enables the date edit."""

    def __init__(
        self, label: str, value: dt.date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox()
        self.check.setAccessibleName(tr("{label}を入力", "Enter {label}").format(label=label))
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setAccessibleName(label)
        row.addWidget(self.check)
        row.addWidget(self.edit, 1)
        self.check.toggled.connect(self.edit.setEnabled)
        self.set_value(value)

    def set_value(self, value: dt.date | None) -> None:
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.edit.setDate(QDate(value) if value else QDate.currentDate())

    def value(self) -> dt.date | None:
        return self.edit.date().toPython() if self.check.isChecked() else None  # type: ignore[return-value]

    def iso(self) -> str:
        v = self.value()
        return v.isoformat() if v else ""


def table_view(name: str) -> QTableView:
    """A keyboard-friendly table: row selection, fixed row height (fast with 100,000 rows)."""
    view = QTableView()
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    vh = view.verticalHeader()
    vh.setVisible(False)
    vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vh.setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    from PySide6.QtWidgets import QMessageBox

    icon = QMessageBox.Icon.Warning if isinstance(exc, YorisoiError) else QMessageBox.Icon.Critical
    box = QMessageBox(icon, tr("寄り添い", "Yorisoi"), error_text(exc), parent=parent)
    box.setAccessibleName(tr("エラー", "Error"))
    keep_open(box)


_open_boxes: list[object] = []


def keep_open(box: object) -> None:
    """Show a parentless message box without it being garbage-collected at once."""
    _open_boxes.append(box)
    box.finished.connect(lambda _r: _open_boxes.remove(box) if box in _open_boxes else None)  # type: ignore[attr-defined]
    box.open()  # type: ignore[attr-defined]


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
