"""Cases (相談ケース): listing over ids, details (audited), creation and validated updates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, select, text
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.dates import BAD_EN, BAD_JA, parse_date
from app.domain.errors import ValidationError
from app.domain.records import (
    Actor,
    AssignmentData,
    CaseDetail,
    CaseFilter,
    CaseRow,
    MeetingSummary,
    ReferralSummary,
    TeamMemberData,
)
from app.services import audit, masters
from app.services.households import household_data
from app.services.lookup import Names, contact_data, get_or_raise, person_data
from app.storage.collation import reading_order
from app.storage.models import (
    Agency,
    Case,
    CaseTeamMember,
    ContactRecord,
    District,
    MeetingCase,
    Person,
    Referral,
    RejectedChange,
    RoleAssignment,
    Staff,
    SupportMeeting,
)
from app.storage.search import search_case_ids

SORT_COLUMNS: dict[str, Any] = {
    "case_number": Case.case_number,
    "title": Case.title,
    "person": reading_order(Person.kana, Person.name),  # 五十音 by furigana
    "district": District.sort_order,
    "status": Case.status,
    "urgency": Case.urgency,
    "updated_at": Case.updated_at,
    "opened_on": Case.opened_on,
}

EDITABLE = {
    "title", "status", "urgency", "issue_categories", "district_id", "lead_agency_id",
    "assigned_staff_id", "consent_status", "consent_agency_ids", "consent_date", "opened_on",
    "closed_on", "notes", "household_id", "person_id",
}  # fmt: skip


# A text search keeps this many of the most recently changed matching cases (a two-letter query
# over 100,000 cases matches thousands; the list says when the cap was reached).
SEARCH_LIMIT = 300


def _filtered(stmt: Select[Any], flt: CaseFilter) -> Select[Any]:
    stmt = stmt.where(Case.deleted.is_(False))
    if flt.district_ids:
        stmt = stmt.where(Case.district_id.in_(flt.district_ids))
    if flt.statuses:
        stmt = stmt.where(Case.status.in_(flt.statuses))
    elif not flt.include_closed:
        stmt = stmt.where(Case.status != "closed")
    if flt.urgencies:
        stmt = stmt.where(Case.urgency.in_(flt.urgencies))
    if flt.consent_statuses:
        stmt = stmt.where(Case.consent_status.in_(flt.consent_statuses))
    if flt.assigned_staff_id:
        team = select(CaseTeamMember.case_id).where(
            CaseTeamMember.staff_id == flt.assigned_staff_id, CaseTeamMember.deleted.is_(False)
        )
        stmt = stmt.where((Case.assigned_staff_id == flt.assigned_staff_id) | Case.id.in_(team))
    for i, cat in enumerate(flt.issue_categories):
        stmt = stmt.where(
            text(
                f'EXISTS (SELECT 1 FROM json_each("case".issue_categories) WHERE value = :cat{i})'
            ).bindparams(**{f"cat{i}": cat})
        )
    return stmt


def case_ids(
    session: Session, flt: CaseFilter, *, search_limit: int = SEARCH_LIMIT, limit: int | None = None
) -> list[str]:
    """Ids of the cases matching ``flt``, sorted. The list model loads rows lazily from these.
    ``limit`` returns just the first ids (a fast first page before the whole list)."""
    stmt: Select[Any] = select(Case.id)
    if flt.text.strip():
        matched = search_case_ids(session, flt.text, limit=search_limit)
        if not matched:
            return []
        stmt = stmt.where(Case.id.in_(matched))
    stmt = _filtered(stmt, flt)
    sort_col = SORT_COLUMNS.get(flt.sort, Case.updated_at)
    if flt.sort == "person":
        stmt = stmt.outerjoin(Person, Person.id == Case.person_id)
    elif flt.sort == "district":
        stmt = stmt.outerjoin(District, District.id == Case.district_id)
    # Tie-break in the same direction so the (updated_at, id) index serves the default order.
    if flt.descending:
        stmt = stmt.order_by(sort_col.desc(), Case.id.desc())
    else:
        stmt = stmt.order_by(sort_col.asc(), Case.id.asc())
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def case_rows(session: Session, ids: Sequence[str]) -> list[CaseRow]:
    """Rows for the given ids, in the same order (ids that vanished are skipped)."""
    if not ids:
        return []
    stmt = (
        select(
            Case.id, Case.case_number, Case.title, Person.name, Person.kana, District.name,
            Case.status, Case.urgency, Case.issue_categories, Case.consent_status, Staff.name,
            Case.updated_at,
        )
        .outerjoin(Person, Person.id == Case.person_id)
        .outerjoin(District, District.id == Case.district_id)
        .outerjoin(Staff, Staff.id == Case.assigned_staff_id)
        .where(Case.id.in_(list(ids)))
    )  # fmt: skip
    by_id = {}
    for r in session.execute(stmt):
        by_id[r[0]] = CaseRow(
            id=r[0], case_number=r[1], title=r[2], person_name=r[3], person_kana=r[4],
            district_name=r[5], status=r[6], urgency=r[7],
            issue_categories=tuple(r[8] or ()), consent_status=r[9],
            assigned_staff_name=r[10], updated_at=r[11],
        )  # fmt: skip
    return [by_id[i] for i in ids if i in by_id]


def count_cases(session: Session) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Case).where(Case.deleted.is_(False))) or 0
    )


# The detail view's lists, built once: building and cache-keying a statement costs more
# Python time than running it (measured: ~2 of ~10 ms per detail view).
_CASE: BindParameter[str] = bindparam("case_id")
_TEAM = select(CaseTeamMember).where(
    CaseTeamMember.case_id == _CASE, CaseTeamMember.deleted.is_(False)
)
_CONTACTS = (
    select(ContactRecord)
    .where(ContactRecord.case_id == _CASE, ContactRecord.deleted.is_(False))
    .order_by(ContactRecord.contact_at.desc())
)
_REFERRALS = (
    select(Referral)
    .where(Referral.case_id == _CASE, Referral.deleted.is_(False))
    .order_by(Referral.referral_date.desc())
)
_MEETINGS = (
    select(SupportMeeting)
    .join(MeetingCase, MeetingCase.meeting_id == SupportMeeting.id)
    .where(MeetingCase.case_id == _CASE, MeetingCase.deleted.is_(False))
    .order_by(SupportMeeting.held_on.desc())
)


def case_detail(
    session: Session, actor: Actor, case_id: str, *, audit_view: bool = True
) -> CaseDetail:
    c = get_or_raise(session, Case, case_id, "case")
    names = Names(session)
    person = session.get(Person, c.person_id) if c.person_id else None
    household = household_data(session, c.household_id, names) if c.household_id else None
    params = {"case_id": case_id}
    team = session.scalars(_TEAM, params)
    contacts = session.scalars(_CONTACTS, params)
    referrals = session.scalars(_REFERRALS, params)
    meetings = session.scalars(_MEETINGS, params)
    contact_rows = list(contacts)
    referral_rows = list(referrals)
    marked = [c.id, *(x.id for x in contact_rows), *(r.id for r in referral_rows)]
    detail = CaseDetail(
        id=c.id,
        case_number=c.case_number,
        title=c.title,
        status=c.status,
        urgency=c.urgency,
        issue_categories=tuple(c.issue_categories or ()),
        district_id=c.district_id,
        district_name=names.district(c.district_id),
        lead_agency_id=c.lead_agency_id,
        lead_agency_name=names.agency(c.lead_agency_id),
        assigned_staff_id=c.assigned_staff_id,
        assigned_staff_name=names.staff_name(c.assigned_staff_id),
        consent_status=c.consent_status,
        consent_agency_ids=tuple(c.consent_agency_ids or ()),
        consent_agency_names=tuple(
            n for n in (names.agency(a) for a in c.consent_agency_ids or ()) if n
        ),
        consent_date=c.consent_date,
        opened_on=c.opened_on,
        closed_on=c.closed_on,
        notes=c.notes,
        version=c.version,
        person=person_data(person, names) if person else None,
        household=household,
        team=tuple(
            TeamMemberData(
                id=t.id,
                staff_id=t.staff_id,
                staff_name=names.staff_name(t.staff_id),
                agency_id=t.agency_id,
                agency_name=names.agency(t.agency_id),
                role=t.role,
            )
            for t in team
        ),
        contacts=tuple(contact_data(x, names) for x in contact_rows),
        referrals=tuple(
            ReferralSummary(
                id=r.id,
                receipt_number=r.receipt_number,
                referral_date=r.referral_date,
                status=r.status,
                to_agency_name=names.agency(r.to_agency_id),
            )
            for r in referral_rows
        ),
        meetings=tuple(
            MeetingSummary(id=m.id, kind=m.kind, held_on=m.held_on, title=m.title,
                           decisions=m.decisions)
            for m in meetings
        ),
        assignments=tuple(
            AssignmentData(id=r.id, case_id=r.case_id, case_number=c.case_number,
                           staff_name=names.staff_name(r.staff_id),
                           agency_name=names.agency(r.agency_id), task=r.task,
                           due_date=r.due_date, done=bool(r.done),
                           status=r.status or ("done" if r.done else "open"),
                           staff_id=r.staff_id, agency_id=r.agency_id, meeting_id=r.meeting_id,
                           completed_on=r.completed_on)
            for r in session.scalars(
                select(RoleAssignment)
                .where(RoleAssignment.case_id == case_id, RoleAssignment.deleted.is_(False))
                .order_by(RoleAssignment.due_date, RoleAssignment.created_at)
            )
        ),
        not_accepted=_not_accepted(session, marked),
    )  # fmt: skip
    if audit_view:
        audit.record(session, actor, "view", "case", case_id)
    return detail


def _not_accepted(session: Session, ids: list[str]) -> tuple[str, ...]:
    """Which of these records have a change the server refused that is still open."""
    if not ids:
        return ()
    found = session.scalars(
        select(RejectedChange.row_id).where(
            RejectedChange.dismissed.is_(False), RejectedChange.row_id.in_(ids)
        )
    )
    return tuple(sorted(set(found)))


def _parse_date(value: Any, field: str) -> dt.date | None:
    return parse_date(value, field=field, ja=f"{field}: {BAD_JA}", en=f"{field}: {BAD_EN}")


def _parse_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).replace("、", ",").split(",") if v.strip()]


def _ref_exists(session: Session, model: Any, id_: str | None, field: str) -> str | None:
    if not id_:
        return None
    if session.get(model, id_) is None:
        raise ValidationError(
            f"{field} に指定された記録がありません。", f"{field}: no such record.", field=field
        )
    return id_


def validate_case_fields(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in EDITABLE:
            raise ValidationError(
                f"項目「{key}」は変更できません。", f"Field {key!r} cannot be changed.", field=key
            )
        if key == "title":
            text = (value or "").strip()
            if not text:
                raise ValidationError("主訴を入力してください。", "Enter a title.", field=key)
            if len(text) > 200:
                raise ValidationError(
                    "主訴は200文字以内です。", "Title: 200 characters at most.", field=key
                )
            out[key] = text
        elif key == "status":
            out[key] = vocab.parse(vocab.CASE_STATUS, str(value), key)
        elif key == "urgency":
            out[key] = vocab.parse(vocab.URGENCY, str(value), key)
        elif key == "consent_status":
            out[key] = vocab.parse(vocab.CONSENT_STATUS, str(value), key)
        elif key == "issue_categories":
            out[key] = masters.parse_issues(session, _parse_list(value), key)
        elif key in ("consent_date", "opened_on", "closed_on"):
            out[key] = _parse_date(value, key)
        elif key == "district_id":
            out[key] = _ref_exists(session, District, value, key)
        elif key in ("lead_agency_id",):
            out[key] = _ref_exists(session, Agency, value, key)
        elif key == "assigned_staff_id":
            out[key] = _ref_exists(session, Staff, value, key)
        elif key == "consent_agency_ids":
            out[key] = [_ref_exists(session, Agency, v, key) for v in _parse_list(value)]
        elif key == "person_id":
            out[key] = _ref_exists(session, Person, value, key)
        else:
            out[key] = value if value != "" else None
    if out.get("status") == "closed" and "closed_on" not in out:
        out["closed_on"] = dt.date.today()
    return out


def next_case_number(session: Session, year: int | None = None) -> str:
    year = year or dt.date.today().year
    prefix = f"{year}-"
    last = session.scalar(
        select(func.max(Case.case_number)).where(Case.case_number.like(prefix + "%"))
    )
    n = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{n:06d}"


def create_case(
    session: Session, actor: Actor, *, title: str, person_id: str | None = None, **values: Any
) -> str:
    fields = validate_case_fields(session, {"title": title, **values})
    if person_id:
        fields["person_id"] = _ref_exists(session, Person, person_id, "person_id")
    fields.setdefault("opened_on", dt.date.today())
    fields.setdefault("assigned_staff_id", actor.staff_id)
    c = Case(case_number=next_case_number(session), **fields)
    session.add(c)
    session.flush()
    if actor.staff_id:
        session.add(
            CaseTeamMember(case_id=c.id, staff_id=actor.staff_id, agency_id=actor.agency_id,
                           role="主担当")
        )  # fmt: skip
    audit.record(session, actor, "create", "case", c.id)
    return c.id


def update_case(
    session: Session, actor: Actor, case_id: str, values: dict[str, Any],
    *, expected_version: int | None = None,
) -> None:  # fmt: skip
    c = get_or_raise(session, Case, case_id, "case")
    if expected_version is not None and c.version != expected_version:
        raise ValidationError(
            "他の画面または同期でこのケースが更新されています。開き直してから編集してください。",
            "This case was changed elsewhere (another window or a sync). Reopen it and edit again.",
        )
    fields = validate_case_fields(session, values)
    if (
        "assigned_staff_id" in fields
        and fields["assigned_staff_id"] != c.assigned_staff_id
        and actor.role not in ("coordinator", "admin")
    ):
        # The server refuses it too (app/server/crud/write_rules.py): say so before saving.
        raise ValidationError(
            "担当者の変更（引き継ぎ）はコーディネーターが行います。",
            "Only coordinators reassign a case to another worker.",
            field="assigned_staff_id",
        )
    for k, v in fields.items():
        setattr(c, k, v)
    audit.record(session, actor, "update", "case", case_id, ",".join(sorted(fields)))


def add_team_member(
    session: Session, actor: Actor, case_id: str, *, staff_id: str | None,
    agency_id: str | None = None, role: str | None = None,
) -> str:  # fmt: skip
    get_or_raise(session, Case, case_id, "case", deleted_ok=True)
    t = CaseTeamMember(case_id=case_id, staff_id=staff_id, agency_id=agency_id, role=role)
    session.add(t)
    session.flush()
    audit.record(session, actor, "update", "case", case_id, "team member added")
    return t.id


def delete_case(session: Session, actor: Actor, case_id: str) -> None:
    c = get_or_raise(session, Case, case_id, "case")
    c.deleted = True
    audit.record(session, actor, "delete", "case", case_id)
