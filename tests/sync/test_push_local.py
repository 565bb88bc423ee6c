"""Outbox batching and recording of push results, on a real encrypted database.

The answers here are written by hand in the protocol's shape to pin down how each kind of result
is recorded; the same paths run against the real server in test_e2e.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.storage.db import Store
from app.storage.models import SYNC_ORDER, Case, Conflict, ContactRecord, OutboxEntry, Person
from app.sync.apply import apply_page
from app.sync.conflicts import CannotRestoreDeleted, list_conflicts, resolve_conflict
from app.sync.errors import ConflictNotFound
from app.sync.push import next_batch, record_results
from app.sync.rejected import dismiss, list_rejected, list_trash
from tests.sync.helpers import count, pages_of, queue_everything


@pytest.fixture
def synced(client: Store, snapshot_records) -> Store:
    for page in pages_of(snapshot_records, 1000):
        apply_page(client, page, page["cursor"])
    return client


def _first(store: Store, model: Any) -> Any:
    with store.session() as s:
        return s.scalars(select(model).limit(1)).one()


def test_batches_go_parents_first_and_in_local_order_within_a_table(synced: Store):
    queue_everything(synced, ["contact_record", "case", "person", "household"])
    seen: list[tuple[int, int]] = []
    while True:
        items = next_batch(synced, 250)
        if not items:
            break
        seen.extend((SYNC_ORDER.index(i.table), i.seq) for i in items)
        record_results(synced, items, {"results": [
            {"op_id": i.op_id, "status": "applied", "conflicts": []} for i in items]})  # fmt: skip
    assert seen == sorted(seen)
    assert count(synced, "outbox") == 0


def test_unanswered_entries_stay_queued(synced: Store):
    case = _first(synced, Case)
    with synced.session() as s:
        s.get(Case, case.id).notes = "メモ"
    items = next_batch(synced)
    tally = record_results(synced, items, {"results": []})
    assert tally.unanswered == 1 and count(synced, "outbox") == 1
    again = next_batch(synced)
    assert [i.op_id for i in again] == [i.op_id for i in items]  # a retry sends the same op id
    with synced.session() as s:
        assert s.scalars(select(OutboxEntry)).one().attempts == 2


def test_conflict_goes_to_the_queue_and_the_row_shows_theirs(synced: Store):
    case = _first(synced, Case)
    with synced.session() as s:
        c = s.get(Case, case.id)
        c.status, c.notes = "closed", "本人の希望で終結"
    items = next_batch(synced)
    answer = {"results": [{"op_id": items[0].op_id, "status": "conflict", "reason": None,
              "conflicts": [{"field": "status", "base": case.status, "mine": "closed",
                             "theirs": "watching", "theirs_by": "山田 花子",
                             "theirs_at": "2026-11-26T10:00:00.000000"}]}]}  # fmt: skip
    tally = record_results(synced, items, answer)
    assert (tally.conflicts, tally.conflict_fields) == (1, 1)
    assert count(synced, "outbox") == 0
    with synced.session() as s:
        c = s.get(Case, case.id)
        assert c.status == "watching" and c.notes == "本人の希望で終結"  # notes applied there
    [item] = list_conflicts(synced)
    assert (item.field, item.base, item.mine, item.theirs) == (
        "status", case.status, "closed", "watching")  # fmt: skip
    assert item.theirs_by == "山田 花子" and item.row_label.startswith(case.case_number)
    # Replaying the same answer records nothing twice.
    assert record_results(synced, items, answer).conflicts == 0
    assert len(list_conflicts(synced)) == 1

    resolve_conflict(synced, item.id, "mine")
    with synced.session() as s:
        entry = s.scalars(select(OutboxEntry)).one()
        # The resolution is a new change whose base is the server's current value.
        assert (entry.op, entry.changes) == ("update", {"status": ["watching", "closed"]})
        assert s.get(Conflict, item.id).resolution == "mine"
    assert list_conflicts(synced) == []
    with pytest.raises(ConflictNotFound):
        resolve_conflict(synced, item.id, "theirs")


def test_taking_theirs_makes_no_change_and_merged_pushes_the_merged_value(synced: Store):
    case = _first(synced, Case)
    for choice, value in (("theirs", None), ("merged", "統合したメモ")):
        with synced.session() as s:
            s.get(Case, case.id).notes = f"mine {choice}"
        items = next_batch(synced)
        record_results(synced, items, {"results": [{"op_id": items[0].op_id, "status": "conflict",
            "conflicts": [{"field": "notes", "base": None, "mine": f"mine {choice}",
                           "theirs": "theirs", "theirs_by": None, "theirs_at": None}]}]})  # fmt: skip
        [item] = list_conflicts(synced)
        resolve_conflict(synced, item.id, choice, value)
    with synced.session() as s:
        entries = s.scalars(select(OutboxEntry)).all()
        assert [e.changes for e in entries] == [{"notes": ["theirs", "統合したメモ"]}]


def test_rejected_change_is_listed_and_the_row_kept_until_dismissed(synced: Store):
    person = _first(synced, Person)
    with synced.session() as s:
        s.get(Person, person.id).phone = "000"
        case = s.scalars(select(Case).limit(1)).one()
        s.add(ContactRecord(case_id=case.id, contact_at=case.created_at, narrative="新しい記録"))
    items = next_batch(synced)
    assert [i.table for i in items] == ["person", "contact_record"]
    record_results(synced, items, {"results": [
        {"op_id": i.op_id, "status": "rejected", "reason": "outside your scope", "conflicts": []}
        for i in items]})  # fmt: skip
    # Refused, not undone: the person's edit and the new record are still here.
    with synced.session() as s:
        assert s.get(Person, person.id).phone == "000"
        assert s.get(ContactRecord, items[1].row_id).narrative == "新しい記録"
    listed = list_rejected(synced)
    assert {(r.table, r.reason) for r in listed} == {
        ("person", "outside your scope"), ("contact_record", "outside your scope")}  # fmt: skip
    assert all("担当範囲外" in r.reason_text[0] for r in listed)
    assert next(r for r in listed if r.table == "person").changes == {
        "phone": [person.phone, "000"]
    }
    # Dismissing puts the row back as the server has it; the change waits in the trash.
    dismiss(synced, next(r for r in listed if r.table == "person").op_id)
    with synced.session() as s:
        assert s.get(Person, person.id).phone == person.phone
    assert len(list_rejected(synced)) == 1 and len(list_trash(synced)) == 1


def test_delete_against_an_edit_and_edit_against_a_delete(synced: Store):
    a, b = (r for r in _two(synced))
    with synced.session() as s:
        s.get(Case, a).deleted = True
        s.get(Case, b).notes = "編集"
    items = next_batch(synced)
    by_row = {i.row_id: i for i in items}
    assert by_row[a].op == "delete" and "status" in by_row[a].changes  # bases filled
    record_results(synced, items, {"results": [
        {"op_id": by_row[a].op_id, "status": "conflict", "conflicts": [
            {"field": "notes", "base": None, "mine": None, "theirs": "追記", "theirs_by": "x"},
            {"field": "deleted", "base": False, "mine": True, "theirs": False, "theirs_by": "x"}]},
        {"op_id": by_row[b].op_id, "status": "conflict", "conflicts": [
            {"field": "deleted", "base": False, "mine": False, "theirs": True, "theirs_by": "y"}]},
    ]})  # fmt: skip
    with synced.session() as s:
        assert s.get(Case, a).deleted is False and s.get(Case, a).notes == "追記"
        assert s.get(Case, b).deleted is True
    conflicts = {(c.row_id, c.field): c for c in list_conflicts(synced)}
    assert set(conflicts) == {(a, "notes"), (a, "deleted"), (b, "deleted")}
    # The edit the server did not keep stays visible in the rejected list.
    assert [r.row_id for r in list_rejected(synced)] == [b]
    assert not conflicts[(b, "deleted")].can_keep_mine
    with pytest.raises(CannotRestoreDeleted):
        resolve_conflict(synced, conflicts[(b, "deleted")].id, "mine")
    resolve_conflict(synced, conflicts[(a, "deleted")].id, "mine")  # delete it after all
    with synced.session() as s:
        assert s.scalars(select(OutboxEntry)).one().op == "delete"


def _two(store: Store) -> list[str]:
    with store.session() as s:
        return list(s.scalars(select(Case.id).limit(2)))
