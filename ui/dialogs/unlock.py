"""Unlock: the passphrase, a clear message when it is wrong, and a growing delay after
repeated failures (against guessing on a lost laptop)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr
from ui.widgets import error_label, heading, named

FREE_ATTEMPTS = 2
MAX_DELAY_S = 60


def delay_after(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong passphrases in a row: 0, 0, 2, 4, 8 ... 60."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(MAX_DELAY_S, 2 ** (failures - FREE_ATTEMPTS + 1))


class UnlockDialog(QDialog):
    """Emits ``submitted(passphrase)``; the controller unlocks in the background and calls
    ``failed(message)`` or closes the dialog."""

    submitted = Signal(str)

    def __init__(self, profile: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("解錠", "Unlock"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("パスフレーズを入力してください", "Enter your passphrase")))
        who = QLabel(tr("プロファイル: {name}", "Profile: {name}").format(name=profile))
        layout.addWidget(who)
        self.passphrase = named(QLineEdit(), tr("パスフレーズ", "Passphrase"))
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.passphrase)
        self.message = error_label()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        self.button = named(QPushButton(tr("解錠", "Unlock")), tr("解錠", "Unlock"))
        # Return is handled by the passphrase field only: while it is disabled (busy or
        # waiting), focus moves to a button, and an auto-default Quit would close the dialog.
        self.button.setAutoDefault(False)
        row.addWidget(self.button)
        quit_button = named(QPushButton(tr("終了", "Quit")), tr("終了", "Quit"))
        quit_button.setAutoDefault(False)
        quit_button.clicked.connect(self.reject)
        row.addWidget(quit_button)
        layout.addLayout(row)
        self.failures = 0
        self._wait_left = 0
        self._countdown = QTimer(self, interval=1000)
        self._countdown.timeout.connect(self._tick)
        self.button.clicked.connect(self._submit)
        self.passphrase.returnPressed.connect(self._submit)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        """Escape clears what was typed and never quits: this dialog is the whole application
        while locked, and a stray Escape (after an auto-lock, say) closed it without a word.
        終了 and the window's close button still quit (nothing is lost: the drafts were saved
        and the database closed when it locked)."""
        if event.key() == Qt.Key.Key_Escape:
            if self.passphrase.isEnabled():
                self.passphrase.clear()
                self.passphrase.setFocus()
            event.accept()
            return
        super().keyPressEvent(event)

    def _submit(self) -> None:
        if self._wait_left > 0 or not self.button.isEnabled():
            return
        text = self.passphrase.text()
        if not text:
            return
        self._set_busy(True)
        self.message.setVisible(False)
        self.submitted.emit(text)

    def _set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)
        if busy:
            self.button.setText(tr("解錠中…", "Unlocking…"))
        else:
            self.button.setText(tr("解錠", "Unlock"))

    def failed(self, message: str, *, wrong_passphrase: bool) -> None:
        self._set_busy(False)
        if wrong_passphrase:
            self.failures += 1
        self.passphrase.selectAll()
        self.message.setText(message)
        self.message.setVisible(True)
        wait = delay_after(self.failures) if wrong_passphrase else 0
        if wait:
            self._wait_left = wait
            self.button.setEnabled(False)
            self.passphrase.setEnabled(False)
            self._show_wait()
            self._countdown.start()
        else:
            self.passphrase.setFocus()

    def _show_wait(self) -> None:
        self.button.setText(
            tr("{n}秒後に再入力できます", "Try again in {n} s").format(n=self._wait_left)
        )

    def _tick(self) -> None:
        self._wait_left -= 1
        if self._wait_left > 0:
            self._show_wait()
            return
        self._countdown.stop()
        self._set_busy(False)
        self.passphrase.setFocus()

    @property
    def waiting(self) -> bool:
        return self._wait_left > 0
