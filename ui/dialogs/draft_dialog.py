"""Base of editors whose content must survive a lock or a crash (visit entry, referral editor).

What is typed is saved as a Draft (encrypted with the database) every few seconds while it
changes, when the app locks, and is restored after unlock. Saving the record deletes its draft
in the same unit of work.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from app.services import drafts
from ui import events
from ui.context import UiContext
from ui.i18n import tr

AUTOSAVE_MS = 3000


class DraftDialog(QDialog):
    autosave_ms = AUTOSAVE_MS

    def __init__(self, ctx: UiContext, draft_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.draft_key = draft_key
        self._dirty = False
        self._loading = False
        self._closing_for_lock = False
        self._autosave = QTimer(self, interval=self.autosave_ms)
        self._autosave.timeout.connect(self.save_draft_now)
        self._autosave.start()

    # Subclasses: the form as JSON-able data, and back.
    def payload(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def load_payload(self, payload: dict[str, Any]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def restore(self, payload: dict[str, Any]) -> None:
        self._loading = True
        try:
            self.load_payload(payload)
        finally:
            self._loading = False
        self._dirty = False

    def mark_dirty(self, *_args: object) -> None:
        if not self._loading:
            self._dirty = True

    @property
    def dirty(self) -> bool:
        return self._dirty

    def save_draft_now(self) -> None:
        if not self._dirty or self.ctx.runner.store is None:
            return
        key, data = self.draft_key, self.payload()
        self._dirty = False
        self.ctx.runner.db(
            lambda s: drafts.save_draft(s, key, data),
            changes=[events.DRAFT],
            on_failure=self._save_failed,
        )

    def _save_failed(self, _exc: BaseException) -> None:
        self._dirty = True  # try again at the next tick

    def close_for_lock(self) -> tuple[str, dict[str, Any]]:
        """Stop autosaving and close; the caller saves the returned draft before locking."""
        self._autosave.stop()
        self._closing_for_lock = True
        data = (self.draft_key, self.payload())
        self.done(QDialog.DialogCode.Rejected)
        return data

    def discard(self) -> None:
        """Close without keeping the draft (after asking, if something was typed)."""
        if self._has_content():
            answer = QMessageBox.question(
                self,
                tr("寄り添い", "Yorisoi"),
                tr("入力中の内容を破棄しますか？", "Discard what you typed?"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._autosave.stop()
        key = self.draft_key
        self.ctx.runner.db(lambda s: drafts.delete_draft(s, key), changes=[events.DRAFT])
        super().reject()

    def reject(self) -> None:  # Esc / Cancel
        if self._closing_for_lock:
            super().reject()
            return
        self.discard()

    def _has_content(self) -> bool:
        return True

    def finish_saved(self) -> None:
        self._autosave.stop()
        self._dirty = False
        self.accept()


def open_draft_dialogs() -> list[DraftDialog]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, DraftDialog) and w.isVisible()
    ]
