"""Small building blocks shared by views and dialogs (main thread only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TypeVar, cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QDateTime,
    QEvent,
    QObject,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QGuiApplication, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain import vocab
from app.domain.errors import ValidationError, YorisoiError
from app.domain.records import Choice
from ui.i18n import error_text, tr, vchoices, vlabel

ERROR_STYLE = "color: #b3261e;"

W = TypeVar("W", bound=QWidget)


def date_of(value: QDate) -> dt.date:
    """``QDate.toPython()`` with its type (the stubs say ``object``)."""
    return cast(dt.date, value.toPython())


def datetime_of(value: QDateTime) -> dt.datetime:
    """``QDateTime.toPython()`` with its type (the stubs say ``object``)."""
    return cast(dt.datetime, value.toPython())


def named(widget: W, name: str, description: str = "") -> W:
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


class FormRows:
    """Builds the rows of a form: ``add(label, widget, field=...)`` writes the label once, gives
    the widget that label as its accessible name (a screen reader says what the field is; a
    name set before is kept) and, with ``field``, puts that field's validation message
    (``FieldErrors``) in place, in the row right under it."""

    def __init__(self, layout: QFormLayout, errors: FieldErrors | None = None) -> None:
        self.layout = layout
        self.errors = errors

    def add(self, label: str, widget: W, *, field: str | None = None) -> W:
        if label and not widget.accessibleName():
            widget.setAccessibleName(label)
        self.layout.addRow(label, widget)
        if field is not None:
            if self.errors is None:
                raise ValueError("a form row with a field needs the form's FieldErrors")
            self.layout.addRow("", self.errors.add(field))
        return widget


def vocab_combo(
    vocabulary: vocab.Vocabulary,
    current: str | None = None,
    *,
    empty: bool = False,
    unset: bool = False,
) -> QComboBox:
    """A choice of ``vocabulary``; ``empty`` adds "(all)" (a filter), ``unset`` adds "(none)"
    (an optional field of a form); both stand for ``None``."""
    combo = QComboBox()
    if empty:
        combo.addItem(tr("（すべて）", "(all)"), None)
    elif unset:
        combo.addItem(tr("（未選択）", "(none)"), None)
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


class VocabChecks(QWidget):
    """Several codes of one vocabulary, one checkbox each, in a grid."""

    def __init__(
        self, vocabulary: vocab.Vocabulary, columns: int = 3, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, (code, text) in enumerate(vchoices(vocabulary)):
            box = QCheckBox(text)
            box.setAccessibleName(text)
            self.boxes[code] = box
            grid.addWidget(box, i // columns, i % columns)

    def values(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def set_values(self, codes: Sequence[str]) -> None:
        for code, box in self.boxes.items():
            box.setChecked(code in codes)


class IssueChecks(VocabChecks):
    """The issue checkboxes of the referral sheet, in a grid: the issue categories of the
    master data (``Choices.issue_vocab``; the fixed list when none is given)."""

    def __init__(
        self, columns: int = 3, parent: QWidget | None = None, *,
        vocabulary: vocab.Vocabulary | None = None,
    ) -> None:  # fmt: skip
        super().__init__(vocabulary or vocab.ISSUE_CATEGORY, columns, parent)
        self.columns = columns
        self.labels: vocab.Vocabulary = dict(vocabulary or vocab.ISSUE_CATEGORY)

    def set_values(self, codes: Sequence[str]) -> None:
        """Check ``codes``; a code no longer offered (a retired category the record holds)
        gets a box of its own, so saving keeps it unless it is unticked."""
        grid = self.layout()
        for code in codes:
            if code not in self.boxes and isinstance(grid, QGridLayout):
                text = vlabel(self.labels, code)
                box = QCheckBox(text)
                box.setAccessibleName(text)
                i = len(self.boxes)
                self.boxes[code] = box
                grid.addWidget(box, i // self.columns, i % self.columns)
        super().set_values(codes)


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
        return date_of(self.edit.date()) if self.check.isChecked() else None

    def iso(self) -> str:
        v = self.value()
        return v.isoformat() if v else ""


class OptionalDateTime(QWidget):
    """A date and time that may be empty (an appointment): a checkbox enables the edit."""

    def __init__(
        self, label: str, value: dt.datetime | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.check = QCheckBox()
        self.check.setAccessibleName(tr("{label}を入力", "Enter {label}").format(label=label))
        self.edit = QDateTimeEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.edit.setAccessibleName(label)
        row.addWidget(self.check)
        row.addWidget(self.edit, 1)
        self.check.toggled.connect(self.edit.setEnabled)
        self.set_value(value)

    def set_value(self, value: dt.datetime | None) -> None:
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        if value is not None:
            self.edit.setDateTime(QDateTime(value.replace(second=0, microsecond=0)))
        else:
            now = QDateTime.currentDateTime()
            self.edit.setDateTime(now.addSecs(-now.time().second()))

    def value(self) -> dt.datetime | None:
        if not self.check.isChecked():
            return None
        return datetime_of(self.edit.dateTime()).replace(second=0, microsecond=0)

    def iso(self) -> str:
        v = self.value()
        return v.isoformat(timespec="minutes") if v else ""


class _FittedTable(QTableView):
    """``table_view``'s table: its columns follow their content (``ColumnFitter``)."""

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802 - Qt API
        super().setModel(model)
        fit_columns(self)


