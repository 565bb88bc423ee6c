"""Support meetings (支援会議 / 重層的支援会議 / 進捗会議): members with pledges, cases on the
agenda, minutes per case, and role assignments (役割分担), each a task on its case.

Who writes: coordinators and administrators (DOMAIN.md "Who writes what"); nobody adds
themselves to a meeting or records their own pledge. The server enforces the same
(app/server/crud/write_rules.py); refusing here says so before a push is rejected.

Need to know: ``case_access`` is the one rule for what a member may receive of a case on the
agenda (screen, packet); it is the referral sheet's rule (app/reports/redaction.py) with the
member's agency as the receiving agency.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.errors import NotFound, ValidationError
from app.domain.pledges import pledge_covers
from app.domain.records import (
    Actor,
    AssignmentData,
    AttendeeData,
    MeetingData,
    MinutesData,
)
from app.domain.seed import agency_id
from app.services import audit, masters
from app.services.cases import case_rows
from app.services.lookup import Names, get_or_raise
from app.storage.models import (
    Agency,
    Case,
    CaseTeamMember,
    MeetingAttendee,
    MeetingCase,
    RoleAssignment,
    Staff,
    SupportMeeting,
)

# The organiser when a meeting names none and no agency is marked the default organiser by an
# administrator (master data, ``masters.default_organiser``): the city's promotion section (an
# administrator sets its addressee on the agency, e.g. 重層的支援推進担当課長).
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
    _check_organiser(actor)
    if m.held_on is None:
        raise ValidationError(
            "開催日を入力してください。", "Enter the date of the meeting.", field="held_on"
        )
    for cid in case_ids or []:
        add_case(session, actor, m.id, cid)
    for sid in attendee_staff_ids or []:
        add_attendee(session, actor, m.id, staff_id=sid)
    audit.record(session, actor, "create", "support_meeting", m.id)
    return m.id


def _check_organiser(actor: Actor) -> None:
    if actor.role not in ("coordinator", "admin"):
        raise ValidationError(
            "会議の作成・構成員・誓約書の記録はコーディネーター（包括化推進員など）が行います。",
            "Meetings, their members and pledges are recorded by coordinators.",
        )


def _live_meeting(session: Session, meeting_id: str) -> SupportMeeting:
    m = session.get(SupportMeeting, meeting_id)
    if m is None or m.deleted:
        raise NotFound.of("support_meeting", meeting_id)
    return m


MEETING_FIELDS = (
    "kind", "held_on", "starts_at", "place", "title", "district_id", "chair_staff_id",
    "organiser_agency_id", "standing_pledge_allowed", "decisions",
)  # fmt: skip


def _time(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.time.fromisoformat(value.strip()).strftime("%H:%M")
    except ValueError:
        raise ValidationError(
            f"開始時刻「{value}」は HH:MM の形で入力してください。",
            f"Give the start time as HH:MM ({value!r}).",
            field="starts_at",
        ) from None


def update_meeting(session: Session, actor: Actor, meeting_id: str, values: dict[str, Any]) -> None:
    """Change a meeting's fields (``MEETING_FIELDS``). Moving the date re-checks every
    pledge against the new date (a pledge signed after it no longer counts; the screen and
    the packets say so)."""
    _check_organiser(actor)
    m = _live_meeting(session, meeting_id)
    for key, value in values.items():
        if key not in MEETING_FIELDS:
            raise ValidationError(
                f"会議の項目「{key}」は変更できません。使える項目: {'、'.join(MEETING_FIELDS)}",
                f"Unknown meeting field {key!r}. Allowed: {', '.join(MEETING_FIELDS)}",
                field=key,
            )
        if key == "kind":
            value = vocab.parse(vocab.MEETING_KIND, str(value), "kind")
        elif key == "held_on":
            if not value:
                raise ValidationError(
                    "開催日を入力してください。", "Enter the date of the meeting.", field="held_on"
                )
            value = value if isinstance(value, dt.date) else _parse_day(str(value), "held_on")
        elif key == "starts_at":
            value = _time(value)
        elif key == "standing_pledge_allowed":
            value = (
                value
                if isinstance(value, bool)
                else str(value).lower() in ("1", "true", "yes", "はい")
            )
        elif isinstance(value, str):
            value = value.strip() or None
        setattr(m, key, value)
    audit.record(session, actor, "update", "support_meeting", meeting_id)


def _parse_day(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            f"日付「{value}」は YYYY-MM-DD の形で入力してください。",
            f"Give the date as YYYY-MM-DD ({value!r}).",
            field=field,
        ) from None


def add_case(session: Session, actor: Actor, meeting_id: str, case_id: str) -> str:
    """Put a case on the agenda (once: adding it again returns the existing row)."""
    _check_organiser(actor)
    _live_meeting(session, meeting_id)
    if session.get(Case, case_id) is None:
        raise NotFound.of("case", case_id)
    existing = session.scalar(
        select(MeetingCase).where(
            MeetingCase.meeting_id == meeting_id,
            MeetingCase.case_id == case_id,
            MeetingCase.deleted.is_(False),
        )
    )
    if existing is not None:
        return existing.id
    mc = MeetingCase(meeting_id=meeting_id, case_id=case_id)
    session.add(mc)
    session.flush()
    audit.record(session, actor, "update", "case", case_id, "put on a meeting agenda")
    return mc.id


def write_minutes(
    session: Session, actor: Actor, meeting_id: str, case_id: str, *,
    discussion: str | None = None, decision: str | None = None,
) -> None:  # fmt: skip
    """The minutes (議事録) of one case on the agenda: what was discussed, what was decided.
    Written on the case's agenda row, so they travel only to those who may see the case."""
    _check_organiser(actor)
    _live_meeting(session, meeting_id)
    mc = session.scalar(
        select(MeetingCase).where(
            MeetingCase.meeting_id == meeting_id,
            MeetingCase.case_id == case_id,
            MeetingCase.deleted.is_(False),
        )
    )
    if mc is None:
        raise ValidationError(
            "このケースは会議の議題にありません。先に議題に加えてください。",
            "The case is not on the meeting's agenda; add it first.",
            field="case_id",
        )
    if discussion is not None:
        mc.discussion = discussion.strip() or None
    if decision is not None:
        mc.decision = decision.strip() or None
    audit.record(session, actor, "update", "case", case_id, "meeting minutes")


