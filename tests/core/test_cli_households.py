"""``yorisoi household ...``, ``case add --household-id`` and ``person unmerge`` on a real
encrypted file, --json, one-line errors. Most calls run the CLI's ``run`` in this process
(a process start costs seconds on a loaded CI machine); the merge also runs as a real
process."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import run
from app.storage.lifecycle import open_database
from app.storage.models import Case, Household
from tests.conftest import PASSPHRASE
from tests.core import test_cli_followup as proc


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("YORISOI_PASSPHRASE", PASSPHRASE)

    def call(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
        code = run(["--db", str(db), *args])
        out = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out.out, out.err)

    return call


def ok(done: subprocess.CompletedProcess[str]) -> Any:
    return proc.ok(done)


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    return proc.one_line_error(done)


@pytest.fixture
def db(tmp_path: Path, cli: Any) -> Path:
    path = tmp_path / "yorisoi.db"
    ok(cli(path, "init", "--name", "調整 花子", "--role", "coordinator", "--json"))
    return path


def test_household_edit_members_head_merge_and_unmerge(db: Path, cli: Any) -> None:
    yorisoi = cli
    first = ok(yorisoi(db, "case", "add", "--title", "介護の相談", "--person", "尼崎 一郎",
                       "--household", "尼崎さん世帯", "--json"))  # fmt: skip
    hid = first["household_id"]
    # A second case attached to the same household: its new person joins as 子.
    second = ok(yorisoi(db, "case", "add", "--title", "就労の相談", "--person", "尼崎 次郎",
                        "--household-id", hid, "--relationship", "子", "--allow-duplicate",
                        "--json"))  # fmt: skip
    assert second["household_id"] == hid
    shown = ok(yorisoi(db, "household", "show", hid, "--json"))
    assert [(m["person"]["name"], m["is_head"]) for m in shown["members"]] == [
        ("尼崎 一郎", True), ("尼崎 次郎", False)]  # fmt: skip
    head, child = (m["id"] for m in shown["members"])
    edited = ok(yorisoi(db, "household", "edit", hid, "--address", "尼崎市立花町2-3",
                        "--situation", "8050", "--json"))  # fmt: skip
    assert edited["address"] == "尼崎市立花町2-3"
    added = ok(yorisoi(db, "household", "member", "add", hid, "--name", "尼崎 花子",
                       "--relationship", "配偶者", "--json"))  # fmt: skip
    assert len(added["members"]) == 3
    # Errors: one line, non-zero, nothing changed.
    err = one_line_error(yorisoi(db, "household", "member", "leave", head))
    assert "新しい世帯主" in err
    err = one_line_error(yorisoi(db, "household", "head", child))
    assert "続柄" in err
    err = one_line_error(yorisoi(db, "household", "member", "add", hid, "--person-id", "x",
                                 "--name", "y", "--relationship", "子"))  # fmt: skip
    assert "どちらか" in err
    one_line_error(yorisoi(db, "household", "member", "edit", child, "--relationship", "宇宙人"))
    moved = ok(yorisoi(db, "household", "head", child, "--previous-relationship", "父母", "--json"))
    assert [m["person"]["name"] for m in moved["members"] if m["is_head"]] == ["尼崎 次郎"]
    left = ok(yorisoi(db, "household", "member", "leave", head, "--on", "2026-01-31", "--json"))
    assert [m["left_on"] for m in left["former_members"]] == ["2026-01-31"]

    # A duplicate household, merged into the first, then undone.
    dup = ok(yorisoi(db, "case", "add", "--title", "家賃の相談", "--person", "尼崎 三郎",
                     "--household", "尼崎さん世帯（重複）", "--json"))  # fmt: skip
    other = dup["household_id"]
    merged = ok(proc.yorisoi(db, "household", "merge", hid, other, "--json"))  # a real process
    assert merged["moved"]["case"] == 1 and merged["review"] == []
    listed = ok(yorisoi(db, "household", "list", "--json"))
    assert other not in {h["id"] for h in listed["households"]}
    assert ok(yorisoi(db, "household", "show", hid, "--json"))["merged_from"][0]["id"] == other
    err = one_line_error(yorisoi(db, "household", "merge", hid, other))
    assert "すでに別の記録" in err
    undo = ok(yorisoi(db, "household", "unmerge", other, "--json"))
    assert undo["moved_back"]["case"] == 1
    store = open_database(db, PASSPHRASE)
    try:
        with store.session() as s:
            assert s.get(Case, dup["id"]).household_id == other
            assert s.get(Household, other).merged_into_id is None
    finally:
        store.lock()
    assert "統合されていません" in one_line_error(yorisoi(db, "household", "unmerge", other))


def test_person_unmerge_and_refusal_for_outreach(db: Path, tmp_path: Path, cli: Any) -> None:
    yorisoi = cli
    a = ok(yorisoi(db, "case", "add", "--title", "相談", "--person", "武庫 花子", "--json"))
    b = ok(yorisoi(db, "case", "add", "--title", "相談2", "--person", "武庫 花子",
                   "--allow-duplicate", "--json"))  # fmt: skip
    ok(yorisoi(db, "person", "merge", a["person_id"], b["person_id"], "--json"))
    undo = ok(yorisoi(db, "person", "unmerge", b["person_id"], "--json"))
    assert undo["moved_back"]["case"] == 1 and undo["survivor_id"] == a["person_id"]
    # An outreach worker's laptop: the undo is refused, in one line.
    worker = tmp_path / "worker.db"
    ok(yorisoi(worker, "init", "--name", "訪問 一郎", "--role", "outreach", "--json"))
    c = ok(yorisoi(worker, "case", "add", "--title", "相談", "--person", "園田 一郎",
                   "--household", "園田さん世帯", "--json"))  # fmt: skip
    err = one_line_error(yorisoi(worker, "household", "unmerge", c["household_id"]))
    assert "コーディネーター" in err
    err = one_line_error(yorisoi(worker, "person", "unmerge", c["person_id"]))
    assert "コーディネーター" in err
    err = one_line_error(yorisoi(worker, "case", "add", "--title", "x", "--person", "園田 二郎",
                                 "--household-id", c["household_id"]))  # fmt: skip
    assert "--relationship" in err
