"""The bigram search table without token positions (``detail=none``): it only ever answers
single-token queries (see app/storage/search.py). Recreated and the whole index rebuilt from
the rows as they are now. What it needs of app/storage/search.py is frozen below.

Revision ID: 0006
Revises: 0005
"""

import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import jaconv
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_DDL = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "body, content='', contentless_delete=1, "
    "tokenize='unicode61 remove_diacritics 0')"
)
_NEW_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "body, content='', contentless_delete=1, detail=none, "
    "tokenize='unicode61 remove_diacritics 0')"
)


# --- frozen from app/storage/search.py (do not import live code: a later change there must
# not change what this revision does) ---------------------------------------------------------
_NOT_LETTER_OR_NUMBER = re.compile(r"[\W_]+")
_KATAKANA = re.compile("[\u30a1-\u30f6\u30fd\u30fe]")
_PERSON_COLUMNS = ("name", "kana", "phone", "address", "notes")
_RESOURCE_COLUMNS = ("name", "kana", "address", "schedule", "contact", "notes")
_UNIT, _RECORD = "\x1f", "\x1e"
_REBUILD_CHUNK = 5000


def _normalize(value: str) -> str:
    s = unicodedata.normalize("NFKC", value)
    if _KATAKANA.search(s):
        s = jaconv.kata2hira(s)
    return _NOT_LETTER_OR_NUMBER.sub("", s.lower())


def _bigrams(norm: str) -> list[str]:
    if len(norm) < 2:
        return [norm] if norm else []
    return [a + b for a, b in zip(norm, norm[1:], strict=False)] + [norm[-1]]


def _bodies(fields: Sequence[Any]) -> tuple[str, str]:
    """(bigram body, trigram body) of a document's fields."""
    norms = [n for n in [_normalize(f) for f in fields if f] if n]
    return " ".join(" ".join(_bigrams(n)) for n in norms), "|".join(norms)


def _all_simple_sql(table: str, columns: Sequence[str]) -> str:
    return (
        f'SELECT id, {", ".join(columns)} FROM "{table}" WHERE deleted = 0 ORDER BY updated_at, id'
    )


# A case's document: its own fields, its person's, then the other household members'.
_MEMBER_FIELDS = f" || '{_UNIT}' || ".join(f"coalesce(mp.{c}, '')" for c in _PERSON_COLUMNS)
_ALL_CASES_SQL = (
    "SELECT c.id, c.case_number, c.title, c.notes, "
    + ", ".join(f"p.{col}" for col in _PERSON_COLUMNS)
    + f", (SELECT group_concat({_MEMBER_FIELDS}, '{_RECORD}') FROM ("
    "SELECT DISTINCT m.person_id FROM household_member m "
    "WHERE m.household_id = c.household_id AND m.deleted = 0 "
    "AND m.person_id IS NOT c.person_id) AS mm "
    "JOIN person mp ON mp.id = mm.person_id AND mp.deleted = 0) "
    'FROM "case" c LEFT JOIN person p ON p.id = c.person_id AND p.deleted = 0 '
    "WHERE c.deleted = 0 ORDER BY c.updated_at, c.id"
)


def _case_fields(row: Sequence[Any]) -> list[Any]:
    n = len(_PERSON_COLUMNS)
    fields = list(row[1 : 4 + n])
    if row[4 + n]:
        for member in row[4 + n].split(_RECORD):
            fields.extend(member.split(_UNIT))
    return fields


_SOURCES = (
    ("person", _all_simple_sql("person", _PERSON_COLUMNS)),
    ("case", _ALL_CASES_SQL),
    ("resource", _all_simple_sql("resource", _RESOURCE_COLUMNS)),
)
_CHUNK_SQL = (
    "INSERT INTO search_doc(rowid, kind, ref_id) SELECT ? + key, ?, value FROM json_each(?)",
    "INSERT INTO search_fts(rowid, body) SELECT ? + key, value FROM json_each(?)",
    "INSERT INTO search_tri(rowid, body) SELECT ? + key, value FROM json_each(?)",
)


def _write_documents(conn: Any) -> int:
    """Every live person, case and resource document into the (empty) index, oldest change
    first (rowid order is "most recently changed first"). DB-API connection."""
    written = 0
    for kind, sql in _SOURCES:
        rows = conn.execute(sql)
        while part := rows.fetchmany(_REBUILD_CHUNK):
            docs = [(r[0], _case_fields(r) if kind == "case" else r[1:]) for r in part]
            texts = [_bodies(f) for _ref, f in docs]
            first = written + 1
            conn.execute(_CHUNK_SQL[0], (first, kind, json.dumps([ref for ref, _f in docs])))
            conn.execute(_CHUNK_SQL[1], (first, json.dumps([t[0] for t in texts])))
            conn.execute(_CHUNK_SQL[2], (first, json.dumps([t[1] for t in texts])))
            written += len(docs)
    return written


def _merge_settings(conn: Any, *, automerge: int, crisismerge: int) -> None:
    for table in ("search_fts", "search_tri"):
        conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('automerge', ?)", (automerge,))
        conn.execute(
            f"INSERT INTO {table}({table}, rank) VALUES ('crisismerge', ?)", (crisismerge,)
        )


def _rebuild(ddl: str) -> None:
    op.execute("DROP TABLE IF EXISTS search_fts")
    op.execute(ddl)
    conn = op.get_bind().connection.driver_connection
    # The whole index from the rows as they are now, merged once at the end (no merging while
    # building), then automerge 16 (app/storage/search.py AUTOMERGE at the time).
    conn.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
    conn.execute("INSERT INTO search_tri(search_tri) VALUES ('delete-all')")
    conn.execute("DELETE FROM search_doc")
    _merge_settings(conn, automerge=0, crisismerge=64)
    _write_documents(conn)
    conn.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    conn.execute("INSERT INTO search_tri(search_tri) VALUES ('optimize')")
    _merge_settings(conn, automerge=16, crisismerge=16)


def upgrade() -> None:
    _rebuild(_NEW_DDL)


def downgrade() -> None:
    _rebuild(_OLD_DDL)
