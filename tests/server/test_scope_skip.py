"""A pull skips comparing the device's scope with what it was sent while nothing the scope
depends on changed (crud/pull.py ``_scope_is_known``). These tests pin that the skip never
hides a change: every way a case enters or leaves a scope is announced on the next pull
after quiet ones, a lost answer is re-sent, a change committed while a pull runs is not
missed, and a change of the user's own scope rules counts too."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.protocol.ids import new_id
from app.server.core.db import make_engine, make_sessionmaker
from app.server.crud import pull, push
from app.server.crud.scope import Viewer
from app.server.models import Device
from tests.server.conftest import Laptop, delete, insert, laptop, new_case, update
from tests.serverproc import ServerProc


def _world(srv: ServerProc) -> tuple[Laptop, str, str, str]:
    """An administrator's laptop and a district and two agencies it created."""
    admin = laptop(srv, "admin")
    district, x, y = new_id(), new_id(), new_id()
    changes = [insert("district", district, code=f"d{district[-8:]}", name="北")]
    changes += [insert("agency", a, code=f"a{a[-8:]}", name="機関") for a in (x, y)]
    assert {r["status"] for r in admin.push(changes)} == {"applied"}
    return admin, district, x, y


def _quiet(dev: Laptop, pulls: int = 3) -> None:
    """Pulls with nothing new in scope: from the second on, the comparison is skipped."""
    for _ in range(pulls):
        dev.sync()


def _edit(admin: Laptop, case_id: str, **fields: Any) -> None:
    """Change case fields from the admin laptop's last known values."""
    admin.sync()
    data = admin.records[("case", case_id)]
    change = update("case", case_id, **{k: (data.get(k), v) for k, v in fields.items()})
    assert admin.push([change])[0]["status"] == "applied"


def test_every_way_into_and_out_of_scope_is_announced_after_quiet_pulls(
    server: ServerProc,
) -> None:
    admin, district, x, y = _world(server)
    worker = laptop(server, "outreach", agency_id=x)
    case = new_case(district_id=district, lead_agency_id=y, consent_status="given")
    cid = case["row_id"]
    assert admin.push([case])[0]["status"] == "applied"
    _quiet(worker)
    assert not worker.sees("case", cid)

    _edit(admin, cid, assigned_staff_id=worker.staff_id)  # assigned to the worker
    worker.sync()
    assert worker.sees("case", cid)
    _quiet(worker)
    _edit(admin, cid, assigned_staff_id=None)  # and no longer
    worker.sync()
    assert worker.purged.count(cid) == 1

    team = insert("case_team_member", case_id=cid, staff_id=worker.staff_id)
    assert admin.push([team])[0]["status"] == "applied"  # on the support team
    worker.records.clear()
    worker.sync()
    assert worker.sees("case", cid)
    _quiet(worker)
    _edit(admin, cid, consent_status="refused")  # consent withdrawn, other lead agency
    worker.sync()
    assert worker.purged.count(cid) == 2
    _quiet(worker)
    _edit(admin, cid, lead_agency_id=x)  # the worker's agency leads it now
    worker.records.clear()
    worker.sync()
    assert worker.sees("case", cid)
    _quiet(worker)
    assert admin.push([delete("case_team_member", team["row_id"])])[0]["status"] == "applied"
    worker.sync()
    assert worker.purged.count(cid) == 3

    # A support meeting on a case without consent: visible once the pledge is signed.
    secret = new_case(district_id=district, lead_agency_id=y, consent_status="refused")
    meeting = insert("support_meeting", kind="shien_kaigi", title="支援会議")
    link = insert("meeting_case", meeting_id=meeting["row_id"], case_id=secret["row_id"])
    attendee = insert(
        "meeting_attendee",
        meeting_id=meeting["row_id"],
        staff_id=worker.staff_id,
        name="出席者",
        pledge_signed=False,
    )
    assert {r["status"] for r in admin.push([secret, meeting, link, attendee])} == {"applied"}
    _quiet(worker)
    assert not worker.sees("case", secret["row_id"])
    signed = update("meeting_attendee", attendee["row_id"], pledge_signed=(False, True))
    assert admin.push([signed])[0]["status"] == "applied"
    worker.sync()
    assert worker.sees("case", secret["row_id"]) and worker.sees(
        "support_meeting", meeting["row_id"]
    )


