"""Import the resource register or cases from CSV / Excel: choose a file, check the dry-run
report row by row, then import (app.services.importer does the work, off the UI thread).

The import button is enabled only after a dry run of the chosen file with no row in error and
something to change; the import then checks that the file is still the one checked (digest).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.import_files import read_table
from app.services.importer import IMPORT_ROLES, ImportReport, RowResult, run_import
from ui import events
from ui.context import UiContext
from ui.i18n import error_text, tr
from ui.models.rows_table_model import Column, RowsTableModel
from ui.widgets import error_label, fit_window, named, table_view

if TYPE_CHECKING:  # SQLAlchemy comes with the store, after the first window
    from sqlalchemy.orm import Session


def action_label(action: str) -> str:
    return {
        "add": tr("追加", "Add"),
        "update": tr("更新", "Update"),
        "unchanged": tr("変更なし", "Unchanged"),
        "skip": tr("スキップ", "Skip"),
        "error": tr("エラー", "Error"),
    }.get(action, action)


class ImportDialog(QDialog):
    """Main thread only. ``kind`` is ``resources`` or ``cases``."""

    imported = Signal(object)  # the ImportReport of a finished import

    def __init__(self, ctx: UiContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind = ctx, kind
        self.report: ImportReport | None = None
        self.setWindowTitle(
            tr("地域資源の取り込み", "Import regional resources")
            if kind == "resources"
            else tr("ケースの取り込み", "Import cases")
        )
        intro = QLabel(
            tr(
                "CSV（UTF-8 または Shift_JIS）か Excel（.xlsx）のファイルを選び、「確認」で取り込み"
                "内容を行ごとに確かめてから「取り込む」を押してください。同じファイルをもう一度"
                "取り込んでも変わりません。",
                "Choose a CSV (UTF-8 or Shift_JIS) or Excel (.xlsx) file, check the report row by "
                "row, then import. Importing the same file again changes nothing.",
            )
        )
        intro.setWordWrap(True)
        key = QLabel(
            tr(
                "照合: 名称と地区が同じ資源は同じものとして更新します。空欄の項目は今の値を消しません。",
                "Matched on name and district; empty cells keep what is recorded.",
            )
            if kind == "resources"
            else tr(
                "照合: ケース番号が同じケースは同じものとして更新します（氏名も一致するときだけ）。"
                "空欄の項目は今の値を消しません。",
                "Matched on the case number (and the person's name); empty cells keep what "
                "is recorded.",
            )
        )
        key.setWordWrap(True)
        self.path = named(QLineEdit(), tr("ファイル", "File"))
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(tr("ファイルを選んでください", "Choose a file"))
        browse = named(
            QPushButton(tr("ファイルを選ぶ…", "Choose file…")), tr("ファイルを選ぶ", "Choose file")
        )
        browse.clicked.connect(self._browse)
        self.check = named(
            QPushButton(tr("確認（ドライラン）", "Check (dry run)")), tr("確認", "Check")
        )
        self.check.setEnabled(False)
        self.check.clicked.connect(self.dry_run)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        row.addWidget(self.check)

        self.model = RowsTableModel(
            [
                Column(tr("行", "Row"), lambda r: str(r.line)),
                Column(tr("結果", "Result"), lambda r: action_label(r.action)),
                Column(tr("内容", "Record"), lambda r: r.key),
                Column(tr("理由・変更点", "Reason / changes"), lambda r: r.reason),
            ],
            self,
        )
        self.table = table_view(tr("取り込みの確認結果", "Dry-run report"))
        self.table.setModel(self.model)
        self.detail = QLabel()
        self.detail.setAccessibleName(tr("選んだ行の理由", "Reason of the selected row"))
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.summary = QLabel()
        self.summary.setAccessibleName(tr("集計", "Summary"))
        self.summary.setWordWrap(True)
        self.error = error_label()

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            tr("取り込む", "Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.do_import)
        self.template_button = named(
            QPushButton(tr("列見出しのテンプレートを保存…", "Save a template…")),
            tr("テンプレートを保存", "Save template"),
        )
        self.template_button.clicked.connect(self._save_template)
        close = self.buttons.addButton(
            tr("閉じる", "Close"), QDialogButtonBox.ButtonRole.RejectRole
        )
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(key)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        bottom = QHBoxLayout()
        bottom.addWidget(self.template_button)  # left, apart from the import / close buttons
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        if ctx.actor.role not in IMPORT_ROLES:
            self.error.setText(
                tr(
                    "取り込みは包括化推進員（コーディネーター）とシステム管理者だけが行えます。",
                    "Only coordinators and administrators may import.",
                )
            )
            self.error.show()
            browse.setEnabled(False)
        fit_window(self, 1000, 620)

    # --- actions ---------------------------------------------------------------------------

    def set_file(self, path: Path) -> None:
        self.path.setText(str(path))
        self.report = None
        self.model.set_rows([])
        self.summary.clear()
        self.import_button.setEnabled(False)
        self.check.setEnabled(self.ctx.actor.role in IMPORT_ROLES)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            tr("取り込むファイル", "File to import"),
            str(Path.home()),
            tr("CSV・Excel (*.csv *.txt *.xlsx)", "CSV or Excel (*.csv *.txt *.xlsx)"),
        )
        if name:
            self.set_file(Path(name))

    def _save_template(self) -> None:
        default = "地域資源の台帳.xlsx" if self.kind == "resources" else "ケース.xlsx"
        name, _ = QFileDialog.getSaveFileName(
            self,
            tr("テンプレートの保存先", "Save the template as"),
            str(Path.home() / default),
            tr("Excel (*.xlsx);;CSV (*.csv)", "Excel (*.xlsx);;CSV (*.csv)"),
        )
        if name:
            self.save_template(Path(name))

    def save_template(self, path: Path) -> None:
        """Write the column headers (no data: nothing personal) to ``path``."""
        from app.services.import_files import write_template

        try:
            write_template(path, self.kind)
        except OSError:
            self.error.setText(
                tr("ファイルを保存できません: {name}", "Cannot save the file: {name}").format(
                    name=path.name
                )
            )
            self.error.show()
            return
        self.summary.setText(
            tr("テンプレートを保存しました: {name}", "Template saved: {name}").format(
                name=path.name
            )
        )

    def _run(self, *, dry_run: bool) -> None:
        path, kind, actor = Path(self.path.text()), self.kind, self.ctx.actor
        digest = None if dry_run or self.report is None else self.report.digest
        self._set_busy(True)

        def unit(s: Session) -> ImportReport:
            table = read_table(path, kind)
            return run_import(s, actor, table, dry_run=dry_run, expected_digest=digest)

        changes = (
            [events.RESOURCE]
            if kind == "resources"
            else [events.CASE, events.PERSON, events.HOUSEHOLD]
        )
        self.ctx.runner.db(
            unit,
            self._shown if dry_run else self._done,
            self._failed,
            changes=[] if dry_run else changes,
        )

    def dry_run(self) -> None:
        self.error.hide()
        self._run(dry_run=True)

    def do_import(self) -> None:
        if self.report is None or self.report.has_errors:
            return
        self.error.hide()
        self._run(dry_run=False)

    # --- results ---------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self.check.setEnabled(not busy and bool(self.path.text()))
        self.import_button.setEnabled(False)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def _counts_text(self, report: ImportReport) -> str:
        c = report.counts
        return tr(
            "追加 {a} 件・更新 {u} 件・変更なし {n} 件・スキップ {s} 件・エラー {e} 件",
            "{a} to add, {u} to update, {n} unchanged, {s} skipped, {e} errors",
        ).format(a=c["add"], u=c["update"], n=c["unchanged"], s=c["skip"], e=c["error"])

    def _show_rows(self, report: ImportReport) -> None:
        # Rows that need a look first: errors, then skipped, then the rest in file order.
        order = {"error": 0, "skip": 1, "add": 2, "update": 2, "unchanged": 3}
        rows: list[RowResult] = sorted(report.rows, key=lambda r: (order[r.action], r.line))
        self.model.set_rows(rows)
        self.detail.clear()
        if rows:
            self.table.selectRow(0)

    def _show_detail(self, current: Any, _previous: Any = None) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        self.detail.setText(
            tr("{line}行目: {reason}", "Row {line}: {reason}").format(
                line=row.line, reason=row.reason
            )
            if row is not None and row.reason
            else ""
        )

    def _shown(self, report: ImportReport) -> None:
        self._set_busy(False)
        self.report = report
        self._show_rows(report)
        text = tr("確認結果（まだ書き込んでいません）: ", "Dry run (nothing written yet): ")
        text += self._counts_text(report)
        if report.ignored_headers:
            text += "\n" + tr("使われない列: ", "Columns not used: ")
            text += "、".join(report.ignored_headers)
        if report.has_errors:
            text += "\n" + tr(
                "エラーの行を直したファイルで確認し直すまで取り込めません（何も書き込んでいません）。",
                "Fix the rows in error and check again before importing (nothing was written).",
            )
        elif report.changes == 0:
            text += "\n" + tr(
                "取り込む変更はありません（このファイルの内容はすべて登録済みです）。",
                "Nothing to import: everything in this file is already recorded.",
            )
        self.summary.setText(text)
        self.import_button.setEnabled(not report.has_errors and report.changes > 0)

    def _done(self, report: ImportReport) -> None:
        self._set_busy(False)
        self.report = None
        self._show_rows(report)
        self.summary.setText(tr("取り込みました: ", "Imported: ") + self._counts_text(report))
        self.imported.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.report = None
        self.error.setText(error_text(exc))
        self.error.show()
