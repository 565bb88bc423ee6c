"""What every CLI command gets: the parsed arguments, the passphrase, the store, and output."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import Any

from app.domain.errors import YorisoiError
from app.domain.records import Actor
from app.i18n import pick
from app.storage import passphrase as pp
from app.storage.cipher import OpenAhead
from app.storage.db import Store
from app.storage.lifecycle import open_database
from app.storage.paths import default_db_path


class UsageError(YorisoiError):
    pass


def parse_sets(items: list[str] | None) -> dict[str, str]:
    """``--set field=value`` items as a dict (the last of a repeated field wins)."""
    values: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise UsageError(
                f"--set は 項目=値 の形で指定してください（{item}）。",
                f"--set takes field=value ({item!r}).",
            )
        key, value = item.split("=", 1)
        values[key.strip()] = value.strip()
    return values


def to_jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(asdict(value))
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


@dataclass
class Context:
    args: argparse.Namespace
    _store: Store | None = field(default=None, repr=False)
    # The database this command will likely open, keyed and checked on a thread while the
    # command was imported (app.cli.main.open_ahead); open_store() uses it for that file and
    # passphrase only.
    ahead: OpenAhead | None = field(default=None, repr=False)

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    def db_path(self) -> Path:
        db = getattr(self.args, "db", None)
        return Path(db) if db else default_db_path(getattr(self.args, "profile", "default"))

    def passphrase(self, *, prompt_ja: str = "パスフレーズ", prompt_en: str = "Passphrase",
                   env: bool = True, confirm: bool = False) -> str:  # fmt: skip
        if env:
            value = pp.from_env()
            if value:
                return value
        if not sys.stdin.isatty():
            raise UsageError(
                f"パスフレーズが必要です。環境変数 {pp.ENV_VAR} で渡してください。",
                f"A passphrase is needed. Pass it in the {pp.ENV_VAR} environment variable.",
            )
        value = getpass.getpass(pick(prompt_ja, prompt_en) + ": ")
        if confirm and getpass.getpass(pick("もう一度", "Again") + ": ") != value:
            raise UsageError("パスフレーズが一致しません。", "The passphrases do not match.")
        return value

    def open_store(self) -> Store:
        if self._store is None:
            path, secret = self.db_path(), self.passphrase()
            keyed = None
            if self.ahead is not None:
                keyed, self.ahead = self.ahead.take(path, secret), None
            self._store = open_database(path, secret, keyed=keyed)
        return self._store

    def actor(self) -> Actor:
        from app.services.profile import current_actor

        with self.open_store().session() as s:
            return current_actor(s)

    def close(self) -> None:
        if self.ahead is not None:
            self.ahead.close()
            self.ahead = None
        if self._store is not None:
            self._store.lock()
            self._store = None

    def emit(self, data: Any, text: str | list[str] | None = None) -> None:
        """Print ``data`` as JSON with --json, else ``text`` (or a readable JSON rendering)."""
        if self.json or text is None:
            json.dump(
                to_jsonable(data), sys.stdout, ensure_ascii=False, indent=None if self.json else 2
            )
            sys.stdout.write("\n")
            return
        lines = [text] if isinstance(text, str) else text
        for line in lines:
            print(line)
