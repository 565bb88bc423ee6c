"""``yorisoi enroll`` and ``yorisoi sync`` (for administrators' scripts: ``--json``), and what a
sync leaves for a person to decide:

    yorisoi sync conflicts [--json]                 open conflicts, with base / mine / theirs
    yorisoi sync resolve ID --keep mine|theirs|merged [--value JSON]
    yorisoi sync rejected [--json]                  refused changes, with values and reasons
    yorisoi sync retry OP_ID                        send a refused change again
    yorisoi sync reattach OP_ID --case CASE         attach a refused record to another case
    yorisoi sync dismiss OP_ID --yes                move it to the trash (restorable, 90 days)
    yorisoi sync trash [--json]  /  yorisoi sync restore TRASH_ID
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.cli.context import Context, UsageError
from app.i18n import pick
from app.protocol.limits import DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT
from app.sync.conflicts import list_conflicts, resolve_conflict
from app.sync.engine import SyncEngine, SyncProgress
from app.sync.enroll import enroll
from app.sync.errors import DeviceRevoked, ServerUnreachable
from app.sync.rejected import (
    TRASH_DAYS,
    dismiss,
    list_rejected,
    list_trash,
    reattach,
    restore,
    retry,
)


def register(sub: Any) -> None:
    p = sub.add_parser("enroll", help=pick("この端末をサーバーに登録する", "enroll this device"))
    p.add_argument("--server", required=True, help="https://...")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--code", help=pick("登録コード", "one-time enrollment code"))
    how.add_argument("--login", help=pick("パスワードで登録するログイン名（既に登録済みの端末はそのまま）",
                                          "log in with a password (an enrolled laptop keeps its device)"))  # fmt: skip
    p.add_argument("--password-stdin", action="store_true",
                   help=pick("パスワードを標準入力から読む", "read the password from stdin"))  # fmt: skip
    p.add_argument("--name", help=pick("端末名", "device name"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_enroll)

    p = sub.add_parser("sync", help=pick("サーバーと同期する", "synchronise with the server"))
    p.add_argument("--json", action="store_true", help=pick("JSONで要約を出力", "JSON summary"))
    p.add_argument("--page-size", type=int, default=DEFAULT_PULL_LIMIT, help=argparse.SUPPRESS)
    p.add_argument("--quiet", action="store_true", help=pick("進捗を表示しない", "no progress"))
    p.set_defaults(func=_sync)
    sub2 = p.add_subparsers(dest="sync_command")

    def add(name: str, help_ja: str, help_en: str) -> argparse.ArgumentParser:
        q: argparse.ArgumentParser = sub2.add_parser(name, help=pick(help_ja, help_en))
        q.add_argument("--json", action="store_true", help="JSON output")
        return q

    q = add("conflicts", "未解決の競合を一覧する", "list open conflicts")
    q.set_defaults(func=_conflicts)
    q = add("resolve", "競合を解決する", "resolve a conflict")
    q.add_argument("conflict_id")
    q.add_argument("--keep", required=True, choices=("mine", "theirs", "merged"))
    q.add_argument("--value", help=pick("統合した値（JSON）", "merged value (JSON)"))
    q.set_defaults(func=_resolve)
    q = add("rejected", "サーバーが受け付けなかった変更を一覧する", "list refused changes")
    q.set_defaults(func=_rejected)
    q = add("retry", "受け付けられなかった変更をもう一度送る", "send a refused change again")
    q.add_argument("op_id")
    q.set_defaults(func=_retry)
    q = add("reattach", "受け付けられなかった記録を別のケースに付け替えて送る",
            "attach a refused record to another case and send it again")  # fmt: skip
    q.add_argument("op_id")
    q.add_argument(
        "--case", required=True, help=pick("ケースIDまたはケース番号", "case id or number")
    )
    q.set_defaults(func=_reattach)
    q = add(
        "dismiss", "受け付けられなかった変更をごみ箱に移す", "move a refused change to the trash"
    )
    q.add_argument("op_id")
    q.add_argument("--yes", action="store_true", help=pick("確認済み", "confirmed"))
    q.set_defaults(func=_dismiss)
    q = add("trash", "ごみ箱を一覧する", "list the trash")
    q.set_defaults(func=_trash)
    q = add("restore", "ごみ箱から元に戻す", "restore from the trash")
    q.add_argument("trash_id")
    q.set_defaults(func=_restore)


def _enroll(ctx: Context) -> int:
    a = ctx.args
    password = None
    if a.login:
        if a.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            import getpass

            password = getpass.getpass(pick("パスワード: ", "Password: "))
        if not password:
            raise UsageError("パスワードを入力してください。", "Enter the password.")
    store = ctx.open_store()
    result = enroll(store, a.server, a.code, device_name=a.name, login=a.login, password=password)
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
        summary = SyncEngine(store, page_limit=max(1, min(MAX_PULL_LIMIT, ctx.args.page_size)),
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


def _conflicts(ctx: Context) -> int:
    items = list_conflicts(ctx.open_store())
    ctx.emit(
        [{"id": c.id, "table": c.table, "row_id": c.row_id, "label": c.row_label,
          "field": c.field, "base": c.base, "mine": c.mine, "theirs": c.theirs,
          "theirs_by": c.theirs_by, "theirs_at": c.theirs_at, "can_keep_mine": c.can_keep_mine}
         for c in items],
        [f"{c.id}  {pick(*c.table_label)} {c.row_label} {c.field}: "
         f"{pick('この端末', 'mine')}={c.mine!r} / {pick('他', 'theirs')}={c.theirs!r} "
         f"({c.theirs_by or '?'} {c.theirs_at or ''})" for c in items]
        + [pick(f"（{len(items)} 件）", f"({len(items)})")],
    )  # fmt: skip
    return 0


def _resolve(ctx: Context) -> int:
    value = None
    if ctx.args.keep == "merged":
        if ctx.args.value is None:
            raise UsageError(
                "--keep merged には --value が必要です。", "--keep merged needs --value."
            )
        try:
            value = json.loads(ctx.args.value)
        except ValueError:
            value = ctx.args.value  # plain text
    resolve_conflict(ctx.open_store(), ctx.args.conflict_id, ctx.args.keep, value)
    ctx.emit({"id": ctx.args.conflict_id, "resolution": ctx.args.keep},
             pick("解決しました。次回の同期で送信します。", "Resolved; sent at the next sync."))  # fmt: skip
    return 0


def _rejected(ctx: Context) -> int:
    items = list_rejected(ctx.open_store())
    lines = []
    for r in items:
        lines.append(f"{r.op_id}  {pick(*r.table_label)} {r.row_label}")
        lines.append(f"    {pick(*r.reason_text)}")
        if r.held:
            lines.append("    " + pick(f"この記録を待っている変更: {r.held} 件",
                                       f"changes waiting for it: {r.held}"))  # fmt: skip
    lines.append(pick(f"（{len(items)} 件）", f"({len(items)})"))
    ctx.emit([r.to_json() for r in items], lines)
    return 0


def _retry(ctx: Context) -> int:
    op = retry(ctx.open_store(), ctx.args.op_id)
    ctx.emit({"op_id": ctx.args.op_id, "queued_op_id": op},
             pick("次回の同期でもう一度送信します。", "It will be sent again at the next sync."))  # fmt: skip
    return 0


def _reattach(ctx: Context) -> int:
    op = reattach(ctx.open_store(), ctx.args.op_id, ctx.args.case)
    ctx.emit({"op_id": ctx.args.op_id, "queued_op_id": op, "case": ctx.args.case},
             pick("付け替えました。次回の同期で送信します。",
                  "Attached to the case; it will be sent at the next sync."))  # fmt: skip
    return 0


def _dismiss(ctx: Context) -> int:
    if not ctx.args.yes:
        if not sys.stdin.isatty():
            raise UsageError(
                "取り消すには --yes を付けてください（ごみ箱から90日間は元に戻せます）。",
                "Add --yes to dismiss it (it can be restored from the trash for 90 days).",
            )
        answer = input(pick("この変更をごみ箱に移しますか？ [y/N] ",
                            "Move this change to the trash? [y/N] "))  # fmt: skip
        if answer.strip().lower() not in ("y", "yes", "はい"):
            return 1
    trash_id = dismiss(ctx.open_store(), ctx.args.op_id)
    ctx.emit({"op_id": ctx.args.op_id, "trash_id": trash_id},
             pick(f"ごみ箱に移しました（{TRASH_DAYS}日間は元に戻せます: yorisoi sync restore "
                  f"{trash_id}）", f"Moved to the trash (restorable for {TRASH_DAYS} days: "
                  f"yorisoi sync restore {trash_id})"))  # fmt: skip
    return 0


def _trash(ctx: Context) -> int:
    items = list_trash(ctx.open_store())
    ctx.emit([t.to_json() for t in items],
             [f"{t.id}  {pick(*t.table_label)} {t.label}  ({pick('期限', 'until')} "
              f"{t.expires_at:%Y-%m-%d})" for t in items]
             + [pick(f"（{len(items)} 件）", f"({len(items)})")])  # fmt: skip
    return 0


def _restore(ctx: Context) -> int:
    op_id = restore(ctx.open_store(), ctx.args.trash_id)
    ctx.emit({"trash_id": ctx.args.trash_id, "op_id": op_id},
             pick("元に戻しました（却下された変更の一覧に戻ります）。",
                  "Restored (back in the list of refused changes)."))  # fmt: skip
    return 0
