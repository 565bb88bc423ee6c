"""Row ids: made on the laptop (or the server, for what an admin enters), never reused."""

from __future__ import annotations


def new_id() -> str:
    """A UUIDv7 as 36 characters: time-ordered, so new rows cluster at the end of an index."""
    # Imported here, not above: uuid6 reads its installed metadata when imported, and most
    # ``yorisoi`` commands (listing, showing) never make an id (issue 17 item 11). After the
    # first call this is a dictionary lookup; the demo builder makes its many ids itself.
    from uuid6 import uuid7

    return str(uuid7())