def test_a_change_of_the_users_own_scope_is_announced(server: ServerProc) -> None:
    admin, district, x, _y = _world(server)
    case = new_case(district_id=district, consent_status="given")
    assert admin.push([case])[0]["status"] == "applied"
    login = f"coord{new_id()[-8:]}"
    user = server.add_user(login, "coordinator", agency_id=x)
    coordinator = Laptop(server, server.enroll(login))
    _quiet(coordinator)
    assert not coordinator.sees("case", case["row_id"])

    def districts(ids: list[str]) -> None:
        r = httpx.patch(
            f"{server.api}/admin/users/{user['id']}",
            json={"district_ids": ids},
            headers=server.admin_headers(),
        )
        assert r.status_code == 200, r.text

    districts([district])  # no record changes: only the user's scope rules
    coordinator.sync()
    assert coordinator.sees("case", case["row_id"])
    _quiet(coordinator)
    districts([])
    coordinator.sync()
    assert coordinator.purged == [case["row_id"]]


def test_a_lost_answer_is_resent_after_quiet_pulls(server: ServerProc) -> None:
    admin = laptop(server, "admin")
    worker = laptop(server, "outreach")
    case = new_case()
    assert admin.push([case])[0]["status"] == "applied"
    _quiet(worker)
    team = insert("case_team_member", case_id=case["row_id"], staff_id=worker.staff_id)
    assert admin.push([team])[0]["status"] == "applied"
    announcing_cursor = worker.cursor
    assert case["row_id"] in {r["id"] for r in worker.pull_page()["records"]}
    _quiet(worker)  # acknowledged, then quiet
    # The laptop comes back from an older cursor (say, restored from a backup made before
    # the announcement): the case is announced again, although nothing changed since.
    worker.cursor = announcing_cursor
    assert case["row_id"] in {r["id"] for r in worker.pull_page()["records"]}


def _session(srv: ServerProc) -> Any:
    return make_sessionmaker(make_engine(srv.database_url))


