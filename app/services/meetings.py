"""Support meetings (支援会議 / 重層的支援会議): attendees with pledges, cases, role assignments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.errors import ValidationError
from app.domain.records import Actor, AssignmentData, AttendeeData, MeetingData
from app.domain.seed import agency_id
from app.services import audit
from app.services.cases import case_rows
from app.services.lookup import Names, get_or_raise
from app.storage.models import (
    Agency,
    Case,
    MeetingAttendee,
    MeetingCase,
    RoleAssignment,
    Staff,
    SupportMeeting,
)

# The organiser when a meeting names none: the city's promotion section (an administrator sets
# its addressee on the agency, e.g. 重層的支援推進担当課長).
DEFAULT_ORGANISER = agency_id("suishin")


def create_meeting(
    session: Session, actor: Actor, *, kind: str, held_on: dt.date, title: str | None = None,
    place: str | None = None, district_id: str | None = None, chair_staff_id: str | None = None,
    case_ids: list[str] | None = None, attendee_staff_ids: list[str] | None = None,
    organiser_agency_id: str | None = None,
) -> str:  # fmt: skip
    m = SupportMeeting(
        kind=vocab.parse(vocab.MEETING_KIND, kind, "kind"), held_on=held_on, title=title,
        place=place, district_id=district_id, chair_staff_id=chair_staff_id or actor.staff_id,
        organiser_agency_id=organiser_agency_id,
    )  # fmt: skip
    session.add(m)
    session.flush()
    for cid in case_ids or []:
        get_or_raise(session, Case, cid, "case", deleted_ok=True)
        session.add(MeetingCase(meeting_id=m.id, case_id=cid))
    for sid in attendee_staff_ids or []:
        add_attendee(session, actor, m.id, staff_id=sid)
    audit.record(session, actor, "create", "support_meeting", m.id)
    return m.id


def add_attendee(
    session: Session, actor: Actor, meeting_id: str, *, staff_id: str | None = None,
    name: str | None = None, agency_id: str | None = None, pledge_signed: bool = False,
    pledge_date: dt.date | None = None,
) -> str:  # fmt: skip
    meeting = get_or_raise(session, SupportMeeting, meeting_id, "support_meeting")
    staff = session.get(Staff, staff_id) if staff_id else None
    display = name or (staff.name if staff else None)
    if not display:
        raise ValidationError(
            "出席者の氏名を入力してください。", "Enter the attendee's name.", field="name"
        )
    a = MeetingAttendee(
        meeting_id=meeting_id, staff_id=staff_id, name=display,
        agency_id=agency_id or (staff.agency_id if staff else None),
        pledge_signed=pledge_signed,
        pledge_date=_pledge_day(meeting, pledge_date) if pledge_signed else None,
    )  # fmt: skip
    session.add(a)
    session.flush()
    return a.id


def _pledge_day(meeting: SupportMeeting, signed_on: dt.date | None) -> dt.date:
    """The pledge's date, which must not be after the meeting: a pledge signed later does not
    cover what was shared at it."""
    day = signed_on or dt.date.today()
    if meeting.held_on is not None and day > meeting.held_on:
        raise ValidationError(
            f"誓約日（{day.isoformat()}）が会議の開催日（{meeting.held_on.isoformat()}）より後です。"
            "誓約書は会議の日までに提出されたものだけが有効です。署名した日を入力してください。",
            f"The pledge date ({day.isoformat()}) is after the meeting "
            f"({meeting.held_on.isoformat()}); only a pledge signed by the meeting's date counts. "
            "Enter the day it was signed.",
            field="pledge_date",
        )
    return day


def record_pledge(
    session: Session, actor: Actor, attendee_id: str, signed_on: dt.date | None = None
) -> None:
    a = get_or_raise(session, MeetingAttendee, attendee_id, "attendee")
    meeting = get_or_raise(
        session, SupportMeeting, a.meeting_id, "support_meeting", deleted_ok=True
    )
    a.pledge_date = _pledge_day(meeting, signed_on)
    a.pledge_signed = True
    audit.record(session, actor, "update", "support_meeting", a.meeting_id, "pledge recorded")


def add_assignment(
    session: Session, actor: Actor, *, meeting_id: str | None, case_id: str, task: str,
    staff_id: str | None = None, agency_id: str | None = None, due_date: dt.date | None = None,
) -> str:  # fmt: skip
    if not task.strip():
        raise ValidationError("役割の内容を入力してください。", "Enter the task.", field="task")
    r = RoleAssignment(meeting_id=meeting_id, case_id=case_id, task=task.strip(),
                       staff_id=staff_id, agency_id=agency_id, due_date=due_date)  # fmt: skip
    session.add(r)
    session.flush()
    audit.record(session, actor, "update", "case", case_id, "role assigned")
    return r.id


def list_meetings(session: Session, *, limit: int = 500) -> list[dict[str, Any]]:
    names = Names(session)
    rows = session.scalars(
        select(SupportMeeting)
        .where(SupportMeeting.deleted.is_(False))
        .order_by(SupportMeeting.held_on.desc())
        .limit(limit)
    )
    return [
        {
            "id": m.id, "kind": m.kind, "held_on": m.held_on.isoformat() if m.held_on else None,
            "title": m.title, "district": names.district(m.district_id),
            "chair": names.staff_name(m.chair_staff_id),
        }
        for m in rows
    ]  # fmt: skip


def meeting_data(
    session: Session, actor: Actor, meeting_id: str, *, audit_view: bool = True
) -> MeetingData:
    m = get_or_raise(session, SupportMeeting, meeting_id, "support_meeting")
    names = Names(session)
    attendees = session.scalars(
        select(MeetingAttendee)
        .where(MeetingAttendee.meeting_id == meeting_id, MeetingAttendee.deleted.is_(False))
        .order_by(MeetingAttendee.created_at)
    )
    case_ids = list(
        session.scalars(
            select(MeetingCase.case_id).where(
                MeetingCase.meeting_id == meeting_id, MeetingCase.deleted.is_(False)
            )
        )
    )
    numbers = dict(
        session.execute(select(Case.id, Case.case_number).where(Case.id.in_(case_ids))).all()
    )
    assignments = session.scalars(
        select(RoleAssignment)
        .where(RoleAssignment.meeting_id == meeting_id, RoleAssignment.deleted.is_(False))
        .order_by(RoleAssignment.due_date)
    )
    if audit_view:
        audit.record(session, actor, "view", "support_meeting", meeting_id)
    organiser = session.get(Agency, m.organiser_agency_id or DEFAULT_ORGANISER)
    return MeetingData(
        id=m.id, kind=m.kind, held_on=m.held_on, place=m.place,
        district_name=names.district(m.district_id), chair_staff_id=m.chair_staff_id,
        chair_name=names.staff_name(m.chair_staff_id), title=m.title, decisions=m.decisions,
        attendees=tuple(
            AttendeeData(id=a.id, name=a.name, staff_id=a.staff_id, agency_id=a.agency_id,
                         agency_name=names.agency(a.agency_id), pledge_signed=bool(a.pledge_signed),
                         pledge_date=a.pledge_date)
            for a in attendees
        ),
        cases=tuple(case_rows(session, case_ids)),
        assignments=tuple(
            AssignmentData(id=r.id, case_id=r.case_id, case_number=numbers.get(r.case_id),
                           staff_name=names.staff_name(r.staff_id),
                           agency_name=names.agency(r.agency_id), task=r.task,
                           due_date=r.due_date, done=bool(r.done))
            for r in assignments
        ),
        organiser_name=organiser.name if organiser else None,
        addressee=organiser.addressee if organiser else None,
    )  # fmt: skip
