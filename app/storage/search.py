"""Japanese-aware search over persons, cases and regional resources.

Text is normalised (NFKC, katakana -> hiragana, lower case, only letters and digits kept, so
spaces, hyphens and punctuation are ignored) and indexed twice: as overlapping character bigrams
in ``search_fts`` (unicode61 tokens) and as text in ``search_tri`` (FTS5's trigram tokenizer).
A query is split into terms at spaces, and a document matches when it contains every term, in
any order ("清水 陽一" = "陽一 清水"). A term of three or more characters is a substring match on
the trigram table (selective: rare tokens, short doclists); two characters are one bigram
token; one character is a prefix query. So "やまだ", "ヤマダ", "ﾔﾏﾀﾞ" and (through the kana
field) "山田" find the same person, and "090-1234" finds "09012345678".
"""

from __future__ import annotations

import operator
import queue
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import jaconv
import orjson
from sqlalchemy import text
from sqlalchemy.orm import Session

# The bigram table answers one- and two-character queries only, each a single token (a
# bigram, or a one-character prefix): it needs no token positions, so it keeps none
# (``detail=none``: a quarter less work per insert and half the size, measured).
FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "body, content='', contentless_delete=1, detail=none, "
    "tokenize='unicode61 remove_diacritics 0')"
)
TRI_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_tri USING fts5("
    "body, content='', contentless_delete=1, tokenize='trigram case_sensitive 1')"
)
FIELD_SEPARATOR = "|"  # never in a normalised query, so matches never span two fields


# Everything that is not a letter or a number (Unicode categories L* and N*): for every code
# point, ``[\W_]`` matches exactly the characters whose category starts with neither L nor N
# (checked over the whole code space in tests/sync/test_fast_paths.py), and runs in C.
_NOT_LETTER_OR_NUMBER = re.compile(r"[\W_]+")
# Fields repeat a lot (a person's text is in their own document and in their cases'; addresses,
# case titles): pure functions of a string, so they are memoised.
_CACHE = 65536


# Katakana that kata2hira turns into hiragana (ァ-ヶ, ヽ, ヾ): most text has none, and the check
# costs a tenth of the conversion.
_KATAKANA = re.compile("[\u30a1-\u30f6\u30fd\u30fe]")


@lru_cache(maxsize=_CACHE)
def _normalize(value: str) -> str:
    s = unicodedata.normalize("NFKC", value)
    if _KATAKANA.search(s):
        s = jaconv.kata2hira(s)
    return _NOT_LETTER_OR_NUMBER.sub("", s.lower())


def normalize(value: str | None) -> str:
    if not value:
        return ""
    return _normalize(value)


def bigrams(norm: str) -> list[str]:
    if len(norm) < 2:
        return [norm] if norm else []
    grams = list(map(operator.add, norm, norm[1:]))  # every adjacent pair, in C
    grams.append(norm[-1])  # lets a one-character prefix query find a field's last character
    return grams


@lru_cache(maxsize=_CACHE)
def _field_tokens(value: str) -> str:
    return " ".join(bigrams(_normalize(value)))


@lru_cache(maxsize=_CACHE)
def _norm_tokens(norm: str) -> str:
    return " ".join(bigrams(norm))


def index_body(fields: Iterable[str | None]) -> str:
    return " ".join(t for t in (_field_tokens(f) for f in fields if f) if t)


def tri_body(fields: Iterable[str | None]) -> str:
    return FIELD_SEPARATOR.join(n for n in (normalize(f) for f in fields) if n)


def bodies(fields: Iterable[str | None]) -> tuple[str, str]:
    """``(index_body(fields), tri_body(fields))``, normalising each field once."""
    norms = [n for n in [_normalize(f) for f in fields if f] if n]
    return " ".join([_norm_tokens(n) for n in norms]), FIELD_SEPARATOR.join(norms)


