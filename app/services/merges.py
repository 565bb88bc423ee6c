"""Merging duplicate households, and undoing a merge of persons or households (a coordinator's
work, DOMAIN.md "Who writes what"; issue 14).

A merge keeps both records: the survivor gets every reference (by foreign key, so a new
referring column is covered), the other becomes a tombstone with ``merged_into_id`` pointing
at the survivor, and ``merge_record`` on the tombstone lists, by id, exactly the rows the merge
moved and the fields it filled. The undo reads that record and moves back those rows that
still point at the survivor (a row someone moved elsewhere since is left where it is), so it
is exact and needs nothing but the two records, on any laptop. All of it is ordinary edits:
it syncs through the outbox like any other change, and the server lets only coordinators set
or clear ``merged_into_id`` (app/server/crud/write_rules.py).

Rows already tombstoned (``deleted``) are never moved: they are history, and an edit of a
tombstone would be a conflict on the server. A membership of someone who is a current member
of the survivor already stays with the tombstone (one membership per person and household).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import NotFound, ValidationError
from app.domain.records import Actor
from app.services import audit
from app.services.caseload import COORDINATOR_ROLES
from app.storage.models import SYNCED_MODELS, Household, HouseholdMember, Person, Synced

RECORD_VERSION = 1
_HOUSEHOLD_FILLABLE = ("address", "district_id", "situation")
# What the 続柄「世帯主」 of a merged household's head becomes in the survivor, which has its
# own head (relationships are to the head): flagged in the result for a person to check.
DEMOTED_RELATIONSHIP = "relative"


def references(target: str) -> list[tuple[type[Synced], str]]:
    """(model, column) of every synced column that refers to ``target``'s rows."""
    out: list[tuple[type[Synced], str]] = []
    for model in SYNCED_MODELS.values():
        for col in model.__table__.columns:  # type: ignore[attr-defined]
            if any(fk.column.table.name == target for fk in col.foreign_keys):
                out.append((model, col.name))
    return out


def require_coordinator(actor: Actor, *, undo: bool = False) -> None:
    if actor.role in COORDINATOR_ROLES:
        return
    if undo:
        raise ValidationError(
            "統合を元に戻すのはコーディネーター（包括化推進員など）が行います。",
            "Only coordinators and administrators undo a merge.",
        )
    raise ValidationError(
        "重複の統合はコーディネーター（包括化推進員など）が行います。",
        "Only coordinators and administrators merge duplicates.",
    )


def encode_record(record: dict[str, Any]) -> str:
    return json.dumps({"v": RECORD_VERSION, **record}, separators=(",", ":"), sort_keys=True)


def decode_record(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) and data.get("v") == RECORD_VERSION else None


def move_references(
    session: Session, target: str, from_id: str, to_id: str, *, keep_with: Any = None
) -> dict[str, list[str]]:
    """Point every live row that refers to ``from_id`` at ``to_id``; ``keep_with(model, row)``
    true leaves a row where it is. Returns {"table.column": [row ids moved]}."""
    moved: dict[str, list[str]] = {}
    for model, col in references(target):
        column = getattr(model, col)
        rows = session.scalars(
            select(model).where(column == from_id, model.deleted.is_(False)).order_by(model.id)
        )
        ids = []
        for r in rows:
            if keep_with is not None and keep_with(model, r):
                continue
            setattr(r, col, to_id)
            ids.append(r.id)
        moved[f"{model.__tablename__}.{col}"] = ids  # type: ignore[attr-defined]
    return moved


def counts(moved: dict[str, list[str]]) -> dict[str, int]:
    return {key.split(".")[0]: len(ids) for key, ids in moved.items()}


def pair(
    session: Session, model: type[Any], kind: str, keep_id: str, other_id: str
) -> tuple[Any, Any]:
    if keep_id == other_id:
        raise ValidationError(
            "同じ記録どうしは統合できません。", "A record cannot be merged with itself."
        )
    keep, other = session.get(model, keep_id), session.get(model, other_id)
    for row, ref in ((keep, keep_id), (other, other_id)):
        if row is None or row.deleted:
            raise NotFound.of(kind, ref)
        if row.merged_into_id:
            raise ValidationError(
                "この記録はすでに別の記録に統合されています。",
                "This record was already merged into another.",
            )
    return keep, other


