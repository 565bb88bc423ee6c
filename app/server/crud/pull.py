"""Pull: records after a cursor, in scope, paged; plus rows of owners that entered the
device's scope and purges of cases that left it.

The response body is assembled from the stored JSON text without decoding it, which is what
makes a pull of a large snapshot cheap. Scope changes are found set-wise in SQL (the device's
current scope against what it was sent), never by loading the whole scope into Python, and
only when something the scope depends on changed since the device's last comparison.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

import orjson
from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    true,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from app.server.crud import bulk, sequence
from app.server.crud.scope import Viewer, scope_params, scope_parts, viewer_key
from app.server.crud.tables import OWNER_KIND, PUSH_ONLY_TABLES
from app.server.models import MASTER_PREDICATE, Counter, Device, DeviceScope, Record, SeqType

_PULLED_NOT = sorted(PUSH_ONLY_TABLES)


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
    case_ids: list[str]  # the cases the records belong to (sorted, each once)

    def to_json(self, server_time: str) -> bytes:
        recs = ",".join(
            [
                f'{{"table":"{t}","id":{orjson.dumps(i).decode()},"data":{d}}}'
                for t, i, d in self.records
            ]
        )
        return (
            f'{{"server_time":"{server_time}","cursor":{self.cursor},'
            f'"next_cursor":{self.next_cursor},"has_more":{"true" if self.has_more else "false"},'
            f'"records":[{recs}],"purge":{orjson.dumps(self.purge).decode()}}}'
        ).encode()


def _columns() -> tuple[Any, ...]:
    """table, id, data as text, seq, owner (the owner says which case a row belongs to, for
    the receipts of crud/receipts.py)."""
    return (
        Record.table_name,
        Record.id,
        cast(Record.data, String).label("data"),
        Record.seq,
        Record.owner,
    )


# Statements are built once (per kind of viewer) and executed with these named parameters.
_DEVICE, _CURSOR, _TOP, _LIMIT = "p_device", "p_cursor", "p_top", "p_limit"


@cache
def _page_statement(everything: bool, per_owner: bool = False) -> Select[Any]:
    window = and_(
        Record.seq > bindparam(_CURSOR, type_=SeqType), Record.seq <= bindparam(_TOP, type_=SeqType)
    )
    limit = bindparam(_LIMIT, type_=Integer)
    if everything:
        return (
            select(*_columns())
            .where(window, Record.table_name.not_in(_PULLED_NOT))
            .order_by(Record.seq)
            .limit(limit)
        )
    # The device's scope as just brought up to date in device_scope (one indexed lookup), and
    # two ordered, limited parts merged: master data and the rows of the owners in scope.
    mine = and_(
        DeviceScope.device_id == bindparam(_DEVICE, type_=String), DeviceScope.inside.is_(True)
    )
    master = (
        select(*_columns())
        .where(window, text(MASTER_PREDICATE))  # by ix_record_master_seq
        .order_by(Record.seq)
        .limit(limit)
        .subquery()
    )
    if per_owner:
        # Each owner's rows in the window by one range scan of (owner, seq) (LATERAL, so it
        # is planned as such): costs the size of the scope, not of the window.
        own = (
            select(*_columns())
            .where(Record.owner == DeviceScope.owner, window)
            .where(Record.table_name.not_in(_PULLED_NOT))
            .order_by(Record.seq)
            .limit(limit)
            .lateral()
        )
        scoped = (
            select(*own.c)
            .select_from(DeviceScope)
            .join(own, true())
            .where(mine)
            .order_by(own.c.seq)
            .limit(limit)
            .subquery()
        )
    else:
        # The window's rows joined with the scope: costs the size of the window.
        in_scope = select(DeviceScope.owner).where(mine)
        scoped = (
            select(*_columns())
            .where(window, Record.owner.in_(in_scope), Record.table_name.not_in(_PULLED_NOT))
            .order_by(Record.seq)
            .limit(limit)
            .subquery()
        )
    both = union_all(select(*master.c), select(*scoped.c)).subquery()
    return select(*both.c).order_by(both.c.seq).limit(limit)


def _scope(viewer: Viewer) -> Any:
    """(owner, kind) of everything in the viewer's scope, as a subquery."""
    return _scope_union(viewer).subquery()