def query_terms(query: str) -> list[str]:
    """A query's normalised terms: split at spaces of any width, each normalised. A term that
    normalises to nothing, a repeat, or one another term contains (it cannot narrow the match)
    is dropped."""
    terms: list[str] = []
    for part in unicodedata.normalize("NFKC", query).split():
        norm = normalize(part)
        if norm and norm not in terms:
            terms.append(norm)
    return [t for t in terms if not any(t != other and t in other for other in terms)]


def fts_queries(query: str) -> list[tuple[str, str]]:
    """(table, MATCH expression) pairs that together find the documents containing every term
    of the query, in any order; empty when nothing is left to search. Terms of three or more
    characters are substrings on the trigram table, two characters one bigram token, one
    character a prefix query; each table's terms are ANDed in one expression (the trigram
    table, more selective, first)."""
    terms = query_terms(query)
    tri = [f'"{t}"' for t in terms if len(t) >= 3]
    fts = [f'"{t}"*' if len(t) == 1 else f'"{t}"' for t in terms if len(t) < 3]
    out = []
    if tri:
        out.append(("search_tri", " AND ".join(tri)))
    if fts:
        out.append(("search_fts", " AND ".join(fts)))
    return out


# --- keeping the index current -------------------------------------------------------------
#
# A case's document holds the case's own text and the name, kana, phone, address and notes of
# its person and of every member of its household, so one FTS lookup answers a case search.
# Every (re)index gives the document a new rowid: rowid order is "most recently changed first",
# which lets a search stop after the newest N matches instead of sorting them all.

PERSON_COLUMNS = ("name", "kana", "phone", "address", "notes")
CASE_COLUMNS = ("case_number", "title", "notes")
RESOURCE_COLUMNS = ("name", "kana", "address", "schedule", "contact", "notes")
_CHUNK = 500


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _replace_all(
    conn: Any, groups: Sequence[tuple[str, dict[str, list[str | None] | None]]]
) -> None:
    """Replace the entries of several kinds: every old entry is deleted first, then the new ones
    are inserted in ``groups`` order. FTS5 flushes its pending terms to a new segment whenever a
    delete follows an insert in one transaction, and every segment feeds later merges; deleting
    first keeps one reindex to one segment per FTS table."""
    old: list[int] = []
    for kind, docs in groups:
        for part in _chunks(list(docs)):
            old.extend(
                r[0]
                for r in conn.execute(
                    f"SELECT rowid FROM search_doc WHERE kind = ? "
                    f"AND ref_id IN ({_marks(len(part))})",
                    [kind, *part],
                )
            )
    if old:
        gone = [(r,) for r in old]
        conn.executemany("DELETE FROM search_fts WHERE rowid = ?", gone)
        conn.executemany("DELETE FROM search_tri WHERE rowid = ?", gone)
        conn.executemany("DELETE FROM search_doc WHERE rowid = ?", gone)
    for kind, docs in groups:
        _insert_docs(conn, kind, ((ref, f) for ref, f in docs.items() if f is not None))


def _insert_docs(conn: Any, kind: str, docs: Iterable[tuple[str, Sequence[str | None]]]) -> int:
    """New entries get rowids above every existing one, in ``docs`` order (what one INSERT after
    another would give them), written with one statement per table (``_write_chunk``)."""
    batch = list(docs)
    if not batch:
        return 0
    top = conn.execute("SELECT coalesce(max(rowid), 0) FROM search_doc").fetchone()[0]
    _write_chunk(conn, top + 1, _encode_chunk(kind, batch))
    return len(batch)


def cases_touching(conn: Any, person_ids: Sequence[str], household_ids: Sequence[str]) -> set[str]:
    """Ids of the cases whose search document includes these persons or households."""
    found: set[str] = set()
    persons = list(person_ids)
    for part in _chunks(persons):
        m = _marks(len(part))
        found.update(r[0] for r in conn.execute(
            f'SELECT id FROM "case" WHERE person_id IN ({m})', part))  # fmt: skip
        household_ids = list(household_ids) + [
            r[0] for r in conn.execute(
                f"SELECT household_id FROM household_member WHERE person_id IN ({m})", part)
        ]  # fmt: skip
    for part in _chunks(list(set(household_ids))):
        found.update(r[0] for r in conn.execute(
            f'SELECT id FROM "case" WHERE household_id IN ({_marks(len(part))})', part))  # fmt: skip
    return found


