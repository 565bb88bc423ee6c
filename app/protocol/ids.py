"""Row ids: made on the laptop (or the server, for what an admin enters), never reused."""

from __future__ import annotations

from uuid6 import uuid7


def new_id() -> str:
    """A UUIDv7 as 36 characters: time-ordered, so new rows cluster at the end of an index."""
    return str(uuid7())
