"""Referral sheets (うけとめ・つなげるシート) from the command line: ``referral add``, ``edit`` and
``send`` (``list`` and ``show`` are in app.cli.case_commands, which registers all five).

The values go through app.services.referrals as the GUI's referral editor sends them (same
validation, one transaction: nothing is written on an error). The CLI only turns its text into
what the editor would send: lists are comma-separated, agencies are codes, ids or exact names,
staff are logins, ids or names, a meeting is its number. The services write the audit log
(``create`` / ``update`` of the referral). Services are imported inside the commands
(``case list`` start-up, tests/core/test_cli.py).
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.case_commands import _case_id, _code_or_id
from app.cli.context import Context, UsageError, parse_sets
from app.domain import vocab
from app.i18n import pick

# The fields ``--set`` takes: app.services.referrals.FIELDS without the two the editor never
# edits (the receipt number is given on save, the person is the case's);
# tests/core/test_cli_referral.py checks this against the service.
EDITABLE = (
    "referral_date", "status", "consult_route", "from_agency_id", "from_staff_id",
    "from_contact", "to_agency_id", "to_staff_name", "contact_cautions", "contact_note",
    "consulter_name", "consulter_relationship", "household_situation", "issue_categories",
    "issue_other", "account", "wishes", "services_involved", "reason", "urgency", "handover",
    "first_meeting_at", "consent_basis", "consent_agency_ids", "consent_signed_by",
    "consent_agent_relationship", "consent_date", "meeting_id", "reply_date",
    "reply_staff_name", "reply_text",
)  # fmt: skip
NOT_EDITABLE = {"receipt_number": "受付番号", "person_id": "本人"}
LIST_FIELDS = {"issue_categories", "consent_agency_ids", "contact_cautions"}
AGENCY_FIELDS = {"to_agency_id", "from_agency_id"}
DATE_FIELDS = {"referral_date", "consent_date", "reply_date"}

SET_HELP = (
    "項目=値（くり返し可、値が空なら消去）/ FIELD=VALUE (repeat; empty clears). 項目 / fields: "
    + ", ".join(EDITABLE)
    + ". 複数の値はカンマ区切り / lists comma-separated; 機関はコード・ID・名称 / agencies by "
    "code, id or name; from_staff_id はログイン名・ID / staff login or id; meeting_id は会議番号 "
    "/ meeting number; 日付 YYYY-MM-DD, first_meeting_at YYYY-MM-DD HH:MM; 選択肢は日本語の"
    "表示名かコード / choices by label or code (e.g. status=送付済 consult_route=家族・親族から "
    "handover=同行して紹介)"
)  # fmt: skip


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.replace("、", ",").split(",") if v.strip()]


def _date(field: str, value: str) -> str | None:
    from app.domain.dates import parse_date

    day = parse_date(value, ja=f"{field} は YYYY-MM-DD の形で指定してください（{value}）。",
                     en=f"Give {field} as YYYY-MM-DD ({value!r}).", error=UsageError)  # fmt: skip
    return day.isoformat() if day else None


def referral_values(s: Any, raw: dict[str, str]) -> dict[str, Any]:
    """The CLI's text values as the editor sends them; unknown fields and unknown agencies,
    staff or meetings are refused here, the rest is validated by the service."""
    for key in raw:
        if key in NOT_EDITABLE:
            raise UsageError(
                f"{NOT_EDITABLE[key]}（{key}）は変更できません。",
                f"The field {key!r} cannot be changed.",
            )
        if key not in EDITABLE:
            raise UsageError(
                f"項目「{key}」はありません（使える項目は yorisoi referral edit --help）。",
                f"No field {key!r} (see yorisoi referral edit --help).",
            )
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in DATE_FIELDS:
            out[key] = _date(key, value)
        elif key in AGENCY_FIELDS:
            out[key] = _code_or_id(s, value, "agency")
        elif key == "consent_agency_ids":
            out[key] = [_code_or_id(s, v, "agency") for v in _split(value)]
        elif key == "status":
            out[key] = vocab.parse(vocab.REFERRAL_STATUS, value, key)
        elif key in LIST_FIELDS:
            out[key] = _split(value)
        elif key == "from_staff_id":
            from app.cli.meeting_commands import _staff

            out[key] = _staff(s, value)
        elif key == "meeting_id":
            from app.services.meetings import find_meeting

            out[key] = find_meeting(s, value) if value else None
        else:
            out[key] = value
    return out


def referral_id(s: Any, ref: str) -> str:
    """A referral by its receipt number or id."""
    from sqlalchemy import select

    from app.storage.models import Referral

    found = s.scalar(
        select(Referral.id).where(
            ((Referral.id == ref) | (Referral.receipt_number == ref)),
            Referral.deleted.is_(False),
        )
    )
    if found is None:
        raise UsageError(f"紹介「{ref}」は見つかりません。", f"No referral {ref!r}.")
    return str(found)


def _refused(exc: Any, again: str) -> UsageError:
    """The service's refusal to let a sheet go out (送付不可), with how to fix it from the
    command line; ``again`` is the command to give the fix to."""
    return UsageError(
        f"{exc.ja} 対応: 本人が同意した場合は {again} --set consent_agency_ids=機関,… で同意の"
        "範囲に加え、同意がない場合はケースを支援会議で検討して --set consent_basis=support_meeting "
        "--set meeting_id=会議番号 を指定してから、もう一度送付してください。",
        f"{exc.en} To fix: if the person consented, add the agency with {again} --set "
        "consent_agency_ids=AGENCY,...; without consent, discuss the case at a support meeting "
        "and set consent_basis=support_meeting meeting_id=NUMBER; then send again.",
    )


def _is_refusal(exc: Any) -> bool:
    """A refusal by ``referrals._check_consent`` (values were parsed before: a bad status
    never gets this far)."""
    return getattr(exc, "field", None) in ("status", "meeting_id")


def _save(s: Any, actor: Any, rid: str, values: dict[str, Any], receipt: str) -> None:
    from app.domain.errors import ValidationError
    from app.services import referrals

    try:
        referrals.update_referral(s, actor, rid, values)
    except ValidationError as exc:
        if _is_refusal(exc):
            raise _refused(exc, f"yorisoi referral edit {receipt}") from None
        raise


def _result(ctx: Context, s: Any, actor: Any, rid: str, done: str, *, view: bool = False) -> int:
    """Print what was saved: the receipt number, the status and whether the sheet can go out
    (a sheet that would print as 送付不可 says why). ``view``: nothing was saved, so showing
    the sheet's fields is audited as a view (a save is audited by the service)."""
    from app.reports.redaction import decide
    from app.services import referrals
    from app.storage.models import Referral

    data = referrals.referral_data(s, actor, rid, audit_view=view)
    redaction = decide(data, referrals.meeting_basis(s, data.meeting_id))
    row = s.get(Referral, rid)
    payload = {
        "id": rid, "receipt_number": data.receipt_number, "status": data.status,
        "case_id": data.case_id, "case_number": data.case_number,
        "to_agency_id": data.to_agency_id, "to_agency": data.to_agency_name,
        "scope": redaction.scope, "sendable": redaction.can_send,
        "reason": pick(redaction.reason_ja, redaction.reason_en),
        "fields": {k: getattr(row, k) for k in EDITABLE},
    }  # fmt: skip
    lines = [
        f"{done}: {data.receipt_number}  {vocab.label(vocab.REFERRAL_STATUS, data.status)}  "
        f"{data.case_number} → {data.to_agency_name or ''}"
    ]
    if not redaction.can_send:
        lines.append(
            pick("注意: このままでは送付不可です。", "Note: not sendable as it stands. ")
            + pick(redaction.reason_ja, redaction.reason_en)
        )
    ctx.emit(payload, lines)
    return 0