def add_attendee(
    session: Session, actor: Actor, meeting_id: str, *, staff_id: str | None = None,
    name: str | None = None, agency_id: str | None = None, pledge_signed: bool = False,
    pledge_date: dt.date | None = None,
) -> str:  # fmt: skip
    _check_organiser(actor)
    meeting = _live_meeting(session, meeting_id)
    _not_own(actor, staff_id)
    staff = session.get(Staff, staff_id) if staff_id else None
    if staff_id and staff is None:
        raise NotFound.of("staff", staff_id)
    display = (name or "").strip() or (staff.name if staff else None)
    if not display:
        raise ValidationError(
            "出席者の氏名を入力してください。", "Enter the attendee's name.", field="name"
        )
    if staff_id and session.scalar(
        select(MeetingAttendee.id).where(
            MeetingAttendee.meeting_id == meeting_id,
            MeetingAttendee.staff_id == staff_id,
            MeetingAttendee.deleted.is_(False),
        )
    ):
        raise ValidationError(
            f"{display} さんはすでに構成員です。",
            f"{display} is already a member.",
            field="staff_id",
        )
    a = MeetingAttendee(
        meeting_id=meeting_id, staff_id=staff_id, name=display,
        agency_id=agency_id or (staff.agency_id if staff else None),
        pledge_signed=pledge_signed,
        pledge_date=_pledge_day(meeting, pledge_date) if pledge_signed else None,
    )  # fmt: skip
    if not pledge_signed and staff_id and meeting.standing_pledge_allowed:
        standing = _standing_pledge(session, meeting, staff_id)
        if standing is not None:
            a.pledge_signed, a.pledge_date = True, standing[0]
            a.pledge_valid_until = standing[1]
    session.add(a)
    session.flush()
    audit.record(session, actor, "update", "support_meeting", meeting_id, "member added")
    return a.id


