"""The minutes of a support meeting (議事録) and each member's packet (配布資料).

The minutes are the organiser's file copy: every case on the agenda this laptop holds, with
its discussion, decision and role assignments (役割分担: who, which agency, what, by when).

A packet is for one member and carries of each case only what that member may receive
(``app.services.meetings.case_access``, the referral sheet's rule with the member's agency as
the receiving agency): ``full`` with consent naming the agency; ``meeting`` for a case without
consent at a 支援会議 with the member's pledge covering the meeting's date (identity, issues,
the meeting's discussion, decision and tasks; not the case's own record); ``withheld``
otherwise, where the packet names no case and says why. The renderer never sees what a
member may not receive: the service leaves it out of the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from app.domain import vocab
from app.domain.records import AssignmentData, MeetingData
from app.reports.dates import both, wareki
from app.reports.layout import (
    Furniture,
    Paragraph,
    PrintStamp,
    build_pdf,
    content_width,
    grid,
    item,
    listing,
    narrative,
    section,
    styles,
    text,
    with_note,
)
from app.reports.pledge import GROUND_RULES, _meeting_name

MINUTES_TITLE = "会議録（議事録）"
PACKET_TITLE = "会議資料（構成員用）"
W = content_width()
SCOPE_NOTE = {
    "file": "事務局保管用（配布しない）",
    "full": "本人同意の範囲内（全項目）",
    "meeting": "本人同意なし・支援会議の構成員に限り共有（社会福祉法第106条の6）",
}


@dataclass(frozen=True)
class CaseMinutes:
    """One agenda item as a given reader may receive it (``scope``: full / meeting /
    withheld; when withheld every other field is empty and ``reason`` says why)."""

    scope: str
    reason: str = ""
    case_number: str | None = None
    person_name: str | None = None
    title: str | None = None  # 主訴: full scope only
    issues: tuple[str, ...] = ()
    discussion: str | None = None
    decision: str | None = None
    tasks: tuple[AssignmentData, ...] = ()


@dataclass(frozen=True)
class Packet:
    member_name: str
    agency_name: str | None
    pledge_note: str  # "誓約書 2026-12-01 提出済" or why it does not count
    items: tuple[CaseMinutes, ...]


def _header(m: MeetingData) -> list[Flowable]:
    members = listing(with_note(a.name, a.agency_name) for a in m.attendees)
    when = both(m.held_on) + (f"　{m.starts_at}〜" if m.starts_at else "")
    return [
        grid(
            [
                ["会議", _meeting_name(m), "開催日時", when],
                ["場所", m.place or "", "主催", m.organiser_name or ""],
                ["座長", m.chair_name or "", "種別", vocab.label(vocab.MEETING_KIND, m.kind, "ja")],
                ["出席者", members, "", ""],
            ],
            [18 * mm, 72 * mm, 18 * mm, W - 108 * mm],
            label_cols=(0, 2),
            spans=[((1, 3), (3, 3))],
        ),
        Spacer(1, 3 * mm),
    ]


def _tasks(tasks: tuple[AssignmentData, ...]) -> list[Flowable]:
    if not tasks:
        return [Paragraph(text("（役割分担なし）"), styles().small)]
    rows: list[list[object]] = [["担当者", "機関", "内容", "期限", "状況"]]
    rows += [
        [
            t.staff_name or "",
            t.agency_name or "",
            t.task,
            wareki(t.due_date) if t.due_date else "",
            vocab.label(vocab.TASK_STATUS, t.status, "ja"),
        ]  # fmt: skip
        for t in tasks
    ]
    # 期限 in 和暦 on one line (「令和8年12月27日」 wrapped in the old 24 mm column).
    return [grid(rows, [28 * mm, 36 * mm, W - 114 * mm, 32 * mm, 18 * mm], header=True)]


def _item(i: int, c: CaseMinutes, issues: vocab.Vocabulary) -> list[Flowable]:
    st = styles()
    if c.scope == "withheld":
        return [KeepTogether([
            section(f"議題{i}"),
            Paragraph(text(f"この議題の資料は記載していません。{c.reason}"), st.value),
        ])]  # fmt: skip
    out: list[Flowable] = [
        section(f"議題{i}　{c.case_number or ''}　{c.person_name or ''}"),
        Paragraph(text(f"共有の範囲: {SCOPE_NOTE.get(c.scope, c.scope)}"), st.small),
    ]
    if c.title:
        out.append(Paragraph(text(f"主訴: {c.title}"), st.value))
    if c.issues:
        labels = "、".join(vocab.label(issues, x, "ja") for x in c.issues)
        out.append(Paragraph(text(f"課題: {labels}"), st.value))
    # Each label stays with (the start of) what it heads, the item's heading with its
    # discussion: no heading or label alone at the foot of a page.
    discussion = narrative(c.discussion)
    decision = narrative(c.decision)
    return [
        KeepTogether([*out, Paragraph(text("検討内容"), st.label), discussion[0]]),
        *discussion[1:],
        KeepTogether([Paragraph(text("決定事項"), st.label), decision[0]]),
        *decision[1:],
        KeepTogether([Paragraph(text("役割分担"), st.label), *_tasks(c.tasks)]),
    ]


def minutes_story(
    m: MeetingData, items: tuple[CaseMinutes, ...], issues: vocab.Vocabulary | None = None
) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Paragraph(MINUTES_TITLE, st.title), Spacer(1, 2 * mm), *_header(m)]
    for i, c in enumerate(items, 1):
        out += _item(i, c, issues or vocab.ISSUE_CATEGORY)
    note = "この会議録は事務局が保管します。複写・持ち出しはしないでください。"
    out.append(KeepTogether([section("会議全体の決定事項"), *narrative(m.decisions),
                             Spacer(1, 3 * mm), Paragraph(text(note), st.small)]))  # fmt: skip
    return out


def packet_story(
    m: MeetingData, packets: tuple[Packet, ...], issues: vocab.Vocabulary | None = None
) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = []
    for n, p in enumerate(packets):
        if n:
            out.append(PageBreak())
        out += [
            Paragraph(PACKET_TITLE, st.title),
            Spacer(1, 2 * mm),
            Paragraph(
                text(f"{p.member_name}　様（{p.agency_name or '所属なし'}）　{p.pledge_note}"),
                st.value,
            ),
            Spacer(1, 2 * mm),
            *_header(m),
        ]
        for i, c in enumerate(p.items, 1):
            out += _item(i, c, issues or vocab.ISSUE_CATEGORY)
        rules = [item(f"（{i}）", r) for i, r in enumerate(GROUND_RULES, 1)]
        note = Paragraph(text("この資料は会議終了後に事務局へ返却してください。"), st.small)
        out.append(KeepTogether([section("グランドルール"), *rules, note]))
    return out


def _reference(m: MeetingData) -> str:
    return f"{vocab.label(vocab.MEETING_KIND, m.kind, 'ja')} {both(m.held_on)}"


def _held(items: Iterable[CaseMinutes]) -> set[str]:
    return {code for c in items for code in c.issues}


def render_minutes(m: MeetingData, items: tuple[CaseMinutes, ...], stamp: PrintStamp) -> bytes:
    return build_pdf(minutes_story(m, items, stamp.issues(_held(items))), Furniture(title=MINUTES_TITLE, stamp=stamp,
                                                        reference=_reference(m)))  # fmt: skip


def render_packets(m: MeetingData, packets: tuple[Packet, ...], stamp: PrintStamp) -> bytes:
    return build_pdf(packet_story(m, packets, stamp.issues(_held(x for p in packets for x in p.items))), Furniture(title=PACKET_TITLE, stamp=stamp,
                                                         reference=_reference(m)))  # fmt: skip
