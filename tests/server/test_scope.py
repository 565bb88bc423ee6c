"""Need to know, as a table: role x record x action (pull sees it / push may change it).

World (all fictional):
  districts N, S; agencies X, Y, Z
  case_team:    district N, consent given, lead X, support team: outreach_team
  case_south:   district S, consent given, lead X, nobody's team
  case_secret:  district N, NO consent, lead Y; support meeting on it with pledged_attendee
                (agency Z, pledge signed) and unpledged_attendee (agency Z, no pledge)
"""

from __future__ import annotations

from typing import Any

import pytest

from app.protocol.ids import new_id
from tests.server.conftest import Laptop, insert, laptop, new_case, update
from tests.serverproc import ServerProc

N, S, X, Y, Z = (new_id() for _ in range(5))
ROLES = {
    "admin": ("admin", {}),
    "outreach_team": ("outreach", {"agency_id": X}),
    "outreach_other": ("outreach", {"agency_id": X}),
    "coordinator_north_x": ("coordinator", {"agency_id": X, "district_ids": [N]}),
    "coordinator_north_y": ("coordinator", {"agency_id": Y, "district_ids": [N]}),
    "coordinator_south": ("coordinator", {"agency_id": Z, "district_ids": [S]}),
    "pledged_attendee": ("outreach", {"agency_id": Z}),
    "unpledged_attendee": ("outreach", {"agency_id": Z}),
}
# role -> which cases it may see (and therefore change).
VISIBLE = {
    "admin": {"case_team", "case_south", "case_secret"},
    "outreach_team": {"case_team"},
    "outreach_other": set(),
    "coordinator_north_x": {"case_team"},  # case_secret: no consent, other lead agency
    "coordinator_north_y": {"case_team", "case_secret"},  # lead agency of case_secret
    "coordinator_south": {"case_south"},
    "pledged_attendee": {"case_secret"},
    "unpledged_attendee": set(),
}
CASES = ("case_team", "case_south", "case_secret")


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The same world on both databases: the scope statements are built once per kind of
    viewer and shared by every viewer of that kind, with each viewer's ids bound at run time."""
    srv: ServerProc = request.getfixturevalue(
        "sqlite_server" if request.param == "sqlite" else "pg_server"
    )
    admin = laptop(srv, "admin")
    admin.push(
        [
            insert("district", N, code=f"n{N[-6:]}", name="北"),
            insert("district", S, code=f"s{S[-6:]}", name="南"),
        ]
        + [insert("agency", a, code=f"a{a[-8:]}", name="機関") for a in (X, Y, Z)]
    )
    devices = {
        name: laptop(srv, role, **kw) for name, (role, kw) in ROLES.items() if name != "admin"
    }
    devices["admin"] = admin
    ids: dict[str, str] = {}
    changes = []
    for name, district, consent, lead in (
        ("case_team", N, "given", X),
        ("case_south", S, "given", X),
        ("case_secret", N, "refused", Y),
    ):
        person = insert("person", name=f"{name}の本人")
        household = insert("household", name="試験さん世帯")
        member = insert(
            "household_member",
            household_id=household["row_id"],
            person_id=person["row_id"],
            relationship="self",
        )
        case = new_case(
            district_id=district,
            consent_status=consent,
            lead_agency_id=lead,
            person_id=person["row_id"],
            household_id=household["row_id"],
        )
        contact = insert(
            "contact_record",
            case_id=case["row_id"],
            kind="visit",
            contact_at="2026-02-01T10:00:00",
            narrative="訪問",
        )
        ids |= {
            name: case["row_id"],
            f"{name}.person": person["row_id"],
            f"{name}.household": household["row_id"],
            f"{name}.contact": contact["row_id"],
        }
        changes += [person, household, member, case, contact]
    changes.append(
        insert(
            "case_team_member",
            case_id=ids["case_team"],
            staff_id=devices["outreach_team"].staff_id,
            role="訪問担当",
        )
    )
    meeting = insert("support_meeting", kind="shien_kaigi", title="支援会議")
    changes += [
        meeting,
        insert("meeting_case", meeting_id=meeting["row_id"], case_id=ids["case_secret"]),
    ]
    for who, signed in (("pledged_attendee", True), ("unpledged_attendee", False)):
        changes.append(
            insert(
                "meeting_attendee",
                meeting_id=meeting["row_id"],
                staff_id=devices[who].staff_id,
                name="出席者",
                pledge_signed=signed,
            )
        )
    ids["meeting"] = meeting["row_id"]
    assert {r["status"] for r in admin.push(changes)} == {"applied"}
    for d in devices.values():
        d.sync()
    return {"devices": devices, "ids": ids}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("case", CASES)
