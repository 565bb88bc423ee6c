"""The application's life cycle: first run or unlock, the main window, locking (on demand and
after idle time) with drafts kept, and restoring drafts after unlock. Main thread only."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from app.domain.errors import WrongPassphrase
from app.domain.records import Actor
from app.services import browse, drafts
from app.services.browse import Choices
from app.services.profile import current_actor, set_profile_user
from app.storage.db import Store
from app.storage.lifecycle import create_database, open_database
from ui.context import UiContext
from ui.dialogs.draft_dialog import open_draft_dialogs
from ui.dialogs.first_run import FirstRunDialog
from ui.dialogs.unlock import UnlockDialog
from ui.i18n import error_text, tr
from ui.idle import IdleWatcher
from ui.settings import UiSettings
from ui.tasks import TaskControl, TaskRunner

log = logging.getLogger("yorisoi.ui")
DEMO_PERSONS = 2000


@dataclass(frozen=True)
class SessionInfo:
    actor: Actor
    choices: Choices
    drafts: list[tuple[str, dict[str, Any]]]


def _session_info(s: Any) -> SessionInfo:
    return SessionInfo(current_actor(s), browse.choices(s), drafts.list_drafts(s))


class AppController(QObject):
    unlocked = Signal()
    locked = Signal()
    main_window_shown = Signal(object)

    def __init__(self, db_path: Path, settings: UiSettings, *, demo: bool = False,
                 integrity_check: bool = True) -> None:  # fmt: skip
        super().__init__()
        self.db_path = db_path
        self.settings = settings
        self.demo = demo
        self.integrity_check = integrity_check
        self.runner = TaskRunner(parent=self)
        self.ctx = UiContext(runner=self.runner, settings=settings, db_path=db_path)
        self.main_window: Any = None
        self.unlock_dialog: UnlockDialog | None = None
        self.first_run_dialog: FirstRunDialog | None = None
        self.idle = IdleWatcher(settings.idle_minutes * 60_000, self)
        self.idle.idle.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.runner.failed.connect(self._show_failure)

    @property
    def store(self) -> Store | None:
        return self.runner.store

    # --- start --------------------------------------------------------------------------

    def start(self) -> None:
        if self.db_path.exists() and self.db_path.stat().st_size > 0:
            self.show_unlock()
        else:
            self.show_first_run()

    def show_first_run(self) -> None:
        dialog = FirstRunDialog(demo=self.demo)
        self.first_run_dialog = dialog
        dialog.accepted.connect(lambda: self._create(dialog))
        dialog.rejected.connect(self._quit)
        dialog.show()

    def _create(self, dialog: FirstRunDialog) -> None:
        values = dialog.values()
        assert values is not None
        progress = QProgressDialog(
            tr("データベースを作成しています…", "Creating the database…"), "", 0, 0
        )
        progress.setCancelButton(None)
        progress.setWindowTitle(tr("寄り添い", "Yorisoi"))
        progress.setAccessibleName(tr("進み具合", "Progress"))
        progress.setMinimumDuration(0)
        progress.show()
        path = self.db_path

        def work(ctl: TaskControl) -> Store:
            store = create_database(path, values.passphrase)
            try:
                with store.session() as s:
                    set_profile_user(
                        s, name=values.name, role=values.role, agency_id=values.agency_id
                    )
                if values.demo:
                    from app.services.demo import build_demo

                    ctl.report(
                        tr("デモデータを作成しています…", "Creating demo data…"), 0, DEMO_PERSONS
                    )
                    build_demo(store, persons=DEMO_PERSONS,
                               progress=lambda _k, n: ctl.report("", n, DEMO_PERSONS))  # fmt: skip
            except BaseException:
                store.lock()
                raise
            return store

        def on_progress(text: str, value: int, maximum: int) -> None:
            if text:
                progress.setLabelText(text)
            progress.setRange(0, maximum)
            progress.setValue(value)

        def done(store: Store) -> None:
            progress.close()
            self._unlocked(store)

        def failed(exc: BaseException) -> None:
            progress.close()
            QMessageBox.warning(None, tr("寄り添い", "Yorisoi"), error_text(exc))
            self.show_first_run()

        self.runner.run(work, done, failed, on_progress=on_progress, lane="side")

    def show_unlock(self) -> None:
        dialog = UnlockDialog(self.db_path.parent.name)
        self.unlock_dialog = dialog
        dialog.submitted.connect(self._try_unlock)
        dialog.rejected.connect(self._quit)
        dialog.show()
        dialog.raise_()
        dialog.passphrase.setFocus()

    def _try_unlock(self, passphrase: str) -> None:
        path = self.db_path

        def work(_ctl: TaskControl) -> Store:
            # Large files are checked in the background by the store itself (see _watch_integrity).
            return open_database(path, passphrase, integrity=self.integrity_check)

        def failed(exc: BaseException) -> None:
            if self.unlock_dialog is not None:
                self.unlock_dialog.failed(
                    error_text(exc), wrong_passphrase=isinstance(exc, WrongPassphrase)
                )

        def done(store: Store) -> None:
            self._unlocked(store)
            self._watch_integrity(store)

        self.runner.run(work, done, failed, lane="side")

    # --- unlocked -----------------------------------------------------------------------

    def _unlocked(self, store: Store) -> None:
        self.runner.store = store
        self.runner.db(_session_info, self._show_main)

    def _show_main(self, info: SessionInfo) -> None:
        from ui.main_window import MainWindow

        self.ctx.actor = info.actor
        self.ctx.choices = info.choices
        if self.unlock_dialog is not None:
            self.unlock_dialog.hide()
            self.unlock_dialog.deleteLater()
            self.unlock_dialog = None
        self.first_run_dialog = None
        window = MainWindow(self.ctx, self)
        self.main_window = window
        window.show()
        self.idle.set_timeout_ms(self.settings.idle_minutes * 60_000)
        self.idle.start()
        self.main_window_shown.emit(window)
        self.unlocked.emit()
        for key, payload in info.drafts:
            window.reopen_draft(key, payload)

    def _watch_integrity(self, store: Store) -> None:
        """Tell the person if the background integrity check of a large file finds damage."""

        def poll() -> None:
            if store.is_locked:
                timer.stop()
                return
            status = store.integrity_status()
            if status is None:
                return
            timer.stop()
            if status == "damaged":
                from app.domain.errors import DatabaseDamaged

                self._show_failure(DatabaseDamaged())

        from PySide6.QtCore import QTimer

        timer = QTimer(self, interval=2000)
        timer.timeout.connect(poll)
        timer.start()

    def apply_settings(self) -> None:
        self.idle.set_timeout_ms(self.settings.idle_minutes * 60_000)

    def rebuild_main_window(self) -> None:
        """After a language switch: new widgets pick up the new translations."""
        if self.main_window is None:
            return
        old = self.main_window
        from ui.main_window import MainWindow

        self.main_window = MainWindow(self.ctx, self)
        self.main_window.setGeometry(old.geometry())
        self.main_window.show()
        old.close_for_lock()
        old.deleteLater()

    # --- lock ---------------------------------------------------------------------------

    def request_lock(self) -> None:
        """Lock on demand (Ctrl+L, the button): warn first when changes are not yet synced.
        The idle timer calls ``lock`` directly: an unattended laptop must lock regardless."""
        from ui.views.sync_view import confirm_unsynced

        if self.store is not None and not confirm_unsynced(self.main_window, self.store):
            return
        self.lock()

    def device_wiped(self) -> None:
        """The server revoked this laptop and the sync engine erased its data: start over."""
        self.idle.stop()
        self.runner.cancel_all()
        self.runner.store = None
        if self.main_window is not None:
            self.main_window.close_for_lock()
            self.main_window.deleteLater()
            self.main_window = None
        self.show_first_run()

    def lock(self) -> None:
        store = self.store
        if store is None:
            return
        self.idle.stop()
        kept = [d.close_for_lock() for d in open_draft_dialogs()]
        self.runner.cancel_all()
        self.runner.store = None

        def save_and_lock(_ctl: TaskControl) -> None:
            try:
                if kept:
                    with store.session() as s:
                        for key, payload in kept:
                            drafts.save_draft(s, key, payload)
            finally:
                store.lock()

        self.runner.run(save_and_lock, None, self._show_failure)
        if self.main_window is not None:
            self.main_window.close_for_lock()
            self.main_window.deleteLater()
            self.main_window = None
        self.locked.emit()
        self.show_unlock()

    def save_drafts_now(self) -> None:
        for d in open_draft_dialogs():
            d.mark_dirty()
            d.save_draft_now()

    def shutdown(self) -> None:
        """Quit: keep drafts, close the database."""
        store = self.store
        kept = [d.close_for_lock() for d in open_draft_dialogs()]
        self.runner.store = None
        self.idle.stop()
        if store is not None:

            def save_and_close(_ctl: TaskControl) -> None:
                try:
                    if kept:
                        with store.session() as s:
                            for key, payload in kept:
                                drafts.save_draft(s, key, payload)
                finally:
                    store.lock()

            self.runner.run(save_and_close)
        self.runner.wait_idle(10_000)

    def _quit(self) -> None:
        if self.main_window is None:
            app = QApplication.instance()
            if app is not None:
                app.quit()

    def _show_failure(self, exc: BaseException) -> None:
        from app.domain.errors import DatabaseLocked
        from ui.widgets import show_error

        if isinstance(exc, DatabaseLocked) and self.store is None:
            # Work queued just before the user locked (a debounced search, a refresh) found
            # the database closed: there is nothing to show its result in, and no error.
            return
        show_error(self.main_window, exc)
