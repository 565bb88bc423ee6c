"""The laptop profile: who uses this database and the device's identity."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.records import Actor
from app.protocol.ids import new_id
from app.storage.collation import reading_order
from app.storage.models import LocalSetting, Staff


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(LocalSetting, key)
    return default if row is None else row.value


def set_setting(session: Session, key: str, value: Any) -> None:
    row = session.get(LocalSetting, key)
    if row is None:
        session.add(LocalSetting(key=key, value=value))
    else:
        row.value = value


# Set on a database that holds fictional demo data (app.services.demo). Such a profile never
# enrols with a server: its cases would never reach it and records added to them would be
# refused (app.sync.enroll).
DEMO_SETTING = "demo_data"


def mark_demo(conn: Any) -> None:
    """Mark the database as a demo profile (on a DB-API connection, inside the caller's
    transaction)."""
    conn.execute(
        "INSERT INTO local_setting(key, value) VALUES (?, 'true') "
        "ON CONFLICT(key) DO UPDATE SET value = 'true'",
        (DEMO_SETTING,),
    )


def is_demo_conn(conn: Any) -> bool:
    row = conn.execute("SELECT value FROM local_setting WHERE key = ?", (DEMO_SETTING,)).fetchone()
    return row is not None and row[0] not in (None, "null", "false")


def device_id(session: Session) -> str:
    value = get_setting(session, "device_id")
    if not value:
        value = new_id()
        set_setting(session, "device_id", value)
    return str(value)


def set_profile_user(
    session: Session,
    *,
    name: str,
    role: str = "outreach",
    agency_id: str | None = None,
    district_ids: list[str] | None = None,
    login: str | None = None,
    staff_id: str | None = None,
) -> Actor:
    staff = session.get(Staff, staff_id) if staff_id else None
    if staff is None:
        staff = Staff(
            id=staff_id or new_id(),
            name=name,
            role=role,
            agency_id=agency_id,
            district_ids=district_ids or [],
            login=login,
        )
        session.add(staff)
        session.flush()
    set_setting(session, "profile_staff_id", staff.id)
    device_id(session)
    return current_actor(session)


def current_actor(session: Session) -> Actor:
    staff_id = get_setting(session, "profile_staff_id")
    staff = session.get(Staff, staff_id) if staff_id else None
    dev = device_id(session)
    if staff is None:
        return Actor(staff_id=None, name="", role="outreach", device_id=dev)
    return Actor(
        staff_id=staff.id,
        name=staff.name,
        role=staff.role,
        device_id=dev,
        agency_id=staff.agency_id,
        district_ids=tuple(staff.district_ids or ()),
    )


def staff_choices(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(Staff.id, Staff.name)
        .where(Staff.deleted.is_(False))
        .order_by(reading_order(Staff.kana, Staff.name))
    )
    return [(r[0], r[1]) for r in rows]
