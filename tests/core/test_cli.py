"""The headless CLI as a user runs it: real processes, real encrypted files, JSON output."""

from __future__ import annotations

import argparse
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


def _no_display(**extra: str) -> dict[str, str]:
    """Run as on a server or over SSH: no X or Wayland display, no Qt platform chosen."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY",
                                                            "QT_QPA_PLATFORM")}  # fmt: skip
    env.update(extra)
    return env


def run_bare(args: list[str], home: Path, env: dict[str, str]):
    e = {k: v for k, v in env.items() if not k.startswith("YORISOI_")}
    e.update({"YORISOI_HOME": str(home), "YORISOI_LANG": "ja"})
    e.update({k: v for k, v in env.items() if k.startswith("YORISOI_")})
    return subprocess.run(
        [sys.executable, "-m", "ui.launcher", *args], capture_output=True, text=True, env=e,
        stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip


def test_self_check_works_without_a_display(tmp_path):
    r = run_bare(["self-check", "--json"], tmp_path / "h", _no_display())
    assert r.returncode == 0, r.stderr  # it aborted with 134 (no Qt platform plugin)
    report = json.loads(r.stdout)
    assert report["ok"] and report["display"] is False
    assert report["qt_platform"] == "offscreen" and report["qt"].startswith("6.")
    assert report["font"] == "IPAexGothic"
    assert "db" not in report


def test_self_check_checks_the_db_database(home, tmp_path):
    db = home / "profiles" / "default" / "yorisoi.db"
    env = _no_display(YORISOI_PASSPHRASE=PASSPHRASE)
    for args in (
        ["self-check", "--db", str(db), "--json"],
        ["--db", str(db), "self-check", "--json"],
    ):
        r = run_bare(args, home, env)
        assert r.returncode == 0, r.stderr
        checked = json.loads(r.stdout)["db"]
        assert checked["ok"] and checked["opened"] and checked["encrypted"]
        assert checked["integrity"] == "ok"
        assert (
            checked["schema"] == "current" and checked["schema_revision"] == checked["schema_head"]
        )
    before = db.read_bytes()
    r = run_bare(["self-check", "--db", str(db), "--json"], home,
                 _no_display(YORISOI_PASSPHRASE="totally wrong passphrase"))  # fmt: skip
    assert r.returncode == 1
    checked = json.loads(r.stdout)["db"]
    assert not checked["ok"] and checked["opened"] is False
    assert "パスフレーズが違います" in checked["error"]
    assert db.read_bytes() == before  # a check writes nothing
    # A damaged copy: one page overwritten in the middle of the file.
    bad = tmp_path / "bad.db"
    data = bytearray(before)
    page = len(data) // 4096 // 2
    data[page * 4096 + 100 : page * 4096 + 164] = bytes(64)
    bad.write_bytes(bytes(data))
    r = run_bare(["self-check", "--db", str(bad), "--json"], home, env)
    assert r.returncode == 1, r.stderr
    checked = json.loads(r.stdout)["db"]
    assert checked["opened"] and checked["integrity"] == "damaged" and not checked["ok"]
    assert "破損" in checked["error"]
    # No passphrase at all: one line, the usual usage error.
    r = run_bare(["self-check", "--db", str(db)], home, _no_display())
    assert r.returncode == 2 and "YORISOI_PASSPHRASE" in r.stderr and "Traceback" not in r.stderr
    r = run_bare(["self-check", "--db", str(tmp_path / "none.db"), "--json"], home, env)
    assert r.returncode == 1 and "見つかりません" in json.loads(r.stdout)["db"]["error"]


def test_command_table_matches_what_the_modules_register():
    import importlib

    from app.cli.main import COMMAND_MODULES, COMMANDS

    registered: dict[str, str] = {}
    for name in COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(name).register(sub)
        registered.update(dict.fromkeys(sub.choices, name))
    assert registered == {cmd: module for cmd, (module, _help) in COMMANDS.items()}


def test_every_command_in_the_table_imports_and_registers():
    """Each entry, loaded the lazy way ``yorisoi <command>`` loads it, gives the real parser (with
    its own options or subcommands), never the one-line stub used for ``--help``."""
    from app.cli.main import COMMAND_MODULES, COMMANDS, build_parser

    assert set(COMMAND_MODULES) == {module for module, _help in COMMANDS.values()}
    for name, (module, _help) in COMMANDS.items():
        assert module.startswith("app.cli."), f"{name}: the CLI is one package ({module})"
        parser = build_parser(name)
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        real = sub.choices[name]
        assert real.add_help, f"{name}: still the stub"
        own = [a for a in real._actions if not isinstance(a, argparse._HelpAction)]
        assert own or real.get_default("func"), f"{name}: {module} registered an empty parser"
        # The stubs for every other command are still there (for --help and dispatch).
        assert set(sub.choices) == set(COMMANDS)


def test_a_missing_command_module_is_an_error_not_a_silent_stub(monkeypatch, capsys):
    from app.cli import main

    monkeypatch.setitem(main.COMMANDS, "ghost", ("app.cli.no_such_module", "never there"))
    with pytest.raises(main.CommandTableError, match="no_such_module"):
        main.build_parser("ghost")
    assert main.run(["ghost", "--json"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("yorisoi: ") and "app.cli.no_such_module" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    # A module that imports but does not register the command it is listed for.
    monkeypatch.setitem(main.COMMANDS, "ghost", ("app.cli.commands", "not its command"))
    with pytest.raises(main.CommandTableError, match="did not add"):
        main.build_parser("ghost")
    monkeypatch.setitem(main.COMMANDS, "ghost", ("app.cli.context", "no register()"))
    with pytest.raises(main.CommandTableError, match="register"):
        main.build_parser("ghost")


_IMPORTS = """
import sys
from ui.launcher import main
try:
    rc = main(sys.argv[1:])