def test_pull_shows_only_cases_in_scope(world: dict[str, Any], role: str, case: str) -> None:
    dev: Laptop = world["devices"][role]
    ids = world["ids"]
    expected = case in VISIBLE[role]
    for table, key in (
        ("case", case),
        ("person", f"{case}.person"),
        ("household", f"{case}.household"),
        ("contact_record", f"{case}.contact"),
    ):
        assert dev.sees(table, ids[key]) is expected, (role, table)
    assert dev.sees("district", N) and dev.sees("agency", Z)  # master data to everyone
    assert not any(t == "audit_event" for t, _ in dev.records)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("case", CASES)
def test_push_to_a_case_outside_scope_is_rejected(
    world: dict[str, Any], role: str, case: str
) -> None:
    dev: Laptop = world["devices"][role]
    dev.sync()
    ids = world["ids"]
    note = insert(
        "contact_record",
        case_id=ids[case],
        kind="phone",
        contact_at="2026-02-02T10:00:00",
        narrative="電話",
    )
    current = dev.records.get(("case", ids[case]), {}).get("notes")
    edit = update("case", ids[case], notes=(current, f"{role} のメモ"))
    results = dev.push([note, edit, insert("resource", name="つどい場", kind="gathering")])
    want = "applied" if case in VISIBLE[role] else "rejected"
    assert [r["status"] for r in results[:2]] == [want, want]
    if want == "rejected":
        assert results[0]["reason"] == "outside your scope"
    assert results[2]["status"] == "applied"  # the rest of the batch is not lost


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_master_data_except_resources_is_admin_only(world: dict[str, Any], role: str) -> None:
    dev: Laptop = world["devices"][role]
    res = dev.push(
        [update("district", N, name=("北", "北部")), insert("agency", code="q", name="新")]
    )
    assert [r["status"] for r in res] == ["rejected", "rejected"]


def test_pointing_a_new_case_at_a_household_out_of_scope_is_rejected(world: dict[str, Any]) -> None:
    dev: Laptop = world["devices"]["outreach_other"]
    sneaky = new_case(household_id=world["ids"]["case_secret.household"])
    assert dev.push([sneaky])[0]["status"] == "rejected"


def test_case_entering_and_leaving_scope(sqlite_server: ServerProc) -> None:
    admin = laptop(sqlite_server, "admin")
    worker = laptop(sqlite_server, "outreach")
    case = new_case()
    contact = insert(
        "contact_record", case_id=case["row_id"], kind="visit", contact_at="2026-03-01T10:00:00"
    )
    admin.push([case, contact])
    worker.sync()
    assert not worker.sees("case", case["row_id"])
    team = insert("case_team_member", case_id=case["row_id"], staff_id=worker.staff_id)
    admin.push([team])
    worker.sync()
    # Older rows of the case arrive although their sequence is below the worker's cursor.
    assert worker.sees("case", case["row_id"]) and worker.sees("contact_record", contact["row_id"])
    admin.push(
        [
            {
                "op_id": new_id(),
                "table": "case_team_member",
                "row_id": team["row_id"],
                "op": "delete",
                "changes": {},
            }
        ]
    )
    worker.sync()
    assert worker.purged == [case["row_id"]]
    worker.sync()
    assert worker.purged == [case["row_id"]]  # announced once it was received


def test_registering_staff_keeps_its_own_new_case(sqlite_server: ServerProc) -> None:
    worker = laptop(sqlite_server, "outreach")
    person = insert("person", name="新規 相談者")
    case = new_case(person_id=person["row_id"], consent_status="pending")
    team = insert("case_team_member", case_id=case["row_id"], staff_id=worker.staff_id)
    assert {r["status"] for r in worker.push([person, case, team])} == {"applied"}
    fresh = Laptop(sqlite_server, sqlite_server.enroll(_login_of(sqlite_server, worker)))
    fresh.sync()
    assert fresh.sees("case", case["row_id"]) and fresh.sees("person", person["row_id"])


def _login_of(srv: ServerProc, dev: Laptop) -> str:
    import httpx

    users = httpx.get(f"{srv.api}/admin/users", headers=srv.admin_headers()).json()
    return next(u["login"] for u in users if u["staff_id"] == dev.staff_id)
