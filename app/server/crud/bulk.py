"""Fast bulk statements.

On PostgreSQL new rows go in with ``COPY ... FROM STDIN`` on the session's own connection (so
inside the same transaction), the fastest way PostgreSQL takes rows; id lists travel as ONE
JSON parameter expanded by ``json_array_elements_text`` (no per-element parameter binding).
Other databases use plain executemany and IN lists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from sqlalchemy import (
    ARRAY,
    JSON,
    ColumnElement,
    String,
    Table,
    any_,
    bindparam,
    insert,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement as _CE


def is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def dumps(value: Any) -> str:
    """JSON text of a stored value (compact, UTF-8, datetimes as ISO strings)."""
    return orjson.dumps(value).decode()


def _copy_text(value: Any) -> str:
    """One value in COPY's text format (NULL as \\N; backslash, tab, newline, CR escaped)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        text_value = value
    elif isinstance(value, dt.datetime):
        text_value = value.isoformat()
    else:
        text_value = str(value)
    if "\\" in text_value or "\t" in text_value or "\n" in text_value or "\r" in text_value:
        text_value = (
            text_value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text_value


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert plain rows (every dict with the same keys) in one statement / one COPY."""
    if not rows:
        return
    if not is_pg(session):
        session.execute(insert(table), rows)
        return
    names = list(rows[0])
    json_names = {n for n in names if isinstance(table.c[n].type, JSON)}
    lines = []
    for row in rows:
        values = [
            _copy_text(None if row[n] is None else dumps(row[n]))
            if n in json_names
            else _copy_text(row[n])
            for n in names
        ]
        lines.append("\t".join(values))
    lines.append("")
    target = ", ".join(f'"{n}"' for n in names)
    raw = session.connection().connection.driver_connection
    assert raw is not None
    with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({target}) FROM STDIN') as copy:
        copy.write("\n".join(lines))


def id_in(session: Session, column: Any, ids: list[str]) -> ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL ``column = ANY(array)``: the ids travel as a single
    array parameter, and the planner sees an index condition (an ``IN (SELECT ...)`` over a
    set-returning function can be planned as a hash join over the whole table)."""
    if is_pg(session):
        return column == any_(bindparam(None, list(ids), type_=ARRAY(String)))  # type: ignore[no-any-return]
    result: _CE[bool] = column.in_(ids)
    return result


class _Prepared:
    """A long-lived statement compiled once for PostgreSQL: its SQL text, the values bound in
    the statement itself, and which parameters are JSON."""

    __slots__ = ("stmt", "sql", "fixed", "json_names")

    def __init__(self, stmt: Any, dialect: Any) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.stmt = stmt  # held: the cache is keyed by id()
        self.sql: str | None = None if "POSTCOMPILE" in compiled.string else compiled.string
        self.fixed = compiled.construct_params(_check=False)
        self.json_names = frozenset(
            name for name, bind in compiled.binds.items() if isinstance(bind.type, JSON)
        )


_PREPARED: dict[int, _Prepared] = {}


def run(session: Session, stmt: Any, params: dict[str, Any] | None = None) -> list[Any]:
    """Execute a statement that is built ONCE (module level or cached) and return its rows
    (an empty list for statements returning none).

    On PostgreSQL the statement is compiled once and its SQL goes straight to the session's
    own psycopg connection (same transaction): SQLAlchemy's per-execution work (cache key,
    compiled-cache lookup, parameter and result processing) cost more than these small
    statements themselves. Rows are plain tuples. Elsewhere, and for statements with
    expanding IN lists, SQLAlchemy executes it."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        prepared = _PREPARED.get(id(stmt))
        if prepared is None or prepared.stmt is not stmt:
            prepared = _PREPARED[id(stmt)] = _Prepared(stmt, conn.dialect)
        if prepared.sql is not None:
            values = {**prepared.fixed, **(params or {})}
            for name in prepared.json_names:
                if values.get(name) is not None:
                    values[name] = dumps(values[name])
            raw = conn.connection.driver_connection
            assert raw is not None
            with raw.cursor() as cur:
                cur.execute(prepared.sql, values)
                return cur.fetchall() if cur.description is not None else []
    result = conn.execute(stmt, params or {})
    return list(result.all()) if result.returns_rows else []


def ids_in(dialect: str, column: Any, name: str) -> ColumnElement[bool]:
    """``column IN :name`` for a statement built ONCE and executed many times: the id list is
    bound by name at execution (``ids_value``). On PostgreSQL ``column = ANY(:name)`` with one
    array parameter (an index condition); elsewhere an expanding IN list."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(String)))  # type: ignore[no-any-return]
    result: _CE[bool] = column.in_(bindparam(name, expanding=True))
    return result


def ids_value(dialect: str, ids: list[str]) -> Any:
    """The value bound to an ``ids_in`` parameter."""
    return list(ids)


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def update_rows(
    session: Session, table: Table, rows: list[dict[str, Any]], *, keys: tuple[str, ...]
) -> None:
    """Update rows by key (every dict with the same keys). On PostgreSQL: one statement over
    the rows as one JSON parameter (``json_to_recordset``); elsewhere executemany."""
    if not rows:
        return
    names = list(rows[0])
    if not is_pg(session):
        stmt = (
            table.update()
            .where(*[table.c[k] == bindparam(f"k_{k}") for k in keys])
            .values({n: bindparam(f"v_{n}") for n in names if n not in keys})
        )
        session.execute(
            stmt,
            [{**{f"k_{k}": r[k] for k in keys}, **{f"v_{n}": r[n] for n in names}} for r in rows],
        )
        return
    dialect = session.get_bind().dialect
    record_types = ", ".join(
        f'"{n}" {"json" if isinstance(table.c[n].type, JSON) else table.c[n].type.compile(dialect)}'
        for n in names
    )
    assignments = ", ".join(f'"{n}" = x."{n}"' for n in names if n not in keys)
    match = " AND ".join(f't."{k}" = x."{k}"' for k in keys)
    sql = (
        f'UPDATE "{table.name}" AS t SET {assignments} '
        f"FROM json_to_recordset(CAST(%(rows)s AS json)) AS x({record_types}) WHERE {match}"
    )
    raw = session.connection().connection.driver_connection
    assert raw is not None
    with raw.cursor() as cur:
        cur.execute(sql, {"rows": dumps(rows)})
