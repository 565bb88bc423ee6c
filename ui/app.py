"""Desktop application start: QApplication, bundled Japanese font, translations, the
excepthook, then first run or unlock (see controller.py)."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from app.storage.files import private_dir, private_file
from app.storage.paths import default_db_path, log_dir, resources_dir
from ui import i18n
from ui.errors import log_exception
from ui.settings import UiSettings
from ui.widgets import keep_open

log = logging.getLogger("yorisoi.ui")
FONT_POINT_SIZE = 10.5


def parse_args(args: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="yorisoi", add_help=False)
    parser.add_argument("--demo", action="store_true", help="create a demo database if none exists")
    parser.add_argument("--db", help="database file")
    parser.add_argument("--profile", default="default")
    known, _qt_args = parser.parse_known_args(args)
    return known


def load_font(app: QGuiApplication) -> str | None:
    """Register IPAexGothic and make it the UI font, so Japanese renders without CJK fonts."""
    font_id = QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / "ipaexg.ttf"))
    if font_id < 0:
        log.warning("bundled Japanese font could not be loaded")
        return None
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    font = QFont(family)
    font.setPointSizeF(FONT_POINT_SIZE)
    app.setFont(font)
    return family


def setup_logging() -> None:
    folder = private_dir(log_dir())  # owner-only, like every file the app writes
    handler = logging.FileHandler(private_file(folder / "yorisoi-ui.log"), encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def setup_application(app: QApplication, settings: UiSettings) -> str:
    """Font and language for an existing QApplication (also used by tests). Returns the language."""
    app.setApplicationName("Yorisoi")
    app.setApplicationDisplayName(i18n.tr("寄り添い", "Yorisoi"))
    app.setOrganizationName("Yorisoi")
    load_font(app)
    return i18n.install(app, i18n.resolve_language(settings.language))


def install_excepthook(controller: object | None = None) -> None:
    """Uncaught errors: log the type and code location only, keep drafts, tell the person."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log_exception("uncaught exception", exc, tb)
        save = getattr(controller, "save_drafts_now", None)
        if save is not None:
            try:
                save()
            except Exception as inner:  # noqa: BLE001 - never let the hook itself fail
                log_exception("saving drafts after an error failed", inner)
        if QApplication.instance() is not None:
            box = QMessageBox(
                QMessageBox.Icon.Critical,
                i18n.tr("寄り添い", "Yorisoi"),
                i18n.error_text(exc),
            )
            box.setAccessibleName(i18n.tr("エラー", "Error"))
            keep_open(box)

    sys.excepthook = hook


def tune_gc() -> None:
    """Keep garbage collection pauses short on the UI thread: objects alive after start-up
    (modules, Qt wrappers, SQLAlchemy metadata) move out of the collector's view, and young
    collections run less often. Called again after unlock."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def run_gui(args: list[str]) -> int:
    options = parse_args(args)
    setup_logging()
    app = QApplication.instance() or QApplication(
        [sys.argv[0], *[a for a in args if a.startswith("-platform")]]
    )
    assert isinstance(app, QApplication)
    settings = UiSettings()
    setup_application(app, settings)
    from ui.controller import AppController

    db_path = Path(options.db) if options.db else default_db_path(options.profile)
    controller = AppController(db_path, settings, demo=options.demo)
    controller.own_lifetime(app)
    install_excepthook(controller)
    app.aboutToQuit.connect(controller.shutdown)
    tune_gc()
    controller.unlocked.connect(tune_gc)
    controller.start()
    return int(app.exec())
