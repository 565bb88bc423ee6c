"""Qt part of ``yorisoi self-check``: versions, the platform plugin that starts, the bundled font.

Never aborts: without a display (a server, CI, an SSH session) Qt's GUI platform cannot start,
and Qt ends the process when no platform plugin starts. The probe therefore asks for the display
platform with the offscreen one as a fallback (Qt tries a ``;``-separated list in order), and on
Linux without DISPLAY or WAYLAND_DISPLAY goes straight to offscreen. ``display`` tells whether a
desktop window could open.
"""

from __future__ import annotations

import os
import sys
from typing import Any

OFFSCREEN = "offscreen"


def probe_platform(env: dict[str, str] | None = None, system: str | None = None) -> str | None:
    """The ``-platform`` value for the probe, or None for Qt's native default (Windows, macOS)."""
    env = dict(os.environ) if env is None else env
    system = system or sys.platform
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen if OFFSCREEN in chosen.split(";") else f"{chosen};{OFFSCREEN}"
    if not system.startswith("linux"):
        return None
    if env.get("WAYLAND_DISPLAY"):
        return f"wayland;xcb;{OFFSCREEN}"
    if env.get("DISPLAY"):
        return f"xcb;{OFFSCREEN}"
    return OFFSCREEN


def qt_probe() -> dict[str, Any]:
    try:
        import PySide6
        from PySide6 import QtCore, QtGui
    except Exception as exc:  # report, don't crash: self-check must say what is wrong
        return {"qt": f"unavailable ({type(exc).__name__})", "display": False}
    report: dict[str, Any] = {"pyside6": PySide6.__version__, "qt": QtCore.qVersion()}
    try:
        app = QtGui.QGuiApplication.instance()
        if app is None:
            args = ["yorisoi-self-check"]
            platform = probe_platform()
            if platform:
                args += ["-platform", platform]
            app = QtGui.QGuiApplication(args)
        name = QtGui.QGuiApplication.platformName()
        report["qt_platform"] = name
        report["display"] = name not in (OFFSCREEN, "minimal")
        report["font"] = _bundled_font()
    except Exception as exc:
        report["qt_platform"] = f"unavailable ({type(exc).__name__})"
        report["display"] = False
    return report


def _bundled_font() -> str | None:
    """The family of the bundled Japanese font, if Qt can load it (None: it cannot)."""
    from PySide6.QtGui import QFontDatabase

    from app.storage.paths import resources_dir

    font_id = QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / "ipaexg.ttf"))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else None
