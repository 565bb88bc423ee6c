"""Bulk reassignment end to end against a real ``yorisoi-server`` process: a coordinator's
laptop hands cases from one outreach worker to another; the new worker's laptop receives them
whole (with the handover task on its worklist), the old worker's laptop purges them, and an
outreach worker's own attempt to hand a case over is refused by the server and listed."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.errors import ValidationError
from app.domain.seed import district_id
from app.server.crud.write_rules import ASSIGNMENT
from app.services import caseload, worklist
from app.services.cases import update_case
from app.services.profile import current_actor
from app.storage.models import Case, RoleAssignment
from app.sync.rejected import list_rejected
from tests.serverproc import ServerProc, running_server
from tests.sync.helpers import count, outbox_size
from tests.sync.server_side import Admin
from tests.sync.test_rejected import server_has
from tests.sync.world import add_contact, edit_case, make_case, new_laptop

MUKO = district_id("muko")
_n = itertools.count()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    with running_server(tmp_path_factory.mktemp("server")) as srv:
        yield srv


@pytest.fixture(scope="module")
def admin(server: ServerProc) -> Admin:
    return Admin.create(server, "reassignadmin")


def test_reassigned_cases_move_between_laptops(server, admin, tmp_path: Path) -> None:
    k = next(_n)
    coord = new_laptop(admin, tmp_path, f"coord{k}", role="coordinator", district_ids=[MUKO])
    old = new_laptop(admin, tmp_path, f"old{k}")
    new = new_laptop(admin, tmp_path, f"new{k}")
    laptops = (coord, old, new)
    try:
        for lap in laptops:
            lap.sync()  # the staff directory on every laptop
        # The coordinator registers three cases in 武庫 for the old worker.
        ids = [make_case(coord.store, assigned=old.staff_id, team=[old.staff_id]) for _ in range(3)]
        for cid in ids:
            edit_case(coord.store, cid, district_id=MUKO)
        assert coord.sync().rejected == 0
        old.sync(), new.sync()
        assert all(count(old.store, "case", f"id = '{c}'") == 1 for c in ids)
        assert all(count(new.store, "case", f"id = '{c}'") == 0 for c in ids)
        add_contact(old.store, ids[0], old.staff_id, "前任の訪問記録")
        assert old.sync().applied >= 1

        # The old worker may not hand a case over: refused on the laptop, and by the server
        # when a change gets past the laptop (here written to the store directly).
        with old.store.session() as s, pytest.raises(ValidationError):
            update_case(s, current_actor(s), ids[2], {"assigned_staff_id": new.staff_id})
        edit_case(old.store, ids[2], assigned_staff_id=new.staff_id)
        refused = old.sync()
        assert refused.rejected == 1
        assert [r.reason for r in list_rejected(old.store)] == [ASSIGNMENT]
        assert server_has(server, "case", ids[2])["assigned_staff_id"] == old.staff_id

        # The coordinator hands the first two to the new worker, in one go.
        coord.sync()
        with coord.store.session() as s:
            result = caseload.reassign_cases(
                s, current_actor(s), ids[:2], to_staff_id=new.staff_id, reason="異動",
                note="火曜午前に電話", today=dt.date(2026, 12, 1),
            )  # fmt: skip
        assert set(result.moved) == set(ids[:2])
        pushed = coord.sync()
        assert pushed.rejected == 0 and outbox_size(coord.store) == 0
        for cid in ids[:2]:
            on_server = server_has(server, "case", cid)
            assert on_server is not None and on_server["assigned_staff_id"] == new.staff_id

        # The old worker's laptop loses them (and what they hold), keeps the third.
        lost = old.sync()
        assert lost.purged_cases == 2
        for cid in ids[:2]:
            for table, where in (("case", f"id = '{cid}'"),
                                 ("contact_record", f"case_id = '{cid}'"),
                                 ("case_team_member", f"case_id = '{cid}'"),
                                 ("role_assignment", f"case_id = '{cid}'")):  # fmt: skip
                assert count(old.store, table, where) == 0, table
        assert count(old.store, "case", f"id = '{ids[2]}'") == 1

        # The new worker's laptop receives them whole, with the handover on its worklist.
        new.sync()
        with new.store.session() as s:
            got = {c.id: c.assigned_staff_id for c in s.scalars(select(Case).where(
                Case.id.in_(ids)))}  # fmt: skip
            assert got == {ids[0]: new.staff_id, ids[1]: new.staff_id}
            tasks = s.scalars(select(RoleAssignment).where(RoleAssignment.case_id.in_(ids))).all()
            assert {t.task for t in tasks} == {"引き継ぎ（異動）: 火曜午前に電話"}
            todo = worklist.worklist(s, current_actor(s), today=dt.date(2026, 12, 9),
                                     kinds=("task",))  # fmt: skip
            assert {i.case_id for i in todo.items} == set(ids[:2])
            assert all(i.days_late == 1 for i in todo.items)
        assert count(new.store, "contact_record", f"case_id = '{ids[0]}'") == 1
        # A replayed pull changes nothing; the old laptop does not get them back.
        assert new.sync().pulled == 0
        old.sync()
        assert all(count(old.store, "case", f"id = '{c}'") == 0 for c in ids[:2])
    finally:
        for lap in laptops:
            lap.close()
