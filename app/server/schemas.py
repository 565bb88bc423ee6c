"""Request and response bodies (the OpenAPI document is generated from these)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from typing_extensions import TypedDict

from app.protocol.limits import (
    ID_PATTERN,
    MAX_CHANGED_FIELDS,
    MAX_ID_LENGTH,
    MAX_PUSH_CHANGES,
    MAX_TABLE_NAME_LENGTH,
)

Role = Literal["outreach", "coordinator", "admin"]
Uuid = Field(min_length=1, max_length=MAX_ID_LENGTH, pattern=f"^{ID_PATTERN}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnrollIn(Strict):
    code: str = Field(min_length=4, max_length=40)
    device_name: str = Field(min_length=1, max_length=80)


class StaffOut(BaseModel):
    id: str
    name: str | None
    role: str
    agency_id: str | None
    district_ids: list[str]


class EnrollOut(BaseModel):
    device_id: str
    token: str
    expires_at: str
    staff: StaffOut
    server_time: str


class AdminSessionOut(BaseModel):
    session_id: str
    token: str
    expires_at: str
    user_id: int
    login: str
    staff: StaffOut
    server_time: str


class TokenOut(BaseModel):
    token: str
    expires_at: str
    server_time: str


class ChangeIn(Strict):
    op_id: str = Uuid
    table: str = Field(min_length=1, max_length=MAX_TABLE_NAME_LENGTH)
    row_id: str = Uuid
    op: Literal["insert", "update", "delete"]
    changes: dict[str, list[Any]] = Field(default_factory=dict, max_length=MAX_CHANGED_FIELDS)


class PushIn(Strict):
    batch_id: str | None = Field(default=None, max_length=MAX_ID_LENGTH)
    changes: list[ChangeIn] = Field(max_length=MAX_PUSH_CHANGES)


class ChangeDict(TypedDict):
    """``ChangeIn`` validated into a plain dict (same fields and limits): the push route turns
    every change into a dict anyway, and building 2,000 model instances per batch costs more
    than validating them."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]
    op_id: Annotated[str, Uuid]
    table: Annotated[str, Field(min_length=1, max_length=MAX_TABLE_NAME_LENGTH)]
    row_id: Annotated[str, Uuid]
    op: Literal["insert", "update", "delete"]
    changes: NotRequired[Annotated[dict[str, list[Any]], Field(max_length=MAX_CHANGED_FIELDS)]]


class PushDict(TypedDict):
    """``PushIn`` as a plain dict (the OpenAPI document shows ``PushIn``)."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]
    batch_id: NotRequired[Annotated[str | None, Field(max_length=MAX_ID_LENGTH)]]
    changes: Annotated[list[ChangeDict], Field(max_length=MAX_PUSH_CHANGES)]


PUSH_BODY: TypeAdapter[PushDict] = TypeAdapter(PushDict)


class ConflictOut(BaseModel):
    field: str
    base: Any = None
    mine: Any = None
    theirs: Any = None
    theirs_by: str | None = None
    theirs_at: str | None = None


class ResultOut(BaseModel):
    op_id: str
    status: Literal["applied", "conflict", "rejected"]
    reason: str | None = None
    conflicts: list[ConflictOut] = Field(default_factory=list)


class PushOut(BaseModel):
    server_time: str
    results: list[ResultOut]


class WireRecord(BaseModel):
    table: str
    id: str
    data: dict[str, Any]


class PullOut(BaseModel):
    server_time: str
    cursor: int
    next_cursor: int
    has_more: bool
    records: list[WireRecord]
    purge: list[dict[str, str]]


class StatusOut(BaseModel):
    server_time: str
    schema_: dict[str, int] = Field(alias="schema")
    device: dict[str, Any]


class ErrorOut(BaseModel):
    """Every error answer (docs/sync-protocol.md); some add fields (``detail``,
    ``retry_after``, ``limit``, ``min_schema``/``max_schema``)."""

    error: str
    message_ja: str
    message_en: str
    server_time: str
    detail: Any = None


# A district or agency given by id or by code (the codes the laptop's ``init`` takes).
MasterRef = Annotated[str, Field(min_length=1, max_length=40)]
# Strength (12 characters or more and a zxcvbn score) is checked by the route, with its own
# message (422 weak_password).
Password = Annotated[str, Field(max_length=200)]
UuidText = Annotated[
    str, Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
]
# Integer ids of the server's own tables (PostgreSQL ``integer``).
MAX_INT_ID = 2**31 - 1


class UserIn(Strict):
    login: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9._@-]+$")
    name: str = Field(min_length=1, max_length=80)
    role: Role
    password: Password | None = None
    staff_id: UuidText | None = None
    agency_id: MasterRef | None = None
    district_ids: list[MasterRef] = Field(default_factory=list, max_length=50)


class UserPatch(Strict):
    role: Role | None = None
    disabled: bool | None = None
    agency_id: MasterRef | None = None
    district_ids: list[MasterRef] | None = Field(default=None, max_length=50)
    password: Password | None = None


class UserOut(BaseModel):
    id: int
    login: str
    name: str | None = None  # 氏名 (the user's staff record)
    role: str
    staff_id: str
    agency_id: str | None
    district_ids: list[str]
    disabled: bool


class CodeOut(BaseModel):
    code: str
    expires_at: str


class DeviceOut(BaseModel):
    id: str
    user_id: int
    name: str
    enrolled_at: str
    last_seen_at: str | None
    last_sync_at: str | None
    last_cursor: int
    behind: int
    revoked: bool
    # Added for the workspace's device health (migration 0010): all optional, as reported.
    login: str | None = None
    revoked_at: str | None = None
    revoke_reason: str | None = None
    app_version: str | None = None
    schema_version: int | None = None
    pending_changes: int | None = None
    rejected_changes: int | None = None
    stale: bool = False


class RevokeIn(Strict):
    reason: str | None = Field(default=None, max_length=200)


class MasterIn(Strict):
    """A district, agency or resource written by an administrator (wire-form fields)."""

    id: str | None = Field(default=None, max_length=36)
    data: dict[str, Any] = Field(max_length=40)


class AdminLoginIn(Strict):
    login: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class LoginIn(AdminLoginIn):
    """``/auth/login``: a laptop already enrolled sends its ``device_id``, so a repeated
    password login renews that device's token instead of adding a device."""

    device_id: str | None = Field(default=None, min_length=36, max_length=36)
    device_name: str | None = Field(default=None, min_length=1, max_length=80)


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error answers a route can give."""
    return {code: {"model": ErrorOut} for code in codes}
