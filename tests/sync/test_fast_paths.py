"""The sync client's fast paths give exactly what the plain ones gave: text normalisation by one
regular expression, search entries written with executemany, storage rows picked in one call,
pages prepared on the fetching thread."""

from __future__ import annotations

import sys
import unicodedata

from app.storage import search
from app.storage.db import Store
from app.storage.models import Person
from app.sync import state
from app.sync.apply import apply_page, prepare_page
from app.sync.codec import codec


def test_the_regex_keeps_exactly_letters_and_numbers_over_all_of_unicode() -> None:
    chars = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
    kept = search._NOT_LETTER_OR_NUMBER.sub("", chars)
    assert kept == "".join(ch for ch in chars if unicodedata.category(ch)[0] in "LN")


def test_the_katakana_check_covers_every_character_kata2hira_changes() -> None:
    import jaconv

    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if jaconv.kata2hira(ch) != ch:
            assert search._KATAKANA.search(ch), hex(cp)


def test_normalize_and_index_body_match_the_plain_definitions() -> None:
    fields = ["ヤマダ　ﾊﾅｺ", None, "", "090-1234-5678", "尼崎市東難波町1丁目", "!!", "Ａｂｃ"]
    plain = []
    for f in fields:
        s = jaconv_plain(f)
        plain.extend(search.bigrams(s))
    assert search.index_body(fields) == " ".join(plain)
    assert search.bodies(fields) == (search.index_body(fields), search.tri_body(fields))
    assert search.normalize("ﾔﾏﾀﾞ ﾊﾅｺ") == "やまだはなこ"


def jaconv_plain(value: str | None) -> str:
    import jaconv

    if not value:
        return ""
    s = jaconv.kata2hira(unicodedata.normalize("NFKC", value)).lower()
    return "".join(ch for ch in s if unicodedata.category(ch)[0] in "LN")


def test_new_entries_get_rising_rowids_in_order(store: Store) -> None:
    with store.session() as s:
        people = [Person(name=f"寄添 {i}", kana="よりそい") for i in range(3)]
        s.add_all(people)
        s.flush()
        ids = [p.id for p in people]
    with store.raw() as raw:
        conn = raw.driver_connection
        conn.execute("BEGIN")
        search.reindex(conn, persons=[ids[1]])  # re-indexed last: newest rowid
        conn.execute("COMMIT")
        rows = conn.execute(
            "SELECT rowid, ref_id FROM search_doc WHERE kind = 'person' ORDER BY rowid"
        ).fetchall()
        assert [r[1] for r in rows][-1] == ids[1]
        assert len(rows) == 3
        fts = conn.execute("SELECT count(*) FROM search_fts").fetchone()[0]
        assert fts == 3
    with store.session() as s:
        assert search.search_refs(s, "person", "よりそい")[0] == ids[1]


def test_row_picks_every_column_and_defaults_missing_ones() -> None:
    c = codec("case")
    data = {k: None for k in c.columns if k != "id"}
    data.update(title="相談", issue_categories=["income"], deleted=False, version=3,
                created_at="2026-01-02T03:04:05.000006")  # fmt: skip
    fast = c.row("x", data)
    slow = [data.get(col, d) for col, d in c.pairs]
    slow[c.id_index] = "x"
    for i, conv in c.convs:
        slow[i] = None if slow[i] is None else conv(slow[i])
    assert fast == slow
    assert fast[c.columns.index("created_at")] == "2026-01-02 03:04:05.000006"
    assert fast[c.columns.index("issue_categories")] == '["income"]'
    partial = {"title": "相談"}  # an older server leaving columns out: their defaults
    row = c.row("y", partial)
    assert row[c.id_index] == "y" and row[c.columns.index("title")] == "相談"
    assert row[c.columns.index("version")] == dict(c.pairs)["version"]


