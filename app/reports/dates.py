"""Dates as Japanese forms print them: 和暦 (令和8年4月1日) next to the western date."""

from __future__ import annotations

import datetime as dt

# (first Gregorian day the era applies to, western year of the era's 元年, name); newest first.
ERAS: tuple[tuple[dt.date, int, str], ...] = (
    (dt.date(2019, 5, 1), 2019, "令和"),
    (dt.date(1989, 1, 8), 1989, "平成"),
    (dt.date(1926, 12, 25), 1926, "昭和"),
    (dt.date(1912, 7, 30), 1912, "大正"),
    # 明治 began in 1868, but Japan adopted the Gregorian calendar on 明治6年1月1日 (1873).
    (dt.date(1873, 1, 1), 1868, "明治"),
)


def era_year(day: dt.date) -> tuple[str, int] | None:
    for start, first_year, name in ERAS:
        if day >= start:
            return name, day.year - first_year + 1
    return None


def wareki(day: dt.date | None) -> str:
    """``令和8年4月1日``; the first year of an era is 元年. Empty for None."""
    if day is None:
        return ""
    era = era_year(day)
    if era is None:
        return f"{day.year}年{day.month}月{day.day}日"
    name, year = era
    y = "元" if year == 1 else str(year)
    return f"{name}{y}年{day.month}月{day.day}日"


def western(day: dt.date | None) -> str:
    return "" if day is None else f"{day.year}年{day.month}月{day.day}日"


def both(day: dt.date | None) -> str:
    """``令和8年4月1日（2026-04-01）``: the era date a form expects, plus the ISO date."""
    if day is None:
        return ""
    return f"{wareki(day)}（{day.isoformat()}）"


def both_time(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return f"{both(moment.date())} {moment:%H:%M}"


def age_text(birth: dt.date | None, on: dt.date) -> str:
    if birth is None:
        return ""
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return f"{age}歳"
