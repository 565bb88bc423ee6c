"""Referrals (うけとめ・つなげるシート): creation, editing, status and the full sheet data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.dates import parse_date
from app.domain.errors import ValidationError
from app.domain.pledges import pledge_covers
from app.domain.records import Actor, ReferralData
from app.reports.redaction import MeetingBasis, decide
from app.services import audit, masters
from app.services.households import household_data
from app.services.lookup import Names, get_or_raise, person_data
from app.storage.models import (
    Case,
    MeetingAttendee,
    MeetingCase,
    Person,
    Referral,
    SupportMeeting,
)

FIELDS = {
    "receipt_number", "referral_date", "status", "from_agency_id", "from_staff_id",
    "from_contact", "to_agency_id", "to_staff_name", "person_id", "consulter_name",
    "consulter_relationship", "household_situation", "issue_categories", "issue_other",
    "account", "wishes", "services_involved", "reason", "urgency", "consent_basis",
    "consent_agency_ids", "consent_signed_by", "consent_date", "meeting_id", "reply_date",
    "reply_staff_name", "reply_text", "consult_route", "contact_cautions", "contact_note",
    "handover", "first_meeting_at", "consent_agent_relationship",
}  # fmt: skip
DATE_FIELDS = {"referral_date", "consent_date", "reply_date"}
# Statuses that say the sheet went out: a sheet that may carry nothing about the person
# (送付不可) can never have one of them.
SENT_STATUSES = frozenset({"sent", "received", "in_progress", "done"})


def _validate(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in values.items():
        if k not in FIELDS:
            raise ValidationError(f"項目「{k}」はありません。", f"No field {k!r}.", field=k)
        if k in DATE_FIELDS:
            out[k] = parse_date(v, field=k)
        elif k == "first_meeting_at":
            out[k] = _moment(v, k)
        elif k == "consult_route":
            out[k] = vocab.parse(vocab.CONSULT_ROUTE, str(v), k) if v else None
        elif k == "handover":
            out[k] = vocab.parse(vocab.HANDOVER, str(v), k) if v else None
        elif k == "contact_cautions":
            out[k] = [vocab.parse(vocab.CONTACT_CAUTION, x, k) for x in (v or [])]
        elif k == "status":
            out[k] = vocab.parse(vocab.REFERRAL_STATUS, str(v), k)
        elif k == "urgency":
            out[k] = vocab.parse(vocab.URGENCY, str(v), k)
        elif k == "consent_basis":
            out[k] = vocab.parse(vocab.CONSENT_BASIS, str(v), k)
        elif k == "issue_categories":
            out[k] = masters.parse_issues(session, list(v or []), k)
        elif k == "consent_agency_ids":
            out[k] = list(v or [])
        else:
            out[k] = v if v != "" else None
    return out


def _moment(v: Any, field: str) -> dt.datetime | None:
    if v in (None, ""):
        return None
    if isinstance(v, dt.datetime):
        return v
    try:
        return dt.datetime.fromisoformat(str(v))
    except ValueError:
        raise ValidationError(
            "日時は YYYY-MM-DD HH:MM の形で入力してください。",
            "Enter the date and time as YYYY-MM-DD HH:MM.",
            field=field,
        ) from None


def meeting_basis(session: Session, meeting_id: str | None) -> MeetingBasis | None:
    """The referral's meeting as the redaction rule sees it: the cases it discussed and the
    members whose pledge counts (signed on or before the meeting's date)."""
    if not meeting_id:
        return None
    meeting = session.get(SupportMeeting, meeting_id)
    if meeting is None or meeting.deleted:
        return None
    held = meeting.held_on
    members = [
        (a.agency_id, a.name)
        for a in session.scalars(
            select(MeetingAttendee)
            .where(
                MeetingAttendee.meeting_id == meeting_id,
                MeetingAttendee.deleted.is_(False),
                MeetingAttendee.pledge_signed.is_(True),
                MeetingAttendee.agency_id.is_not(None),
            )
            .order_by(MeetingAttendee.created_at)
        )
        if a.agency_id
        and pledge_covers(
            signed=True, signed_on=a.pledge_date, valid_until=a.pledge_valid_until, held_on=held
        )  # fmt: skip
    ]
    cases = session.scalars(
        select(MeetingCase.case_id).where(
            MeetingCase.meeting_id == meeting_id, MeetingCase.deleted.is_(False)
        )
    )
    return MeetingBasis.of((), list(cases), members)


def basis_meeting(session: Session, case_id: str, to_agency_id: str, day: dt.date) -> str | None:
    """The latest 支援会議 up to ``day`` that discussed the case with a member of the receiving
    agency whose pledge covers it: the basis a sheet without consent takes unless another is
    chosen (None when there is none)."""
    held = session.scalars(
        select(SupportMeeting.id)
        .join(MeetingCase, MeetingCase.meeting_id == SupportMeeting.id)
        .where(
            MeetingCase.case_id == case_id, MeetingCase.deleted.is_(False),
            SupportMeeting.deleted.is_(False),
            SupportMeeting.kind.in_(vocab.NO_CONSENT_MEETING_KINDS),
            SupportMeeting.held_on <= day,
        )
        .order_by(SupportMeeting.held_on.desc())
    )  # fmt: skip
    for mid in held:
        basis = meeting_basis(session, mid)
        if basis is not None and to_agency_id in basis.member_agency_ids:
            return mid
    return None


def _check_consent(session: Session, actor: Actor, r: Referral) -> None:
    if r.status != "draft" and r.consent_basis == "support_meeting" and not r.meeting_id:
        raise ValidationError(
            "同意がない場合は、根拠となる支援会議を選んでください。",
            "Without consent, choose the support meeting that is the basis.",
            field="meeting_id",
        )
    if r.status in SENT_STATUSES:
        session.flush()
        data = referral_data(session, actor, r.id, audit_view=False)
        redaction = decide(data, meeting_basis(session, r.meeting_id))
        if not redaction.can_send:
            raise ValidationError(
                f"このシートは送付できません（送付不可）。{redaction.reason_ja}",
                f"This sheet cannot be sent. {redaction.reason_en}",
                field="status",
            )


def next_receipt_number(session: Session, day: dt.date | None = None) -> str:
    day = day or dt.date.today()
    prefix = f"R{day:%Y%m}-"
    last = session.scalar(
        select(func.max(Referral.receipt_number)).where(Referral.receipt_number.like(prefix + "%"))
    )
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:04d}"


