"""Wire values (docs/sync-protocol.md, app/storage/wire.py) to SQLite storage values, fast.

Raw bulk writes bypass SQLAlchemy, so values must be stored exactly as its SQLite types store
them: datetimes as ``YYYY-MM-DD HH:MM:SS.ffffff`` (naive UTC), dates as ``YYYY-MM-DD``, booleans
as 0/1, JSON as text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime

from app.storage.models import SYNCED_MODELS
from app.storage.wire import data_columns, from_wire

Converter = Callable[[Any], Any]


def _datetime(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 26 and value[10] in "T ":
        return value[:10] + " " + value[11:]
    parsed = from_wire(DateTime(), value)
    if isinstance(parsed, dt.datetime):
        return parsed.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _date(value: Any) -> Any:
    if isinstance(value, str):
        return value[:10]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _bool(value: Any) -> Any:
    return None if value is None else int(bool(value))


# What ``json.dumps(value, ensure_ascii=False)`` does, without building an encoder per call.
_encode_json = json.JSONEncoder(ensure_ascii=False).encode


def _json(value: Any) -> Any:
    return _encode_json(value)


def converter_for(column_type: Any) -> Converter | None:
    if isinstance(column_type, DateTime):
        return _datetime
    if isinstance(column_type, Date):
        return _date
    if isinstance(column_type, Boolean):
        return _bool
    if isinstance(column_type, JSON):
        return _json
    return None


def _default(column: Any) -> Any:
    default = column.default
    if default is None or not getattr(default, "is_scalar", False):
        return None
    return default.arg


@dataclass(frozen=True)
class TableCodec:
    name: str
    columns: tuple[str, ...]
    converters: tuple[Converter | None, ...]
    defaults: tuple[Any, ...]
    data_columns: frozenset[str]
    pairs: tuple[tuple[str, Any], ...]  # (column, default) in column order
    convs: tuple[tuple[int, Converter], ...]  # positions that need converting
    id_index: int
    others: Callable[[dict[str, Any]], tuple[Any, ...]]  # every column but id, in order

    def row(self, record_id: str, data: dict[str, Any]) -> list[Any]:
        """Storage values in ``columns`` order (hot path of a pull: kept lean).
        Missing columns take their scalar default."""
        try:  # the server sends every column: one C call picks them all
            out = list(self.others(data))
            out.insert(self.id_index, record_id)
        except KeyError:
            get = data.get
            out = [get(c, d) for c, d in self.pairs]
            out[self.id_index] = record_id
        for i, conv in self.convs:
            v = out[i]
            if v is not None:
                out[i] = conv(v)
        return out

    def value(self, column: str, wire_value: Any) -> Any:
        conv = self.converters[self.columns.index(column)]
        if wire_value is None:
            return None
        return conv(wire_value) if conv is not None else wire_value

    @property
    def upsert_sql(self) -> str:
        cols = ", ".join(f'"{c}"' for c in self.columns)
        marks = ", ".join("?" for _ in self.columns)
        sets = ", ".join(f'"{c}" = excluded."{c}"' for c in self.columns if c != "id")
        return (
            f'INSERT INTO "{self.name}" ({cols}) VALUES ({marks}) '
            f"ON CONFLICT(id) DO UPDATE SET {sets}"
        )


@cache
def codec(table: str) -> TableCodec:
    model = SYNCED_MODELS[table]
    t = model.__table__  # type: ignore[attr-defined]
    cols = tuple(c.name for c in t.columns)
    converters = tuple(converter_for(c.type) for c in t.columns)
    defaults = tuple(_default(c) for c in t.columns)
    others = [c for c in cols if c != "id"]
    pick = itemgetter(*others)
    getter = pick if len(others) > 1 else (lambda d: (pick(d),))
    return TableCodec(
        name=table,
        columns=cols,
        converters=converters,
        defaults=defaults,
        data_columns=frozenset(data_columns(t)),
        pairs=tuple(zip(cols, defaults, strict=True)),
        convs=tuple((i, c) for i, c in enumerate(converters) if c is not None),
        id_index=cols.index("id"),
        others=getter,
    )


def decode_stored(table: str, column: str, stored: Any) -> Any:
    """A value read by raw SQL back to its wire form (for conflict bases and outbox bases)."""
    col = SYNCED_MODELS[table].__table__.columns[column]  # type: ignore[attr-defined]
    if stored is None:
        return None
    if isinstance(col.type, JSON):
        return json.loads(stored) if isinstance(stored, str) else stored
    if isinstance(col.type, Boolean):
        return bool(stored)
    if isinstance(col.type, DateTime) and isinstance(stored, str):
        return stored[:10] + "T" + stored[11:] if len(stored) == 26 else stored
    return stored
