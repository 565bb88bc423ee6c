"""Qt part of ``yorisoi self-check``: versions, and that the offscreen/GUI platform starts."""

from __future__ import annotations

from typing import Any


def qt_probe() -> dict[str, Any]:
    try:
        import PySide6
        from PySide6 import QtCore, QtGui

        app = QtGui.QGuiApplication.instance() or QtGui.QGuiApplication(["yorisoi-self-check"])
        return {
            "pyside6": PySide6.__version__,
            "qt": QtCore.qVersion(),
            "qt_platform": QtGui.QGuiApplication.platformName() if app else None,
        }
    except Exception as exc:  # report, don't crash: self-check must say what is wrong
        return {"qt": f"unavailable ({type(exc).__name__}: {exc})"}
