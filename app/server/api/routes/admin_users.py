"""Admin API: users and their enrollment codes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from app.server import errors
from app.server.api.deps import AdminDevice, SessionsDep, SettingsDep, transaction
from app.server.core.security import password_problem
from app.server.crud import audit, devices, users
from app.server.models import Record, User, utcnow
from app.server.schemas import (
    MAX_INT_ID,
    CodeOut,
    UserIn,
    UserOut,
    UserPatch,
    error_responses,
)
from app.server.timeutil import iso

router = APIRouter(prefix="/admin/users", tags=["admin"])
_ERR = error_responses(401, 403, 404, 409, 422)
UserId = Annotated[int, Path(ge=1, le=MAX_INT_ID)]


def check_password(password: str | None, *hints: str | None) -> None:
    """A new password must be strong (422 weak_password with the reason)."""
    if password is None:
        return
    problem = password_problem(password, hints=tuple(h for h in hints if h))
    if problem is not None:
        raise errors.weak_password(*problem)


def unknown_reference(exc: users.UnknownReference) -> errors.ApiError:
    valid = ", ".join(exc.valid[:40]) or "-"
    kind_ja = "地区" if exc.kind == "district" else "機関"
    return errors.invalid_reference(
        f"その{kind_ja}はありません: {exc.value[:40]}（有効なコード: {valid}）",
        f"No such {exc.kind}: {exc.value[:40]} (valid codes: {valid})",
    )


def _out(u: User, name: str | None = None) -> UserOut:
    return UserOut(
        id=u.id,
        login=u.login,
        name=name,
        role=u.role,
        staff_id=u.staff_id,
        agency_id=u.agency_id,
        district_ids=list(u.district_ids or []),
        disabled=u.disabled,
    )


@router.get("", responses=_ERR)
def list_users(auth: AdminDevice, sessions: SessionsDep) -> list[UserOut]:
    with transaction(sessions) as s:
        staff = s.execute(select(Record.id, Record.data).where(Record.table_name == "staff"))
        names = {i: (data or {}).get("name") for i, data in staff}
        return [
            _out(u, names.get(u.staff_id))
            for u in s.execute(select(User).order_by(User.id)).scalars()
        ]


@router.post("", status_code=201, responses=_ERR)
def add_user(body: UserIn, auth: AdminDevice, sessions: SessionsDep) -> UserOut:
    check_password(body.password, body.login, body.name)
    with transaction(sessions) as s:
        try:
            user = users.create_user(s, **body.model_dump())
        except users.UserExists:
            raise errors.conflict(
                "user_exists", "そのログイン名は使われています。", "That login name is taken."
            ) from None
        except users.UnknownReference as exc:
            raise unknown_reference(exc) from None
        audit.add(
            s,
            action="admin.user_add",
            user_id=auth.user_id,
            device_id=auth.device_id,
            target_user=user.id,
        )
        return _out(user)


@router.patch("/{user_id}", responses=_ERR)
def change_user(
    user_id: UserId, body: UserPatch, auth: AdminDevice, sessions: SessionsDep
) -> UserOut:
    """A new password or ``disabled: true`` revokes the user's devices (but the calling
    device, when administrators change their own password)."""
    with transaction(sessions) as s:
        user = s.get(User, user_id)
        if user is None:
            raise errors.not_found()
        check_password(body.password, user.login)
        try:
            users.update_user(
                s,
                user=user,
                keep_device=auth.keep,
                **body.model_dump(exclude_unset=True),
            )
        except users.UnknownReference as exc:
            raise unknown_reference(exc) from None
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
    user_id: UserId,
    auth: AdminDevice,
    sessions: SessionsDep,
    settings: SettingsDep,
    ttl: Annotated[str | None, Query(max_length=12, examples=["30m", "2h", "1d"])] = None,
) -> CodeOut:
    """A one-time enrolment code; ``ttl`` its life (``90s``, ``30m``, ``2h``, ``7d`` or
    seconds; one minute to 30 days; default 24 hours)."""
    seconds = settings.enroll_code_ttl_seconds
    if ttl is not None:
        parsed = devices.parse_ttl(ttl)
        if parsed is None:
            raise errors.invalid_reference(
                "有効期限は 30m、2h、1d のように 1 分から 30 日の間で指定してください。",
                "Give ttl like 30m, 2h or 1d, between one minute and 30 days.",
            )
        seconds = parsed
    with transaction(sessions) as s:
        user = s.get(User, user_id)
        if user is None:
            raise errors.not_found()
        if user.disabled:
            raise errors.conflict(
                "user_disabled",
                "この利用者は無効化されています。登録コードは発行できません。",
                "This user is disabled: no enrolment code can be issued.",
            )
        code, expires = devices.create_code(s, user=user, ttl_seconds=seconds)
        audit.add(
            s,
            action="admin.enroll_code",
            user_id=auth.user_id,
            device_id=auth.device_id,
            target_user=user.id,
        )
        return CodeOut(code=code, expires_at=iso(expires))


@router.post("/{user_id}/disable", responses=_ERR)
def disable_user(user_id: UserId, auth: AdminDevice, sessions: SessionsDep) -> UserOut:
    with transaction(sessions) as s:
        user = s.get(User, user_id)
        if user is None:
            raise errors.not_found()
        users.update_user(s, user=user, disabled=True, keep_device=None)
        audit.add(
            s,
            action="admin.user_disable",
            user_id=auth.user_id,
            device_id=auth.device_id,
            target_user=user.id,
            at=iso(utcnow()),
        )
        return _out(user)
