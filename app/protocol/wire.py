"""Converting column values to and from the JSON wire form used by the outbox and sync
(both sides: the laptop encodes its rows with it, the server reads a table's data columns)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, DateTime
from sqlalchemy.sql.schema import Table

SYNC_META_COLUMNS = frozenset({"id", "created_at", "updated_at", "version", "deleted"})


def to_wire(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def from_wire(column_type: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column_type, DateTime) and isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
    if isinstance(column_type, Date) and isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def data_columns(table: Table) -> list[str]:
    """Columns a person edits (everything except the sync bookkeeping)."""
    return [c.name for c in table.columns if c.name not in SYNC_META_COLUMNS]


def decode_row(table: Table, data: dict[str, Any]) -> dict[str, Any]:
    cols = table.columns
    return {k: from_wire(cols[k].type, v) for k, v in data.items() if k in cols}
