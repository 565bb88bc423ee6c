"""Cases leaving scope are purged once their pending changes are pushed; revoked devices wipe."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.storage import search
from app.storage.db import Store
from app.storage.lifecycle import open_database
from app.storage.models import Case, ContactRecord, Household, HouseholdMember, Person
from app.sync import state
from app.sync.apply import apply_page
from app.sync.purge import run_pending_purges
from app.sync.push import next_batch, record_results
from app.sync.status import unsent_changes
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
                select(Case.household_id).group_by(Case.household_id).having(func.count() == 2)
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
    report = wipe_local_database(synced)
    assert synced.is_locked
    assert not path.exists() and not backup.exists() and path in report.removed
    with pytest.raises(Exception):  # noqa: B017 - DatabaseMissing
        open_database(path, PASSPHRASE)


def _stamp(i: int) -> str:
    return f"2026010{i}T000000Z"


def test_wipe_takes_this_profile_only_and_counts_what_was_not_sent(tmp_path, synced: Store):
    """Two profiles share a folder (and its backups folder). Revoking one removes its database,
    side files, backups, restore copies and temp files, and nothing of the other; the report
    counts the changes that never reached the server."""
    import shutil

    from app.services import households
    from app.services.profile import current_actor
    from app.storage.backup import backup_path, backup_to
    from app.storage.lifecycle import create_database, restore_from
    from app.storage.paths import backups_dir

    path = synced.path
    folder = path.parent
    backups = backups_dir(path)
    other_pass = "another profile's own passphrase, long enough"
    other = create_database(folder / "other.db", other_pass, check_strength=False)
    other_backup = backup_to(other, backup_path(other.path, "backup"))
    other_legacy = backup_to(other, backups / "backup-20250101T000000.db")  # older naming
    other.lock()

    # This profile: a restore left a copy beside the database; backups in both namings.
    restore_copy_source = backup_to(synced, tmp_path / "elsewhere" / "export.db")
    synced.lock()
    kept = restore_from(restore_copy_source, path, PASSPHRASE)
    store = open_database(path, PASSPHRASE)
    own = [
        backup_to(store, backup_path(path, "backup")),
        backup_to(store, backups / f"{path.name}.pre-migrate-0005-{_stamp(2)}.db"),
        backup_to(store, backups / f"pre-migrate-0004-{_stamp(3)}.db"),  # older naming
        backup_to(store, backups / "by-hand.db"),
    ]
    stale_tmp = folder / f".{path.name}.tmp-99999"
    stale_tmp.write_bytes(b"half a copy")
    half_backup = backups / f".{path.name}.backup-{_stamp(4)}.db.tmp-4242"
    half_backup.write_bytes(b"half a backup")
    shutil.copyfile(own[0], backups / f"{own[0].name}-journal")
    with store.session() as s:
        actor = current_actor(s)
    for i in range(3):
        with store.session() as s:
            households.create_person(s, actor, name=f"未送信 {i}")
    # the user's own changes (audit events of the same edits are not counted: app.sync.status)
    unsent = unsent_changes(store)
    assert unsent == 3

    report = wipe_local_database(store)

    assert report.unsent_changes == unsent
    assert f"{unsent:,} 件" in report.message("ja") and f"{unsent:,} changes" in report.message(
        "en"
    )
    gone = [path, kept, *own, stale_tmp, half_backup, backups / f"{own[0].name}-journal"]
    assert [p for p in gone if p.exists()] == []
    assert set(gone) <= set(report.removed)
    assert {p.name for p in report.removed} & {
        "other.db",
        other_backup.name,
        other_legacy.name,
    } == set()
    assert other_backup.exists() and other_legacy.exists()
    assert restore_copy_source.exists()  # an export outside the backups folder is the user's
    assert report.to_json()["unsent_changes_lost"] == unsent
    still = open_database(folder / "other.db", other_pass)
    still.lock()
    for copy in (other_backup, other_legacy):
        open_database(copy, other_pass, migrate=False).lock()


def store_pending(store: Store) -> dict[str, int]:
    from app.sync.push import pending_by_table

    with store.raw() as raw:
        return pending_by_table(raw.driver_connection)


def _push_all(store: Store) -> None:
    while items := next_batch(store):
        record_results(store, items, {"results": [
            {"op_id": i.op_id, "status": "applied", "conflicts": []} for i in items]})  # fmt: skip


def test_tombstones_go_with_their_survivor_through_a_chain(synced: Store):
    """Persons and households merged into a purged case's (through a chain of merges) go with
    it, after their pending changes are pushed; a cycle of merges elsewhere is left alone."""
    hid, c1, c2 = _household_with_two_cases(synced)
    with synced.session() as s:
        pid = s.get(Case, c1).person_id
        t1 = Person(name="統合 一郎", merged_into_id=pid)
        t3, t4 = Person(name="循環 三郎"), Person(name="循環 四郎")
        th = Household(name="統合さん世帯", merged_into_id=hid)
        s.add_all([t1, t3, t4, th])
        s.flush()
        t2 = Person(name="統合 二郎", merged_into_id=t1.id)  # merged into a tombstone: a chain
        th2 = Household(name="統合さん世帯", merged_into_id=th.id)
        s.add_all([t2, th2])
        s.flush()
        s.add(HouseholdMember(household_id=th2.id, person_id=t2.id, relationship="child"))
        t3.merged_into_id, t4.merged_into_id = t4.id, t3.id
        ids = {"person": [t1.id, t2.id], "household": [th.id, th2.id]}
        cycle = [t3.id, t4.id]
    _purge_page(synced, [c1])
    assert run_pending_purges(synced).purged == 1
    for table, rows in ids.items():  # the other case still holds the survivors
        assert count(synced, table, "id IN ('" + "','".join(rows) + "')") == 2, table
    _purge_page(synced, [c2])
    assert run_pending_purges(synced).deferred == 1  # the tombstones' inserts are not pushed
    _push_all(synced)
    assert run_pending_purges(synced).purged == 1
    for table, rows in ids.items():
        assert count(synced, table, "id IN ('" + "','".join(rows) + "')") == 0, table
    assert count(synced, "household_member", f"household_id = '{ids['household'][1]}'") == 0
    assert count(synced, "person", "id IN ('" + "','".join(cycle) + "')") == 2