def _not_own(actor: Actor, staff_id: str | None) -> None:
    if staff_id and actor.staff_id == staff_id:
        raise ValidationError(
            "自分自身を構成員に加えたり、自分の誓約書を記録したりすることはできません。"
            "別のコーディネーターに依頼してください。",
            "Nobody adds themselves to a meeting or records their own pledge; ask another "
            "coordinator.",
            field="staff_id",
        )


def _standing_pledge(
    session: Session, meeting: SupportMeeting, staff_id: str
) -> tuple[dt.date, dt.date] | None:
    """A standing pledge of this staff member, given at an earlier meeting of the same
    organiser, whose period covers this meeting's date (signed, valid until)."""
    rows = session.execute(
        select(MeetingAttendee.pledge_date, MeetingAttendee.pledge_valid_until)
        .join(SupportMeeting, SupportMeeting.id == MeetingAttendee.meeting_id)
        .where(
            MeetingAttendee.staff_id == staff_id,
            MeetingAttendee.deleted.is_(False),
            MeetingAttendee.pledge_signed.is_(True),
            MeetingAttendee.pledge_valid_until.is_not(None),
            SupportMeeting.organiser_agency_id.is_(None)
            if meeting.organiser_agency_id is None
            else SupportMeeting.organiser_agency_id == meeting.organiser_agency_id,
        )
    ).all()
    for signed, until in rows:
        ok = pledge_covers(
            signed=True, signed_on=signed, valid_until=until, held_on=meeting.held_on
        )
        if ok and signed is not None and until is not None:
            return signed, until
    return None


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
    session: Session, actor: Actor, attendee_id: str, signed_on: dt.date | None = None,
    *, valid_until: dt.date | None = None,
) -> None:  # fmt: skip
    """Record a member's signed pledge as received (the date it was signed). A standing
    pledge (``valid_until``) only where the meeting's organiser allows it."""
    _check_organiser(actor)
    a = session.get(MeetingAttendee, attendee_id)
    if a is None or a.deleted:
        raise NotFound.of("attendee", attendee_id)
    _not_own(actor, a.staff_id)
    meeting = _live_meeting(session, a.meeting_id)
    day = _pledge_day(meeting, signed_on)
    if valid_until is not None:
        if not meeting.standing_pledge_allowed:
            raise ValidationError(
                "この会議の主催者は有効期間付きの誓約書（包括的な誓約）を認めていません。"
                "会議ごとの誓約書を記録してください。",
                "This meeting's organiser does not accept standing pledges; record a pledge "
                "for this meeting.",
                field="valid_until",
            )
        if meeting.held_on is not None and valid_until < meeting.held_on:
            raise ValidationError(
                "有効期限が会議の開催日より前です。", "The pledge expires before the meeting.",
                field="valid_until",
            )  # fmt: skip
    a.pledge_date = day
    a.pledge_valid_until = valid_until
    a.pledge_signed = True
    audit.record(session, actor, "update", "support_meeting", a.meeting_id, "pledge recorded")


def pledge_state(meeting: SupportMeeting, a: MeetingAttendee) -> tuple[bool, str]:
    """Whether the member's pledge covers the meeting, and (if not) why, in Japanese."""
    if pledge_covers(signed=a.pledge_signed, signed_on=a.pledge_date,
                     valid_until=a.pledge_valid_until, held_on=meeting.held_on):  # fmt: skip
        return True, ""
    if not a.pledge_signed or a.pledge_date is None:
        return False, "誓約書が未提出"
    if meeting.held_on is None:
        return False, "会議の開催日が未定"
    if a.pledge_date > meeting.held_on:
        return False, "誓約日が会議の開催日より後"
    return False, "誓約書の有効期間外"


# What a member may receive of a case on the agenda (the referral sheet's scopes).
FULL, LIMITED, WITHHELD = "full", "meeting", "withheld"
FILE_COPY = "file"  # the organiser's own copy of the minutes (not handed to members)


