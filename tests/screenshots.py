"""Save screenshots of the main screens with fictional demo data into ./screenshots/.

    .venv/bin/python tests/screenshots.py [--lang ja|en] [--out screenshots]

Runs offscreen with a fresh demo database in a temporary folder; nothing is committed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSPHRASE = "correct horse battery staple"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="ja", choices=["ja", "en"])
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--persons", type=int, default=2000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="yorisoi-shots-"))
    os.environ["YORISOI_HOME"] = str(tmp / "home")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from app.services.demo import build_demo
    from app.services.profile import set_profile_user
    from app.storage.lifecycle import create_database

    db = tmp / "profile" / "yorisoi.db"
    store = create_database(db, PASSPHRASE)
    with store.session() as s:
        set_profile_user(s, name="見本 花子", role="coordinator", login="demo")
    build_demo(store, persons=args.persons)
    store.lock()

    app = QApplication([sys.argv[0]])
    from ui.app import setup_application
    from ui.controller import AppController
    from ui.settings import UiSettings

    settings = UiSettings()
    settings.language = args.lang
    setup_application(app, settings)

    def settle(ms: int = 300) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_for(cond: object, timeout_ms: int = 20_000) -> None:
        waited = 0
        while not cond() and waited < timeout_ms:  # type: ignore[operator]
            settle(50)
            waited += 50

    def shot(widget: QWidget, name: str) -> None:
        settle(250)
        widget.grab().save(str(out / f"{args.lang}-{name}.png"))
        print(out / f"{args.lang}-{name}.png")

    from ui.dialogs.first_run import FirstRunDialog

    first = FirstRunDialog(demo=True)
    first.name.setText("見本 花子")
    first.passphrase.setText("きょうは はれ のち くもり")
    first.show()
    shot(first, "00-first-run")
    first.hide()

    controller = AppController(db, settings, integrity_check=False)
    controller.start()
    dialog = controller.unlock_dialog
    assert dialog is not None
    dialog.passphrase.setText("wrong passphrase here")
    dialog.button.click()
    wait_for(lambda: dialog.message.isVisible())
    shot(dialog, "01-unlock-wrong")
    dialog.passphrase.setText(PASSPHRASE)
    dialog._wait_left = 0
    dialog._set_busy(False)
    dialog.button.click()
    wait_for(lambda: controller.main_window is not None)
    win = controller.main_window
    wait_for(lambda: win.cases.model.rowCount() > 0)
    shot(win, "02-cases")
    win.cases.search.setText("やまだ")
    wait_for(lambda: win.cases.search.text() == "やまだ" and win.cases._task is None)
    settle(500)
    shot(win, "03-cases-search")
    win.cases.search.setText("")
    settle(500)
    first_id = win.cases.model.row_id(0)
    win.open_case(first_id)
    wait_for(lambda: win.case_view.detail is not None)
    shot(win, "04-case-overview")
    for i, name in ((1, "05-case-household"), (2, "06-case-contacts")):
        win.case_view.tabs.setCurrentIndex(i)
        shot(win, name)
    visit = win.record_visit(first_id, "見本")
    visit.apply_template("safety")
    shot(visit, "07-visit-entry")
    visit.close_for_lock()
    ref = win.open_referral_editor(first_id, None)
    settle(800)
    shot(ref, "08-referral-editor")
    ref.close_for_lock()
    for i, page in enumerate(
        ["households", "visits", "referrals", "meetings", "resources", "sync", "settings"], 9
    ):
        win.show_page(page)
        settle(600)
        if page in ("households", "meetings"):
            view = win.pages[page]
            view.table.selectRow(0)  # type: ignore[attr-defined]
            settle(600)
        shot(win, f"{i:02d}-{page}")
    controller.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