def table_view(name: str) -> QTableView:
    """A keyboard-friendly table: row selection, fixed row height (fast with 100,000 rows),
    columns sized to their content (none cut off where the width allows, no stretched last one)."""
    view = _FittedTable()
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
    view.horizontalHeader().setStretchLastSection(False)
    return view


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    from PySide6.QtWidgets import QMessageBox

    icon = QMessageBox.Icon.Warning if isinstance(exc, YorisoiError) else QMessageBox.Icon.Critical
    box = QMessageBox(icon, tr("寄り添い", "Yorisoi"), error_text(exc), parent=parent)
    box.setAccessibleName(tr("エラー", "Error"))
    keep_open(box)


_open_boxes: list[QDialog] = []


def keep_open(box: QDialog) -> None:
    """Show a parentless message box without it being garbage-collected at once."""
    _open_boxes.append(box)
    box.finished.connect(lambda _r: _open_boxes.remove(box) if box in _open_boxes else None)
    box.open()


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


# --- fitting a 1366x768 laptop screen ----------------------------------------------------------

# Room left for the window frame (title bar, borders), which Qt's sizes do not include.
FRAME_ALLOWANCE = QSize(16, 40)


def available_size(widget: QWidget) -> QSize:
    """The screen area a top-level window of ``widget`` may use, frame excluded."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    avail = screen.availableGeometry()
    return QSize(avail.width() - FRAME_ALLOWANCE.width(), avail.height() - FRAME_ALLOWANCE.height())


def fit_window(window: QWidget, width: int | None = None, height: int | None = None) -> None:
    """Give a top-level window its preferred size (default: its size hint), never larger than
    the screen it opens on, and keep it on that screen."""
    hint = window.sizeHint()
    room = available_size(window)
    w = min(width if width is not None else hint.width(), room.width())
    h = min(height if height is not None else hint.height(), room.height())
    window.resize(max(w, 1), max(h, 1))
    if window.isVisible():  # not yet shown: Qt places it (dialogs centred on their parent)
        avail = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        x = min(window.x(), avail.right() - w - FRAME_ALLOWANCE.width() + 1)
        y = min(window.y(), avail.bottom() - h - FRAME_ALLOWANCE.height() + 1)
        window.move(max(x, avail.left()), max(y, avail.top()))


class FormScroll(QScrollArea):
    """A scroll area for a long form: asks for the whole form's size (so the window shows all
    of it when the screen has room) but can shrink to a few lines (then it scrolls)."""

    def __init__(self, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(body)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        body = self.widget()
        if body is None:
            return super().sizeHint()
        hint = body.sizeHint()
        return QSize(hint.width() + self.verticalScrollBar().sizeHint().width(), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        body = self.widget()
        width = body.minimumSizeHint().width() if body is not None else 0
        return QSize(width + self.verticalScrollBar().sizeHint().width(),
                     self.fontMetrics().height() * 8)  # fmt: skip


def scroll_form(layout: QBoxLayout, keep: int = 1) -> FormScroll:
    """Move everything in ``layout`` but its last ``keep`` items (the buttons) into a
    ``FormScroll`` at its top, so a long form scrolls on a small screen."""
    body = QWidget()
    inner = QVBoxLayout(body)
    inner.setContentsMargins(0, 0, 0, 0)
    moved = []
    while layout.count() > keep:
        item = layout.takeAt(0)
        if item is None:
            break
        moved.append(item)
        if (widget := item.widget()) is not None:
            inner.addWidget(widget)
        elif (sub := item.layout()) is not None:
            inner.addLayout(sub)
        else:
            inner.addItem(item)
    scroll = FormScroll(body)
    layout.insertWidget(0, scroll, 1)
    return scroll


class ElidedLabel(QLabel):
    """One line of text that never widens its window: it shows what fits, ending in "…", with
    the whole text in its tooltip and accessible name. ``text()`` is the whole text."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self._full = text
        self.setToolTip(text)
        if text:
            self.setAccessibleName(text)
        self._elide()

    def text(self) -> str:
        return self._full

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(
            self.fontMetrics().horizontalAdvance("…") * 4, super().minimumSizeHint().height()
        )

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        full = self.fontMetrics().horizontalAdvance(self._full) + 8
        return QSize(min(full, 480), super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        super().setText(shown)


def elided_heading(text: str = "") -> ElidedLabel:
    """``heading`` for a text of any length (a case title)."""
    label = ElidedLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setText(text)
    return label


class ColumnFitter(QObject):
    """Sizes a table's columns to their content (header and the rows in view), every column
    visible where it can be: spare room is shared in proportion; when the table is too narrow
    the column with the longest content gives up room (its text then ends in "…"). The models
    put the important columns first. Refits when the data or the table's width changes, until
    the person resizes a column by hand."""

    MAX_SHARE = 0.5  # no column wider than half the table before the spare room is added
    MIN_LONGEST = 120

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view
        self._fitting = False
        self.manual = False
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.fit)
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.sectionResized.connect(self._resized)
        view.viewport().installEventFilter(self)

    def watch(self, model: QAbstractItemModel) -> None:
        for name in ("modelReset", "layoutChanged"):
            getattr(model, name).connect(self._timer.start)
        # The first rows arriving (not later pages fetched while scrolling: widths stay put).
        model.rowsInserted.connect(
            lambda _parent, first, _last: self._timer.start() if first == 0 else None
        )
        self._timer.start()

    def _resized(self, *_args: object) -> None:
        if not self._fitting and self.view.isVisible():
            self.manual = True  # the person's own widths win from now on

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            self._timer.start()
        return False

    def fit(self) -> None:
        view = self.view
        model = view.model()
        if self.manual or model is None:
            return
        header = view.horizontalHeader()
        cols = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        room = view.viewport().width()
        if not cols or room <= 0:
            return
        if model.rowCount() == 0:  # nothing to measure yet: share the width evenly
            even = room // len(cols)
            widths = {c: max(even, header.sectionSizeHint(c)) for c in cols}
            self._apply(widths)
            return
        content = {c: max(view.sizeHintForColumn(c), header.sectionSizeHint(c)) + 6 for c in cols}
        widths = {c: min(w, int(room * self.MAX_SHARE)) for c, w in content.items()}
        longest = max(cols, key=lambda c: content[c])
        spare = room - sum(widths.values())
        if spare > 0:  # room to spare: every column a little wider, in proportion
            total = sum(widths.values())
            for c in cols:
                widths[c] += spare * widths[c] // total
            widths[longest] += room - sum(widths.values())
        else:  # too wide: the longest text gives way (it ends in "…"; its tooltip shows all)
            widths[longest] = max(self.MIN_LONGEST, header.sectionSizeHint(longest),
                                  widths[longest] + spare)  # fmt: skip
        self._apply(widths)

    def _apply(self, widths: dict[int, int]) -> None:
        header = self.view.horizontalHeader()
        self._fitting = True
        try:
            for c, w in widths.items():
                header.resizeSection(c, w)
        finally:
            self._fitting = False


