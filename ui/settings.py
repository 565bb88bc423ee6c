"""Per-user UI preferences (language, idle lock minutes, where the main window was) in an ini
file next to the profiles.

They live outside the encrypted database because the language is needed before unlocking.
Nothing personal is stored here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from app.storage.paths import data_dir

DEFAULT_IDLE_MINUTES = 5
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 120


class UiSettings:
    def __init__(self) -> None:
        path = data_dir() / "ui-settings.ini"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    def admin_login(self, profile: str) -> str:
        """The login name last signed in with in this profile's administration workspace
        (offered next time; the password is never stored)."""
        return str(self._qs.value(f"admin_login/{profile}", "") or "")

    def set_admin_login(self, profile: str, login: str) -> None:
        self._qs.setValue(f"admin_login/{profile}", login)
        self._qs.sync()

    @property
    def language(self) -> str:
        return str(self._qs.value("language", "") or "")

    @language.setter
    def language(self, value: str) -> None:
        self._qs.setValue("language", value)
        self._qs.sync()

    @property
    def idle_minutes(self) -> int:
        try:
            raw: Any = self._qs.value("idle_minutes", DEFAULT_IDLE_MINUTES)  # str or int
            value = int(raw)
        except (TypeError, ValueError):
            value = DEFAULT_IDLE_MINUTES
        return max(MIN_IDLE_MINUTES, min(MAX_IDLE_MINUTES, value))

    @idle_minutes.setter
    def idle_minutes(self, value: int) -> None:
        self._qs.setValue("idle_minutes", max(MIN_IDLE_MINUTES, min(MAX_IDLE_MINUTES, int(value))))
        self._qs.sync()

    @property
    def window_geometry(self) -> QByteArray:
        """The main window's last size and place (QWidget.saveGeometry), empty if none."""
        value: Any = self._qs.value("window_geometry")
        return value if isinstance(value, QByteArray) else QByteArray()

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._qs.setValue("window_geometry", value)
        self._qs.sync()
