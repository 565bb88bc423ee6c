"""Trigram search table beside the bigram one (queries of 3+ characters use it), filled from
the current rows. What it needs of app/storage/search.py is frozen below.

Revision ID: 0004
Revises: 0003
"""

import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import jaconv
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TRI_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_tri USING fts5("
    "body, content='', contentless_delete=1, tokenize='trigram case_sensitive 1')"
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


def upgrade() -> None:
    op.execute(_TRI_DDL)
    conn = op.get_bind().connection.driver_connection
    # Rebuild every entry (both tables) from the rows as they are now.
    conn.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
    conn.execute("DELETE FROM search_doc")
    _write_documents(conn)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS search_tri")
