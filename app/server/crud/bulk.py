"""Fast bulk statements. On PostgreSQL a batch of rows travels as ONE JSON parameter expanded
by ``jsonb_to_recordset`` (one statement, one round trip) and id lists as one array; other
databases use plain executemany and IN lists."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import JSON, ColumnElement, String, Table, any_, bindparam, insert, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement as _CE


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if not _is_pg(session):
        session.execute(insert(table), rows)
        return
    dialect = session.get_bind().dialect
    names = list(rows[0])
    cols = [table.c[n] for n in names]
    record_types = ", ".join(
        f'"{c.name}" {"jsonb" if isinstance(c.type, JSON) else c.type.compile(dialect)}'
        for c in cols
    )
    selected = ", ".join(
        f'x."{c.name}"::{c.type.compile(dialect).lower()}'
        if isinstance(c.type, JSON)
        else f'x."{c.name}"'
        for c in cols
    )
    target = ", ".join(f'"{n}"' for n in names)
    stmt = text(
        f'INSERT INTO "{table.name}" ({target}) SELECT {selected} '
        f"FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS x({record_types})"
    )
    session.execute(stmt, {"rows": json.dumps(rows, default=_plain, ensure_ascii=False)})


def id_in(session: Session, column: Any, ids: list[str]) -> ColumnElement[bool]:
    """``column IN ids`` as a single array parameter on PostgreSQL."""
    if _is_pg(session):
        return column == any_(bindparam(None, ids, type_=ARRAY(String)))  # type: ignore[no-any-return]
    result: _CE[bool] = column.in_(ids)
    return result