def _case_docs(conn: Any, case_ids: Sequence[str]) -> dict[str, list[str | None] | None]:
    docs: dict[str, list[str | None] | None] = {cid: None for cid in case_ids}
    for part in _chunks(list(case_ids)):
        m = _marks(len(part))
        rows = conn.execute(
            f'SELECT id, case_number, title, notes, person_id, household_id FROM "case" '
            f"WHERE deleted = 0 AND id IN ({m})",
            part,
        ).fetchall()
        households = list({r[5] for r in rows if r[5]})
        members: dict[str, list[str]] = {}
        for hpart in _chunks(households):
            for hid, pid in conn.execute(
                f"SELECT household_id, person_id FROM household_member "
                f"WHERE deleted = 0 AND household_id IN ({_marks(len(hpart))})",
                hpart,
            ):
                members.setdefault(hid, []).append(pid)
        wanted = {r[4] for r in rows if r[4]} | {p for ps in members.values() for p in ps}
        people = _simple_docs(conn, "person", PERSON_COLUMNS, list(wanted))
        for cid, number, title, notes, pid, hid in rows:
            fields: list[str | None] = [number, title, notes]
            for p in dict.fromkeys([pid, *members.get(hid, [])]):
                fields.extend(people.get(p or "") or [])  # deleted or missing: nothing
            docs[cid] = fields
    return docs


def _simple_docs(
    conn: Any, table: str, columns: Sequence[str], ids: Sequence[str]
) -> dict[str, list[str | None] | None]:
    docs: dict[str, list[str | None] | None] = {i: None for i in ids}
    for part in _chunks(list(ids)):
        for row in conn.execute(
            f'SELECT id, {", ".join(columns)} FROM "{table}" '
            f"WHERE deleted = 0 AND id IN ({_marks(len(part))})",
            part,
        ):
            docs[row[0]] = list(row[1:])
    return docs


def reindex(
    conn: Any,
    *,
    cases: Iterable[str] = (),
    persons: Iterable[str] = (),
    households: Iterable[str] = (),
    resources: Iterable[str] = (),
) -> None:
    """Rebuild index entries from the rows as they are now (DB-API connection, caller's
    transaction). Persons and households also refresh the cases whose documents include them.
    Used by the ORM hook below and by the sync client after it applies a page."""
    persons, households = list(set(persons)), list(set(households))
    case_ids = set(cases) | cases_touching(conn, persons, households)
    resources = list(set(resources))
    groups: list[tuple[str, dict[str, list[str | None] | None]]] = []
    if persons:
        groups.append(("person", _simple_docs(conn, "person", PERSON_COLUMNS, persons)))
    if case_ids:
        groups.append(("case", _case_docs(conn, sorted(case_ids))))
    if resources:
        groups.append(("resource", _simple_docs(conn, "resource", RESOURCE_COLUMNS, resources)))
    if groups:
        _replace_all(conn, groups)


_REBUILD_CHUNK = 5000
_UNIT, _RECORD = "\x1f", "\x1e"  # separators of the household members' fields in one value


def _all_simple_sql(table: str, columns: Sequence[str]) -> str:
    return (
        f'SELECT id, {", ".join(columns)} FROM "{table}" WHERE deleted = 0 ORDER BY updated_at, id'
    )


