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
    JSON,
    ColumnElement,
    String,
    Table,
    bindparam,
    cast,
    func,
    insert,
    select,
    text,
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
    """``column IN ids``; on PostgreSQL the ids travel as a single JSON array parameter."""
    if is_pg(session):
        param = cast(bindparam(None, dumps(ids), type_=String), JSON)
        elements = select(func.json_array_elements_text(param))
        return column.in_(elements)  # type: ignore[no-any-return]
    result: _CE[bool] = column.in_(ids)
    return result


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
    sql = text(
        f'UPDATE "{table.name}" AS t SET {assignments} '
        f"FROM json_to_recordset(CAST(:rows AS json)) AS x({record_types}) WHERE {match}"
    )
    session.connection().execute(sql, {"rows": dumps(rows)})
