"""A merged person or household (a tombstone) is in the scope of whoever sees its survivor,
through any chain of merges (A into B, then B into C; or B into C first and A into B after, as
two offline laptops may push them), a cycle included, and leaves that scope with the survivor
or with the undo of a merge in the chain. Real server process, SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from tests.server.conftest import Laptop, delete, insert, laptop, new_case, update
from tests.serverproc import ServerProc


def _family(name: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    p = insert("person", name=f"{name}の本人")
    h = insert("household", name=f"{name}さん世帯")
    m = insert("household_member", household_id=h["row_id"], person_id=p["row_id"],
               relationship="self", is_head=True)  # fmt: skip
    return p, h, m


def _merge(table: str, row_id: str, into: str | None, was: str | None = None) -> dict[str, Any]:
    return update(table, row_id, merged_into_id=(was, into))


def _pushed(who: Laptop, changes: list[dict[str, Any]]) -> None:
    assert {r["status"] for r in who.push(changes)} == {"applied"}


def _records_since(who: Laptop, cursor: int) -> list[dict[str, Any]]:
    r = who.http.get("/sync/pull", params={"cursor": cursor}, headers=who.headers())
    assert r.status_code == 200, r.text
    return list(r.json()["records"])


def test_tombstones_follow_the_last_survivor_of_a_chain(server: ServerProc) -> None:
    coord = laptop(server, "admin")
    worker = laptop(server, "outreach")
    fam = {k: _family(k) for k in "ABCDPQ"}
    pid = {k: f[0]["row_id"] for k, f in fam.items()}
    hid = {k: f[1]["row_id"] for k, f in fam.items()}
    cases = {k: new_case(person_id=pid[k], household_id=hid[k], assigned_staff_id=coord.staff_id)
             for k in "ABCDP"}  # fmt: skip
    team = insert("case_team_member", case_id=cases["C"]["row_id"], staff_id=worker.staff_id)
    team_p = insert("case_team_member", case_id=cases["P"]["row_id"], staff_id=worker.staff_id)
    _pushed(coord, [c for f in fam.values() for c in f] + list(cases.values()) + [team, team_p])
    worker.sync()
    assert not worker.sees("person", pid["A"]) and worker.sees("person", pid["C"])

    # B into C first, then A into B (the order two offline laptops may push them in), then D
    # into A: the worker, who sees C, sees all of them.
    for x, y in (("B", "C"), ("A", "B"), ("D", "A")):
        _pushed(coord, [_merge("person", pid[x], pid[y]), _merge("household", hid[x], hid[y])])
    worker.sync()
    for k in "ABCD":
        assert worker.sees("person", pid[k]) and worker.sees("household", hid[k]), k
        assert worker.sees("household_member", fam[k][2]["row_id"]), k
    assert worker.records[("person", pid["D"])]["merged_into_id"] == pid["A"]

    # A cycle (P into Q and Q into P, from two laptops) ends; P's case holds both.
    _pushed(coord, [_merge("person", pid["Q"], pid["P"]), _merge("person", pid["P"], pid["Q"])])
    worker.sync()
    assert worker.sees("person", pid["Q"])

    # The undo of B's merge takes B, A and D out of the worker's scope: edits no longer reach it.
    _pushed(coord, [_merge("person", pid["B"], None, pid["C"]),
                    _merge("household", hid["B"], None, hid["C"])])  # fmt: skip
    worker.sync()
    _pushed(coord, [update("person", pid[k], phone=(None, "06-0000-0000")) for k in "ABCD"])
    got = {r["id"] for r in _records_since(worker, worker.cursor) if r["table"] == "person"}
    assert got == {pid["C"]}
    _pushed(coord, [_merge("person", pid["B"], pid["C"]), _merge("household", hid["B"], hid["C"])])
    worker.sync()
    assert worker.records[("person", pid["D"])]["phone"] == "06-0000-0000"  # back in scope

    # The survivor's case leaves the worker: the case is purged, and none of the chain's
    # records reach the worker any more.
    worker.purged.clear()
    _pushed(coord, [delete("case_team_member", team["row_id"])])
    worker.sync()
    assert worker.purged == [cases["C"]["row_id"]]
    _pushed(coord, [update("person", pid[k], notes=(None, "追記")) for k in "ABCD"]
            + [update("household", hid[k], address=(None, "尼崎市")) for k in "ABCD"])  # fmt: skip
    assert _records_since(worker, worker.cursor) == []
