"""Editing a household (世帯): its name, address and notes, members joining and leaving, their
relationships (続柄) and the household's reference person (世帯主).

Rules (DOMAIN.md, issue 14):
- a member who leaves keeps their row, marked with the day they left (``left_on``): history,
  never deleted; joining again is a new membership;
- exactly one current member is the head (``is_head``) once one is set: ``set_head`` moves it,
  and the head cannot leave while others remain (choose the new head first);
- relationships are to the head, so 続柄「世帯主」 belongs to the head alone;
- a household merged into another is a tombstone: edit the survivor.

Functions take the caller's session, never commit, and audit every change (ids only).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.errors import ValidationError
from app.domain.records import Actor
from app.services import audit
from app.services.lookup import get_or_raise
from app.storage.models import District, Household, HouseholdMember, Person

HOUSEHOLD_FIELDS = ("name", "address", "district_id", "situation")
# 続柄 that only say "the head itself" (a household made with its case's person as head
# records 本人): a head who stops being the head needs a real relationship to the new one.
_HEAD_ITSELF = frozenset({"head", "self"})


def _live_household(session: Session, household_id: str) -> Household:
    h = get_or_raise(session, Household, household_id, "household")
    if h.merged_into_id:
        raise ValidationError(
            "この世帯は別の世帯に統合されています。統合先の世帯を編集してください。",
            "This household was merged into another; edit that one.",
        )
    return h


def _current(session: Session, household_id: str) -> list[HouseholdMember]:
    return list(
        session.scalars(
            select(HouseholdMember)
            .join(Person, Person.id == HouseholdMember.person_id)
            .where(
                HouseholdMember.household_id == household_id,
                HouseholdMember.deleted.is_(False),
                HouseholdMember.left_on.is_(None),
                Person.merged_into_id.is_(None),
            )
        )
    )


def _member(session: Session, member_id: str) -> HouseholdMember:
    m = session.get(HouseholdMember, member_id)
    if m is None or m.deleted:
        raise ValidationError(
            f"世帯員「{member_id}」が見つかりません。", f"No household member {member_id!r}."
        )
    _live_household(session, m.household_id)
    return m


def _relationship(value: str) -> str:
    return vocab.parse(vocab.RELATIONSHIP, value, "relationship")


def _date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(
                "日付は YYYY-MM-DD の形で入力してください。",
                "Enter the date as YYYY-MM-DD.",
                field=field,
            ) from None
    if day > dt.date.today():
        raise ValidationError("未来の日付は入力できません。", "The date is in the future.",
                              field=field)  # fmt: skip
    return day


def update_household(
    session: Session, actor: Actor, household_id: str, values: dict[str, Any]
) -> list[str]:
    """Change the household's name, address, district or notes (状況); returns the fields
    that changed."""
    unknown = sorted(set(values) - set(HOUSEHOLD_FIELDS))
    if unknown:
        raise ValidationError(
            f"世帯の項目ではありません: {', '.join(unknown)}",
            f"Not a household field: {', '.join(unknown)}",
        )
    h = _live_household(session, household_id)
    clean: dict[str, Any] = {}
    for k, v in values.items():
        v = v.strip() if isinstance(v, str) else v
        clean[k] = v or None
    if "name" in clean and not clean["name"]:
        raise ValidationError("世帯名を入力してください。", "Enter a household name.", field="name")
    if clean.get("district_id"):
        get_or_raise(session, District, clean["district_id"], "district")
    changed = [k for k, v in clean.items() if getattr(h, k) != v]
    for k in changed:
        setattr(h, k, clean[k])
    if changed:
        audit.record(session, actor, "update", "household", h.id, ",".join(sorted(changed)))
    return changed


def join_household(
    session: Session,
    actor: Actor,
    *,
    household_id: str,
    person_id: str,
    relationship: str,
    joined_on: Any = None,
    lives_together: bool = True,
) -> str:
    """A person joins the household (a new membership row); returns its id."""
    h = _live_household(session, household_id)
    p = get_or_raise(session, Person, person_id, "person")
    if p.merged_into_id:
        raise ValidationError(
            "この人の記録は別の記録に統合されています。統合先の人を選んでください。",
            "This person's record was merged into another; choose that one.",
        )
    rel = _relationship(relationship)
    current = _current(session, h.id)
    if any(m.person_id == person_id for m in current):
        raise ValidationError(
            "この人はすでにこの世帯の世帯員です。", "This person is already a member."
        )
    head = not any(m.is_head for m in current) and rel == "head"
    if rel == "head" and not head:
        raise ValidationError(
            "世帯主はすでにいます。加えたあとで「世帯主にする」で変更してください。",
            "The household already has a head; add the member, then make them the head.",
            field="relationship",
        )
    m = HouseholdMember(
        household_id=h.id,
        person_id=person_id,
        relationship=rel,
        is_head=head,
        lives_together=lives_together,
        joined_on=_date(joined_on, "joined_on") or dt.date.today(),
    )
    session.add(m)
    session.flush()
    audit.record(session, actor, "update", "household", h.id, f"member joined {m.id}")
    return m.id


def leave_household(session: Session, actor: Actor, member_id: str, left_on: Any = None) -> None:
    """The member leaves: the row is kept with the day they left."""
    m = _member(session, member_id)
    if m.left_on is not None:
        raise ValidationError(
            "この世帯員はすでに世帯を離れています。", "This member has already left."
        )
    day = _date(left_on, "left_on") or dt.date.today()
    if m.joined_on and day < m.joined_on:
        raise ValidationError(
            "離れた日が加わった日より前です。", "The leaving date is before the joining date.",
            field="left_on",
        )  # fmt: skip
    others = [o for o in _current(session, m.household_id) if o.id != m.id]
    if m.is_head and others:
        raise ValidationError(
            "世帯主は、先に新しい世帯主を決めてから離れてください。",
            "Make another member the head before the head leaves.",
        )
    m.left_on = day
    m.is_head = False  # only a head without other members gets here
    audit.record(session, actor, "update", "household", m.household_id, f"member left {m.id}")


def update_member(
    session: Session,
    actor: Actor,
    member_id: str,
    *,
    relationship: str | None = None,
    lives_together: bool | None = None,
) -> None:
    """Change a member's relationship (続柄, to the head) or whether they live together."""
    m = _member(session, member_id)
    if relationship is not None:
        rel = _relationship(relationship)
        if rel == "head" and not m.is_head:
            raise ValidationError(
                "世帯主は「世帯主にする」で変更してください。",
                "Change the head with 'make head'.",
                field="relationship",
            )
        if m.is_head and rel != "head" and m.relationship == "head":
            raise ValidationError(
                "世帯主の続柄は「世帯主」です。先に別の人を世帯主にしてください。",
                "The head's relationship is 'head'; make someone else the head first.",
                field="relationship",
            )
        m.relationship = rel
    if lives_together is not None:
        m.lives_together = lives_together
    audit.record(session, actor, "update", "household", m.household_id, f"member edited {m.id}")


