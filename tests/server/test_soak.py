"""The short soak (tests/bench/soak.py): 20 laptops for 60 s against two server processes on one
PostgreSQL database; nothing lost or applied twice, every laptop holds exactly its scope.

Latency is not asserted here (timing targets live in the benchmark). The checks the soak relies
on are themselves tested below on made-up server content, so a soak that passes means what it
says."""

from __future__ import annotations

import random
from typing import Any

import pytest

from app.protocol.ids import new_id
from tests.bench.soak import (
    Device,
    Truth,
    User,
    _change,
    check_exactly_once,
    check_scopes,
    insert,
    run_soak,
)


@pytest.mark.postgres
@pytest.mark.slow
def test_short_soak_loses_nothing_and_keeps_every_scope(pg_url: str) -> None:
    # pg_url: PostgreSQL reachable (skipped outside CI, fails in CI); the soak makes its own
    # fresh database. A sync every ~10 s gives each laptop about six syncs in the minute.
    r = run_soak(devices=20, duration=60, interval=10, seed=13)
    assert r["errors"] == 0, r["error_samples"]
    assert all(s["errors"] == 0 for s in r["server_log"]), r["server_log"]
    assert r["unflushed_ops"] == 0
    assert r["exactly_once_ok"], r["exactly_once_problems"]
    assert r["scope_ok"], r["scope_problems"]
    assert r["rejected_unexpected"] == 0, r["scope_problems"]
    assert r["replay_mismatches"] == 0
    # It did exercise what it checks: edits of every kind, and scopes that changed.
    assert r["syncs"] >= 60 and r["ops_applied"] >= 300
    assert r["cases_entered"] >= 1 and r["purges"] >= 1, r


# ---------------------------------------------------------------------------------------------
# The checks catch what they are for (no server needed).

WORKER = User("w", "outreach", "staff-w", "agency-a", ("district-1",))
OTHER_AGENCY = User("x", "outreach", "staff-x", "agency-b", ("district-1",))
COORDINATOR = User("c", "coordinator", "staff-c", "agency-b", ("district-1",))


def _world() -> tuple[Truth, dict[tuple[str, str], tuple[dict[str, Any], int, bool]], list[Any]]:
    """W registers a consented case and a case without consent, puts X on both teams, and
    edits the first case's notes once. Returns the truth, the matching server rows, changes."""
    truth = Truth()
    rows: dict[tuple[str, str], tuple[dict[str, Any], int, bool]] = {}
    changes = []
    for consent in ("given", "pending"):
        person = insert("person", name="試験 花子")
        household = insert("household", name="試験さん世帯")
        member = insert(
            "household_member",
            household_id=household["row_id"],
            person_id=person["row_id"],
        )
        case = insert(
            "case",
            household_id=household["row_id"],
            person_id=person["row_id"],
            district_id="district-1",
            lead_agency_id="agency-a",
            consent_status=consent,
            notes="初回",
        )
        team = insert("case_team_member", case_id=case["row_id"], staff_id="staff-x")
        changes += [person, household, member, case, team]
    for c in changes:
        truth.acknowledge(c, {"status": "applied"}, "staff-w")
    edit = _change("case", changes[3]["row_id"], "update", {"notes": ["初回", "二回目"]})
    truth.acknowledge(edit, {"status": "applied"}, "staff-w")
    for c in changes:
        data = {"id": c["row_id"], "deleted": False} | {k: v[1] for k, v in c["changes"].items()}
        rows[(c["table"], c["row_id"])] = (data, 1, False)
    key = ("case", changes[3]["row_id"])
    rows[key] = ({**rows[key][0], "notes": "二回目"}, 2, False)
    return truth, rows, changes


def test_exactly_once_check_passes_on_matching_content() -> None:
    truth, rows, _ = _world()
    assert check_exactly_once(truth, rows, set(truth.acked_ops)) == []


