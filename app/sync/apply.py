"""Applying pulled pages: bulk upserts on the raw connection, one transaction per page together
with its cursor, keeping the search index current and local pending edits on top.

A pulled row that still has pending outbox entries gets those entries re-applied over the
server's values (the outbox keeps their original bases, so the server detects any conflict when
they are pushed). Foreign keys are not enforced while applying: the server is the authority,
and a page may carry a child before its parent (rows are ordered by the server's sequence) or
point at a row outside this device's scope.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlcipher3

from app.protocol.schema import SYNC_ORDER, SYNCED_MODELS
from app.storage import search
from app.storage.db import Store
from app.sync import state
from app.sync.codec import codec, decode_stored

# Tables whose rows feed the search index (app.storage.search.reindex keeps it current).
INDEXED: dict[str, str] = {
    "person": "persons",
    "case": "cases",
    "resource": "resources",
    "household": "households",
    "household_member": "households",
}
# Set while a first snapshot is being applied: its rows are not in the search index yet.
SEARCH_PENDING = search.PENDING_KEY
PULLED_TABLES = frozenset(t for t, m in SYNCED_MODELS.items() if not m.__push_only__)
CHUNK = 500
# A table's records in a page go in with one statement (``codec.bulk_sql``) from this many,
# where SQLite reads JSONB (3.45+; the bundled SQLCipher's SQLite is newer, but a build with an
# older one still works, row by row).
BULK_MIN = 200 if sqlcipher3.sqlite_version_info >= (3, 45, 0) else 1 << 62


@dataclass(frozen=True)
class PageResult:
    applied: int  # records written
    purges: int  # cases newly waiting to be purged
    stale: bool  # another sync moved the cursor first; nothing was written
    cursor: int
    initial_complete: bool


@contextlib.contextmanager
def write_transaction(store: Store) -> Iterator[Any]:
    """A DB-API connection in an immediate write transaction with foreign keys off."""
    with store.raw() as raw:
        conn = raw.driver_connection
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.execute("PRAGMA foreign_keys = ON")


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass(frozen=True)
class PreparedPage:
    """A pulled page ready to write: per table, one JSON array for ``codec.bulk_sql`` (large
    groups) and/or storage rows (``codec.row``) for ``executemany``.

    Made on the thread that fetched the page, while the previous page is written (SQLite
    releases the GIL while it works), and it drops the decoded JSON records early."""

    rows: dict[str, list[list[Any]]]  # table -> storage rows in codec column order
    ids: dict[str, list[str]]  # table -> record ids (of both ``docs`` and ``rows``)
    purge_ids: list[str]
    next_cursor: int
    has_more: bool
    # table -> JSON array of records for ``codec.bulk_sql`` (large groups; see prepare_page)
    docs: dict[str, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(len(v) for v in self.ids.values())


def prepare_page(page: dict[str, Any], request_cursor: int) -> PreparedPage:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for rec in page.get("records") or []:
        table = rec.get("table")
        if table in PULLED_TABLES and rec.get("id"):
            grouped.setdefault(table, []).append(rec)
    rows: dict[str, list[list[Any]]] = {}
    ids: dict[str, list[str]] = {}
    docs: dict[str, str] = {}
    for table, recs in grouped.items():
        c = codec(table)
        table_ids = [str(r["id"]) for r in recs]
        datas = [r.get("data") or {} for r in recs]
        ids[table] = table_ids
        odd: Iterable[int] = range(len(recs))
        if len(recs) >= BULK_MIN and len(set(table_ids)) == len(table_ids):
            # One statement for the table's records: SQLite builds the rows from the JSON
            # with the GIL released (executemany takes it back after every row, and waits for
            # it while the fetching thread works). Records it would not store exactly as
            # ``row`` does go through ``row``.
            plain, odd = c.plain_docs(table_ids, datas)
            try:
                docs[table] = orjson.dumps(plain).decode()  # text: a blob is read as JSONB
            except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits
                odd = range(len(recs))
        row = c.row
        rows[table] = [row(table_ids[n], datas[n]) for n in odd]
    return PreparedPage(
        rows=rows,
        docs=docs,
        ids=ids,
        purge_ids=[str(p["case_id"]) for p in page.get("purge") or [] if p.get("case_id")],
        next_cursor=int(page.get("next_cursor", request_cursor)),
        has_more=bool(page.get("has_more")),
    )


def apply_page(
    store: Store,
    page: dict[str, Any] | PreparedPage,
    request_cursor: int,
    *,
    indexing: Callable[[int], None] | None = None,
    check: Callable[[], None] | None = None,
) -> PageResult:
    """Write a page and its cursor in one transaction; after the page that completes a first
    snapshot, build the search index (see ``build_pending_index``)."""
    prepared = page if isinstance(page, PreparedPage) else prepare_page(page, request_cursor)
    with write_transaction(store) as conn:
        current = state.cursor(conn)
        if current.position != request_cursor:
            return PageResult(0, 0, True, current.position, current.initial_complete)
        pending = _pending_on(conn, prepared.ids)
        n = 0
        touched: dict[str, set[str]] = {}  # table -> ids whose index entries need a refresh
        for table in SYNC_ORDER:
            doc, rows = prepared.docs.get(table), prepared.rows.get(table)
            if doc is None and not rows:
                continue
            if doc is not None:
                conn.execute(codec(table).bulk_sql, (doc,))
            if rows:
                conn.executemany(codec(table).upsert_sql, rows)
            n += len(prepared.ids[table])
            touched.setdefault(table, set()).update(prepared.ids[table])
        for table, ids in overlay_pending(conn, pending).items():
            touched.setdefault(table, set()).update(ids)
        complete = current.initial_complete or not prepared.has_more
        if current.initial_complete:
            _reindex(conn, touched)
        elif not state.get(conn, SEARCH_PENDING):
            # The first snapshot's pages are applied without search entries; once the last
            # one is in, the whole index is built in one pass (``build_pending_index``).
            state.put(conn, SEARCH_PENDING, True)
        queued = _queue_purges(conn, prepared.purge_ids, prepared.ids.get("case", []))
        state.put_cursor(conn, prepared.next_cursor, complete)
    if complete and not current.initial_complete:
        build_pending_index(store, indexing=indexing, check=check)
    return PageResult(n, queued, False, prepared.next_cursor, complete)


# From this many documents the index is built with a second connection reading the rows (see
# ``search.rebuild_all``); below it, opening that connection (~0.1 s) would cost more.
PIPELINE_MIN = 20_000


def build_pending_index(
    store: Store,
    *,
    indexing: Callable[[int], None] | None = None,
    check: Callable[[], None] | None = None,
) -> bool:
    """Build the search index a completed first snapshot left pending, in a transaction of
    its own (the last page and its cursor are committed before it). A crash, an error or a
    cancel here (``check()`` raising, called between chunks) leaves it pending and the next
    sync builds it (see ``SyncEngine``); until then searches say they are incomplete.
    ``indexing(documents)`` is called as a build starts. True if it was built now."""
    with store.raw() as raw:
        conn = raw.driver_connection
        if not state.get(conn, SEARCH_PENDING) or not state.cursor(conn).initial_complete:
            return False
        documents = search.document_count(conn)
    if indexing is not None:
        indexing(documents)
    big = documents >= PIPELINE_MIN
    with contextlib.ExitStack() as stack:
        reader = stack.enter_context(store.reader()) if big else None
        # The reader's first read comes after this transaction took the write lock: it sees
        # exactly the rows this transaction sees.
        with write_transaction(store) as conn:
            if not state.get(conn, SEARCH_PENDING):
                return False  # another run built it meanwhile
            search.rebuild_all(conn, reader=reader, check=check)
            state.delete(conn, SEARCH_PENDING)
    return True


# --- pending local edits on top of pulled rows ------------------------------------------------


# (table, id) -> [(op, changes, refused op id or None)] in the order they were made.
Pending = dict[tuple[str, str], list[tuple[str, dict[str, Any], str | None]]]


def _pending_on(conn: Any, ids: dict[str, list[str]]) -> Pending:
    """Pending outbox entries on the page's rows, after the open refused changes on them (a
    refused edit stays on the local row until the person resends or dismisses it). Deletes get
    their bases filled first, from the row as it is before the server's version overwrites it."""
    refused = conn.execute(
        "SELECT table_name, row_id, op, changes, op_id FROM rejected_change "
        "WHERE dismissed = 0 AND op != 'insert' ORDER BY rejected_at"
    ).fetchall()
    if not refused and conn.execute("SELECT 1 FROM outbox LIMIT 1").fetchone() is None:
        return {}
    page_ids = {(t, i) for t, table_ids in ids.items() for i in table_ids}
    pending: Pending = {}
    for table, row_id, op, changes, op_id in refused:
        if (table, row_id) in page_ids and op in ("update", "delete"):
            ch = json.loads(changes) if changes else {}
            pending.setdefault((table, row_id), []).append((op, ch, op_id))
    for seq, table, row_id, op, changes in conn.execute(
        "SELECT seq, table_name, row_id, op, changes FROM outbox ORDER BY seq"
    ).fetchall():
        if (table, row_id) not in page_ids:
            continue
        ch = json.loads(changes) if changes else {}
        if op == "delete":
            ch = fill_delete_bases(conn, seq, table, row_id, ch)
        pending.setdefault((table, row_id), []).append((op, ch, None))
    return pending