def _scope_union(viewer: Viewer) -> Any:
    parts = []
    for kind, q in scope_parts(viewer).items():
        sub = q.subquery()
        parts.append(
            select(sub.c[0].label("owner"), literal(kind, String).label("kind")).where(
                sub.c[0].is_not(None)
            )
        )
    return union_all(*parts)


@cache
def _diff_statement(viewer_shape: Viewer) -> Any:
    """One statement for both directions of a scope change: owners in scope not (surely) sent
    (side 'in'), and owners sent that are out of scope now (side 'out')."""
    scope = _scope_union(viewer_shape).cte("scope_owner")
    mine = DeviceScope.device_id == bindparam(_DEVICE, type_=String)
    sent = select(DeviceScope).where(mine).subquery()
    entered = (
        select(
            literal("in", String).label("side"),
            scope.c.owner,
            scope.c.kind,
            literal(True).label("inside"),
            literal(0, SeqType).label("changed"),
        )
        .select_from(scope.outerjoin(sent, sent.c.owner == scope.c.owner))
        .where(
            or_(
                sent.c.owner.is_(None),
                sent.c.inside.is_(False),
                sent.c.changed_cursor > bindparam(_CURSOR, type_=SeqType),
            )
        )
    )
    left = select(
        literal("out", String),
        DeviceScope.owner,
        DeviceScope.kind,
        DeviceScope.inside,
        DeviceScope.changed_cursor,
    ).where(mine, DeviceScope.owner.not_in(select(scope.c.owner)))
    return union_all(entered, left)


@cache
def _snapshot_statements(viewer_shape: Viewer) -> tuple[Any, Any]:
    mine = DeviceScope.device_id == bindparam(_DEVICE, type_=String)
    scope = _scope(viewer_shape)
    distinct = select(scope.c.owner, scope.c.kind).distinct().subquery()
    fill = insert(DeviceScope).from_select(
        ["device_id", "owner", "kind", "inside", "changed_cursor"],
        select(
            bindparam(_DEVICE, type_=String),
            distinct.c.owner,
            distinct.c.kind,
            literal(True),
            literal(0),
        ),
    )
    return delete(DeviceScope).where(mine), fill


def _shape_of(viewer: Viewer) -> Viewer:
    """A representative viewer of the same statement shape (the cache key)."""
    return Viewer(
        0,
        "",
        viewer.role,
        "" if viewer.agency_id is not None else None,
        ("",) if viewer.role == "coordinator" and viewer.district_ids else (),
    )


class _State(NamedTuple):
    top: int  # the committed sequence value: everything numbered up to it is committed
    scope_noted: int | None  # sequence number of the latest write to the scope indexes
    seen_at: int | None  # the device's remembered scope comparison (see ``_scope_is_known``)
    viewer: str | None
    acked_from: int | None
    owners: int  # rows the device has in device_scope (counted up to _OWNERS_COUNTED)


# A page reads the rows of the owners in scope either owner by owner (a range scan of
# (owner, seq) each) or by walking the cursor window once; one owner's range scan costs
# about as much as this many window rows.
_OWNER_COST = 8
_OWNERS_COUNTED = 2000


_STATE = select(
    select(Counter.value).where(Counter.name == sequence.SEQ).scalar_subquery(),
    select(Counter.value).where(Counter.name == sequence.SCOPE).scalar_subquery(),
    Device.scope_seen_at,
    Device.scope_viewer,
    Device.scope_acked_from,
    select(func.count())
    .select_from(
        select(DeviceScope.owner)
        .where(DeviceScope.device_id == bindparam(_DEVICE, type_=String))
        .limit(_OWNERS_COUNTED)
        .subquery()
    )
    .scalar_subquery(),
).where(Device.id == bindparam(_DEVICE, type_=String))