def test_exactly_once_check_catches_double_apply_loss_and_strays() -> None:
    truth, rows, changes = _world()
    ops = set(truth.acked_ops)
    key = ("case", changes[3]["row_id"])
    twice = dict(rows)
    twice[key] = (rows[key][0], 3, False)  # the edit applied twice
    assert any("version 3" in p for p in check_exactly_once(truth, twice, ops))
    lost = {k: v for k, v in rows.items() if k[0] != "household_member"}
    assert any("missing" in p for p in check_exactly_once(truth, lost, ops))
    stray = {**rows, ("person", new_id()): ({}, 1, False)}
    assert any("never acknowledged" in p for p in check_exactly_once(truth, stray, ops))
    old = dict(rows)
    old[key] = ({**rows[key][0], "notes": "初回"}, 2, False)  # counted, but the value lost
    assert any("chain ends" in p for p in check_exactly_once(truth, old, ops))
    # Two edits acknowledged from the same base: the second should have been a conflict.
    fork = _change("case", key[1], "update", {"notes": ["初回", "三回目"]})
    truth.acknowledge(fork, {"status": "applied"}, "staff-c")
    assert any("2 acknowledged edits" in p for p in check_exactly_once(truth, rows, ops))
    assert any("no applied_op" in p for p in check_exactly_once(truth, rows, set()))


def test_scope_oracle_follows_the_rules() -> None:
    truth, _rows, changes = _world()
    given, pending = changes[3]["row_id"], changes[8]["row_id"]
    assert truth.sees_case(WORKER, given) and truth.sees_case(WORKER, pending)  # registrar
    # On the team of both, but of another agency: the case without consent stays hidden.
    assert truth.sees_case(OTHER_AGENCY, given) and not truth.sees_case(OTHER_AGENCY, pending)
    assert truth.sees_case(COORDINATOR, given) and not truth.sees_case(COORDINATOR, pending)
    far = User("f", "coordinator", "staff-f", "agency-a", ("district-2",))
    assert not truth.sees_case(far, given)
    # Taken off the team: the case leaves X's scope.
    team_row = changes[4]["row_id"]
    truth.acknowledge(
        _change("case_team_member", team_row, "delete", {}), {"status": "applied"}, "staff-c"
    )
    assert not truth.sees_case(OTHER_AGENCY, given)
    assert (given, "staff-x") in truth.removed_from


def test_scope_check_catches_extra_missing_and_stale_rows() -> None:
    truth, rows, changes = _world()
    dev = Device("laptop", OTHER_AGENCY, "token", random.Random(1))
    want = truth.scope_rows(OTHER_AGENCY)
    dev.store = {k: dict(rows[k][0]) for k in want}
    assert check_scopes(truth, [dev], rows) == []
    hidden = ("case", changes[8]["row_id"])
    dev.store[hidden] = dict(rows[hidden][0])
    assert "1 rows beyond its scope" in check_scopes(truth, [dev], rows)[0]
    del dev.store[hidden]
    person = ("person", changes[0]["row_id"])
    saved = dev.store.pop(person)
    assert "1 missing" in check_scopes(truth, [dev], rows)[0]
    dev.store[person] = {**saved, "name": "古い名前"}
    assert "differ from the server" in check_scopes(truth, [dev], rows)[0]


def test_laptop_purge_keeps_a_household_another_case_holds() -> None:
    """The bench's laptop removes a purged case as app/sync/purge.py does."""
    dev = Device("laptop", WORKER, "token", random.Random(1))
    hh, p1, p2 = new_id(), new_id(), new_id()
    c1, c2 = new_id(), new_id()
    m1, m2, visit = new_id(), new_id(), new_id()
    dev.store = {
        ("household", hh): {"id": hh},
        ("person", p1): {"id": p1},
        ("person", p2): {"id": p2},
        ("household_member", m1): {"household_id": hh, "person_id": p1},
        ("household_member", m2): {"household_id": hh, "person_id": p2},
        ("case", c1): {"household_id": hh, "person_id": p1, "deleted": False},
        ("case", c2): {"household_id": hh, "person_id": p2, "deleted": False},
        ("contact_record", visit): {"case_id": c1},
    }
    dev.cases = {c1, c2}
    dev._purge(c1)
    assert set(dev.store) == {
        ("household", hh),
        ("person", p1),
        ("person", p2),
        ("household_member", m1),
        ("household_member", m2),
        ("case", c2),
    }
    dev._purge(c2)
    assert dev.store == {}
