"""Reading a date typed by a person (a form, a CLI argument, a stored draft): one rule for all.

``parse_date(value)`` takes ``None``/``""`` (no date), a ``datetime.date`` (kept as it is) or
ISO text (``2026-01-02``; ``datetime.date.fromisoformat`` decides). Anything else raises the
caller's one-line error (``ja``/``en``, and ``field`` so a form shows it next to the field);
each caller keeps the wording it always had.
"""

from __future__ import annotations

import datetime as dt

from app.domain.errors import ValidationError, YorisoiError

BAD_JA = "日付は YYYY-MM-DD の形で入力してください。"
BAD_EN = "Enter the date as YYYY-MM-DD."


def parse_date(
    value: object,
    *,
    field: str | None = None,
    ja: str = BAD_JA,
    en: str = BAD_EN,
    error: type[YorisoiError] = ValidationError,
) -> dt.date | None:
    """The date ``value`` names, ``None`` for no date, or ``error(ja, en)`` (a
    ``ValidationError`` also names ``field``)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        if issubclass(error, ValidationError):
            raise error(ja, en, field=field) from None
        raise error(ja, en) from None