def case_access(meeting: SupportMeeting, a: MeetingAttendee | None, case: Case) -> tuple[str, str]:
    """(scope, reason in Japanese) of what this member may receive of this case: ``full``
    with the person's consent naming the member's agency (or naming none), ``meeting`` for
    a case without consent at a 支援会議 (art. 106-6) with a pledge covering the meeting
    (identity, issues, the meeting's discussion, decision and tasks; not the case's own
    notes), else ``withheld``. ``a`` None: someone not a member at all."""
    if a is None:
        return WITHHELD, "この会議の構成員ではありません。"
    valid, why = pledge_state(meeting, a)
    if case.consent_status == "given":
        named = case.consent_agency_ids or []
        if named and a.agency_id not in named:
            return WITHHELD, "本人が同意した機関に含まれていません。"
        if not valid:
            return WITHHELD, f"守秘義務の誓約書が有効ではありません（{why}）。"
        return FULL, ""
    if meeting.kind not in vocab.NO_CONSENT_MEETING_KINDS:
        return WITHHELD, (
            "本人同意のないケースは支援会議（社会福祉法第106条の6）でのみ共有できます"
            f"（この会議は{vocab.label(vocab.MEETING_KIND, meeting.kind)}）。"
        )
    if not valid:
        return WITHHELD, (
            f"本人同意のないケースです。会議の日までに署名した守秘義務の誓約書がありません（{why}）。"
        )
    return LIMITED, ""


_UNSET: Any = object()


def set_task_status(
    session: Session, actor: Actor, task_id: str, status: str,
    completed_on: dt.date | None = _UNSET, *, today: dt.date | None = None,
) -> None:  # fmt: skip
    """A task's status (未着手/対応中/完了); ``done`` follows it, for the worklist. Becoming
    done records the day (``completed_on``: today unless given, kept when already done);
    leaving done clears it. A completion day in the future is refused."""
    r = session.get(RoleAssignment, task_id)
    if r is None or r.deleted:
        raise NotFound.of("role_assignment", task_id)
    code = vocab.parse(vocab.TASK_STATUS, status, "status")
    today = today or dt.date.today()
    if code != "done":
        if completed_on not in (_UNSET, None):
            raise ValidationError(
                "完了日は状況が「完了」のときだけ入力できます。",
                "A completion day needs the status Done.", field="completed_on",
            )  # fmt: skip
        r.completed_on = None
    elif completed_on is not _UNSET and completed_on is not None:
        if completed_on > today:
            raise ValidationError(
                "完了日に未来の日付は入力できません。", "The completion day is in the future.",
                field="completed_on",
            )  # fmt: skip
        r.completed_on = completed_on
    elif r.completed_on is None or not r.done:
        r.completed_on = today
    r.status = code
    r.done = code == "done"
    audit.record(session, actor, "update", "case", r.case_id, "task status")


def add_assignment(
    session: Session, actor: Actor, *, meeting_id: str | None, case_id: str, task: str,
    staff_id: str | None = None, agency_id: str | None = None, due_date: dt.date | None = None,
) -> str:  # fmt: skip
    if not task.strip():
        raise ValidationError("役割の内容を入力してください。", "Enter the task.", field="task")
    if session.get(Case, case_id) is None:
        raise NotFound.of("case", case_id)
    if meeting_id is not None:
        _live_meeting(session, meeting_id)
        on_agenda = session.scalar(
            select(MeetingCase.id).where(
                MeetingCase.meeting_id == meeting_id,
                MeetingCase.case_id == case_id,
                MeetingCase.deleted.is_(False),
            )
        )
        if on_agenda is None:
            raise ValidationError(
                "このケースは会議の議題にありません。", "The case is not on the meeting's agenda.",
                field="case_id",
            )  # fmt: skip
    staff = session.get(Staff, staff_id) if staff_id else None
    if staff_id and staff is None:
        raise NotFound.of("staff", staff_id)
    if not staff_id and not agency_id:
        raise ValidationError(
            "担当者（職員）または担当機関を指定してください。", "Give who does it (staff or agency).",
            field="staff_id",
        )  # fmt: skip
    r = RoleAssignment(meeting_id=meeting_id, case_id=case_id, task=task.strip(),
                       staff_id=staff_id, agency_id=agency_id or (staff.agency_id if staff else None),
                       due_date=due_date, status="open", done=False)  # fmt: skip
    session.add(r)
    session.flush()
    audit.record(session, actor, "update", "case", case_id, "role assigned")
    return r.id


