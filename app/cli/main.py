"""``yorisoi`` headless commands. Errors become one clear line on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app import __version__
from app.domain.errors import YorisoiError
from app.i18n import pick

if TYPE_CHECKING:
    from app.cli.context import Context
    from app.storage.cipher import OpenAhead

log = logging.getLogger("yorisoi.cli")

# Modules that add subcommands, all inside this package (the library packages app.sync,
# app.reports, app.services and app.storage never import app.cli; tests/core/test_architecture.py
# checks): each has ``register(subparsers)``; parsers set ``func(ctx)``.
COMMAND_MODULES = (
    "app.cli.commands",
    "app.cli.case_commands",
    "app.cli.meeting_commands",
    "app.cli.report_commands",
    "app.cli.sync_commands",
    "app.cli.followup_commands",
    "app.cli.stats_commands",
    "app.cli.import_commands",
    "app.cli.household_commands",
)

# Each top-level command, the module that defines it, and its line in ``yorisoi --help``.
# Only the module of the command being run is imported: the others pull in SQLAlchemy, the
# store, ReportLab or httpx, which ``--version``, ``--help`` and the desktop start do not need
# (tests/core/test_cli.py checks this table against what the modules register).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": (
        "app.cli.commands",
        "暗号化データベースを作成 / create an encrypted database for this laptop's user",
    ),
    "demo": (
        "app.cli.commands",
        "デモデータ（架空）を入れる / fill the database with fictional demo data",
    ),
    "backup": ("app.cli.commands", "バックアップ（暗号化） / write an encrypted, consistent copy"),
    "restore": (
        "app.cli.commands",
        "バックアップから復元 / replace the database with a backup, atomically",
    ),
    "rekey": ("app.cli.commands", "パスフレーズを変更 / change the passphrase"),
    "self-check": (
        "app.cli.commands",
        "動作確認 / check this installation (and the --db database)",
    ),
    "case": (
        "app.cli.case_commands",
        "ケースの一覧・検索・表示・更新 / list, search, show and update cases",
    ),
    "referral": ("app.cli.case_commands", "つなぎ（うけとめ・つなげるシート） / referral sheets"),
    "visit": ("app.cli.case_commands", "訪問・連絡の記録 / contact records"),
    "meeting": ("app.cli.meeting_commands", "支援会議 / support meetings"),
    "print": ("app.cli.report_commands", "帳票をPDFで出力 / print a document to PDF"),
    "enroll": ("app.cli.sync_commands", "この端末をサーバーに登録する / enrol this laptop"),
    "sync": ("app.cli.sync_commands", "サーバーと同期する / synchronise with the server"),
    "todo": ("app.cli.followup_commands", "やること / visits, tasks and replies due"),
    "caseload": (
        "app.cli.followup_commands",
        "担当ケース数（コーディネーター） / cases by worker (coordinators)",
    ),
    "person": (
        "app.cli.followup_commands",
        "重複する人の候補・統合・取消 / likely duplicate persons, merge, unmerge",
    ),
    "household": (
        "app.cli.household_commands",
        "世帯（構成員・世帯主・統合・取消） / households: members, head, merge, unmerge",
    ),
    "report": ("app.cli.stats_commands", "実績報告（地区別の件数） / activity report"),
    "import": ("app.cli.import_commands", "取り込み / import resources or cases (CSV, .xlsx)"),
}
_GLOBAL_WITH_VALUE = ("--db", "--profile")

# Commands all of whose subcommands begin by opening the database with the usual passphrase:
# for them the key is derived (and a small file's quick_check run) on a thread while the
# command's modules (SQLAlchemy, the models) import, which takes the key derivation's ~0.1 s
# off the start on any machine with a second core (``open_ahead``; the derivation itself is
# unchanged). Not for commands that create, replace or rekey the file, or may not open it.
OPEN_AHEAD = frozenset(
    {"case", "referral", "visit", "meeting", "print", "todo", "caseload", "person", "report",
     "sync"}
)  # fmt: skip


class CommandTableError(RuntimeError):
    """``COMMANDS`` names a module that cannot be imported or does not register its command: a
    broken installation or a defect of the table, never a user's mistake."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"yorisoi: {pick('引数が正しくありません', 'bad arguments')}: {message}\n")
        raise SystemExit(2)


