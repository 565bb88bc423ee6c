"""Report periods: a fiscal year (April–March, 令和8年度) or one month, with 和暦 labels."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.domain.errors import ValidationError
from app.reports.dates import era_year


def _era_text(day: dt.date) -> str:
    era = era_year(day)
    if era is None:
        return f"{day.year}年"
    name, year = era
    return f"{name}{'元' if year == 1 else year}年"


def month_label(year: int, month: int) -> str:
    """``令和8年4月``."""
    return f"{_era_text(dt.date(year, month, 1))}{month}月"


def fiscal_year_label(fy: int) -> str:
    """``令和8年度`` for the year that starts on 2026-04-01. The era is the one in force on
    1 May: the year from April 2019 is called 令和元年度, as city reports call it."""
    return f"{_era_text(dt.date(fy, 5, 1))}度"


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
            raise ValidationError("年度が正しくありません。", "Invalid fiscal year.", field="fy")
        return cls("fy", dt.date(fy, 4, 1), dt.date(fy + 1, 3, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not (1900 <= year <= 2200 and 1 <= month <= 12):
            raise ValidationError("月が正しくありません。", "Invalid month.", field="month")
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return cls("month", dt.date(year, month, 1), nxt - dt.timedelta(days=1))

    @classmethod
    def parse(cls, *, fy: str | int | None = None, month: str | None = None) -> Period:
        """From ``fy=2026`` or ``month="2026-05"`` (CLI and query strings)."""
        if month:
            try:
                y, m = (int(p) for p in str(month).split("-", 1))
            except ValueError:
                raise ValidationError(
                    "月は YYYY-MM の形で指定してください。", "Give the month as YYYY-MM.",
                    field="month",
                ) from None  # fmt: skip
            return cls.month(y, m)
        if fy is None:
            return cls.fiscal_year(fiscal_year_of(dt.date.today()))
        try:
            return cls.fiscal_year(int(fy))
        except ValueError:
            raise ValidationError(
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
