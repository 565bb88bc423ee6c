"""実績報告 files: Excel opened back with openpyxl, CSV read back, small-count suppression,
the audit trail, and ``yorisoi report`` on a real encrypted database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.cli.main import run
from app.domain.errors import PermissionDenied, ValidationError
from app.domain.records import Actor
from app.protocol import reports as stats
from app.protocol.periods import Period
from app.reports import stats_service
from app.reports.suppress import HIDDEN, suppress
from app.storage.db import Store
from app.storage.models import AuditEvent
from tests.conftest import PASSPHRASE
from tests.reports.statsdata import generate

AS_OF = dt.date(2026, 12, 1)
FY = Period.fiscal_year(2026)


def _table(values, *, row_totals=True, col_totals=True) -> stats.CountTable:
    rows = tuple((f"r{i}", f"行{i}") for i in range(len(values)))
    cols = tuple((f"c{j}", f"地区{j}") for j in range(len(values[0])))
    return stats.CountTable(
        "t", "表", rows, cols, tuple(map(tuple, values)), row_totals, col_totals
    )


def _recoverable(m) -> list[tuple[int, int]]:
    """Hidden cells that a reader can compute back from one additive line (row or column)
    whose other entries are all shown."""
    t = m.table
    nr, nc = len(t.rows), len(t.columns)
    grid = {(i, j): m.cells[i][j] for i in range(nr) for j in range(nc)}
    if t.row_totals:
        grid |= {(i, nc): m.row_totals[i] for i in range(nr)}
    if t.col_totals:
        grid |= {(nr, j): m.col_totals[j] for j in range(nc)}
    if t.row_totals and t.col_totals:
        grid[(nr, nc)] = m.grand_total
    lines = []
    if t.row_totals:
        lines += [[(i, j) for j in range(nc + 1)] for i in range(nr + (1 if t.col_totals else 0))]
    if t.col_totals:
        lines += [[(i, j) for i in range(nr + 1)] for j in range(nc + (1 if t.row_totals else 0))]
    return [p for line in lines for p in line
            if grid[p] is None and sum(grid[q] is None for q in line) == 1]  # fmt: skip


def test_suppression_hides_small_counts_and_what_gives_them_back():
    t = _table([[3, 10, 12], [7, 8, 9], [0, 20, 1]])
    m = suppress(t, 5)
    assert m.cells[0][0] is None and m.cells[2][2] is None  # 3 and 1: primary
    assert m.cells[2][0] == 0  # zeros stay
    assert _recoverable(m) == []
    # Every hidden value is consistent with what is shown only as part of a pair or more.
    assert m.hidden >= 4


@pytest.mark.parametrize("seed", range(30))
def test_no_hidden_cell_can_be_worked_back_from_one_line(seed):
    import random

    rnd = random.Random(seed)
    nr, nc = rnd.randint(1, 6), rnd.randint(1, 7)
    values = [[rnd.choice((0, 0, 1, 2, 4, 5, 6, 9, 30)) for _ in range(nc)] for _ in range(nr)]
    for rt, ct in itertools.product((True, False), repeat=2):
        m = suppress(_table(values, row_totals=rt, col_totals=ct), 5)
        assert _recoverable(m) == [], (values, rt, ct)
        for i, j in itertools.product(range(nr), range(nc)):
            if 0 < values[i][j] < 5:
                assert m.cells[i][j] is None
            elif m.cells[i][j] is not None:
                assert m.cells[i][j] == values[i][j]


@pytest.fixture
def coordinator_report(store: Store, actor: Actor) -> stats.Report:
    generate(store, 400, seed=3)
    return stats_service.local_report(store, actor, FY, as_of=AS_OF)


def _exports(store: Store) -> list[str]:
    with store.session() as s:
        return [d for (d,) in s.execute(select(AuditEvent.detail).where(
            AuditEvent.entity == "report", AuditEvent.action == "export"))]  # fmt: skip


def test_excel_file_reads_back_with_headings_values_and_borders(
    store, actor, coordinator_report, tmp_path
):
    path = tmp_path / "実績.xlsx"
    stats_service.export(store, actor, coordinator_report, path)
    ws = load_workbook(path).active
    assert ws["A1"].value == "重層的支援体制整備事業 実績報告（令和8年度）"
    assert "令和8年4月1日" in ws["A2"].value and "令和9年3月31日" in ws["A2"].value
    cells = {(c.row, c.column): c for row in ws.iter_rows() for c in row if c.value is not None}
    by_text = {c.value: c for c in cells.values() if isinstance(c.value, str)}
    head = by_text["ケース数（新規・継続・終結）"]
    header = [ws.cell(head.row + 1, col).value for col in range(1, 10)]
    assert header[:8] == ["区分", "中央", "小田", "大庄", "立花", "武庫", "園田", "地区未設定"]
    assert header[8] == "計"
    new_row = [ws.cell(head.row + 2, col).value for col in range(1, 10)]
    t = coordinator_report.table("cases")
    assert new_row[0] == "新規受付"
    assert new_row[1:8] == list(t.values[0]) and new_row[8] == sum(t.values[0])
    assert ws.cell(head.row + 2, 2).border.left.style == "thin"
    assert ws.cell(head.row + 1, 2).font.bold
    # Month rows carry 和暦 labels and a bold 合計 row equal to the year's new cases.
    month = by_text["月別新規受付件数"]
    assert ws.cell(month.row + 2, 1).value == "令和8年4月"
    total_row = month.row + 2 + 12
    assert ws.cell(total_row, 1).value == "合計" and ws.cell(total_row, 1).font.bold
    assert ws.cell(total_row, 9).value == t.value("new", stats.TOTAL)
    assert ws.column_dimensions["A"].width >= 30
    assert _exports(store) == ["report period=fy2026 scope=laptop format=xlsx suppressed=0"]


def test_excel_for_outside_hides_small_counts(store, actor, coordinator_report, tmp_path):
    path = tmp_path / "外部提供.xlsx"
    stats_service.export(store, actor, coordinator_report, path, threshold=5)
    ws = load_workbook(path).active
    texts = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert any(isinstance(v, str) and v.startswith(f"{HIDDEN}: 5未満") for v in texts)
    ints = [v for v in texts if isinstance(v, int)]
    assert ints and all(v == 0 or v >= 5 for v in ints)  # no 1-4 anywhere
    assert texts.count(HIDDEN) > 0
    # The plain file of the same report does show the small counts.
    plain = tmp_path / "内部.xlsx"
    stats_service.export(store, actor, coordinator_report, plain)
    ws2 = load_workbook(plain).active
    assert any(isinstance(c.value, int) and 0 < c.value < 5 for r in ws2.iter_rows() for c in r)
    assert _exports(store)[0].endswith("suppressed=5")


def test_csv_is_utf8_with_bom_and_reads_back(store, actor, coordinator_report, tmp_path):
    path = tmp_path / "実績.csv"
    stats_service.export(store, actor, coordinator_report, path, threshold=5)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["重層的支援体制整備事業 実績報告（令和8年度）"]
    i = rows.index(["つなぎの状況別件数"])
    assert rows[i + 1][:2] == ["区分", "中央"]
    want = suppress(coordinator_report.table("referral_status"), 5)
    for k, (_code, label) in enumerate(coordinator_report.table("referral_status").rows):
        line = rows[i + 2 + k]
        assert line[0] == label
        assert line[1:-1] == [HIDDEN if v is None else str(v) for v in want.cells[k]]


def test_export_refuses_other_formats_and_missing_folders(
    store, actor, coordinator_report, tmp_path
):
    with pytest.raises(ValidationError, match="xlsx"):
        stats_service.export(store, actor, coordinator_report, tmp_path / "x.pdf")
    with pytest.raises(ValidationError):
        stats_service.export(store, actor, coordinator_report, tmp_path / "no" / "x.csv")
    assert _exports(store) == []


def test_outreach_workers_get_no_report(store):
    with pytest.raises(PermissionDenied):
        stats_service.local_report(store, Actor("s1", "試験", role="outreach"), FY)


def test_cli_report_json_and_files(store, actor, tmp_path, monkeypatch, capsys):
    g = generate(store, 300, seed=5)
    monkeypatch.setenv("YORISOI_PASSPHRASE", PASSPHRASE)
    xlsx, csv_path = tmp_path / "r.xlsx", tmp_path / "r.csv"
    code = run(["--db", str(store.path), "report", "--fy", "2026", "--as-of", "2026-12-01",
                "--xlsx", str(xlsx), "--csv", str(csv_path), "--suppress", "--json"])  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["period"]["label"] == "令和8年度" and out["suppressed_below"] == 5
    assert {f["format"] for f in out["files"]} == {"xlsx", "csv"} and xlsx.exists()
    cases = next(t for t in out["tables"] if t["key"] == "cases")
    new_visible = sum(1 for c in g.cases if not c["deleted"] and c["opened_on"]
                      and FY.start <= c["opened_on"] <= FY.end)  # fmt: skip
    shown = cases["row_totals_shown"][0]
    assert shown is None or shown == new_visible
    assert all(v is None or v == 0 or v >= 5 for row in cases["values"] for v in row)
    # Plain text without --json; a bad month is one line and exit code 2.
    assert run(["--db", str(store.path), "report", "--month", "2026-05"]) == 0
    assert "令和8年5月" in capsys.readouterr().out
    assert run(["--db", str(store.path), "report", "--suppress", "1", "--json"]) == 2
    assert "2〜100" in capsys.readouterr().err
    assert run(["--db", str(store.path), "report", "--month", "5月"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "YYYY-MM" in err[0]
