"""Report periods (shared by the laptop and the server): a fiscal year (April–March, 令和8年度) or one month, with 和暦 labels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# (first Gregorian day the era applies to, western year of the era's 元年, name); newest first.
# app/reports/dates.py prints dates with these same eras.
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


class PeriodError(ValueError):
    """A period that cannot be read; ``ja``/``en`` say why (callers show or wrap them)."""

    def __init__(self, ja: str, en: str, field: str) -> None:
        super().__init__(en)
        self.ja, self.en, self.field = ja, en, field


def era_text(day: dt.date) -> str:
    """The 和暦 year of a day: 昭和37年, 令和元年 (the Gregorian year before 明治6年)."""
    era = era_year(day)
    if era is None:
        return f"{day.year}年"
    name, year = era
    return f"{name}{'元' if year == 1 else year}年"


def month_label(year: int, month: int) -> str:
    """``令和8年4月``."""
    return f"{era_text(dt.date(year, month, 1))}{month}月"


def fiscal_year_label(fy: int) -> str:
    """``令和8年度`` for the year that starts on 2026-04-01. The era is the one in force on
    1 May: the year from April 2019 is called 令和元年度, as city reports call it."""
    return f"{era_text(dt.date(fy, 5, 1))}度"


def fiscal_year_of(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True)
class Period:
    """Inclusive day range, whole months only. ``kind``: "fy" or "month"."""

    kind: str
    start: dt.date
    end: dt.date

    @classmethod
    def fiscal_year(cls, fy: int) -> Period:
        if not 1900 <= fy <= 2200:
            raise PeriodError("年度が正しくありません。", "Invalid fiscal year.", field="fy")
        return cls("fy", dt.date(fy, 4, 1), dt.date(fy + 1, 3, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not (1900 <= year <= 2200 and 1 <= month <= 12):
            raise PeriodError("月が正しくありません。", "Invalid month.", field="month")
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return cls("month", dt.date(year, month, 1), nxt - dt.timedelta(days=1))

    @classmethod
    def parse(cls, *, fy: str | int | None = None, month: str | None = None) -> Period:
        """From ``fy=2026`` or ``month="2026-05"`` (CLI and query strings)."""
        if month:
            try:
                y, m = (int(p) for p in str(month).split("-", 1))
            except ValueError:
                raise PeriodError(
                    "月は YYYY-MM の形で指定してください。", "Give the month as YYYY-MM.",
                    field="month",
                ) from None  # fmt: skip
            return cls.month(y, m)
        if fy is None:
            return cls.fiscal_year(fiscal_year_of(dt.date.today()))
        try:
            return cls.fiscal_year(int(fy))
        except ValueError:
            raise PeriodError(
                "年度は西暦の数字（例: 2026）で指定してください。",
                "Give the fiscal year as a number (e.g. 2026).", field="fy",
            ) from None  # fmt: skip

    @property
    def label(self) -> str:
        if self.kind == "fy":
            return fiscal_year_label(self.start.year)
        return month_label(self.start.year, self.start.month)

    @property
    def code(self) -> str:
        """``fy2026`` or ``2026-05`` (file names, the query string)."""
        return f"fy{self.start.year}" if self.kind == "fy" else f"{self.start:%Y-%m}"

    def months(self) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        y, m = self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def query(self) -> dict[str, str]:
        return {"fy": str(self.start.year)} if self.kind == "fy" else {"month": self.code}
