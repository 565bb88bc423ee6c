"""Admin API: who received what. Which devices and users hold a case, since when."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from app.server.api.deps import AdminDevice, SessionsDep, transaction
from app.server.crud import audit, receipts
from app.server.schemas import error_responses
from app.server.timeutil import server_time

router = APIRouter(prefix="/admin/cases", tags=["admin"])
_ERR = error_responses(401, 403, 422)
CaseId = Annotated[str, Path(min_length=1, max_length=36, pattern=r"^[0-9A-Za-z-]+$")]


@router.get("/{case_id}/holders", responses=_ERR)
def case_holders(
    case_id: CaseId,
    auth: AdminDevice,
    sessions: SessionsDep,
    current: Annotated[bool, Query(description="only devices with no purge announced")] = False,
) -> dict[str, Any]:
    """Every device that was sent rows of the case (by pull), with its user, the first and
    latest receipt, and the purge announced to it if any. An empty list for a case no device
    was sent (or an unknown id)."""
    with transaction(sessions) as s:
        devices = receipts.holders(s, case_id, include_purged=not current)
        audit.add(
            s,
            action="admin.case_holders",
            user_id=auth.user_id,
            device_id=auth.device_id,
            case_id=case_id,
            devices=len(devices),
        )
    return {"server_time": server_time(), "case_id": case_id, "devices": devices}
