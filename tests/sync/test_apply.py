"""Applying pulled pages into a real encrypted client database (no server needed)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import select

from app.storage import search
from app.storage.db import Store
from app.storage.models import Case, OutboxEntry, Person
from app.sync import state
from app.sync.apply import apply_page
from tests.sync.helpers import count, pages_of, snapshot


def _cursor(store: Store) -> state.Cursor:
    with store.raw() as raw:
        return state.cursor(raw.driver_connection)


def _apply_all(store: Store, records: list[dict[str, Any]], size: int = 300) -> None:
    for page in pages_of(records, size):
        apply_page(store, page, page["cursor"])


def _record(records: list[dict[str, Any]], table: str, n: int = 0) -> dict[str, Any]:
    return copy.deepcopy([r for r in records if r["table"] == table][n])


def test_first_sync_in_pages_reproduces_the_snapshot(client: Store, snapshot_records):
    pages = pages_of(snapshot_records, 400)
    assert len(pages) > 3
    for i, page in enumerate(pages):
        result = apply_page(client, page, page["cursor"])
        cur = _cursor(client)
        assert cur.position == page["next_cursor"] == result.cursor
        # An interrupted first sync is never taken for a complete one.
        assert cur.initial_complete is (i == len(pages) - 1)
    expected = {(r["table"], r["id"]) for r in snapshot_records}
    got = snapshot(client)
    assert expected <= set(got)
    person = next(r for r in snapshot_records if r["table"] == "person")
    assert got[("person", person["id"])]["name"] == person["data"]["name"]
    # Pulled rows are searchable, by kana as typed in katakana.
    with client.session() as s:
        assert person["id"] in search.search_refs(s, "person", person["data"]["kana"])
        # The ORM reads raw-written values back in their proper types.
        p = s.get(Person, person["id"])
        assert p is not None and p.birth_date is not None and p.created_at is not None
    # Nothing pulled goes to the outbox.
    assert count(client, "outbox") == 0


def test_replaying_pages_changes_nothing(client: Store, snapshot_records):
    _apply_all(client, snapshot_records)
    before = snapshot(client)
    with client.raw() as raw:
        conn = raw.driver_connection
        conn.execute("BEGIN")
        state.put_cursor(conn, 0, False)
        conn.execute("COMMIT")
    _apply_all(client, snapshot_records)
    assert snapshot(client) == before
    assert count(client, "search_doc", "kind = 'person'") == count(client, "person")


def test_a_page_is_all_or_nothing_with_its_cursor(client: Store, snapshot_records):
    first, second = pages_of(snapshot_records, 300)[:2]
    apply_page(client, first, 0)
    bad = copy.deepcopy(second)
    bad["records"][-1]["data"]["name"] = None  # NOT NULL in every table that has a name
    bad["records"][-1]["table"] = "person"
    with pytest.raises(Exception):  # noqa: B017 - the database's own integrity error
        apply_page(client, bad, second["cursor"])
    assert _cursor(client).position == first["next_cursor"]
    ids = {r["id"] for r in second["records"]}
    got = {k[1] for k in snapshot(client)}
    assert not (ids - {r["id"] for r in first["records"]}) & got


def test_a_page_read_at_an_old_cursor_is_not_applied(client: Store, snapshot_records):
    pages = pages_of(snapshot_records, 300)
    apply_page(client, pages[0], 0)
    apply_page(client, pages[1], pages[1]["cursor"])
    stale = copy.deepcopy(pages[1])
    stale["records"][0]["data"]["version"] = 99
    result = apply_page(client, stale, pages[1]["cursor"])  # someone else moved on already
    assert result.stale and result.applied == 0
    assert _cursor(client).position == pages[1]["next_cursor"]


def test_pending_local_edit_stays_on_top_of_a_pulled_version(client: Store, snapshot_records):
    _apply_all(client, snapshot_records)
    case = _record(snapshot_records, "case")
    with client.session() as s:
        c = s.get(Case, case["id"])
        assert c is not None
        c.status = "watching" if c.status != "watching" else "closed"
        mine = c.status
    theirs = copy.deepcopy(case)
    theirs["data"]["title"] = "サーバー側で変更した主訴"
    theirs["data"]["version"] = 7
    cur = _cursor(client).position
    page = {"cursor": cur, "next_cursor": cur + 1, "has_more": False, "records": [theirs],
            "purge": []}  # fmt: skip
    apply_page(client, page, cur)
    with client.session() as s:
        c = s.get(Case, case["id"])
        assert c is not None
        assert c.title == "サーバー側で変更した主訴" and c.status == mine
        entries = s.scalars(select(OutboxEntry)).all()
        assert [(e.op, list(e.changes)) for e in entries] == [("update", ["status"])]
        assert case["id"] in search.search_case_ids(s, "サーバー側で変更")


def test_pending_delete_keeps_the_bases_it_was_made_on(client: Store, snapshot_records):
    _apply_all(client, snapshot_records)
    person = _record(snapshot_records, "person")
    with client.session() as s:
        p = s.get(Person, person["id"])
        assert p is not None
        p.deleted = True
    changed = copy.deepcopy(person)
    changed["data"]["phone"] = "090-0000-1111"
    cur = _cursor(client).position
    apply_page(client, {"cursor": cur, "next_cursor": cur + 1, "has_more": False,
                        "records": [changed], "purge": []}, cur)  # fmt: skip
    with client.session() as s:
        entry = s.scalars(select(OutboxEntry)).one()
        assert entry.op == "delete"
        # The base is the phone the person saw when deleting, so the server sees the edit.
        assert entry.changes["phone"] == [person["data"]["phone"]] * 2
        p = s.get(Person, person["id"])
        assert p is not None and p.deleted and p.phone == "090-0000-1111"
        assert person["id"] not in search.search_refs(s, "person", person["data"]["kana"])


def test_first_snapshot_is_indexed_once_when_it_completes(client: Store, snapshot_records):
    """A first sync's pages are applied without search entries (flag kept in the same
    transactions); once the page that completes it is committed, ``apply_page`` builds the
    index in a transaction of its own, and it then equals what indexing row by row gives."""
    from app.sync.apply import SEARCH_PENDING

    pages = pages_of(snapshot_records, 400)
    for page in pages[:-1]:
        apply_page(client, page, page["cursor"])
    with client.raw() as raw:
        assert state.get(raw.driver_connection, SEARCH_PENDING) is True
    assert count(client, "search_doc", "kind = 'person'") == 0
    apply_page(client, pages[-1], pages[-1]["cursor"])
    with client.raw() as raw:
        conn = raw.driver_connection
        assert state.get(conn, SEARCH_PENDING) is None
        for table in ("search_fts", "search_tri"):  # merging is back on after the build
            config = dict(conn.execute(f"SELECT k, v FROM {table}_config").fetchall())
            assert config.get("automerge") == search.AUTOMERGE and config.get("crisismerge") == 16
        rebuilt = sorted(conn.execute("SELECT kind, ref_id FROM search_doc").fetchall())
    queries = {
        str(r["data"][f])[:k]
        for r in snapshot_records
        if r["table"] in ("person", "case")
        for f in ("name", "kana", "phone", "title", "case_number")
        if r["data"].get(f)
        for k in (2, 3, 6)
    }
    assert len(queries) > 20

    def answers() -> dict[str, tuple[set[str], set[str]]]:
        with client.session() as s:
            return {
                q: (
                    set(search.search_case_ids(s, q, limit=10_000)),
                    set(search.search_refs(s, "person", q, limit=10_000)),
                )
                for q in sorted(queries)
            }

    found_rebuilt = answers()
    with client.raw() as raw:
        conn = raw.driver_connection
        conn.execute("BEGIN IMMEDIATE")
        ids = {
            t: [r[0] for r in conn.execute(f'SELECT id FROM "{t}" WHERE deleted = 0')]
            for t in ("person", "case", "resource")
        }
        search.reindex(conn, persons=ids["person"], cases=ids["case"], resources=ids["resource"])
        conn.execute("COMMIT")
        row_by_row = sorted(conn.execute("SELECT kind, ref_id FROM search_doc").fetchall())
    assert rebuilt == row_by_row and len(rebuilt) == sum(len(v) for v in ids.values())
    # The one-pass build finds exactly what indexing row by row finds.
    assert found_rebuilt == answers()
    assert any(cases for cases, _ in found_rebuilt.values())
    person = next(r for r in snapshot_records if r["table"] == "person")
    with client.session() as s:
        assert person["id"] in search.search_refs(s, "person", person["data"]["kana"])


def _index_state(store: Store) -> tuple[list[Any], dict[str, set[str]]]:
    """Every search entry (rowid, kind, ref) and what a set of queries finds."""
    with store.raw() as raw:
        conn = raw.driver_connection
        docs = conn.execute("SELECT rowid, kind, ref_id FROM search_doc ORDER BY rowid").fetchall()
        names = [r[0] for r in conn.execute("SELECT name FROM person WHERE deleted = 0")]
        for table in ("search_fts", "search_tri"):
            conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
    queries = {n[:k] for n in names for k in (1, 2, 3)} | {"あ", "東", "090"}
    with store.session() as s:
        found = {
            q: set(search.search_case_ids(s, q, limit=10_000))
            | set(search.search_refs(s, "person", q, limit=10_000))
            for q in sorted(queries)
        }
    return docs, found


def test_the_two_thread_build_writes_exactly_what_the_one_thread_build_writes(
    client: Store, snapshot_records
):
    """A large index is built with a second connection reading and normalising rows on a
    helper thread (search.rebuild_all with a reader): the same entries, rowid for rowid, and
    the same answers as the one-connection build."""
    from app.sync.apply import write_transaction

    _apply_all(client, snapshot_records)  # small: built on one connection
    one_thread = _index_state(client)
    assert len(one_thread[0]) > 300 and any(one_thread[1].values())
    with client.reader() as reader, write_transaction(client) as conn:
        written = search.rebuild_all(conn, reader=reader)
    assert written == len(one_thread[0])
    assert _index_state(client) == one_thread


def test_a_first_snapshot_index_build_that_fails_is_finished_by_the_next_run(
    client: Store, snapshot_records, monkeypatch: pytest.MonkeyPatch
):
    """The last page and its cursor commit first; the index is built in its own transaction.
    If that build fails (here the reading connection is dead, then the writer fails midway),
    nothing of it stays, the index stays marked pending, and ``build_pending_index`` (which
    every sync run calls) builds it later. Neither failure leaves the helper thread behind."""
    import contextlib
    import threading

    import sqlcipher3

    from app.sync import apply
    from app.sync.apply import SEARCH_PENDING, build_pending_index

    monkeypatch.setattr(apply, "PIPELINE_MIN", 0)  # the two-connection build, at this size
    pages = pages_of(snapshot_records, 400)
    for page in pages[:-1]:
        apply_page(client, page, page["cursor"])

    @contextlib.contextmanager
    def dead_reader() -> Any:
        conn = sqlcipher3.connect(":memory:")
        conn.close()
        yield conn

    threads = threading.active_count()
    with monkeypatch.context() as m:
        m.setattr(client, "reader", dead_reader)
        with pytest.raises(sqlcipher3.ProgrammingError):
            apply_page(client, pages[-1], pages[-1]["cursor"])
    cur = _cursor(client)
    assert cur.initial_complete and cur.position == pages[-1]["next_cursor"]
    assert count(client, "person") == sum(r["table"] == "person" for r in snapshot_records)
    with client.raw() as raw:
        assert state.get(raw.driver_connection, SEARCH_PENDING) is True
    assert count(client, "search_doc") == 0
    with client.session() as s:
        assert search.index_pending(s)  # the case list says searches are incomplete

    calls = 0
    real_write = search._write_chunk

    def failing_write(conn: Any, first: int, chunk: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise sqlcipher3.OperationalError("database or disk is full")
        real_write(conn, first, chunk)

    with monkeypatch.context() as m:
        m.setattr(search, "_REBUILD_CHUNK", 50)
        m.setattr(search, "_write_chunk", failing_write)
        with pytest.raises(sqlcipher3.OperationalError):
            build_pending_index(client)
    assert calls == 2 and count(client, "search_doc") == 0  # rolled back
    assert threading.active_count() == threads  # the reading thread stopped each time

    assert build_pending_index(client) is True
    with client.raw() as raw:
        assert state.get(raw.driver_connection, SEARCH_PENDING) is None
    assert build_pending_index(client) is False  # nothing left to do
    person = next(r for r in snapshot_records if r["table"] == "person")
    with client.session() as s:
        assert not search.index_pending(s)
        assert person["id"] in search.search_refs(s, "person", person["data"]["kana"])
    assert count(client, "search_doc") == len(_index_state(client)[0]) > 300


@pytest.mark.parametrize("two_threads", [True, False])
def test_a_cancelled_index_build_rolls_back_and_is_finished_later(
    client: Store, snapshot_records, monkeypatch: pytest.MonkeyPatch, two_threads: bool
):
    """Cancelling a sync (or locking the app, which cancels it) during the index build stops
    it between chunks: nothing of it stays, the index stays pending, the next run builds it."""
    import threading

    from app.sync import apply
    from app.sync.apply import SEARCH_PENDING, build_pending_index
    from app.sync.errors import SyncCancelled

    monkeypatch.setattr(apply, "PIPELINE_MIN", 0 if two_threads else 10**9)
    monkeypatch.setattr(search, "_REBUILD_CHUNK", 50)
    pages = pages_of(snapshot_records, 400)
    for page in pages[:-1]:
        apply_page(client, page, page["cursor"])
    checks = 0
    cancel = threading.Event()

    def check() -> None:
        nonlocal checks
        checks += 1
        if checks == 3:
            cancel.set()  # the person presses Cancel while the third chunk is due
        if cancel.is_set():
            raise SyncCancelled()

    threads = threading.active_count()
    started: list[int] = []
    with pytest.raises(SyncCancelled):
        apply_page(client, pages[-1], pages[-1]["cursor"], indexing=started.append, check=check)
    assert checks == 3 and started and started[0] > 300  # the documents to index
    assert _cursor(client).initial_complete  # the page itself went in
    assert count(client, "search_doc") == 0
    assert threading.active_count() == threads
    with client.raw() as raw:
        assert state.get(raw.driver_connection, SEARCH_PENDING) is True
    assert build_pending_index(client) is True
    assert count(client, "search_doc") == started[0]
