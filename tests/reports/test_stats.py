"""実績報告 numbers on a real encrypted laptop database, checked against counts computed in
plain Python from the generated rows (tests/reports/statsdata.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from app.protocol import reports as stats
from app.protocol.periods import Period, fiscal_year_label, month_label
from app.reports.stats_service import VOCAB
from app.storage.db import Store
from tests.reports.statsdata import Generated, expected, generate

AS_OF = dt.date(2026, 12, 1)


@pytest.fixture
def generated(store: Store) -> Generated:
    return generate(store, 1500, seed=11)


def as_counter(report: stats.Report, key: str) -> Counter[tuple[str, str]]:
    t = report.table(key)
    out: Counter[tuple[str, str]] = Counter()
    for (row, _), values in zip(t.rows, t.values, strict=True):
        for (col, _), v in zip(t.columns, values, strict=True):
            if v:
                out[(row, col)] = v
    return out


def compute_local(store: Store, period: Period) -> stats.Report:
    with store.session() as s:
        return stats.compute(s, stats.laptop_source(), period, as_of=AS_OF, vocab=VOCAB)


KEYS = ("cases", "new_by_month", "categories", "referral_agency", "referral_status",
        "referral_reply", "contacts", "meetings", "tasks")  # fmt: skip


@pytest.mark.parametrize("period", [Period.fiscal_year(2026), Period.month(2026, 5)])
def test_every_table_matches_the_independent_counts(store, generated, period):
    report = compute_local(store, period)
    want = expected(generated, period.start, period.end, AS_OF)
    for key in KEYS:
        assert as_counter(report, key) == want.get(key, Counter()), key
    # Non-trivial data: every table has something in it for the fiscal year.
    if period.kind == "fy":
        assert all(report.table(k).grand_total() > 0 for k in KEYS)
        assert report.table("cases").value("new", stats.TOTAL) > 400


def test_districts_are_the_six_in_order_plus_unset(store, generated):
    report = compute_local(store, Period.fiscal_year(2026))
    names = [name for _c, name in report.table("cases").columns]
    assert names == ["中央", "小田", "大庄", "立花", "武庫", "園田", "地区未設定"]


def test_months_are_the_fiscal_year_with_wareki_labels(store, generated):
    t = compute_local(store, Period.fiscal_year(2026)).table("new_by_month")
    assert [r for r, _ in t.rows][:2] == ["2026-04", "2026-05"]
    assert [label for _, label in t.rows][0] == "令和8年4月"
    assert [label for _, label in t.rows][-1] == "令和9年3月"
    assert len(t.rows) == 12


def test_reply_mean_and_task_rate_agree_with_python(store, generated):
    period = Period.fiscal_year(2026)
    report = compute_local(store, period)
    cases = {c["id"]: c for c in generated.cases if not c["deleted"]}
    days = [
        (r["reply_date"] - r["referral_date"]).days
        for r in generated.referrals
        if not r["deleted"] and r["case_id"] in cases and r["status"] != "draft"
        and r["reply_date"] is not None and period.start <= r["referral_date"] <= period.end
    ]  # fmt: skip
    assert report.figures["reply_days_mean"][stats.TOTAL] == round(sum(days) / len(days), 1)
    # Done on time: completed on or before the due date; of the tasks whose outcome is known
    # (done on a recorded day, or not done and overdue by AS_OF).
    due = [t for t in generated.tasks if not t["deleted"] and t["case_id"] in cases
           and period.start <= t["due_date"] <= period.end]  # fmt: skip
    known = [t for t in due if (t["done"] and t["completed_on"] is not None)
             or (not t["done"] and t["due_date"] < AS_OF)]  # fmt: skip
    on_time = [t for t in known if t["done"] and t["completed_on"] <= t["due_date"]]
    assert 0 < len(on_time) < len(known)
    rate = len(on_time) / len(known)
    assert report.figures["tasks_on_time_rate"][stats.TOTAL] == round(rate, 3)
    assert report.figures["tasks_due_count"][stats.TOTAL] == len(known)
    assert report.table("tasks").value("on_time", stats.TOTAL) == len(on_time)


def test_report_round_trips_through_json(store, generated):
    report = compute_local(store, Period.fiscal_year(2026))
    again = stats.Report.from_dict(report.as_dict())
    assert again.tables == report.tables and again.period == report.period


def test_wareki_period_labels():
    assert fiscal_year_label(2026) == "令和8年度"
    assert fiscal_year_label(2019) == "令和元年度"
    assert fiscal_year_label(2018) == "平成30年度"
    assert month_label(2019, 4) == "平成31年4月"
    assert Period.fiscal_year(2026).end == dt.date(2027, 3, 31)
    assert Period.month(2026, 12).end == dt.date(2026, 12, 31)
    assert Period.parse(month="2027-02").end == dt.date(2027, 2, 28)


def test_bad_period_is_a_clear_error():
    from app.domain.errors import ValidationError
    from app.protocol.periods import PeriodError
    from app.reports.stats_service import parse_period

    with pytest.raises(PeriodError, match="YYYY-MM"):
        Period.parse(month="May")
    with pytest.raises(ValidationError) as caught:
        parse_period(fy="令和8")
    assert "年度" in caught.value.ja