# Every live case with its own fields, its person's and (as one value) the other household
# members' - what ``_case_docs`` gathers, in one ordered pass instead of id-list lookups.
_MEMBER_FIELDS = f" || '{_UNIT}' || ".join(f"coalesce(mp.{c}, '')" for c in PERSON_COLUMNS)
_ALL_CASES_SQL = (
    "SELECT c.id, c.case_number, c.title, c.notes, "
    + ", ".join(f"p.{col}" for col in PERSON_COLUMNS)
    + f", (SELECT group_concat({_MEMBER_FIELDS}, '{_RECORD}') FROM ("
    "SELECT DISTINCT m.person_id FROM household_member m "
    "WHERE m.household_id = c.household_id AND m.deleted = 0 "
    "AND m.person_id IS NOT c.person_id) AS mm "
    "JOIN person mp ON mp.id = mm.person_id AND mp.deleted = 0) "
    'FROM "case" c LEFT JOIN person p ON p.id = c.person_id AND p.deleted = 0 '
    "WHERE c.deleted = 0 ORDER BY c.updated_at, c.id"
)


def _case_fields(row: Sequence[Any]) -> list[str | None]:
    """A row of ``_ALL_CASES_SQL`` as document fields (the order of ``_case_docs``)."""
    n = len(PERSON_COLUMNS)
    fields: list[str | None] = list(row[1 : 4 + n])
    members = row[4 + n]
    if members:
        for member in members.split(_RECORD):
            fields.extend(member.split(_UNIT))
    return fields


_REBUILD_SOURCES = (
    ("person", _all_simple_sql("person", PERSON_COLUMNS)),
    ("case", _ALL_CASES_SQL),
    ("resource", _all_simple_sql("resource", RESOURCE_COLUMNS)),
)


def _all_documents(conn: Any) -> Iterator[tuple[str, list[tuple[str, Sequence[str | None]]]]]:
    """Every live document, in chunks: (kind, [(ref id, fields)]), oldest change first."""
    for kind, sql in _REBUILD_SOURCES:
        rows = conn.execute(sql)  # one ordered pass per kind
        while part := rows.fetchmany(_REBUILD_CHUNK):
            if kind == "case":
                yield kind, [(r[0], _case_fields(r)) for r in part]
            else:
                yield kind, [(r[0], r[1:]) for r in part]


def document_count(conn: Any) -> int:
    """How many documents a rebuild would write (live persons, cases and resources)."""
    return int(
        conn.execute(
            "SELECT (SELECT count(*) FROM person WHERE deleted = 0)"
            ' + (SELECT count(*) FROM "case" WHERE deleted = 0)'
            " + (SELECT count(*) FROM resource WHERE deleted = 0)"
        ).fetchone()[0]
    )


def rebuild_all(conn: Any, reader: Any = None, check: Callable[[], None] | None = None) -> int:
    """Throw the whole index away and build it again from the rows as they are now (DB-API
    connection, caller's transaction). Entries are written oldest change first, so rowid order
    stays "most recently changed first". Used once after a first sync, which applies its pages
    without indexing them: one pass with no lookups or deletes of old entries is cheaper than
    keeping the index current page by page.

    ``reader``: a second connection to the same file, whose first read must begin after the
    caller's write transaction took the write lock (so it sees exactly what this transaction
    sees: the rebuild writes only the search tables). The rows are then read and their text
    normalised on a helper thread while this one writes the entries of the chunk before (see
    ``_insert_pipelined``): about a third less time for 200,000 documents, measured.

    ``check()`` is called before each chunk is written; whatever it raises (a cancelled sync)
    ends the build, and the caller's transaction rolls it back."""
    conn.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
    conn.execute("INSERT INTO search_tri(search_tri) VALUES ('delete-all')")
    conn.execute("DELETE FROM search_doc")
    # No merging while building: the build ends with 'optimize', which merges everything once
    # (about a quarter less work for 200,000 documents, measured). Restored below; these
    # settings live in the tables themselves, so a rolled-back build restores them too.
    _merge_settings(conn, automerge=0, crisismerge=64)
    check = check or (lambda: None)
    if reader is not None:
        written = _insert_pipelined(conn, reader, check)
    else:
        written = 0
        for kind, docs in _all_documents(conn):
            check()
            written += _insert_docs(conn, kind, docs)
    # A bulk build leaves several large segments of similar size behind; merged later by the
    # automatic merge, they would stall a few small syncs' commits (~200 ms each, measured).
    # One segment per table now costs little, and small later segments merge among themselves.
    conn.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    conn.execute("INSERT INTO search_tri(search_tri) VALUES ('optimize')")
    _merge_settings(conn, automerge=AUTOMERGE, crisismerge=16)
    return written


