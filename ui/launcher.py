"""Entry point of the ``yorisoi`` console script.

With a subcommand it runs headless (app.cli, no Qt imported at all); without one it starts the
desktop application. Keeping this dispatch outside app/ keeps the core free of Qt.

Start-up time matters here (``--version`` and ``--help`` in well under 0.2 s, the first window
within a second): this module and ``app.cli.main`` import nothing heavy at the top; each command
imports its own module when it runs.
"""

from __future__ import annotations

import os
import sys


def no_display() -> bool:
    """Linux without an X or Wayland display and no Qt platform chosen: a window cannot open
    (Qt would end the process with an abort)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from app.cli.main import is_headless, run

    if is_headless(args):
        if "self-check" in args:
            from app.cli.commands import EXTRA_CHECKS
            from ui.qtcheck import qt_probe

            EXTRA_CHECKS.append(qt_probe)
        return run(args)
    if no_display() and not any(a.startswith("-platform") for a in args):
        from app.i18n import pick

        sys.stderr.write(
            "yorisoi: "
            + pick(
                "画面（ディスプレイ）がないため起動できません。コマンドは yorisoi --help で確認できます。",
                "No display to open a window on. See yorisoi --help for the commands.",
            )
            + "\n"
        )
        return 2
    from ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
