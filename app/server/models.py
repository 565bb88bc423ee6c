"""Server tables. Synced rows are stored generically in ``record`` (one row per client row, its
wire-form data as JSON); small index tables hold the columns the scope rules need."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.protocol.naming import NAMING

# Record data is stored as ``json`` (text kept as written), not ``jsonb``: the server never
# queries inside it, and a pull hands the stored text straight to the client (migration 0002).
JsonType = JSON()
SeqType = BigInteger().with_variant(Integer(), "sqlite")
# Master-data records (crud/tables.py MASTER_TABLES), in the form the partial index and the
# statements that use it share (a planner proves the index usable from identical text).
MASTER_PREDICATE = (
    "table_name IN ('agency', 'district', 'issue_category', 'resource', 'school_zone', 'staff')"
)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class ServerBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(ServerBase):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    login: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # outreach / coordinator / admin
    staff_id: Mapped[str] = mapped_column(String(36), unique=True)
    agency_id: Mapped[str | None] = mapped_column(String(36))
    district_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Device(ServerBase):
    __tablename__ = "device"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # The token before the last refresh, accepted for a short while in case the refresh
    # answer never reached the laptop.
    prev_token_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    prev_token_valid_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    enrolled_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_sync_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_cursor: Mapped[int] = mapped_column(SeqType, default=0)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # When the device's scope was last compared with what it was sent (see crud/pull.py): the
    # sequence value then, whose scope it was, and the cursor from which the device has
    # received every scope change announced to it. NULL: unknown, compare on the next pull.
    scope_seen_at: Mapped[int | None] = mapped_column(SeqType)
    scope_viewer: Mapped[str | None] = mapped_column(String(64))
    scope_acked_from: Mapped[int | None] = mapped_column(SeqType)
    # What the laptop last reported at a pull (migration 0010): its app and schema version,
    # the changes still waiting to be pushed and the refused ones nobody dismissed yet, and
    # the reason given when an administrator revoked it.
    app_version: Mapped[str | None] = mapped_column(String(40))
    schema_version: Mapped[int | None] = mapped_column(Integer)
    pending_changes: Mapped[int | None] = mapped_column(Integer)
    rejected_changes: Mapped[int | None] = mapped_column(Integer)
    revoke_reason: Mapped[str | None] = mapped_column(String(200))


class AdminSession(ServerBase):
    """An administrator's signed-in session from the desktop workspace (migration 0010): a
    token for the admin API only, not a device. Signing in with a password must not add a
    device to the device list each time, and a session never syncs or receives case data."""

    __tablename__ = "admin_session"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class EnrollCode(ServerBase):
    __tablename__ = "enroll_code"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LoginFailure(ServerBase):
    """Failed enrollment or admin logins, per key (login name or client address)."""

    __tablename__ = "login_failure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(120), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Counter(ServerBase):
    """The sync sequence (``seq``). Locked and bumped inside each committing transaction, so
    sequence numbers become visible in order and a pull cursor never skips a late commit.
    ``scope``: the sequence number of the latest transaction that wrote the scope index tables
    (case_index, scope_link), written while ``seq`` is locked."""

    __tablename__ = "counter"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[int] = mapped_column(SeqType, default=0)


class Record(ServerBase):
    __tablename__ = "record"
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    seq: Mapped[int] = mapped_column(SeqType, unique=True)
    # The id the scope rules decide on: a case, household, person or meeting id (None: master).
    owner: Mapped[str | None] = mapped_column(String(36))
    updated_by: Mapped[str | None] = mapped_column(String(36))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        Index("ix_record_owner_seq", "owner", "seq"),
        # Master data by sequence, for the pulls of limited scopes (migration 0004): rows
        # of other tables never enter it, so their writes do not maintain it.
        Index(
            "ix_record_master_seq",
            "seq",
            postgresql_where=text(MASTER_PREDICATE),
            sqlite_where=text(MASTER_PREDICATE),
        ),
    )


class CaseIndex(ServerBase):
    __tablename__ = "case_index"
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    district_id: Mapped[str | None] = mapped_column(String(36), index=True)
    lead_agency_id: Mapped[str | None] = mapped_column(String(36))
    consent_given: Mapped[bool] = mapped_column(Boolean, default=False)
    assigned_staff_id: Mapped[str | None] = mapped_column(String(36), index=True)
    creator_staff_id: Mapped[str | None] = mapped_column(String(36), index=True)
    household_id: Mapped[str | None] = mapped_column(String(36), index=True)
    person_id: Mapped[str | None] = mapped_column(String(36), index=True)


class Link(ServerBase):
    """Relations the scope rules follow, one row per client row:
    team (case, staff), attendee (meeting, staff; active while attending, ``granted`` while
    the pledge covers the meeting's date, app/domain/pledges.py), meeting_case (meeting, case),
    member (household, person) and meeting (meeting, its kind; active unless deleted)."""

    __tablename__ = "scope_link"
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    a: Mapped[str | None] = mapped_column(String(36))
    b: Mapped[str | None] = mapped_column(String(36))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Attendee links only (migration 0008): a valid pledge for a live meeting.
    granted: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("ix_scope_link_kind_a", "kind", "a"),
        Index("ix_scope_link_kind_b", "kind", "b"),
    )


class DeviceScope(ServerBase):
    """Which scope owners a device has been sent, so entering and leaving can be detected.
    ``changed_cursor``: the pull response that announced the change; it counts as received
    once the device pulls from that cursor or later."""

    __tablename__ = "device_scope"
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # case / household / person / meeting
    inside: Mapped[bool] = mapped_column(Boolean, default=True)
    changed_cursor: Mapped[int] = mapped_column(SeqType, default=0)


class AppliedOp(ServerBase):
    """Idempotency: the first result of every pushed op."""

    __tablename__ = "applied_op"
    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ConflictLog(ServerBase):
    __tablename__ = "conflict_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(String(36), index=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(60))
    device_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class FieldStamp(ServerBase):
    """Who last set a field of a record, and when (server time): conflicts name that person,
    not the row's last writer. Written by pushed updates only; ``field`` "*" holds the writer
    of every field not stamped on its own (the row as it was before its first stamped update).
    A row never updated since has no stamps: its ``record.updated_by`` set every field."""

    __tablename__ = "field_stamp"
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    field: Mapped[str] = mapped_column(String(60), primary_key=True)
    staff_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ServerAudit(ServerBase):
    """Server-side audit trail: ids, actions and counts only, never personal data."""

    __tablename__ = "server_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    device_id: Mapped[str | None] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(30))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    remote: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    # The audit viewer pages newest first by id (keyset) under one filter at a time: each
    # filter has an index ending in ``id``, so a page is an index range read backwards
    # whatever the table's size (migration 0010; the case one is PostgreSQL only, on the
    # ``case_id`` the admin routes write into ``detail``).
    __table_args__ = (
        Index("ix_server_audit_user_id_id", "user_id", "id"),
        Index("ix_server_audit_device_id_id", "device_id", "id"),
        Index("ix_server_audit_action_id", "action", "id"),
    )


class DeviceCaseReceipt(ServerBase):
    """Which cases each device was sent, by id (who received what, for the audit): the
    first and the latest pull whose records belonged to the case, and when a purge of it
    was announced to the device (NULL while it holds the case). One row per device and
    case, upserted per pull page (crud/receipts.py); ``last_at`` is kept to within
    ``receipts.LAST_AT_GRANULARITY``."""

    __tablename__ = "device_case_receipt"
    # Keyed by case first: the question asked is "who holds case X" (one index only, so a
    # snapshot's receipts cost one B-tree insert per case).
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    first_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_at: Mapped[dt.datetime] = mapped_column(DateTime)
    purged_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
