"""Open the main window, every screen and every dialog on a 1366x768 screen (offscreen), measure
them, and save screenshots (not collected by pytest; tests/ui/test_laptop_screen.py runs it).

    .venv/bin/python -m tests.ui.laptop_screen [--out /tmp/yorisoi-1366] [--json]

Qt's offscreen platform is given one 1366x768 screen (its configfile option), so the windows
see the same available geometry as on the laptops the app is used on. Prints one JSON document:
``{"screen": [w, h], "windows": [{name, width, height, min_width, min_height}...],
"tables": [{name, viewport, columns: [[title, width]...], stretch_last}...]}``.
A fictional case with a very long title is opened, the case that used to widen the window.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT)]

PASSPHRASE = "correct horse battery staple"
SCREEN = (1366, 768)
LONG_TITLE = (
    "家賃の滞納が続き退去を求められている、長男のひきこもりと母親の介護が重なり、"
    "生活費が足りず、公共料金の督促も届いている世帯への包括的な支援の検討（架空の事例）"
)


def _pdf(pages: int = 2) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QPageSize, QPainter, QPdfWriter

    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    for i in range(pages):
        if i:
            writer.newPage()
        painter.drawText(200, 400, f"見本 {i + 1}")
    painter.end()
    buf.close()
    return bytes(data.data())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/yorisoi-1366")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--lang", default="ja", choices=["ja", "en"])
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="yorisoi-1366-"))
    os.environ["YORISOI_HOME"] = str(tmp / "home")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    config = tmp / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0,
                                               "width": SCREEN[0], "height": SCREEN[1],
                                               "logicalDpi": 96, "dpr": 1}]}))  # fmt: skip

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QHeaderView, QTableView, QWidget

    from app.services.demo import build_demo
    from app.services.profile import current_actor, set_profile_user
    from app.storage.lifecycle import create_database, open_database

    db = tmp / "profile" / "yorisoi.db"
    store = create_database(db, PASSPHRASE)
    with store.session() as s:
        set_profile_user(s, name="見本 花子", role="coordinator", login="demo")
    build_demo(store, persons=300)
    store.lock()

    app = QApplication([sys.argv[0], "-platform", f"offscreen:configfile={config}"])
    from ui.app import setup_application
    from ui.controller import AppController
    from ui.settings import UiSettings

    settings = UiSettings()
    settings.language = args.lang
    setup_application(app, settings)
    avail = app.primaryScreen().availableGeometry()

    def settle(ms: int = 200) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_for(cond: Any, timeout_ms: int = 20_000) -> None:
        waited = 0
        while not cond() and waited < timeout_ms:
            settle(50)
            waited += 50

    windows: list[dict[str, Any]] = []
    tables: list[dict[str, Any]] = []

    def measure(widget: QWidget, name: str) -> None:
        settle(250)
        widget.grab().save(str(out / f"{args.lang}-{name}.png"))
        hint = widget.minimumSizeHint()
        windows.append({"name": name, "width": widget.width(), "height": widget.height(),
                        "min_width": max(hint.width(), widget.minimumWidth()),
                        "min_height": max(hint.height(), widget.minimumHeight()),
                        "x": widget.x(), "y": widget.y()})  # fmt: skip
        for view in widget.findChildren(QTableView):
            if not view.isVisible() or view.model() is None:
                continue
            header = view.horizontalHeader()
            cols = [[str(view.model().headerData(i, header.orientation()) or ""),
                     header.sectionSize(i)]
                    for i in range(header.count()) if not header.isSectionHidden(i)]  # fmt: skip
            tables.append({"name": f"{name}/{view.accessibleName()}",
                           "viewport": view.viewport().width(), "columns": cols,
                           "stretch_last": header.stretchLastSection(),
                           "interactive": header.sectionResizeMode(0)
                           == QHeaderView.ResizeMode.Interactive})  # fmt: skip

    from ui.dialogs.first_run import FirstRunDialog
    from ui.dialogs.unlock import UnlockDialog

    d = FirstRunDialog(demo=True)
    d.show()
    measure(d, "first-run")
    d.hide()
    u = UnlockDialog("default")
    u.show()
    measure(u, "unlock")
    u.hide()

    controller = AppController(db, settings, integrity_check=False)
    shown: list[Any] = []
    controller.main_window_shown.connect(shown.append)
    controller._unlocked(open_database(db, PASSPHRASE))
    wait_for(lambda: shown)
    window = shown[0]
    wait_for(lambda: window.cases.model.rowCount() > 0)
    measure(window, "main-cases")
    for page in window.order[1:]:
        window.show_page(page)
        settle(400)
        measure(window, f"main-{page}")
    window.show_page("cases")

    # The case with a very long title: the window must not grow.
    store2 = controller.store
    assert store2 is not None
    with store2.session() as s:
        actor = current_actor(s)
        case_id = _long_case(s, actor)
    window.open_case(case_id)
    wait_for(lambda: window.case_view.case_id == case_id and window.case_view.detail is not None)
    settle(500)
    measure(window, "main-case-long-title")
    # A demo case with the most records, tab by tab (the tables with real rows).
    from sqlalchemy import func, select

    from app.storage.models import ContactRecord

    with store2.session() as s:
        busy = s.scalars(select(ContactRecord.case_id).group_by(ContactRecord.case_id)
                         .order_by(func.count().desc()).limit(1)).one()  # fmt: skip
    window.open_case(busy)
    wait_for(lambda: window.case_view.case_id == busy and window.case_view.detail is not None)
    settle(500)
    for i in range(window.case_view.tabs.count()):
        window.case_view.tabs.setCurrentIndex(i)
        measure(window, f"main-case-tab{i}")

    from ui.dialogs.case_editor import CaseEditorDialog

    dialogs: list[tuple[str, Any]] = [
        ("case-editor-new", lambda: CaseEditorDialog(controller.ctx, None, window)),
        (
            "case-editor-edit",
            lambda: CaseEditorDialog(controller.ctx, window.case_view.detail, window),
        ),  # fmt: skip
        ("visit-entry", lambda: window.record_visit(case_id, LONG_TITLE)),
        ("referral-editor", lambda: window.open_referral_editor(case_id, None)),
    ]
    from ui.dialogs.resource_editor import ResourceEditorDialog
    from ui.printing import PdfPreviewDialog

    dialogs += [
        ("resource-editor", lambda: ResourceEditorDialog(controller.ctx, None, window)),
        ("print-preview", lambda: PdfPreviewDialog(window, _pdf(), LONG_TITLE, "x.pdf")),
    ]
    imports = tmp / "import-cases.csv"
    imports.write_text(
        "ケース番号,主訴,氏名,生年月日,地区\n"
        + "".join(
            f"X-{i},{LONG_TITLE[:40]},架空 {i}郎,昭和5{i % 10}年1月1日,武庫\n" for i in range(30)
        )
        + "X-99,相談,架空 九,1985/13/40,北地区\n",
        encoding="utf-8",
    )

    def import_dialog() -> Any:
        dialog = window.cases.open_import()
        dialog.set_file(imports)
        dialog.dry_run()
        wait_for(lambda: dialog.model.rowCount() == 31)
        return dialog

    dialogs.append(("import-dialog", import_dialog))
    for name, make in dialogs:
        dialog = make()
        dialog.show()
        settle(400)
        measure(dialog, name)
        if hasattr(dialog, "discard"):
            dialog.discard()
        dialog.hide()
        dialog.deleteLater()
    controller.lock()
    controller.runner.wait_idle()
    settle(200)
    result = {"screen": [avail.width(), avail.height()], "windows": windows, "tables": tables,
              "out": str(out)}  # fmt: skip
    json.dump(result, sys.stdout, ensure_ascii=False, indent=None if args.json else 1)
    sys.stdout.write("\n")
    return 0


def _long_case(s: Any, actor: Any) -> str:
    """A fictional case whose title is far longer than the window is wide."""
    import datetime as dt

    from app.storage.models import Case, Household, HouseholdMember, Person

    p = Person(name="長谷川 美智子", kana="はせがわ みちこ", birth_date=dt.date(1952, 3, 3))
    h = Household(name="長谷川さん世帯")
    s.add_all([p, h])
    s.flush()
    s.add(HouseholdMember(household_id=h.id, person_id=p.id, relationship="self", is_head=True))
    c = Case(case_number="2026-990001", title=LONG_TITLE, household_id=h.id, person_id=p.id,
             status="supporting", urgency="high", opened_on=dt.date(2026, 4, 1),
             assigned_staff_id=actor.staff_id)  # fmt: skip
    s.add(c)
    s.flush()
    return str(c.id)


if __name__ == "__main__":
    sys.exit(main())