_REMEMBER = (
    update(Device)
    .where(Device.id == bindparam(_DEVICE, type_=String))
    .values(
        scope_seen_at=bindparam("seen_at", type_=SeqType),
        scope_viewer=bindparam("viewer", type_=String),
        scope_acked_from=bindparam("acked_from", type_=SeqType),
    )
)


def _state(session: Session, device_id: str) -> _State:
    """The sequence and what the device's last scope comparison left, in one query."""
    rows = bulk.run(session, _STATE, {_DEVICE: device_id})
    if not rows:
        return _State(sequence.committed_value(session), None, None, None, None, 0)
    top, noted, seen_at, viewer, acked_from, owners = rows[0]
    return _State(int(top or 0), noted, seen_at, viewer, acked_from, int(owners or 0))


def _scope_is_known(state: _State, key: str, cursor: int) -> bool:
    """Whether comparing the scope now would find nothing to announce, so it can be skipped.

    After a comparison, device_scope holds exactly the scope as of a moment after the
    sequence read ``seen_at``, and every scope change announced to the device carries a
    cursor of at most ``acked_from``. The comparison would find something only if (1) the
    scope index tables changed since: any write to them notes its own sequence number, taken
    under the counter's lock, so a change the comparison did not see is numbered above
    ``seen_at``; (2) the viewer's own scope rules changed (role, agency, districts); or (3)
    an announcement is not yet acknowledged, i.e. the device pulls from before
    ``acked_from`` (a lost answer), when it must be announced again."""
    return (
        cursor > 0
        and state.seen_at is not None
        and state.acked_from is not None
        and (state.scope_noted is None or state.scope_noted <= state.seen_at)
        and state.viewer == key
        and cursor >= state.acked_from
    )


