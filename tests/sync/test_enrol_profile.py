"""A laptop set up the way a person does it (``yorisoi init``, ``case add``, ``demo``), then
enrolled with a real ``yorisoi-server``: the profile binds to the server's staff record, a demo
profile is refused, and scripts can create cases validated like the case editor."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.storage.lifecycle import open_database
from app.storage.models import Case, ContactRecord, Staff
from app.sync import state
from app.sync.engine import SyncEngine
from app.sync.rejected import list_rejected
from tests.serverproc import ServerProc, running_server
from tests.sync.helpers import PASSPHRASE, count
from tests.sync.server_side import Admin
from tests.sync.test_rejected import server_has


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    with running_server(tmp_path_factory.mktemp("server")) as srv:
        yield srv


@pytest.fixture(scope="module")
def admin(server: ServerProc) -> Admin:
    return Admin.create(server, "profadmin")


def yorisoi(db: Path, *args: str, lang: str = "ja") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YORISOI_")}
    env.update({"YORISOI_PASSPHRASE": PASSPHRASE, "YORISOI_LANG": lang,
                "YORISOI_HOME": str(db.parent / "home")})  # fmt: skip
    return subprocess.run([sys.executable, "-m", "app.cli.main", "--db", str(db), *args],
                          env=env, capture_output=True, text=True, timeout=180,
                          stdin=subprocess.DEVNULL)  # fmt: skip


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def test_fresh_laptop_binds_to_the_servers_staff_record_and_pushes_nothing_refused(
    server, admin, tmp_path
):
    user = admin.add_user("fresh1", "outreach", agency_id=None)
    db = tmp_path / "fresh" / "yorisoi.db"
    made = yorisoi(db, "init", "--name", "新人 太郎", "--json")
    assert made.returncode == 0, made.stderr
    local_staff = json.loads(made.stdout)["staff_id"]
    # Offline work before enrolling: a case (assigned to the local profile) and a visit.
    added = yorisoi(db, "case", "add", "--title", "家賃の相談", "--person", "寄添 花子",
                    "--kana", "よりそい はなこ", "--household", "寄添さん世帯", "--json")  # fmt: skip
    assert added.returncode == 0, added.stderr
    case = json.loads(added.stdout)
    visit = yorisoi(db, "visit", "add", case["case_number"], "--narrative", "初回訪問", "--json")
    assert visit.returncode == 0, visit.stderr
    enrolled = yorisoi(db, "enroll", "--server", server.url, "--code", admin.code(user["id"]),
                       "--json")  # fmt: skip
    assert enrolled.returncode == 0, enrolled.stderr
    synced = yorisoi(db, "sync", "--json")
    assert synced.returncode == 0, synced.stderr
    summary = json.loads(synced.stdout)
    assert summary["rejected"] == 0 and summary["open_rejected"] == 0, summary
    assert summary["applied"] >= 5
    store = open_database(db, PASSPHRASE)
    try:
        assert list_rejected(store) == []
        with store.session() as s:
            assert s.get(Staff, local_staff) is None
            assert s.get(Staff, user["staff_id"]) is not None
            c = s.get(Case, case["id"])
            assert c.assigned_staff_id == user["staff_id"]
            [record] = s.query(ContactRecord).all()
            assert record.staff_id == user["staff_id"]
        assert count(store, "outbox") == 0
        assert count(store, "audit_event", f"actor_staff_id = '{local_staff}'") == 0
    finally:
        store.lock()
    on_server = server_has(server, "case", case["id"])
    assert on_server is not None and on_server["assigned_staff_id"] == user["staff_id"]
    assert server_has(server, "staff", local_staff) is None


def test_a_demo_profile_refuses_to_enrol_and_an_enrolled_one_refuses_demo_data(
    server, admin, tmp_path
):
    user = admin.add_user("demo1", "outreach", agency_id=None)
    demo_db = tmp_path / "demo" / "yorisoi.db"
    assert yorisoi(demo_db, "demo", "--persons", "20").returncode == 0
    code = admin.code(user["id"])
    for lang, word in (("ja", "デモ"), ("en", "demo")):
        refused = yorisoi(demo_db, "enroll", "--server", server.url, "--code", code, lang=lang)
        assert word in one_line_error(refused)
    store = open_database(demo_db, PASSPHRASE)
    try:
        assert state.enrollment(store) is None
    finally:
        store.lock()
    # The code was not spent: a real profile can still use it.
    real_db = tmp_path / "real" / "yorisoi.db"
    assert yorisoi(real_db, "init", "--name", "実務 花子").returncode == 0
    assert yorisoi(real_db, "enroll", "--server", server.url, "--code", code).returncode == 0
    for lang, word in (("ja", "デモ"), ("en", "demo")):
        refused = yorisoi(real_db, "demo", "--persons", "20", lang=lang)
        assert word in one_line_error(refused)
    store = open_database(real_db, PASSPHRASE)
    try:
        assert count(store, "case") == 0 and count(store, "person") == 0
        summary = SyncEngine(store).run()
        assert summary.rejected == 0
    finally:
        store.lock()


def test_case_add_validates_like_the_editor_and_writes_nothing_on_an_error(tmp_path):
    db = tmp_path / "cli" / "yorisoi.db"
    assert yorisoi(db, "init", "--name", "入力 太郎").returncode == 0
    bad = [
        (["--title", "   "], "主訴"),
        (["--title", "相談", "--person", " "], "氏名"),
        (["--title", "相談", "--person", "寄添 次郎", "--birth-date", "2999-01-01"], "未来"),
        (["--title", "相談", "--status", "謎の状態"], "status"),
        (["--title", "相談", "--district", "no_such_district"], "地区"),
        (["--title", "相談", "--issue", "nonsense"], "issue"),
        (["--title", "長" * 201], "200"),
        (["--title", "相談", "--consent-date", "2026/13/01"], "YYYY-MM-DD"),
    ]
    for args, word in bad:
        done = yorisoi(db, "case", "add", *args, "--json")
        assert word in one_line_error(done), (args, done.stderr)
    store = open_database(db, PASSPHRASE)
    try:
        for table in ("case", "person", "household", "household_member"):
            assert count(store, table) == 0, table
    finally:
        store.lock()
    english = yorisoi(db, "case", "add", "--title", " ", lang="en")
    assert "title" in one_line_error(english).lower()
    ok = yorisoi(db, "case", "add", "--title", "ひきこもりの相談", "--person", "寄添 三郎",
                 "--birth-date", "1980-05-06", "--sex", "男", "--district", "chuo",
                 "--status", "支援中", "--urgency", "高", "--issue", "hikikomori",
                 "--issue", "income", "--household", "寄添さん世帯", "--json")  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    made = json.loads(ok.stdout)
    case = made["case"]
    assert case["status"] == "supporting" and case["urgency"] == "high"
    assert case["issue_categories"] == ["hikikomori", "income"]
    assert case["person"]["name"] == "寄添 三郎" and case["household"]["name"] == "寄添さん世帯"
    assert case["district_name"] and made["case_number"].count("-") == 1
    shown = yorisoi(db, "case", "show", made["case_number"], "--json")
    assert json.loads(shown.stdout)["id"] == made["id"]
