"""Write rules and who-received-what, case by case (the invariant is test_scope_invariant.py).

World (all fictional): district N, agency X. Two outreach workers of X, each with a case
of their own (person, household, membership; the victim's without consent); two
coordinators of N at X.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from app.protocol.ids import new_id
from app.server.crud import write_rules
from app.server.crud.push_load import REFERENCES
from tests.server.conftest import Laptop, delete, insert, laptop, new_case, update
from tests.serverproc import ServerProc


def _world(srv: ServerProc) -> dict[str, Any]:
    admin = laptop(srv, "admin")
    n, x = new_id(), new_id()
    admin.push(
        [
            insert("district", n, code=f"n{n[-8:]}", name="北"),
            insert("agency", x, code=f"x{x[-8:]}", name="甲"),
        ]
    )
    w: dict[str, Any] = {"admin": admin, "N": n, "X": x}
    for who in ("worker", "victim"):
        dev = laptop(srv, "outreach", agency_id=x)
        person = insert("person", name=f"{who}の相談者", phone="06-1234-5678")
        household = insert("household", name="試験さん世帯")
        member = insert(
            "household_member", household_id=household["row_id"], person_id=person["row_id"]
        )
        case = new_case(
            person_id=person["row_id"],
            household_id=household["row_id"],
            consent_status="given" if who == "worker" else "refused",
        )
        team = insert("case_team_member", case_id=case["row_id"], staff_id=dev.staff_id)
        assert {r["status"] for r in dev.push([person, household, member, case, team])} == {
            "applied"
        }
        dev.sync()
        w[who] = dev
        w[f"{who}.person"] = person["row_id"]
        w[f"{who}.household"] = household["row_id"]
        w[f"{who}.case"] = case["row_id"]
    w["coord"] = laptop(srv, "coordinator", agency_id=x, district_ids=[n])
    w["coord2"] = laptop(srv, "coordinator", agency_id=x, district_ids=[n])
    return w


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(request: pytest.FixtureRequest) -> dict[str, Any]:
    srv: ServerProc = request.getfixturevalue(
        "sqlite_server" if request.param == "sqlite" else "pg_server"
    )
    w = _world(srv)
    w["srv"] = srv
    return w


def _audit_denials(srv: ServerProc, device_id: str) -> list[dict[str, Any]]:
    rows = httpx.get(
        f"{srv.api}/admin/audit", params={"limit": 1000}, headers=srv.admin_headers()
    ).json()
    out: list[dict[str, Any]] = []
    after = 0
    while rows:
        out += [
            d
            for r in rows
            if r["action"] == "push" and r["device_id"] == device_id
            for d in r["detail"].get("denied", [])
        ]
        after = rows[-1]["id"]
        rows = httpx.get(
            f"{srv.api}/admin/audit",
            params={"after_id": after, "limit": 1000},
            headers=srv.admin_headers(),
        ).json()
    return out


def test_a_colleagues_client_cannot_be_added_to_ones_own_household(world: dict[str, Any]) -> None:
    """Issue 13, item 1: the membership's person must be in the pusher's write scope."""
    worker: Laptop = world["worker"]
    victim_person = world["victim.person"]
    sneaky = insert(
        "household_member", household_id=world["worker.household"], person_id=victim_person
    )
    result = worker.push([sneaky])[0]
    assert (result["status"], result["reason"]) == ("rejected", "outside your scope")
    worker.sync()
    assert not worker.sees("person", victim_person)
    overwrite = update("person", victim_person, phone=("06-1234-5678", "090-0000-0000"))
    assert worker.push([overwrite])[0]["status"] == "rejected"
    world["victim"].sync()
    assert world["victim"].records["person", victim_person]["phone"] == "06-1234-5678"
    denied = _audit_denials(world["srv"], worker.device_id)
    assert {"table": "household_member", "row_id": sneaky["row_id"]} in [
        {"table": d["table"], "row_id": d["row_id"]} for d in denied
    ]
    assert all(set(d) == {"table", "row_id", "reason"} for d in denied)  # ids only


def test_ones_own_and_new_persons_may_be_members(world: dict[str, Any]) -> None:
    worker: Laptop = world["worker"]
    fresh = insert("person", name="新しい世帯員")
    ok = [
        fresh,
        insert(
            "household_member", household_id=world["worker.household"], person_id=fresh["row_id"]
        ),
        insert(
            "household_member",
            household_id=world["worker.household"],
            person_id=world["worker.person"],
            relationship="child",
        ),
    ]
    assert {r["status"] for r in worker.push(ok)} == {"applied"}


# Every reference column (derived from the models) and a row that sets it to the victim's id.
_REF_CASES = {
    ("case", "household_id"): lambda w: new_case(household_id=w["victim.household"]),
    ("case", "person_id"): lambda w: new_case(person_id=w["victim.person"]),
    ("household_member", "person_id"): lambda w: insert(
        "household_member", household_id=w["worker.household"], person_id=w["victim.person"]
    ),
    ("life_event", "person_id"): lambda w: insert(
        "life_event", household_id=w["worker.household"], person_id=w["victim.person"]
    ),
    ("contact_record", "person_id"): lambda w: insert(
        "contact_record",
        case_id=w["worker.case"],
        person_id=w["victim.person"],
        contact_at="2026-02-01T10:00:00",
    ),
    ("referral", "person_id"): lambda w: insert(
        "referral", case_id=w["worker.case"], person_id=w["victim.person"], receipt_number="R1"
    ),
    ("referral", "meeting_id"): lambda w: insert(
        "referral", case_id=w["worker.case"], meeting_id=w["meeting"], receipt_number="R2"
    ),
    ("role_assignment", "meeting_id"): lambda w: insert(
        "role_assignment", case_id=w["worker.case"], meeting_id=w["meeting"], task="訪問"
    ),
    ("meeting_case", "meeting_id"): lambda w: insert(
        "meeting_case", case_id=w["worker.case"], meeting_id=w["meeting"]
    ),
}


def test_every_reference_column_is_checked() -> None:
    assert set(_REF_CASES) == {(t, c) for t, cols in REFERENCES.items() for c in cols}


@pytest.mark.parametrize("ref", sorted(_REF_CASES), ids=lambda r: ".".join(r))
def test_a_reference_outside_the_write_scope_is_rejected(
    world: dict[str, Any], ref: tuple[str, str]
) -> None:
    if "meeting" not in world:
        meeting = insert("support_meeting", kind="shien_kaigi", title="支援会議")
        link = insert("meeting_case", meeting_id=meeting["row_id"], case_id=world["victim.case"])
        assert {r["status"] for r in world["admin"].push([meeting, link])} == {"applied"}
        world["meeting"] = meeting["row_id"]
    pusher = world["coord"] if ref[0] == "meeting_case" else world["worker"]
    if ref[0] == "meeting_case":  # the coordinator sees the worker's case through its team
        team = insert("case_team_member", case_id=world["worker.case"], staff_id=pusher.staff_id)
        assert world["admin"].push([team])[0]["status"] == "applied"
    result = pusher.push([_REF_CASES[ref](world)])[0]
    assert (result["status"], result["reason"]) == ("rejected", "outside your scope")


def test_resource_register(world: dict[str, Any]) -> None:
    worker: Laptop = world["worker"]
    res = insert("resource", name="つどい場", kind="gathering")
    edit = update("resource", res["row_id"], schedule=(None, "毎週水曜"))
    assert [r["status"] for r in worker.push([res, edit])] == ["applied", "applied"]
    removed = worker.push([delete("resource", res["row_id"])])[0]
    assert removed["status"] == "rejected"
    assert removed["reason"] == write_rules.RULES["resource"].refusal
    assert world["coord"].push([delete("resource", res["row_id"])])[0]["status"] == "applied"


def test_meetings_attendance_and_pledges(world: dict[str, Any]) -> None:
    worker: Laptop = world["worker"]
    coord: Laptop = world["coord"]
    coord2: Laptop = world["coord2"]
    admin: Laptop = world["admin"]
    meeting = insert("support_meeting", kind="shien_kaigi", title="支援会議")
    # Outreach workers do not run meetings.
    assert worker.push([meeting])[0]["reason"] == "support meetings: coordinators only"
    assert coord.push([meeting | {"op_id": new_id()}])[0]["status"] == "applied"

    def attendee(staff_id: str, signed: bool = False) -> dict[str, Any]:
        return insert(
            "meeting_attendee",
            meeting_id=meeting["row_id"],
            staff_id=staff_id,
            name="出席者",
            pledge_signed=signed,
        )

    own = write_rules.OWN_ROW
    for dev in (coord, admin):  # nobody adds themselves, administrators included
        assert dev.push([attendee(dev.staff_id, True)])[0]["reason"] == own
    other = attendee(coord2.staff_id)
    assert coord.push([other])[0]["status"] == "applied"
    sign = update("meeting_attendee", other["row_id"], pledge_signed=(False, True))
    assert coord2.push([sign])[0]["reason"] == own  # nor signs their own pledge
    moved = update("meeting_attendee", other["row_id"], staff_id=(coord2.staff_id, coord.staff_id))
    assert coord.push([moved])[0]["reason"] == own  # nor turns a row into their own
    sign = update("meeting_attendee", other["row_id"], pledge_signed=(False, True))
    assert coord.push([sign])[0]["status"] == "applied"  # a coordinator records it
    assert worker.push([attendee(world["coord"].staff_id)])[0]["status"] == "rejected"
    denied = _audit_denials(world["srv"], coord2.device_id)
    assert {"table": "meeting_attendee", "row_id": other["row_id"], "reason": own} in denied


def test_who_holds_a_case(world: dict[str, Any]) -> None:
    srv: ServerProc = world["srv"]
    admin: Laptop = world["admin"]
    case = new_case(consent_status="given")
    contact = insert(
        "contact_record", case_id=case["row_id"], kind="visit", contact_at="2026-03-01T10:00:00"
    )
    assert {r["status"] for r in admin.push([case, contact])} == {"applied"}
    colleague = laptop(srv, "outreach")
    url = f"{srv.api}/admin/cases/{case['row_id']}/holders"
    before = httpx.get(url, headers=srv.admin_headers()).json()["devices"]
    assert colleague.device_id not in {d["device_id"] for d in before}
    team = insert("case_team_member", case_id=case["row_id"], staff_id=colleague.staff_id)
    assert admin.push([team])[0]["status"] == "applied"
    colleague.sync()
    admin.sync()
    held = {
        d["device_id"]: d for d in httpx.get(url, headers=srv.admin_headers()).json()["devices"]
    }
    mine = held[colleague.device_id]
    assert mine["holds"] and mine["purged_at"] is None and mine["first_received_at"]
    assert mine["staff_id"] == colleague.staff_id and mine["role"] == "outreach"
    assert admin.device_id in held  # the administrator's laptop pulled it too
    # Not an administrator: refused.
    assert httpx.get(url, headers=colleague.headers()).status_code == 403
    # Leaves the scope: the purge is recorded.
    assert admin.push([delete("case_team_member", team["row_id"])])[0]["status"] == "applied"
    colleague.sync()
    now = {d["device_id"]: d for d in httpx.get(url, headers=srv.admin_headers()).json()["devices"]}
    assert not now[colleague.device_id]["holds"] and now[colleague.device_id]["purged_at"]
    current = httpx.get(url, params={"current": "true"}, headers=srv.admin_headers()).json()
    assert colleague.device_id not in {d["device_id"] for d in current["devices"]}
    # The CLI says the same.
    out = json.loads(srv.cli("case", "holders", case["row_id"], "--json").stdout)
    assert out["case_id"] == case["row_id"]
    assert {d["device_id"] for d in out["devices"]} == set(now)
    bad = srv.cli("case", "holders", "x" * 40, check=False)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
