"""実績報告 on a real server process (SQLite and PostgreSQL) agrees with the laptop's own
computation over what the laptop holds after a sync: an administrator (whole city) and a
coordinator of two districts (their scope). Both are checked against counts computed in
Python from the generated rows as well."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cli.main import run
from app.domain.seed import agency_id, district_id
from app.protocol import reports as stats
from app.protocol.periods import Period
from app.reports.stats_service import report_vocab
from app.storage.db import Store
from app.sync import state
from tests.reports.statsdata import Generated, expected, generate
from tests.serverproc import ServerProc, client_headers, running_server
from tests.sync.helpers import PASSPHRASE, queue_everything
from tests.sync.server_side import Admin
from tests.sync.world import new_laptop

AS_OF = dt.date(2026, 12, 1)
TABLES = ["case", "referral", "contact_record", "support_meeting", "meeting_case",
          "role_assignment"]  # fmt: skip
KEYS = ("cases", "new_by_month", "categories", "referral_agency", "referral_status",
        "referral_reply", "contacts", "meetings", "tasks")  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request, tmp_path: Path) -> Iterator[ServerProc]:
    if request.param == "sqlite":
        with running_server(tmp_path / "srv") as srv:
            yield srv
        return
    from tests.server.conftest import _pg_connect

    try:
        conn = _pg_connect()
    except Exception:
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432")
    name = f"yorisoi_reports_{uuid.uuid4().hex[:10]}"
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        with running_server(tmp_path / "srv", database_url=url) as srv:
            yield srv
    finally:
        with _pg_connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_report(srv: ServerProc, store: Store, period: Period) -> tuple[int, dict]:
    enrollment = state.enrollment(store)
    assert enrollment is not None
    r = httpx.get(f"{srv.api}/reports/summary", params={**period.query(), "as_of": AS_OF.isoformat()},
                  headers=client_headers(enrollment.token), timeout=60)  # fmt: skip
    return r.status_code, r.json()


def local(store: Store, period: Period) -> stats.Report:
    with store.session() as s:
        return stats.compute(s, stats.laptop_source(), period, as_of=AS_OF, vocab=report_vocab(s))


def tombstone(store: Store, g: Generated) -> None:
    """Delete (tombstone) a few cases, contacts, meeting links and meetings through the ORM,
    so the outbox carries the deletions to the server."""
    from app.storage import models as m

    picks = [(m.Case, g.cases[::50]), (m.ContactRecord, g.contacts[::40]),
             (m.MeetingCase, g.meeting_cases[::4]), (m.SupportMeeting, g.meetings[::5])]  # fmt: skip
    with store.session() as s:
        for model, rows in picks:
            for row in rows:
                obj = s.get(model, row["id"])
                assert obj is not None
                obj.deleted = True
                row["deleted"] = True


def counter(report: stats.Report, key: str) -> Counter[tuple[str, str]]:
    t = report.table(key)
    return Counter({(r, c): v for (r, _), vals in zip(t.rows, t.values, strict=True)
                    for (c, _), v in zip(t.columns, vals, strict=True) if v})  # fmt: skip


@pytest.mark.slow
def test_server_and_laptop_reports_agree(
    server: ServerProc, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    admin = Admin.create(server, "reportadmin")
    loader = new_laptop(admin, tmp_path, "loader", "admin")
    g = generate(loader.store, 500, seed=21, deleted=0)  # inserts only: pushed as typed
    queue_everything(loader.store, TABLES)
    assert loader.sync().rejected == 0
    tombstone(loader.store, g)  # then some rows are deleted as a person deletes them
    assert loader.sync().rejected == 0
    mine = [district_id("chuo"), district_id("oda")]
    coord = new_laptop(admin, tmp_path, "coord", "coordinator", district_ids=mine)
    coord.sync()
    outreach = new_laptop(admin, tmp_path, "worker", "outreach")
    try:
        for period in (Period.fiscal_year(2026), Period.month(2026, 6)):
            for lap in (loader, coord):
                status, body = server_report(server, lap.store, period)
                assert status == 200, body
                remote = stats.Report.from_dict(body["report"])
                mine_local = local(lap.store, period)
                assert remote.scope == ("server:all" if lap is loader else "server:scope")
                assert remote.tables == mine_local.tables, (lap.login, period)
                assert remote.figures == mine_local.figures
            # And both against Python's own counts.
            want_all = expected(g, period.start, period.end, AS_OF)
            visible = {
                c["id"]
                for c in g.cases
                if c["district_id"] in mine
                and (c["consent_status"] == "given" or c["lead_agency_id"] == agency_id("suishin"))
            }
            want_coord = expected(g, period.start, period.end, AS_OF, visible=visible)
            all_report, coord_report = local(loader.store, period), local(coord.store, period)
            for key in KEYS:
                assert counter(all_report, key) == want_all.get(key, Counter()), key
                assert counter(coord_report, key) == want_coord.get(key, Counter()), key
        fy = Period.fiscal_year(2026)
        coord_new = local(coord.store, fy).table("cases")
        assert coord_new.value("new", "chuo") > 0 and coord_new.value("new", "muko") == 0
        assert local(loader.store, fy).table("cases").value("new", "muko") > 0
        status, body = server_report(server, outreach.store, fy)
        assert status == 403 and body["error"] == "forbidden"
        # A bad period is a 422 with a message, not a 500.
        token = state.enrollment(coord.store).token  # type: ignore[union-attr]
        bad = httpx.get(f"{server.api}/reports/summary", params={"month": "2026-13"},
                        headers=client_headers(token), timeout=30)  # fmt: skip
        assert bad.status_code == 422 and bad.json()["message_ja"]
        # The CLI asks the server the same question (yorisoi report --server --json).
        monkeypatch.setenv("YORISOI_PASSPHRASE", PASSPHRASE)
        argv = ["--db", str(coord.path), "report", "--server", "--fy", "2026",
                "--as-of", AS_OF.isoformat(), "--json"]  # fmt: skip
        assert run(argv) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["scope"] == "server:scope"
        got = {t["key"]: t["values"] for t in out["tables"]}
        assert got == {t.key: [list(v) for v in t.values] for t in local(coord.store, fy).tables}
        # An administrator adds an issue category (master data); the laptops get it at their
        # next sync, cases are marked with it, and server and laptops count it alike.
        made = httpx.put(f"{server.api}/admin/master/issue_category",
                         headers=client_headers(admin.token), timeout=30,
                         json={"code": "gambling", "name": "ギャンブル", "name_en": "Gambling",
                               "sort_order": 30})  # fmt: skip
        assert made.status_code == 200, made.text
        loader.sync()
        from app.storage import models as m

        marked = [c for c in g.cases if not c["deleted"] and c["district_id"] in mine
                  and c["id"] in visible and c["opened_on"]
                  and fy.start <= c["opened_on"] <= fy.end][:7]  # fmt: skip
        with loader.store.session() as s:
            for c in marked:
                row = s.get(m.Case, c["id"])
                assert row is not None
                row.issue_categories = [*row.issue_categories, "gambling"]
        assert loader.sync().rejected == 0
        coord.sync()
        for lap in (loader, coord):
            status, body = server_report(server, lap.store, fy)
            remote, mine_local = stats.Report.from_dict(body["report"]), local(lap.store, fy)
            assert remote.tables == mine_local.tables and remote.figures == mine_local.figures
            cats = mine_local.table("categories")
            assert ("gambling", "ギャンブル") in cats.rows
            assert cats.value("gambling", stats.TOTAL) == len(marked) > 0
    finally:
        loader.close(), coord.close(), outreach.close()
