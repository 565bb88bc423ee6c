"""Every change to a synced row is written to ``outbox`` in the same flush as the edit.

A ``before_flush`` hook (``write_outbox``, attached to the store's session factory in
app.storage.db) sees new, changed and tombstoned rows, records the base and new value
of each changed field, bumps the row's version, and adds an ``OutboxEntry``. Because the entry
is part of the same transaction, a rolled-back edit leaves no entry and a committed edit always
has one. Changes applied from the server (``session.info["remote"]``) write no entries.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.protocol.ids import new_id
from app.protocol.wire import SYNC_META_COLUMNS, data_columns, to_wire
from app.storage.models import OutboxEntry, Synced


class HardDeleteForbidden(RuntimeError):
    """Synced rows are tombstoned (``deleted=True``), never removed by the app."""


def _insert_changes(obj: Synced) -> dict[str, Any]:
    table = obj.__table__  # type: ignore[attr-defined]
    for name in data_columns(table):
        # Column defaults are only applied by the INSERT, after this hook: apply them now so the
        # outbox carries the values the row will really have (the server requires them).
        default = table.columns[name].default
        if getattr(obj, name) is None and default is not None:
            if default.is_scalar:
                setattr(obj, name, default.arg)
            elif default.is_callable:
                setattr(obj, name, default.arg(None))
    return {name: [None, to_wire(getattr(obj, name))] for name in data_columns(table)}


def _update_changes(obj: Synced) -> tuple[dict[str, Any], bool]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    tombstoned = False
    for attr in state.mapper.column_attrs:
        name = attr.key
        hist = state.attrs[name].history
        if not hist.has_changes():
            continue
        base = hist.deleted[0] if hist.deleted else (hist.unchanged[0] if hist.unchanged else None)
        new = hist.added[0] if hist.added else None
        if name == "deleted":
            tombstoned = bool(new) and not bool(base)
            continue
        if name in SYNC_META_COLUMNS:
            continue
        if to_wire(base) == to_wire(new):
            continue
        changes[name] = [to_wire(base), to_wire(new)]
    return changes, tombstoned


def write_outbox(session: Session, _ctx: Any, _instances: Any) -> None:
    """The store's ``before_flush`` hook."""
    if session.info.get("remote"):
        return
    for obj in list(session.deleted):
        if isinstance(obj, Synced):
            raise HardDeleteForbidden(type(obj).__name__)
    for obj in list(session.new):
        if isinstance(obj, Synced):
            if obj.id is None:
                obj.id = new_id()
            obj.version = obj.version or 1
            session.add(
                OutboxEntry(
                    table_name=obj.__tablename__,  # type: ignore[attr-defined]
                    row_id=obj.id,
                    op="insert",
                    changes=_insert_changes(obj),
                )
            )
    for obj in list(session.dirty):
        if not isinstance(obj, Synced) or not session.is_modified(obj, include_collections=False):
            continue
        changes, tombstoned = _update_changes(obj)
        if not changes and not tombstoned:
            continue
        obj.version = (obj.version or 0) + 1
        session.add(
            OutboxEntry(
                table_name=obj.__tablename__,  # type: ignore[attr-defined]
                row_id=obj.id,
                op="delete" if tombstoned else "update",
                changes=changes,
            )
        )