def fit_columns(view: QTableView) -> ColumnFitter:
    """Attach (once) and return the view's ``ColumnFitter``; call after ``setModel``."""
    fitter = view.findChild(ColumnFitter)  # a child of the view (its parent), made once
    if fitter is None:
        fitter = ColumnFitter(view)
    if (model := view.model()) is not None:
        fitter.watch(model)
    return fitter


class EmptyState(QLabel):
    """A short explanation shown over an empty table (what the list is for and when rows
    appear in it), instead of a blank white area. It follows the table's model: shown once
    the model has been filled (a reset) with no row, hidden as soon as there is one."""

    def __init__(self, view: QTableView, text: str) -> None:
        super().__init__(text, view.viewport())
        self.view = view
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("color: palette(dark); padding: 24px;")
        self.setAccessibleName(text)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._loaded = False
        self.hide()
        view.viewport().installEventFilter(self)
        model = view.model()
        assert model is not None, "set the table's model first"
        model.modelReset.connect(self._reset)
        model.rowsInserted.connect(self.refresh)
        model.rowsRemoved.connect(self.refresh)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(text)
        self.setAccessibleName(text)

    def _reset(self) -> None:
        self._loaded = True
        self.refresh()

    def refresh(self) -> None:
        model = self.view.model()
        empty = self._loaded and model is not None and model.rowCount() == 0
        self.setVisible(empty)
        if empty:
            self._place()
            self.raise_()

    def _place(self) -> None:
        """Centred, at most 640 px wide: a sentence across a 1,000 px table is hard to read."""
        area = self.view.viewport().rect()
        width = min(area.width(), 640)
        self.setGeometry(area.x() + (area.width() - width) // 2, area.y(), width, area.height())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False


def empty_state(view: QTableView, text: str) -> EmptyState:
    return EmptyState(view, text)


def form_state(root: QWidget) -> tuple[object, ...]:
    """What the person can change in ``root``'s fields (text, choices, ticks, dates), to tell
    whether anything was changed since the form opened. A field with the property
    ``discard_check`` set to False (a search box) does not count."""
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QLineEdit, QPlainTextEdit

    values: list[object] = []
    for w in root.findChildren(QWidget):
        if w.property("discard_check") is False:
            continue
        if isinstance(w, QLineEdit) and not isinstance(w.parent(), QComboBox | QAbstractSpinBox):
            values.append(w.text())
        elif isinstance(w, QPlainTextEdit):
            values.append(w.toPlainText())
        elif isinstance(w, QComboBox):
            values.append(w.currentText() if w.isEditable() else w.currentIndex())
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            values.append(w.isChecked())
        elif isinstance(w, QDateTimeEdit):
            values.append(w.dateTime().toString(Qt.DateFormat.ISODate))
        elif isinstance(w, QAbstractSpinBox):
            values.append(w.text())
    return tuple(values)


class AskBeforeDiscard:
    """For form dialogs (mix in before QDialog): Escape, Cancel or the window's close button
    after something was changed asks before what was typed is thrown away (破棄 / 編集に戻る,
    keeping it the default). Nothing changed: it closes at once, as before."""

    _baseline: tuple[object, ...] | None = None
    discard_box: QDialog | None = None

    def mark_unchanged(self) -> None:
        self._baseline = form_state(cast(QWidget, self))

    def changed(self) -> bool:
        return self._baseline is not None and form_state(cast(QWidget, self)) != self._baseline

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)  # type: ignore[misc]
        if self._baseline is None:
            self.mark_unchanged()

    def reject(self) -> None:
        if not self.changed():
            super().reject()  # type: ignore[misc]
            return
        if self.discard_box is not None and self.discard_box.isVisible():
            return
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(
            QMessageBox.Icon.Question, tr("入力内容の破棄", "Discard changes"),
            tr("入力した内容は保存されていません。破棄して閉じますか？",
               "What you entered has not been saved. Discard it and close?"),
            parent=cast(QWidget, self),
        )  # fmt: skip
        discard = box.addButton(
            tr("破棄して閉じる", "Discard"), QMessageBox.ButtonRole.DestructiveRole
        )
        keep = box.addButton(tr("編集に戻る", "Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAccessibleName(tr("入力内容の破棄", "Discard changes"))

        def answered(_result: int) -> None:
            if box.clickedButton() is discard:
                self._baseline = None
                QDialog.reject(cast(QDialog, self))

        box.finished.connect(answered)
        self.discard_box = box
        box.open()
