"""Cases leaving scope are purged once their pending changes are pushed; revoked devices wipe."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.storage import search
from app.storage.db import Store
from app.storage.lifecycle import open_database
from app.storage.models import Case, ContactRecord, HouseholdMember, Person
from app.sync import state
from app.sync.apply import apply_page
from app.sync.purge import run_pending_purges
from app.sync.push import next_batch, record_results
from app.sync.wipe import wipe_local_database
from tests.sync.helpers import PASSPHRASE, count, pages_of


@pytest.fixture
def synced(client: Store, snapshot_records) -> Store:
    for page in pages_of(snapshot_records, 1000):
        apply_page(client, page, page["cursor"])
    return client


def _household_with_two_cases(store: Store) -> tuple[str, str, str]:
    with store.session() as s:
        hid = (
            s.execute(
                select(Case.household_id).group_by(Case.household_id).having(func.count() >= 2)
            )
            .scalars()
            .first()
        )
        c1, c2 = s.scalars(select(Case.id).where(Case.household_id == hid).limit(2))
        return hid, c1, c2


def _purge_page(store: Store, case_ids: list[str]) -> None:
    with store.raw() as raw:
        cur = state.cursor(raw.driver_connection).position
    page = {"cursor": cur, "next_cursor": cur + 1, "has_more": False, "records": [],
            "purge": [{"case_id": c} for c in case_ids]}  # fmt: skip
    assert apply_page(store, page, cur).purges == len(case_ids)


def test_purge_keeps_what_another_case_still_holds(synced: Store):
    hid, c1, c2 = _household_with_two_cases(synced)
    _purge_page(synced, [c1])
    assert run_pending_purges(synced).purged == 1
    with synced.session() as s:
        assert s.get(Case, c1) is None and s.get(Case, c2) is not None
        assert s.scalar(select(func.count()).select_from(ContactRecord).where(
            ContactRecord.case_id == c1)) == 0  # fmt: skip
        members = s.scalars(select(HouseholdMember.person_id).where(
            HouseholdMember.household_id == hid)).all()  # fmt: skip
        assert members and all(s.get(Person, p) is not None for p in members)
        assert c1 not in search.search_refs(s, "case", s.get(Case, c2).case_number[:4], 10_000)


def test_purge_waits_for_pending_changes_then_takes_everything(synced: Store):
    hid, c1, c2 = _household_with_two_cases(synced)
    with synced.session() as s:
        members = list(s.scalars(select(HouseholdMember.person_id).where(
            HouseholdMember.household_id == hid)))  # fmt: skip
        s.get(Person, members[0]).notes = "オフラインで追記"
    _purge_page(synced, [c1, c2])
    result = run_pending_purges(synced)
    assert (result.purged, result.deferred) == (1, 1)  # the other case still holds the person
    assert count(synced, "case", f"id = '{c2}'") == 1
    items = next_batch(synced)
    record_results(synced, items, {"results": [
        {"op_id": i.op_id, "status": "applied", "conflicts": []} for i in items]})  # fmt: skip
    assert run_pending_purges(synced).purged == 1
    for table, where in (("case", f"household_id = '{hid}'"), ("household", f"id = '{hid}'"),
                         ("household_member", f"household_id = '{hid}'"),
                         ("life_event", f"household_id = '{hid}'")):  # fmt: skip
        assert count(synced, table, where) == 0, table
    assert all(count(synced, "person", f"id = '{p}'") == 0 for p in members)
    assert count(synced, "search_doc", f"ref_id IN ('{c1}', '{c2}')") == 0
    with synced.raw() as raw:
        assert state.get(raw.driver_connection, "pending_purge") == []


def test_a_case_coming_back_cancels_its_queued_purge(synced: Store, snapshot_records):
    _hid, c1, _c2 = _household_with_two_cases(synced)
    with synced.session() as s:
        s.get(Case, c1).notes = "保留中の変更"  # keeps the purge waiting
    _purge_page(synced, [c1])
    assert run_pending_purges(synced).deferred == 1
    back = next(r for r in snapshot_records if r["id"] == c1)
    with synced.raw() as raw:
        cur = state.cursor(raw.driver_connection).position
    apply_page(synced, {"cursor": cur, "next_cursor": cur + 1, "has_more": False,
                        "records": [back], "purge": []}, cur)  # fmt: skip
    with synced.raw() as raw:
        assert state.get(raw.driver_connection, "pending_purge") == []


def test_wipe_removes_the_database_and_its_backups(synced: Store):
    from app.storage.backup import backup_to
    from app.storage.paths import backups_dir

    path = synced.path
    backup = backups_dir(path) / "manual.db"
    backup_to(synced, backup)
    assert backup.exists()
    removed = wipe_local_database(synced)
    assert synced.is_locked
    assert not path.exists() and not backup.exists() and path in removed
    with pytest.raises(Exception):  # noqa: B017 - DatabaseMissing
        open_database(path, PASSPHRASE)
