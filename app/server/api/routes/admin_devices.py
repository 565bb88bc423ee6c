"""Admin API: devices (user, last sync, versions and queues as last reported, stale) and
revocation with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Body, Query
from sqlalchemy import select

from app.server import errors
from app.server.api.deps import AdminDevice, SessionsDep, transaction
from app.server.crud import audit, devices, sequence
from app.server.models import Device, User, utcnow
from app.server.schemas import DeviceOut, RevokeIn, error_responses
from app.server.timeutil import iso

router = APIRouter(prefix="/admin/devices", tags=["admin"])
_ERR = error_responses(401, 403, 404, 422)
DEFAULT_STALE_DAYS = 7


def _out(
    d: Device, top: int, login: str | None = None, stale_before: dt.datetime | None = None
) -> DeviceOut:
    last = d.last_sync_at
    return DeviceOut(
        id=d.id,
        user_id=d.user_id,
        name=d.name,
        enrolled_at=iso(d.enrolled_at),
        last_seen_at=iso(d.last_seen_at) or None,
        last_sync_at=iso(last) or None,
        last_cursor=d.last_cursor,
        behind=max(0, top - d.last_cursor),
        revoked=d.revoked_at is not None,
        login=login,
        revoked_at=iso(d.revoked_at) or None,
        revoke_reason=d.revoke_reason,
        app_version=d.app_version,
        schema_version=d.schema_version,
        pending_changes=d.pending_changes,
        rejected_changes=d.rejected_changes,
        # Stale: not revoked, and no sync since the cut-off (never synced counts from
        # enrolment, so a laptop enrolled today is not stale yet).
        stale=(
            stale_before is not None
            and d.revoked_at is None
            and (last or d.enrolled_at) < stale_before
        ),
    )


@router.get("", responses=_ERR)
def list_devices(
    auth: AdminDevice,
    sessions: SessionsDep,
    stale_days: Annotated[int, Query(ge=1, le=365)] = DEFAULT_STALE_DAYS,
) -> list[DeviceOut]:
    """Every device; ``stale``: no sync for ``stale_days`` days (default 7)."""
    cut = utcnow() - dt.timedelta(days=stale_days)
    with transaction(sessions) as s:
        top = sequence.committed_value(s)
        rows = s.execute(
            select(Device, User.login)
            .outerjoin(User, User.id == Device.user_id)
            .order_by(Device.enrolled_at)
        ).all()
        return [_out(d, top, login, cut) for d, login in rows]


@router.post("/{device_id}/revoke", responses=_ERR)
def revoke_device(
    device_id: str,
    auth: AdminDevice,
    sessions: SessionsDep,
    body: Annotated[RevokeIn | None, Body()] = None,
) -> DeviceOut:
    """Revoke a device (its next request wipes the laptop's data); ``reason`` is kept on the
    device and in the audit. Revoking again keeps the first time and reason."""
    reason = (body.reason or "").strip() if body is not None else ""
    with transaction(sessions) as s:
        device = s.get(Device, device_id[:36])
        if device is None:
            raise errors.not_found()
        if device.revoked_at is None and reason:
            device.revoke_reason = reason[:200]
        devices.revoke(s, device=device)
        audit.add(
            s,
            action="admin.device_revoke",
            user_id=auth.user_id,
            device_id=auth.device_id,
            target_device=device.id,
            admin_session=auth.session_id,
        )
        user = s.get(User, device.user_id)
        return _out(device, sequence.committed_value(s), user.login if user else None)
