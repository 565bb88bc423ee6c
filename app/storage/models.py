"""SQLAlchemy models of the local (client) case store.

Every table that syncs carries the ``Synced`` columns: a UUIDv7 id made on the laptop,
created/updated times, a version and a tombstone flag (rows are never hard-deleted by the
app). Changes to them are written to ``outbox`` in the same transaction (see outbox.py).
Local-only tables (outbox, sync state, conflicts, drafts, settings) do not sync.

No ``from __future__ import annotations`` here, unlike the other modules: the ``Mapped[...]``
annotations are then real objects, which SQLAlchemy reads directly instead of evaluating 570
strings, a fifth of this module's import (~25 ms of every ``yorisoi`` command; issue 17 item
11). The tables and mappers are the same either way (checked when this was changed).
"""

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Shared with the server (app/protocol); re-exported, client modules import them from here too.
from app.protocol.ids import new_id as new_id
from app.protocol.naming import NAMING as NAMING


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class Synced:
    """Columns every synced row has. ``version`` counts local edits; the server orders by its own
    sequence, never by these laptop clock times."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    # Tables whose rows are appended and never edited (never conflict).
    __append_only__ = False
    # Tables the laptop only ever pushes (audit trail).
    __push_only__ = False


# --- master data -------------------------------------------------------------------------


class District(Synced, Base):
    __tablename__ = "district"
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    kana: Mapped[str | None] = mapped_column(String(80))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Agency(Synced, Base):
    __tablename__ = "agency"
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="internal")  # internal / partner
    phone: Mapped[str | None] = mapped_column(String(40))
    district_id: Mapped[str | None] = mapped_column(ForeignKey("district.id"))
    # How documents address this agency (e.g. 重層的支援推進担当課長), set by an administrator.
    addressee: Mapped[str | None] = mapped_column(String(120))
    # Migration 0013: the organiser a meeting's pledges are addressed to when the meeting names
    # none (one agency, set by an administrator; else 重層的支援推進担当課).
    default_organiser: Mapped[bool] = mapped_column(Boolean, default=False)


class SchoolZone(Synced, Base):
    """小学校区 (migration 0013): the names the person's school zone is chosen from, per district.
    The person keeps the name as text (records made before the list stay as they were)."""

    __tablename__ = "school_zone"
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    kana: Mapped[str | None] = mapped_column(String(120))
    district_id: Mapped[str | None] = mapped_column(ForeignKey("district.id"))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # Retired zones are no longer offered; nothing is deleted.
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class IssueCategory(Synced, Base):
    """課題の分類 (migration 0013): the issue checkboxes of a case and its referral sheet. The
    codes are what cases store; the seed rows are the former fixed list (vocab.ISSUE_CATEGORY),
    so existing cases keep their meaning. A retired category still names old cases."""

    __tablename__ = "issue_category"
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str | None] = mapped_column(String(80))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Staff(Synced, Base):
    __tablename__ = "staff"
    name: Mapped[str] = mapped_column(String(80))
    kana: Mapped[str | None] = mapped_column(String(120))
    login: Mapped[str | None] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20), default="outreach")
    agency_id: Mapped[str | None] = mapped_column(ForeignKey("agency.id"))
    district_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Resource(Synced, Base):
    """Regional resource (地域資源), registered by outreach staff and shared with everyone."""

    __tablename__ = "resource"
    name: Mapped[str] = mapped_column(String(120))
    kana: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="other")
    district_id: Mapped[str | None] = mapped_column(ForeignKey("district.id"))
    address: Mapped[str | None] = mapped_column(String(200))
    schedule: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)


# --- people and households ------------------------------------------------------------------


class Person(Synced, Base):
    __tablename__ = "person"
    name: Mapped[str] = mapped_column(String(80))
    kana: Mapped[str | None] = mapped_column(String(120))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(10))
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    district_id: Mapped[str | None] = mapped_column(ForeignKey("district.id"))
    school_zone: Mapped[str | None] = mapped_column(String(60))
    notes: Mapped[str | None] = mapped_column(Text)
    # Set when a coordinator merged this record into another (migration 0011): the record is
    # kept, every reference moved to the survivor (app/services/duplicates.py).
    merged_into_id: Mapped[str | None] = mapped_column(String(36))
    # What the merge moved (JSON text, ids only; migration 0012), so an undo moves back
    # exactly that (app/services/merges.py). None when not merged or merged before 0012.
    merge_record: Mapped[str | None] = mapped_column(Text)


class Household(Synced, Base):
    __tablename__ = "household"
    name: Mapped[str] = mapped_column(String(80))  # e.g. 山田さん世帯
    address: Mapped[str | None] = mapped_column(String(200))
    district_id: Mapped[str | None] = mapped_column(ForeignKey("district.id"))
    situation: Mapped[str | None] = mapped_column(Text)
    # Migration 0012: merged into another household (kept, pointing at the survivor) and
    # what that merge moved, as on Person.
    merged_into_id: Mapped[str | None] = mapped_column(String(36))
    merge_record: Mapped[str | None] = mapped_column(Text)


class HouseholdMember(Synced, Base):
    __tablename__ = "household_member"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    relationship: Mapped[str] = mapped_column(String(20), default="self")  # 続柄
    is_head: Mapped[bool] = mapped_column(Boolean, default=False)
    lives_together: Mapped[bool] = mapped_column(Boolean, default=True)
    # Migration 0012: a member who leaves keeps their row, with the day they left (history);
    # current members have no ``left_on``.
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)


class LifeEvent(Synced, Base):
    """An event on the household's life-stage timeline (ライフステージ)."""

    __tablename__ = "life_event"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"), index=True)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"))
    event_date: Mapped[dt.date | None] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20), default="other")
    description: Mapped[str | None] = mapped_column(Text)