@dataclass(frozen=True)
class HouseholdMergeResult:
    kept_id: str
    merged_id: str
    moved: dict[str, int]  # table -> rows pointed at the kept household
    stayed: int  # memberships left with the merged household (already members of the kept one)
    filled: tuple[str, ...]  # fields of the kept household filled from the other
    review: tuple[str, ...]  # member ids whose 続柄 the merge changed: to be checked


def move_household_references(
    session: Session, other_id: str, keep_id: str
) -> tuple[dict[str, list[str]], int, list[str], dict[str, str]]:
    """Point what refers to household ``other_id`` at ``keep_id`` by the merge's rules: a
    membership of someone already a current member of ``keep_id`` stays (one membership per
    person and household), and a moved 世帯主 becomes a relative when ``keep_id`` has a head.
    Returns (moved rows, memberships that stayed, members no longer head, their former
    relationships). Also used to finish a merge on other laptops (app.sync.merge_completion)."""
    current = {m.person_id: m for m in current_members(session, HouseholdMember.household_id,
                                                        keep_id)}  # fmt: skip
    kept_has_head = any(m.is_head for m in current.values())
    stayed = 0

    def keep_with(model: type[Any], row: Any) -> bool:
        nonlocal stayed
        if model is HouseholdMember and row.left_on is None and row.person_id in current:
            stayed += 1
            return True
        return False

    moved = move_references(session, "household", other_id, keep_id, keep_with=keep_with)
    unheaded: list[str] = []
    relationships: dict[str, str] = {}
    if kept_has_head:
        for mid in moved.get("household_member.household_id", []):
            m = session.get(HouseholdMember, mid)
            if m is not None and m.is_head and m.left_on is None:
                m.is_head = False
                unheaded.append(m.id)
                if m.relationship == "head":
                    relationships[m.id] = m.relationship
                    m.relationship = DEMOTED_RELATIONSHIP
    return moved, stayed, unheaded, relationships


def move_person_references(session: Session, other_id: str, keep_id: str) -> dict[str, list[str]]:
    """Point what refers to person ``other_id`` at ``keep_id`` by the merge's rule: where
    ``keep_id`` is a current member already, the other's membership stays with the merged
    record (one membership per person and household; nothing is deleted)."""
    households = {m.household_id for m in current_members(session, HouseholdMember.person_id,
                                                          keep_id)}  # fmt: skip

    def keep_with(model: type[Any], row: Any) -> bool:
        return model is HouseholdMember and row.left_on is None and row.household_id in households

    return move_references(session, "person", other_id, keep_id, keep_with=keep_with)


def current_members(session: Session, column: Any, value: str) -> list[HouseholdMember]:
    """Live, current memberships whose ``column`` (household_id or person_id) is ``value``."""
    return list(
        session.scalars(
            select(HouseholdMember).where(
                column == value,
                HouseholdMember.deleted.is_(False),
                HouseholdMember.left_on.is_(None),
            )
        )
    )


def merge_households(
    session: Session, actor: Actor, keep_id: str, other_id: str
) -> HouseholdMergeResult:
    """Merge household ``other_id`` into ``keep_id`` in the caller's transaction."""
    require_coordinator(actor)
    keep, other = pair(session, Household, "household", keep_id, other_id)
    moved, stayed, unheaded, relationships = move_household_references(session, other_id, keep_id)
    filled = []
    for f in _HOUSEHOLD_FILLABLE:
        if getattr(keep, f) in (None, "") and getattr(other, f) not in (None, ""):
            setattr(keep, f, getattr(other, f))
            filled.append(f)
    other.merged_into_id = keep_id
    other.merge_record = encode_record({
        "into": keep_id, "by": actor.staff_id, "on": dt.date.today().isoformat(),
        "moved": moved, "filled": filled, "unheaded": unheaded, "relationships": relationships,
    })  # fmt: skip
    audit.record(session, actor, "update", "household", keep_id, f"merged {other_id} into this")
    audit.record(session, actor, "update", "household", other_id, f"merged into {keep_id}")
    return HouseholdMergeResult(
        kept_id=keep_id, merged_id=other_id, moved=counts(moved), stayed=stayed,
        filled=tuple(filled), review=tuple(relationships),
    )  # fmt: skip


@dataclass(frozen=True)
class UnmergeResult:
    restored_id: str  # the record that was merged, live again
    survivor_id: str
    moved_back: dict[str, int]  # table -> rows pointed back at the restored record
    left: int  # rows the merge moved that someone has moved elsewhere since: left as they are