def set_head(
    session: Session, actor: Actor, member_id: str, *, previous_relationship: str | None = None
) -> None:
    """Make this current member the household's reference person (世帯主). The previous head
    stays a member; their 続柄 (to the new head) is ``previous_relationship``, required when
    was 「世帯主」 or 「本人」 (the head's own row: no relation to the new head yet)."""
    m = _member(session, member_id)
    if m.left_on is not None:
        raise ValidationError(
            "世帯を離れた人は世帯主にできません。", "A member who has left cannot be the head."
        )
    if m.is_head:
        return
    previous = [o for o in _current(session, m.household_id) if o.is_head and o.id != m.id]
    prev_rel = _relationship(previous_relationship) if previous_relationship else None
    if prev_rel == "head":
        raise ValidationError(
            "前の世帯主の続柄に「世帯主」は選べません。",
            "The previous head's relationship cannot be 'head'.",
            field="previous_relationship",
        )
    for o in previous:
        if prev_rel is None and o.relationship in _HEAD_ITSELF:
            raise ValidationError(
                "前の世帯主の、新しい世帯主との続柄を指定してください。",
                "Give the previous head's relationship to the new head.",
                field="previous_relationship",
            )
        o.is_head = False
        if prev_rel is not None:
            o.relationship = prev_rel
    m.is_head = True
    m.relationship = "head"
    audit.record(session, actor, "update", "household", m.household_id, f"head set {m.id}")
