"""Enrolling this laptop with a server: a one-time code buys a device token, kept inside the
encrypted database (``sync_state.enrollment``), never in a file or the OS keychain."""

from __future__ import annotations

import platform
from dataclasses import dataclass

from app.storage.db import Store
from app.storage.models import Staff
from app.sync import state
from app.sync.errors import AlreadyEnrolled, SyncRejected
from app.sync.transport import Transport, normalize_server_url


@dataclass(frozen=True)
class EnrollResult:
    server_url: str
    device_id: str
    staff_id: str | None
    staff_name: str | None
    role: str | None
    expires_at: str | None
    server_time: str | None


def default_device_name() -> str:
    return (platform.node() or "laptop")[:80]


def enroll(
    store: Store,
    server_url: str,
    code: str,
    *,
    device_name: str | None = None,
    transport: Transport | None = None,
) -> EnrollResult:
    """Redeem ``code`` at ``server_url``. Re-enrolling with the same server keeps the cursor and
    the outbox; a different server is refused (its data would mix with this one's)."""
    url = normalize_server_url(server_url) if transport is None else server_url.rstrip("/")
    code = code.strip()
    if not code:
        raise SyncRejected("invalid", 0)
    current = state.enrollment(store)
    if current is not None and current.server_url != url:
        raise AlreadyEnrolled()
    own = transport is None
    transport = transport or Transport(url)
    try:
        answer = transport.enroll(code, device_name or default_device_name())
    finally:
        if own:
            transport.close()
    staff = answer.get("staff") or {}
    value = {
        "server_url": url,
        "device_id": answer["device_id"],
        "token": answer["token"],
        "expires_at": answer.get("expires_at"),
        "staff": staff,
        "enrolled_at": answer.get("server_time"),
    }
    state.write(store, "enrollment", value)  # first: the code is spent once the server answered
    with store.session(remote=True) as s:
        from app.services.profile import set_setting

        staff_id = staff.get("id")
        if staff_id and s.get(Staff, staff_id) is None:
            # A placeholder until the first pull brings the directory row (remote: no outbox).
            s.add(Staff(id=staff_id, name=str(staff.get("name") or ""), role=str(
                staff.get("role") or "outreach"), district_ids=list(staff.get("district_ids") or [])))  # fmt: skip
        if staff_id:
            set_setting(s, "profile_staff_id", staff_id)
        set_setting(s, "device_id", answer["device_id"])
    return EnrollResult(
        server_url=url, device_id=str(answer["device_id"]), staff_id=staff.get("id"),
        staff_name=staff.get("name"), role=staff.get("role"), expires_at=answer.get("expires_at"),
        server_time=answer.get("server_time"),
    )  # fmt: skip