# A chunk's entries, written by one statement per table from JSON arrays (ref ids, bigram
# bodies, trigram bodies): SQLite runs each with the GIL released. ``executemany`` would take
# the GIL back after every row and wait for it while the reading thread computes (up to the
# 5 ms switch interval each time), so the two threads would barely overlap; alone it was
# slower too (2.2 s against 1.6 s for 200,000 documents, measured). Every writer of entries
# uses it.
_CHUNK_SQL = (
    "INSERT INTO search_doc(rowid, kind, ref_id) SELECT ? + key, ?, value FROM json_each(?)",
    "INSERT INTO search_fts(rowid, body) SELECT ? + key, value FROM json_each(?)",
    "INSERT INTO search_tri(rowid, body) SELECT ? + key, value FROM json_each(?)",
)
# (kind, ref ids, bigram bodies, trigram bodies, count): the three lists as JSON arrays. The
# text came out of SQLite as valid UTF-8, so orjson can always encode it.
_Chunk = tuple[str, str, str, str, int]


def _encode_chunk(kind: str, docs: list[tuple[str, Sequence[str | None]]]) -> _Chunk:
    texts = [bodies(f) for _ref, f in docs]
    return (
        kind,
        orjson.dumps([ref for ref, _f in docs]).decode(),
        orjson.dumps([t[0] for t in texts]).decode(),
        orjson.dumps([t[1] for t in texts]).decode(),
        len(docs),
    )


def _write_chunk(conn: Any, first: int, chunk: _Chunk) -> None:
    """A chunk's entries, rowids from ``first`` on, in their order."""
    kind, refs, fts, tri, _n = chunk
    conn.execute(_CHUNK_SQL[0], (first, kind, refs))
    conn.execute(_CHUNK_SQL[1], (first, fts))
    conn.execute(_CHUNK_SQL[2], (first, tri))


_DONE = object()


