"""The sync sequence: allocated inside the committing transaction under a row lock."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from app.server.crud import bulk
from app.server.models import Counter, SeqType

SEQ = "seq"


# Built once: these run on every push and pull.
_READ = select(Counter.value).where(Counter.name == SEQ)
_BUMP = (
    update(Counter)
    .where(Counter.name == SEQ)
    .values(value=Counter.value + bindparam("count", type_=SeqType))
    .returning(Counter.value)
)


def committed_value(session: Session) -> int:
    rows = bulk.run(session, _READ)
    return int(rows[0][0] or 0) if rows else 0


def allocate(session: Session, count: int) -> int:
    """Reserve ``count`` numbers; returns the first. One ``UPDATE ... RETURNING`` takes the
    counter's row lock (the database write lock on SQLite) and holds it until commit, so
    sequence numbers become visible in the order they were allocated and no pull can pass
    over an uncommitted one. Callers allocate as late as possible in their transaction."""
    rows = bulk.run(session, _BUMP, {"count": count})
    new = rows[0][0] if rows else None
    if new is None:
        session.add(Counter(name=SEQ, value=count))
        session.flush()
        new = count
    return int(new) - count + 1
