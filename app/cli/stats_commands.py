"""``yorisoi report``: the 実績報告 of the desktop's report screen, for scripts.

    yorisoi report --fy 2026 --json                     # this laptop's data, offline
    yorisoi report --month 2026-05 --server --json      # computed on the server
    yorisoi report --fy 2026 --xlsx 実績.xlsx --csv 実績.csv --suppress    # small counts hidden

Every report shown and every file written is audited (app.reports.stats_service).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.cli.context import Context
from app.domain.errors import ValidationError
from app.i18n import pick
from app.protocol.reports import Report
from app.reports import sheets, stats_service
from app.reports.suppress import DEFAULT_THRESHOLD, HIDDEN, masked_json


def _as_of(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            "--as-of は YYYY-MM-DD の形で指定してください。", "Give --as-of as YYYY-MM-DD."
        ) from None


def _text(report: Report, threshold: int | None) -> list[str]:
    lines = [sheets.title(report), *sheets.header_lines(report, threshold)]
    for name, note, grid in sheets.sections(report, threshold):
        lines += ["", f"■ {name}"]
        widths = [max(len(str(row[i])) for row in grid) for i in range(len(grid[0]))]
        for row in grid:
            lines.append(
                "  ".join(
                    str(v).ljust(widths[i]) if i == 0 else str(v).rjust(widths[i])
                    for i, v in enumerate(row)
                )
            )
        if note:
            lines.append(f"（{note}）")
    return lines


def cmd_report(ctx: Context) -> int:
    a = ctx.args
    period = stats_service.parse_period(fy=a.fy, month=a.month)
    threshold = a.suppress
    if threshold is not None and not 2 <= threshold <= 100:
        raise ValidationError(
            "--suppress は 2〜100 で指定してください。", "--suppress must be 2-100."
        )
    store = ctx.open_store()
    actor = ctx.actor()
    as_of = _as_of(a.as_of)
    if a.server:
        report = stats_service.server_report(store, actor, period, as_of=as_of)
    else:
        report = stats_service.local_report(store, actor, period, as_of=as_of)
    written: list[dict[str, Any]] = []
    for fmt in ("xlsx", "csv"):
        target = getattr(a, fmt)
        if target:
            path = Path(target).expanduser()
            size = stats_service.export(store, actor, report, path, fmt, threshold=threshold)
            written.append({"format": fmt, "path": str(path), "bytes": size})
    data: dict[str, Any] = report.as_dict()
    if threshold:
        data["tables"] = masked_json(report, threshold)
    data["suppressed_below"] = threshold
    data["files"] = written
    lines = _text(report, threshold)
    lines += [pick(f"保存しました: {w['path']}", f"Saved {w['path']}") for w in written]
    ctx.emit(data, lines)
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "report", help="実績報告（地区別の件数） / activity report by district",
        description="地区別の実績報告を表示・保存します（表示と保存は監査記録に残ります）。",
    )  # fmt: skip
    when = p.add_mutually_exclusive_group()
    when.add_argument("--fy", help="年度（西暦、4月始まり。既定: 今年度） / fiscal year, e.g. 2026")
    when.add_argument("--month", help="月 YYYY-MM / one month")
    p.add_argument("--server", action="store_true",
                   help="サーバーで集計（要ネットワーク） / computed on the server")  # fmt: skip
    p.add_argument("--as-of", help="役割分担の状況の基準日 YYYY-MM-DD / task status day")
    p.add_argument("--xlsx", metavar="FILE.xlsx", help="Excel に保存 / save as Excel")
    p.add_argument("--csv", metavar="FILE.csv", help="CSV（UTF-8 BOM）に保存 / save as CSV")
    p.add_argument(
        "--suppress", nargs="?", type=int, const=DEFAULT_THRESHOLD, default=None, metavar="N",
        help=f"外部提供用: N 未満の件数を {HIDDEN} で秘匿（既定 {DEFAULT_THRESHOLD}） / hide "
        "counts under N (and what would give them back) for use outside the office",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_report)