def meeting_number(meeting_id: str) -> str:
    """The short number a meeting is shown and typed by: the last 8 characters of its id
    (ids are UUIDv7, whose first characters are a timestamp shared by rows made together;
    the tail is random). ``find_meeting`` accepts it."""
    return short(meeting_id)


def short(row_id: str) -> str:
    return row_id.replace("-", "")[-8:]


def find_meeting(session: Session, ref: str) -> str:
    """A meeting id from its id or its number (``meeting_number``)."""
    ref = ref.strip()
    m = session.get(SupportMeeting, ref)
    if m is not None and not m.deleted:
        return m.id
    if len(ref) >= 6:
        ids = list(
            session.scalars(
                select(SupportMeeting.id).where(
                    SupportMeeting.id.endswith(ref, autoescape=True),
                    SupportMeeting.deleted.is_(False),
                )
            )
        )
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise ValidationError(
                f"会議番号「{ref}」に当てはまる会議が複数あります。もう少し長く指定してください。",
                f"Meeting number {ref!r} is ambiguous; give more characters.",
            )
    raise NotFound.of("support_meeting", ref)


def find_attendee(session: Session, meeting_id: str, ref: str) -> str:
    """An attendee of the meeting by attendee id, staff id, staff login or name."""
    rows = list(
        session.scalars(
            select(MeetingAttendee).where(
                MeetingAttendee.meeting_id == meeting_id, MeetingAttendee.deleted.is_(False)
            )
        )
    )
    staff_ids = set(session.scalars(select(Staff.id).where(Staff.login == ref)))
    hits = [
        a for a in rows
        if ref in (a.id, a.staff_id, a.name, short(a.id)) or a.staff_id in staff_ids
    ]  # fmt: skip
    if len(hits) != 1:
        raise ValidationError(
            f"構成員「{ref}」が見つからないか、複数当てはまります（meeting show で確認してください）。",
            f"No single member matches {ref!r} (see meeting show).",
        )
    return hits[0].id


def list_meetings(
    session: Session, actor: Actor | None = None, *, limit: int = 500
) -> list[dict[str, Any]]:
    """Meetings, newest first, with the number used to print and edit them. An outreach
    worker's list holds only the meetings they attend or that discuss a case on this laptop
    (the server sends no others; this keeps a laptop that still has them from showing them)."""
    names = Names(session)
    q = select(SupportMeeting).where(SupportMeeting.deleted.is_(False))
    if actor is not None and actor.role == "outreach":
        attends = select(MeetingAttendee.meeting_id).where(
            MeetingAttendee.staff_id == actor.staff_id, MeetingAttendee.deleted.is_(False)
        )
        mine = select(MeetingCase.meeting_id).where(
            MeetingCase.deleted.is_(False),
            MeetingCase.case_id.in_(
                select(Case.id).where(
                    (Case.assigned_staff_id == actor.staff_id)
                    | Case.id.in_(
                        select(CaseTeamMember.case_id).where(
                            CaseTeamMember.staff_id == actor.staff_id,
                            CaseTeamMember.deleted.is_(False),
                        )
                    )
                )
            ),
        )
        q = q.where(SupportMeeting.id.in_(attends) | SupportMeeting.id.in_(mine))
    rows = session.scalars(q.order_by(SupportMeeting.held_on.desc()).limit(limit))
    return [
        {
            "id": m.id, "number": meeting_number(m.id), "kind": m.kind,
            "held_on": m.held_on.isoformat() if m.held_on else None,
            "starts_at": m.starts_at, "title": m.title, "place": m.place,
            "district": names.district(m.district_id),
            "chair": names.staff_name(m.chair_staff_id),
        }
        for m in rows
    ]  # fmt: skip


