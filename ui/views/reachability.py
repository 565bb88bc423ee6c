"""The sync part of the status bar: is the server reachable, last sync, unsent changes (the sync
page itself is ui/views/sync_page.py, its panel ui/views/sync_panel.py).

``SyncIndicator`` keeps three labels true: whether this laptop is enrolled and whether its server
answers (a real request to the server's health endpoint, in the background, not the operating
system's idea of being online), the last successful sync in local time, and the number of the
user's own changes not yet sent (``app.sync.status``: the same number the sync screen shows).
``confirm_leave(parent, store, action)`` is the question asked before locking or quitting.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from app.storage.db import Store
from app.sync.status import SyncStatus, format_local, server_reachable, sync_status
from ui.i18n import tr
from ui.tasks import TaskControl, TaskRunner

PROBE_INTERVAL_MS = 60_000


def state_text(status: SyncStatus | None, reachable: bool | None) -> str:
    if status is None:
        return tr("同期: 確認中…", "Sync: checking…")
    if not status.enrolled:
        return tr("同期: 未登録", "Sync: not enrolled")
    if reachable is None:
        return tr("同期: サーバーを確認中…", "Sync: checking the server…")
    if reachable:
        return tr("同期: サーバーに接続できます", "Sync: server reachable")
    return tr("同期: サーバーに接続できません", "Sync: server unreachable")


def last_sync_text(status: SyncStatus | None) -> str:
    when = format_local(status.last_sync_at) if status is not None else None
    return tr("最終同期: {when}", "Last sync: {when}").format(
        when=when or tr("まだありません", "never")
    )


def pending_text(n: int) -> str:
    return tr("未送信の変更: {n} 件", "Unsent changes: {n}").format(n=f"{n:,}")


class SyncIndicator(QObject):
    """Owns ``state_label``, ``last_label`` and ``pending_label`` (put them in a status bar).

    ``refresh()`` re-reads the status in the background (after any change); the server is
    probed at once when the status is first known or the server changes, then every
    ``probe_interval_ms``."""

    def __init__(self, runner: TaskRunner, parent: QObject | None = None,
                 probe_interval_ms: int = PROBE_INTERVAL_MS) -> None:  # fmt: skip
        super().__init__(parent)
        self.runner = runner
        self.status: SyncStatus | None = None
        self.reachable: bool | None = None
        self.state_label = QLabel()
        self.last_label = QLabel()
        self.pending_label = QLabel()
        self._probing = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.probe)
        if probe_interval_ms > 0:
            self._timer.start(probe_interval_ms)
        self._show()

    def refresh(self) -> None:
        store = self.runner.store
        if store is None or store.is_locked:
            return

        def read(_ctl: TaskControl) -> SyncStatus:
            return sync_status(store)

        self.runner.run(read, self._got_status, lambda _exc: None)

    def _got_status(self, status: SyncStatus) -> None:
        before = self.status
        self.status = status
        if not status.enrolled:
            self.reachable = None
        elif before is None or before.server_url != status.server_url:
            self.reachable = None
            self.probe()
        self._show()

    def probe(self) -> None:
        """Ask the server's health endpoint, off the UI thread."""
        status = self.status
        if self._probing or status is None or not status.enrolled or not status.server_url:
            return
        url = status.server_url
        self._probing = True

        def ask(_ctl: TaskControl) -> bool:
            return server_reachable(url)

        def done(ok: Any) -> None:
            self._probing = False
            if self.status is not None and self.status.server_url == url:
                self.reachable = bool(ok)
                self._show()

        def failed(_exc: BaseException) -> None:
            self._probing = False

        self.runner.run(ask, done, failed, lane="side")

    def _show(self) -> None:
        self.state_label.setText(state_text(self.status, self.reachable))
        enrolled = self.status is not None and self.status.enrolled
        if self.status is not None and self.status.server_url:
            self.state_label.setToolTip(self.status.server_url)
        else:
            self.state_label.setToolTip(
                tr("この端末はサーバーに登録されていません（同期画面で登録できます）。",
                   "This laptop is not enrolled with a server (enrol on the Sync screen).")
            )  # fmt: skip
        self.last_label.setText(last_sync_text(self.status))
        self.last_label.setVisible(enrolled)
        n = self.status.pending_total if self.status is not None else 0
        self.pending_label.setText(pending_text(n))
        self.pending_label.setVisible(self.status is not None)
        for label in (self.state_label, self.last_label, self.pending_label):
            label.setAccessibleName(label.text())


def confirm_leave(parent: QWidget | None, store: Store, action: str) -> bool:
    """Before locking (``action="lock"``) or quitting (``"quit"``): True if it is fine to go on.

    Asks only when this laptop is enrolled and some of the user's own changes are not yet sent;
    they stay encrypted on this laptop either way."""
    if store.is_locked:
        return True
    status = sync_status(store)
    if not status.enrolled or status.pending_total == 0:
        return True
    n = f"{status.pending_total:,}"
    if action == "lock":
        title = tr("未送信の変更があります", "Unsent changes")
        text = tr(
            "サーバーにまだ送信していない変更が {n} 件あります。ロックしますか？\n"
            "変更はこのパソコンに暗号化して保存され、解錠後の同期で送信されます。",
            "{n} changes have not reached the server yet. Lock now?\n"
            "They stay encrypted on this laptop and are sent at the next sync after unlocking.",
        ).format(n=n)
        go = tr("ロックする", "Lock")
    else:
        title = tr("未送信の変更があります", "Unsent changes")
        text = tr(
            "サーバーにまだ送信していない変更が {n} 件あります。終了しますか？\n"
            "変更はこのパソコンに暗号化して保存され、次回の同期で送信されます。",
            "{n} changes have not reached the server yet. Quit now?\n"
            "They stay encrypted on this laptop and are sent at the next sync.",
        ).format(n=n)
        go = tr("終了する", "Quit")
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    go_button = box.addButton(go, QMessageBox.ButtonRole.AcceptRole)
    stay = box.addButton(tr("キャンセル", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay)
    box.setEscapeButton(stay)
    box.setAccessibleName(title)
    box.exec()
    return box.clickedButton() is go_button


__all__ = ["SyncIndicator", "confirm_leave"]