def test_a_quiet_pull_skips_the_comparison(
    server: ServerProc, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The skip is real: after a comparison that found nothing, the next pull does none."""
    worker = laptop(server, "outreach")
    _quiet(worker, 2)
    sessions = _session(server)
    with sessions() as s:
        device = s.execute(select(Device).where(Device.id == worker.device_id)).scalar_one()
        assert device.scope_seen_at is not None and device.scope_viewer
    viewer = Viewer(0, worker.staff_id, "outreach", None, ())

    def compare(*_args: Any) -> Any:
        raise AssertionError("the scope was compared")

    monkeypatch.setattr(pull, "_scope_diff", compare)
    with sessions() as s, s.begin():
        page = pull.pull(
            s, viewer=viewer, device_id=worker.device_id, cursor=worker.cursor, limit=10
        )
    assert page.records == [] and page.purge == []
    # Another viewer (say, the same user after a role change) is compared again.
    other = Viewer(0, worker.staff_id, "coordinator", None, ())
    with sessions() as s, s.begin(), pytest.raises(AssertionError, match="compared"):
        pull.pull(s, viewer=other, device_id=worker.device_id, cursor=worker.cursor, limit=10)


@pytest.mark.postgres
def test_a_scope_change_committed_during_a_pull_is_announced_next(pg_server: ServerProc) -> None:
    """A push that commits after a pull read the sequence (and whose rows the pull's
    comparison did not see) numbers its scope note above what that pull remembers."""
    admin = laptop(pg_server, "admin")
    worker = laptop(pg_server, "outreach")
    case = new_case()
    assert admin.push([case])[0]["status"] == "applied"
    _quiet(worker)
    sessions = _session(pg_server)
    team = insert("case_team_member", case_id=case["row_id"], staff_id=worker.staff_id)
    viewer = Viewer(0, admin.staff_id, "admin", None, ())
    with sessions() as s, s.begin():
        plan = push.prepare(s, viewer=viewer, device_id=admin.device_id, changes=[team])
        push.write(s, plan)  # written and numbered, not committed yet
        worker.sync()  # compares without seeing it and remembers the sequence it read
        assert not worker.sees("case", case["row_id"])
    worker.sync()
    assert worker.sees("case", case["row_id"])


def test_a_push_is_decided_on_the_current_scope_not_the_last_pulled(server: ServerProc) -> None:
    """A push looks visibility up in device_scope only while no scope change happened since
    the device's last comparison; otherwise the scope statements decide."""
    admin = laptop(server, "admin")
    worker = laptop(server, "outreach")
    case = new_case()
    team = insert("case_team_member", case_id=case["row_id"], staff_id=worker.staff_id)
    assert {r["status"] for r in admin.push([case, team])} == {"applied"}
    _quiet(worker)
    assert worker.sees("case", case["row_id"])

    def note(text: str) -> dict[str, Any]:
        return insert(
            "contact_record",
            case_id=case["row_id"],
            kind="visit",
            contact_at="2026-03-01T10:00:00",
            narrative=text,
        )

    assert worker.push([note("まだ担当")])[0]["status"] == "applied"
    assert admin.push([delete("case_team_member", team["row_id"])])[0]["status"] == "applied"
    result = worker.push([note("担当を外れた後")])[0]  # not pulled since
    assert (result["status"], result["reason"]) == ("rejected", "outside your scope")
    again = insert("case_team_member", case_id=case["row_id"], staff_id=worker.staff_id)
    assert admin.push([again])[0]["status"] == "applied"
    assert worker.push([note("また担当")])[0]["status"] == "applied"  # not pulled either


def test_a_push_after_a_quiet_pull_needs_no_scope_statement(
    server: ServerProc, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = laptop(server, "outreach")
    case = new_case()
    assert worker.push([case])[0]["status"] == "applied"
    _quiet(worker, 2)
    from app.server.crud import push_load

    def evaluate(*_args: Any) -> Any:
        raise AssertionError("the scope was evaluated")

    monkeypatch.setattr(push_load, "visible_among", evaluate)
    viewer = Viewer(0, worker.staff_id, "outreach", None, ())
    edit = update("case", case["row_id"], title=(case["changes"]["title"][1], "見直し"))
    with _session(server)() as s, s.begin():
        plan = push.prepare(s, viewer=viewer, device_id=worker.device_id, changes=[edit])
        assert plan.results[0]["status"] == "applied"
        s.rollback()
    other = Viewer(0, worker.staff_id, "coordinator", None, ())  # not what was compared
    with (
        _session(server)() as s,
        s.begin(),
        pytest.raises(AssertionError, match="evaluated"),
    ):
        push.prepare(s, viewer=other, device_id=worker.device_id, changes=[edit])


@pytest.mark.postgres
def test_both_ways_of_reading_a_page_read_the_same(pg_server: ServerProc) -> None:
    admin = laptop(pg_server, "admin")
    worker = laptop(pg_server, "outreach")
    mine = [new_case() for _ in range(5)]
    assert {r["status"] for r in worker.push(mine)} == {"applied"}
    others = [new_case() for _ in range(5)]
    assert {r["status"] for r in admin.push(others)} == {"applied"}
    edits = [update("case", c["row_id"], notes=(None, "追記")) for c in mine + others]
    assert {r["status"] for r in admin.push(edits)} == {"applied"}
    worker.sync()
    sessions = _session(pg_server)
    with sessions() as s:
        top = pull.sequence.committed_value(s)
        for cursor in range(0, top + 1, max(1, top // 40)):
            for limit in (3, 2000):
                params = {
                    "p_device": worker.device_id,
                    "p_cursor": cursor,
                    "p_top": top,
                    "p_limit": limit,
                }
                window = pull.bulk.run(s, pull._page_statement(False, False), params)
                by_owner = pull.bulk.run(s, pull._page_statement(False, True), params)
                assert by_owner == window, (cursor, limit)


def test_the_master_data_predicate_names_the_master_tables() -> None:
    from app.server.crud.tables import MASTER_TABLES
    from app.server.models import MASTER_PREDICATE

    named = MASTER_PREDICATE.split("IN (", 1)[1].rstrip(")")
    assert {n.strip(" '") for n in named.split(",")} == MASTER_TABLES
