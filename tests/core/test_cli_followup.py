"""``yorisoi todo``, ``caseload``, ``case reassign``, ``case add`` duplicate warning and
``person merge`` as a user runs them: real processes on a real encrypted file, --json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.storage.lifecycle import open_database
from app.storage.models import Case, Person, Staff
from tests.conftest import PASSPHRASE


def yorisoi(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YORISOI_")}
    env.update({"YORISOI_PASSPHRASE": PASSPHRASE, "YORISOI_LANG": "ja",
                "YORISOI_HOME": str(db.parent / "home")})  # fmt: skip
    return subprocess.run([sys.executable, "-m", "app.cli.main", "--db", str(db), *args],
                          env=env, capture_output=True, text=True, timeout=180,
                          stdin=subprocess.DEVNULL)  # fmt: skip


def ok(done: subprocess.CompletedProcess[str]) -> dict:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "yorisoi.db"
    ok(yorisoi(path, "init", "--name", "調整 花子", "--role", "coordinator", "--json"))
    store = open_database(path, PASSPHRASE)
    try:
        with store.session() as s:
            s.add(Staff(id="00000000-0000-7000-8000-00000000aaaa", name="前任 一郎"))
            s.add(Staff(id="00000000-0000-7000-8000-00000000bbbb", name="後任 二郎"))
    finally:
        store.lock()
    return path


OLD, NEW = "00000000-0000-7000-8000-00000000aaaa", "00000000-0000-7000-8000-00000000bbbb"


def test_case_add_warns_of_duplicates_then_merge(db: Path) -> None:
    first = ok(yorisoi(db, "case", "add", "--title", "家賃の相談", "--person", "髙橋 花子",
                       "--kana", "たかはし はなこ", "--phone", "06-1234-5678", "--json"))  # fmt: skip
    again = yorisoi(db, "case", "add", "--title", "別の相談", "--person", "高橋　花子",
                    "--phone", "０６-１２３４-５６７８", "--json")  # fmt: skip
    assert again.returncode == 3
    assert "--allow-duplicate" in one_line_error(again)
    listed = json.loads(again.stdout)
    assert listed["error"] == "possible_duplicates"
    [cand] = listed["candidates"]
    assert cand["person_id"] == first["person_id"]
    assert set(cand["reasons"]) == {"name", "phone"} and cand["case_numbers"]
    # Nothing was written by the refused add.
    assert ok(yorisoi(db, "case", "list", "--json"))["total"] == 1
    # Pick the existing person, or insist it is someone else.
    same = ok(yorisoi(db, "case", "add", "--title", "別の相談", "--person-id",
                      first["person_id"], "--json"))  # fmt: skip
    assert same["person_id"] == first["person_id"]
    forced = ok(yorisoi(db, "case", "add", "--title", "三つ目", "--person", "高橋 花子",
                        "--allow-duplicate", "--json"))  # fmt: skip
    assert forced["person_id"] != first["person_id"]
    dup = ok(yorisoi(db, "person", "duplicates", "--kana", "ﾀｶﾊｼ ﾊﾅｺ", "--json"))
    assert first["person_id"] in {c["person_id"] for c in dup["candidates"]}
    merged = ok(yorisoi(db, "person", "merge", first["person_id"], forced["person_id"], "--json"))
    assert merged["kept_id"] == first["person_id"] and merged["moved"]["case"] == 1
    store = open_database(db, PASSPHRASE)
    try:
        with store.session() as s:
            assert s.get(Case, forced["id"]).person_id == first["person_id"]
            assert s.get(Person, forced["person_id"]).merged_into_id == first["person_id"]
    finally:
        store.lock()
    err = one_line_error(yorisoi(db, "person", "merge", first["person_id"],
                                 forced["person_id"], "--json"))  # fmt: skip
    assert "統合されています" in err
    assert "見つかりません" in one_line_error(
        yorisoi(db, "case", "add", "--title", "x", "--person-id", "nobody")
    )


def test_reassign_caseload_and_todo(db: Path) -> None:
    ids = [
        ok(yorisoi(db, "case", "add", "--title", f"相談{i}", "--person", f"別人{i} 太郎",
                   "--assigned", OLD, "--json"))["id"]
        for i in range(2)
    ]  # fmt: skip
    load = ok(yorisoi(db, "caseload", "--json"))
    assert {r["staff_id"]: r["total"] for r in load}[OLD] == 2
    drill = ok(yorisoi(db, "caseload", "--staff", OLD, "--json"))
    assert set(drill["case_ids"]) == set(ids)
    moved = ok(yorisoi(db, "case", "reassign", "--all-of", OLD, "--to", NEW, "--reason", "異動",
                       "--note", "週1回電話", "--json"))  # fmt: skip
    assert set(moved["moved"]) == set(ids) and moved["to_staff_id"] == NEW
    assert OLD not in {r["staff_id"] for r in ok(yorisoi(db, "caseload", "--json"))}
    todo = ok(yorisoi(db, "todo", "--team", "--kind", "task", "--staff", NEW, "--json"))
    assert {i["case_id"] for i in todo["items"]} == set(ids)
    assert all(i["text"] == "引き継ぎ（異動）: 週1回電話" for i in todo["items"])
    assert todo["counts"]["task"] == 2 and todo["thresholds"]["no_contact_days"] == 30
    mine = ok(yorisoi(db, "todo", "--set", "no_contact_days=45", "--json"))
    assert mine["scope"] == "mine" and mine["thresholds"]["no_contact_days"] == 45
    assert "理由" in one_line_error(
        yorisoi(db, "case", "reassign", ids[0], "--to", OLD, "--reason", " ", "--json")
    )
    assert "見つかりません" in one_line_error(
        yorisoi(db, "case", "reassign", "no-such-case", "--to", OLD, "--reason", "x")
    )
    assert "3650" in one_line_error(yorisoi(db, "todo", "--set", "no_contact_days=-1"))
    assert one_line_error(yorisoi(db, "todo", "--today", "tomorrow"))
