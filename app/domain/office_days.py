"""The days the city's offices are open: not weekends, the year-end break (12/29-1/3) or
Japan's national holidays (祝日法), computed here so the demo's records fall on working days."""

from __future__ import annotations

import datetime as dt
from functools import cache


def _nth_monday(year: int, month: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))


@cache
def _holidays(year: int) -> frozenset[dt.date]:
    """Japan's national holidays of ``year`` (祝日法: fixed days, the Monday holidays, the
    equinoxes as observed 2024-2030, and a Sunday holiday's substitute Monday)."""
    days = {
        dt.date(year, m, d)
        for m, d in (
            (1, 1),
            (2, 11),
            (2, 23),
            (4, 29),
            (5, 3),
            (5, 4),
            (5, 5),
            (8, 11),
            (11, 3),
            (11, 23),
        )
    }
    days |= {_nth_monday(year, 1, 2), _nth_monday(year, 7, 3), _nth_monday(year, 9, 3),
             _nth_monday(year, 10, 2)}  # fmt: skip
    days.add(dt.date(year, 3, 20 if year % 4 in (0, 1, 2) else 21))
    days.add(dt.date(year, 9, 22 if year % 4 == 0 else 23))
    for d in sorted(days):  # a day between two holidays is one too (国民の休日)
        if d + dt.timedelta(days=2) in days and d.weekday() != 6:
            days.add(d + dt.timedelta(days=1))
    for d in sorted(days):
        if d.weekday() == 6:
            sub = d + dt.timedelta(days=1)
            while sub in days:
                sub += dt.timedelta(days=1)
            days.add(sub)
    return frozenset(days)


def office_closed(d: dt.date) -> bool:
    """Weekends, the year-end break (12/29-1/3) and national holidays: no office visits,
    meetings or sheets on those days in the demo."""
    return (d.weekday() >= 5 or (d.month, d.day) >= (12, 29) or (d.month, d.day) <= (1, 3)
            or d in _holidays(d.year))  # fmt: skip


def workday(d: dt.date, *, back: bool = False) -> dt.date:
    """``d``, or the next (``back``: the previous) day the offices are open."""
    step = dt.timedelta(days=-1 if back else 1)
    while office_closed(d):
        d += step
    return d
