"""``yorisoi`` headless commands. Errors become one clear line on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import sys
from collections.abc import Callable

from app import __version__
from app.cli.context import Context
from app.domain.errors import YorisoiError
from app.i18n import pick

log = logging.getLogger("yorisoi.cli")

# Modules that add subcommands: each has ``register(subparsers)``; parsers set ``func(ctx)``.
COMMAND_MODULES = (
    "app.cli.commands",
    "app.cli.case_commands",
    "app.reports.cli",
    "app.sync.cli",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"yorisoi: {pick('引数が正しくありません', 'bad arguments')}: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="yorisoi", description="Yorisoi (寄り添い) case management")
    parser.add_argument("--version", action="version", version=f"yorisoi {__version__}")
    parser.add_argument("--db", help="database file (default: the profile in the user data folder)")
    parser.add_argument("--profile", default="default", help="profile name")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is None:
            continue
        importlib.import_module(name).register(sub)
    return parser


def subcommand_names() -> set[str]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def is_headless(argv: list[str]) -> bool:
    if any(a in ("-h", "--help", "--version") for a in argv):
        return True
    names = subcommand_names()
    return any(a in names for a in argv if not a.startswith("-"))


def run(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[Context], int | None] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    ctx = Context(args)
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
