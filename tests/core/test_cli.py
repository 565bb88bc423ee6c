"""The headless CLI as a user runs it: real processes, real encrypted files, JSON output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE


def run(args: list[str], home: Path, passphrase: str | None = PASSPHRASE, **env: str):
    e = {k: v for k, v in os.environ.items() if not k.startswith("YORISOI_")}
    e.update({"YORISOI_HOME": str(home), "YORISOI_LANG": "ja", **env})
    if passphrase is not None:
        e["YORISOI_PASSPHRASE"] = passphrase
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", *args], capture_output=True, text=True, env=e,
        stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip


@pytest.fixture
def home(tmp_path: Path) -> Path:
    h = tmp_path / "cli-home"
    r = run(["init", "--name", "試験 太郎", "--role", "coordinator"], h)
    assert r.returncode == 0, r.stderr
    r = run(["demo", "--persons", "200", "--json"], h)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["persons"] == 200
    return h


def test_case_workflow(home):
    r = run(["case", "list", "--json", "--limit", "5"], home)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["total"] == 200 and len(data["cases"]) == 5
    number = data["cases"][0]["case_number"]
    r = run(
        ["case", "update", number, "--set", "status=支援中", "--set", "urgency=高", "--json"], home
    )
    assert r.returncode == 0, r.stderr
    shown = json.loads(r.stdout)
    assert shown["status"] == "supporting" and shown["urgency"] == "high"
    r = run(
        ["visit", "add", number, "--kind", "電話", "--narrative", "電話で様子を確認", "--json"],
        home,
    )
    assert r.returncode == 0, r.stderr
    r = run(["case", "show", number, "--json"], home)
    detail = json.loads(r.stdout)
    assert detail["contacts"][0]["narrative"] == "電話で様子を確認"
    name = detail["person"]["name"]
    r = run(["case", "search", name.split()[0], "--json"], home)
    assert number in [c["case_number"] for c in json.loads(r.stdout)["cases"]]


def test_referrals(home):
    r = run(["referral", "list", "--json"], home)
    rows = json.loads(r.stdout)
    assert rows, r.stderr
    r = run(["referral", "show", rows[0]["receipt_number"], "--json"], home)
    assert r.returncode == 0 and json.loads(r.stdout)["receipt_number"] == rows[0]["receipt_number"]


@pytest.mark.parametrize(
    "args, needle",
    [
        (["case", "update", "2099-999999", "--set", "status=支援中"], "見つかりません"),
        (["case", "list", "--status", "宇宙"], "使えません"),
        (["visit", "add", "x", "--narrative", "a", "--at", "yesterday"], "見つかりません"),
        (["case", "lsit"], "引数"),
    ],
)
def test_bad_input_gives_one_line_no_traceback(home, args, needle):
    r = run(args, home)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert needle in r.stderr
    assert len(r.stderr.strip().splitlines()) <= 3


def test_wrong_passphrase_and_missing_passphrase(home):
    r = run(["case", "list"], home, passphrase="totally wrong passphrase")
    assert r.returncode == 2 and "パスフレーズが違います" in r.stderr
    r = run(["case", "list"], home, passphrase=None)
    assert r.returncode == 2 and "YORISOI_PASSPHRASE" in r.stderr


def test_backup_rekey_restore(home, tmp_path):
    out = tmp_path / "b.db"
    assert run(["backup", str(out)], home).returncode == 0
    new = "violet tundra kettle harmonica"
    r = run(["rekey"], home, YORISOI_NEW_PASSPHRASE=new)
    assert r.returncode == 0, r.stderr
    assert run(["case", "list"], home).returncode == 2
    assert run(["case", "list"], home, passphrase=new).returncode == 0
    r = run(["restore", str(out), "--json"], home)  # the backup has the old passphrase
    assert r.returncode == 0, r.stderr
    assert run(["case", "list"], home).returncode == 0


def test_english_messages(home):
    r = run(["case", "list"], home, passphrase="totally wrong passphrase", YORISOI_LANG="en")
    assert "Wrong passphrase" in r.stderr


def test_self_check():
    r = run(["self-check", "--json"], Path("/tmp/unused-home"), passphrase=None)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["ok"] and report["sqlcipher"].startswith("4.")
