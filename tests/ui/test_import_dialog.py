"""The import dialog: dry-run report in a table, then the import, from both views."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.storage.models import OutboxEntry, Resource
from tests.core.test_importer import CASE_CSV, RESOURCE_CSV


def _db(qtbot, controller, fn):
    got = {}
    controller.runner.db(fn, lambda r: got.update(r=r))
    qtbot.waitUntil(lambda: "r" in got, timeout=10_000)
    return got["r"]


def _count(qtbot, controller, model):
    return _db(qtbot, controller, lambda s: s.scalar(select(func.count()).select_from(model)))


def test_dry_run_report_then_import_from_the_resources_view(qtbot, unlocked, tmp_path: Path):
    window = unlocked.main_window
    window.show_page("resources")
    view = window.page("resources")
    assert view.import_button.isVisibleTo(view)  # the demo user is a coordinator
    dialog = view.open_import()
    qtbot.addWidget(dialog)
    src = tmp_path / "台帳.csv"
    src.write_bytes(RESOURCE_CSV.encode("cp932"))
    before = (_count(qtbot, unlocked, Resource), _count(qtbot, unlocked, OutboxEntry))
    dialog.set_file(src)
    assert not dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.check, qtbot_button())
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 6, timeout=10_000)
    # skipped rows first, each with its reason; nothing written yet
    texts = [
        [dialog.model.index(r, c).data() for c in range(4)] for r in range(dialog.model.rowCount())
    ]
    assert [t[1] for t in texts] == ["スキップ"] * 3 + ["追加"] * 3
    assert any("北地区" in t[3] for t in texts)
    assert (
        "追加 3 件" in dialog.summary.text() and "まだ書き込んでいません" in dialog.summary.text()
    )
    assert (_count(qtbot, unlocked, Resource), _count(qtbot, unlocked, OutboxEntry)) == before
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as sig:
        qtbot.mouseClick(dialog.import_button, qtbot_button())
    assert sig.args[0].counts["add"] == 3
    assert _count(qtbot, unlocked, Resource) == before[0] + 3
    assert "取り込みました" in dialog.summary.text()
    # the list behind the dialog refreshes itself (the import announced its change)
    names = lambda: {view.model.row_at(i).name for i in range(view.model.rowCount())}  # noqa: E731
    qtbot.waitUntil(lambda: "むこっこ食堂" in names(), timeout=10_000)
    assert not dialog.import_button.isEnabled()
    # the same file again: nothing to import, the button stays off
    qtbot.mouseClick(dialog.check, qtbot_button())
    qtbot.waitUntil(lambda: "変更なし 3 件" in dialog.summary.text(), timeout=10_000)
    assert "取り込む変更はありません" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    shots = Path("screenshots")
    shots.mkdir(exist_ok=True)
    dialog.show()
    assert dialog.width() <= 1366 - 16 and dialog.height() <= 768 - 40
    dialog.grab().save(str(shots / "import-dialog-resources.png"))


def test_bad_file_shows_one_line_and_cases_view_opens_the_case_import(qtbot, unlocked, tmp_path):
    window = unlocked.main_window
    dialog = window.cases.open_import()
    qtbot.addWidget(dialog)
    assert dialog.kind == "cases"
    template = tmp_path / "ケース.xlsx"
    dialog.save_template(template)
    from openpyxl import load_workbook

    headers = [c.value for c in load_workbook(template).worksheets[0][1]]
    assert headers[:3] == ["ケース番号", "主訴", "氏名"] and "テンプレート" in dialog.summary.text()
    bad = tmp_path / "bad.csv"
    bad.write_text(CASE_CSV + "OLD-9,相談,架空 七,,1985/13/40,,,,武庫,,,,,,\n", encoding="utf-8")
    dialog.set_file(bad)
    qtbot.mouseClick(dialog.check, qtbot_button())
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 4, timeout=10_000)
    assert dialog.model.index(0, 1).data() == "エラー"
    assert "1985/13/40" in dialog.model.index(0, 3).data()
    assert dialog.detail.text().startswith("5行目: ") and "R8.4.1" in dialog.detail.text()
    assert "何も書き込んでいません" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    dialog.show()
    dialog.grab().save(str(Path("screenshots") / "import-dialog-cases-error.png"))
    missing = tmp_path / "missing.csv"
    missing.write_text("氏名,住所\nx,y\n", encoding="utf-8")
    dialog.set_file(missing)
    qtbot.mouseClick(dialog.check, qtbot_button())
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10_000)
    assert "必須の列" in dialog.error.text() and "\n" not in dialog.error.text()


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
