"""Small lookups and ORM -> plain data converters shared by the services."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import Session

from app.domain.errors import NotFound
from app.domain.records import (
    ContactData,
    LifeEventData,
    MemberData,
    PersonData,
)
from app.storage.models import (
    Agency,
    ContactRecord,
    District,
    LifeEvent,
    Person,
    Staff,
)

M = TypeVar("M")


def get_or_raise(
    session: Session, model: type[M], key: str, what: str, *, deleted_ok: bool = False
) -> M:
    """The row ``key`` of ``model``, or ``NotFound`` naming the record (``what`` is a kind of
    ``NotFound.KINDS``). A row marked deleted counts as not found unless ``deleted_ok``
    (links to a record only need it to exist: nothing is ever really deleted)."""
    row = session.get(model, key)
    if row is None or (not deleted_ok and getattr(row, "deleted", False)):
        raise NotFound.of(what, key)
    return row


class Names:
    """id -> display name for the small master tables, loaded once per unit of work."""

    def __init__(self, session: Session) -> None:
        # One round trip for the three small tables (this runs on every detail view).
        rows = session.execute(
            union_all(
                select(literal("d"), District.id, District.name),
                select(literal("a"), Agency.id, Agency.name),
                select(literal("s"), Staff.id, Staff.name),
            )
        ).all()
        self.districts = {i: n for k, i, n in rows if k == "d"}
        self.agencies = {i: n for k, i, n in rows if k == "a"}
        self.staff = {i: n for k, i, n in rows if k == "s"}

    def district(self, id_: str | None) -> str | None:
        return self.districts.get(id_) if id_ else None

    def agency(self, id_: str | None) -> str | None:
        return self.agencies.get(id_) if id_ else None

    def staff_name(self, id_: str | None) -> str | None:
        return self.staff.get(id_) if id_ else None


def person_data(p: Person, names: Names) -> PersonData:
    return PersonData(
        id=p.id,
        name=p.name,
        kana=p.kana,
        birth_date=p.birth_date,
        sex=p.sex,
        address=p.address,
        phone=p.phone,
        district_id=p.district_id,
        district_name=names.district(p.district_id),
        school_zone=p.school_zone,
        notes=p.notes,
    )


def member_data(m: object, p: Person, names: Names) -> MemberData:
    return MemberData(
        id=m.id,  # type: ignore[attr-defined]
        person=person_data(p, names),
        relationship=m.relationship,  # type: ignore[attr-defined]
        is_head=bool(m.is_head),  # type: ignore[attr-defined]
        lives_together=bool(m.lives_together),  # type: ignore[attr-defined]
        joined_on=m.joined_on,  # type: ignore[attr-defined]
        left_on=m.left_on,  # type: ignore[attr-defined]
    )


def event_data(e: LifeEvent, person_names: dict[str, str]) -> LifeEventData:
    return LifeEventData(
        id=e.id,
        event_date=e.event_date,
        kind=e.kind,
        description=e.description,
        person_id=e.person_id,
        person_name=person_names.get(e.person_id or ""),
    )


def contact_data(c: ContactRecord, names: Names) -> ContactData:
    return ContactData(
        id=c.id,
        case_id=c.case_id,
        contact_at=c.contact_at,
        kind=c.kind,
        place=c.place,
        staff_name=names.staff_name(c.staff_id),
        participants=c.participants,
        narrative=c.narrative,
        next_action=c.next_action,
        next_action_date=c.next_action_date,
        corrects_id=c.corrects_id,
    )
