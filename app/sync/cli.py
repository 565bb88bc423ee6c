"""``yorisoi enroll`` and ``yorisoi sync`` (for administrators' scripts: ``--json``)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.context import Context
from app.i18n import pick
from app.sync.engine import SyncEngine, SyncProgress
from app.sync.enroll import enroll
from app.sync.errors import DeviceRevoked, ServerUnreachable


def register(sub: Any) -> None:
    p = sub.add_parser("enroll", help=pick("この端末をサーバーに登録する", "enroll this device"))
    p.add_argument("--server", required=True, help="https://...")
    p.add_argument("--code", required=True, help=pick("登録コード", "one-time enrollment code"))
    p.add_argument("--name", help=pick("端末名", "device name"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_enroll)

    p = sub.add_parser("sync", help=pick("サーバーと同期する", "synchronise with the server"))
    p.add_argument("--json", action="store_true", help=pick("JSONで要約を出力", "JSON summary"))
    p.add_argument("--page-size", type=int, default=2000, help=argparse.SUPPRESS)
    p.add_argument("--quiet", action="store_true", help=pick("進捗を表示しない", "no progress"))
    p.set_defaults(func=_sync)


def _enroll(ctx: Context) -> int:
    store = ctx.open_store()
    result = enroll(store, ctx.args.server, ctx.args.code, device_name=ctx.args.name)
    ctx.emit(
        result,
        pick(
            f"登録しました: {result.staff_name or ''}（端末 {result.device_id}）",
            f"Enrolled as {result.staff_name or ''} (device {result.device_id})",
        ),
    )
    return 0


def _sync(ctx: Context) -> int:
    store = ctx.open_store()
    quiet = ctx.args.quiet or ctx.json or not sys.stderr.isatty()

    def progress(p: SyncProgress) -> None:
        if not quiet:
            total = f"/{p.total}" if p.total is not None else ""
            sys.stderr.write(f"\r{p.phase}: {p.done}{total}   ")
            sys.stderr.flush()

    try:
        summary = SyncEngine(store, page_limit=max(1, min(5000, ctx.args.page_size)),
                             progress=progress).run()  # fmt: skip
    except ServerUnreachable as exc:
        if ctx.json:
            ctx.emit({"ok": False, "error": "server_unreachable", "message": exc.message()})
            return 3
        raise
    except DeviceRevoked as exc:
        if ctx.json and exc.wipe is not None:  # what was erased, for the admin's script
            ctx.emit({"ok": False, "error": "device_revoked", "message": exc.message(),
                      "wipe": exc.wipe.to_json()})  # fmt: skip
        raise  # and the one line on stderr, non-zero exit
    if not quiet:
        sys.stderr.write("\n")
    lines = [
        pick(f"同期しました（サーバー時刻 {summary.server_time}）",
             f"Synced (server time {summary.server_time})"),
        pick(f"送信 {summary.pushed} 件（反映 {summary.applied}、競合 {summary.conflicts}、"
             f"却下 {summary.rejected}）、受信 {summary.pulled} 件",
             f"Pushed {summary.pushed} (applied {summary.applied}, conflicts {summary.conflicts}, "
             f"rejected {summary.rejected}), pulled {summary.pulled}"),
    ]  # fmt: skip
    if summary.open_conflicts or summary.open_rejected:
        lines.append(pick(
            f"未解決の競合 {summary.open_conflicts} 件、却下された変更 {summary.open_rejected} 件",
            f"Open conflicts: {summary.open_conflicts}; rejected changes: {summary.open_rejected}"))  # fmt: skip
    if summary.clock_warning:
        lines.append(pick(
            f"注意: この端末の時計がサーバーと {summary.clock_skew_seconds:.0f} 秒ずれています。",
            f"Warning: this laptop's clock is {summary.clock_skew_seconds:.0f} s off the server's."))  # fmt: skip
    ctx.emit(summary.to_json(), lines)
    return 0
