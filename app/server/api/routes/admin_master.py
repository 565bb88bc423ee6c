"""Admin API: master data (districts, agencies, regional resources) and the audit log."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from sqlalchemy import select

from app.protocol.ids import new_id
from app.server import errors
from app.server.api.deps import AdminDevice, SessionsDep, transaction
from app.server.crud import audit, users
from app.server.crud.tables import TABLES, check_value
from app.server.crud.values import normalise
from app.server.models import Record
from app.server.schemas import MAX_INT_ID, error_responses

router = APIRouter(prefix="/admin", tags=["admin"])
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MasterTable = Literal["district", "agency", "resource"]
_ERR = error_responses(401, 403, 404, 422)


@router.get("/master/{table}", responses=_ERR)
def list_master(
    table: MasterTable, auth: AdminDevice, sessions: SessionsDep
) -> list[dict[str, Any]]:
    with transaction(sessions) as s:
        rows = s.execute(
            select(Record.data).where(Record.table_name == table).order_by(Record.seq)
        ).scalars()
        return [dict(r) for r in rows]


@router.put("/master/{table}", responses=_ERR)
def put_master(
    table: MasterTable, body: dict[str, Any], auth: AdminDevice, sessions: SessionsDep
) -> dict[str, Any]:
    """Create (no ``id``) or change a record; fields are the client model's wire form."""
    info = TABLES[table]
    row_id = body.get("id") or new_id()
    if not isinstance(row_id, str) or not _UUID.fullmatch(row_id):
        # Laptops pull whatever is stored here, and refuse a batch touching a malformed id:
        # only the system's own id form (a lower-case UUID, as new_id and the seed make).
        raise errors.invalid("id: a UUID like 0190f5d2-7a3c-7b21-9c4e-2f1a3b4c5d6e expected")
    values: dict[str, Any] = {}
    for name, value in body.items():
        if name == "id":
            continue
        col = info.columns.get(name)
        problem = f"unknown field: {name[:60]}" if col is None else check_value(col, value)
        if problem or col is None:
            raise errors.invalid(problem)
        values[name] = normalise(col.kind, value)
    with transaction(sessions) as s:
        exists = s.execute(
            select(Record.id).where(Record.table_name == table, Record.id == row_id)
        ).first()
        if not exists:
            missing = [
                c.name
                for c in info.columns.values()
                if not c.nullable and c.default is None and c.name not in values
            ]
            if missing:
                raise errors.invalid(f"{missing[0]}: required")
        data = users.write_record(
            s, table=table, row_id=row_id, values=values, by=auth.viewer.staff_id
        )
        audit.add(
            s,
            action="admin.master_put",
            user_id=auth.user_id,
            device_id=auth.device_id,
            table=table,
            row_id=row_id,
        )
        return data


@router.get("/audit", responses=_ERR)
def audit_log(
    auth: AdminDevice,
    sessions: SessionsDep,
    after_id: Annotated[int, Query(ge=0, le=MAX_INT_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    with transaction(sessions) as s:
        return audit.page(s, after_id=after_id, limit=limit)