# --- cases -----------------------------------------------------------------------------------


class Case(Synced, Base):
    __tablename__ = "case"
    case_number: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))  # 主訴
    household_id: Mapped[str | None] = mapped_column(ForeignKey("household.id"), index=True)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"), index=True)
    district_id: Mapped[str | None] = mapped_column(ForeignKey("district.id"), index=True)
    issue_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="received", index=True)
    lead_agency_id: Mapped[str | None] = mapped_column(ForeignKey("agency.id"))
    assigned_staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"), index=True)
    urgency: Mapped[str] = mapped_column(String(10), default="medium")
    consent_status: Mapped[str] = mapped_column(String(10), default="pending")
    consent_agency_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    consent_date: Mapped[dt.date | None] = mapped_column(Date)
    opened_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    # The case list's default order (most recently changed first) reads straight off this index.
    # The 実績報告 (migration 0013) reads the cases from ix_case_report alone, and finds a row's
    # case district by ix_case_id_district alone: neither touches the table's wide rows,
    # whose pages SQLCipher would decrypt one by one.
    __table_args__ = (
        Index("ix_case_updated_at_id", "updated_at", "id"),
        Index("ix_case_report", "district_id", "opened_on", "closed_on", "status", "deleted",
              "issue_categories"),
        Index("ix_case_id_district", "id", "district_id", "deleted"),
    )  # fmt: skip


class CaseTeamMember(Synced, Base):
    """Support team (支援チーム) with role assignments (役割分担)."""

    __tablename__ = "case_team_member"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"), index=True)
    agency_id: Mapped[str | None] = mapped_column(ForeignKey("agency.id"))
    role: Mapped[str | None] = mapped_column(String(200))


class ContactRecord(Synced, Base):
    """相談・訪問記録. Append-only: a correction is a new record pointing at the one it corrects."""

    __tablename__ = "contact_record"
    __append_only__ = True
    # Looked up by case through ix_contact_record_case_at (case_id, contact_at): a second index
    # on case_id alone would only cost a random B-tree insert per record.
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"))
    person_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"))
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    contact_at: Mapped[dt.datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(20), default="visit")
    place: Mapped[str | None] = mapped_column(String(200))
    participants: Mapped[str | None] = mapped_column(String(400))
    narrative: Mapped[str | None] = mapped_column(Text)
    next_action: Mapped[str | None] = mapped_column(Text)
    next_action_date: Mapped[dt.date | None] = mapped_column(Date)
    corrects_id: Mapped[str | None] = mapped_column(String(36))

    __table_args__ = (
        Index("ix_contact_record_case_at", "case_id", "contact_at"),
        # The 実績報告's contacts of a period, from the index alone (migration 0013).
        Index("ix_contact_record_report", "contact_at", "case_id", "kind", "deleted"),
    )


