"""Admin API: master data (districts, agencies, 小学校区, issue categories, regional
resources) and the audit log."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from sqlalchemy import select

from app.server import errors
from app.server.api.deps import AdminDevice, SessionsDep, transaction
from app.server.crud import audit, masters
from app.server.models import Record
from app.server.schemas import MAX_INT_ID, error_responses

router = APIRouter(prefix="/admin", tags=["admin"])
MasterTable = Literal["district", "agency", "school_zone", "issue_category", "resource"]
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
    """Create (no ``id``) or change a record; fields are the client model's wire form. Ids are
    UUIDs, codes unique within the table (crud/masters.py). Laptops get it at their next pull."""
    try:
        with transaction(sessions) as s:
            data = masters.put(s, table, body, by=auth.viewer.staff_id)
            audit.add(
                s,
                action="admin.master_put",
                user_id=auth.user_id,
                device_id=auth.device_id,
                table=table,
                row_id=str(data["id"]),
            )
            return data
    except masters.MasterInvalid as exc:
        raise errors.ApiError(
            422, "invalid", exc.ja, f"Invalid master data ({exc.problem}).", detail=exc.problem
        ) from None


@router.get("/audit", responses=_ERR)
def audit_log(
    auth: AdminDevice,
    sessions: SessionsDep,
    after_id: Annotated[int, Query(ge=0, le=MAX_INT_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    with transaction(sessions) as s:
        return audit.page(s, after_id=after_id, limit=limit)
