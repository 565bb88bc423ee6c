"""Case work from the command line: case list/search/show/update, referral list/show, visit add."""

from __future__ import annotations

import argparse
import datetime as dt

from app.cli.context import Context, UsageError
from app.domain import vocab
from app.domain.records import CaseFilter
from app.services import cases, referrals, visits
from app.services.profile import current_actor


def _case_id(ctx: Context, ref: str) -> str:
    """Accept a case id or a case number."""
    from sqlalchemy import select

    from app.storage.models import Case

    with ctx.open_store().session() as s:
        found = s.scalar(select(Case.id).where((Case.id == ref) | (Case.case_number == ref)))
    if found is None:
        raise UsageError(f"ケース「{ref}」は見つかりません。", f"No case {ref!r}.")
    return found


def _row_line(r: object) -> str:
    return "  ".join(
        str(x or "")
        for x in (
            r.case_number,  # type: ignore[attr-defined]
            vocab.label(vocab.CASE_STATUS, r.status),  # type: ignore[attr-defined]
            r.person_name,  # type: ignore[attr-defined]
            r.district_name,  # type: ignore[attr-defined]
            r.title,  # type: ignore[attr-defined]
        )
    )


def cmd_case_list(ctx: Context) -> int:
    a = ctx.args
    flt = CaseFilter(
        text=getattr(a, "query", "") or "",
        statuses=tuple(vocab.parse(vocab.CASE_STATUS, s, "status") for s in a.status or []),
        issue_categories=tuple(
            vocab.parse(vocab.ISSUE_CATEGORY, c, "issue") for c in a.issue or []
        ),
        urgencies=tuple(vocab.parse(vocab.URGENCY, u, "urgency") for u in a.urgency or []),
    )
    store = ctx.open_store()
    with store.session() as s:
        ids = cases.case_ids(s, flt)
        rows = cases.case_rows(s, ids[: a.limit])
        if flt.text:
            from app.services import audit

            audit.record(s, current_actor(s), "search", "case", None, f"{len(ids)} hits")
    ctx.emit({"total": len(ids), "cases": rows}, [_row_line(r) for r in rows] + [f"({len(ids)})"])
    return 0


def cmd_case_show(ctx: Context) -> int:
    case_id = _case_id(ctx, ctx.args.case)
    with ctx.open_store().session() as s:
        detail = cases.case_detail(s, current_actor(s), case_id)
    lines = [
        f"{detail.case_number}  {detail.title}",
        f"状態: {vocab.label(vocab.CASE_STATUS, detail.status)}  緊急度: "
        f"{vocab.label(vocab.URGENCY, detail.urgency)}  同意: "
        f"{vocab.label(vocab.CONSENT_STATUS, detail.consent_status)}",
        "課題: " + "、".join(vocab.label(vocab.ISSUE_CATEGORY, c) for c in detail.issue_categories),
    ]
    if detail.person:
        lines.append(f"本人: {detail.person.name}（{detail.person.kana or ''}）")
    if detail.household:
        for m in detail.household.members:
            lines.append(
                f"  世帯員: {m.person.name} {vocab.label(vocab.RELATIONSHIP, m.relationship)}"
            )
    for c in detail.contacts:
        lines.append(
            f"  {c.contact_at:%Y-%m-%d %H:%M} {vocab.label(vocab.CONTACT_KIND, c.kind)} {c.narrative or ''}"
        )
    ctx.emit(detail, lines)
    return 0


def cmd_case_update(ctx: Context) -> int:
    case_id = _case_id(ctx, ctx.args.case)
    values: dict[str, str] = {}
    for item in ctx.args.set or []:
        if "=" not in item:
            raise UsageError(
                f"--set は 項目=値 の形で指定してください（{item}）。",
                f"--set takes field=value ({item!r}).",
            )
        key, value = item.split("=", 1)
        values[key.strip()] = value
    if not values:
        raise UsageError(
            "変更する項目を --set で指定してください。", "Give fields to change with --set."
        )
    with ctx.open_store().session() as s:
        actor = current_actor(s)
        cases.update_case(s, actor, case_id, values)
        detail = cases.case_detail(s, actor, case_id, audit_view=False)
    ctx.emit(detail, f"更新しました / updated: {detail.case_number}")
    return 0


