"""Issue 13 leftover: only coordinators and administrators assign and reassign cases and their
support team (DOMAIN.md "Who writes what"). An outreach worker's push may register a new case
with its first worker and team, nothing more.

World (fictional): district N, agency X; two outreach workers of X, a coordinator of N at X.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.server.crud import write_rules
from app.storage.models import new_id
from tests.server.conftest import Laptop, delete, insert, laptop, new_case, update
from tests.serverproc import ServerProc


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(request: pytest.FixtureRequest) -> dict[str, Any]:
    srv: ServerProc = request.getfixturevalue(
        "sqlite_server" if request.param == "sqlite" else "pg_server"
    )
    admin = laptop(srv, "admin")
    n, x = new_id(), new_id()
    admin.push(
        [
            insert("district", n, code=f"n{n[-8:]}", name="北"),
            insert("agency", x, code=f"x{x[-8:]}", name="甲"),
        ]
    )
    worker = laptop(srv, "outreach", agency_id=x)
    other = laptop(srv, "outreach", agency_id=x)
    coord = laptop(srv, "coordinator", agency_id=x, district_ids=[n])
    return {"srv": srv, "admin": admin, "N": n, "X": x, "worker": worker, "other": other,
            "coord": coord}  # fmt: skip


def _registered(w: dict[str, Any]) -> tuple[str, str]:
    """A case the worker registers offline: assigned to them, with themselves and a colleague
    on the team, all in one push (allowed)."""
    worker: Laptop = w["worker"]
    case = new_case(assigned_staff_id=worker.staff_id, district_id=w["N"], lead_agency_id=w["X"])
    mine = insert("case_team_member", case_id=case["row_id"], staff_id=worker.staff_id)
    colleague = insert("case_team_member", case_id=case["row_id"], staff_id=w["other"].staff_id)
    results = worker.push([case, mine, colleague])
    assert [r["status"] for r in results] == ["applied"] * 3, results
    return case["row_id"], mine["row_id"]


def test_outreach_cannot_reassign_an_existing_case(world: dict[str, Any]) -> None:
    worker: Laptop = world["worker"]
    case_id, _ = _registered(world)
    worker.sync()
    hand = update("case", case_id, assigned_staff_id=(worker.staff_id, world["other"].staff_id))
    result = worker.push([hand])[0]
    assert (result["status"], result["reason"]) == ("rejected", write_rules.ASSIGNMENT)
    # Other fields of the same case are still the worker's to write.
    note = update("case", case_id, notes=(None, "訪問予定"))
    assert worker.push([note])[0]["status"] == "applied"
    # Clearing the assignment is a change of assignment too.
    clear = update("case", case_id, assigned_staff_id=(worker.staff_id, None))
    assert worker.push([clear])[0]["reason"] == write_rules.ASSIGNMENT
    # A coordinator may.
    coord: Laptop = world["coord"]
    coord.sync()
    ok = update("case", case_id, assigned_staff_id=(worker.staff_id, world["other"].staff_id))
    assert coord.push([ok])[0]["status"] == "applied"
    coord.sync()
    assert coord.records["case", case_id]["assigned_staff_id"] == world["other"].staff_id


def test_outreach_cannot_change_the_team_of_an_existing_case(world: dict[str, Any]) -> None:
    worker: Laptop = world["worker"]
    case_id, mine = _registered(world)
    worker.sync()
    outsider = laptop(world["srv"], "outreach", agency_id=world["X"])
    add = insert("case_team_member", case_id=case_id, staff_id=outsider.staff_id)
    assert worker.push([add])[0]["reason"] == write_rules.ASSIGNMENT
    # The registrar who still carries the case may add a row naming themselves (a laptop's
    # 主担当 row can come in a later push than its case), nobody else.
    add_self_again = insert("case_team_member", case_id=case_id, staff_id=worker.staff_id)
    assert worker.push([add_self_again])[0]["status"] == "applied"
    move = update("case_team_member", mine, staff_id=(worker.staff_id, outsider.staff_id))
    assert worker.push([move])[0]["reason"] == write_rules.ASSIGNMENT
    leave = delete("case_team_member", mine)
    assert worker.push([leave])[0]["reason"] == write_rules.ASSIGNMENT
    outsider.sync()
    assert not outsider.sees("case", case_id)
    # The coordinator (whose district the case is in) changes the team.
    coord: Laptop = world["coord"]
    assert coord.push([add | {"op_id": new_id()}])[0]["status"] == "applied"
    outsider.sync()
    assert outsider.sees("case", case_id)


def test_team_rows_after_the_case_only_while_registrar_carries_it(world: dict[str, Any]) -> None:
    """A laptop's batches are split by size: the 主担当 row of a case it registered may come
    in a later push, while the registrar is still its assigned worker (not once a coordinator
    handed the case to someone else); a colleague's row only with the case itself."""
    worker: Laptop = world["worker"]
    case = new_case(assigned_staff_id=worker.staff_id)
    assert worker.push([case])[0]["status"] == "applied"
    late = insert("case_team_member", case_id=case["row_id"], staff_id=worker.staff_id)
    assert worker.push([late])[0]["status"] == "applied"
    colleague = insert("case_team_member", case_id=case["row_id"], staff_id=world["other"].staff_id)
    assert worker.push([colleague])[0]["reason"] == write_rules.ASSIGNMENT
    hand = update(
        "case", case["row_id"], assigned_staff_id=(worker.staff_id, world["other"].staff_id)
    )
    assert world["admin"].push([hand])[0]["status"] == "applied"
    again = insert("case_team_member", case_id=case["row_id"], staff_id=worker.staff_id)
    assert worker.push([again])[0]["reason"] == write_rules.ASSIGNMENT
    # A case someone else registered: no team rows at all.
    theirs = new_case(assigned_staff_id=worker.staff_id)
    assert world["admin"].push([theirs])[0]["status"] == "applied"
    worker.sync()
    join = insert("case_team_member", case_id=theirs["row_id"], staff_id=worker.staff_id)
    assert worker.push([join])[0]["reason"] == write_rules.ASSIGNMENT