def _merged(
    session: Session, model: type[Any], kind: str, merged_id: str
) -> tuple[Any, Any, dict[str, Any]]:
    other = session.get(model, merged_id)
    if other is None or other.deleted:
        raise NotFound.of(kind, merged_id)
    if not other.merged_into_id:
        raise ValidationError("この記録は統合されていません。", "This record has not been merged.")
    record = decode_record(other.merge_record)
    if record is None or record.get("into") != other.merged_into_id:
        raise ValidationError(
            "この統合は、何を移したかの記録がないため元に戻せません。",
            "This merge cannot be undone: what it moved was not recorded.",
        )
    keep = session.get(model, other.merged_into_id)
    if keep is None:
        raise NotFound.of(kind, other.merged_into_id)
    if keep.merged_into_id:
        raise ValidationError(
            "統合先の記録がさらに別の記録に統合されています。先にそちらを元に戻してください。",
            "The survivor was itself merged into another record; undo that merge first.",
        )
    return keep, other, record


def _move_back(
    session: Session, record: dict[str, Any], keep_id: str, other_id: str
) -> tuple[dict[str, int], int]:
    back: dict[str, int] = {}
    left = 0
    by_name = {m.__tablename__: m for m in SYNCED_MODELS.values()}  # type: ignore[attr-defined]
    for key, ids in (record.get("moved") or {}).items():
        table, _, col = key.partition(".")
        model = by_name.get(table)
        if model is None or not ids:
            continue
        n = 0
        for r in session.scalars(select(model).where(model.id.in_(list(ids)))):
            if getattr(r, col) == keep_id and not r.deleted:
                setattr(r, col, other_id)
                n += 1
            else:
                left += 1
        back[table] = back.get(table, 0) + n
    return back, left


def _clear_filled(keep: Any, other: Any, fields: list[str]) -> None:
    for f in fields:
        if f != "notes" and getattr(keep, f) == getattr(other, f):
            setattr(keep, f, None)  # still the value the merge copied: it was empty before


def unmerge_household(session: Session, actor: Actor, merged_id: str) -> UnmergeResult:
    """Undo the merge of household ``merged_id``: it is live again with exactly what the merge
    moved (the memberships, cases and life events that still point at the survivor)."""
    require_coordinator(actor, undo=True)
    keep, other, record = _merged(session, Household, "household", merged_id)
    back, left = _move_back(session, record, keep.id, other.id)
    for mid in record.get("unheaded") or []:
        m = session.get(HouseholdMember, mid)
        if m is not None and m.household_id == other.id and m.left_on is None:
            m.is_head = True
    for mid, rel in (record.get("relationships") or {}).items():
        m = session.get(HouseholdMember, mid)
        if m is not None and m.household_id == other.id and m.relationship == DEMOTED_RELATIONSHIP:
            m.relationship = rel
    _clear_filled(keep, other, list(record.get("filled") or []))
    other.merged_into_id = None
    other.merge_record = None
    audit.record(session, actor, "update", "household", other.id, f"merge into {keep.id} undone")
    audit.record(session, actor, "update", "household", keep.id, f"merge of {other.id} undone")
    return UnmergeResult(restored_id=other.id, survivor_id=keep.id, moved_back=back, left=left)


def unmerge_person(session: Session, actor: Actor, merged_id: str) -> UnmergeResult:
    """Undo the merge of person ``merged_id`` (app/services/duplicates.py ``merge_persons``)."""
    require_coordinator(actor, undo=True)
    keep, other, record = _merged(session, Person, "person", merged_id)
    back, left = _move_back(session, record, keep.id, other.id)
    filled = list(record.get("filled") or [])
    _clear_filled(keep, other, filled)
    if "notes" in filled and other.notes and keep.notes:
        if keep.notes == other.notes:
            keep.notes = None
        elif keep.notes.endswith("\n" + other.notes):
            keep.notes = keep.notes[: -len(other.notes) - 1]
    other.merged_into_id = None
    other.merge_record = None
    audit.record(session, actor, "update", "person", other.id, f"merge into {keep.id} undone")
    audit.record(session, actor, "update", "person", keep.id, f"merge of {other.id} undone")
    return UnmergeResult(restored_id=other.id, survivor_id=keep.id, moved_back=back, left=left)


def merged_persons(session: Session, person_id: str) -> list[tuple[str, str]]:
    """(id, name) of the persons merged into this one."""
    return [
        (r[0], r[1])
        for r in session.execute(
            select(Person.id, Person.name)
            .where(Person.merged_into_id == person_id, Person.deleted.is_(False))
            .order_by(Person.updated_at.desc())
        )
    ]