def create_referral(session: Session, actor: Actor, *, case_id: str, **values: Any) -> str:
    case = get_or_raise(session, Case, case_id, "case")
    data = _validate(session, values)
    data.setdefault("referral_date", dt.date.today())
    data.setdefault("receipt_number", next_receipt_number(session, data["referral_date"]))
    data.setdefault("from_staff_id", actor.staff_id)
    data.setdefault("from_agency_id", actor.agency_id)
    data.setdefault("person_id", case.person_id)
    data.setdefault("issue_categories", list(case.issue_categories or []))
    data.setdefault("urgency", case.urgency)
    if "consent_basis" not in data:
        data["consent_basis"] = "consent" if case.consent_status == "given" else "support_meeting"
    if data["consent_basis"] == "consent":
        data.setdefault("consent_agency_ids", list(case.consent_agency_ids or []))
        data.setdefault("consent_date", case.consent_date)
    elif "meeting_id" not in data and data.get("to_agency_id"):
        data["meeting_id"] = basis_meeting(
            session, case_id, data["to_agency_id"], data["referral_date"]
        )
    r = Referral(case_id=case_id, **data)
    session.add(r)
    session.flush()
    _check_consent(session, actor, r)
    audit.record(session, actor, "create", "referral", r.id, f"case {case.case_number}")
    return r.id