def overlay_pending(conn: Any, pending: Pending) -> dict[str, list[str]]:
    """Re-apply pending outbox entries to rows just overwritten by the server's version."""
    touched: dict[str, list[str]] = {}
    for (table, row_id), entries in pending.items():
        for op, changes, refused in entries:
            if refused is not None:
                _rebase_refused(conn, table, row_id, changes, refused)
            values = {f: pair[1] for f, pair in changes.items() if isinstance(pair, list)}
            if op == "delete":
                values = {}  # a delete's field pairs are only bases
                values["deleted"] = True
            write_fields(conn, table, row_id, values)
        touched.setdefault(table, []).append(row_id)
    return touched


def _rebase_refused(
    conn: Any, table: str, row_id: str, changes: dict[str, Any], op_id: str
) -> None:
    """A refused edit's bases become the values the server just sent (what the row goes back to
    if the person dismisses it, and the bases a resend is checked against)."""
    cols = [f for f in changes if f in codec(table).columns and f != "id"]
    if not cols:
        return
    sel = ", ".join(f'"{f}"' for f in cols)
    row = conn.execute(f'SELECT {sel} FROM "{table}" WHERE id = ?', (row_id,)).fetchone()
    if row is None:
        return
    rebased = dict(changes)
    for f, stored in zip(cols, row, strict=True):
        pair = changes[f]
        if isinstance(pair, list) and len(pair) == 2:
            rebased[f] = [decode_stored(table, f, stored), pair[1]]
    conn.execute(
        "UPDATE rejected_change SET changes = ? WHERE op_id = ?",
        (json.dumps(rebased, ensure_ascii=False), op_id),
    )


