"""Merged persons and households (tombstones) leave a laptop with their survivor, and follow a
chain of merges (A into B, then B into C) to whoever sees the last survivor: need to know for
the records a merge keeps. Real server process; the laptops' sqlite rows are checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.seed import district_id
from app.services import caseload, merges
from app.services.duplicates import merge_persons
from app.services.profile import current_actor
from app.storage.models import Case, CaseTeamMember, HouseholdMember, Person
from app.sync.merge_completion import complete_in
from tests.serverproc import ServerProc, running_server
from tests.sync.helpers import count, outbox_size
from tests.sync.server_side import Admin, Oracle
from tests.sync.test_e2e import in_scope
from tests.sync.world import AGENCY, Laptop, make_case, new_laptop

MUKO = district_id("muko")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    with running_server(tmp_path_factory.mktemp("server")) as srv:
        yield srv


@pytest.fixture(scope="module")
def admin(server: ServerProc) -> Admin:
    return Admin.create(server, "mergepurgeadmin")


def _refs(lap: Laptop, case_id: str) -> tuple[str, str]:
    with lap.store.session() as s:
        c = s.get(Case, case_id)
        return c.person_id, c.household_id


def _rows(lap: Laptop, table: str, ids: list[str]) -> int:
    where = "id IN (" + ",".join(f"'{i}'" for i in ids) + ")"
    return count(lap.store, table, where)


def _members(lap: Laptop, households: list[str]) -> int:
    where = "household_id IN (" + ",".join(f"'{i}'" for i in households) + ")"
    return count(lap.store, "household_member", where)


def _hand_over(coord: Laptop, case_ids: list[str], to: str) -> None:
    with coord.store.session() as s:
        caseload.reassign_cases(s, current_actor(s), case_ids, to_staff_id=to, reason="異動",
                                today=dt.date(2026, 12, 1))  # fmt: skip
    assert coord.sync().rejected == 0 and outbox_size(coord.store) == 0


def test_tombstones_leave_the_laptop_with_their_survivor(server, admin, tmp_path: Path) -> None:
    coord = new_laptop(admin, tmp_path, "mpcoord", role="coordinator", district_ids=[MUKO])
    worker = new_laptop(admin, tmp_path, "mpworker")
    heir = new_laptop(admin, tmp_path, "mpheir")
    laptops = (coord, worker, heir)
    oracle = Oracle(server)
    try:
        for lap in laptops:
            lap.sync()  # the staff directory
        cases = [make_case(coord.store, assigned=worker.staff_id, team=[worker.staff_id])
                 for _ in range(2)]  # fmt: skip
        with coord.store.session() as s:
            for cid in cases:
                s.get(Case, cid).district_id = MUKO
        (p1, h1), (p2, h2) = (_refs(coord, c) for c in cases)
        assert coord.sync().rejected == 0
        worker.sync()
        assert _rows(worker, "person", [p1, p2]) == 2 and _rows(worker, "household", [h1, h2]) == 2

        # The coordinator merges the second person and household into the first.
        with coord.store.session() as s:
            merge_persons(s, current_actor(s), p1, p2)
            merges.merge_households(s, current_actor(s), h1, h2)
        assert coord.sync().rejected == 0
        worker.sync()
        assert _rows(worker, "person", [p1, p2]) == 2 and _rows(worker, "household", [h1, h2]) == 2
        assert _members(worker, [h2]) == 1  # the survivor's membership stayed with the tombstone
        in_scope(server, worker)

        # Both cases go to another worker: the first worker's laptop keeps none of it.
        _hand_over(coord, cases, heir.staff_id)
        gone = worker.sync()
        assert gone.purged_cases == 2
        assert oracle.visible("mpworker", {"person", "household"}) == {}
        in_scope(server, worker)
        assert _rows(worker, "case", cases) == 0
        assert _rows(worker, "person", [p1, p2]) == 0
        assert _rows(worker, "household", [h1, h2]) == 0
        assert _members(worker, [h1, h2]) == 0
        # The new worker's laptop holds all of it, tombstones included, as the server does.
        heir.sync()
        in_scope(server, heir)
        assert _rows(heir, "person", [p1, p2]) == 2 and _rows(heir, "household", [h1, h2]) == 2
        assert _members(heir, [h1, h2]) == 2
        # ... and a replayed sync does not bring anything back to the first worker.
        worker.sync()
        assert _rows(worker, "person", [p1, p2]) + _rows(worker, "household", [h1, h2]) == 0
    finally:
        oracle.close()
        for lap in laptops:
            lap.close()


def test_a_chain_of_merges_follows_the_last_survivor(server, admin, tmp_path: Path) -> None:
    coord = new_laptop(admin, tmp_path, "chcoord", role="coordinator", district_ids=[MUKO])
    worker = new_laptop(admin, tmp_path, "chworker")
    laptops = (coord, worker)
    try:
        for lap in laptops:
            lap.sync()
        # A's and B's cases are the coordinator's; the worker is on C's case only.
        ca, cb = (make_case(coord.store, assigned=coord.staff_id, team=[]) for _ in range(2))
        cc = make_case(coord.store, assigned=worker.staff_id, team=[worker.staff_id])
        (pa, ha), (pb, hb), (pc, hc) = (_refs(coord, c) for c in (ca, cb, cc))
        assert coord.sync().rejected == 0
        worker.sync()
        assert _rows(worker, "person", [pa, pb]) + _rows(worker, "household", [ha, hb]) == 0
        with coord.store.session() as s:
            merge_persons(s, current_actor(s), pb, pa)  # A into B ...
            merges.merge_households(s, current_actor(s), hb, ha)
        assert coord.sync().rejected == 0
        with coord.store.session() as s:
            merge_persons(s, current_actor(s), pc, pb)  # ... then B into C
            merges.merge_households(s, current_actor(s), hc, hb)
        assert coord.sync().rejected == 0

        # The server shows the worker the whole chain, and the laptop holds exactly that.
        worker.sync()
        seen = Oracle(server)
        try:
            visible = set(seen.visible("chworker", {"person", "household"}))
        finally:
            seen.close()
        assert visible == {("person", p) for p in (pa, pb, pc)} | {
            ("household", h) for h in (ha, hb, hc)}  # fmt: skip
        in_scope(server, worker)
        for table, row_id, into in (("person", pa, pb), ("household", ha, hb)):
            assert count(worker.store, table, f"id = '{row_id}' AND merged_into_id = '{into}'")

        # C's case leaves the worker: the whole chain goes with it.
        _hand_over(coord, [cc], coord.staff_id)
        assert worker.sync().purged_cases == 1
        in_scope(server, worker)
        assert _rows(worker, "person", [pa, pb, pc]) == 0
        assert _rows(worker, "household", [ha, hb, hc]) == 0
        assert _members(worker, [ha, hb, hc]) == 0
    finally:
        for lap in laptops:
            lap.close()


@pytest.mark.parametrize("worker_first", [False, True], ids=["merge-first", "offline-first"])
def test_references_made_offline_to_a_merged_record_converge(
    server, admin, tmp_path: Path, worker_first: bool
) -> None:
    """While a coordinator merges person P2 into P1 and household H2 into H1, a worker's laptop,
    offline, opens a new case for P2 in H2 and adds a new member to H2. Whichever reaches the
    server first, after the laptops sync no live row refers to P2 or H2, on any laptop or on
    the server, and every laptop equals its scope; nothing was deleted."""
    tag = "of" if worker_first else "mf"
    coord = new_laptop(admin, tmp_path, f"cv{tag}coord", role="coordinator", district_ids=[MUKO])
    worker = new_laptop(admin, tmp_path, f"cv{tag}worker")
    laptops = (coord, worker)
    oracle = Oracle(server)
    try:
        for lap in laptops:
            lap.sync()
        cases = [make_case(coord.store, assigned=worker.staff_id, team=[worker.staff_id])
                 for _ in range(2)]  # fmt: skip
        with coord.store.session() as s:
            for cid in cases:
                s.get(Case, cid).district_id = MUKO
        (p1, h1), (p2, h2) = (_refs(coord, c) for c in cases)
        assert coord.sync().rejected == 0
        worker.sync()
        # Offline, both of them.
        with worker.store.session() as s:
            newcomer = Person(name="寄添 次郎", kana="よりそい じろう")
            s.add(newcomer)
            s.flush()
            s.add(HouseholdMember(household_id=h2, person_id=newcomer.id, relationship="child"))
            late = Case(case_number=f"T-{newcomer.id[-6:]}", title="就労の相談", household_id=h2,
                        person_id=p2, lead_agency_id=AGENCY, assigned_staff_id=worker.staff_id,
                        consent_status="given", opened_on=dt.date(2026, 11, 20),
                        district_id=MUKO, issue_categories=["work"])  # fmt: skip
            s.add(late)
            s.flush()
            s.add(CaseTeamMember(case_id=late.id, staff_id=worker.staff_id, role="担当"))
            late_id, newcomer_id = late.id, newcomer.id
        with coord.store.session() as s:
            merge_persons(s, current_actor(s), p1, p2)
            merges.merge_households(s, current_actor(s), h1, h2)
        order = (worker, coord) if worker_first else (coord, worker)
        for _round in range(2):
            for lap in order:
                assert lap.sync().rejected == 0
        for lap in laptops:
            assert outbox_size(lap.store) == 0
            with lap.store.session() as s:  # nothing left to move (a membership of someone
                assert complete_in(s) == 0  # already in H1 stays with H2 by the merge's rule)
            in_scope(server, lap)
            with lap.store.session() as s:
                assert s.get(Case, late_id).person_id == p1
                assert s.get(Case, late_id).household_id == h1
                member = s.scalars(select(HouseholdMember).where(
                    HouseholdMember.person_id == newcomer_id)).one()  # fmt: skip
                assert member.household_id == h1 and not member.deleted
                assert s.get(Person, p2).merged_into_id == p1  # the tombstone is kept
        seen = oracle.visible(f"cv{tag}worker", {"case"})
        assert any(k[1] == late_id for k in seen)
    finally:
        oracle.close()
        for lap in laptops:
            lap.close()