def cmd_referral_add(ctx: Context) -> int:
    from app.domain.errors import ValidationError
    from app.services import referrals
    from app.services.profile import current_actor

    a = ctx.args
    raw = parse_sets(a.set)
    raw["to_agency_id"] = a.to
    if a.date:
        raw["referral_date"] = a.date
    case_id = _case_id(ctx, a.case)
    with ctx.open_store().session() as s:
        actor = current_actor(s)
        values = referral_values(s, raw)
        try:
            rid = referrals.create_referral(s, actor, case_id=case_id, **values)
        except ValidationError as exc:
            if _is_refusal(exc):
                raise _refused(exc, "yorisoi referral add CASE --to AGENCY") from None
            raise
        return _result(ctx, s, actor, rid, "作成しました / created")


def cmd_referral_edit(ctx: Context) -> int:
    from app.services.profile import current_actor

    raw = parse_sets(ctx.args.set)
    if not raw:
        raise UsageError(
            "変更する項目を --set で指定してください。", "Give fields to change with --set."
        )
    with ctx.open_store().session() as s:
        actor = current_actor(s)
        rid = referral_id(s, ctx.args.referral)
        _save(s, actor, rid, referral_values(s, raw), ctx.args.referral)
        return _result(ctx, s, actor, rid, "更新しました / updated")


def cmd_referral_send(ctx: Context) -> int:
    """Mark the sheet sent (送付済). A sheet that would print as 送付不可 is refused with the
    reason; one already sent (or received, in progress, done) is left as it is."""
    from app.services import referrals
    from app.services.profile import current_actor
    from app.storage.models import Referral

    with ctx.open_store().session() as s:
        actor = current_actor(s)
        rid = referral_id(s, ctx.args.referral)
        row = s.get(Referral, rid)
        assert row is not None
        if row.status in referrals.SENT_STATUSES:
            label = vocab.label(vocab.REFERRAL_STATUS, row.status)
            return _result(ctx, s, actor, rid, f"送付済みです（{label}）/ already sent", view=True)
        _save(s, actor, rid, {"status": "sent"}, ctx.args.referral)
        return _result(ctx, s, actor, rid, "送付済にしました / marked sent")


def register(rsub: argparse._SubParsersAction, add: Any) -> None:  # type: ignore[type-arg]
    """The subcommands on ``referral`` (``add(parent, name, help)`` gives a parser with
    --json)."""
    p = add(rsub, "add", "シートを作成 / create a referral sheet for a case")
    p.add_argument("case", metavar="CASE", help="ケース番号またはID / case number or id")
    p.add_argument("--to", required=True, metavar="AGENCY",
                   help="紹介先機関（コード・ID・名称）/ receiving agency: code, id or name")  # fmt: skip
    p.add_argument("--date", help="紹介日 YYYY-MM-DD（既定: 今日）/ referral date (default today)")
    p.add_argument("--set", action="append", metavar="FIELD=VALUE", help=SET_HELP)
    p.set_defaults(func=cmd_referral_add)
    p = add(rsub, "edit", "シートを変更 / change a referral sheet's fields")
    p.add_argument("referral", metavar="RECEIPT", help="受付番号またはID / receipt number or id")
    p.add_argument("--set", action="append", metavar="FIELD=VALUE", help=SET_HELP)
    p.set_defaults(func=cmd_referral_edit)
    p = add(rsub, "send", "送付済にする（送付不可のシートは断る）/ mark sent (refused if 送付不可)")
    p.add_argument("referral", metavar="RECEIPT", help="受付番号またはID / receipt number or id")
    p.set_defaults(func=cmd_referral_send)
