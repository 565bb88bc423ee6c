"""Fast bulk statements.

On PostgreSQL new rows go in with ``COPY ... FROM STDIN`` on the session's own connection (so
inside the same transaction), the fastest way PostgreSQL takes rows; id lists travel as ONE
array parameter, sent as a ready array literal (no per-element adaptation); statements that
return nothing may be deferred and sent with the next statement or the COMMIT (``defer``).
Other databases use plain executemany and IN lists.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
import psycopg
from psycopg import pq
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


def copy_escape(text: str) -> str:
    """A string as a value of COPY's text format (backslash, tab, newline and CR escaped).
    Most values contain none of them: one C-level scan each and no copy."""
    if "\\" in text or not text.isprintable():
        return (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def copy_json(value: Any) -> str:
    """A JSON value as a COPY text-format field. orjson escapes every control character inside
    strings, so only its backslashes need doubling."""
    text = dumps(value)
    return text.replace("\\", "\\\\") if "\\" in text else text


def _copy_text(value: Any) -> str:
    """One value in COPY's text format (NULL as \\N; backslash, tab, newline, CR escaped)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return copy_escape(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return copy_escape(str(value))


def _json_copy_text(value: Any) -> str:
    return "\\N" if value is None else copy_json(value)


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert plain rows (every dict with the same keys) in one statement / one COPY."""
    if not rows:
        return
    if not is_pg(session):
        session.execute(insert(table), rows)
        return
    names = list(rows[0])
    convert = [_json_copy_text if isinstance(table.c[n].type, JSON) else _copy_text for n in names]
    pairs = list(zip(names, convert, strict=True))
    lines = ["\t".join([f(row[n]) for n, f in pairs]) for row in rows]
    lines.append("")
    copy_text(session, table.name, names, "\n".join(lines))


def copy_text(session: Session, table_name: str, names: list[str], payload: str) -> None:
    """``COPY table (names) FROM STDIN`` of ready text-format lines, on the session's own
    connection (same transaction)."""
    with copying(session, table_name, names) as copy:
        copy.write(payload)


@contextmanager
def copying(session: Session, table_name: str, names: list[str]) -> Iterator[Any]:
    """An open ``COPY table (names) FROM STDIN`` (psycopg's Copy: ``write`` text lines).
    The database takes in what is written while the caller goes on; the COPY completes when
    the block ends."""
    target = ", ".join(f'"{n}"' for n in names)
    flush_deferred(session)
    with (
        driver_connection(session).cursor() as cur,
        cur.copy(f'COPY "{table_name}" ({target}) FROM STDIN') as copy,
    ):
        yield copy


def pg_array(values: list[str] | tuple[str, ...] | set[str]) -> str:
    """A list of strings as one PostgreSQL array literal (bound as text, cast in the SQL):
    psycopg's own list adaptation costs microseconds per element."""
    if not values:
        return "{}"
    joined = '","'.join(values)
    if "\\" in joined or joined.count('"') != 2 * (len(values) - 1):
        joined = '","'.join(v.replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return '{"' + joined + '"}'


def pg_rows(session: Session, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
    """Run PostgreSQL SQL text on the session's own psycopg connection (same transaction);
    its rows as plain tuples (an empty list for statements returning none)."""
    flush_deferred(session)
    with driver_connection(session).cursor() as cur:
        cur.execute(sql, params)
        return _rows(cur)


def pg_execute_and_commit(session: Session, sql: str, params: dict[str, Any]) -> None:
    """Run one PostgreSQL statement and COMMIT in a single round trip (client-side binding,
    simple query protocol), after any deferred statements. Locks the statement takes are
    held for its execution only, not across a round trip to a Python thread that may be
    waiting for the GIL. The caller's transaction context then finds the transaction already
    committed (psycopg's commit is a no-op on an idle connection)."""
    raw = driver_connection(session)
    with psycopg.ClientCursor(raw) as cur:
        statement = cur.mogrify(sql, params)
    _simple(raw, [*_take_deferred(session), statement, "COMMIT"])


# Statements returning nothing that may wait for the next round trip (PostgreSQL): rendered
# with their values at once, sent ahead of the next statement that needs an answer, or with
# the COMMIT (``commit``). A request's audit row and device note then cost no round trip.
_DEFERRED = "_deferred_sql"


def defer(session: Session, stmt: Any, params: dict[str, Any]) -> None:
    """Run a prebuilt statement that returns no rows, as late as the transaction allows (on
    PostgreSQL; at once elsewhere). Errors surface at the latest at commit, inside the
    transaction."""
    if dialect_of(session) != "postgresql":
        run(session, stmt, params)
        return
    prepared = _prepared(session, stmt)
    values = {**prepared.fixed, **params}
    sql = prepared.statement(values)
    if sql is None:
        run(session, stmt, params)
        return
    _convert(prepared, values)
    with psycopg.ClientCursor(driver_connection(session)) as cur:
        rendered = cur.mogrify(sql, values)
    session.info.setdefault(_DEFERRED, []).append(rendered)


def defer_sql(session: Session, sql: str, params: dict[str, Any]) -> None:
    """``defer`` for PostgreSQL SQL text."""
    with psycopg.ClientCursor(driver_connection(session)) as cur:
        rendered = cur.mogrify(sql, params)
    session.info.setdefault(_DEFERRED, []).append(rendered)


def _take_deferred(session: Session) -> list[str]:
    pending: list[str] = session.info.pop(_DEFERRED, None) or []
    return pending


def _simple(raw: Any, statements: list[str]) -> None:
    """Rendered statements in one simple-protocol round trip (never prepared)."""
    with raw.cursor() as cur:
        cur.execute("; ".join(statements), prepare=False)


def flush_deferred(session: Session) -> None:
    pending = _take_deferred(session)
    if pending:
        _simple(driver_connection(session), pending)


def commit(session: Session) -> None:
    """End of a request's transaction: deferred statements and the COMMIT in one round trip
    (nothing to do without deferred statements; the caller's context commits)."""
    if not session.info.get(_DEFERRED):
        return
    session.flush()
    _simple(driver_connection(session), [*_take_deferred(session), "COMMIT"])


def id_in(session: Session, column: Any, ids: list[str]) -> ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL ``column = ANY(array)``: the ids travel as a single
    array parameter, and the planner sees an index condition (an ``IN (SELECT ...)`` over a
    set-returning function can be planned as a hash join over the whole table)."""
    if is_pg(session):
        return column == any_(bindparam(None, list(ids), type_=ARRAY(String)))  # type: ignore[no-any-return]
    result: _CE[bool] = column.in_(ids)
    return result


_POSTCOMPILE = re.compile(r"__\[POSTCOMPILE_(\w+)\]")


class _Prepared:
    """A long-lived statement compiled once for PostgreSQL: its SQL text, the values bound in
    the statement itself, and which parameters are JSON, id arrays or expanding IN lists."""

    __slots__ = ("stmt", "sql", "fixed", "json_names", "array_names", "expanding", "variants")

    def __init__(self, stmt: Any, dialect: Any) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.stmt = stmt  # held: the cache is keyed by id()
        self.sql: str = compiled.string
        self.fixed = compiled.construct_params(_check=False)
        self.json_names = frozenset(
            name for name, bind in compiled.binds.items() if isinstance(bind.type, JSON)
        )
        # Id lists bound to ``= ANY(:name)``: sent as one array literal (see ``pg_array``).
        self.array_names = frozenset(
            name
            for name, bind in compiled.binds.items()
            if isinstance(bind.type, ARRAY) and isinstance(bind.type.item_type, String)
        )
        # Expanding IN lists (fixed ones such as a list of table names, or one bound at
        # execution): the SQL is completed per list length, once.
        self.expanding = tuple(dict.fromkeys(_POSTCOMPILE.findall(self.sql)))
        self.variants: dict[tuple[int, ...], str] = {}

    def statement(self, values: dict[str, Any]) -> str | None:
        """The SQL for these values (their expanding lists spread into ``values``); None if
        a list is empty or missing (SQLAlchemy renders those)."""
        if not self.expanding:
            return self.sql
        lists = [values.get(name) for name in self.expanding]
        if not all(isinstance(v, list | tuple) and v for v in lists):
            return None
        key = tuple(len(v) for v in lists)  # type: ignore[arg-type]
        sql = self.variants.get(key)
        if sql is None:
            sql = self.sql
            for name, n in zip(self.expanding, key, strict=True):
                spread = ", ".join(f"%({name}__{i})s" for i in range(n))
                sql = sql.replace(f"__[POSTCOMPILE_{name}]", spread)
            self.variants[key] = sql
        for name, v in zip(self.expanding, lists, strict=True):
            del values[name]
            values.update((f"{name}__{i}", x) for i, x in enumerate(v))  # type: ignore[arg-type]
        return sql


_PREPARED: dict[int, _Prepared] = {}


def driver_connection(session: Session) -> Any:
    """The psycopg connection of the session's transaction (looked up once per transaction:
    ``session.connection()`` costs tens of microseconds on every call)."""
    tx = session.get_transaction()
    cached = session.info.get("_driver")
    if cached is not None and tx is not None and cached[0] is tx:
        return cached[1]
    raw = session.connection().connection.driver_connection
    assert raw is not None
    session.info["_driver"] = (session.get_transaction(), raw)
    return raw


def _rows(cur: Any) -> list[Any]:
    result = cur.pgresult
    if result is None or result.status != pq.ExecStatus.TUPLES_OK:
        return []
    return cur.fetchall()  # type: ignore[no-any-return]


def _prepared(session: Session, stmt: Any) -> _Prepared:
    prepared = _PREPARED.get(id(stmt))
    if prepared is None or prepared.stmt is not stmt:
        prepared = _PREPARED[id(stmt)] = _Prepared(stmt, session.get_bind().dialect)
    return prepared


def _convert(prepared: _Prepared, values: dict[str, Any]) -> None:
    for name in prepared.json_names:
        if values.get(name) is not None:
            values[name] = dumps(values[name])
    for name in prepared.array_names:
        if isinstance(values.get(name), list | tuple):
            values[name] = pg_array(values[name])


def run(session: Session, stmt: Any, params: dict[str, Any] | None = None) -> list[Any]:
    """Execute a statement that is built ONCE (module level or cached) and return its rows
    (an empty list for statements returning none).

    On PostgreSQL the statement is compiled once and its SQL goes straight to the session's
    own psycopg connection (same transaction): SQLAlchemy's per-execution work (cache key,
    compiled-cache lookup, parameter and result processing) cost more than these small
    statements themselves. Rows are plain tuples. Elsewhere (and for an empty IN list)
    SQLAlchemy executes it."""
    if dialect_of(session) == "postgresql":
        flush_deferred(session)
        prepared = _prepared(session, stmt)
        values = {**prepared.fixed, **(params or {})}
        sql = prepared.statement(values)
        if sql is not None:
            _convert(prepared, values)
            with driver_connection(session).cursor() as cur:
                cur.execute(sql, values)
                return _rows(cur)
    result = session.connection().execute(stmt, params or {})
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
    flush_deferred(session)
    with driver_connection(session).cursor() as cur:
        cur.execute(sql, {"rows": dumps(rows)})
