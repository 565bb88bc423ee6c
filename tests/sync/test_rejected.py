"""Changes the server refuses stay on the laptop, marked, and can be fixed, resent, dismissed to
the trash and restored: a real ``yorisoi-server`` process and real encrypted laptops."""

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

from app.services.cases import case_detail
from app.services.profile import current_actor
from app.storage.models import Case, ContactRecord, Household, Person, Referral
from app.sync.rejected import (
    TRASH_DAYS,
    RejectedNotFound,
    dismiss,
    expire_trash,
    list_rejected,
    list_trash,
    reattach,
    restore,
    retry,
)
from tests.serverproc import ServerProc, running_server
from tests.sync.helpers import PASSPHRASE, count, outbox_size
from tests.sync.server_side import Admin, Oracle
from tests.sync.world import AGENCY, Laptop, add_contact, edit_case, make_case, new_laptop

_n = itertools.count()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    with running_server(tmp_path_factory.mktemp("server")) as srv:
        yield srv


@pytest.fixture(scope="module")
def admin(server: ServerProc) -> Admin:
    return Admin.create(server, "rejadmin")


@pytest.fixture
def lap(admin: Admin, tmp_path: Path) -> Iterator[Laptop]:
    laptop = new_laptop(admin, tmp_path, f"rej{next(_n)}")
    laptop.sync()
    yield laptop
    laptop.close()


def local_only_case(lap: Laptop) -> str:
    """A case that exists only on this laptop and is not in its outbox (like demo data)."""
    with lap.store.session(remote=True) as s:
        c = Case(case_number=f"L-{next(_n):04d}", title="端末だけのケース", status="received",
                 lead_agency_id=AGENCY, assigned_staff_id=lap.staff_id)  # fmt: skip
        s.add(c)
        s.flush()
        return c.id


def add_referral(lap: Laptop, case_id: str) -> str:
    with lap.store.session() as s:
        r = Referral(case_id=case_id, receipt_number=f"R-{next(_n)}", account="相談の内容",
                     referral_date=dt.date(2026, 11, 3))  # fmt: skip
        s.add(r)
        s.flush()
        return r.id


def server_has(server: ServerProc, table: str, row_id: str) -> dict | None:
    oracle = Oracle(server)
    try:
        from sqlalchemy import select
        from sqlalchemy.orm import Session

        from app.server.models import Record

        with Session(oracle.engine) as s:
            data = s.scalar(
                select(Record.data).where(Record.table_name == table, Record.id == row_id)
            )
            return json.loads(data) if isinstance(data, str) else data
    finally:
        oracle.close()


def contacts_in(lap: Laptop, case_id: str) -> list[str]:
    with lap.store.session() as s:
        return [c.id for c in case_detail(s, current_actor(s), case_id, audit_view=False).contacts]


def test_refused_records_stay_in_their_case_marked_and_explained(server, lap):
    case_id = local_only_case(lap)
    visit = add_contact(lap.store, case_id, lap.staff_id, "訪問した記録")
    referral = add_referral(lap, case_id)
    summary = lap.sync()
    assert summary.rejected == 2
    # Nothing the worker recorded vanished from the case.
    assert contacts_in(lap, case_id) == [visit]
    assert count(lap.store, "referral", f"id = '{referral}'") == 1
    with lap.store.session() as s:
        detail = case_detail(s, current_actor(s), case_id, audit_view=False)
    assert detail.referrals and detail.referrals[0].id == referral
    assert set(detail.not_accepted) == {visit, referral}
    items = {r.row_id: r for r in list_rejected(lap.store)}
    assert set(items) == {visit, referral}
    item = items[visit]
    assert item.reason == "parent missing: case_id"  # as the server said it
    ja, en = item.reason_text
    assert "ケース" in ja and "付け替え" in ja and "parent missing" not in ja
    assert "case" in en and "parent missing" not in en
    assert item.case_id == case_id and item.record is not None
    assert item.record["narrative"] == "訪問した記録" and item.can_reattach
    # A second sync does not send them again.
    assert lap.sync().pushed == 0 and len(list_rejected(lap.store)) == 2


