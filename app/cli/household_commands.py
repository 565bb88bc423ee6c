"""Households from the command line: ``yorisoi household list|show|edit|member add|member
leave|member edit|head|merge|unmerge`` (the households screen's actions, app/services/
household_edit.py and merges.py)."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.context import Context, UsageError
from app.domain import vocab
from app.domain.records import HouseholdData, MemberData
from app.i18n import pick
from app.services import audit, household_edit, merges
from app.services.households import create_person, household_data
from app.services.profile import current_actor


def _member_line(m: MemberData) -> str:
    rel = pick("世帯主", "head") if m.is_head else vocab.label(vocab.RELATIONSHIP, m.relationship)
    extra = "" if m.lives_together else "  " + pick("別居", "lives apart")
    if m.left_on:
        extra += "  " + pick(f"{m.left_on} に離れた", f"left {m.left_on}")
    return f"  {m.id}  {m.person.name}  {rel}{extra}"


def _lines(h: HouseholdData) -> list[str]:
    out = [f"{h.name}  {h.address or ''}  {h.district_name or ''}".rstrip()]
    if h.situation:
        out.append(pick("状況: ", "Situation: ") + h.situation)
    out.append(pick("世帯員:", "Members:"))
    out += [_member_line(m) for m in h.members]
    if h.former_members:
        out.append(pick("離れた世帯員:", "Former members:"))
        out += [_member_line(m) for m in h.former_members]
    for c in h.merged_from:
        out.append(pick(f"統合された世帯: {c.id} {c.name}", f"Merged into this: {c.id} {c.name}"))
    return out


def _show(ctx: Context, s: Any, household_id: str, message: str | None = None) -> int:
    data = household_data(s, household_id)
    ctx.emit(data, ([message] if message else []) + _lines(data))
    return 0


def cmd_list(ctx: Context) -> int:
    from app.services.browse import household_ids, household_rows

    with ctx.open_store().session() as s:
        ids = household_ids(s, text=ctx.args.query or "")
        rows = household_rows(s, ids[: ctx.args.limit])
        if ctx.args.query:
            audit.record(s, current_actor(s), "search", "household", None, f"{len(ids)} hits")
    ctx.emit({"total": len(ids), "households": rows},
             [f"{r.id}  {r.name}  {r.address or ''}  {r.members}" for r in rows]
             + [f"({len(ids)})"])  # fmt: skip
    return 0


def cmd_show(ctx: Context) -> int:
    with ctx.open_store().session() as s:
        audit.record(s, current_actor(s), "view", "household", ctx.args.household)
        return _show(ctx, s, ctx.args.household)


def cmd_edit(ctx: Context) -> int:
    a = ctx.args
    values = {k: v for k, v in (("name", a.name), ("address", a.address),
                                ("situation", a.situation)) if v is not None}  # fmt: skip
    with ctx.open_store().session() as s:
        if a.district is not None:
            from app.cli.case_commands import _code_or_id

            values["district_id"] = _code_or_id(s, a.district, "district") if a.district else None
        if not values:
            raise UsageError(
                "変更する項目（--name --address --district --situation）を指定してください。",
                "Give what to change (--name --address --district --situation).",
            )
        household_edit.update_household(s, current_actor(s), a.household, values)
        return _show(ctx, s, a.household, pick("更新しました", "Updated"))


def cmd_member_add(ctx: Context) -> int:
    a = ctx.args
    if bool(a.person_id) == bool(a.name):
        raise UsageError(
            "--person-id（既存の人）か --name（新しい人）のどちらかを指定してください。",
            "Give either --person-id (an existing person) or --name (a new person).",
        )
    with ctx.open_store().session() as s:
        actor = current_actor(s)
        person_id = a.person_id or create_person(
            s, actor, **{k: v for k, v in (("name", a.name), ("kana", a.kana),
                                           ("birth_date", a.birth_date), ("phone", a.phone))
                         if v})  # fmt: skip
        household_edit.join_household(s, actor, household_id=a.household, person_id=person_id,
                                      relationship=a.relationship, joined_on=a.joined_on,
                                      lives_together=not a.apart)  # fmt: skip
        return _show(ctx, s, a.household, pick("世帯員を加えました", "Member added"))


def _household_of(s: Any, member_id: str) -> str:
    from app.storage.models import HouseholdMember

    m = s.get(HouseholdMember, member_id)
    if m is None:
        raise UsageError(f"世帯員「{member_id}」は見つかりません。", f"No member {member_id!r}.")
    return str(m.household_id)


def cmd_member_leave(ctx: Context) -> int:
    with ctx.open_store().session() as s:
        household_edit.leave_household(s, current_actor(s), ctx.args.member, ctx.args.on)
        return _show(ctx, s, _household_of(s, ctx.args.member),
                     pick("世帯を離れたことを記録しました", "Recorded that the member left"))  # fmt: skip


def cmd_member_edit(ctx: Context) -> int:
    a = ctx.args
    together = True if a.together else False if a.apart else None
    if a.relationship is None and together is None:
        raise UsageError(
            "変更する項目（--relationship --together --apart）を指定してください。",
            "Give what to change (--relationship, --together or --apart).",
        )
    with ctx.open_store().session() as s:
        household_edit.update_member(s, current_actor(s), a.member, relationship=a.relationship,
                                     lives_together=together)  # fmt: skip
        return _show(ctx, s, _household_of(s, a.member), pick("更新しました", "Updated"))


def cmd_head(ctx: Context) -> int:
    a = ctx.args
    with ctx.open_store().session() as s:
        household_edit.set_head(s, current_actor(s), a.member,
                                previous_relationship=a.previous_relationship)  # fmt: skip
        return _show(ctx, s, _household_of(s, a.member),
                     pick("世帯主を変更しました", "The head of household changed"))  # fmt: skip


def cmd_merge(ctx: Context) -> int:
    with ctx.open_store().session() as s:
        result = merges.merge_households(s, current_actor(s), ctx.args.keep, ctx.args.other)
    lines = [pick(f"統合しました: {result.merged_id} → {result.kept_id}",
                  f"Merged {result.merged_id} into {result.kept_id}")]  # fmt: skip
    if result.review:
        lines.append(pick(f"続柄を確認してください（元の世帯主）: {', '.join(result.review)}",
                          f"Check the relationship of: {', '.join(result.review)}"))  # fmt: skip
    ctx.emit(result, lines)
    return 0


def emit_unmerge(ctx: Context, result: merges.UnmergeResult) -> int:
    lines = [pick(f"統合を元に戻しました: {result.restored_id}（{result.survivor_id} から）",
                  f"Merge undone: {result.restored_id} (from {result.survivor_id})")]  # fmt: skip
    if result.left:
        lines.append(pick(f"統合後に別の場所へ移された {result.left} 件はそのままです。",
                          f"{result.left} moved elsewhere since the merge were left there."))  # fmt: skip
    ctx.emit(result, lines)
    return 0


def cmd_unmerge(ctx: Context) -> int:
    with ctx.open_store().session() as s:
        result = merges.unmerge_household(s, current_actor(s), ctx.args.household)
    return emit_unmerge(ctx, result)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    top = sub.add_parser("household", help="世帯: show, edit, members, 世帯主, merge")
    hsub = top.add_subparsers(dest="household_command", required=True)

    def add(parent: argparse._SubParsersAction, name: str, help_: str) -> argparse.ArgumentParser:  # type: ignore[type-arg]
        p: argparse.ArgumentParser = parent.add_parser(name, help=help_)
        p.add_argument("--json", action="store_true", help="JSON output")
        return p

    p = add(hsub, "list", "households (searchable by any member)")
    p.add_argument("--query", help="a member's name, kana, phone or address")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_list)
    p = add(hsub, "show", "a household: members, former members, merged households (audited)")
    p.add_argument("household", help="household id")
    p.set_defaults(func=cmd_show)
    p = add(hsub, "edit", "change the name, address, district or situation (状況)")
    p.add_argument("household", help="household id")
    p.add_argument("--name")
    p.add_argument("--address")
    p.add_argument("--district", help="district code or id ('' to clear)")
    p.add_argument("--situation", help="状況・メモ")
    p.set_defaults(func=cmd_edit)

    member = hsub.add_parser("member", help="members join, leave, change 続柄")
    msub = member.add_subparsers(dest="member_command", required=True)
    p = add(msub, "add", "a person joins the household")
    p.add_argument("household", help="household id")
    p.add_argument("--person-id", help="an existing person")
    p.add_argument("--name", help="or a new person's name")
    p.add_argument("--kana")
    p.add_argument("--birth-date", help="YYYY-MM-DD")
    p.add_argument("--phone")
    p.add_argument("--relationship", required=True, help="続柄 (to the head): 配偶者 子 父母 …")
    p.add_argument("--joined-on", help="YYYY-MM-DD (default today)")
    p.add_argument("--apart", action="store_true", help="lives apart (別居)")
    p.set_defaults(func=cmd_member_add)
    p = add(msub, "leave", "the member leaves (kept as history with the date)")
    p.add_argument("member", help="member id (household show)")
    p.add_argument("--on", help="YYYY-MM-DD (default today)")
    p.set_defaults(func=cmd_member_leave)
    p = add(msub, "edit", "change a member's 続柄 or living together")
    p.add_argument("member", help="member id (household show)")
    p.add_argument("--relationship")
    together = p.add_mutually_exclusive_group()
    together.add_argument("--together", action="store_true", help="同居")
    together.add_argument("--apart", action="store_true", help="別居")
    p.set_defaults(func=cmd_member_edit)

    p = add(hsub, "head", "make this member the head of household (世帯主)")
    p.add_argument("member", help="member id (household show)")
    p.add_argument("--previous-relationship", help="the previous head's 続柄 to the new head")
    p.set_defaults(func=cmd_head)
    p = add(hsub, "merge", "merge OTHER into KEEP (coordinators; OTHER is kept as merged)")
    p.add_argument("keep")
    p.add_argument("other")
    p.set_defaults(func=cmd_merge)
    p = add(hsub, "unmerge", "undo the merge of this household (coordinators)")
    p.add_argument("household", help="the merged household's id")
    p.set_defaults(func=cmd_unmerge)
