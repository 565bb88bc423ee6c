"""A change the server refused, opened: what it is, why it was refused (in the person's
language), every value as it is on this laptop; copy, print, open its case, send it again.
And the trash of dismissed changes, with restore.

Main thread only. Neither dialog touches the database: they show plain data
(``app.sync.rejected.RejectedItem`` / ``TrashedItem``) and ask the sync panel to act.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.sync.rejected import RejectedItem, TrashedItem, record_text
from ui.i18n import language, tr


class RejectedRecordDialog(QDialog):
    open_case = Signal(str)
    retry_requested = Signal()

    def __init__(self, item: RejectedItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setWindowTitle(tr("サーバーが受け付けなかった変更", "A change the server refused"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        why = QLabel(tr(*item.reason_text))
        why.setWordWrap(True)
        why.setAccessibleName(tr("受け付けられなかった理由", "Why it was refused"))
        layout.addWidget(why)
        if not item.here:
            gone = QLabel(tr(
                "この記録のケースはこの端末から外れました。下の内容は入力したときのままです。"
                "別のケースに付け替えると、この端末に戻して送信します。",
                "The record's case left this laptop; the values below are as they were typed. "
                "Attach it to another case to bring it back and send it."))  # fmt: skip
            gone.setWordWrap(True)
            layout.addWidget(gone)
        self.text = QPlainTextEdit(record_text(item, language()))
        self.text.setReadOnly(True)
        self.text.setAccessibleName(tr("記録の内容", "The record"))
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(tr("コピー", "Copy"))
        self.print_button = QPushButton(tr("印刷…", "Print…"))
        self.case_button = QPushButton(tr("ケースを開く", "Open the case"))
        self.case_button.setEnabled(bool(item.case_id) and item.here)
        self.retry_button = QPushButton(tr("もう一度送信", "Send again"))
        for b in (self.copy_button, self.print_button, self.case_button, self.retry_button):
            buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close).setText(tr("閉じる", "Close"))
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy)
        self.print_button.clicked.connect(self.print_record)
        self.case_button.clicked.connect(self._open_case)
        self.retry_button.clicked.connect(self._retry)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())

    def print_record(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            doc = QTextDocument()
            doc.setPlainText(self.text.toPlainText())
            doc.print_(printer)

    def _open_case(self) -> None:
        if self.item.case_id:
            self.open_case.emit(self.item.case_id)
            self.accept()

    def _retry(self) -> None:
        self.retry_requested.emit()
        self.accept()


class TrashDialog(QDialog):
    restore_requested = Signal(str)

    def __init__(self, items: list[TrashedItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("ごみ箱", "Trash"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        note = QLabel(tr("取り消した変更は、この端末に暗号化したまま90日間保管され、元に戻せます。",
                         "Dismissed changes are kept encrypted on this laptop for 90 days and "
                         "can be restored."))  # fmt: skip
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QListWidget()
        self.list.setAccessibleName(tr("ごみ箱の中身", "Items in the trash"))
        for t in items:
            entry = QListWidgetItem(
                f"{tr(*t.table_label)} {t.label}\n"
                + tr("{date} まで保管", "kept until {date}").format(date=f"{t.expires_at:%Y-%m-%d}")
            )
            entry.setData(Qt.ItemDataRole.UserRole, t.id)
            self.list.addItem(entry)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton(tr("元に戻す", "Restore"))
        self.restore_button.setEnabled(False)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close).setText(tr("閉じる", "Close"))
        buttons.rejected.connect(self.reject)
        self.list.currentRowChanged.connect(lambda r: self.restore_button.setEnabled(r >= 0))
        self.restore_button.clicked.connect(self._restore)
        layout.addWidget(buttons)

    def _restore(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.restore_requested.emit(str(item.data(Qt.ItemDataRole.UserRole)))
            self.accept()