except SystemExit as exc:
    rc = exc.code
heavy = ("sqlalchemy", "alembic", "reportlab", "httpx", "PySide6", "app.storage.db", "pypdf",
         "zxcvbn", "app.services.caseload", "app.services.duplicates", "app.services.worklist",
         "app.services.referrals", "app.services.visits", "app.reports.redaction")
print("IMPORTED", sorted(m for m in heavy if m in sys.modules), file=sys.stderr)
"""


def _imported(args: list[str], home: Path) -> list[str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("YORISOI_")}
    e.update({"YORISOI_HOME": str(home), "YORISOI_PASSPHRASE": PASSPHRASE})
    r = subprocess.run([sys.executable, "-c", _IMPORTS, *args], capture_output=True, text=True,
                       env=e, stdin=subprocess.DEVNULL, timeout=120)  # fmt: skip
    line = [x for x in r.stderr.splitlines() if x.startswith("IMPORTED")][-1]
    return json.loads(line.split(" ", 1)[1].replace("'", '"'))


def test_version_and_help_import_nothing_heavy(home):
    assert _imported(["--version"], home) == []
    assert _imported(["--help"], home) == []
    # A command imports its own module only: listing cases needs the store, not ReportLab,
    # httpx or Qt; opening a database already at the head needs neither Alembic nor zxcvbn.
    used = _imported(["case", "list", "--json"], home)
    assert "app.storage.db" in used
    assert not {"reportlab", "pypdf", "httpx", "PySide6", "alembic", "zxcvbn"} & set(used)
    # Nor the services of the other case commands, which case_commands and followup_commands
    # import inside the commands that use them (issue 17 item 11: 0.03 s of every start).
    assert not {"app.services.caseload", "app.services.duplicates", "app.services.worklist",
                "app.services.referrals", "app.services.visits",
                "app.reports.redaction"} & set(used)  # fmt: skip


def test_desktop_start_without_a_display_is_one_clear_line(tmp_path):
    r = run_bare([], tmp_path / "h", _no_display())
    assert r.returncode == 2  # Qt used to abort (134) with a page about platform plugins
    assert r.stderr.strip().splitlines() == [
        "yorisoi: 画面（ディスプレイ）がないため起動できません。コマンドは yorisoi --help で確認できます。"
    ]
