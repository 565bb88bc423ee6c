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
    """Reserve ``count`` numbers; returns the first. One ``UPDATE ... RETURNING`` takes the
    counter's row lock (the database write lock on SQLite) and holds it until commit, so
    sequence numbers become visible in the order they were allocated and no pull can pass
    over an uncommitted one. Callers allocate as late as possible in their transaction."""
    conn = session.connection()
    new = conn.execute(
        update(Counter)
        .where(Counter.name == SEQ)
        .values(value=Counter.value + count)
        .returning(Counter.value)
    ).scalar()
    if new is None:
        session.add(Counter(name=SEQ, value=count))
        session.flush()
        new = count
    return int(new) - count + 1
