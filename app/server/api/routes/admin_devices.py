"""Admin API: devices (last sync, how far behind, revoked) and revocation."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from app.server import errors
from app.server.api.deps import AdminDevice, SessionsDep, transaction
from app.server.crud import audit, devices, sequence
from app.server.models import Device
from app.server.schemas import DeviceOut, error_responses
from app.server.timeutil import iso

router = APIRouter(prefix="/admin/devices", tags=["admin"])
_ERR = error_responses(401, 403, 404, 422)


def _out(d: Device, top: int) -> DeviceOut:
    return DeviceOut(
        id=d.id,
        user_id=d.user_id,
        name=d.name,
        enrolled_at=iso(d.enrolled_at),
        last_seen_at=iso(d.last_seen_at) or None,
        last_sync_at=iso(d.last_sync_at) or None,
        last_cursor=d.last_cursor,
        behind=max(0, top - d.last_cursor),
        revoked=d.revoked_at is not None,
    )


@router.get("", responses=_ERR)
def list_devices(auth: AdminDevice, sessions: SessionsDep) -> list[DeviceOut]:
    with transaction(sessions) as s:
        top = sequence.committed_value(s)
        return [
            _out(d, top) for d in s.execute(select(Device).order_by(Device.enrolled_at)).scalars()
        ]


@router.post("/{device_id}/revoke", responses=_ERR)
def revoke_device(device_id: str, auth: AdminDevice, sessions: SessionsDep) -> DeviceOut:
    with transaction(sessions) as s:
        device = s.get(Device, device_id[:36])
        if device is None:
            raise errors.not_found()
        devices.revoke(s, device=device)
        audit.add(
            s,
            action="admin.device_revoke",
            user_id=auth.user_id,
            device_id=auth.device_id,
            target_device=device.id,
        )
        return _out(device, sequence.committed_value(s))
