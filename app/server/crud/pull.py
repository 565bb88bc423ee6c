"""Pull: records after a cursor, in scope, paged; plus rows of owners that entered the
device's scope and purges of cases that left it.

The response body is assembled from the stored JSON text without decoding it, which is what
makes a pull of a large snapshot cheap.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import String, cast, delete, insert, or_, select
from sqlalchemy.orm import Session

from app.server.crud import sequence
from app.server.crud.scope import Viewer, current_scope, visible_owner_ids
from app.server.crud.tables import MASTER_TABLES, PUSH_ONLY_TABLES
from app.server.models import DeviceScope, Record


class CursorAhead(Exception):
    """The device's cursor is beyond this server's sequence (the server was restored)."""


@dataclass(frozen=True)
class PullPage:
    cursor: int
    next_cursor: int
    has_more: bool
    records: list[tuple[str, str, str]]  # table, id, data as JSON text
    purge: list[dict[str, str]]
    entered: int

    def to_json(self, server_time: str) -> str:
        recs = ",".join(
            f'{{"table":"{t}","id":{json.dumps(i)},"data":{d}}}' for t, i, d in self.records
        )
        return (
            f'{{"server_time":"{server_time}","cursor":{self.cursor},'
            f'"next_cursor":{self.next_cursor},"has_more":{json.dumps(self.has_more)},'
            f'"records":[{recs}],"purge":{json.dumps(self.purge)}}}'
        )


def pull(session: Session, *, viewer: Viewer, device_id: str, cursor: int, limit: int) -> PullPage:
    top = sequence.committed_value(session)  # read first: everything <= top is committed
    if cursor > top:
        raise CursorAhead()
    q = (
        select(Record.table_name, Record.id, cast(Record.data, String), Record.seq)
        .where(
            Record.seq > cursor,
            Record.seq <= top,
            Record.table_name.not_in(sorted(PUSH_ONLY_TABLES)),
        )
        .order_by(Record.seq)
        .limit(limit + 1)
    )
    if not viewer.sees_everything:
        q = q.where(
            or_(
                Record.table_name.in_(sorted(MASTER_TABLES)),
                Record.owner.in_(visible_owner_ids(viewer)),
            )
        )
    rows = session.execute(q).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = rows[-1][3] if has_more else top
    records = [(t, i, d) for t, i, d, _ in rows]
    purge: list[dict[str, str]] = []
    entered_count = 0
    if not viewer.sees_everything:
        next_cursor, extra, purge = _scope_changes(session, viewer, device_id, cursor, next_cursor)
        seen = {(t, i) for t, i, _ in records}
        extra = [r for r in extra if (r[0], r[1]) not in seen]
        entered_count = len(extra)
        records.extend(extra)
    return PullPage(cursor, int(next_cursor), has_more, records, purge, entered_count)


def _scope_changes(
    session: Session, viewer: Viewer, device_id: str, cursor: int, next_cursor: int
) -> tuple[int, list[tuple[str, str, str]], list[dict[str, str]]]:
    scope = current_scope(session, viewer)
    if cursor == 0:
        # First sync: the snapshot from sequence 0 holds every row in scope.
        session.execute(delete(DeviceScope).where(DeviceScope.device_id == device_id))
        if scope:
            session.execute(
                insert(DeviceScope),
                [
                    {
                        "device_id": device_id,
                        "owner": o,
                        "kind": k,
                        "inside": True,
                        "changed_cursor": 0,
                    }
                    for o, k in scope.items()
                ],
            )
        return next_cursor, [], []
    known = {
        o: (k, inside, changed)
        for o, k, inside, changed in session.execute(
            select(
                DeviceScope.owner, DeviceScope.kind, DeviceScope.inside, DeviceScope.changed_cursor
            ).where(DeviceScope.device_id == device_id)
        )
    }
    # An announcement counts as received once the device pulls from its cursor or later.
    entered = [o for o in scope if o not in known or not known[o][1] or known[o][2] > cursor]
    left = [
        o
        for o, (_k, inside, changed) in known.items()
        if o not in scope and (inside or changed > cursor)
    ]
    acked_out = [
        o
        for o, (_k, inside, changed) in known.items()
        if not inside and changed <= cursor and o not in scope
    ]
    for i in range(0, len(acked_out), 1000):
        session.execute(
            delete(DeviceScope).where(
                DeviceScope.device_id == device_id, DeviceScope.owner.in_(acked_out[i : i + 1000])
            )
        )
    if not entered and not left:
        return next_cursor, [], []
    if next_cursor <= cursor:
        # Nothing new to page over, but the change must be announced under a newer cursor.
        next_cursor = sequence.allocate(session, 1)
    for o in entered + left:
        kind = scope.get(o) or known[o][0]
        session.execute(
            delete(DeviceScope).where(DeviceScope.device_id == device_id, DeviceScope.owner == o)
        )
        session.execute(
            insert(DeviceScope).values(
                device_id=device_id,
                owner=o,
                kind=kind,
                inside=o in scope,
                changed_cursor=next_cursor,
            )
        )
    extra: list[tuple[str, str, str]] = []
    for i in range(0, len(entered), 1000):
        extra.extend(
            session.execute(
                select(Record.table_name, Record.id, cast(Record.data, String))
                .where(
                    Record.owner.in_(entered[i : i + 1000]),
                    Record.table_name.not_in(sorted(PUSH_ONLY_TABLES)),
                    Record.seq <= next_cursor,
                )
                .order_by(Record.seq)
            ).all()
        )
    purge = [{"case_id": o} for o in left if known.get(o, ("",))[0] == "case"]
    return next_cursor, extra, purge
