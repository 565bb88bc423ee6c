"""End to end against a real ``yorisoi-server`` process over loopback HTTP."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.storage.models import Case, CaseTeamMember
from app.sync import state
from app.sync.conflicts import list_conflicts, resolve_conflict
from app.sync.errors import DeviceRevoked, EnrollmentFailed, UpgradeRequired
from app.sync.rejected import list_rejected
from tests.serverproc import ServerProc, running_server
from tests.sync.helpers import PASSPHRASE, count, outbox_size, snapshot
from tests.sync.server_side import Admin, Oracle, canonical
from tests.sync.world import Laptop, add_contact, edit_case, fresh_db, make_case, new_laptop

CASE_TABLES = {"person", "household", "household_member", "case", "case_team_member",
               "contact_record", "staff"}  # fmt: skip
_n = itertools.count()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    with running_server(tmp_path_factory.mktemp("server")) as srv:
        yield srv


@pytest.fixture(scope="module")
def admin(server: ServerProc) -> Admin:
    return Admin.create(server, "e2eadmin")


@pytest.fixture
def pair(admin: Admin, tmp_path: Path) -> Iterator[tuple[Laptop, Laptop]]:
    k = next(_n)
    a, b = new_laptop(admin, tmp_path, f"a{k}"), new_laptop(admin, tmp_path, f"b{k}")
    a.sync(), b.sync()  # staff directory on both
    yield a, b
    a.close(), b.close()


def in_scope(server: ServerProc, lap: Laptop) -> None:
    """The laptop holds exactly what the server lets it see (within the compared tables)."""
    oracle = Oracle(server)
    try:
        expected = oracle.visible(lap.login, CASE_TABLES)
    finally:
        oracle.close()
    got = {k: canonical(k[0], v) for k, v in snapshot(lap.store, sorted(CASE_TABLES)).items()}
    assert got == expected


def test_typed_work_reaches_the_other_laptop(server, pair):
    a, b = pair
    case_id = make_case(a.store, assigned=b.staff_id, team=[a.staff_id, b.staff_id])
    add_contact(a.store, case_id, a.staff_id)
    s = a.sync()
    assert (s.pushed, s.applied, s.rejected) == (7, 7, 0) and outbox_size(a.store) == 0
    s = b.sync()
    assert s.pulled >= 6 and count(b.store, "case", f"id = '{case_id}'") == 1
    in_scope(server, a), in_scope(server, b)
    again = b.sync()  # nothing new: a replayed pull changes nothing
    assert again.pulled == 0 and snapshot(b.store) == snapshot(b.store)


def test_edits_on_both_sides_conflict_and_the_resolution_syncs(server, pair):
    a, b = pair
    case_id = make_case(a.store, assigned=b.staff_id, team=[a.staff_id, b.staff_id])
    a.sync(), b.sync()
    edit_case(a.store, case_id, status="supporting", notes="Aのメモ")
    edit_case(b.store, case_id, status="watching", urgency="high")
    a.sync()
    s = b.sync()
    assert s.conflicts == 1 and s.open_conflicts == 1
    [c] = list_conflicts(b.store)
    assert (c.field, c.mine, c.theirs, c.theirs_by) == ("status", "watching", "supporting", a.login)
    with b.store.session() as sess:
        row = sess.get(Case, case_id)
        assert (row.status, row.urgency, row.notes) == ("supporting", "high", "Aのメモ")
    resolve_conflict(b.store, c.id, "mine")
    assert b.sync().applied == 1
    a.sync()
    with a.store.session() as sess:
        assert sess.get(Case, case_id).status == "watching"
    in_scope(server, a), in_scope(server, b)


def test_delete_against_an_edit_is_a_conflict(server, pair):
    a, b = pair
    case_id = make_case(a.store, assigned=b.staff_id, team=[a.staff_id, b.staff_id])
    a.sync(), b.sync()
    edit_case(a.store, case_id, notes="追記")
    edit_case(b.store, case_id, deleted=True)
    a.sync()
    s = b.sync()
    assert s.conflicts == 1
    fields = {c.field for c in list_conflicts(b.store)}
    assert fields == {"notes", "deleted"}
    with b.store.session() as sess:
        assert sess.get(Case, case_id).deleted is False  # still there, as on the server
    in_scope(server, b)


def test_case_moving_between_laptops_is_purged_and_arrives_whole(server, admin, pair, tmp_path):
    a, b = pair
    c = new_laptop(admin, tmp_path, f"c{next(_n)}")
    c.sync()
    a.sync(), b.sync()
    case_id = make_case(a.store, assigned=b.staff_id, team=[b.staff_id])
    add_contact(a.store, case_id, a.staff_id, "Aの記録")
    a.sync(), b.sync()
    assert count(b.store, "contact_record", f"case_id = '{case_id}'") == 1
    add_contact(b.store, case_id, b.staff_id, "Bがオフラインで書いた記録")
    # The coordinator (here an administrator's laptop) hands the case over to c.
    boss = new_laptop(admin, tmp_path, f"boss{next(_n)}", role="admin")
    boss.sync()
    edit_case(boss.store, case_id, assigned_staff_id=c.staff_id)
    with boss.store.session() as sess:
        for m in sess.scalars(select(CaseTeamMember).where(CaseTeamMember.case_id == case_id)):
            m.staff_id = c.staff_id
    assert boss.sync().rejected == 0
    boss.close()
    s = b.sync()
    # b's pending record was pushed first (refused now: no longer b's case, and listed), then
    # the case and everything it holds left b's laptop.
    assert s.rejected == 1 and s.purged_cases == 1
    assert [r.reason for r in list_rejected(b.store)] == ["outside your scope"]
    for table, where in (("case", f"id = '{case_id}'"), ("contact_record", f"case_id = '{case_id}'"),
                         ("case_team_member", f"case_id = '{case_id}'")):  # fmt: skip
        assert count(b.store, table, where) == 0, table
    c.sync()
    assert count(c.store, "contact_record", f"case_id = '{case_id}'") == 1
    assert count(c.store, "household_member") >= 1
    in_scope(server, b), in_scope(server, c)
    c.close()


def test_revoked_device_is_wiped(admin, pair):
    a, _b = pair
    make_case(a.store, assigned=a.staff_id, team=[a.staff_id])
    admin.revoke(a.device_id)
    with pytest.raises(DeviceRevoked) as err:
        a.sync()
    assert "消去" in err.value.message("ja") and "erased" in err.value.message("en")
    assert not a.path.exists() and a.store.is_locked


def test_upgrade_required_keeps_local_work(pair, monkeypatch):
    a, _b = pair
    make_case(a.store, assigned=a.staff_id, team=[a.staff_id])
    before = outbox_size(a.store)
    monkeypatch.setattr("app.sync.transport.SCHEMA_VERSION", 999)
    with pytest.raises(UpgradeRequired):
        a.sync()
    assert outbox_size(a.store) == before > 0


def test_clock_skew_is_reported_not_used(pair):
    a, _b = pair
    ahead = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(minutes=9)  # noqa: E731
    s = a.sync(clock=ahead)
    assert s.clock_warning and 530 < s.clock_skew_seconds < 560
    assert not a.sync().clock_warning
    last = a.sync()
    assert last.server_time and last.server_time == state.read(a.store, "last_sync")["server_time"]


def test_bad_code_is_a_clear_error(server, tmp_path):
    from app.sync.enroll import enroll

    store = fresh_db(tmp_path / "x" / "yorisoi.db")
    with pytest.raises(EnrollmentFailed):
        enroll(store, server.url, "NOT-A-CODE")
    assert state.enrollment(store) is None
    store.lock()


def test_cli_enroll_and_sync_print_json(server, admin, tmp_path):
    user = admin.add_user(f"cli{next(_n)}", "outreach")
    db = tmp_path / "cli" / "yorisoi.db"
    env = {**os.environ, "YORISOI_PASSPHRASE": PASSPHRASE, "YORISOI_HOME": str(tmp_path / "h")}
    run = lambda *a: subprocess.run([sys.executable, "-m", "app.cli.main", "--db", str(db), *a],  # noqa: E731
                                    capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    fresh_db(db).lock()
    done = run("enroll", "--server", server.url, "--code", admin.code(user["id"]), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["staff_id"] == user["staff_id"]
    done = run("sync", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["ok"] and summary["initial_complete"] and summary["pulled"] > 0
    again = run("enroll", "--server", "http://example.org", "--code", "x")
    assert again.returncode == 2 and "https" in again.stderr + again.stdout


def test_case_pushed_in_a_later_batch_than_its_person_and_household(server, pair):
    """Batches split by size: the person, household and membership go first, the case after.
    The laptop's own new case must not be refused as 'outside your scope'."""
    a, _b = pair
    case_id = make_case(a.store, assigned=a.staff_id, team=[a.staff_id])
    s = a.sync(push_limit=1)
    assert s.rejected == 0 and s.applied == s.pushed == 5, s
    assert outbox_size(a.store) == 0
    assert count(a.store, "case", f"id = '{case_id}'") == 1
    in_scope(server, a)
