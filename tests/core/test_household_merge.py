"""Editing households (members join and leave, 続柄, 世帯主), merging two households and undoing
a household or person merge, on a real encrypted store."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from app.domain.errors import ValidationError
from app.domain.records import Actor
from app.services import duplicates, household_edit, merges
from app.services.browse import household_ids
from app.services.cases import create_case
from app.services.households import (
    add_life_event,
    add_member,
    create_household,
    create_person,
    household_data,
)
from app.storage.db import Store
from app.storage.models import (
    AuditEvent,
    Case,
    Household,
    HouseholdMember,
    LifeEvent,
    OutboxEntry,
    Person,
)


def _household(store: Store, actor: Actor, name: str, people: list[tuple[str, str, bool]]) -> dict:
    """A household with members (name, relationship, head) and one case on its first member."""
    with store.session() as s:
        hid = create_household(s, actor, name=name)
        pids, mids = [], []
        for pname, rel, head in people:
            pid = create_person(s, actor, name=pname)
            mids.append(add_member(s, actor, household_id=hid, person_id=pid, relationship=rel,
                                   is_head=head))  # fmt: skip
            pids.append(pid)
        cid = create_case(s, actor, title="生活の相談", person_id=pids[0], household_id=hid)
        add_life_event(s, actor, household_id=hid, kind="moving", event_date=dt.date(2025, 4, 1))
    return {"id": hid, "persons": pids, "members": mids, "case": cid}


def _outreach(actor: Actor) -> Actor:
    return dataclasses.replace(actor, role="outreach")


def test_edit_household_members_relationships_and_head(store: Store, actor: Actor) -> None:
    h = _household(
        store, actor, "寄添さん世帯", [("寄添 一郎", "head", True), ("寄添 花子", "spouse", False)]
    )
    with store.session() as s:
        changed = household_edit.update_household(
            s, actor, h["id"], {"address": "尼崎市武庫町1丁目", "situation": "高齢の夫婦"}
        )
        assert changed == ["address", "situation"]
        with pytest.raises(ValidationError, match="世帯名"):
            household_edit.update_household(s, actor, h["id"], {"name": " "})
        child = create_person(s, actor, name="寄添 次郎")
        mid = household_edit.join_household(s, actor, household_id=h["id"], person_id=child,
                                            relationship="子", joined_on="2026-01-10")  # fmt: skip
        with pytest.raises(ValidationError, match="すでにこの世帯"):
            household_edit.join_household(s, actor, household_id=h["id"], person_id=child,
                                          relationship="child")  # fmt: skip
        with pytest.raises(ValidationError, match="世帯主はすでに"):
            household_edit.join_household(s, actor, household_id=h["id"],
                                          person_id=create_person(s, actor, name="寄添 三郎"),
                                          relationship="head")  # fmt: skip
        household_edit.update_member(s, actor, mid, relationship="grandchild")
        with pytest.raises(ValidationError, match="世帯主にする"):
            household_edit.update_member(s, actor, mid, relationship="head")
        # The head cannot leave while others remain; a new head first.
        with pytest.raises(ValidationError, match="新しい世帯主"):
            household_edit.leave_household(s, actor, h["members"][0])
        with pytest.raises(ValidationError, match="続柄を指定"):
            household_edit.set_head(s, actor, h["members"][1])
        household_edit.set_head(s, actor, h["members"][1], previous_relationship="spouse")
        household_edit.leave_household(s, actor, h["members"][0], left_on="2026-02-01")
        with pytest.raises(ValidationError, match="すでに世帯を離れて"):
            household_edit.leave_household(s, actor, h["members"][0])
        with pytest.raises(ValidationError, match="未来"):
            household_edit.leave_household(
                s, actor, mid, left_on=dt.date.today() + dt.timedelta(days=3)
            )
    with store.session() as s:
        data = household_data(s, h["id"])
        assert data.address == "尼崎市武庫町1丁目" and data.situation == "高齢の夫婦"
        assert [(m.person.name, m.relationship, m.is_head) for m in data.members] == [
            ("寄添 花子", "head", True), ("寄添 次郎", "grandchild", False)]  # fmt: skip
        assert [(m.person.name, m.left_on) for m in data.former_members] == [
            ("寄添 一郎", dt.date(2026, 2, 1))]  # fmt: skip
        left = s.get(HouseholdMember, h["members"][0])
        assert left is not None and not left.deleted and left.relationship == "spouse"
        # Every edit is an outbox entry (it syncs) and audited, by id only.
        assert s.query(OutboxEntry).filter_by(table_name="household_member").count() >= 5
        details = [e.detail for e in s.scalars(select(AuditEvent).where(
            AuditEvent.entity == "household", AuditEvent.entity_id == h["id"]))]  # fmt: skip
        assert any(d and d.startswith("head set") for d in details)
        assert not any("寄添" in (d or "") for d in details)


def test_merge_households_then_undo_exactly(store: Store, actor: Actor) -> None:
    a = _household(
        store, actor, "山田さん世帯", [("山田 太郎", "head", True), ("山田 花子", "spouse", False)]
    )
    b = _household(
        store,
        actor,
        "山田さん世帯（重複）",
        [("山田 一郎", "head", True), ("山田 次郎", "child", False)],
    )
    with store.session() as s:
        # 山田 太郎 is in both: his second membership stays with the merged household.
        dup = add_member(s, actor, household_id=b["id"], person_id=a["persons"][0],
                         relationship="parent")  # fmt: skip
        s.get(Household, b["id"]).address = "尼崎市園田1-2-3"
        with pytest.raises(ValidationError, match="コーディネーター"):
            merges.merge_households(s, _outreach(actor), a["id"], b["id"])
        result = merges.merge_households(s, actor, a["id"], b["id"])
    assert result.moved == {"case": 1, "household_member": 2, "life_event": 1}
    assert result.stayed == 1 and result.filled == ("address",)
    assert result.review == (b["members"][0],)  # 山田 一郎 was 世帯主 there
    with store.session() as s:
        merged = s.get(Household, b["id"])
        assert merged.merged_into_id == a["id"] and not merged.deleted and merged.merge_record
        assert s.get(Case, b["case"]).household_id == a["id"]
        data = household_data(s, a["id"])
        assert [m.person.name for m in data.members if m.is_head] == ["山田 太郎"]
        assert {m.person.name for m in data.members} == {
            "山田 太郎",
            "山田 花子",
            "山田 一郎",
            "山田 次郎",
        }
        assert data.merged_from[0].id == b["id"] and data.address == "尼崎市園田1-2-3"
        assert b["id"] not in household_ids(s) and a["id"] in household_ids(s)
        assert s.get(HouseholdMember, dup).household_id == b["id"]
        with pytest.raises(ValidationError, match="統合されています"):
            household_edit.update_household(s, actor, b["id"], {"name": "x"})
        with pytest.raises(ValidationError, match="すでに別の記録"):
            merges.merge_households(s, actor, a["id"], b["id"])
        # A member moved in later (not by the merge) stays with the survivor on undo.
        late = household_edit.join_household(s, actor, household_id=a["id"],
                                             person_id=create_person(s, actor, name="山田 三郎"),
                                             relationship="grandchild")  # fmt: skip
        # Someone moved one of the merge's life events elsewhere meanwhile: left there.
        other = create_household(s, actor, name="別の世帯")
        ev = s.scalars(select(LifeEvent).where(LifeEvent.household_id == a["id"])).all()
        moved_event = next(e for e in ev if e.id in merged.merge_record)
        moved_event.household_id = other
        with pytest.raises(ValidationError, match="元に戻すのはコーディネーター"):
            merges.unmerge_household(s, _outreach(actor), b["id"])
        undo = merges.unmerge_household(s, actor, b["id"])
    assert undo.moved_back == {"case": 1, "household_member": 2, "life_event": 0} and undo.left == 1
    with store.session() as s:
        restored = s.get(Household, b["id"])
        assert restored.merged_into_id is None and restored.merge_record is None
        assert s.get(Case, b["case"]).household_id == b["id"]
        hb = household_data(s, b["id"])
        assert [(m.person.name, m.relationship, m.is_head) for m in hb.members if m.is_head] == [
            ("山田 一郎", "head", True)]  # fmt: skip
        assert {m.person.name for m in hb.members} == {"山田 一郎", "山田 次郎", "山田 太郎"}
        ha = household_data(s, a["id"])
        assert {m.id for m in ha.members} == {*a["members"], late} and ha.address is None
        assert s.get(LifeEvent, moved_event.id).household_id == other
        with pytest.raises(ValidationError, match="統合されていません"):
            merges.unmerge_household(s, actor, b["id"])
        audit = [e.detail for e in s.scalars(select(AuditEvent).where(
            AuditEvent.entity_id == b["id"]))]  # fmt: skip
        assert f"merged into {a['id']}" in audit and f"merge into {a['id']} undone" in audit
        # The undo is ordinary edits: it reaches the outbox like the merge.
        changes = [e.changes for e in s.scalars(select(OutboxEntry).where(
            OutboxEntry.table_name == "household", OutboxEntry.row_id == b["id"],
            OutboxEntry.op == "update"))]  # fmt: skip
        assert [c["merged_into_id"][1] for c in changes if "merged_into_id" in c] == [a["id"], None]


def test_person_merge_undo_moves_back_what_it_moved(store: Store, actor: Actor) -> None:
    h = _household(store, actor, "寄添さん世帯", [("寄添 花子", "head", True)])
    with store.session() as s:
        keep = h["persons"][0]
        other = create_person(s, actor, name="寄添　花子", phone="090-1111-2222", notes="耳が遠い")
        add_member(s, actor, household_id=h["id"], person_id=other, relationship="self")
        c2 = create_case(s, actor, title="別の相談", person_id=other)
        result = duplicates.merge_persons(s, actor, keep, other)
        assert result.moved["case"] == 1 and result.moved["household_member"] == 0
        assert [m.person.id for m in household_data(s, h["id"]).members] == [keep]
        later = create_case(s, actor, title="統合後のケース", person_id=keep)
        with pytest.raises(ValidationError, match="元に戻すのはコーディネーター"):
            merges.unmerge_person(s, _outreach(actor), other)
        undo = merges.unmerge_person(s, actor, other)
        assert undo.moved_back["case"] == 1 and undo.survivor_id == keep
    with store.session() as s:
        kept, back = s.get(Person, keep), s.get(Person, other)
        assert back.merged_into_id is None and kept.phone is None and kept.notes is None
        assert s.get(Case, c2).person_id == other and s.get(Case, later).person_id == keep
        assert {m.person.id for m in household_data(s, h["id"]).members} == {keep, other}


def test_undo_of_a_merge_without_a_record_is_refused(store: Store, actor: Actor) -> None:
    with store.session() as s:
        keep = create_person(s, actor, name="古い 統合")
        old = create_person(s, actor, name="古い 統合")
        s.get(Person, old).merged_into_id = keep  # merged before migration 0012: no record
        with pytest.raises(ValidationError, match="記録がない"):
            merges.unmerge_person(s, actor, old)
