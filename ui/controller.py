"""The application's life cycle: first run or unlock, the main window, locking (on demand and
after idle time) with drafts kept, and restoring drafts after unlock. Main thread only.

The controller, not Qt, decides when the application ends (``own_lifetime``): Qt's default of
quitting when the last window closes ends the process in the gaps between windows (the first-run
form closes, the database is built behind a progress dialog that closes in turn, and only then is
the main window made: for that moment no window is open). The application quits when the person
closes the main window or a start dialog, or when the last window closes outside a switch.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from app.domain.errors import WrongPassphrase
from app.domain.records import Actor
from ui.context import UiContext
from ui.dialogs.unlock import UnlockDialog
from ui.i18n import error_text, tr
from ui.idle import IdleWatcher
from ui.settings import UiSettings
from ui.tasks import TaskControl, TaskRunner

# The store, the services (SQLAlchemy) and the main window are imported when first needed, so
# the unlock dialog appears without waiting for them; ``_warm_up`` loads them in the background
# while the person types the passphrase.
if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.domain.records import Choices
    from app.storage.db import Store
    from ui.dialogs.first_run import FirstRunDialog

log = logging.getLogger("yorisoi.ui")
DEMO_PERSONS = 2000
# Test-only: tests/ui/test_process.py shortens the auto-lock of a real ``yorisoi`` process to a
# few seconds with this variable. It can only shorten the delay set in Settings, never lengthen
# or disable it.
TEST_IDLE_ENV = "YORISOI_TEST_IDLE_SECONDS"


@dataclass(frozen=True)
class SessionInfo:
    actor: Actor
    choices: Choices
    drafts: list[tuple[str, dict[str, Any]]]


def _session_info(s: Session) -> SessionInfo:
    from app.services import browse, drafts
    from app.services.profile import current_actor

    return SessionInfo(current_actor(s), browse.choices(s), drafts.list_drafts(s))


def _warm_up(_ctl: TaskControl) -> None:
    """Import what unlocking and the main window need (background lane, after the first window
    is shown): about half a second that would otherwise come before the first window."""
    import importlib

    for name in ("app.storage.lifecycle", "app.services.browse", "app.services.drafts",
                 "app.services.profile", "ui.dialogs.draft_dialog", "ui.main_window"):  # fmt: skip
        importlib.import_module(name)


def _open_draft_dialogs() -> list[Any]:
    from ui.dialogs.draft_dialog import open_draft_dialogs

    return list(open_draft_dialogs())


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
        self.idle = IdleWatcher(self.idle_ms(), self)
        self.idle.idle.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.runner.failed.connect(self._show_failure)
        # True from the moment one window closes until the next one is shown (see own_lifetime).
        self.switching = False
        from ui import events

        events.bus().changed.connect(self._changed)

    def _changed(self, entities: Any, _initiator: object) -> None:
        """After a sync the pick lists are read again: administrators' master data (issue
        categories, 小学校区, agencies) reach the dialogs opened from then on."""
        from ui import events

        if events.SYNC in entities and self.store is not None:
            from app.services import browse

            def keep(choices: Any) -> None:
                if self.store is not None:
                    self.ctx.choices = choices

            self.runner.db(browse.choices, keep, lambda _exc: None)

    def own_lifetime(self, app: QApplication) -> None:
        """Take over from Qt the decision when the application quits (the real app calls this;
        widget tests without an event loop need not)."""
        app.setQuitOnLastWindowClosed(False)
        app.lastWindowClosed.connect(lambda: QTimer.singleShot(0, self._quit_if_no_window))

    def _quit_if_no_window(self) -> None:
        """A window closed and none is left: quit, unless the controller is switching windows
        (the next one is on its way). A safety net; the normal ways out call ``_quit``."""
        if self.switching or any(_is_open_window(w) for w in QApplication.topLevelWidgets()):
            return
        log.info("no window left: quitting")
        app = QApplication.instance()
        if app is not None:
            app.quit()

    def idle_ms(self) -> int:
        """The auto-lock delay: the Settings' minutes (or the test override, if shorter)."""
        ms = self.settings.idle_minutes * 60_000
        try:
            override = float(os.environ.get(TEST_IDLE_ENV, "") or 0) * 1000
        except ValueError:
            override = 0
        return int(min(ms, override)) if override >= 1000 else ms

    @property
    def store(self) -> Store | None:
        return self.runner.store

    # --- start --------------------------------------------------------------------------

    def start(self) -> None:
        if self.db_path.exists() and self.db_path.stat().st_size > 0:
            self.show_unlock()
        else:
            self.show_first_run()
        log.info("first window shown")  # tests/bench/startup.py times the start to this line
        self.runner.run(_warm_up, None, lambda _exc: None, lane="side")

    def show_first_run(self) -> None:
        from ui.dialogs.first_run import FirstRunDialog

        self.switching = False
        dialog = FirstRunDialog(demo=self.demo)
        self.first_run_dialog = dialog
        dialog.accepted.connect(lambda: self._create(dialog))
        dialog.rejected.connect(self._quit)
        dialog.show()

    def _create(self, dialog: FirstRunDialog) -> None:
        self.switching = True  # the form has closed; the main window comes after the build
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
            from app.services.profile import set_profile_user
            from app.storage.lifecycle import create_database

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
            log.info("first run: database created%s", " with demo data" if values.demo else "")
            progress.close()
            self._unlocked(store)

        def failed(exc: BaseException) -> None:
            log.warning("first run: creating the database failed (%s)", type(exc).__name__)
            progress.close()
            QMessageBox.warning(None, tr("寄り添い", "Yorisoi"), error_text(exc))
            self.show_first_run()

        self.runner.run(work, done, failed, on_progress=on_progress, lane="side")

    def show_unlock(self) -> None:
        self.switching = False
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
            from app.storage.lifecycle import open_database

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
        self.switching = True
        self.runner.store = store

        def failed(exc: BaseException) -> None:
            # The store opened but its profile could not be read: close it again and say so
            # over the unlock dialog, so the person is never left without a window.
            self.runner.store = None
            store.lock()
            self.first_run_dialog = None
            if self.unlock_dialog is None:
                self.show_unlock()
            else:
                self.switching = False
            assert self.unlock_dialog is not None
            self.unlock_dialog.failed(error_text(exc), wrong_passphrase=False)

        self.runner.db(_session_info, self._show_main, failed)

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
        self.switching = False
        self.idle.set_timeout_ms(self.idle_ms())
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
        self.idle.set_timeout_ms(self.idle_ms())

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
        from ui.views.reachability import confirm_leave

        if self.store is not None and not confirm_leave(self.main_window, self.store, "lock"):
            return
        self.lock()

    def device_wiped(self) -> None:
        """The server revoked this laptop and the sync engine erased its data: start over."""
        self.switching = True
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
        self.switching = True  # the main window closes, the unlock dialog follows
        self.idle.stop()
        kept = [d.close_for_lock() for d in _open_draft_dialogs()]
        self.runner.cancel_all()
        self.runner.store = None

        self.runner.run(lambda _ctl: _keep_drafts_and_lock(store, kept), None, self._show_failure)
        if self.main_window is not None:
            self.main_window.close_for_lock()
            self.main_window.deleteLater()
            self.main_window = None
        self.locked.emit()
        self.show_unlock()

    def save_drafts_now(self) -> None:
        for d in _open_draft_dialogs():
            d.mark_dirty()
            d.save_draft_now()

    def shutdown(self) -> None:
        """Quit: keep drafts, close the database."""
        store = self.store
        kept = [d.close_for_lock() for d in _open_draft_dialogs()]
        self.runner.store = None
        self.idle.stop()
        if store is not None:
            self.runner.run(lambda _ctl: _keep_drafts_and_lock(store, kept))
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


def _keep_drafts_and_lock(store: Store, kept: list[tuple[str, dict[str, Any]]]) -> None:
    """On the worker, before locking or quitting: save the open dialogs' drafts, then lock
    (the lock happens even when saving a draft fails)."""
    try:
        if kept:
            from app.services import drafts

            with store.session() as s:
                for key, payload in kept:
                    drafts.save_draft(s, key, payload)
    finally:
        store.lock()


def _is_open_window(widget: Any) -> bool:
    """A visible top-level window that keeps the application alive (not a tooltip or menu)."""
    if not widget.isWindow() or not widget.isVisible():
        return False
    kind = widget.windowType()
    return kind not in (Qt.WindowType.ToolTip, Qt.WindowType.Popup, Qt.WindowType.SplashScreen)
