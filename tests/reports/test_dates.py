import datetime as dt

import pytest

from app.reports.dates import age_text, both, both_time, wareki


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 4, 1), "令和8年4月1日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1926, 12, 25), "昭和元年12月25日"),
        (dt.date(1926, 12, 24), "大正15年12月24日"),
        (dt.date(1912, 7, 30), "大正元年7月30日"),
        (dt.date(1912, 7, 29), "明治45年7月29日"),
    ],
)
def test_era_boundaries(day: dt.date, expected: str) -> None:
    assert wareki(day) == expected


def test_both_forms_and_empty() -> None:
    assert both(dt.date(2026, 4, 1)) == "令和8年4月1日（2026-04-01）"
    assert both(None) == "" and wareki(None) == ""
    assert both_time(dt.datetime(2026, 4, 1, 9, 5)).endswith("09:05")


def test_age_counts_the_birthday() -> None:
    assert age_text(dt.date(1950, 4, 2), dt.date(2026, 4, 1)) == "75歳"
    assert age_text(dt.date(1950, 4, 1), dt.date(2026, 4, 1)) == "76歳"
