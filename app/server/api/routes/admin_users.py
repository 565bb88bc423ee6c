"""Admin API: users and their enrollment codes."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from app.server import errors
from app.server.api.deps import AdminDevice, SessionsDep, SettingsDep, transaction
from app.server.crud import audit, devices, users
from app.server.models import User, utcnow
from app.server.schemas import CodeOut, UserIn, UserOut, UserPatch, error_responses
from app.server.timeutil import iso

router = APIRouter(prefix="/admin/users", tags=["admin"])
_ERR = error_responses(401, 403, 404, 409, 422)


def _out(u: User) -> UserOut:
    return UserOut(
        id=u.id,
        login=u.login,
        role=u.role,
        staff_id=u.staff_id,
        agency_id=u.agency_id,
        district_ids=list(u.district_ids or []),
        disabled=u.disabled,
    )


@router.get("", responses=_ERR)
def list_users(auth: AdminDevice, sessions: SessionsDep) -> list[UserOut]:
    with transaction(sessions) as s:
        return [_out(u) for u in s.execute(select(User).order_by(User.id)).scalars()]


@router.post("", status_code=201, responses=_ERR)
def add_user(body: UserIn, auth: AdminDevice, sessions: SessionsDep) -> UserOut:
    with transaction(sessions) as s:
        try:
            user = users.create_user(s, **body.model_dump())
        except users.UserExists:
            raise errors.conflict(
                "user_exists", "そのログイン名は使われています。", "That login name is taken."
            ) from None
        audit.add(
            s,
            action="admin.user_add",
            user_id=auth.user_id,
            device_id=auth.device_id,
            target_user=user.id,
        )
        return _out(user)


@router.patch("/{user_id}", responses=_ERR)
def change_user(user_id: int, body: UserPatch, auth: AdminDevice, sessions: SessionsDep) -> UserOut:
    with transaction(sessions) as s:
        user = s.get(User, user_id)
        if user is None:
            raise errors.not_found()
        users.update_user(s, user=user, **body.model_dump(exclude_unset=True))
        audit.add(
            s,
            action="admin.user_change",
            user_id=auth.user_id,
            device_id=auth.device_id,
            target_user=user.id,
            fields=sorted(body.model_dump(exclude_unset=True)),
        )
        return _out(user)


@router.post("/{user_id}/enroll-code", status_code=201, responses=_ERR)
def enroll_code(
    user_id: int, auth: AdminDevice, sessions: SessionsDep, settings: SettingsDep
) -> CodeOut:
    with transaction(sessions) as s:
        user = s.get(User, user_id)
        if user is None:
            raise errors.not_found()
        code, expires = devices.create_code(
            s, user=user, ttl_seconds=settings.enroll_code_ttl_seconds
        )
        audit.add(
            s,
            action="admin.enroll_code",
            user_id=auth.user_id,
            device_id=auth.device_id,
            target_user=user.id,
        )
        return CodeOut(code=code, expires_at=iso(expires))


@router.post("/{user_id}/disable", responses=_ERR)
def disable_user(user_id: int, auth: AdminDevice, sessions: SessionsDep) -> UserOut:
    with transaction(sessions) as s:
        user = s.get(User, user_id)
        if user is None:
            raise errors.not_found()
        users.update_user(s, user=user, disabled=True)
        audit.add(
            s,
            action="admin.user_disable",
            user_id=auth.user_id,
            device_id=auth.device_id,
            target_user=user.id,
            at=iso(utcnow()),
        )
        return _out(user)
