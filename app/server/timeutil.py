"""Server time in responses: UTC, ISO 8601 with a Z."""

from __future__ import annotations

import datetime as dt


def iso(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def server_time() -> str:
    return iso(dt.datetime.now(dt.UTC).replace(tzinfo=None))