class Referral(Synced, Base):
    """うけとめ・つなげるシート: the city's common form for handing a consultation over."""

    __tablename__ = "referral"
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    receipt_number: Mapped[str] = mapped_column(String(40))
    referral_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    from_agency_id: Mapped[str | None] = mapped_column(ForeignKey("agency.id"))
    from_staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    from_contact: Mapped[str | None] = mapped_column(String(200))
    to_agency_id: Mapped[str | None] = mapped_column(ForeignKey("agency.id"))
    to_staff_name: Mapped[str | None] = mapped_column(String(80))
    person_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"))
    consulter_name: Mapped[str | None] = mapped_column(String(80))  # 相談者 (if not the person)
    consulter_relationship: Mapped[str | None] = mapped_column(String(40))
    household_situation: Mapped[str | None] = mapped_column(Text)
    issue_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    issue_other: Mapped[str | None] = mapped_column(String(200))
    account: Mapped[str | None] = mapped_column(Text)  # 相談内容
    wishes: Mapped[str | None] = mapped_column(Text)  # 本人の希望
    services_involved: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(10), default="medium")
    consent_basis: Mapped[str] = mapped_column(String(20), default="consent")
    consent_agency_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    consent_signed_by: Mapped[str | None] = mapped_column(String(80))
    consent_date: Mapped[dt.date | None] = mapped_column(Date)
    meeting_id: Mapped[str | None] = mapped_column(ForeignKey("support_meeting.id"))
    reply_date: Mapped[dt.date | None] = mapped_column(Date)
    reply_staff_name: Mapped[str | None] = mapped_column(String(80))
    reply_text: Mapped[str | None] = mapped_column(Text)
    # Migration 0009 (the printed sheet's fields, issue 15).
    consult_route: Mapped[str | None] = mapped_column(String(20))  # vocab.CONSULT_ROUTE
    contact_cautions: Mapped[list[str] | None] = mapped_column(JSON)  # vocab.CONTACT_CAUTION
    contact_note: Mapped[str | None] = mapped_column(String(200))
    handover: Mapped[str | None] = mapped_column(String(20))  # vocab.HANDOVER
    first_meeting_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    consent_agent_relationship: Mapped[str | None] = mapped_column(String(40))  # 代理人の続柄

    # The 実績報告's referrals of a period, from the index alone (migration 0013).
    __table_args__ = (
        Index("ix_referral_report", "referral_date", "case_id", "status", "to_agency_id",
              "reply_date", "deleted"),
    )  # fmt: skip


class SupportMeeting(Synced, Base):
    __tablename__ = "support_meeting"
    kind: Mapped[str] = mapped_column(String(20), default="shien_kaigi")
    held_on: Mapped[dt.date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(200))
    district_id: Mapped[str | None] = mapped_column(ForeignKey("district.id"))
    chair_staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    title: Mapped[str | None] = mapped_column(String(200))
    decisions: Mapped[str | None] = mapped_column(Text)
    # The agency that organises the meeting; its addressee heads the pledge (migration 0009).
    organiser_agency_id: Mapped[str | None] = mapped_column(ForeignKey("agency.id"))
    # Migration 0010: the time it starts ("14:00"), and whether the organiser accepts a
    # standing pledge (one signed earlier with a validity period) instead of one per meeting.
    starts_at: Mapped[str | None] = mapped_column(String(5))
    standing_pledge_allowed: Mapped[bool] = mapped_column(Boolean, default=False)


class MeetingAttendee(Synced, Base):
    __tablename__ = "meeting_attendee"
    meeting_id: Mapped[str] = mapped_column(ForeignKey("support_meeting.id"), index=True)
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"), index=True)
    agency_id: Mapped[str | None] = mapped_column(ForeignKey("agency.id"))
    name: Mapped[str] = mapped_column(String(80))
    pledge_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    pledge_date: Mapped[dt.date | None] = mapped_column(Date)
    # Migration 0010: a standing pledge's last day (None: the pledge covers this meeting only).
    pledge_valid_until: Mapped[dt.date | None] = mapped_column(Date)


