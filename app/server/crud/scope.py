"""Need to know: which cases, households, persons and meetings a user may see.

- administrator: everything;
- outreach worker: cases whose support team they are on (or assigned to, or registered);
- coordinator: the same plus the cases of their districts;
- an attendee of a meeting on a case sees the case only while their pledge covers the
  meeting's date (app/domain/pledges.py; ``Link.granted``) and the meeting is not deleted;
  a case without consent only through a 支援会議 under art. 106-6
  (``vocab.NO_CONSENT_MEETING_KINDS``; a 重層的支援会議 or 進捗会議 is consent-based);
- a case without consent is otherwise visible outside its lead agency only to the staff
  member who registered it, who already holds it;
- a case's household, its members and persons, and its meetings follow the case; a meeting
  is also visible to its attendees (the meeting, not the cases on it);
- a household or person merged into another (a tombstone) follows the survivor, so the merge
  and its undo reach everyone who sees the survivor; through a chain of merges (A into B, B
  into C) it follows the last survivor.

Everything is expressed as SQL subqueries so a scope of any size costs no bound parameters;
the statements are built once and take the viewer's ids as named parameters.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Select, String, and_, bindparam, false, or_, select, union
from sqlalchemy.orm import Session, aliased

from app.domain import vocab
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


# The viewer's values are bound by name at execution, so each statement below is built once
# per shape (role with districts or not, agency or not, dialect) and reused by every request:
# building these unions and their SQLAlchemy cache keys cost more than running them.
STAFF = "v_staff"
AGENCY = "v_agency"
DISTRICTS = "v_districts"


def _shape(v: Viewer) -> tuple[bool, bool]:
    return (v.role == "coordinator" and bool(v.district_ids), v.agency_id is not None)


@lru_cache(maxsize=1024)
def viewer_key(v: Viewer) -> str:
    """Whose scope a device's device_scope rows hold: everything the scope rules read of the
    viewer (see crud/pull.py)."""
    text = "\x1f".join([v.role, v.staff_id, v.agency_id or "", *sorted(v.district_ids)])
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def scope_params(v: Viewer) -> dict[str, Any]:
    """The bound values of every scope statement of this viewer."""
    return {STAFF: v.staff_id, AGENCY: v.agency_id, DISTRICTS: list(v.district_ids)}


def visible_cases(v: Viewer) -> Select[tuple[str]]:
    """Case ids the viewer may see (execute with ``scope_params(v)``)."""
    return _visible_cases(*_shape(v))


@cache
def _visible_cases(districts: bool, agency: bool) -> Select[tuple[str]]:
    """Each way of holding a case is its own indexed lookup (team link, assignment,
    registration, district) with the sharing rule applied to its own rows, so no part scans
    or joins all cases, whatever the planner guesses of how many cases a staff member holds
    (a generic plan guesses the average, which one busy registrar can make large)."""
    staff = bindparam(STAFF, type_=String)
    shared = or_(
        CaseIndex.consent_given,
        CaseIndex.lead_agency_id == bindparam(AGENCY, type_=String) if agency else false(),
        CaseIndex.creator_staff_id == staff,
    )
    held = [
        select(CaseIndex.case_id)
        .join(Link, Link.a == CaseIndex.case_id)
        .where(Link.kind == "team", Link.b == staff, Link.active, shared),
        select(CaseIndex.case_id).where(CaseIndex.assigned_staff_id == staff, shared),
        # The registrar always may see the case (``shared`` holds for them).
        select(CaseIndex.case_id).where(CaseIndex.creator_staff_id == staff),
    ]
    if districts:
        held.append(
            select(CaseIndex.case_id).where(
                CaseIndex.district_id.in_(bindparam(DISTRICTS, expanding=True, type_=String)),
                shared,
            )
        )
    mc = aliased(Link)
    att = aliased(Link)
    mt = aliased(Link)
    pledged = (
        select(mc.b)
        .join(att, and_(att.a == mc.a, att.kind == "attendee"))
        .join(mt, and_(mt.a == mc.a, mt.kind == "meeting"))
        .join(CaseIndex, CaseIndex.case_id == mc.b)
        .where(
            mc.kind == "meeting_case",
            mc.active,
            att.b == staff,
            att.active,
            att.granted,
            mt.active,
            or_(CaseIndex.consent_given, mt.b.in_(sorted(vocab.NO_CONSENT_MEETING_KINDS))),
        )
    )
    return union(*held, pledged).subquery().select()


def scope_parts(v: Viewer) -> dict[str, Select[tuple[str]]]:
    """kind -> subquery of visible owner ids (execute with ``scope_params(v)``). The visible
    cases are one CTE, evaluated once per statement however many parts refer to it."""
    return _scope_parts(*_shape(v))


@cache
def _scope_parts(districts: bool, agency: bool) -> dict[str, Select[tuple[str]]]:
    cases = _visible_cases(districts, agency).cte("visible_case")
    case_ids = select(cases.c[0])
    held = select(CaseIndex.household_id).where(
        CaseIndex.case_id.in_(case_ids), CaseIndex.household_id.is_not(None)
    )
    # A merged household or person (a tombstone) follows its survivor (crud/indexes.py).
    households = union(held, select(_merged_chain("merged_household", held))).subquery()
    household_ids = select(households.c[0])
    direct = union(
        select(CaseIndex.person_id).where(
            CaseIndex.case_id.in_(case_ids), CaseIndex.person_id.is_not(None)
        ),
        select(Link.b).where(Link.kind == "member", Link.active, Link.a.in_(household_ids)),
    ).subquery()
    person_ids = select(direct.c[0])
    persons = union(person_ids, select(_merged_chain("merged_person", person_ids)))
    meetings = union(
        select(Link.a).where(Link.kind == "meeting_case", Link.active, Link.b.in_(case_ids)),
        select(Link.a).where(
            Link.kind == "attendee", Link.active, Link.b == bindparam(STAFF, type_=String)
        ),
    )
    return {
        "case": case_ids,
        "household": household_ids,
        "person": persons.subquery().select(),
        "meeting": meetings.subquery().select(),
    }


def _merged_chain(kind: str, survivors: Select[Any]) -> Any:
    """The records merged into ``survivors``, and those merged into them, to any depth: A
    merged into B and B later into C (or offline, on two laptops, in either order) follow C.
    UNION, not UNION ALL: a cycle (two laptops merging each into the other) ends."""
    chain = (
        select(Link.b.label("id"))
        .where(Link.kind == kind, Link.active, Link.a.in_(survivors))
        .cte(f"{kind}_chain", recursive=True)
    )
    step = aliased(Link)
    return chain.union(
        select(step.b).where(step.kind == kind, step.active, step.a == chain.c.id)
    ).c.id


def visible_owner_ids(v: Viewer) -> Select[tuple[str]]:
    return _visible_owner_ids(*_shape(v))


@cache
def _visible_owner_ids(districts: bool, agency: bool) -> Select[tuple[str]]:
    parts = _scope_parts(districts, agency)
    return union(*parts.values()).subquery().select()


def current_scope(session: Session, v: Viewer) -> dict[str, str]:
    """owner id -> kind, for a viewer with a limited scope."""
    out: dict[str, str] = {}
    params = scope_params(v)
    for kind, q in scope_parts(v).items():
        for owner in session.execute(q, params).scalars():
            if isinstance(owner, str):
                out.setdefault(owner, kind)
    return out


_OWNERS = "owners"


@cache
def _claimed_query(dialect: str) -> Any:
    parts = [
        select(col).where(bulk.ids_in(dialect, col, _OWNERS))
        for col in (CaseIndex.case_id, CaseIndex.household_id, CaseIndex.person_id)
    ]
    # A person is claimed through membership only once a case refers to that household: a
    # laptop may push a new person and household in one batch and their case in the next.
    parts.append(
        select(Link.b).where(
            Link.kind == "member",
            bulk.ids_in(dialect, Link.b, _OWNERS),
            Link.a.in_(select(CaseIndex.household_id).where(CaseIndex.household_id.is_not(None))),
        )
    )
    parts.append(
        select(Link.a).where(Link.kind == "meeting_case", bulk.ids_in(dialect, Link.a, _OWNERS))
    )
    return union(*parts)


def claimed_owners(session: Session, owners: set[str]) -> set[str]:
    """Owners some case already refers to: writing under them needs them in scope. An owner
    nobody refers to yet (a new person, household or meeting) may be written by anyone.
    One query per 2,000 owners."""
    if not owners:
        return set()
    ids = sorted(owners)
    found: set[str] = set()
    dialect = bulk.dialect_of(session)
    q = _claimed_query(dialect)
    for i in range(0, len(ids), 2000):
        chunk = bulk.ids_value(dialect, ids[i : i + 2000])
        found.update(r for (r,) in bulk.run(session, q, {_OWNERS: chunk}) if r)
    return found


@cache
def _visible_among_query(dialect: str, districts: bool, agency: bool) -> Any:
    sub = _visible_owner_ids(districts, agency).subquery()
    col = sub.c[0]
    return select(col).where(bulk.ids_in(dialect, col, _OWNERS))


def visible_among(session: Session, v: Viewer, owners: set[str]) -> set[str]:
    if v.sees_everything:
        return set(owners)
    if not owners:
        return set()
    dialect = bulk.dialect_of(session)
    q = _visible_among_query(dialect, *_shape(v))
    params = scope_params(v)
    ids = sorted(owners)
    out: set[str] = set()
    for i in range(0, len(ids), 2000):
        chunk = bulk.ids_value(dialect, ids[i : i + 2000])
        out.update(r for (r,) in bulk.run(session, q, {**params, _OWNERS: chunk}))
    return out
