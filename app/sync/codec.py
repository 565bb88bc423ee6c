"""Wire values (docs/sync-protocol.md, app/protocol/wire.py) to SQLite storage values, fast.

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

from app.protocol.schema import SYNCED_MODELS
from app.protocol.wire import data_columns, from_wire

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


# Values ``row`` would hand to SQLite as they are but a JSON column would not hold: such a
# record goes through ``row`` (which fails on them as before).
_COMPOUND = (dict, list)


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
    needed: frozenset[str]  # every column but id
    # Columns by how ``row`` converts them: datetimes, booleans, JSON, the rest (but id).
    kinds: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    dates: frozenset[str]

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

    def plain_docs(
        self, ids: list[str], datas: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[int]]:
        """Split records for ``bulk_sql``: the data of those it stores exactly as ``row`` would
        (every column present; datetimes in the server's 26-character form; booleans as JSON
        booleans; plain values elsewhere), with ``id`` set and JSON columns already encoded,
        and the positions of the others (written with ``row``)."""
        docs: list[dict[str, Any]] = []
        odd: list[int] = []
        needed = self.needed
        stamps, flags, jsons, others = self.kinds
        for n, (record_id, data) in enumerate(zip(ids, datas, strict=True)):
            if not data.keys() >= needed:
                odd.append(n)
                continue
            for c in stamps:
                v = data[c]
                if v is not None and not (type(v) is str and len(v) == 26 and v[10] in "T "):
                    break
            else:
                for c in flags:
                    v = data[c]
                    if v is not None and type(v) is not bool:
                        break
                else:
                    for c in others:
                        if type(data[c]) in _COMPOUND:
                            break
                    else:
                        # The caller's dict is left as it is (a page may be applied again).
                        if jsons or data.get("id") != record_id:
                            data = dict(data)
                            data["id"] = record_id
                            for c in jsons:
                                v = data[c]
                                if v is not None:
                                    data[c] = _encode_json(v)
                        docs.append(data)
                        continue
            odd.append(n)
        return docs, odd

    @property
    def bulk_sql(self) -> str:
        """Upsert of every record in a JSON array (one parameter) in a single statement:
        SQLite decodes it (as JSONB) and builds the rows without returning to Python."""
        stamps, _flags, _jsons, _others = self.kinds
        picks = []
        for c in self.columns:
            v = f"value ->> '$.\"{c}\"'"
            if c in stamps:  # 'YYYY-MM-DDTHH:MM:SS.ffffff' -> stored with a space
                v = f"CASE WHEN substr({v}, 11, 1) = 'T' THEN substr({v}, 1, 10) || ' ' || substr({v}, 12) ELSE {v} END"
            elif c in self.dates:
                v = f"CASE WHEN typeof({v}) = 'text' THEN substr({v}, 1, 10) ELSE {v} END"
            picks.append(v)
        cols = ", ".join(f'"{c}"' for c in self.columns)
        sets = ", ".join(f'"{c}" = excluded."{c}"' for c in self.columns if c != "id")
        return (
            f'INSERT INTO "{self.name}" ({cols}) SELECT {", ".join(picks)} '
            f"FROM jsonb_each(jsonb(?)) WHERE true ON CONFLICT(id) DO UPDATE SET {sets}"
        )

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
        needed=frozenset(others),
        kinds=(
            tuple(c.name for c in t.columns if isinstance(c.type, DateTime)),
            tuple(c.name for c in t.columns if isinstance(c.type, Boolean)),
            tuple(c.name for c in t.columns if isinstance(c.type, JSON)),
            tuple(
                c.name
                for c in t.columns
                if c.name != "id" and not isinstance(c.type, (DateTime, Boolean, JSON))
            ),
        ),
        dates=frozenset(c.name for c in t.columns if isinstance(c.type, Date)),
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