def _insert_pipelined(conn: Any, reader: Any, check: Callable[[], None]) -> int:
    """Write every document's entries (the index is empty): a helper thread reads the rows on
    ``reader`` and computes their bodies, a chunk ahead of this thread, which writes them."""
    ready: queue.Queue[Any] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def hand_over(item: Any) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            # Its own page cache stays small: 4 MiB built the index as fast as 24 MiB and kept
            # the first sync's peak memory 30 MB lower (545,000 rows, measured).
            reader.execute("PRAGMA cache_size = -4096")
            reader.execute("BEGIN")  # one snapshot for all three passes
            try:
                for kind, docs in _all_documents(reader):
                    if not hand_over(_encode_chunk(kind, docs)):
                        return
            finally:
                reader.execute("ROLLBACK")
            hand_over(_DONE)
        except BaseException as exc:  # handed to the writing thread, which raises it
            hand_over(exc)

    thread = threading.Thread(target=produce, name="search-rebuild", daemon=True)
    thread.start()
    written = 0
    try:
        while (item := ready.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            check()
            _write_chunk(conn, written + 1, item)
            written += item[4]
    finally:
        stop.set()
        thread.join()
    return written


# Segments merged once this many share a level (FTS5's default is 4, its maximum 16). After a
# first sync's build the index is one large segment; with 4, the small segments of later syncs
# and edits reached its level after ~12 commits, and merging it into them stalled the next
# ~8 commits for 100-300 ms each (545,000 rows, measured), then again after ~60. With 16 the
# large segment is merged about a quarter as often (first after ~170 commits, measured), at a
# few more segments for a query to look in. Total merge work over 200 commits: 10.1 s -> 9.3 s.
AUTOMERGE = 16


def _merge_settings(conn: Any, *, automerge: int, crisismerge: int) -> None:
    for table in ("search_fts", "search_tri"):
        conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('automerge', ?)", (automerge,))
        conn.execute(
            f"INSERT INTO {table}({table}, rank) VALUES ('crisismerge', ?)", (crisismerge,)
        )


def bulk_index(conn: Any, kind: str, docs: Iterable[tuple[str, Sequence[str | None]]]) -> int:
    """Fast path for bulk loads of new rows (demo data): no lookups of old entries."""
    return _insert_docs(conn, kind, docs)


# --- querying ------------------------------------------------------------------------------


def _matching(session: Session, kind: str, query: str, limit: int) -> list[str]:
    """Ref ids of ``kind`` whose text contains every term of the query (in any order), most
    recently (re)indexed first."""
    queries = fts_queries(query)
    if not queries:
        return []
    params: dict[str, Any] = {"k": kind, "n": limit}
    if len(queries) == 1:
        ((table, params["q"]),) = queries
        sql = (
            f"SELECT d.ref_id FROM {table} f JOIN search_doc d ON d.rowid = f.rowid "
            f"WHERE {table} MATCH :q AND d.kind = :k ORDER BY f.rowid DESC LIMIT :n"
        )
    else:
        # Long and short terms: intersect the two tables' rowids (a merge of two doclists,
        # ~10 ms for two common names at 100,000 cases) and look up only what both hold.
        # Probing one table per row of the other took seconds; CROSS JOIN keeps that order.
        (_, params["tri"]), (_, params["fts"]) = queries
        sql = (
            "SELECT d.ref_id FROM (SELECT rowid AS r FROM search_tri WHERE search_tri MATCH :tri "
            "INTERSECT SELECT rowid FROM search_fts WHERE search_fts MATCH :fts) x "
            "CROSS JOIN search_doc d ON d.rowid = x.r WHERE d.kind = :k "
            "ORDER BY x.r DESC LIMIT :n"
        )
    return [r[0] for r in session.execute(text(sql), params)]


# Set (in ``sync_state``) while a first sync's snapshot is applied without search entries:
# the index is built when the snapshot completes (app/sync/apply.py).
PENDING_KEY = "search_index_pending"


def index_pending(session: Session) -> bool:
    """True while an unfinished first sync has left rows that searches cannot find yet."""
    value = session.execute(
        text("SELECT value FROM sync_state WHERE key = :k"), {"k": PENDING_KEY}
    ).scalar()
    return value is not None and value != "null"


def search_refs(session: Session, kind: str, query: str, limit: int = 200) -> list[str]:
    return _matching(session, kind, query, limit)


def search_case_ids(session: Session, query: str, limit: int = 1000) -> list[str]:
    """Cases whose own text, person or household members match: the ``limit`` most recently
    changed ones (rowid order), so a two-letter query over 100,000 cases stays fast."""
    return _matching(session, "case", query, limit)


# --- ORM hook: local edits and ORM-applied remote changes keep the index current ------------

_KIND_OF = {"person": "persons", "case": "cases", "resource": "resources"}


def reindex_flushed(session: Session, _ctx: Any) -> None:
    """The store's ``after_flush`` hook (attached to its session factory in app.storage.db):
    reindexes the persons, cases, households and resources the flush wrote."""
    touched: dict[str, set[str]] = {
        "cases": set(), "persons": set(), "households": set(), "resources": set()
    }  # fmt: skip
    for obj in list(session.new) + list(session.dirty):
        name = getattr(obj, "__tablename__", "")
        if name in _KIND_OF:
            touched[_KIND_OF[name]].add(obj.id)
        elif name == "household_member":
            touched["households"].add(obj.household_id)
    if any(touched.values()):
        conn = session.connection().connection.driver_connection
        reindex(conn, **touched)


def clear_caches() -> None:
    """Forget memoised text (it is personal data): called when the store locks."""
    _normalize.cache_clear()
    _field_tokens.cache_clear()
    _norm_tokens.cache_clear()
