"""Dates as Japanese forms print them: 和暦 (令和8年4月1日) next to the western date."""

from __future__ import annotations

import datetime as dt

from app.protocol.periods import ERAS, era_year  # noqa: F401  (one table of eras)


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