def cmd_referral_list(ctx: Context) -> int:
    with ctx.open_store().session() as s:
        case_id = None
        if ctx.args.case:
            case_id = _case_id(ctx, ctx.args.case)
        rows = referrals.list_referrals(s, case_id=case_id, status=ctx.args.status)
    ctx.emit(
        rows,
        [f"{r['receipt_number']}  {r['referral_date']}  {vocab.label(vocab.REFERRAL_STATUS, r['status'])}"
         f"  {r['case_number']}  → {r['to_agency'] or ''}" for r in rows],
    )  # fmt: skip
    return 0


def cmd_referral_show(ctx: Context) -> int:
    from sqlalchemy import select

    from app.storage.models import Referral

    with ctx.open_store().session() as s:
        rid = s.scalar(
            select(Referral.id).where(
                (Referral.id == ctx.args.referral) | (Referral.receipt_number == ctx.args.referral)
            )
        )
        if rid is None:
            raise UsageError(f"紹介「{ctx.args.referral}」は見つかりません。", "No such referral.")
        data = referrals.referral_data(s, current_actor(s), rid)
    ctx.emit(data, [f"{data.receipt_number} {data.case_number} → {data.to_agency_name or ''}",
                    f"状態: {vocab.label(vocab.REFERRAL_STATUS, data.status)}",
                    f"相談内容: {data.account or ''}"])  # fmt: skip
    return 0


def cmd_visit_add(ctx: Context) -> int:
    a = ctx.args
    case_id = _case_id(ctx, a.case)
    when = None
    if a.at:
        try:
            when = dt.datetime.fromisoformat(a.at)
        except ValueError:
            raise UsageError(
                "--at は YYYY-MM-DDTHH:MM の形です。", "--at takes YYYY-MM-DDTHH:MM."
            ) from None
    nxt = None
    if a.next_date:
        try:
            nxt = dt.date.fromisoformat(a.next_date)
        except ValueError:
            raise UsageError(
                "--next-date は YYYY-MM-DD の形です。", "--next-date takes YYYY-MM-DD."
            ) from None
    with ctx.open_store().session() as s:
        rid = visits.add_contact(
            s, current_actor(s), case_id=case_id, kind=a.kind, contact_at=when, place=a.place,
            narrative=a.narrative, next_action=a.next_action, next_action_date=nxt,
        )  # fmt: skip
    ctx.emit({"id": rid, "case_id": case_id}, f"記録しました / recorded: {rid}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    case = sub.add_parser("case", help="list, search, show and update cases")
    csub = case.add_subparsers(dest="case_command", required=True)

    def add(parent: argparse._SubParsersAction, name: str, help_: str) -> argparse.ArgumentParser:  # type: ignore[type-arg]
        p: argparse.ArgumentParser = parent.add_parser(name, help=help_)
        p.add_argument("--json", action="store_true", help="JSON output")
        return p

    for name in ("list", "search"):
        p = add(csub, name, "list cases" if name == "list" else "search cases (Japanese-aware)")
        if name == "search":
            p.add_argument("query")
        p.add_argument("--status", action="append")
        p.add_argument("--issue", action="append")
        p.add_argument("--urgency", action="append")
        p.add_argument("--limit", type=int, default=50)
        p.set_defaults(func=cmd_case_list)
    p = add(csub, "show", "show a case (audited)")
    p.add_argument("case", help="case id or number")
    p.set_defaults(func=cmd_case_show)
    p = add(csub, "update", "change fields, e.g. --set status=支援中")
    p.add_argument("case", help="case id or number")
    p.add_argument("--set", action="append", metavar="FIELD=VALUE")
    p.set_defaults(func=cmd_case_update)

    ref = sub.add_parser("referral", help="referral sheets (うけとめ・つなげるシート)")
    rsub = ref.add_subparsers(dest="referral_command", required=True)
    p = add(rsub, "list", "list referrals")
    p.add_argument("--case")
    p.add_argument("--status")
    p.set_defaults(func=cmd_referral_list)
    p = add(rsub, "show", "show a referral (audited)")
    p.add_argument("referral", help="referral id or receipt number")
    p.set_defaults(func=cmd_referral_show)

    visit = sub.add_parser("visit", help="contact records")
    vsub = visit.add_subparsers(dest="visit_command", required=True)
    p = add(vsub, "add", "record a visit or other contact")
    p.add_argument("case", help="case id or number")
    p.add_argument("--kind", default="visit", help="訪問 来所 電話 アウトリーチ 同行 会議")
    p.add_argument("--narrative", required=True)
    p.add_argument("--at", help="YYYY-MM-DDTHH:MM (default now)")
    p.add_argument("--place")
    p.add_argument("--next-action")
    p.add_argument("--next-date")
    p.set_defaults(func=cmd_visit_add)
