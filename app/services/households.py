"""Persons and households (世帯) with members, relationships (続柄) and life events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.dates import parse_date
from app.domain.errors import ValidationError
from app.domain.records import Actor, Choice, HouseholdData
from app.services import audit
from app.services.lookup import Names, event_data, get_or_raise, member_data
from app.storage.collation import reading_order
from app.storage.models import Household, HouseholdMember, LifeEvent, Person

PERSON_FIELDS = (
    "name",
    "kana",
    "birth_date",
    "sex",
    "address",
    "phone",
    "district_id",
    "school_zone",
    "notes",
)


def _clean_person(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in values.items() if k in PERSON_FIELDS}
    if "name" in out:
        out["name"] = (out["name"] or "").strip()
        if not out["name"]:
            raise ValidationError("氏名を入力してください。", "Enter a name.", field="name")
    if out.get("sex"):
        out["sex"] = vocab.parse(vocab.SEX, out["sex"], "sex")
    bd = out.get("birth_date")
    if isinstance(bd, str) and bd:
        out["birth_date"] = parse_date(
            bd,
            field="birth_date",
            ja="生年月日は YYYY-MM-DD の形で入力してください。",
            en="Enter the birth date as YYYY-MM-DD.",
        )
    if isinstance(out.get("birth_date"), dt.date) and out["birth_date"] > dt.date.today():
        raise ValidationError(
            "生年月日が未来の日付です。", "The birth date is in the future.", field="birth_date"
        )
    return out


def create_person(session: Session, actor: Actor, **values: Any) -> str:
    data = _clean_person(values)
    if "name" not in data:
        raise ValidationError("氏名を入力してください。", "Enter a name.", field="name")
    p = Person(**data)
    session.add(p)
    session.flush()
    audit.record(session, actor, "create", "person", p.id)
    return p.id


def update_person(session: Session, actor: Actor, person_id: str, **values: Any) -> None:
    p = get_or_raise(session, Person, person_id, "person")
    for k, v in _clean_person(values).items():
        setattr(p, k, v)
    audit.record(session, actor, "update", "person", p.id, ",".join(sorted(values)))


def create_household(
    session: Session,
    actor: Actor,
    *,
    name: str,
    address: str | None = None,
    district_id: str | None = None,
    situation: str | None = None,
) -> str:
    if not name.strip():
        raise ValidationError("世帯名を入力してください。", "Enter a household name.", field="name")
    h = Household(name=name.strip(), address=address, district_id=district_id, situation=situation)
    session.add(h)
    session.flush()
    audit.record(session, actor, "create", "household", h.id)
    return h.id


def add_member(
    session: Session,
    actor: Actor,
    *,
    household_id: str,
    person_id: str,
    relationship: str = "self",
    is_head: bool = False,
    lives_together: bool = True,
) -> str:
    get_or_raise(session, Household, household_id, "household", deleted_ok=True)
    get_or_raise(session, Person, person_id, "person", deleted_ok=True)
    m = HouseholdMember(
        household_id=household_id,
        person_id=person_id,
        relationship=vocab.parse(vocab.RELATIONSHIP, relationship, "relationship"),
        is_head=is_head,
        lives_together=lives_together,
    )
    session.add(m)
    session.flush()
    audit.record(session, actor, "update", "household", household_id, "member added")
    return m.id


def add_life_event(
    session: Session,
    actor: Actor,
    *,
    household_id: str,
    kind: str,
    event_date: dt.date | None,
    description: str | None = None,
    person_id: str | None = None,
) -> str:
    e = LifeEvent(
        household_id=household_id,
        person_id=person_id,
        kind=vocab.parse(vocab.LIFE_EVENT_KIND, kind, "kind"),
        event_date=event_date,
        description=description,
    )
    session.add(e)
    session.flush()
    audit.record(session, actor, "update", "household", household_id, "life event added")
    return e.id


# Built once (statement construction costs more than running it on every detail view).
# Current members: not tombstoned, not left, and not a person merged into another (a merged
# person's membership stays with them where the survivor is a member already).
_MEMBERS = (
    select(HouseholdMember, Person)
    .join(Person, Person.id == HouseholdMember.person_id)
    .where(
        HouseholdMember.household_id == bindparam("household_id"),
        HouseholdMember.deleted.is_(False),
        Person.merged_into_id.is_(None),
    )
    .order_by(HouseholdMember.is_head.desc(), Person.birth_date, HouseholdMember.id)
)
_EVENTS = (
    select(LifeEvent)
    .where(LifeEvent.household_id == bindparam("household_id"), LifeEvent.deleted.is_(False))
    .order_by(LifeEvent.event_date)
)
_MERGED_FROM = (
    select(Household.id, Household.name)
    .where(Household.merged_into_id == bindparam("household_id"), Household.deleted.is_(False))
    .order_by(Household.updated_at.desc())
)


def household_data(
    session: Session, household_id: str, names: Names | None = None
) -> HouseholdData:
    names = names or Names(session)
    h = get_or_raise(session, Household, household_id, "household")
    rows = session.execute(_MEMBERS, {"household_id": household_id}).all()
    current = [member_data(m, p, names) for m, p in rows if m.left_on is None]
    former = sorted(
        (member_data(m, p, names) for m, p in rows if m.left_on is not None),
        key=lambda m: (m.left_on, m.id),
        reverse=True,
    )
    person_names = {m.person.id: m.person.name for m in (*current, *former)}
    events = session.scalars(_EVENTS, {"household_id": household_id})
    merged = session.execute(_MERGED_FROM, {"household_id": household_id})
    return HouseholdData(
        id=h.id,
        name=h.name,
        address=h.address,
        district_name=names.district(h.district_id),
        situation=h.situation,
        members=tuple(current),
        events=tuple(event_data(e, person_names) for e in events),
        district_id=h.district_id,
        former_members=tuple(former),
        merged_from=tuple(Choice(id=r[0], name=r[1]) for r in merged),
        version=h.version,
    )


def household_order() -> Any:
    """Households in 五十音 order of their head's furigana (a member's when no head is
    marked; the household's name when it has no members)."""
    head = (
        select(reading_order(Person.kana, Person.name))
        .join(HouseholdMember, HouseholdMember.person_id == Person.id)
        .where(
            HouseholdMember.household_id == Household.id,
            HouseholdMember.deleted.is_(False),
            HouseholdMember.left_on.is_(None),
        )
        .order_by(HouseholdMember.is_head.desc(), HouseholdMember.id)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(head, reading_order(None, Household.name))


def list_households(
    session: Session, *, limit: int = 500, offset: int = 0
) -> list[tuple[str, str, str | None]]:
    rows = session.execute(
        select(Household.id, Household.name, Household.address)
        .where(Household.deleted.is_(False), Household.merged_into_id.is_(None))
        .order_by(household_order(), Household.id)
        .limit(limit)
        .offset(offset)
    )
    return [(r[0], r[1], r[2]) for r in rows]
