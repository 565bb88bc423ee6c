"""Admin API: the audit viewer. Filtered pages (keyset, newest first), a CSV export of a
filtered view (audited), and a case's access history."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from app.server import errors
from app.server.api.deps import AdminDevice, SessionsDep, transaction
from app.server.crud import audit, audit_query
from app.server.schemas import MAX_INT_ID, error_responses
from app.server.timeutil import server_time

router = APIRouter(prefix="/admin", tags=["admin"])
_ERR = error_responses(401, 403, 422)
CaseId = Annotated[str, Path(min_length=1, max_length=36, pattern=r"^[0-9A-Za-z-]+$")]
EXPORT_MAX = 200_000
CSV_FIELDS = ["id", "at", "user_id", "device_id", "action", "detail", "remote"]


def _when(value: str | None, name: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise errors.invalid(f"{name}: an ISO date or time expected (2026-04-01)") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def _filter(
    user_id: int | None,
    device_id: str | None,
    case_id: str | None,
    action: str | None,
    since: str | None,
    until: str | None,
) -> audit_query.AuditFilter:
    return audit_query.AuditFilter(
        user_id=user_id,
        device_id=device_id or None,
        case_id=case_id or None,
        action=action or None,
        since=_when(since, "since"),
        until=_when(until, "until"),
    )


UserQ = Annotated[int | None, Query(ge=1, le=MAX_INT_ID)]
TextQ = Annotated[str | None, Query(max_length=40)]
WhenQ = Annotated[str | None, Query(max_length=40, description="UTC, ISO 8601")]


@router.get("/audit/events", responses=_ERR)
def audit_events(
    auth: AdminDevice,
    sessions: SessionsDep,
    user_id: UserQ = None,
    device_id: TextQ = None,
    case_id: TextQ = None,
    action: TextQ = None,
    since: WhenQ = None,
    until: WhenQ = None,
    before_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    limit: Annotated[int, Query(ge=1, le=audit_query.MAX_PAGE)] = 200,
) -> dict[str, Any]:
    """Newest first; ``next_before_id`` is the cursor of the next page (null: no more)."""
    f = _filter(user_id, device_id, case_id, action, since, until)
    with transaction(sessions) as s:
        rows, nxt = audit_query.page(s, f, before_id=before_id, limit=limit)
    return {"server_time": server_time(), "events": rows, "next_before_id": nxt}


@router.get("/audit/export.csv", responses=_ERR)
def audit_export(
    auth: AdminDevice,
    sessions: SessionsDep,
    user_id: UserQ = None,
    device_id: TextQ = None,
    case_id: TextQ = None,
    action: TextQ = None,
    since: WhenQ = None,
    until: WhenQ = None,
) -> Response:
    """The filtered view as CSV (UTF-8 with BOM, for Excel), newest first, at most
    ``EXPORT_MAX`` rows. The export itself is audited with its filter."""
    f = _filter(user_id, device_id, case_id, action, since, until)
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(CSV_FIELDS)
    count = 0
    cursor: int | None = None
    with transaction(sessions) as s:
        while count < EXPORT_MAX:
            rows, cursor = audit_query.page(s, f, before_id=cursor, limit=audit_query.MAX_PAGE)
            for r in rows:
                out.writerow([r["id"], r["at"], r["user_id"] or "", r["device_id"] or "",
                              r["action"], _detail(r["detail"]), r["remote"] or ""])  # fmt: skip
            count += len(rows)
            if cursor is None:
                break
        audit.add(
            s,
            action="admin.audit_export",
            user_id=auth.user_id,
            device_id=auth.device_id,
            admin_session=auth.session_id,
            rows=count,
            filter={k: str(v) for k, v in vars(f).items() if v is not None},
            case_id=f.case_id,
        )
    return Response(
        "\ufeff" + buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )


def _detail(value: Any) -> str:
    return orjson.dumps(value or {}).decode()


@router.get("/cases/{case_id}/access", responses=_ERR)
def case_access(case_id: CaseId, auth: AdminDevice, sessions: SessionsDep) -> dict[str, Any]:
    """A case's access history: views, prints and exports the laptops recorded, the server's
    own rows about the case, and every device that received it (receipts)."""
    with transaction(sessions) as s:
        out = audit_query.case_access(s, case_id)
        audit.add(
            s,
            action="admin.case_access",
            user_id=auth.user_id,
            device_id=auth.device_id,
            admin_session=auth.session_id,
            case_id=case_id,
        )
    return {"server_time": server_time(), **out}