def command_of(argv: list[str]) -> str | None:
    """The top-level command named in ``argv`` (its first word after the global options)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _GLOBAL_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def _global_options(argv: list[str]) -> tuple[str | None, str]:
    """``--db`` and ``--profile`` as given before the command (argparse has the last word)."""
    values: dict[str, str | None] = {"--db": None, "--profile": "default"}
    words = iter(argv)
    for arg in words:
        name, eq, value = arg.partition("=")
        if name in values:
            values[name] = value if eq else next(words, None)
        elif not arg.startswith("-"):
            break
    return values["--db"], values["--profile"] or "default"


def open_ahead(argv: list[str]) -> OpenAhead | None:
    """Start opening the database ``argv``'s command will open (see OPEN_AHEAD),
    when the passphrase is in the environment and the file exists; None otherwise. Only a head
    start: ``Context.open_store`` uses it when it opens that file with that passphrase, and
    opens the usual way (with the usual errors) otherwise."""
    if command_of(argv) not in OPEN_AHEAD or any(a in ("-h", "--help") for a in argv):
        return None
    from app.storage.passphrase import from_env

    secret = from_env()
    if not secret:
        return None
    from app.storage.paths import default_db_path

    db, profile = _global_options(argv)
    path = Path(db) if db else default_db_path(profile)
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None  # sqlite would create it; the command reports it missing
    except OSError:
        return None
    from app.storage.cipher import OpenAhead

    return OpenAhead(path, secret)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; ``command``'s module is imported and registers its real subparsers, every
    other command is a one-line entry (enough for ``--help`` and for the dispatch)."""
    parser = _Parser(prog="yorisoi", description="Yorisoi (寄り添い) case management")
    parser.add_argument("--version", action="version", version=f"yorisoi {__version__}")
    parser.add_argument("--db", help="database file (default: the profile in the user data folder)")
    parser.add_argument("--profile", default="default", help="profile name")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    if command in COMMANDS:
        module = COMMANDS[command][0]
        # Imported by name so that only this command's dependencies load (startup time); a
        # module that is missing or does not register its command is a defect of this table,
        # so it fails loudly instead of falling back to the one-line stub below.
        try:
            register = importlib.import_module(module).register
        except (ImportError, AttributeError) as exc:
            raise CommandTableError(f"{module}: {type(exc).__name__}: {exc}") from exc
        register(sub)
        if command not in sub.choices:
            raise CommandTableError(f"{module}.register() did not add the command {command!r}")
    for name, (_module, help_) in COMMANDS.items():
        if name not in sub.choices:
            sub.add_parser(name, help=help_, add_help=False)
    return parser


def subcommand_names() -> set[str]:
    return set(COMMANDS)


def is_headless(argv: list[str]) -> bool:
    if any(a in ("-h", "--help", "--version") for a in argv):
        return True
    return command_of(argv) in COMMANDS


def run(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    ahead = open_ahead(argv)  # first, so the key derivation overlaps the imports below
    try:
        return _run(argv, ahead)
    finally:
        if ahead is not None:
            ahead.close()


def _run(argv: list[str], ahead: OpenAhead | None) -> int:
    try:
        parser = build_parser(command_of(argv))
    except CommandTableError as exc:
        log.debug("command table", exc_info=True)
        sys.stderr.write(
            "yorisoi: "
            + pick(
                f"コマンドを読み込めません（インストールが壊れています）: {exc}",
                f"cannot load the command (broken installation): {exc}",
            )
            + "\n"
        )
        return 1
    args = parser.parse_args(argv)
    func: Callable[[Context], int | None] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    from app.cli.context import Context

    ctx = Context(args, ahead=ahead)
    try:
        return int(func(ctx) or 0)
    except YorisoiError as exc:
        sys.stderr.write(f"yorisoi: {exc.message()}\n")
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        sys.stderr.write(pick("中断しました。\n", "Interrupted.\n"))
        return 130
    except Exception as exc:  # the one boundary: no traceback, no data in the message
        log.debug("unexpected error", exc_info=True)
        sys.stderr.write(
            "yorisoi: "
            + pick(
                f"予期しないエラーが発生しました（{type(exc).__name__}）。データは変更されていません。",
                f"Unexpected error ({type(exc).__name__}). No data was changed.",
            )
            + "\n"
        )
        return 1
    finally:
        ctx.close()


def main() -> int:
    return run(sys.argv[1:])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
