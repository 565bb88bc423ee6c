"""Case work from the command line: case add/list/search/show/update, referral
list/show (add/edit/send in app.cli.referral_commands), visit add."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from app.cli.context import Context, UsageError, parse_sets
from app.domain import vocab
from app.domain.dates import parse_date
from app.domain.records import CaseFilter
from app.services import cases, masters
from app.services.profile import current_actor

# Other services (referrals, visits, households, duplicates...) are imported inside the
# commands that use them, so ``case list`` loads only what it needs (start-up time, issue 17
# item 11; tests/core/test_cli.py checks).


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
    statuses = tuple(vocab.parse(vocab.CASE_STATUS, s, "status") for s in a.status or [])
    urgencies = tuple(vocab.parse(vocab.URGENCY, u, "urgency") for u in a.urgency or [])
    store = ctx.open_store()
    with store.session() as s:
        flt = CaseFilter(
            text=getattr(a, "query", "") or "", statuses=statuses, urgencies=urgencies,
            issue_categories=tuple(masters.parse_issues(s, list(a.issue or []), "issue")),
        )  # fmt: skip
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
        issues = masters.issue_vocab(s, every=True)
    lines = [
        f"{detail.case_number}  {detail.title}",
        f"状態: {vocab.label(vocab.CASE_STATUS, detail.status)}  緊急度: "
        f"{vocab.label(vocab.URGENCY, detail.urgency)}  同意: "
        f"{vocab.label(vocab.CONSENT_STATUS, detail.consent_status)}",
        "課題: " + "、".join(vocab.label(issues, c) for c in detail.issue_categories),
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
    values = parse_sets(ctx.args.set)
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


def cmd_case_add(ctx: Context) -> int:
    """A new case with its person (and optionally a household the person heads), validated as
    the case editor validates it, all in one transaction (nothing is written on an error)."""
    a = ctx.args
    if not (a.title or "").strip():
        raise UsageError("主訴（--title）を入力してください。", "Give a title (--title).")
    with ctx.open_store().session() as s:
        actor = current_actor(s)
        district = _code_or_id(s, a.district, "district")
        lead = _code_or_id(s, a.lead_agency, "agency")
        if a.person is not None and not a.person_id and not a.allow_duplicate:
            from app.cli.followup_commands import refuse_duplicates
            from app.services.duplicates import find_candidates

            found = find_candidates(s, name=a.person, kana=a.kana, phone=a.phone,
                                    address=a.address, birth_date=a.birth_date)  # fmt: skip
            if found:
                return refuse_duplicates(ctx, found)
        person_id, household_id, case_id = _add_case(s, actor, a, district, lead)
        detail = cases.case_detail(s, actor, case_id, audit_view=False)
    ctx.emit(
        {"id": case_id, "case_number": detail.case_number, "person_id": person_id,
         "household_id": household_id, "case": detail},
        f"作成しました / created: {detail.case_number}",
    )  # fmt: skip
    return 0


def _add_case(
    s: Any, actor: Any, a: argparse.Namespace, district: str | None, lead: str | None
) -> tuple[str | None, str | None, str]:
    from app.services.households import add_member, create_household, create_person

    values: dict[str, Any] = {
        "district_id": district, "status": a.status, "urgency": a.urgency,
        "issue_categories": list(a.issue or []), "consent_status": a.consent,
        "consent_date": a.consent_date, "lead_agency_id": lead,
        "notes": a.notes, "opened_on": a.opened_on,
    }  # fmt: skip
    if a.assigned:
        values["assigned_staff_id"] = a.assigned
    values = {k: v for k, v in values.items() if v not in (None, "", [])}
    person = {
        "name": a.person, "kana": a.kana, "birth_date": a.birth_date, "sex": a.sex,
        "phone": a.phone, "address": a.address, "district_id": district,
    }  # fmt: skip
    person = {k: v for k, v in person.items() if v not in (None, "")}
    if a.person_id:
        from app.storage.models import Person

        existing = s.get(Person, a.person_id)
        if existing is None or existing.deleted or existing.merged_into_id:
            raise UsageError(
                f"人「{a.person_id}」は見つかりません。", f"No person {a.person_id!r}."
            )
        person_id: str | None = existing.id
    else:
        person_id = create_person(s, actor, **person) if a.person is not None else None
    household_id = None
    if a.household and a.household_id:
        raise UsageError(
            "--household（新しい世帯）と --household-id（既存の世帯）は一緒に使えません。",
            "Use --household (a new household) or --household-id (an existing one), not both.",
        )
    if a.household_id:
        household_id = _attach_household(s, actor, a.household_id, person_id, a.relationship)
        values["household_id"] = household_id
    elif a.household:
        household_id = create_household(s, actor, name=a.household, address=a.address,
                                        district_id=district)  # fmt: skip
        if person_id:
            add_member(s, actor, household_id=household_id, person_id=person_id,
                       relationship="self", is_head=True)  # fmt: skip
        values["household_id"] = household_id
    case_id = cases.create_case(s, actor, title=a.title, person_id=person_id, **values)
    return person_id, household_id, case_id


def _attach_household(
    s: Any, actor: Any, household_id: str, person_id: str | None, relationship: str | None
) -> str:
    """An existing household for the new case; its person joins it unless already a member
    (``relationship``: their 続柄 to the head, required then)."""
    from app.services.household_edit import join_household
    from app.services.households import household_data
    from app.storage.models import Household

    data = household_data(s, household_id)  # NotFound for an unknown household
    if s.get(Household, household_id).merged_into_id:
        raise UsageError(
            "この世帯は別の世帯に統合されています。統合先の世帯を指定してください。",
            "This household was merged into another; give that one.",
        )
    if person_id and all(m.person.id != person_id for m in data.members):
        if not relationship:
            raise UsageError(
                "本人をこの世帯に加えるため、続柄を --relationship で指定してください。",
                "Give the person's relationship in the household with --relationship.",
            )
        join_household(s, actor, household_id=household_id, person_id=person_id,
                       relationship=relationship)  # fmt: skip
    return household_id


def _code_or_id(s: Any, value: str | None, kind: str) -> str | None:
    """A district or agency given by its code (e.g. hwc_south), its id or its exact name
    (e.g. 地域包括支援センター)."""
    if not value:
        return None
    from sqlalchemy import or_, select

    from app.domain.seed import agency_id, district_id
    from app.storage.models import Agency, District

    model, make, ja, en = (
        (District, district_id, "地区", "district")
        if kind == "district"
        else (Agency, agency_id, "機関", "agency")
    )
    value = value.strip()
    for candidate in (value, make(value)):
        found = s.get(model, candidate)
        if found is not None and not found.deleted:
            return candidate
    named = list(
        s.scalars(
            select(model.id).where(
                or_(model.code == value, model.name == value), model.deleted.is_(False)
            )
        )
    )
    if len(named) == 1:
        return str(named[0])
    if named:
        raise UsageError(
            f"{ja}「{value}」に当てはまるものが複数あります。コードで指定してください。",
            f"More than one {en} is named {value!r}; give its code.",
        )
    raise UsageError(f"{ja}「{value}」は見つかりません。", f"No {en} {value!r}.")


def cmd_referral_list(ctx: Context) -> int:
    from app.services import referrals

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
    from app.cli.referral_commands import referral_id
    from app.services import referrals

    with ctx.open_store().session() as s:
        rid = referral_id(s, ctx.args.referral)
        data = referrals.referral_data(s, current_actor(s), rid)
    ctx.emit(data, [f"{data.receipt_number} {data.case_number} → {data.to_agency_name or ''}",
                    f"状態: {vocab.label(vocab.REFERRAL_STATUS, data.status)}",
                    f"相談内容: {data.account or ''}"])  # fmt: skip
    return 0


def cmd_visit_add(ctx: Context) -> int:
    from app.services import visits

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
    nxt = parse_date(a.next_date, ja="--next-date は YYYY-MM-DD の形です。",
                     en="--next-date takes YYYY-MM-DD.", error=UsageError)  # fmt: skip
    with ctx.open_store().session() as s:
        rid = visits.add_contact(
            s, current_actor(s), case_id=case_id, kind=a.kind, contact_at=when, place=a.place,
            narrative=a.narrative, next_action=a.next_action, next_action_date=nxt,
        )  # fmt: skip
    ctx.emit({"id": rid, "case_id": case_id}, f"記録しました / recorded: {rid}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    case = sub.add_parser("case", help="add, list, search, show and update cases")
    csub = case.add_subparsers(dest="case_command", required=True)

    def add(parent: argparse._SubParsersAction, name: str, help_: str) -> argparse.ArgumentParser:  # type: ignore[type-arg]
        p: argparse.ArgumentParser = parent.add_parser(name, help=help_)
        p.add_argument("--json", action="store_true", help="JSON output")
        return p

    p = add(csub, "add", "new case with its person (and household), validated like the editor")
    p.add_argument("--title", required=True, help="主訴")
    p.add_argument("--person", help="本人の氏名 (person's name)")
    p.add_argument("--kana", help="ふりがな")
    p.add_argument("--birth-date", help="YYYY-MM-DD")
    p.add_argument("--sex", help="男 女 その他 不明 or a code")
    p.add_argument("--phone")
    p.add_argument("--address")
    p.add_argument("--household", help="新しい世帯の名前: the person heads it")
    p.add_argument("--household-id", help="an existing household for the case (the person joins)")
    p.add_argument("--relationship", help="with --household-id: the person's 続柄 to the head")
    p.add_argument("--district", help="district code or id")
    p.add_argument("--status", help="e.g. 受付 / received")
    p.add_argument("--urgency", help="高 中 低 / high medium low")
    p.add_argument("--issue", action="append", help="issue category (repeat)")
    p.add_argument("--consent", help="同意 status")
    p.add_argument("--consent-date", help="YYYY-MM-DD")
    p.add_argument("--lead-agency", help="agency code or id")
    p.add_argument("--assigned", help="staff id (default: this laptop's user)")
    p.add_argument("--opened-on", help="YYYY-MM-DD (default today)")
    p.add_argument("--notes")
    p.add_argument("--person-id", help="an existing person (e.g. a listed duplicate) instead")
    p.add_argument("--allow-duplicate", action="store_true",
                   help="create the person although likely duplicates exist")  # fmt: skip
    p.set_defaults(func=cmd_case_add)
    from app.cli.followup_commands import add_reassign_parser

    add_reassign_parser(csub)

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

    ref = sub.add_parser(
        "referral", help="つなぎ（うけとめ・つなげるシート） / referral sheets",
        description="うけとめ・つなげるシートの一覧・表示・作成・変更・送付 / list, show, add, "
        "edit and send referral sheets. 状況の変更は edit --set status=受理 など / other "
        "statuses: edit --set status=...",
    )  # fmt: skip
    rsub = ref.add_subparsers(dest="referral_command", required=True, metavar="ACTION")
    p = add(rsub, "list", "シートの一覧 / list referral sheets")
    p.add_argument("--case", help="ケース番号またはID / case number or id")
    p.add_argument("--status", help="状況（下書き 送付済 …）/ status")
    p.set_defaults(func=cmd_referral_list)
    p = add(rsub, "show", "シートの内容（監査記録に残る）/ show a referral sheet (audited)")
    p.add_argument("referral", metavar="RECEIPT", help="受付番号またはID / receipt number or id")
    p.set_defaults(func=cmd_referral_show)
    from app.cli import referral_commands

    referral_commands.register(rsub, add)

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
