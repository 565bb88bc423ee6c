"""実績報告 screen (coordinators and administrators): counts by district with a chart, the
table as it would be filed, and export to Excel / CSV (audited).

Main thread only. The numbers are computed on the worker (``runner.db`` for this laptop's
data, the side lane for the server's), never here; only a plain ``Report`` comes back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.protocol.periods import Period, fiscal_year_label, fiscal_year_of, month_label
from app.protocol.reports import CountTable, Report
from app.reports import sheets, stats_service
from app.reports.suppress import DEFAULT_THRESHOLD, HIDDEN, plain, suppress
from ui.context import UiContext
from ui.i18n import language, tr
from ui.widgets import heading, named, show_error, table_view

# Distinguishable colours for up to 8 districts (colour-blind friendly, Okabe–Ito order).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#F0E442")
SOURCES = ("laptop", "server")
CHART_ROWS = 14


def _short_month(label: str) -> str:
    """``令和8年4月`` -> ``4月`` for the chart's axis."""
    return label.split("年")[-1]


def build_chart(table: CountTable) -> QChart:
    """A chart of one table: districts side by side. Months: stacked bars per month (one
    colour per district). A few rows: grouped bars per district. Many rows (issues,
    agencies): one stacked horizontal bar per row."""
    chart = QChart()
    chart.setTitle(table.title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    font = QFont(chart.titleFont())
    font.setBold(True)
    chart.setTitleFont(font)
    cols = [name for _c, name in table.columns]
    rows = [label for _c, label in table.rows]
    if table.key == "new_by_month":
        series: QBarSeries | QStackedBarSeries | QHorizontalStackedBarSeries = QStackedBarSeries()
        for j, name in enumerate(cols):
            s = QBarSet(name)
            s.append([float(table.values[i][j]) for i in range(len(rows))])
            s.setColor(QColor(PALETTE[j % len(PALETTE)]))
            series.append(s)
        categories = [_short_month(r) for r in rows]
        horizontal = False
    elif len(rows) <= 6:
        series = QBarSeries()
        for i, label in enumerate(rows):
            s = QBarSet(label)
            s.append([float(v) for v in table.values[i]])
            s.setColor(QColor(PALETTE[i % len(PALETTE)]))
            series.append(s)
        categories = cols
        horizontal = False
    else:
        # At most CHART_ROWS bars, the largest: more labels than that do not fit a laptop
        # screen's chart (Qt would skip every other one). The table below has them all.
        values = [list(v) for v in table.values]
        labels = list(rows)
        if len(labels) > CHART_ROWS:
            ranked = sorted(range(len(labels)), key=lambda i: -sum(values[i]))
            keep = sorted(ranked[:CHART_ROWS])
            chart.setTitle(
                table.title
                + tr("（上位{k}、全{n}区分は表に）", " (top {k} of {n}; all in the table)").format(
                    k=CHART_ROWS, n=len(labels)
                )
            )
            labels, values = [labels[i] for i in keep], [values[i] for i in keep]
        # Qt draws the first category at the bottom: reversed, the table's first row is on top.
        order = list(range(len(labels)))[::-1]
        series = QHorizontalStackedBarSeries()
        series.setBarWidth(0.7)
        for j, name in enumerate(cols):
            s = QBarSet(name)
            s.append([float(values[i][j]) for i in order])
            s.setColor(QColor(PALETTE[j % len(PALETTE)]))
            series.append(s)
        categories = [labels[i] for i in order]
        horizontal = True
    chart.addSeries(series)
    cat_axis = QBarCategoryAxis()
    cat_axis.append(categories)
    cat_axis.setTruncateLabels(False)  # Qt elides to "..." when it thinks space is short
    value_axis = QValueAxis()
    value_axis.setLabelFormat("%d")
    peak = 1.0
    for bar_set in series.barSets():
        peak = max(peak, *[bar_set.at(i) for i in range(bar_set.count())])
    if not isinstance(series, QBarSeries):  # stacked: the height of a whole bar
        n = max((b.count() for b in series.barSets()), default=0)
        peak = max([peak, *[sum(b.at(i) for b in series.barSets()) for i in range(n)]])
    value_axis.setRange(0, peak * 1.1)
    value_axis.applyNiceNumbers()
    if horizontal:
        chart.addAxis(cat_axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(cat_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(cat_axis)
    series.attachAxis(value_axis)
    return chart


class ReportsView(QWidget):
    """Pick a period and where to compute, see each table as a chart and as figures."""

    loaded = Signal()  # a report arrived and is shown (tests wait for it)
    exported = Signal(str)  # a file was written (its path)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: Report | None = None
        self._started = False
        today = dt.date.today()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading(tr("実績報告", "Activity report")))
        self.kind = named(QComboBox(), tr("期間の単位", "Period unit"))
        self.kind.addItem(tr("年度", "Fiscal year"), "fy")
        self.kind.addItem(tr("月", "Month"), "month")
        self.fy = named(QComboBox(), tr("年度", "Fiscal year"))
        this_fy = fiscal_year_of(today)
        for fy in range(this_fy, this_fy - 8, -1):
            self.fy.addItem(f"{fiscal_year_label(fy)}（{fy}）", fy)
        self.month = named(QComboBox(), tr("月", "Month"))
        self._fill_months(this_fy)
        self.source = named(QComboBox(), tr("集計の範囲", "Computed from"))
        self.source.addItem(
            tr("この端末のデータ（オフライン）", "This laptop's data (offline)"), "laptop"
        )
        self.source.addItem(
            tr("サーバーで集計（市全体・担当範囲）", "On the server (city / your scope)"), "server"
        )
        self.run_button = named(QPushButton(tr("集計", "Compute")), tr("集計する", "Compute"))
        for w in (self.kind, self.fy, self.month, self.source, self.run_button):
            top.addWidget(w)
        top.addStretch(1)
        layout.addLayout(top)

        bar = QHBoxLayout()
        self.table_pick = named(QComboBox(), tr("表", "Table"))
        self.table_pick.setMinimumWidth(360)
        self.outside = named(
            QCheckBox(tr("外部提供用（{n}未満を{h}で秘匿）", "For outside the office (hide counts under {n})")
                      .format(n=DEFAULT_THRESHOLD, h=HIDDEN)),
            tr("外部提供用", "For outside the office"),
        )  # fmt: skip
        self.xlsx_button = named(
            QPushButton(tr("Excelに保存", "Save as Excel")), tr("Excelに保存", "Save as Excel")
        )
        self.csv_button = named(
            QPushButton(tr("CSVに保存", "Save as CSV")), tr("CSVに保存", "Save as CSV")
        )
        bar.addWidget(QLabel(tr("表:", "Table:")))
        bar.addWidget(self.table_pick)
        bar.addWidget(self.outside)
        bar.addStretch(1)
        bar.addWidget(self.xlsx_button)
        bar.addWidget(self.csv_button)
        layout.addLayout(bar)

        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        split = QSplitter(Qt.Orientation.Vertical)
        self.chart_view = QChartView()
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)
        self.chart_view.setAccessibleName(tr("グラフ", "Chart"))
        self.grid = named(QTableWidget(), tr("集計表", "Figures"))
        self.grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.grid.verticalHeader().setVisible(False)
        base = table_view("_")  # the app's row height and header look
        self.grid.verticalHeader().setDefaultSectionSize(base.verticalHeader().defaultSectionSize())
        base.deleteLater()
        split.addWidget(self.chart_view)
        split.addWidget(self.grid)
        split.setSizes([330, 240])
        layout.addWidget(split, 1)
        self.figures = QLabel("")
        self.figures.setWordWrap(True)
        layout.addWidget(self.figures)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.fy.currentIndexChanged.connect(lambda _i: self._fill_months(self.fy.currentData()))
        self.run_button.clicked.connect(self.refresh)
        self.table_pick.currentIndexChanged.connect(lambda _i: self._show_table())
        self.outside.toggled.connect(lambda _b: self._show_table())
        self.xlsx_button.clicked.connect(lambda: self._ask_export("xlsx"))
        self.csv_button.clicked.connect(lambda: self._ask_export("csv"))
        self._kind_changed()
        self._set_enabled(False)

    # --- choosing -------------------------------------------------------------------------

    def _fill_months(self, fy: int) -> None:
        self.month.blockSignals(True)
        self.month.clear()
        for y, m in Period.fiscal_year(fy).months():
            self.month.addItem(month_label(y, m), f"{y:04d}-{m:02d}")
        self.month.blockSignals(False)

    def _kind_changed(self) -> None:
        self.month.setVisible(self.kind.currentData() == "month")

    def period(self) -> Period:
        if self.kind.currentData() == "month":
            return Period.parse(month=self.month.currentData())
        return Period.fiscal_year(int(self.fy.currentData()))

    def set_period(self, period: Period, source: str = "laptop") -> None:
        """Choose a period and source as a person would (tests, the CLI's equivalent)."""
        self.kind.setCurrentIndex(0 if period.kind == "fy" else 1)
        fy = fiscal_year_of(period.start)
        i = self.fy.findData(fy)
        if i < 0:
            self.fy.addItem(f"{fiscal_year_label(fy)}（{fy}）", fy)
            i = self.fy.count() - 1
        self.fy.setCurrentIndex(i)
        if period.kind == "month":
            self.month.setCurrentIndex(self.month.findData(period.code))
        self.source.setCurrentIndex(SOURCES.index(source))

    def activate(self) -> None:
        if not self._started:
            self._started = True
            self.refresh()

    # --- computing ------------------------------------------------------------------------

    def refresh(self) -> None:
        period, actor, lang = self.period(), self.ctx.actor, language()
        self.status.setText(tr("集計しています…", "Computing…"))
        self._set_enabled(False)
        self.run_button.setEnabled(False)
        if self.source.currentData() == "server":
            store = self.ctx.runner.store

            def fetch(_ctl: object) -> Report:
                assert store is not None
                return stats_service.fetch_server_report(store, actor, period, lang=lang)

            def audited(report: Report) -> None:
                self.ctx.runner.db(lambda s: stats_service.audit_viewed(s, actor, report))
                self._loaded(report)

            self.ctx.runner.run(fetch, audited, self._failed, lane="side")
        else:
            self.ctx.runner.db(
                lambda s: stats_service.compute_local(s, actor, period, lang=lang),
                self._loaded, self._failed,
            )  # fmt: skip

    def _failed(self, exc: BaseException) -> None:
        self.run_button.setEnabled(True)
        self.status.setText(tr("集計できませんでした。", "Could not compute the report."))
        show_error(self, exc)

    def _loaded(self, report: Report) -> None:
        self.report = report
        self.run_button.setEnabled(True)
        self._set_enabled(True)
        current = self.table_pick.currentData()
        self.table_pick.blockSignals(True)
        self.table_pick.clear()
        for t in report.tables:
            self.table_pick.addItem(t.title, t.key)
        i = self.table_pick.findData(current)
        self.table_pick.setCurrentIndex(max(i, 0))
        self.table_pick.blockSignals(False)
        self.status.setText("　".join([sheets.title(report), *sheets.header_lines(report, None)]))
        self._show_table()
        self.loaded.emit()

    def _set_enabled(self, on: bool) -> None:
        for w in (self.table_pick, self.outside, self.xlsx_button, self.csv_button):
            w.setEnabled(on)

    def show_table(self, key: str) -> None:
        self.table_pick.setCurrentIndex(self.table_pick.findData(key))

    def _threshold(self) -> int | None:
        return DEFAULT_THRESHOLD if self.outside.isChecked() else None

    def _show_table(self) -> None:
        if self.report is None:
            return
        key = self.table_pick.currentData()
        table = next((t for t in self.report.tables if t.key == key), self.report.tables[0])
        old = self.chart_view.chart()
        self.chart_view.setChart(build_chart(table))
        if old is not None:
            old.deleteLater()
        threshold = self._threshold()
        masked = suppress(table, threshold) if threshold else plain(table)
        grid = sheets.table_grid(masked)
        self.grid.clear()
        self.grid.setRowCount(len(grid) - 1)
        self.grid.setColumnCount(len(grid[0]))
        self.grid.setHorizontalHeaderLabels([str(h) for h in grid[0]])
        for r, row in enumerate(grid[1:]):
            for c, value in enumerate(row):
                item = QTableWidgetItem(f"{value:,}" if isinstance(value, int) else str(value))
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if (
                    table.col_totals
                    and r == len(grid) - 2
                    or (table.row_totals and c == len(row) - 1)
                ):
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                self.grid.setItem(r, c, item)
        self.grid.resizeColumnToContents(0)
        for c in range(1, len(grid[0])):
            self.grid.setColumnWidth(c, 84)
        note = table.note
        fig = sheets.figure_rows(self.report, threshold)
        total_col = len(fig[0]) - 1
        reply, done = fig[1][total_col], fig[2][total_col]
        self.figures.setText(
            tr("回答までの平均日数（計）: {a}日　期限到来分の完了率（計）: {b}％",
               "Mean days until reply (total): {a}  Tasks due, done (total): {b}%")
            .format(a=reply, b=done) + (f"　※{note}" if note else "")
        )  # fmt: skip

    # --- exporting ------------------------------------------------------------------------

    def _ask_export(self, fmt: str) -> None:
        if self.report is None:
            return
        suffix = "_外部提供用" if self.outside.isChecked() else ""
        name = f"実績報告_{self.report.period.code}{suffix}.{fmt}"
        chosen, _ = QFileDialog.getSaveFileName(
            self, tr("保存先", "Save as"), str(Path.home() / name),
            "Excel (*.xlsx)" if fmt == "xlsx" else "CSV (*.csv)",
        )  # fmt: skip
        if chosen:
            self.export_to(Path(chosen), fmt)

    def export_to(self, path: Path, fmt: str) -> None:
        """Write the shown report (small counts hidden when 外部提供用 is ticked); audited."""
        report, actor, threshold = self.report, self.ctx.actor, self._threshold()
        store = self.ctx.runner.store
        if report is None or store is None:
            return

        def work(_ctl: object) -> int:
            assert store is not None and report is not None
            return stats_service.export(store, actor, report, path, fmt, threshold=threshold)

        def done(_n: int) -> None:
            self.status.setText(tr("保存しました: {p}", "Saved {p}").format(p=str(path)))
            self.exported.emit(str(path))

        self.ctx.runner.run(work, done, self._export_failed)

    def _export_failed(self, exc: BaseException) -> None:
        show_error(self, exc)
