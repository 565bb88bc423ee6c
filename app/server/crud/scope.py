"""Need to know: which cases, households, persons and meetings a user may see.

- administrator: everything;
- outreach worker: cases whose support team they are on (or assigned to, or registered);
- coordinator: the same plus the cases of their districts;
- a case without consent is visible outside its lead agency only to pledged attendees of a
  support meeting on it (and to the staff member who registered it, who already holds it);
- a case's household, its members and persons, and its meetings follow the case.

Everything is expressed as SQL subqueries so a scope of any size costs no bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, false, or_, select, union
from sqlalchemy.orm import Session, aliased

from app.server.crud import bulk
from app.server.models import CaseIndex, Link


@dataclass(frozen=True)
class Viewer:
    user_id: int
    staff_id: str
    role: str
    agency_id: str | None
    district_ids: tuple[str, ...]

    @property
    def sees_everything(self) -> bool:
        return self.role == "admin"


def visible_cases(v: Viewer) -> Select[tuple[str]]:
    """Case ids the viewer may see. Each way of holding a case is its own indexed lookup
    (team link, assignment, registration, district), so no part scans all cases."""
    held = [
        select(Link.a).where(Link.kind == "team", Link.b == v.staff_id, Link.active),
        select(CaseIndex.case_id).where(CaseIndex.assigned_staff_id == v.staff_id),
        select(CaseIndex.case_id).where(CaseIndex.creator_staff_id == v.staff_id),
    ]
    if v.role == "coordinator" and v.district_ids:
        held.append(
            select(CaseIndex.case_id).where(CaseIndex.district_id.in_(list(v.district_ids)))
        )
    own = union(*held).subquery()
    shared = or_(
        CaseIndex.consent_given,
        CaseIndex.lead_agency_id == v.agency_id if v.agency_id else false(),
        CaseIndex.creator_staff_id == v.staff_id,
    )
    mc = aliased(Link)
    att = aliased(Link)
    pledged = (
        select(mc.b)
        .join(att, and_(att.a == mc.a, att.kind == "attendee"))
        .where(mc.kind == "meeting_case", mc.active, att.b == v.staff_id, att.active)
    )
    return (
        union(
            select(CaseIndex.case_id).join(own, own.c[0] == CaseIndex.case_id).where(shared),
            pledged,
        )
        .subquery()
        .select()
    )


def scope_parts(v: Viewer) -> dict[str, Select[tuple[str]]]:
    """kind -> subquery of visible owner ids. The visible cases are one CTE, evaluated once
    per statement however many parts refer to it."""
    cases = visible_cases(v).cte("visible_case")
    case_ids = select(cases.c[0])
    households = select(CaseIndex.household_id).where(
        CaseIndex.case_id.in_(case_ids), CaseIndex.household_id.is_not(None)
    )
    persons = union(
        select(CaseIndex.person_id).where(
            CaseIndex.case_id.in_(case_ids), CaseIndex.person_id.is_not(None)
        ),
        select(Link.b).where(Link.kind == "member", Link.active, Link.a.in_(households)),
    )
    meetings = select(Link.a).where(Link.kind == "meeting_case", Link.active, Link.b.in_(case_ids))
    return {
        "case": case_ids,
        "household": households,
        "person": persons.subquery().select(),
        "meeting": meetings,
    }


def visible_owner_ids(v: Viewer) -> Select[tuple[str]]:
    parts = scope_parts(v)
    return union(*parts.values()).subquery().select()


def current_scope(session: Session, v: Viewer) -> dict[str, str]:
    """owner id -> kind, for a viewer with a limited scope."""
    out: dict[str, str] = {}
    for kind, q in scope_parts(v).items():
        for owner in session.execute(q).scalars():
            if isinstance(owner, str):
                out.setdefault(owner, kind)
    return out


def claimed_owners(session: Session, owners: set[str]) -> set[str]:
    """Owners some case already refers to: writing under them needs them in scope. An owner
    nobody refers to yet (a new person, household or meeting) may be written by anyone.
    One query per 2,000 owners."""
    if not owners:
        return set()
    ids = sorted(owners)
    found: set[str] = set()
    conn = session.connection()
    for i in range(0, len(ids), 2000):
        chunk = ids[i : i + 2000]
        parts = [
            select(col).where(bulk.id_in(session, col, chunk))
            for col in (CaseIndex.case_id, CaseIndex.household_id, CaseIndex.person_id)
        ]
        parts.append(
            select(Link.b).where(Link.kind == "member", bulk.id_in(session, Link.b, chunk))
        )
        parts.append(
            select(Link.a).where(Link.kind == "meeting_case", bulk.id_in(session, Link.a, chunk))
        )
        found.update(r for (r,) in conn.execute(union(*parts)) if r)
    return found


def visible_among(session: Session, v: Viewer, owners: set[str]) -> set[str]:
    if v.sees_everything:
        return set(owners)
    if not owners:
        return set()
    sub = visible_owner_ids(v).subquery()
    col = sub.c[0]
    ids = sorted(owners)
    out: set[str] = set()
    conn = session.connection()
    for i in range(0, len(ids), 2000):
        chunk = ids[i : i + 2000]
        out.update(r for (r,) in conn.execute(select(col).where(bulk.id_in(session, col, chunk))))
    return out
