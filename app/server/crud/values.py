"""One canonical wire form per value, so a base compares equal to the stored value."""

from __future__ import annotations

import datetime as dt
from typing import Any


def normalise(kind: str, value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    try:
        if kind == "datetime":
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is not None:
                parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
            return parsed.isoformat(timespec="microseconds")
        if kind == "date":
            return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return value
    return value
