"""Entry point of the ``yorisoi`` console script.

With a subcommand it runs headless (app.cli, no Qt imported at all); without one it starts the
desktop application. Keeping this dispatch outside app/ keeps the core free of Qt.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from app.cli.main import is_headless, run

    if is_headless(args):
        if "self-check" in args:
            from app.cli.commands import EXTRA_CHECKS
            from ui.qtcheck import qt_probe

            EXTRA_CHECKS.append(qt_probe)
        return run(args)
    from ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
