"""実績報告 as files: Excel (.xlsx, openpyxl) laid out as a city office files it, and CSV
(UTF-8 with BOM, so Excel opens the Japanese correctly). Pure functions of a Report: no
database, no audit (app.reports.stats_service writes the audit event).

Only aggregate tables can be written: every cell is a count (``CountTable``) or a mean, and
row and column labels are master data (districts, agencies, vocabularies, months). With
``threshold`` the small counts are hidden (app.reports.suppress) for use outside the office.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from app.i18n import pick
from app.protocol.reports import TOTAL, Report
from app.reports.dates import wareki
from app.reports.suppress import HIDDEN, Masked, mean_shown, plain, suppress

SCOPE_LABELS = {
    "laptop": ("この端末が保持するデータ", "Data held on this laptop"),
    "server:all": ("サーバー（市全体）", "Server (whole city)"),
    "server:scope": ("サーバー（担当範囲）", "Server (your scope)"),
}


def scope_label(scope: str, lang: str | None = None) -> str:
    ja, en = SCOPE_LABELS.get(scope, (scope, scope))
    return pick(ja, en, lang)


def title(report: Report, lang: str | None = None) -> str:
    return pick(f"重層的支援体制整備事業 実績報告（{report.period.label}）",
                f"Multi-layered support: activity report ({report.period.label})", lang)  # fmt: skip


def header_lines(report: Report, threshold: int | None, lang: str | None = None) -> list[str]:
    p = report.period
    lines = [
        pick(f"対象期間: {wareki(p.start)}〜{wareki(p.end)}", f"Period: {p.start} to {p.end}", lang),
        pick(f"作成日: {wareki(report.as_of)}　集計範囲: {scope_label(report.scope, lang)}",
             f"As of: {report.as_of}  Scope: {scope_label(report.scope, lang)}", lang),
    ]  # fmt: skip
    if threshold:
        lines.append(pick(
            f"{HIDDEN}: {threshold}未満の件数、またはそれを合計から逆算できないよう伏せた件数（秘匿処理）",
            f"{HIDDEN}: counts under {threshold}, or hidden so that they cannot be worked back "
            "from the totals (small-count suppression)", lang))  # fmt: skip
    return lines


def masked_tables(report: Report, threshold: int | None) -> list[Masked]:
    return [suppress(t, threshold) if threshold else plain(t) for t in report.tables]


def _cell(v: int | None) -> int | str:
    return HIDDEN if v is None else v


def table_grid(m: Masked, lang: str | None = None) -> list[list[int | str]]:
    """Header row, body rows and the 合計 row, as printed (strings for headings)."""
    t = m.table
    head: list[int | str] = [pick("区分", "Item", lang), *[name for _c, name in t.columns]]
    if t.row_totals:
        head.append(pick("計", "Total", lang))
    out: list[list[int | str]] = [head]
    for i, (_code, label) in enumerate(t.rows):
        row: list[int | str] = [label, *[_cell(v) for v in m.cells[i]]]
        if t.row_totals:
            row.append(_cell(m.row_totals[i]))
        out.append(row)
    if t.col_totals:
        total: list[int | str] = [pick("合計", "Total", lang), *[_cell(v) for v in m.col_totals]]
        if t.row_totals:
            total.append(_cell(m.grand_total))
        out.append(total)
    return out


def figure_rows(report: Report, threshold: int | None, lang: str | None = None) -> list[list[int | str | float]]:  # fmt: skip
    """The means (not counts): reply days and the task completion share, by district."""
    cols = [c for c, _n in report.tables[0].columns]
    names = [n for _c, n in report.tables[0].columns]
    f = report.figures

    def val(key: str, count_key: str, col: str, scale: float = 1.0) -> int | str | float:
        mean = f.get(key, {}).get(col)
        count = int(f.get(count_key, {}).get(col) or 0)
        shown = mean_shown(mean, count, threshold)
        if shown is None:
            return HIDDEN if mean is not None else "－"
        return round(shown * scale, 1)

    head: list[int | str | float] = [pick("区分", "Item", lang), *names, pick("計", "Total", lang)]
    return [
        head,
        [pick("回答までの平均日数", "Mean days until reply", lang),
         *[val("reply_days_mean", "reply_count", c) for c in [*cols, TOTAL]]],
        [pick("役割分担の期限内完了率（％）", "Tasks done on time (%)", lang),
         *[val("tasks_on_time_rate", "tasks_due_count", c, 100.0) for c in [*cols, TOTAL]]],
    ]  # fmt: skip


def sections(report: Report, threshold: int | None, lang: str | None = None) -> Iterator[tuple[str, str, list[list[int | str | float]]]]:  # fmt: skip
    """(title, note, grid) for every table, then the means."""
    for m in masked_tables(report, threshold):
        yield m.table.title, m.table.note, table_grid(m, lang)  # type: ignore[misc]
    yield pick("平均値", "Means", lang), "", figure_rows(report, threshold, lang)


# --- CSV ---------------------------------------------------------------------------------------


def csv_bytes(report: Report, threshold: int | None = None, lang: str | None = None) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([title(report, lang)])
    for line in header_lines(report, threshold, lang):
        w.writerow([line])
    for name, note, grid in sections(report, threshold, lang):
        w.writerow([])
        w.writerow([name])
        w.writerows(grid)
        if note:
            w.writerow([note])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


# --- Excel -------------------------------------------------------------------------------------


def xlsx_bytes(report: Report, threshold: int | None = None, lang: str | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = pick("実績報告", "Report", lang)
    font = "IPAexGothic"
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="DDE7F0")
    total_fill = PatternFill("solid", fgColor="F2F2F2")
    ws.cell(1, 1, title(report, lang)).font = Font(name=font, size=14, bold=True)
    r = 2
    for line in header_lines(report, threshold, lang):
        ws.cell(r, 1, line).font = Font(name=font, size=10)
        r += 1
    width = 1
    for name, note, grid in sections(report, threshold, lang):
        r += 1
        ws.cell(r, 1, name).font = Font(name=font, size=11, bold=True)
        r += 1
        last = len(grid) - 1
        has_total = str(grid[-1][0]) in ("合計", "Total")
        for gi, row in enumerate(grid):
            width = max(width, len(row))
            for ci, v in enumerate(row, start=1):
                cell = ws.cell(r, ci, v)
                cell.border = border
                cell.font = Font(name=font, size=10, bold=gi == 0 or (has_total and gi == last))
                if gi == 0:
                    cell.fill = head_fill
                    cell.alignment = Alignment(
                        horizontal="center", vertical="center", wrap_text=True
                    )
                elif ci == 1:
                    cell.alignment = Alignment(horizontal="left")
                else:
                    cell.alignment = Alignment(horizontal="right")
                    if isinstance(v, int):
                        cell.number_format = "#,##0"
                if has_total and gi == last:
                    cell.fill = total_fill
            r += 1
        if note:
            ws.cell(r, 1, note).font = Font(name=font, size=9, italic=True)
            r += 1
    ws.column_dimensions["A"].width = 34
    for ci in range(2, width + 1):
        ws.column_dimensions[get_column_letter(ci)].width = 10
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "&P / &N"
    wb.properties.title = title(report, lang)
    wb.properties.creator = "Yorisoi"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render(
    report: Report, fmt: str, threshold: int | None = None, lang: str | None = None
) -> bytes:
    """The file's bytes for ``fmt`` ("xlsx" or "csv")."""
    if fmt == "xlsx":
        return xlsx_bytes(report, threshold, lang)
    if fmt == "csv":
        return csv_bytes(report, threshold, lang)
    raise ValueError(fmt)
