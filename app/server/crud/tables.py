"""What the server knows about each synced table: its columns, types and scope owner.

Built once from the synced models (app/protocol/schema.py), so the server accepts exactly the
fields a laptop can write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, String, Text

from app.protocol.schema import SYNCED_MODELS
from app.protocol.wire import data_columns

MASTER_TABLES = frozenset(
    {"district", "agency", "school_zone", "issue_category", "staff", "resource"}
)
ADMIN_ONLY_TABLES = frozenset({"district", "agency", "school_zone", "issue_category", "staff"})
PUSH_ONLY_TABLES = frozenset(n for n, m in SYNCED_MODELS.items() if m.__push_only__)
APPEND_ONLY_TABLES = frozenset(n for n, m in SYNCED_MODELS.items() if m.__append_only__)

# Which column holds the scope owner: the id of the case, household or meeting the row belongs
# to. ``id`` means the row is its own owner (case, household, person, support meeting).
OWNER_COLUMN: dict[str, str] = {
    "case": "id",
    "case_team_member": "case_id",
    "contact_record": "case_id",
    "referral": "case_id",
    "role_assignment": "case_id",
    "meeting_case": "case_id",
    "household": "id",
    "household_member": "household_id",
    "life_event": "household_id",
    "person": "id",
    "support_meeting": "id",
    "meeting_attendee": "meeting_id",
}
OWNER_KIND: dict[str, str] = {
    "case": "case",
    "case_team_member": "case",
    "contact_record": "case",
    "referral": "case",
    "role_assignment": "case",
    "meeting_case": "case",
    "household": "household",
    "household_member": "household",
    "life_event": "household",
    "person": "person",
    "support_meeting": "meeting",
    "meeting_attendee": "meeting",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # str / int / bool / date / datetime / json
    nullable: bool
    max_length: int | None
    fk_table: str | None
    default: Any


@dataclass(frozen=True)
class TableInfo:
    name: str
    columns: dict[str, Column]


def _kind(sa_type: Any) -> str:
    if isinstance(sa_type, DateTime):
        return "datetime"
    if isinstance(sa_type, Date):
        return "date"
    if isinstance(sa_type, Boolean):
        return "bool"
    if isinstance(sa_type, Integer):
        return "int"
    if isinstance(sa_type, JSON):
        return "json"
    if isinstance(sa_type, String | Text):
        return "str"
    raise TypeError(type(sa_type).__name__)


def _default(col: Any) -> Any:
    d = col.default
    if d is None or not getattr(d, "is_scalar", False):
        return [] if _kind(col.type) == "json" and not col.nullable else None
    return d.arg


def _build() -> dict[str, TableInfo]:
    out: dict[str, TableInfo] = {}
    for name, model in SYNCED_MODELS.items():
        table = model.__table__  # type: ignore[attr-defined]
        cols: dict[str, Column] = {}
        for cname in data_columns(table):
            col = table.columns[cname]
            fk = next(iter(col.foreign_keys), None)
            cols[cname] = Column(
                name=cname,
                kind=_kind(col.type),
                nullable=bool(col.nullable),
                max_length=getattr(col.type, "length", None),
                fk_table=fk.column.table.name if fk is not None else None,
                default=_default(col),
            )
        out[name] = TableInfo(name=name, columns=cols)
    return out


TABLES: dict[str, TableInfo] = _build()


def check_value(col: Column, value: Any) -> str | None:
    """Why ``value`` cannot be stored in ``col`` (None if it can). No value is echoed back."""
    if value is None:
        return None if col.nullable else f"{col.name}: required"
    kind = col.kind
    if kind == "str":
        if not isinstance(value, str):
            return f"{col.name}: text expected"
        if col.max_length is not None and len(value) > col.max_length:
            return f"{col.name}: longer than {col.max_length}"
        if "\x00" in value:
            return f"{col.name}: NUL character"
        return None
    if kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**31
        return None if ok else f"{col.name}: integer expected"
    if kind == "bool":
        return None if isinstance(value, bool) else f"{col.name}: true/false expected"
    if kind in ("date", "datetime"):
        if not isinstance(value, str) or len(value) > 40:
            return f"{col.name}: ISO {kind} expected"
        try:
            if kind == "date":
                dt.date.fromisoformat(value)
            else:
                dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return f"{col.name}: ISO {kind} expected"
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and len(v) <= 60 for v in value):
        return f"{col.name}: list of codes expected"
    return None if len(value) <= 100 else f"{col.name}: list too long"


_EMPTY: dict[str, dict[str, Any]] = {
    name: {c.name: c.default for c in info.columns.values()} for name, info in TABLES.items()
}


# Columns whose default is a list: every new row gets its own list object.
_LIST_DEFAULTS: dict[str, tuple[str, ...]] = {
    name: tuple(k for k, v in empty.items() if isinstance(v, list))
    for name, empty in _EMPTY.items()
}


def empty_row(table: str, row_id: str) -> dict[str, Any]:
    data = _EMPTY[table].copy()
    for k in _LIST_DEFAULTS[table]:
        data[k] = list(data[k])
    data["id"] = row_id
    return data


def owner_of(table: str, data: dict[str, Any]) -> str | None:
    col = OWNER_COLUMN.get(table)
    if col is None:
        return None
    value = data.get(col)
    return value if isinstance(value, str) else None
