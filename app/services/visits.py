"""Contact records (相談・訪問記録) and the day's visit plan. Records are append-only:
a correction is a new record that points at the one it corrects."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.errors import ValidationError
from app.domain.records import Actor, VisitPlan
from app.services import audit
from app.services.lookup import get_or_raise
from app.storage.models import Case, CaseTeamMember, ContactRecord, Household, Person, Staff

# Templates for common kinds of visit: (key, Japanese label, kind, narrative skeleton)
TEMPLATES: list[tuple[str, str, str, str]] = [
    ("safety", "安否確認訪問", "visit", "安否確認のため訪問。本人と面会。体調：\n生活状況：\n"),
    (
        "8050",
        "8050世帯訪問",
        "visit",
        "親（80代）と子（50代）世帯を訪問。\n親の状況：\n子の状況：\n",
    ),
    ("hikikomori", "ひきこもり相談（同行）", "accompany", "支援員と同行訪問。本人の様子：\n"),
    ("phone", "電話相談", "phone", "電話にて相談。内容：\n"),
    ("office", "来所相談", "office", "来所。相談内容：\n"),
    ("meeting", "支援会議", "meeting", "支援会議に出席。決定事項：\n"),
]


def add_contact(
    session: Session,
    actor: Actor,
    *,
    case_id: str,
    kind: str,
    contact_at: dt.datetime | None = None,
    place: str | None = None,
    participants: str | None = None,
    narrative: str | None = None,
    next_action: str | None = None,
    next_action_date: dt.date | None = None,
    person_id: str | None = None,
    corrects_id: str | None = None,
) -> str:
    case = get_or_raise(session, Case, case_id, "case")
    kind = vocab.parse(vocab.CONTACT_KIND, kind, "kind")
    if not (narrative or "").strip():
        raise ValidationError(
            "記録の内容を入力してください。", "Enter what happened.", field="narrative"
        )
    contact_at = contact_at or dt.datetime.now().replace(microsecond=0)
    if contact_at > dt.datetime.now() + dt.timedelta(days=1):
        raise ValidationError(
            "日時が未来になっています。", "The date and time are in the future.", field="contact_at"
        )
    if next_action_date and next_action_date < contact_at.date():
        raise ValidationError(
            "次回予定日が記録日より前です。",
            "The next action date is before the contact.",
            field="next_action_date",
        )
    if corrects_id:
        get_or_raise(session, ContactRecord, corrects_id, "contact_record", deleted_ok=True)
    rec = ContactRecord(
        case_id=case_id,
        person_id=person_id or case.person_id,
        staff_id=actor.staff_id,
        contact_at=contact_at,
        kind=kind,
        place=place,
        participants=participants,
        narrative=narrative,
        next_action=next_action,
        next_action_date=next_action_date,
        corrects_id=corrects_id,
    )
    session.add(rec)
    session.flush()
    audit.record(session, actor, "create", "contact_record", rec.id, f"case {case.case_number}")
    return rec.id


def visit_plan(
    session: Session, actor: Actor, day: dt.date, *, mine_only: bool = True,
    include_closed: bool = False,
) -> list[VisitPlan]:  # fmt: skip
    """Cases with a next action due on ``day`` (the 訪問予定表), households together (by
    address, then household), each with its own assigned worker. Closed cases are left out
    unless ``include_closed``."""
    latest = (
        select(
            ContactRecord.case_id.label("case_id"),
            func.max(ContactRecord.contact_at).label("last_at"),
        )
        .where(ContactRecord.deleted.is_(False))
        .group_by(ContactRecord.case_id)
        .subquery()
    )
    due = (
        select(ContactRecord.case_id, ContactRecord.next_action)
        .where(ContactRecord.next_action_date == day, ContactRecord.deleted.is_(False))
        .subquery()
    )
    stmt = (
        select(
            Case.id, Case.case_number, Person.name, Person.kana, Person.address, Person.phone,
            due.c.next_action, latest.c.last_at, Case.household_id, Household.name, Staff.name,
            Case.status,
        )
        .join(due, due.c.case_id == Case.id)
        .outerjoin(Person, Person.id == Case.person_id)
        .outerjoin(latest, latest.c.case_id == Case.id)
        .outerjoin(Household, Household.id == Case.household_id)
        .outerjoin(Staff, Staff.id == Case.assigned_staff_id)
        .where(Case.deleted.is_(False))
        .order_by(Person.address, Case.household_id, Case.case_number)
    )  # fmt: skip
    if not include_closed:
        stmt = stmt.where(Case.status != "closed")
    if mine_only and actor.staff_id:
        team = select(CaseTeamMember.case_id).where(CaseTeamMember.staff_id == actor.staff_id)
        stmt = stmt.where((Case.assigned_staff_id == actor.staff_id) | Case.id.in_(team))
    seen: set[str] = set()
    out: list[VisitPlan] = []
    for r in session.execute(stmt):
        if r[0] in seen:
            continue
        seen.add(r[0])
        out.append(
            VisitPlan(
                case_id=r[0], case_number=r[1], person_name=r[2], person_kana=r[3],
                address=r[4], phone=r[5], planned_on=day, next_action=r[6], last_contact_at=r[7],
                household_id=r[8], household_name=r[9], worker_name=r[10], case_status=r[11],
            )
        )  # fmt: skip
    return out
