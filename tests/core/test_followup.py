"""The worklist (やること), caseload reassignment and duplicate persons on a real encrypted store."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.domain.errors import ValidationError
from app.domain.records import Actor
from app.services import caseload, duplicates, worklist
from app.services.cases import create_case, update_case
from app.services.households import add_member, create_household, create_person, household_data
from app.services.visits import add_contact
from app.storage.db import Store
from app.storage.models import (
    AuditEvent,
    Case,
    CaseTeamMember,
    ContactRecord,
    HouseholdMember,
    OutboxEntry,
    Person,
    Referral,
    RoleAssignment,
    Staff,
)

TODAY = dt.date(2026, 12, 2)


def _staff(store: Store, name: str, role: str = "outreach") -> str:
    with store.session() as s:
        st = Staff(name=name, role=role)
        s.add(st)
        s.flush()
        return st.id


def _case(store: Store, actor: Actor, *, assigned: str | None = None, **values) -> str:
    with store.session() as s:
        pid = create_person(s, actor, name="寄添 花子", kana="よりそい はなこ")
        return create_case(s, actor, title="生活の相談", person_id=pid,
                           assigned_staff_id=assigned or actor.staff_id,
                           opened_on=values.pop("opened_on", TODAY), **values)  # fmt: skip


def test_worklist_items_counts_and_filters(store: Store, actor: Actor) -> None:
    other = _staff(store, "同僚 次郎")
    visit_case = _case(store, actor)
    quiet_case = _case(store, actor, opened_on=TODAY - dt.timedelta(days=40))
    consent_case = _case(store, actor, consent_status="given",
                         consent_date=TODAY - dt.timedelta(days=350))  # fmt: skip
    theirs = _case(store, actor, assigned=other)
    with store.session() as s:
        add_contact(s, actor, case_id=visit_case, kind="visit",
                    contact_at=dt.datetime(2026, 11, 20, 10), narrative="訪問",
                    next_action="再訪", next_action_date=TODAY - dt.timedelta(days=2))  # fmt: skip
        for cid in (consent_case, theirs):
            add_contact(s, actor, case_id=cid, kind="phone", contact_at=dt.datetime(2026, 12, 1, 9),
                        narrative="電話")  # fmt: skip
        s.add(RoleAssignment(case_id=visit_case, staff_id=actor.staff_id, task="書類を届ける",
                             due_date=TODAY + dt.timedelta(days=3)))  # fmt: skip
        s.add(RoleAssignment(case_id=visit_case, staff_id=actor.staff_id, task="済んだ",
                             due_date=TODAY - dt.timedelta(days=3), done=True))  # fmt: skip
        s.add(RoleAssignment(case_id=theirs, staff_id=other, task="同僚の仕事", due_date=TODAY))
        s.add(Referral(case_id=consent_case, receipt_number="R-1", status="sent",
                       referral_date=TODAY - dt.timedelta(days=20)))  # fmt: skip
        s.add(Referral(case_id=consent_case, receipt_number="R-2", status="sent",
                       referral_date=TODAY - dt.timedelta(days=3)))  # fmt: skip
    with store.session() as s:
        wl = worklist.worklist(s, actor, today=TODAY)
        theirs_wl = worklist.worklist(s, actor, scope="team", today=TODAY, staff_id=other)
        team = worklist.worklist(s, actor, scope="team", today=TODAY)
        overdue = worklist.worklist(s, actor, today=TODAY, overdue_only=True)
        only_tasks = worklist.worklist(s, actor, today=TODAY, kinds=("task",))
    kinds = {(i.kind, i.case_id) for i in wl.items}
    assert kinds == {
        ("visit", visit_case), ("task", visit_case), ("referral", consent_case),
        ("consent", consent_case), ("no_contact", quiet_case),
    }  # fmt: skip
    assert wl.counts == {"visit": 1, "task": 1, "referral": 1, "consent": 1, "no_contact": 1}
    visit = next(i for i in wl.items if i.kind == "visit")
    assert visit.days_late == 2 and visit.text == "再訪"
    # The team's list has the colleague's case and task; narrowed to the colleague, only theirs.
    assert {i.case_id for i in theirs_wl.items} == {theirs}
    assert ("task", theirs) in {(i.kind, i.case_id) for i in team.items}
    assert {i.kind for i in overdue.items} == {"visit", "referral", "no_contact"}
    assert [i.text for i in only_tasks.items] == ["書類を届ける"]
    # Thresholds are local settings.
    with store.session() as s:
        worklist.set_threshold(s, "no_contact_days", 60)
    with store.session() as s:
        assert worklist.thresholds(s).no_contact_days == 60
        assert "no_contact" not in worklist.worklist(s, actor, today=TODAY).counts or (
            worklist.worklist(s, actor, today=TODAY).counts["no_contact"] == 0
        )
        with pytest.raises(ValidationError):
            worklist.set_threshold(s, "no_contact_days", "many")
        with pytest.raises(ValidationError):
            worklist.worklist(s, actor, scope="everyone")


def test_bulk_reassignment_moves_team_and_adds_handover_task(store: Store, actor: Actor) -> None:
    old = _staff(store, "前任 一郎")
    new = _staff(store, "後任 二郎")
    ids = [_case(store, actor, assigned=old) for _ in range(3)]
    with store.session() as s:
        for cid in ids:
            s.add(CaseTeamMember(case_id=cid, staff_id=old, role="担当"))
    with store.session() as s:
        load = {r.staff_id: r.total for r in caseload.caseload(s)}
        assert load[old] == 3
        assert set(caseload.cases_of(s, old)) == set(ids)
        before = s.query(OutboxEntry).count()
        result = caseload.reassign_cases(s, actor, caseload.cases_of(s, old), to_staff_id=new,
                                         reason="異動", note="毎週火曜に電話", today=TODAY)  # fmt: skip
    assert set(result.moved) == set(ids) and len(result.task_ids) == 3
    with store.session() as s:
        for cid in ids:
            c = s.get(Case, cid)
            assert c.assigned_staff_id == new
            live = {t.staff_id for t in s.scalars(select(CaseTeamMember).where(
                CaseTeamMember.case_id == cid, CaseTeamMember.deleted.is_(False)))}  # fmt: skip
            assert old not in live and new in live
        tasks = s.scalars(select(RoleAssignment).where(RoleAssignment.staff_id == new)).all()
        assert {t.task for t in tasks} == {"引き継ぎ（異動）: 毎週火曜に電話"}
        assert s.query(OutboxEntry).count() > before  # it syncs like any edit
        audits = s.scalars(select(AuditEvent.detail).where(
            AuditEvent.detail.like("reassigned%"))).all()  # fmt: skip
        assert len(audits) == 3 and all("毎週" not in a for a in audits)
        assert caseload.cases_of(s, old) == []
    # The new worker's worklist shows the handover.
    with store.session() as s:
        new_actor = Actor(staff_id=new, name="後任 二郎")
        wl = worklist.worklist(s, new_actor, today=TODAY, kinds=("task",))
        assert {i.case_id for i in wl.items} == set(ids)
    # Outreach workers do not reassign; a reason is required.
    worker = Actor(staff_id=old, name="前任 一郎", role="outreach")
    with store.session() as s:
        with pytest.raises(ValidationError):
            caseload.reassign_cases(s, worker, ids, to_staff_id=old, reason="戻す")
        with pytest.raises(ValidationError):
            caseload.reassign_cases(s, actor, ids, to_staff_id=old, reason=" ")
        with pytest.raises(ValidationError):
            update_case(s, worker, ids[0], {"assigned_staff_id": old})


def test_duplicates_are_found_across_widths_and_variants(store: Store, actor: Actor) -> None:
    with store.session() as s:
        hid = create_household(s, actor, name="髙橋さん世帯")
        pid = create_person(s, actor, name="髙橋 﨑子", kana="タカハシ サキコ",
                            phone="06-1234-5678", address="尼崎市大庄北１丁目２番３号",
                            birth_date="1950-04-01")  # fmt: skip
        add_member(s, actor, household_id=hid, person_id=pid, relationship="self", is_head=True)
        create_person(s, actor, name="別人 花子", birth_date="1950-04-01")
    with store.session() as s:
        by_name = duplicates.find_candidates(s, name="高橋　崎子")
        by_kana = duplicates.find_candidates(s, kana="ﾀｶﾊｼｻｷｺ")
        by_phone = duplicates.find_candidates(s, name="たかはし", phone="０６（１２３４）５６７８")
        by_address = duplicates.find_candidates(s, address="尼崎市大庄北1-2-3")
        by_birth = duplicates.find_candidates(s, birth_date="1950-04-01")
        strong = duplicates.find_candidates(s, name="髙橋 﨑子", kana="たかはし さきこ",
                                            birth_date=dt.date(1950, 4, 1))  # fmt: skip
    for found, reason in ((by_name, "name"), (by_kana, "kana"), (by_phone, "phone"),
                          (by_address, "address")):  # fmt: skip
        assert [c.person_id for c in found] == [pid], reason
        assert reason in found[0].reasons
    assert by_birth == []  # a shared birth date alone is not enough
    assert strong[0].score == 90 and set(strong[0].reasons) == {"name", "kana", "birth_date"}


def test_merge_moves_references_and_keeps_the_other(store: Store, actor: Actor) -> None:
    a = _case(store, actor)
    b = _case(store, actor)
    with store.session() as s:
        keep = s.get(Case, a).person_id
        other = s.get(Case, b).person_id
        s.get(Person, other).phone = "090-1111-2222"
        hid = create_household(s, actor, name="寄添さん世帯")
        add_member(s, actor, household_id=hid, person_id=keep, relationship="self")
        add_member(s, actor, household_id=hid, person_id=other, relationship="self")
        add_contact(s, actor, case_id=b, kind="visit", contact_at=dt.datetime(2026, 11, 1, 10),
                    narrative="訪問")  # fmt: skip
        s.query(ContactRecord).filter_by(case_id=b).update({"person_id": other})
        s.add(Referral(case_id=b, receipt_number="R-9", person_id=other))
    worker = Actor(staff_id=actor.staff_id, name="x", role="outreach")
    with store.session() as s:
        with pytest.raises(ValidationError):
            duplicates.merge_persons(s, worker, keep, other)
        result = duplicates.merge_persons(s, actor, keep, other)
    assert result.moved["case"] == 1 and result.moved["referral"] == 1
    assert result.moved["contact_record"] == 1 and "phone" in result.filled
    with store.session() as s:
        merged = s.get(Person, other)
        assert merged is not None and not merged.deleted and merged.merged_into_id == keep
        assert s.get(Case, b).person_id == keep
        assert s.get(Person, keep).phone == "090-1111-2222"
        # The household shows the kept person once; the other's membership stays with the
        # merged record (not deleted), so an undo restores it (app/services/merges.py).
        assert [m.person.id for m in household_data(s, hid).members] == [keep]
        live = s.scalars(select(HouseholdMember).where(
            HouseholdMember.household_id == hid, HouseholdMember.deleted.is_(False))).all()  # fmt: skip
        assert sorted(m.person_id for m in live) == sorted([keep, other])
        assert duplicates.find_candidates(s, name="寄添 花子") == [
            c for c in duplicates.find_candidates(s, name="寄添 花子") if c.person_id != other
        ]
        assert s.query(OutboxEntry).filter_by(table_name="person", row_id=other).count() >= 1
        with pytest.raises(ValidationError):
            duplicates.merge_persons(s, actor, keep, other)  # already merged
