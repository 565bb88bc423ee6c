"""The sync sequence: allocated inside the committing transaction under a row lock."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.server.models import Counter

SEQ = "seq"


def committed_value(session: Session) -> int:
    value = session.execute(select(Counter.value).where(Counter.name == SEQ)).scalar()
    return int(value or 0)


def allocate(session: Session, count: int) -> int:
    """Reserve ``count`` numbers; returns the first. The row lock (FOR UPDATE on PostgreSQL,
    the database write lock on SQLite) is held until commit, so sequence numbers become
    visible in the order they were allocated and no pull can pass over an uncommitted one."""
    current = session.execute(
        select(Counter.value).where(Counter.name == SEQ).with_for_update()
    ).scalar()
    if current is None:
        session.add(Counter(name=SEQ, value=0))
        session.flush()
        current = 0
    session.execute(update(Counter).where(Counter.name == SEQ).values(value=current + count))
    return int(current) + 1
