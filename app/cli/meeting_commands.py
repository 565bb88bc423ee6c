"""Support meetings from the command line (``yorisoi meeting ...``): list, show, add, edit,
member add, case add, pledge, minutes, task add/status. Every command takes ``--json``.

A meeting is named by its number (the 8 characters ``meeting list`` shows) or its id; a member
by attendee id, staff login, staff id or name; a case by its number or id; staff by login or
id; agencies and districts by code or id. Printing is ``yorisoi print pledge|minutes|packet``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from app.cli.case_commands import _case_id, _code_or_id
from app.cli.context import Context, UsageError
from app.domain import vocab
from app.domain.records import MeetingData
from app.services import meetings
from app.services.profile import current_actor


def _day(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{field} は YYYY-MM-DD の形で指定してください（{value}）。",
            f"Give {field} as YYYY-MM-DD ({value!r}).",
        ) from None


def _staff(s: Any, ref: str | None) -> str | None:
    if not ref:
        return None
    from sqlalchemy import select

    from app.storage.models import Staff

    found = list(
        s.scalars(
            select(Staff.id).where((Staff.id == ref) | (Staff.login == ref) | (Staff.name == ref))
        )
    )
    if len(found) != 1:
        raise UsageError(
            f"職員「{ref}」が見つからないか、複数当てはまります（ログイン名かIDで指定）。",
            f"No single staff member {ref!r} (give a login or id).",
        )
    return str(found[0])


def _lines(m: MeetingData) -> list[str]:
    out = [
        f"{meetings.meeting_number(m.id)}  {m.held_on or ''} {m.starts_at or ''}  "
        f"{vocab.label(vocab.MEETING_KIND, m.kind)}  {m.title or ''}",
        f"場所: {m.place or ''}  主催: {m.organiser_name or ''}  議長: {m.chair_name or ''}",
        "構成員:",
    ]
    for a in m.attendees:
        pledge = (
            f"誓約書 {a.pledge_date}"
            + (f"〜{a.pledge_valid_until}" if a.pledge_valid_until else "")
            if a.pledge_valid
            else f"誓約書なし（{a.pledge_note}）"
        )
        out.append(f"  {meetings.short(a.id)}  {a.name}（{a.agency_name or ''}）  {pledge}")
    out.append("議題のケース:")
    minutes = {x.case_id: x for x in m.minutes}
    for c in m.cases:
        x = minutes.get(c.id)
        out.append(f"  {c.case_number}  {c.person_name or ''}  {c.title}")
        if x and x.discussion:
            out.append(f"    検討: {x.discussion}")
        if x and x.decision:
            out.append(f"    決定: {x.decision}")
    out.append("役割分担:")
    for t in m.assignments:
        out.append(
            f"  {meetings.short(t.id)}  {t.case_number or ''}  {t.task}  {t.staff_name or ''}"
            f"（{t.agency_name or ''}）  期限 {t.due_date or '-'}  "
            f"{vocab.label(vocab.TASK_STATUS, t.status)}"
        )
    return out


def _show(ctx: Context, meeting_id: str, text: str | None = None) -> int:
    with ctx.open_store().session() as s:
        data = meetings.meeting_data(s, current_actor(s), meeting_id, audit_view=text is None)
    payload = {"number": meetings.meeting_number(meeting_id), "meeting": data}
    ctx.emit(payload, [text] if text else _lines(data))
    return 0


def cmd_list(ctx: Context) -> int:
    with ctx.open_store().session() as s:
        rows = meetings.list_meetings(s, current_actor(s), limit=ctx.args.limit)
    lines = [
        f"{r['number']}  {r['held_on'] or ''} {r['starts_at'] or ''}  "
        f"{vocab.label(vocab.MEETING_KIND, r['kind'])}  {r['title'] or ''}  {r['chair'] or ''}"
        for r in rows
    ]
    ctx.emit({"meetings": rows}, lines + [f"({len(rows)})"])
    return 0


def cmd_show(ctx: Context) -> int:
    with ctx.open_store().session() as s:
        mid = meetings.find_meeting(s, ctx.args.meeting)
    return _show(ctx, mid)


def cmd_add(ctx: Context) -> int:
    a = ctx.args
    held = _day(a.date, "--date")
    if held is None:
        raise UsageError("開催日（--date）を指定してください。", "Give the date (--date).")
    case_ids = [_case_id(ctx, ref) for ref in a.case or []]
    with ctx.open_store().session() as s:
        actor = current_actor(s)
        mid = meetings.create_meeting(
            s, actor, kind=a.kind, held_on=held, title=a.title, place=a.place,
            district_id=_code_or_id(s, a.district, "district"),
            chair_staff_id=_staff(s, a.chair),
            organiser_agency_id=_code_or_id(s, a.organiser, "agency"),
        )  # fmt: skip
        extra: dict[str, Any] = {}
        if a.time:
            extra["starts_at"] = a.time
        if a.standing_pledges:
            extra["standing_pledge_allowed"] = True
        if extra:
            meetings.update_meeting(s, actor, mid, extra)
        for ref in a.member or []:
            meetings.add_attendee(s, actor, mid, staff_id=_staff(s, ref))
        for cid in case_ids:
            meetings.add_case(s, actor, mid, cid)
    return _show(ctx, mid, f"作成しました / created: {meetings.meeting_number(mid)}")


def cmd_edit(ctx: Context) -> int:
    values: dict[str, Any] = {}
    for item in ctx.args.set or []:
        if "=" not in item:
            raise UsageError(
                f"--set は 項目=値 の形で指定してください（{item}）。",
                f"--set takes field=value ({item!r}).",
            )
        k, v = item.split("=", 1)
        values[k.strip()] = v
    if not values:
        raise UsageError("変更する項目を --set で指定してください。", "Give fields with --set.")
    with ctx.open_store().session() as s:
        mid = meetings.find_meeting(s, ctx.args.meeting)
        if "chair_staff_id" in values:
            values["chair_staff_id"] = _staff(s, values["chair_staff_id"])
        if "organiser_agency_id" in values:
            values["organiser_agency_id"] = _code_or_id(s, values["organiser_agency_id"], "agency")
        if "district_id" in values:
            values["district_id"] = _code_or_id(s, values["district_id"], "district")
        meetings.update_meeting(s, current_actor(s), mid, values)
    return _show(ctx, mid, f"更新しました / updated: {meetings.meeting_number(mid)}")


def cmd_member_add(ctx: Context) -> int:
    a = ctx.args
    if not a.staff and not a.name:
        raise UsageError(
            "--staff（職員）または --name（外部機関の構成員）を指定してください。",
            "Give --staff, or --name for a member of an outside agency.",
        )
    with ctx.open_store().session() as s:
        actor = current_actor(s)
        mid = meetings.find_meeting(s, a.meeting)
        att = meetings.add_attendee(
            s, actor, mid, staff_id=_staff(s, a.staff), name=a.name,
            agency_id=_code_or_id(s, a.agency, "agency"),
        )  # fmt: skip
        if a.signed_on:
            meetings.record_pledge(
                s, actor, att, _day(a.signed_on, "--signed-on"),
                valid_until=_day(a.valid_until, "--valid-until"),
            )  # fmt: skip
    return _show(ctx, mid, f"構成員を追加しました / member added: {meetings.short(att)}")


def cmd_case_add(ctx: Context) -> int:
    case_id = _case_id(ctx, ctx.args.case)
    with ctx.open_store().session() as s:
        mid = meetings.find_meeting(s, ctx.args.meeting)
        meetings.add_case(s, current_actor(s), mid, case_id)
    return _show(ctx, mid, "議題に加えました / case added")


def cmd_pledge(ctx: Context) -> int:
    a = ctx.args
    signed = _day(a.signed_on, "--signed-on")
    if signed is None:
        raise UsageError("署名した日（--signed-on）を指定してください。", "Give --signed-on.")
    with ctx.open_store().session() as s:
        mid = meetings.find_meeting(s, a.meeting)
        att = meetings.find_attendee(s, mid, a.member)
        meetings.record_pledge(
            s, current_actor(s), att, signed, valid_until=_day(a.valid_until, "--valid-until")
        )
    return _show(ctx, mid, "誓約書を受領として記録しました / pledge recorded")


def cmd_minutes(ctx: Context) -> int:
    a = ctx.args
    if a.discussion is None and a.decision is None:
        raise UsageError(
            "--discussion または --decision を指定してください。",
            "Give --discussion or --decision.",
        )
    case_id = _case_id(ctx, a.case)
    with ctx.open_store().session() as s:
        mid = meetings.find_meeting(s, a.meeting)
        meetings.write_minutes(
            s, current_actor(s), mid, case_id, discussion=a.discussion, decision=a.decision
        )
    return _show(ctx, mid, "議事録を記録しました / minutes written")


def cmd_task_add(ctx: Context) -> int:
    a = ctx.args
    case_id = _case_id(ctx, a.case)
    with ctx.open_store().session() as s:
        mid = meetings.find_meeting(s, a.meeting)
        tid = meetings.add_assignment(
            s, current_actor(s), meeting_id=mid, case_id=case_id, task=a.task,
            staff_id=_staff(s, a.staff), agency_id=_code_or_id(s, a.agency, "agency"),
            due_date=_day(a.due, "--due"),
        )  # fmt: skip
    return _show(ctx, mid, f"役割分担を追加しました / task added: {meetings.short(tid)}")


def cmd_task_status(ctx: Context) -> int:
    from sqlalchemy import select

    from app.storage.models import RoleAssignment

    with ctx.open_store().session() as s:
        ref = ctx.args.task
        ids = list(
            s.scalars(
                select(RoleAssignment.id).where(RoleAssignment.id.endswith(ref, autoescape=True))
            )
        )
        if len(ids) != 1 or len(ref) < 6:
            raise UsageError(f"役割分担「{ref}」が見つかりません。", f"No single task {ref!r}.")
        day = ctx.args.completed_on
        if day is not None:
            meetings.set_task_status(s, current_actor(s), ids[0], ctx.args.status,
                                     _day(day, "--completed-on"))  # fmt: skip
        else:
            meetings.set_task_status(s, current_actor(s), ids[0], ctx.args.status)
        r = s.get(RoleAssignment, ids[0])
        out = {"id": ids[0], "status": r.status if r else None, "done": bool(r and r.done),
               "completed_on": r.completed_on.isoformat() if r and r.completed_on else None}  # fmt: skip
    ctx.emit(
        out,
        f"更新しました / updated: {meetings.short(ids[0])} {vocab.label(vocab.TASK_STATUS, r.status if r else None)}",
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    meeting = sub.add_parser("meeting", help="支援会議 / support meetings")
    msub = meeting.add_subparsers(dest="action", required=True, metavar="ACTION")

    def cmd(parent: Any, name: str, help_: str, func: Any) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, help=help_)
        p.add_argument("--json", action="store_true", help="JSON output")
        p.set_defaults(func=func)
        return p

    p = cmd(msub, "list", "会議の一覧（番号つき） / list meetings with their numbers", cmd_list)
    p.add_argument("--limit", type=int, default=100)
    p = cmd(msub, "show", "会議の内容 / show a meeting", cmd_show)
    p.add_argument("meeting", help="会議番号またはID / meeting number or id")
    p = cmd(msub, "add", "会議を作成 / create a meeting", cmd_add)
    p.add_argument(
        "--kind", default="shien_kaigi", help="支援会議 重層的支援会議 進捗会議 or a code"
    )
    p.add_argument("--date", required=True, help="開催日 YYYY-MM-DD")
    p.add_argument("--time", help="開始時刻 HH:MM")
    p.add_argument("--place")
    p.add_argument("--title")
    p.add_argument("--district", help="district code or id")
    p.add_argument("--organiser", help="主催機関 agency code or id")
    p.add_argument("--chair", help="議長 staff login or id (default: you)")
    p.add_argument("--standing-pledges", action="store_true",
                   help="有効期間付きの誓約書を認める / accept standing pledges")  # fmt: skip
    p.add_argument("--member", action="append", help="構成員の職員 staff login or id (repeat)")
    p.add_argument("--case", action="append", help="議題のケース case number or id (repeat)")
    p = cmd(msub, "edit", "会議を変更 / edit a meeting", cmd_edit)
    p.add_argument("meeting")
    p.add_argument("--set", action="append", metavar="FIELD=VALUE",
                   help="fields: " + ", ".join(meetings.MEETING_FIELDS))  # fmt: skip
    member = msub.add_parser("member", help="構成員 / members")
    member_sub = member.add_subparsers(dest="member_action", required=True)
    p = cmd(member_sub, "add", "構成員を追加 / add a member", cmd_member_add)
    p.add_argument("meeting")
    p.add_argument("--staff", help="職員 staff login or id")
    p.add_argument("--name", help="外部機関の構成員の氏名 / an outside member's name")
    p.add_argument("--agency", help="所属機関 agency code or id")
    p.add_argument("--signed-on", help="誓約書に署名した日 YYYY-MM-DD（受領済みなら）")
    p.add_argument("--valid-until", help="有効期間付きの誓約書の期限 YYYY-MM-DD")
    case = msub.add_parser("case", help="議題のケース / cases on the agenda")
    case_sub = case.add_subparsers(dest="case_action", required=True)
    p = cmd(case_sub, "add", "ケースを議題に加える / put a case on the agenda", cmd_case_add)
    p.add_argument("meeting")
    p.add_argument("case")
    p = cmd(msub, "pledge", "誓約書を受領として記録 / record a signed pledge", cmd_pledge)
    p.add_argument("meeting")
    p.add_argument("member", help="構成員（ID・ログイン名・氏名）")
    p.add_argument("--signed-on", required=True, help="署名した日 YYYY-MM-DD")
    p.add_argument("--valid-until", help="有効期間付きの誓約書の期限 YYYY-MM-DD")
    p = cmd(msub, "minutes", "ケースごとの議事録 / minutes of a case", cmd_minutes)
    p.add_argument("meeting")
    p.add_argument("case")
    p.add_argument("--discussion", help="検討内容")
    p.add_argument("--decision", help="決定事項")
    task = msub.add_parser("task", help="役割分担 / role assignments (tasks on the case)")
    task_sub = task.add_subparsers(dest="task_action", required=True)
    p = cmd(task_sub, "add", "役割分担を追加 / add a task", cmd_task_add)
    p.add_argument("meeting")
    p.add_argument("case")
    p.add_argument("--task", required=True, help="何をするか")
    p.add_argument("--staff", help="担当職員 staff login or id")
    p.add_argument("--agency", help="担当機関 agency code or id")
    p.add_argument("--due", help="期限 YYYY-MM-DD")
    p = cmd(task_sub, "status", "役割分担の状態 / set a task's status", cmd_task_status)
    p.add_argument("task", help="task number (8 characters) or id")
    p.add_argument("status", help="未着手 対応中 完了 / open in_progress done")
    p.add_argument("--completed-on", help="完了日 YYYY-MM-DD（既定: 今日）/ day it was done")
