"""The CLI derives the database key on a thread while it imports (app.cli.main.open_ahead):
the key is derived once, in that thread, when the command opens the file it was derived for;
anything else falls back to the usual open with its usual errors. In process, on a real
encrypted file."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from app.cli import main
from app.storage import cipher, db
from app.storage.db import Store
from tests.conftest import PASSPHRASE


@pytest.fixture
def locked(store: Store, db_path: Path) -> Path:
    store.lock()
    return db_path


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The thread of every key derivation (every ``open_keyed``)."""
    seen: list[str] = []
    real = cipher.open_keyed

    def counted(path: Path, passphrase: str | None) -> object:
        seen.append(threading.current_thread().name)
        return real(path, passphrase)

    monkeypatch.setattr(cipher, "open_keyed", counted)
    monkeypatch.setattr(db, "open_keyed", counted)
    return seen


def test_case_list_derives_the_key_once_ahead(locked, opens, monkeypatch, capsys):
    monkeypatch.setenv("YORISOI_PASSPHRASE", PASSPHRASE)
    assert main.run(["--db", str(locked), "case", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"total": 0, "cases": []}
    assert opens == ["yorisoi-open-ahead"]
    assert not [t for t in threading.enumerate() if t.name == "yorisoi-open-ahead"]


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
    conn = ahead.take(locked, PASSPHRASE)
    assert conn.execute("SELECT count(*) FROM staff").fetchone() == (0,)
    conn.close()
    ahead.close()  # nothing left to close: harmless
    ahead = cipher.OpenAhead(locked, "wrong")
    assert ahead.take(locked, "wrong") is None  # failed: the caller opens and reports
    ahead = cipher.OpenAhead(locked, PASSPHRASE)
    ahead.close()  # never taken: closed
    assert ahead.take(locked, PASSPHRASE) is None
