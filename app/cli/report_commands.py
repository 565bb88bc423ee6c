"""``yorisoi print referral|pledge|visits|summary ... --out FILE.pdf``

Each command loads the record, applies the need-to-know redaction, renders the PDF, saves it and
writes an ``export`` audit event (see app.reports.service.export_pdf).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from app.cli.context import Context
from app.domain.dates import parse_date
from app.i18n import pick
from app.reports import fonts, service


def _day(value: str | None) -> dt.date:
    day = parse_date(value, ja="日付は YYYY-MM-DD の形で指定してください。",
                     en="Give the date as YYYY-MM-DD.")  # fmt: skip
    return day or dt.date.today()


def _document(ctx: Context) -> service.Document:
    args = ctx.args
    store = ctx.open_store()
    actor = ctx.actor()
    if args.document == "referral":
        return service.referral_document(store, actor, args.key)
    if args.document == "pledge":
        return service.pledge_document(store, actor, args.key)
    if args.document == "minutes":
        return service.minutes_document(store, actor, args.key)
    if args.document == "packet":
        return service.packet_document(store, actor, args.key, args.member)
    if args.document == "visits":
        return service.visits_document(
            store, actor, _day(args.date), mine_only=not args.all,
            include_closed=args.include_closed,
        )  # fmt: skip
    return service.summary_document(store, actor, args.key)


def _run(ctx: Context) -> int:
    out = Path(ctx.args.out).expanduser()
    doc = _document(ctx)
    password = None if ctx.args.unencrypted else _pdf_password()
    service.export_pdf(
        ctx.open_store(), ctx.actor(), doc, out, password=password, unencrypted=ctx.args.unencrypted
    )
    result: dict[str, Any] = {
        "document": doc.kind, "path": str(out), "pages": doc.pages, "sha256": doc.sha256,
    }  # fmt: skip
    scope = next((p.split("=", 1)[1] for p in doc.detail.split() if p.startswith("scope=")), None)
    if scope:
        result["scope"] = scope
    text = pick(f"保存しました: {out}（{doc.pages}ページ）", f"Saved {out} ({doc.pages} pages)")
    if scope == "withheld":
        result["sendable"] = False
        text += pick(
            "\n送付不可: 本人の情報を記載できないため、このシートは送付できません（用紙に理由と"
            "対応を記載）。同意の範囲に送付先を加えるか、支援会議で検討してから印刷してください。",
            "\nNot sendable: the sheet may carry nothing about the person (the sheet says why "
            "and what to do). Add the agency to the consent, or discuss the case at a support "
            "meeting, and print again.",
        )
    elif scope and scope != "full":
        text += pick(
            "\n注意: 共有の範囲外の項目は記載していません（用紙に理由を記載）。",
            "\nNote: fields outside the sharing basis were left out (the sheet says why).",
        )
    if doc.missing_glyphs:
        result["missing_glyphs"] = list(doc.missing_glyphs)
        text += "\n" + fonts.missing_note(doc.missing_glyphs)
    ctx.emit(result, text)
    return 0


def _pdf_password() -> str | None:
    """From YORISOI_PDF_PASSWORD, else a prompt on a terminal; None means "not given"."""
    import getpass
    import os
    import sys

    from app.reports.protect import PASSWORD_ENV

    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    if sys.stdin.isatty():
        return getpass.getpass(pick("PDFのパスワード: ", "PDF password: ")) or None
    return None


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", "-o", required=True, metavar="FILE.pdf", help="PDF file to write")
    p.add_argument(
        "--unencrypted", action="store_true",
        help="暗号化せずに保存 / save without encryption (default: AES-256, password from "
        "YORISOI_PDF_PASSWORD or a prompt)",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=_run)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "print", help="帳票をPDFで出力 / print a document to PDF",
        description="帳票をPDFに出力します（出力は監査記録に残ります）。",
    )  # fmt: skip
    docs = p.add_subparsers(dest="document", required=True, metavar="DOCUMENT")
    r = docs.add_parser("referral", help="うけとめ・つなげるシート / referral sheet")
    r.add_argument("key", metavar="RECEIPT", help="受付番号またはID / receipt number or id")
    _common(r)
    m = docs.add_parser("pledge", help="守秘義務誓約書 / confidentiality pledge")
    m.add_argument("key", metavar="MEETING", help="会議番号またはID / meeting number or id")
    _common(m)
    mm = docs.add_parser("minutes", help="会議録（議事録） / meeting minutes")
    mm.add_argument("key", metavar="MEETING", help="会議番号またはID / meeting number or id")
    _common(mm)
    pk = docs.add_parser("packet", help="構成員ごとの会議資料 / each member's packet")
    pk.add_argument("key", metavar="MEETING", help="会議番号またはID / meeting number or id")
    pk.add_argument("--member", help="一人分だけ（構成員のID・ログイン名・氏名）")
    _common(pk)
    v = docs.add_parser("visits", help="訪問予定表 / the day's visit list")
    v.add_argument("--date", help="YYYY-MM-DD（既定: 今日 / default: today）")
    v.add_argument("--all", action="store_true", help="全員分 / everyone's, not only mine")
    v.add_argument("--include-closed", action="store_true",
                   help="終結したケースも含める / include closed cases")  # fmt: skip
    _common(v)
    s = docs.add_parser("summary", help="ケース概要 / case summary")
    s.add_argument("key", metavar="CASE", help="ケース番号またはID / case number or id")
    _common(s)