def write_fields(conn: Any, table: str, row_id: str, values: dict[str, Any]) -> None:
    """Set wire values on one row without an outbox entry (the remote path)."""
    c = codec(table)
    cols = [f for f in values if f in c.columns and f != "id"]
    if not cols:
        return
    sets = ", ".join(f'"{f}" = ?' for f in cols)
    conn.execute(
        f'UPDATE "{table}" SET {sets} WHERE id = ?',
        [c.value(f, values[f]) for f in cols] + [row_id],
    )


def fill_delete_bases(
    conn: Any, seq: int, table: str, row_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Give a delete the row's values as bases ``[v, v]`` so the server can tell a delete against
    an edit made since. Stored back into the entry: replays send the same, and it is done before
    a pulled page could overwrite the row (see apply.overlay_pending)."""
    c = codec(table)
    missing = [f for f in sorted(c.data_columns) if f not in changes]
    if not missing:
        return changes
    cols = ", ".join(f'"{f}"' for f in missing)
    row = conn.execute(f'SELECT {cols} FROM "{table}" WHERE id = ?', (row_id,)).fetchone()
    if row is None:
        return changes
    filled = dict(changes)
    for f, stored in zip(missing, row, strict=True):
        v = decode_stored(table, f, stored)
        filled[f] = [v, v]
    conn.execute("UPDATE outbox SET changes = ? WHERE seq = ?", (json.dumps(filled), seq))
    return filled


# --- search index -----------------------------------------------------------------------------


def _reindex(conn: Any, touched: dict[str, set[str]]) -> None:
    """Refresh the search entries the touched rows feed (a household member feeds the
    documents of its household's cases)."""
    args: dict[str, set[str]] = {}
    for table, ids in touched.items():
        kind = INDEXED.get(table)
        if kind is None or not ids:
            continue
        if table == "household_member":
            ids = set()
            for part in chunks(sorted(touched[table])):
                marks = ",".join("?" * len(part))
                ids.update(
                    r[0]
                    for r in conn.execute(
                        f"SELECT household_id FROM household_member WHERE id IN ({marks})",
                        list(part),
                    )
                )
        args.setdefault(kind, set()).update(ids)
    if args:
        search.reindex(conn, **args)


def reindex_rows(conn: Any, table: str, ids: Sequence[str]) -> None:
    """Index entries of rows as they now are in the database (rows that are gone lose theirs)."""
    if table in INDEXED and ids:
        _reindex(conn, {table: set(ids)})


# --- scope changes ------------------------------------------------------------------------------


def _queue_purges(conn: Any, purge_ids: list[str], arrived_case_ids: list[str]) -> int:
    """Remember cases that left scope; forget a queued purge when its case came back."""
    queued = list(state.get(conn, "pending_purge", []) or [])
    before = set(queued)
    if arrived_case_ids:
        back = set(arrived_case_ids) - set(purge_ids)
        queued = [c for c in queued if c not in back]
    for cid in purge_ids:
        if cid not in queued:
            queued.append(cid)
    if set(queued) != before:
        state.put(conn, "pending_purge", queued)
    return len(set(queued) - before)
