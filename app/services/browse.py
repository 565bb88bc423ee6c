"""Read models for the desktop screens: pick lists, the household list and the outbox count.

Functions take the caller's session, never commit, and return plain data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.records import Choice, Choices  # Choices lives with Choice (no SQLAlchemy)
from app.services import masters
from app.services.households import household_order
from app.storage.collation import reading_order
from app.storage.models import (
    Agency,
    Case,
    District,
    Household,
    HouseholdMember,
    OutboxEntry,
    Staff,
    SupportMeeting,
)
from app.storage.search import search_refs


@dataclass(frozen=True)
class HouseholdRow:
    id: str
    name: str
    address: str | None
    district_name: str | None
    members: int
    open_cases: int


def choices(session: Session) -> Choices:
    def rows(stmt: object) -> tuple[Choice, ...]:
        return tuple(Choice(id=r[0], name=r[1] or "") for r in session.execute(stmt))  # type: ignore[call-overload]

    return Choices(
        districts=rows(
            select(District.id, District.name)
            .where(District.deleted.is_(False))
            .order_by(District.sort_order)
        ),
        # By name (an agency has no reading recorded: kana names first, in 五十音 order, then
        # the others by their characters), not by the administrator's code.
        agencies=rows(
            select(Agency.id, Agency.name)
            .where(Agency.deleted.is_(False))
            .order_by(reading_order(None, Agency.name), Agency.id)
        ),
        staff=rows(
            select(Staff.id, Staff.name)
            .where(Staff.deleted.is_(False), Staff.active.is_(True))
            .order_by(reading_order(Staff.kana, Staff.name))
        ),
        meetings=tuple(
            Choice(id=r[0], name=f"{r[1] or ''} {r[2] or ''}".strip())
            for r in session.execute(
                select(SupportMeeting.id, SupportMeeting.held_on, SupportMeeting.title)
                .where(SupportMeeting.deleted.is_(False))
                .order_by(SupportMeeting.held_on.desc())
                .limit(300)
            )
        ),
        issue_categories=masters.issue_categories(session),
        school_zones=masters.school_zones(session),
    )


def household_ids(
    session: Session, *, text: str = "", district_id: str | None = None, limit: int = 2000
) -> list[str]:
    """Households sorted by name; ``text`` matches any member (name, kana, phone, address)."""
    stmt = select(Household.id).where(
        Household.deleted.is_(False), Household.merged_into_id.is_(None)
    )
    if text.strip():
        persons = search_refs(session, "person", text, limit=limit)
        if not persons:
            return []
        member_of = select(HouseholdMember.household_id).where(
            HouseholdMember.person_id.in_(persons), HouseholdMember.deleted.is_(False)
        )
        stmt = stmt.where(Household.id.in_(member_of))
    if district_id:
        stmt = stmt.where(Household.district_id == district_id)
    return list(session.scalars(stmt.order_by(household_order(), Household.id)))


def household_rows(session: Session, ids: Sequence[str]) -> list[HouseholdRow]:
    if not ids:
        return []
    members = (
        select(HouseholdMember.household_id, func.count().label("n"))
        .where(
            HouseholdMember.household_id.in_(list(ids)),
            HouseholdMember.deleted.is_(False),
            HouseholdMember.left_on.is_(None),
        )
        .group_by(HouseholdMember.household_id)
        .subquery()
    )
    cases = (
        select(Case.household_id, func.count().label("n"))
        .where(Case.household_id.in_(list(ids)), Case.deleted.is_(False), Case.status != "closed")
        .group_by(Case.household_id)
        .subquery()
    )
    stmt = (
        select(
            Household.id, Household.name, Household.address, District.name, members.c.n, cases.c.n
        )
        .outerjoin(District, District.id == Household.district_id)
        .outerjoin(members, members.c.household_id == Household.id)
        .outerjoin(cases, cases.c.household_id == Household.id)
        .where(Household.id.in_(list(ids)))
    )
    by_id = {
        r[0]: HouseholdRow(
            id=r[0],
            name=r[1],
            address=r[2],
            district_name=r[3],
            members=int(r[4] or 0),
            open_cases=int(r[5] or 0),
        )  # fmt: skip
        for r in session.execute(stmt)
    }
    return [by_id[i] for i in ids if i in by_id]


def pending_changes(session: Session) -> int:
    """Local changes waiting in the outbox for the next sync."""
    return int(session.scalar(select(func.count()).select_from(OutboxEntry)) or 0)
