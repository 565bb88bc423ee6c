"""Network reachability for the status bar (the sync screen itself is ui/views/sync_screen.py)."""

from __future__ import annotations

from ui.i18n import tr


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