def meeting_data(
    session: Session, actor: Actor, meeting_id: str, *, audit_view: bool = True
) -> MeetingData:
    m = get_or_raise(session, SupportMeeting, meeting_id, "support_meeting")
    names = Names(session)
    attendees = list(
        session.scalars(
            select(MeetingAttendee)
            .where(MeetingAttendee.meeting_id == meeting_id, MeetingAttendee.deleted.is_(False))
            .order_by(MeetingAttendee.created_at)
        )
    )
    agenda = list(
        session.scalars(
            select(MeetingCase)
            .where(MeetingCase.meeting_id == meeting_id, MeetingCase.deleted.is_(False))
            .order_by(MeetingCase.created_at)
        )
    )
    # Only cases this laptop holds: a case the server did not send stays off the screen.
    held = {
        c.id: c
        for c in session.scalars(select(Case).where(Case.id.in_([x.case_id for x in agenda])))
    }
    case_ids = [x.case_id for x in agenda if x.case_id in held]
    numbers = {cid: held[cid].case_number for cid in case_ids}
    assignments = session.scalars(
        select(RoleAssignment)
        .where(RoleAssignment.meeting_id == meeting_id, RoleAssignment.deleted.is_(False))
        .order_by(RoleAssignment.due_date, RoleAssignment.created_at)
    )
    if audit_view:
        audit.record(session, actor, "view", "support_meeting", meeting_id)
    organiser = session.get(Agency, m.organiser_agency_id or masters.default_organiser(session))

    def att(a: MeetingAttendee) -> AttendeeData:
        valid, why = pledge_state(m, a)
        return AttendeeData(
            id=a.id, name=a.name, staff_id=a.staff_id, agency_id=a.agency_id,
            agency_name=names.agency(a.agency_id), pledge_signed=bool(a.pledge_signed),
            pledge_date=a.pledge_date, pledge_valid_until=a.pledge_valid_until,
            pledge_valid=valid, pledge_note=why,
        )  # fmt: skip

    return MeetingData(
        id=m.id, kind=m.kind, held_on=m.held_on, place=m.place,
        district_name=names.district(m.district_id), chair_staff_id=m.chair_staff_id,
        chair_name=names.staff_name(m.chair_staff_id), title=m.title, decisions=m.decisions,
        attendees=tuple(att(a) for a in attendees),
        cases=tuple(case_rows(session, case_ids)),
        assignments=tuple(
            AssignmentData(id=r.id, case_id=r.case_id, case_number=numbers.get(r.case_id),
                           staff_name=names.staff_name(r.staff_id),
                           agency_name=names.agency(r.agency_id), task=r.task,
                           due_date=r.due_date, done=bool(r.done),
                           status=r.status or ("done" if r.done else "open"),
                           staff_id=r.staff_id, agency_id=r.agency_id, meeting_id=r.meeting_id,
                           completed_on=r.completed_on)
            for r in assignments if r.case_id in held
        ),
        organiser_name=organiser.name if organiser else None,
        addressee=organiser.addressee if organiser else None,
        starts_at=m.starts_at, standing_pledge_allowed=bool(m.standing_pledge_allowed),
        organiser_agency_id=m.organiser_agency_id, district_id=m.district_id,
        minutes=tuple(
            MinutesData(case_id=x.case_id, case_number=numbers.get(x.case_id),
                        discussion=x.discussion, decision=x.decision)
            for x in agenda if x.case_id in held
        ),
    )  # fmt: skip


def agenda_for(
    session: Session, meeting_id: str, attendee_id: str | None = None
) -> list[tuple[str, str, str]]:
    """(case id, scope, reason) per case on the agenda this laptop holds, as the member
    ``attendee_id`` may receive it (None: the organiser's file copy, everything held)."""
    m = _live_meeting(session, meeting_id)
    a = session.get(MeetingAttendee, attendee_id) if attendee_id else None
    if attendee_id and (a is None or a.deleted or a.meeting_id != meeting_id):
        raise NotFound.of("attendee", attendee_id)
    rows = session.execute(
        select(MeetingCase.case_id, Case)
        .join(Case, Case.id == MeetingCase.case_id)
        .where(MeetingCase.meeting_id == meeting_id, MeetingCase.deleted.is_(False))
        .order_by(MeetingCase.created_at)
    ).all()
    out = []
    for cid, case in rows:
        if attendee_id is None:
            out.append((cid, FILE_COPY, ""))
        else:
            scope, why = case_access(m, a, case)
            out.append((cid, scope, why))
    return out