def pull(session: Session, *, viewer: Viewer, device_id: str, cursor: int, limit: int) -> PullPage:
    """The device's scope is evaluated set-wise in SQL and compared with what the device was
    sent (device_scope), unless nothing it depends on changed since the last comparison; the
    page is then read through device_scope."""
    state = _state(session, device_id)  # read first: everything <= top is committed
    top = state.top
    if cursor > top:
        raise CursorAhead()
    changes = None
    key = ""
    if not viewer.sees_everything:
        key = viewer_key(viewer)
        if not _scope_is_known(state, key, cursor):
            changes = _scope_diff(session, viewer, device_id, cursor)
    # Owner by owner when that is cheaper, counted on a scope known unchanged (a scope just
    # filled or changed may be of another size).
    per_owner = (
        changes is None
        and not viewer.sees_everything
        and state.owners * _OWNER_COST < top - cursor
        and bulk.is_pg(session)  # LATERAL
    )
    rows = bulk.run(
        session,
        _page_statement(viewer.sees_everything, per_owner),
        {_DEVICE: device_id, _CURSOR: cursor, _TOP: top, _LIMIT: limit + 1},
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = rows[-1][3] if has_more else top
    records = [(t, i, d) for t, i, d, _, _ in rows]
    cases = _case_ids(rows)
    purge: list[dict[str, str]] = []
    entered_count = 0
    if changes is not None:
        acked_from = cursor
        if changes.entered or changes.left:
            next_cursor, extra, purge = _announce(session, device_id, changes, cursor, next_cursor)
            acked_from = next_cursor
            if extra:
                seen = {(t, i) for t, i, _ in records}
                extra = [r for r in extra if (r[0], r[1]) not in seen]
                entered_count = len(extra)
                records.extend((t, i, d) for t, i, d, _, _ in extra)
                cases |= _case_ids(extra)
        params = {_DEVICE: device_id, "seen_at": top, "viewer": key, "acked_from": acked_from}
        bulk.defer(session, _REMEMBER, params)
    return PullPage(
        cursor, int(next_cursor), has_more, records, purge, entered_count, sorted(cases)
    )


_CASE_OWNED = frozenset(t for t, kind in OWNER_KIND.items() if kind == "case")


def _case_ids(rows: Any) -> set[str]:
    """The cases rows (table, id, data, seq, owner) belong to: a case row itself, and the
    rows owned by a case."""
    owned = _CASE_OWNED
    return {o for t, _, _, _, o in rows if o is not None and t in owned}


@dataclass
class ScopeDiff:
    entered: dict[str, str]  # owner -> kind: in scope, not (or not surely) known to be sent
    left: dict[str, str]  # owner -> kind: sent, now out of scope, not surely purged


def _scope_diff(session: Session, viewer: Viewer, device_id: str, cursor: int) -> ScopeDiff:
    """Compare the current scope with device_scope and bring device_scope's ``inside`` flags
    up to date (their announcing cursor is set by ``_announce``)."""
    conn = session.connection()
    shape = _shape_of(viewer)
    params = {**scope_params(viewer), _DEVICE: device_id, _CURSOR: cursor}
    if cursor == 0:
        # First sync: the snapshot from sequence 0 holds every row in scope.
        clear, fill = _snapshot_statements(shape)
        bulk.run(session, clear, params)
        bulk.run(session, fill, params)
        return ScopeDiff({}, {})
    # An announcement counts as received once the device pulls from its cursor or later.
    entered: dict[str, str] = {}
    left: dict[str, str] = {}
    acked_out: list[str] = []
    for side, owner, kind, inside, changed in bulk.run(session, _diff_statement(shape), params):
        if side == "in":
            entered[owner] = kind
        elif inside or changed > cursor:
            left[owner] = kind
        else:
            acked_out.append(owner)
    mine = DeviceScope.device_id == device_id
    changed_owners = sorted({*entered, *left, *acked_out})
    for i in range(0, len(changed_owners), 2000):
        conn.execute(
            delete(DeviceScope).where(
                mine, bulk.id_in(session, DeviceScope.owner, changed_owners[i : i + 2000])
            )
        )
    if entered or left:
        conn.execute(
            insert(DeviceScope),
            [
                {
                    "device_id": device_id,
                    "owner": o,
                    "kind": entered.get(o) or left[o],
                    "inside": o in entered,
                    "changed_cursor": cursor,  # set to the announcing cursor by _announce
                }
                for o in sorted({*entered, *left})
            ],
        )
    return ScopeDiff(entered, left)


def _announce(
    session: Session, device_id: str, diff: ScopeDiff, cursor: int, next_cursor: int
) -> tuple[int, list[Any], list[dict[str, str]]]:
    """Stamp the scope changes with the cursor that announces them; rows of entered owners
    (as the page's rows: table, id, data, seq, owner)."""
    conn = session.connection()
    if next_cursor <= cursor:
        # Nothing new to page over, but the change must be announced under a newer cursor.
        next_cursor = sequence.allocate(session, 1)
    owners = sorted({*diff.entered, *diff.left})
    for i in range(0, len(owners), 2000):
        conn.execute(
            update(DeviceScope)
            .where(
                DeviceScope.device_id == device_id,
                bulk.id_in(session, DeviceScope.owner, owners[i : i + 2000]),
            )
            .values(changed_cursor=next_cursor)
        )
    extra: list[Any] = []
    ids = sorted(diff.entered)
    for i in range(0, len(ids), 2000):
        extra.extend(
            conn.execute(
                select(*_columns())
                .where(
                    bulk.id_in(session, Record.owner, ids[i : i + 2000]),
                    Record.table_name.not_in(_PULLED_NOT),
                    Record.seq <= next_cursor,
                )
                .order_by(Record.seq)
            )
        )
    purge = [{"case_id": o} for o in sorted(diff.left) if diff.left[o] == "case"]
    return next_cursor, extra, purge
