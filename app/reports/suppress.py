"""Small-count suppression (秘匿処理) for tables that leave the office.

Rule, applied per table:

1. Primary: every count from 1 to ``threshold - 1`` (default 5, i.e. 1–4) is hidden, totals
   included. Zeros stay visible (a zero names nobody).
2. Secondary (complementary): a row's cells add up to its 計, a column's to its 合計. Any
   such line holding exactly one hidden entry would give it back by subtraction, so one more
   entry of that line is hidden: its smallest non-zero visible cell, else its total. This is
   repeated until every line has no hidden entry or at least two.

The same hidden cells apply to every format (Excel, CSV, the screen's "outside" preview).
Means that describe fewer than ``threshold`` rows (the mean reply time of 3 referrals) are
hidden too. Limitation, said plainly: the rule works table by table; a count that appears in
two tables (new cases per district in 月別 and in ケース数) is suppressed by the same primary
rule in both, but the complementary choices are made per table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.protocol.reports import CountTable, Report

DEFAULT_THRESHOLD = 5
HIDDEN = "＊"

Pos = tuple[int, int]  # (row, col); row == n_rows: the 合計 row; col == n_cols: the 計 column


@dataclass(frozen=True)
class Masked:
    """A table as it is printed: ``None`` where a value is hidden."""

    table: CountTable
    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]  # empty unless table.row_totals
    col_totals: tuple[int | None, ...]  # empty unless table.col_totals
    grand_total: int | None  # None if hidden or not shown
    hidden: int  # how many entries are hidden

    @property
    def shows_grand_total(self) -> bool:
        return self.table.row_totals and self.table.col_totals


def plain(table: CountTable) -> Masked:
    """Nothing hidden (for use inside the office)."""
    return _masked(table, set())


def suppress(table: CountTable, threshold: int = DEFAULT_THRESHOLD) -> Masked:
    if threshold < 2:
        return plain(table)
    nr, nc = len(table.rows), len(table.columns)
    value: dict[Pos, int] = {}
    for i in range(nr):
        for j in range(nc):
            value[(i, j)] = table.values[i][j]
    if table.row_totals:
        for i in range(nr):
            value[(i, nc)] = table.row_sum(i)
    if table.col_totals:
        for j in range(nc):
            value[(nr, j)] = table.col_sum(j)
    if table.row_totals and table.col_totals:
        value[(nr, nc)] = table.grand_total()
    lines: list[list[Pos]] = []
    if table.row_totals:
        lines += [[(i, j) for j in range(nc + 1)] for i in range(nr)]
        if table.col_totals:
            lines.append([(nr, j) for j in range(nc + 1)])
    if table.col_totals:
        lines += [[(i, j) for i in range(nr + 1)] for j in range(nc)]
        if table.row_totals:
            lines.append([(i, nc) for i in range(nr + 1)])
    hidden = {p for p, v in value.items() if 0 < v < threshold}
    changed = True
    while changed:
        changed = False
        for line in lines:
            inside = [p for p in line if p in hidden]
            if len(inside) != 1:
                continue
            shown = [p for p in line if p not in hidden]
            if not shown:
                continue
            positive = [p for p in shown if value[p] > 0]
            total = line[-1]
            pick = min(positive, key=lambda p: (value[p], p == total, p)) if positive else total
            if pick in hidden:  # the total itself is hidden and nothing else is left
                pick = shown[0]
            hidden.add(pick)
            changed = True
    return _masked(table, hidden)


def _masked(table: CountTable, hidden: set[Pos]) -> Masked:
    nr, nc = len(table.rows), len(table.columns)

    def show(p: Pos, v: int) -> int | None:
        return None if p in hidden else v

    cells = tuple(tuple(show((i, j), table.values[i][j]) for j in range(nc)) for i in range(nr))
    rt = tuple(show((i, nc), table.row_sum(i)) for i in range(nr)) if table.row_totals else ()
    ct = tuple(show((nr, j), table.col_sum(j)) for j in range(nc)) if table.col_totals else ()
    grand = show((nr, nc), table.grand_total()) if table.row_totals and table.col_totals else None
    return Masked(table, cells, rt, ct, grand, len(hidden))


def mean_shown(mean: float | None, count: int, threshold: int | None) -> float | None:
    """A mean over ``count`` rows, hidden (None) when ``count`` is under the threshold."""
    if mean is None or (threshold and threshold >= 2 and count < threshold):
        return None
    return mean


def masked_json(report: Report, threshold: int) -> list[dict[str, Any]]:
    """The report's tables as ``Report.as_dict`` gives them, hidden entries as null, with the
    totals as printed (``row_totals_shown``, ``col_totals_shown``, ``grand_total_shown``)."""
    out: list[dict[str, Any]] = []
    for t in report.tables:
        m = suppress(t, threshold)
        d = t.as_dict()
        d["values"] = [list(r) for r in m.cells]
        d["row_totals_shown"] = list(m.row_totals)
        d["col_totals_shown"] = list(m.col_totals)
        d["grand_total_shown"] = m.grand_total
        d["hidden"] = m.hidden
        out.append(d)
    return out
