"""The CLI opens the database on a thread while it imports (app.cli.main.open_ahead): the key
is derived and the file checked once, in that thread, when the command opens the file it was
opened for; anything else falls back to the usual open with its usual errors. In process, on
a real encrypted file."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from app.cli import main
from app.storage import cipher, db, lifecycle
from app.storage.db import Store
from tests.conftest import PASSPHRASE


@pytest.fixture
def locked(store: Store, db_path: Path) -> Path:
    store.lock()
    return db_path


def _threads_of(monkeypatch: pytest.MonkeyPatch, name: str, *modules: object) -> list[str]:
    """The thread of every call of ``name`` (patched in each module that holds it)."""
    seen: list[str] = []
    real = getattr(cipher, name)

    def counted(*args: object) -> object:
        seen.append(threading.current_thread().name)
        return real(*args)

    for module in modules:
        monkeypatch.setattr(module, name, counted)
    return seen


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The thread of every key derivation (every ``open_keyed``)."""
    return _threads_of(monkeypatch, "open_keyed", cipher, db)


def test_case_list_derives_the_key_and_checks_once_ahead(locked, opens, monkeypatch, capsys):
    checks = _threads_of(monkeypatch, "quick_check", cipher, lifecycle)
    monkeypatch.setenv("YORISOI_PASSPHRASE", PASSPHRASE)
    assert main.run(["--db", str(locked), "case", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"total": 0, "cases": []}
    assert opens == ["yorisoi-open-ahead"] and checks == ["yorisoi-open-ahead"]
    assert not [t for t in threading.enumerate() if t.name == "yorisoi-open-ahead"]


def test_a_damaged_file_is_reported_by_the_usual_open(locked, monkeypatch, capsys):
    with locked.open("r+b") as f:  # the page after the first: a table's page, its HMAC fails
        f.seek(4096 + 100)
        f.write(b"\xff" * 64)
    checks = _threads_of(monkeypatch, "quick_check", cipher, lifecycle)
    monkeypatch.setenv("YORISOI_PASSPHRASE", PASSPHRASE)
    assert main.run(["--db", str(locked), "case", "list"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "破損" in err
    assert checks == ["yorisoi-open-ahead", "MainThread"]


def test_wrong_passphrase_is_the_usual_one_line_error(locked, opens, monkeypatch, capsys):
    monkeypatch.setenv("YORISOI_PASSPHRASE", "not the passphrase at all")
    assert main.run([f"--db={locked}", "case", "list"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "パスフレーズ" in err
    assert opens == ["yorisoi-open-ahead", "MainThread"]  # the usual open gave the error


def test_no_head_start_when_it_cannot_help(locked, tmp_path, monkeypatch):
    monkeypatch.setenv("YORISOI_PASSPHRASE", PASSPHRASE)
    missing = tmp_path / "none" / "yorisoi.db"
    for argv in (
        ["--db", str(locked), "restore", "x.bak"],  # replaces the file: never opened ahead
        ["--db", str(locked), "init"],
        ["--db", str(locked), "case", "list", "--help"],
        ["--db", str(missing), "case", "list"],  # sqlite would create it
        ["--version"],
        [],
    ):
        assert main.open_ahead(argv) is None, argv
    assert not missing.exists() and not missing.parent.exists()
    monkeypatch.delenv("YORISOI_PASSPHRASE")  # it would be asked for: not ahead
    assert main.open_ahead(["--db", str(locked), "case", "list"]) is None
    assert main.OPEN_AHEAD.issubset(main.COMMANDS)


def test_global_options_as_argparse_reads_them():
    assert main._global_options(["case", "list"]) == (None, "default")
    assert main._global_options(["--db", "a.db", "--profile", "p", "case"]) == ("a.db", "p")
    assert main._global_options(["--db=a.db", "--profile=p", "case"]) == ("a.db", "p")
    # Options after the command word belong to the command.
    assert main._global_options(["case", "--db", "b.db"]) == (None, "default")


def test_take_gives_the_connection_only_for_the_same_file_and_key(locked, tmp_path):
    ahead = cipher.OpenAhead(locked, PASSPHRASE)
    assert ahead.take(locked, "another passphrase") is None
    ahead = cipher.OpenAhead(locked, PASSPHRASE)
    assert ahead.take(tmp_path / "other.db", PASSPHRASE) is None
    ahead = cipher.OpenAhead(locked, PASSPHRASE)
    keyed = ahead.take(locked, PASSPHRASE)
    assert keyed is not None and keyed.checked
    assert keyed.conn.execute("SELECT count(*) FROM staff").fetchone() == (0,)
    keyed.conn.close()
    ahead.close()  # nothing left to close: harmless
    ahead = cipher.OpenAhead(locked, "wrong")
    assert ahead.take(locked, "wrong") is None  # failed: the caller opens and reports
    ahead = cipher.OpenAhead(locked, PASSPHRASE)
    ahead.close()  # never taken: closed
    assert ahead.take(locked, PASSPHRASE) is None
