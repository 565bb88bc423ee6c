"""The sync sequence: allocated inside the committing transaction under a row lock."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from app.server.crud import bulk
from app.server.models import Counter, SeqType

SEQ = "seq"
# The sequence number of the latest transaction that wrote the scope index tables.
SCOPE = "scope"


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


_SCOPE_SET = (
    update(Counter)
    .where(Counter.name == SCOPE)
    .values(value=bindparam("seq", type_=SeqType))
    .returning(Counter.value)
)


def note_scope_change(session: Session, seq: int) -> None:
    """This transaction, numbered up to ``seq``, writes the scope index tables (case_index,
    scope_link). Call after ``allocate``: the counter's lock, held until commit, orders these
    notes like the sequence itself, so a pull that read the sequence at ``top`` before this
    commit sees ``seq > top`` afterwards (see pull.py)."""
    if not bulk.run(session, _SCOPE_SET, {"seq": seq}):
        session.add(Counter(name=SCOPE, value=seq))
        session.flush()