def update_referral(
    session: Session, actor: Actor, referral_id: str, values: dict[str, Any]
) -> None:
    r = get_or_raise(session, Referral, referral_id, "referral")
    for k, v in _validate(session, values).items():
        setattr(r, k, v)
    _check_consent(session, actor, r)
    audit.record(session, actor, "update", "referral", r.id, ",".join(sorted(values)))


def list_referrals(session: Session, *, case_id: str | None = None, status: str | None = None,
                   limit: int = 1000) -> list[dict[str, Any]]:  # fmt: skip
    names = Names(session)
    stmt = (
        select(Referral, Case.case_number, Person.name)
        .join(Case, Case.id == Referral.case_id)
        .outerjoin(Person, Person.id == Referral.person_id)
        .where(Referral.deleted.is_(False))
        .order_by(Referral.referral_date.desc(), Referral.receipt_number.desc())
        .limit(limit)
    )
    if case_id:
        stmt = stmt.where(Referral.case_id == case_id)
    if status:
        stmt = stmt.where(Referral.status == vocab.parse(vocab.REFERRAL_STATUS, status, "status"))
    return [
        {
            "id": r.id,
            "receipt_number": r.receipt_number,
            "referral_date": r.referral_date.isoformat() if r.referral_date else None,
            "status": r.status,
            "case_id": r.case_id,
            "case_number": number,
            "person_name": pname,
            "from_agency": names.agency(r.from_agency_id),
            "to_agency": names.agency(r.to_agency_id),
        }
        for r, number, pname in session.execute(stmt)
    ]


def referral_data(
    session: Session, actor: Actor, referral_id: str, *, audit_view: bool = True
) -> ReferralData:
    r = get_or_raise(session, Referral, referral_id, "referral")
    names = Names(session)
    case = session.get(Case, r.case_id)
    assert case is not None
    person = session.get(Person, r.person_id) if r.person_id else None
    members = household_data(session, case.household_id, names).members if case.household_id else ()
    meeting = session.get(SupportMeeting, r.meeting_id) if r.meeting_id else None
    if audit_view:
        audit.record(session, actor, "view", "referral", r.id, f"case {case.case_number}")
    return ReferralData(
        id=r.id, case_id=r.case_id, case_number=case.case_number,
        receipt_number=r.receipt_number, referral_date=r.referral_date, status=r.status,
        from_agency_id=r.from_agency_id, from_agency_name=names.agency(r.from_agency_id),
        from_staff_id=r.from_staff_id, from_staff_name=names.staff_name(r.from_staff_id),
        from_contact=r.from_contact, to_agency_id=r.to_agency_id,
        to_agency_name=names.agency(r.to_agency_id), to_staff_name=r.to_staff_name,
        person=person_data(person, names) if person else None,
        consulter_name=r.consulter_name, consulter_relationship=r.consulter_relationship,
        household_situation=r.household_situation, household_members=tuple(members),
        issue_categories=tuple(r.issue_categories or ()), issue_other=r.issue_other,
        account=r.account, wishes=r.wishes, services_involved=r.services_involved,
        reason=r.reason, urgency=r.urgency, consent_basis=r.consent_basis,
        consent_agency_ids=tuple(r.consent_agency_ids or ()),
        consent_agency_names=tuple(
            n for n in (names.agency(a) for a in r.consent_agency_ids or ()) if n
        ),
        consent_signed_by=r.consent_signed_by, consent_date=r.consent_date,
        meeting_id=r.meeting_id, meeting_kind=meeting.kind if meeting else None,
        meeting_held_on=meeting.held_on if meeting else None,
        meeting_title=meeting.title if meeting else None,
        reply_date=r.reply_date, reply_staff_name=r.reply_staff_name, reply_text=r.reply_text,
        version=r.version, case_status=case.status, received_on=case.opened_on,
        consult_route=r.consult_route, contact_cautions=tuple(r.contact_cautions or ()),
        contact_note=r.contact_note, handover=r.handover, first_meeting_at=r.first_meeting_at,
        consent_agent_relationship=r.consent_agent_relationship,
    )  # fmt: skip
