"""Sync screen (placeholder until the sync client lands): connection state and pending changes."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.services.browse import pending_changes
from ui import events
from ui.context import UiContext
from ui.i18n import tr
from ui.widgets import heading


def network_state() -> str:
    """'online', 'offline' or 'unknown' from Qt's network information backend."""
    from PySide6.QtNetwork import QNetworkInformation

    if not QNetworkInformation.instance() and not QNetworkInformation.loadDefaultBackend():
        return "unknown"
    info = QNetworkInformation.instance()
    if info is None:
        return "unknown"
    reach = info.reachability()
    if reach == QNetworkInformation.Reachability.Online:
        return "online"
    if reach in (
        QNetworkInformation.Reachability.Disconnected,
        QNetworkInformation.Reachability.Local,
    ):
        return "offline"
    return "unknown"


def network_label(state: str) -> str:
    return {"online": tr("オンライン", "Online"), "offline": tr("オフライン", "Offline")}.get(
        state, tr("接続状態不明", "Connection unknown")
    )


class SyncView(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("同期", "Sync")))
        self.state = QLabel()
        self.pending = QLabel()
        note = QLabel(
            tr(
                "サーバーとの同期はまだ設定されていません。変更はこのパソコンに暗号化して保存され、"
                "同期できるようになったときに送信されます。",
                "Syncing with the server is not set up yet. Changes are kept encrypted on this laptop "
                "and sent when syncing becomes available.",
            )
        )
        note.setWordWrap(True)
        for w in (self.state, self.pending, note):
            layout.addWidget(w)
        layout.addStretch(1)
        events.bus().changed.connect(self._changed)

    def _changed(self, _entities: frozenset[str], _initiator: object) -> None:
        if self.isVisible():
            self.activate()

    def activate(self) -> None:
        self.state.setText(
            tr("接続: {s}", "Connection: {s}").format(s=network_label(network_state()))
        )
        self.ctx.runner.db(
            pending_changes,
            lambda n: self.pending.setText(
                tr("未送信の変更: {n} 件", "Changes waiting to be sent: {n}").format(n=n)
            ),
        )
