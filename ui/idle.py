"""Auto-lock after a period without keyboard or mouse input (main thread)."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Emits ``idle`` once when no input arrived for ``timeout_ms``; install on the QApplication."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timeout_ms = timeout_ms
        self._last = time.monotonic()
        self._armed = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._check)

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self._timeout_ms = max(50, timeout_ms)
        self._timer.setInterval(min(1000, max(20, self._timeout_ms // 4)))

    def start(self) -> None:
        self._last = time.monotonic()
        self._armed = True
        self.set_timeout_ms(self._timeout_ms)
        self._timer.start()

    def stop(self) -> None:
        self._armed = False
        self._timer.stop()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in _INPUT_EVENTS:
            self._last = time.monotonic()
        return False

    def _check(self) -> None:
        if self._armed and (time.monotonic() - self._last) * 1000 >= self._timeout_ms:
            self.stop()
            self.idle.emit()
