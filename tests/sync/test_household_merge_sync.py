"""A household merge made on a coordinator's laptop reaches the server and the outreach
worker's laptop (the merged household arrives as a tombstone pointing at the survivor, its
case and members moved), and so does the coordinator's undo; the worker's own attempt at an
undo is refused by the laptop and, written past it, by the server. Real server process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.errors import ValidationError
from app.domain.seed import district_id
from app.server.crud.write_rules import MERGE_HOUSEHOLD
from app.services import merges
from app.services.browse import household_ids
from app.services.households import household_data
from app.services.profile import current_actor
from app.storage.models import Case, Household
from app.sync.rejected import list_rejected
from tests.serverproc import ServerProc, running_server
from tests.sync.helpers import outbox_size
from tests.sync.server_side import Admin
from tests.sync.test_rejected import server_has
from tests.sync.world import edit_case, make_case, new_laptop

MUKO = district_id("muko")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    with running_server(tmp_path_factory.mktemp("server")) as srv:
        yield srv


def _household_of(store, case_id: str) -> str:
    with store.session() as s:
        return s.get(Case, case_id).household_id


def test_household_merge_and_undo_reach_the_other_laptop(server, tmp_path: Path) -> None:
    admin = Admin.create(server, "hhmergeadmin")
    coord = new_laptop(admin, tmp_path, "hhcoord", role="coordinator", district_ids=[MUKO])
    worker = new_laptop(admin, tmp_path, "hhworker")
    try:
        coord.sync(), worker.sync()  # the staff directory on both
        cases = [make_case(coord.store, assigned=worker.staff_id, team=[worker.staff_id])
                 for _ in range(2)]  # fmt: skip
        for cid in cases:
            edit_case(coord.store, cid, district_id=MUKO)
        keep, other = (_household_of(coord.store, c) for c in cases)
        assert coord.sync().rejected == 0
        worker.sync()
        with worker.store.session() as s:
            assert {keep, other} <= set(household_ids(s))

        with coord.store.session() as s:
            merges.merge_households(s, current_actor(s), keep, other)
        assert coord.sync().rejected == 0 and outbox_size(coord.store) == 0
        assert server_has(server, "household", other)["merged_into_id"] == keep
        assert server_has(server, "case", cases[1])["household_id"] == keep

        worker.sync()
        with worker.store.session() as s:
            tomb = s.get(Household, other)
            assert tomb is not None and tomb.merged_into_id == keep and tomb.merge_record
            assert s.get(Case, cases[1]).household_id == keep
            assert len(household_data(s, keep).members) == 2
            assert other not in household_ids(s)
            # The worker may not undo it: the laptop says so ...
            with pytest.raises(ValidationError, match="コーディネーター"):
                merges.unmerge_household(s, current_actor(s), other)
        # ... and a change written past the laptop is refused by the server.
        with worker.store.session() as s:
            s.get(Household, other).merged_into_id = None
        assert worker.sync().rejected == 1
        assert [r.reason for r in list_rejected(worker.store)] == [MERGE_HOUSEHOLD]
        assert server_has(server, "household", other)["merged_into_id"] == keep

        with coord.store.session() as s:
            undo = merges.unmerge_household(s, current_actor(s), other)
        assert undo.moved_back["case"] == 1 and undo.moved_back["household_member"] == 1
        assert coord.sync().rejected == 0
        assert server_has(server, "household", other)["merged_into_id"] is None
        worker.sync()
        with worker.store.session() as s:
            assert s.get(Case, cases[1]).household_id == other
            assert {keep, other} <= set(household_ids(s))
            assert len(household_data(s, other).members) == 1
    finally:
        coord.close(), worker.close()