class MeetingCase(Synced, Base):
    __tablename__ = "meeting_case"
    meeting_id: Mapped[str] = mapped_column(ForeignKey("support_meeting.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    # Minutes of this case at this meeting (migration 0010). Owned by the case (the server's
    # scope follows the case), so they reach only those who may see the case.
    discussion: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(Text)


class RoleAssignment(Synced, Base):
    __tablename__ = "role_assignment"
    meeting_id: Mapped[str | None] = mapped_column(ForeignKey("support_meeting.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case.id"), index=True)
    staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    agency_id: Mapped[str | None] = mapped_column(ForeignKey("agency.id"))
    task: Mapped[str] = mapped_column(Text)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    # Migration 0010: 未着手 / 対応中 / 完了 (vocab.TASK_STATUS); ``done`` stays true exactly
    # when the status is done, so the worklist may read either.
    status: Mapped[str | None] = mapped_column(String(20))
    # Migration 0013: the day the task was done (set when its status becomes done, editable),
    # so a report can tell "done on time" (completed_on <= due_date).
    completed_on: Mapped[dt.date | None] = mapped_column(Date)

    # The 実績報告's scan of the tasks due in a period reads this index alone.
    __table_args__ = (
        Index(
            "ix_role_assignment_report", "due_date", "case_id", "done", "completed_on", "deleted"
        ),
    )


class AuditEvent(Synced, Base):
    """Who viewed, changed, printed or exported which record. Never holds personal data."""

    __tablename__ = "audit_event"
    __append_only__ = True
    __push_only__ = True
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_staff_id: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(
        String(20)
    )  # view / create / update / delete / print / export
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(36), index=True)
    detail: Mapped[str | None] = mapped_column(String(200))


# --- local only ------------------------------------------------------------------------------


class OutboxEntry(Base):
    """A local change waiting to be pushed. Written in the same transaction as the edit."""

    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(10))  # insert / update / delete
    # {field: [base, new]}; base is None for an insert.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class SyncState(Base):
    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Conflict(Base):
    """A field changed on both sides, kept for a person to resolve."""

    __tablename__ = "conflict"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    op_id: Mapped[str | None] = mapped_column(String(36))
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(60))
    base: Mapped[Any] = mapped_column(JSON, nullable=True)
    mine: Mapped[Any] = mapped_column(JSON, nullable=True)
    theirs: Mapped[Any] = mapped_column(JSON, nullable=True)
    theirs_by: Mapped[str | None] = mapped_column(String(80))
    theirs_at: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolution: Mapped[str | None] = mapped_column(String(10))  # mine / theirs / merged


class RejectedChange(Base):
    __tablename__ = "rejected_change"
    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(10))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    rejected_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    dismissed: Mapped[bool] = mapped_column(Boolean, default=False)


class TrashItem(Base):
    """A rejected change the person dismissed, with the local rows it took away: kept (encrypted
    like everything else) for at least ``app.sync.rejected.TRASH_DAYS`` days, restorable."""

    __tablename__ = "trash_item"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    op_id: Mapped[str] = mapped_column(String(36), index=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(10))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    rejected_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # [{"table", "id", "data"}] in wire form: the rows as they were when dismissed (parents first)
    rows: Mapped[list[Any]] = mapped_column(JSON, default=list)
    trashed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class Draft(Base):
    """Unsaved form content (visit entry, referral editor), kept encrypted like everything else."""

    __tablename__ = "draft"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class LocalSetting(Base):
    __tablename__ = "local_setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)


class SearchDoc(Base):
    """Row map for the FTS5 search index (``search_fts``, created by the migration)."""

    __tablename__ = "search_doc"
    rowid: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))  # person / case / resource
    ref_id: Mapped[str] = mapped_column(String(36))
    __table_args__ = (Index("ux_search_doc_kind_ref", "kind", "ref_id", unique=True),)


SYNCED_MODELS: dict[str, type[Synced]] = {
    m.__tablename__: m  # type: ignore[attr-defined]
    for m in (
        District,
        Agency,
        SchoolZone,
        IssueCategory,
        Staff,
        Resource,
        Person,
        Household,
        HouseholdMember,
        LifeEvent,
        Case,
        CaseTeamMember,
        ContactRecord,
        SupportMeeting,
        MeetingAttendee,
        MeetingCase,
        RoleAssignment,
        Referral,
        AuditEvent,
    )
}
# Parents before children: the order a sync pushes and applies in.
SYNC_ORDER: list[str] = list(SYNCED_MODELS)