def test_a_prepared_page_is_applied_like_the_page_it_came_from(store: Store) -> None:
    page = {"cursor": 0, "next_cursor": 7, "has_more": True, "purge": [],
            "records": [{"table": "person", "id": "p1", "data": {
                "name": "寄添 花子", "created_at": "2026-01-01T00:00:00.000000",
                "updated_at": "2026-01-01T00:00:00.000000", "version": 1, "deleted": False}},
                        {"table": "nope", "id": "z", "data": {}},
                        {"table": "audit_event", "id": "a", "data": {}}]}  # fmt: skip
    prepared = prepare_page(page, 0)
    assert prepared.ids == {"person": ["p1"]} and prepared.size == 1
    assert (prepared.next_cursor, prepared.has_more) == (7, True)
    result = apply_page(store, prepared, 0)
    assert (result.applied, result.cursor, result.initial_complete) == (1, 7, False)
    with store.raw() as raw:
        conn = raw.driver_connection
        assert conn.execute("SELECT name FROM person WHERE id = 'p1'").fetchone()[0] == "寄添 花子"
        assert state.cursor(conn).position == 7
    assert apply_page(store, prepared, 0).stale  # the cursor moved on: not applied twice


def test_fewer_collections_restores_the_thresholds_after_overlapping_runs() -> None:
    import gc

    from app.sync.engine import fewer_collections

    before = gc.get_threshold()
    a, b = fewer_collections(), fewer_collections()
    a.__enter__()
    assert gc.get_threshold()[0] >= 50_000
    b.__enter__()
    a.__exit__(None, None, None)  # the first run ends while the second still runs
    assert gc.get_threshold()[0] >= 50_000
    b.__exit__(None, None, None)
    assert gc.get_threshold() == before


def _raw_rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every stored row of every pulled table with each value's SQLite type: exact storage."""
    from app.sync.apply import PULLED_TABLES

    out = {}
    with store.raw() as raw:
        conn = raw.driver_connection
        for table in sorted(PULLED_TABLES):
            cols = codec(table).columns
            picks = ", ".join(f'"{c}", typeof("{c}")' for c in cols)
            out[table] = conn.execute(f'SELECT {picks} FROM "{table}" ORDER BY id').fetchall()
    return out


def test_a_table_written_in_one_statement_is_stored_exactly_as_row_by_row(
    tmp_path, snapshot_records, monkeypatch
) -> None:
    """The one-statement path (codec.bulk_sql from JSON) against codec.row + executemany, on
    the demo data and on records it must hand back to ``row``: missing columns, datetimes in
    other forms, non-boolean flags, JSON values of every kind, and unusual text."""
    import copy

    import app.sync.apply as apply_mod
    from tests.sync.helpers import new_client, pages_of

    records = copy.deepcopy(snapshot_records)
    persons = [r for r in records if r["table"] == "person"]
    cases = [r for r in records if r["table"] == "case"]
    assert len(persons) >= 200 and len(cases) >= 200
    odd = {
        0: lambda d: d.pop("kana", None),  # a missing column: its default
        1: lambda d: d.update(updated_at="2026-03-04T05:06:07Z"),  # another datetime form
        2: lambda d: d.update(updated_at="2026-03-04 05:06:07.123456"),  # stored form already
        3: lambda d: d.update(deleted=0),  # a flag that is not a JSON boolean
        4: lambda d: d.update(notes='改行\nタブ\t引用"符\\ 😀 \u0000 終'),
        5: lambda d: d.update(notes=None, phone=""),
        6: lambda d: d.update(version=2**62),
        7: lambda d: d.update(birth_date="1950-01-02T00:00:00"),  # a date with a time
    }
    for n, change in odd.items():
        change(persons[n]["data"])
    for n, value in enumerate([[], ["income"], {"a": [1, 2.5, None, True]}, "text", 3]):
        cases[n]["data"]["issue_categories"] = value
    pages = pages_of(records, len(records))

    def stored(bulk_min: int) -> dict[str, list[tuple[object, ...]]]:
        monkeypatch.setattr(apply_mod, "BULK_MIN", bulk_min)
        store = new_client(tmp_path / f"c{bulk_min}" / "yorisoi.db")
        try:
            before = copy.deepcopy(pages[0])
            prepared = prepare_page(pages[0], 0)
            assert pages[0] == before  # the page itself is left as it was
            if bulk_min == 1:
                assert {"person", "case"} <= set(prepared.docs)
                assert len(prepared.rows["person"]) == 3  # 0, 1 and 3; the others are plain
            apply_page(store, prepared, 0)
            return _raw_rows(store)
        finally:
            store.lock()

    one_statement, row_by_row = stored(1), stored(10**9)
    assert sum(len(v) for v in one_statement.values()) >= len(records) - 50
    assert one_statement == row_by_row
