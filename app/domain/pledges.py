"""When a pledge (守秘義務誓約書) covers a meeting: one rule for the laptop and the server.

DOMAIN.md: a pledge counts for a meeting only if signed on or before the meeting's date; an
organiser may allow a standing pledge valid for a period (``valid_until``), which then covers
every meeting of that period. A meeting without a date is covered by no pledge (its date is
what the pledge is checked against). Only 支援会議 under art. 106-6
(``vocab.NO_CONSENT_MEETING_KINDS``) lets a case without consent be shared; a deleted meeting
shares nothing.
"""

from __future__ import annotations

import datetime as dt

from app.domain import vocab


def _day(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def pledge_covers(
    *,
    signed: bool | None,
    signed_on: dt.date | str | None,
    valid_until: dt.date | str | None,
    held_on: dt.date | str | None,
) -> bool:
    """Whether a pledge signed on ``signed_on`` (standing until ``valid_until``, or None for a
    pledge for this meeting only) covers a meeting held on ``held_on``. Accepts ISO strings
    too (the server reads synced records as JSON)."""
    s, u, h = _day(signed_on), _day(valid_until), _day(held_on)
    if not signed or s is None or h is None:
        return False
    return s <= h and (u is None or h <= u)


def shares_without_consent(kind: str | None, deleted: bool | None = False) -> bool:
    """Whether a meeting of this kind may share a case that has no consent."""
    return not deleted and kind in vocab.NO_CONSENT_MEETING_KINDS
