"""Users and their staff directory records. Keyword-only functions; the caller commits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from app.protocol.ids import new_id
from app.server.core.security import hash_password
from app.server.crud import indexes, sequence
from app.server.crud.scope import Viewer
from app.server.crud.tables import empty_row
from app.server.models import Record, User, utcnow


class UserExists(Exception):
    pass


class UnknownUser(Exception):
    pass


class UnknownReference(Exception):
    """A district or agency given by id or code that the server does not hold (``kind``:
    district / agency; ``valid``: the codes that exist)."""

    def __init__(self, kind: str, value: str, valid: list[str]) -> None:
        super().__init__(kind)
        self.kind, self.value, self.valid = kind, value, valid


def _live_codes(session: Session, table: str) -> tuple[dict[str, str], set[str]]:
    """code -> id, and every id, of the live (not deleted) rows of a master table. Two rows may
    share a code (a district pushed again under a new id): each id is still valid."""
    codes: dict[str, str] = {}
    ids: set[str] = set()
    for row_id, data in session.execute(
        select(Record.id, Record.data).where(Record.table_name == table, Record.deleted.is_(False))
    ):
        ids.add(row_id)
        code = data.get("code") if isinstance(data, dict) else None
        codes.setdefault(str(code) if code else row_id, row_id)
    return codes, ids


def _resolve(
    session: Session, table: str, value: str, live: tuple[dict[str, str], set[str]]
) -> str:
    codes, ids = live
    if value in ids:
        return value
    if value in codes:
        return codes[value]
    folded = {k.lower(): v for k, v in codes.items()}
    if value.lower() in folded:
        return folded[value.lower()]
    raise UnknownReference(table, value, sorted(codes))


def resolve_districts(session: Session, values: list[str]) -> list[str]:
    """District ids for ids or codes (the codes the laptop's ``init --district`` takes)."""
    if not values:
        return []
    codes = _live_codes(session, "district")
    out: list[str] = []
    for value in values:
        row_id = _resolve(session, "district", value, codes)
        if row_id not in out:
            out.append(row_id)
    return out


def resolve_agency(session: Session, value: str | None) -> str | None:
    """The agency id for an id or code (``init --agency``); None stays None."""
    if value is None or value == "":
        return None
    return _resolve(session, "agency", value, _live_codes(session, "agency"))


def viewer_of(user: User) -> Viewer:
    return Viewer(user.id, user.staff_id, user.role, user.agency_id, tuple(user.district_ids or ()))


def get_by_login(session: Session, login: str) -> User | None:
    return session.execute(select(User).where(User.login == login)).scalar_one_or_none()


def write_record(
    session: Session, *, table: str, row_id: str, values: dict[str, Any], by: str | None
) -> dict[str, Any]:
    """Create or change a master-data record written on the server (admin API, user add)."""
    now = utcnow()
    stamp = now.isoformat(timespec="microseconds")
    row = session.execute(
        select(Record).where(Record.table_name == table, Record.id == row_id)
    ).scalar_one_or_none()
    seq = sequence.allocate(session, 1)
    if row is None:
        data = {
            **empty_row(table, row_id),
            **values,
            "created_at": stamp,
            "updated_at": stamp,
            "version": 1,
            "deleted": False,
        }
        session.execute(
            insert(Record).values(
                table_name=table,
                id=row_id,
                data=data,
                version=1,
                deleted=False,
                seq=seq,
                owner=None,
                updated_by=by,
                updated_at=now,
            )
        )
    else:
        data = {**row.data, **values, "updated_at": stamp, "version": row.version + 1}
        session.execute(
            update(Record)
            .where(Record.table_name == table, Record.id == row_id)
            .values(
                data=data,
                version=row.version + 1,
                deleted=bool(data.get("deleted")),
                seq=seq,
                updated_by=by,
                updated_at=now,
            )
        )
    if table in indexes.INDEXED_TABLES:
        indexes.refresh(session, [(table, data, by)])
        sequence.note_scope_change(session, seq)
    return data


def create_user(
    session: Session,
    *,
    login: str,
    name: str,
    role: str,
    password: str | None = None,
    staff_id: str | None = None,
    agency_id: str | None = None,
    district_ids: list[str] | None = None,
) -> User:
    """A new user; ``agency_id`` and ``district_ids`` may be ids or codes and must exist
    (UnknownReference otherwise). The password's strength is the caller's to check."""
    if get_by_login(session, login) is not None:
        raise UserExists()
    user = User(
        login=login,
        password_hash=hash_password(password) if password else None,
        role=role,
        staff_id=staff_id or new_id(),
        agency_id=resolve_agency(session, agency_id),
        district_ids=resolve_districts(session, list(district_ids or [])),
    )
    session.add(user)
    session.flush()
    _sync_staff(session, user, name=name)
    return user


def _sync_staff(session: Session, user: User, name: str | None = None) -> None:
    values: dict[str, Any] = {
        "login": user.login,
        "role": user.role,
        "agency_id": user.agency_id,
        "district_ids": list(user.district_ids or []),
        "active": not user.disabled,
    }
    if name is not None:
        values["name"] = name
    existing = session.execute(
        select(Record.data).where(Record.table_name == "staff", Record.id == user.staff_id)
    ).scalar_one_or_none()
    if existing is None and "name" not in values:
        values["name"] = user.login
    write_record(session, table="staff", row_id=user.staff_id, values=values, by=None)


def update_user(
    session: Session, *, user: User, keep_device: str | None = None, **changes: Any
) -> User:
    """Change a user. A new password or disabling ends every device token of the user (their
    laptops are answered ``device_revoked`` and wipe, see docs/sync-protocol.md), except
    ``keep_device``'s: the administrator's own device when they change their own password.
    Agency and districts may be ids or codes and must exist (UnknownReference)."""
    if changes.get("agency_id") is not None:
        changes["agency_id"] = resolve_agency(session, changes["agency_id"])
    if changes.get("district_ids") is not None:
        changes["district_ids"] = resolve_districts(session, changes["district_ids"])
    for key in ("role", "agency_id", "district_ids", "disabled"):
        if changes.get(key) is not None:
            setattr(user, key, changes[key])
    ends_tokens = bool(changes.get("password")) or (changes.get("disabled") is True)
    if changes.get("password"):
        user.password_hash = hash_password(changes["password"])
    session.flush()
    if ends_tokens:
        from app.server.crud import devices

        devices.revoke_user_devices(session, user_id=user.id, keep=keep_device)
    _sync_staff(session, user)
    return user


def staff_name(session: Session, staff_id: str) -> str | None:
    data = session.execute(
        select(Record.data).where(Record.table_name == "staff", Record.id == staff_id)
    ).scalar_one_or_none()
    return None if data is None else data.get("name")


def count_users(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(User)).scalar() or 0)


def recent_failures(session: Session, *, key: str, window_seconds: int) -> int:
    from app.server.models import LoginFailure

    since = utcnow() - dt.timedelta(seconds=window_seconds)
    return int(
        session.execute(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.key == key, LoginFailure.at >= since)
        ).scalar()
        or 0
    )