def test_attach_to_another_case_and_resend_succeeds(server, lap):
    bad_case = local_only_case(lap)
    good_case = make_case(lap.store, assigned=lap.staff_id, team=[lap.staff_id])
    lap.sync()
    visit = add_contact(lap.store, bad_case, lap.staff_id, "付け替える記録")
    assert lap.sync().rejected == 1
    [item] = list_rejected(lap.store)
    with lap.store.session() as s:
        number = s.get(Case, good_case).case_number
    reattach(lap.store, item.op_id, number)
    assert list_rejected(lap.store) == []
    summary = lap.sync()
    assert (summary.applied, summary.rejected) == (1, 0)
    on_server = server_has(server, "contact_record", visit)
    assert on_server is not None and on_server["case_id"] == good_case
    assert on_server["narrative"] == "付け替える記録"
    assert contacts_in(lap, good_case) == [visit] and contacts_in(lap, bad_case) == []


def test_a_refused_parent_holds_its_children_until_it_is_fixed_and_resent(server, lap):
    with lap.store.session(remote=True) as s:
        hh = Household(name="端末だけの世帯")
        s.add(hh)
        s.flush()
        household = hh.id
    with lap.store.session() as s:
        p = Person(name="寄添 一郎", kana="よりそい いちろう")
        s.add(p)
        s.flush()
        c = Case(case_number="H-1", title="世帯のない相談", household_id=household, person_id=p.id,
                 lead_agency_id=AGENCY, assigned_staff_id=lap.staff_id)  # fmt: skip
        s.add(c)
        s.flush()
        case_id = c.id
    visit = add_contact(lap.store, case_id, lap.staff_id, "親を待つ記録")
    summary = lap.sync()
    # The case is refused; its visit is not sent at all (it would only be refused too).
    assert summary.rejected == 1
    [item] = list_rejected(lap.store)
    assert item.table == "case" and item.reason == "parent missing: household_id"
    assert "世帯" in item.reason_text[0]
    assert outbox_size(lap.store) == 1 and server_has(server, "contact_record", visit) is None
    # The worker fixes the case (an ordinary edit, held too) and sends it again.
    assert edit_case(lap.store, case_id, household_id=None, notes="世帯は後で登録")
    assert lap.sync().pushed == 0
    [item] = list_rejected(lap.store)
    assert item.held == 2  # the edit and the visit
    retry(lap.store, item.op_id)
    summary = lap.sync()
    assert (summary.rejected, list_rejected(lap.store)) == (0, [])
    assert outbox_size(lap.store) == 0
    case_on_server = server_has(server, "case", case_id)
    assert case_on_server is not None
    assert case_on_server["household_id"] is None and case_on_server["notes"] == "世帯は後で登録"
    assert server_has(server, "contact_record", visit) is not None


def test_dismiss_moves_to_the_trash_and_restore_brings_it_back(server, lap):
    case_id = local_only_case(lap)
    visit = add_contact(lap.store, case_id, lap.staff_id, "ごみ箱に入れる記録")
    lap.sync()
    [item] = list_rejected(lap.store)
    trash_id = dismiss(lap.store, item.op_id)
    assert list_rejected(lap.store) == [] and contacts_in(lap, case_id) == []
    with pytest.raises(RejectedNotFound):
        dismiss(lap.store, item.op_id)
    [trashed] = list_trash(lap.store)
    assert trashed.id == trash_id and trashed.rows == 1
    assert trashed.expires_at - trashed.trashed_at == dt.timedelta(days=TRASH_DAYS)
    # Kept inside the encrypted database: not readable without the passphrase.
    assert "ごみ箱に入れる記録".encode() not in lap.path.read_bytes()
    # Not expired before its time, even by a sync.
    assert expire_trash(lap.store, dt.datetime.now() + dt.timedelta(days=TRASH_DAYS - 1)) == 0
    lap.sync()
    assert len(list_trash(lap.store)) == 1
    restore(lap.store, trash_id)
    assert list_trash(lap.store) == [] and contacts_in(lap, case_id) == [visit]
    [again] = list_rejected(lap.store)
    assert again.op_id == item.op_id and again.record["narrative"] == "ごみ箱に入れる記録"
    # After restoring it can still be fixed and sent.
    good = make_case(lap.store, assigned=lap.staff_id, team=[lap.staff_id])
    reattach(lap.store, again.op_id, good)
    assert lap.sync().rejected == 0
    assert server_has(server, "contact_record", visit) is not None
    # Past the keeping time, the trash forgets.
    bad2 = local_only_case(lap)
    add_contact(lap.store, bad2, lap.staff_id, "古い記録")
    lap.sync()
    dismiss(lap.store, list_rejected(lap.store)[0].op_id)
    assert expire_trash(lap.store, dt.datetime.now() + dt.timedelta(days=TRASH_DAYS + 1)) == 1


