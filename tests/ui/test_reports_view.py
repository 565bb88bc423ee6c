"""実績報告 screen: real Qt widgets offscreen, the real controller and an encrypted database
with generated data. Numbers on screen match Python's own counts; charts are built; the
outside-the-office preview hides small counts; export writes an audited .xlsx; a screenshot
at 1366x768 is saved under screenshots/."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.protocol.periods import Period
from app.reports.suppress import HIDDEN
from app.storage.db import Store
from app.storage.models import AuditEvent
from tests.reports.statsdata import expected, generate
from tests.ui.conftest import unlock

ROOT = Path(__file__).resolve().parents[2]
FY = Period.fiscal_year(2026)


@pytest.fixture
def report_db(store: Store, actor) -> tuple[Path, object]:
    g = generate(store, 2000, seed=9)
    path = store.path
    store.lock()
    return path, g


def _open(qtbot, make_controller, report_db, passphrase):
    path, g = report_db
    controller = make_controller(path)
    window = unlock(qtbot, controller, passphrase)
    return controller, window, g


def _grid(view) -> list[list[str]]:
    g = view.grid
    return [[g.item(r, c).text() for c in range(g.columnCount())] for r in range(g.rowCount())]


def test_report_view_shows_counts_charts_and_exports(
    qtbot, make_controller, report_db, passphrase, tmp_path
):
    controller, window, g = _open(qtbot, make_controller, report_db, passphrase)
    assert "reports" in window.order  # a coordinator has the page
    view = window.page("reports")
    view.set_period(FY)
    with qtbot.waitSignal(view.loaded, timeout=30_000):
        window.show_page("reports")
    if view.report.period != FY:  # the first activation computed this year's
        with qtbot.waitSignal(view.loaded, timeout=30_000):
            view.refresh()
    assert view.report.period == FY
    want = expected(g, FY.start, FY.end, dt.date.today())
    # The cases table on screen: 新規受付 row, one column per district, then 計.
    rows = _grid(view)
    header = [view.grid.horizontalHeaderItem(c).text() for c in range(view.grid.columnCount())]
    assert header[:7] == ["区分", "中央", "小田", "大庄", "立花", "武庫", "園田"]
    new = rows[0]
    assert new[0] == "新規受付"
    assert [int(v.replace(",", "")) for v in new[1:7]] == [
        want["cases"][("new", code)]
        for code in ("chuo", "oda", "osho", "tachibana", "muko", "sonoda")
    ]
    assert int(new[-1].replace(",", "")) == sum(
        v for (r, _d), v in want["cases"].items() if r == "new"
    )
    chart = view.chart_view.chart()
    assert chart.title() == "ケース数（新規・継続・終結）" and len(chart.series()) == 1
    assert len(chart.series()[0].barSets()) == 3  # new / ongoing / closed, side by side
    # Every table draws a chart; the contacts table matches the counts too.
    for i in range(view.table_pick.count()):
        view.table_pick.setCurrentIndex(i)
        assert view.chart_view.chart().series()
    view.show_table("contacts")
    by_kind = Counter()
    for (kind, _d), v in want["contacts"].items():
        by_kind[kind] += v
    shown = {r[0]: int(r[-1].replace(",", "")) for r in _grid(view)[:-1]}
    assert shown["訪問"] == by_kind["visit"] and shown["電話"] == by_kind["phone"]
    # Outside the office: small counts become ＊ in the preview.
    view.show_table("referral_agency")
    plain_cells = [c for r in _grid(view) for c in r[1:]]
    assert any(c.isdigit() and 0 < int(c) < 5 for c in plain_cells)
    view.outside.setChecked(True)
    hidden_cells = [c for r in _grid(view) for c in r[1:]]
    assert HIDDEN in hidden_cells
    assert not any(
        c.replace(",", "").isdigit() and 0 < int(c.replace(",", "")) < 5 for c in hidden_cells
    )

    # Screenshot of the report with its chart at 1366x768 (a laptop screen).
    view.outside.setChecked(False)
    view.show_table("cases")
    window.resize(1366, 768)
    qtbot.wait(50)
    shots = ROOT / "screenshots"
    shots.mkdir(exist_ok=True)
    assert window.grab().save(str(shots / "reports_cases_1366x768.png"))
    view.show_table("new_by_month")
    qtbot.wait(20)
    assert window.grab().save(str(shots / "reports_months_1366x768.png"))
    view.show_table("categories")
    qtbot.wait(20)
    assert window.grab().save(str(shots / "reports_categories_1366x768.png"))
    view.show_table("referral_agency")
    qtbot.wait(20)
    assert window.grab().save(str(shots / "reports_agencies_1366x768.png"))
    assert view.minimumSizeHint().width() <= 1366 - 220 and view.minimumSizeHint().height() <= 700

    # Export, as the buttons do after the file dialog: audited, readable.
    out = tmp_path / "実績.xlsx"
    view.outside.setChecked(True)
    with qtbot.waitSignal(view.exported, timeout=30_000):
        view.export_to(out, "xlsx")
    ws = load_workbook(out).active
    assert ws["A1"].value == "重層的支援体制整備事業 実績報告（令和8年度）"
    seen = []
    controller.runner.db(
        lambda s: [d for (d,) in s.execute(select(AuditEvent.detail).where(
            AuditEvent.entity == "report"))], seen.extend)  # fmt: skip
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    assert any(d.endswith("format=xlsx suppressed=5") for d in seen)
    assert any(d == "report period=fy2026 scope=laptop" for d in seen)


def test_outreach_worker_has_no_report_page(qtbot, make_controller, store, passphrase):
    from app.services.profile import set_profile_user

    with store.session() as s:
        set_profile_user(s, name="訪問 一郎", role="outreach", login="w1")
    path = store.path
    store.lock()
    controller = make_controller(path)
    window = unlock(qtbot, controller, passphrase)
    assert "reports" not in window.order


@pytest.mark.slow
def test_report_view_computed_on_a_real_server(qtbot, tmp_path, ui_settings):
    """The 'サーバーで集計' source: fetched on the side lane from a real server process, the
    same tables as the laptop's own computation over what it holds, and audited."""
    from app.domain.records import Actor
    from app.domain.seed import district_id
    from app.protocol import reports as stats
    from app.reports.stats_service import VOCAB
    from app.services.profile import current_actor
    from tests.serverproc import running_server
    from tests.sync.helpers import queue_everything
    from tests.sync.server_side import Admin
    from tests.sync.world import new_laptop
    from ui.context import UiContext
    from ui.tasks import TaskRunner
    from ui.views.reports import ReportsView

    with running_server(tmp_path / "srv") as srv:
        admin = Admin.create(srv, "uireportadmin")
        loader = new_laptop(admin, tmp_path, "uiloader", "admin")
        generate(loader.store, 300, seed=4, deleted=0)
        queue_everything(loader.store, ["case", "referral", "contact_record", "support_meeting",
                                        "meeting_case", "role_assignment"])  # fmt: skip
        assert loader.sync().rejected == 0
        coord = new_laptop(admin, tmp_path, "uicoord", "coordinator",
                           district_ids=[district_id("muko")])  # fmt: skip
        coord.sync()
        try:
            with coord.store.session() as s:
                actor: Actor = current_actor(s)
            assert actor.role == "coordinator"
            runner = TaskRunner(coord.store)
            ctx = UiContext(runner=runner, settings=ui_settings, db_path=coord.path, actor=actor)
            view = ReportsView(ctx)
            qtbot.addWidget(view)
            view.set_period(FY, source="server")
            with qtbot.waitSignal(view.loaded, timeout=60_000):
                view.refresh()
            assert view.report.scope == "server:scope"
            with coord.store.session() as s:
                mine = stats.compute(s, stats.laptop_source(), FY, vocab=VOCAB)
            assert view.report.tables == mine.tables
            assert view.report.table("cases").value("new", "muko") > 0
            assert view.report.table("cases").value("new", "chuo") == 0
            runner.wait_idle()
            qtbot.waitUntil(lambda: runner.pending == 0, timeout=10_000)
            with coord.store.session() as s:
                details = [d for (d,) in s.execute(select(AuditEvent.detail).where(
                    AuditEvent.entity == "report", AuditEvent.action == "view"))]  # fmt: skip
            assert details == ["report period=fy2026 scope=server:scope"]
        finally:
            loader.close(), coord.close()
