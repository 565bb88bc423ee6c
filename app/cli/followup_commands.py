"""Follow-up and supervision from the command line: ``yorisoi todo`` (the worklist やること),
``yorisoi caseload``, ``yorisoi person duplicates|merge``; ``case reassign`` is registered by
case_commands and calls ``cmd_case_reassign`` here."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING

from app.cli.context import Context, UsageError
from app.domain import vocab
from app.i18n import pick
from app.services.profile import current_actor

if TYPE_CHECKING:
    from app.services import duplicates

# The services (caseload, duplicates, worklist) are imported inside the commands that use
# them: ``case_commands`` registers ``case reassign`` from here, and ``case list`` must not
# pay for them (start-up time, issue 17 item 11; tests/core/test_cli.py checks).


def _date(value: str | None, flag: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{flag} は YYYY-MM-DD の形です。", f"{flag} takes YYYY-MM-DD.") from None


def cmd_todo(ctx: Context) -> int:
    from app.services import worklist

    a = ctx.args
    with ctx.open_store().session() as s:
        for item in a.set or []:
            key, _, value = item.partition("=")
            worklist.set_threshold(s, key.strip(), value.strip())
        wl = worklist.worklist(
            s, current_actor(s), scope="team" if a.team else "mine", today=_date(a.today, "--today"),
            kinds=tuple(a.kind or ()), staff_id=a.staff, overdue_only=a.overdue,
        )  # fmt: skip
    data = {"scope": wl.scope, "today": wl.today, "thresholds": wl.thresholds,
            "counts": wl.counts, "overdue": wl.overdue, "items": wl.items}  # fmt: skip
    lines = [
        f"{i.due}  {pick(*worklist.KINDS[i.kind])}  {i.case_number}  {i.person_name or ''}  "
        f"{i.text}  {i.staff_name or ''}" + ("  " + pick("期限超過", "overdue") if i.days_late > 0 else "")
        for i in wl.items
    ] + [f"({len(wl.items)})"]  # fmt: skip
    ctx.emit(data, lines)
    return 0


def cmd_caseload(ctx: Context) -> int:
    from app.services import caseload

    with ctx.open_store().session() as s:
        rows = caseload.caseload(s, include_closed=ctx.args.include_closed)
        if ctx.args.staff is not None:
            from app.services import cases

            ids = caseload.load_case_ids(
                s, staff_id=ctx.args.staff, status=ctx.args.status, urgency=ctx.args.urgency
            )
            ctx.emit({"case_ids": ids, "cases": cases.case_rows(s, ids)},
                     [f"{r.case_number}  {r.person_name or ''}  {r.title}"
                      for r in cases.case_rows(s, ids)])  # fmt: skip
            return 0
    ctx.emit(
        rows,
        [f"{r.staff_name or pick('（未割当）', '(unassigned)')}  {r.total}  "
         + " ".join(f"{vocab.label(vocab.CASE_STATUS, k)}:{v}" for k, v in r.by_status.items())
         for r in rows],
    )  # fmt: skip
    return 0


def cmd_case_reassign(ctx: Context) -> int:
    from app.cli.case_commands import _case_id
    from app.services import caseload

    a = ctx.args
    ids = [_case_id(ctx, c) for c in a.cases or []]  # each in its own session, before ours
    with ctx.open_store().session() as s:
        actor = current_actor(s)
        if a.all_of:
            ids += caseload.cases_of(s, a.all_of)
        result = caseload.reassign_cases(s, actor, ids, to_staff_id=a.to, reason=a.reason,
                                         note=a.note or "")  # fmt: skip
    ctx.emit(
        result, pick(f"引き継ぎました: {len(result.moved)} 件", f"Handed over: {len(result.moved)}")
    )
    return 0


def _candidate_lines(found: list[duplicates.Candidate]) -> list[str]:
    from app.services.duplicates import REASONS

    return [
        f"{c.person_id}  {c.name}（{c.kana or ''}）  {c.score}  "
        + "、".join(pick(*REASONS[r]) for r in c.reasons)
        + (f"  [{', '.join(c.case_numbers)}]" if c.case_numbers else "")
        for c in found
    ]


def cmd_person_duplicates(ctx: Context) -> int:
    from app.services import duplicates

    a = ctx.args
    with ctx.open_store().session() as s:
        found = duplicates.find_candidates(
            s, name=a.name, kana=a.kana, phone=a.phone, address=a.address,
            birth_date=_date(a.birth_date, "--birth-date"),
        )  # fmt: skip
    ctx.emit({"candidates": found}, _candidate_lines(found) + [f"({len(found)})"])
    return 0


def cmd_person_merge(ctx: Context) -> int:
    from app.services import duplicates

    with ctx.open_store().session() as s:
        result = duplicates.merge_persons(s, current_actor(s), ctx.args.keep, ctx.args.other)
    ctx.emit(result, pick(f"統合しました: {result.merged_id} → {result.kept_id}",
                          f"Merged {result.merged_id} into {result.kept_id}"))  # fmt: skip
    return 0


def cmd_person_unmerge(ctx: Context) -> int:
    from app.cli.household_commands import emit_unmerge
    from app.services import merges

    with ctx.open_store().session() as s:
        result = merges.unmerge_person(s, current_actor(s), ctx.args.person)
    return emit_unmerge(ctx, result)


def refuse_duplicates(ctx: Context, found: list[duplicates.Candidate]) -> int:
    """``case add`` found likely duplicates: list them (JSON with --json), one error line."""
    if ctx.json:
        ctx.emit({"error": "possible_duplicates", "candidates": found})
    else:
        for line in _candidate_lines(found):
            print(line)
    sys.stderr.write(
        "yorisoi: "
        + pick(
            f"同じ人と思われる記録が {len(found)} 件あります。既存の人なら --person-id ID、"
            "別人なら --allow-duplicate を付けてください。",
            f"{len(found)} existing person(s) look like the same person. Use --person-id ID for "
            "one of them, or --allow-duplicate.",
        )
        + "\n"
    )
    return 3


def add_reassign_parser(csub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = csub.add_parser("reassign", help="hand cases to another worker (coordinators)")
    p.add_argument("cases", nargs="*", help="case ids or numbers")
    p.add_argument("--all-of", metavar="STAFF_ID", help="every open case of this worker")
    p.add_argument("--to", required=True, metavar="STAFF_ID", help="the new worker")
    p.add_argument("--reason", required=True, help="引き継ぎの理由")
    p.add_argument("--note", help="引き継ぎメモ (becomes the new worker's task)")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=cmd_case_reassign)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from app.services import worklist  # its kinds and default thresholds are in the help

    p = sub.add_parser("todo", help="やること: visits, tasks, referrals, consents, no contact")
    p.add_argument("--team", action="store_true", help="the whole team's (every case here)")
    p.add_argument("--kind", action="append", choices=list(worklist.KINDS))
    p.add_argument("--staff", help="only this worker's items (staff id)")
    p.add_argument("--overdue", action="store_true", help="only overdue items")
    p.add_argument("--today", help="YYYY-MM-DD (default today)")
    p.add_argument("--set", action="append", metavar="SETTING=DAYS",
                   help="store a threshold: " + ", ".join(f"{k} ({v})" for k, v in
                                                         worklist.DEFAULTS.items()))  # fmt: skip
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=cmd_todo)

    p = sub.add_parser("caseload", help="cases by worker, status and urgency (coordinators)")
    p.add_argument("--staff", help="drill down: the cases of this staff id ('' = unassigned)")
    p.add_argument("--status")
    p.add_argument("--urgency")
    p.add_argument("--include-closed", action="store_true")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=cmd_caseload)

    person = sub.add_parser("person", help="persons: likely duplicates, merge, unmerge")
    psub = person.add_subparsers(dest="person_command", required=True)
    p = psub.add_parser("duplicates", help="existing persons that look like this one")
    for flag in ("--name", "--kana", "--phone", "--address", "--birth-date"):
        p.add_argument(flag)
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=cmd_person_duplicates)
    p = psub.add_parser("merge", help="merge OTHER into KEEP (references move, OTHER is kept)")
    p.add_argument("keep")
    p.add_argument("other")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=cmd_person_merge)
    p = psub.add_parser("unmerge", help="undo the merge of this person (coordinators)")
    p.add_argument("person", help="the merged person's id")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=cmd_person_unmerge)
