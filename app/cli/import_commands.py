"""``yorisoi import resources|cases FILE [--dry-run] [--json]`` and
``yorisoi import template resources|cases --out FILE`` (CSV or .xlsx by the file's suffix)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.context import Context, UsageError
from app.services.import_files import COLUMNS, column_help, read_table, write_template

ACTION_LABELS = {
    "add": "追加", "update": "更新", "unchanged": "変更なし", "skip": "スキップ", "error": "エラー",
}  # fmt: skip


def cmd_import(ctx: Context) -> int:
    from app.services.importer import check_may_import, run_import
    from app.services.profile import current_actor

    a = ctx.args
    path = Path(a.file)
    table = read_table(path, a.kind)  # a malformed file fails here, before the store opens
    with ctx.open_store().session() as s:
        actor = current_actor(s)
        check_may_import(actor)
        report = run_import(s, actor, table, dry_run=a.dry_run)
    c = report.counts
    summary = (
        f"{'ドライラン（書き込みなし）' if report.dry_run else '取り込みました'}: "
        f"追加 {c['add']}・更新 {c['update']}・変更なし {c['unchanged']}・"
        f"スキップ {c['skip']}・エラー {c['error']}（{report.encoding}）"
    )
    lines = [
        f"{r.line:>5}行目  {ACTION_LABELS[r.action]:<6} {r.key}"
        + (f"  — {r.reason}" if r.reason else "")
        for r in report.rows
    ]
    if report.ignored_headers:
        lines.append("使われない列: " + "、".join(report.ignored_headers))
    if report.dry_run and report.has_errors:
        lines.append("エラーの行があるため、このままでは取り込めません。ファイルを直してください。")
    ctx.emit(report, [*lines, summary])
    return 1 if report.dry_run and report.has_errors else 0


def cmd_template(ctx: Context) -> int:
    a = ctx.args
    out = Path(a.out)
    specs = COLUMNS[a.kind]
    if out.exists() and not a.force:
        raise UsageError(
            f"「{out.name}」はすでにあります（上書きは --force）。",
            f"{out.name!r} exists (use --force to overwrite).",
        )
    write_template(out, a.kind)
    cols = [
        {"header": s.ja, "en": s.en, "required": s.required, "how": column_help(s)} for s in specs
    ]
    ctx.emit(
        {"kind": a.kind, "out": str(out), "columns": cols},
        [f"テンプレートを書き出しました / wrote: {out}"]
        + [f"  {s.ja}{'（必須）' if s.required else ''}  {column_help(s)}" for s in specs],
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imp = sub.add_parser("import", help="取り込み: resources|cases FILE, template")
    isub = imp.add_subparsers(dest="import_command", required=True)
    for kind, help_ in (("resources", "地域資源の台帳を取り込む (CSV / .xlsx)"),
                        ("cases", "前のシステムのケースを取り込む (CSV / .xlsx)")):  # fmt: skip
        p = isub.add_parser(kind, help=help_)
        p.add_argument("file", help="CSV (UTF-8 / Shift_JIS) or .xlsx")
        p.add_argument("--dry-run", action="store_true", help="report only, write nothing")
        p.add_argument("--json", action="store_true", help="JSON output")
        p.set_defaults(func=cmd_import, kind=kind)
    p = isub.add_parser("template", help="列見出しだけのテンプレートを書き出す")
    p.add_argument("kind", choices=sorted(COLUMNS))
    p.add_argument("--out", required=True, help="FILE.csv or FILE.xlsx")
    p.add_argument("--force", action="store_true", help="overwrite")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=cmd_template)