def test_a_refused_edit_stays_on_the_record_until_dismissed_then_shows_the_server(
    server, admin, tmp_path
):
    worker = new_laptop(admin, tmp_path, f"edit{next(_n)}")
    boss = new_laptop(admin, tmp_path, f"boss{next(_n)}", "admin")
    try:
        case_id = make_case(worker.store, assigned=worker.staff_id, team=[worker.staff_id])
        worker.sync(), boss.sync()
        long_title = "長" * 230  # the server allows 200 characters; this laptop did not check
        assert edit_case(worker.store, case_id, title=long_title)
        assert edit_case(boss.store, case_id, title="管理者が直した主訴")
        boss.sync()
        summary = worker.sync()  # refused, then the boss's version is pulled
        assert summary.rejected == 1
        [item] = list_rejected(worker.store)
        assert item.op == "update" and item.reason == "title: longer than 200"
        assert "200" in item.reason_text[0] and "主訴" in item.reason_text[0]
        with worker.store.session() as s:
            assert s.get(Case, case_id).title == long_title  # still what the worker typed
        assert item.changes["title"] == ["管理者が直した主訴", long_title]  # based on the server
        dismiss(worker.store, item.op_id)
        with worker.store.session() as s:
            assert s.get(Case, case_id).title == "管理者が直した主訴"
        assert worker.sync().pushed == 0
        [trashed] = list_trash(worker.store)
        restore(worker.store, trashed.id)
        with worker.store.session() as s:
            assert s.get(Case, case_id).title == long_title
        [item] = list_rejected(worker.store)
        assert edit_case(worker.store, case_id, title="長" * 150)
        retry(worker.store, item.op_id)
        assert worker.sync().rejected == 0
        assert server_has(server, "case", case_id)["title"] == "長" * 150
    finally:
        worker.close(), boss.close()


def test_cli_lists_retries_dismisses_and_restores(server, lap):
    case_id = local_only_case(lap)
    visit = add_contact(lap.store, case_id, lap.staff_id, "CLIで扱う記録")
    lap.sync()
    good = make_case(lap.store, assigned=lap.staff_id, team=[lap.staff_id])
    with lap.store.session() as s:
        good_number = s.get(Case, good).case_number
    lap.store.lock()
    env = {**os.environ, "YORISOI_PASSPHRASE": PASSPHRASE, "YORISOI_LANG": "en"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app.cli.main", "--db", str(lap.path),
                               *args], env=env, capture_output=True, text=True, timeout=120)  # fmt: skip

    listed = cli("sync", "rejected", "--json")
    assert listed.returncode == 0, listed.stderr
    [item] = json.loads(listed.stdout)
    assert item["row_id"] == visit and item["record"]["narrative"] == "CLIで扱う記録"
    assert item["reason"] == "parent missing: case_id" and "case" in item["reason_en"]
    assert "ケース" in item["reason_ja"]
    refused = cli("sync", "dismiss", item["op_id"])  # no --yes, no terminal: refused
    assert refused.returncode != 0 and "--yes" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    done = cli("sync", "dismiss", item["op_id"], "--yes", "--json")
    assert done.returncode == 0, done.stderr
    trash_id = json.loads(done.stdout)["trash_id"]
    trash = json.loads(cli("sync", "trash", "--json").stdout)
    assert [t["id"] for t in trash] == [trash_id]
    assert cli("sync", "restore", trash_id).returncode == 0
    again = cli("sync", "reattach", item["op_id"], "--case", good_number, "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(cli("sync", "rejected", "--json").stdout) == []
    bad = cli("sync", "retry", "no-such-op")
    assert bad.returncode != 0 and "refused change" in bad.stderr
    assert json.loads(cli("sync", "conflicts", "--json").stdout) == []
    synced = cli("sync", "--json")
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout)["rejected"] == 0
    assert server_has(server, "contact_record", visit)["case_id"] == good
    lap.restart()
    with lap.store.session() as s:
        assert s.get(ContactRecord, visit).case_id == good