def test_only_coordinators_merge_persons(world: dict[str, Any]) -> None:
    worker: Laptop = world["worker"]
    keep, other = insert("person", name="寄添 花子"), insert("person", name="寄添　花子")
    assert [r["status"] for r in worker.push([keep, other])] == ["applied", "applied"]
    mark = update("person", other["row_id"], merged_into_id=(None, keep["row_id"]))
    assert worker.push([mark])[0]["reason"] == write_rules.MERGE
    # Other fields of the person stay the worker's to write.
    phone = update("person", other["row_id"], phone=(None, "06-1111-2222"))
    assert worker.push([phone])[0]["status"] == "applied"
    assert world["admin"].push([mark | {"op_id": new_id()}])[0]["status"] == "applied"


def test_only_coordinators_merge_households_or_undo_a_merge(world: dict[str, Any]) -> None:
    worker: Laptop = world["worker"]
    keep, other = insert("household", name="寄添さん世帯"), insert("household", name="寄添さん世帯")
    assert [r["status"] for r in worker.push([keep, other])] == ["applied", "applied"]
    mark = update("household", other["row_id"], merged_into_id=(None, keep["row_id"]),
                  merge_record=(None, '{"v":1}'))  # fmt: skip
    assert worker.push([mark])[0]["reason"] == write_rules.MERGE_HOUSEHOLD
    assert worker.push([update("household", other["row_id"], address=(None, "尼崎市"))])[0][
        "status"] == "applied"  # fmt: skip
    assert world["coord"].push([mark | {"op_id": new_id()}])[0]["status"] == "applied"
    undo = update("household", other["row_id"], merged_into_id=(keep["row_id"], None))
    assert worker.push([undo])[0]["reason"] == write_rules.MERGE_HOUSEHOLD
    # A person's merge record is the coordinators' too.
    p = insert("person", name="寄添 花子")
    worker.push([p])
    rec = update("person", p["row_id"], merge_record=(None, '{"v":1}'))
    assert worker.push([rec])[0]["reason"] == write_rules.MERGE


def test_refusals_are_in_the_audit_list() -> None:
    assert write_rules.ASSIGNMENT in write_rules.REFUSALS
    assert write_rules.MERGE in write_rules.REFUSALS
    assert write_rules.MERGE_HOUSEHOLD in write_rules.REFUSALS
