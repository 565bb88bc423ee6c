"""Case summary (ケース概要): basic facts, household, issues, support team, referrals, support
meetings with their 役割分担, and the contact history.

Page-break rules: every section heading is kept with the first thing under it, the issue grid is
never split, and a contact's 「次回:」 line stays with the end of its narrative.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from app.domain import vocab
from app.domain.records import CaseDetail, ContactData, MemberData
from app.reports.dates import age_text, both, both_time, wareki
from app.reports.layout import (
    Furniture,
    Paragraph,
    PrintStamp,
    build_pdf,
    check,
    check_grid,
    content_width,
    grid,
    narrative,
    section,
    styles,
    text,
    with_note,
)
from app.reports.referral import relationship_text

TITLE = "ケース概要"
W = content_width()
NO_CONSENT = (
    "本人同意なし：この概要は主担当機関と支援会議の構成員のための内部資料です。"
    "会議の構成員以外に提供・複写しないでください。"
)


class _Sections:
    """Numbers the sections in print order, so every heading has one."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, title: str, *first: Flowable) -> list[Flowable]:
        """The heading kept together with the first flowables under it."""
        self.n += 1
        return [KeepTogether([section(f"{self.n}. {title}"), *first])]


def _basics(c: CaseDetail, on: dt.date, sec: _Sections) -> list[Flowable]:
    consent = vocab.label(vocab.CONSENT_STATUS, c.consent_status, "ja")
    if c.consent_status == "given":
        consent += f"（{both(c.consent_date)}）\n共有先: " + (
            "、".join(c.consent_agency_names) or "なし"
        )
    rows: list[list[object]] = [
        ["ケース番号", c.case_number, "状態", vocab.label(vocab.CASE_STATUS, c.status, "ja")],
        ["主訴", c.title, "緊急度", vocab.label(vocab.URGENCY, c.urgency, "ja")],
        ["地区", c.district_name or "", "主担当機関", c.lead_agency_name or ""],
        ["担当者", c.assigned_staff_name or "", "受付日", both(c.opened_on)],
        ["同意", consent, "終結日", both(c.closed_on)],
    ]
    out = sec("基本情報", grid(rows, [22 * mm, 78 * mm, 22 * mm, W - 122 * mm], label_cols=(0, 2)))
    p = c.person
    if p is not None:
        sex = vocab.label(vocab.SEX, p.sex, "ja")
        out += sec(
            "本人",
            grid(
                [
                    ["氏名", with_note(p.name, p.kana), "性別", sex],
                    ["生年月日", f"{both(p.birth_date)}　{age_text(p.birth_date, on)}", "電話", p.phone or ""],
                    ["住所", p.address or "", "小学校区", p.school_zone or ""],
                ],
                [22 * mm, 98 * mm, 20 * mm, W - 140 * mm], label_cols=(0, 2),
            ),
        )  # fmt: skip
    return out


def _member_row(m: MemberData, on: dt.date, subject: str | None) -> list[object]:
    p = m.person
    return [
        relationship_text(m), p.name + ("（本人）" if p.id == subject else ""), p.kana or "",
        both(p.birth_date), age_text(p.birth_date, on), "同居" if m.lives_together else "別居",
    ]  # fmt: skip


def _household(c: CaseDetail, on: dt.date, sec: _Sections) -> list[Flowable]:
    st = styles()
    h = c.household
    if h is None:
        return sec("世帯", Paragraph(text("（世帯の登録なし）"), st.body))
    subject = c.person.id if c.person else None
    rows: list[list[object]] = [
        ["続柄\n（世帯主との関係）", "氏名", "ふりがな", "生年月日", "年齢", "同居"]
    ]
    rows += [_member_row(m, on, subject) for m in h.members]
    widths = [30 * mm, 34 * mm, 32 * mm, 54 * mm, 14 * mm, W - 164 * mm]
    out = sec(
        "世帯",
        Paragraph(text(f"{h.name}　{h.address or ''}"), st.value),
        grid(rows, widths, header=True, repeat_header=True),
    )
    body = narrative(h.situation)
    out += [KeepTogether([Paragraph(text("世帯の状況"), st.label), body[0]])]
    return out + body[1:]


def _issues_and_team(c: CaseDetail, sec: _Sections, issues: vocab.Vocabulary) -> list[Flowable]:
    items = [check(k in c.issue_categories, ja) for k, (ja, _) in issues.items()]
    team: list[list[object]] = [["所属", "氏名", "役割"]]
    team += [[t.agency_name or "", t.staff_name or "", t.role or ""] for t in c.team]
    if not c.team:
        team.append(["（登録なし）", "", ""])
    out = sec("課題", check_grid(items, W))
    out += sec("支援チーム", grid(team, [70 * mm, 50 * mm, W - 120 * mm], header=True,
                                 repeat_header=True))  # fmt: skip
    if c.referrals:
        refs: list[list[object]] = [["受付番号", "送付日", "送付先", "状況"]]
        refs += [[r.receipt_number, both(r.referral_date), r.to_agency_name or "",
                  vocab.label(vocab.REFERRAL_STATUS, r.status, "ja")] for r in c.referrals]  # fmt: skip
        widths = [30 * mm, 50 * mm, 70 * mm, W - 150 * mm]
        out += sec("つなぎ（うけとめ・つなげるシート）", grid(refs, widths, header=True))
    return out


def _meetings(c: CaseDetail, sec: _Sections) -> list[Flowable]:
    st = styles()
    if not c.meetings and not c.assignments:
        return sec("支援会議", Paragraph(text("（このケースを検討した会議はありません）"), st.body))
    out: list[Flowable] = []
    rows: list[list[object]] = [["開催日", "種別", "会議名", "決定事項"]]
    rows += [[both(m.held_on), vocab.label(vocab.MEETING_KIND, m.kind, "ja"), m.title or "",
              m.decisions or ""] for m in c.meetings]  # fmt: skip
    if not c.meetings:
        rows.append(["（なし）", "", "", ""])
    widths = [52 * mm, 24 * mm, 40 * mm, W - 116 * mm]
    out += sec("支援会議", grid(rows, widths, header=True, repeat_header=True))
    tasks: list[list[object]] = [["期限", "担当（所属）", "役割分担", "状況"]]
    for a in c.assignments:
        who = a.staff_name or ""
        if a.agency_name:
            # The agency on a line of its own: 「…センター）」 no longer overruns the cell and
            # leaves its closing bracket alone on the next line.
            who = f"{who}\n（{a.agency_name}）" if who else a.agency_name
        status = a.status or ("done" if a.done else "open")  # the minutes' 未着手/対応中/完了
        tasks.append([both(a.due_date), who, a.task, vocab.label(vocab.TASK_STATUS, status, "ja")])
    if not c.assignments:
        tasks.append(["（なし）", "", "", ""])
    widths = [52 * mm, 48 * mm, W - 116 * mm, 16 * mm]
    out += [KeepTogether([
        Paragraph(text("役割分担（期限順）"), st.label),
        grid(tasks, widths, header=True, repeat_header=True),
    ])]  # fmt: skip
    return out


def contact_marks(x: ContactData, c: CaseDetail) -> list[str]:
    """What a contact's header says about the record itself: that it corrects an earlier
    record (records are append-only, so a correction is a record of its own), and that the
    server refused it (app.sync.rejected: not accepted yet, so it may still change)."""
    out = []
    if x.corrects_id:
        original = next((o for o in c.contacts if o.id == x.corrects_id), None)
        on = f"{wareki(original.contact_at.date())}の" if original else ""
        out.append(f"訂正（{on}記録）")
    if x.id in c.not_accepted:
        out.append("【サーバー未受付】")
    return out


def _contact(x: ContactData, c: CaseDetail) -> list[Flowable]:
    st = styles()
    row: list[object] = [both_time(x.contact_at), vocab.label(vocab.CONTACT_KIND, x.kind, "ja"),
                         x.place or "", x.staff_name or ""]  # fmt: skip
    widths = [62 * mm, 24 * mm, 40 * mm, W - 126 * mm]
    marks = contact_marks(x, c)
    if marks:  # a column only when there is something to say: never an empty box
        row.append("\n".join(marks))
        widths[2:] = [34 * mm, 26 * mm, W - 146 * mm]
    head = grid([row], widths, label_cols=(0,))
    # The header close to the narrative it heads (its box drawn just clear of the rule), the
    # contacts further apart: each record reads as one block.
    first: list[Flowable] = [head, Spacer(1, 1.2 * mm)]
    if x.participants:
        first.append(Paragraph(text(f"同席者: {x.participants}"), st.small))
    body = narrative(x.narrative)
    tail: list[Flowable] = []
    if x.next_action or x.next_action_date:
        nxt = f"次回: {both(x.next_action_date)}　{x.next_action or ''}"
        tail.append(Paragraph(text(nxt), st.small))
    if len(body) == 1:
        out: list[Flowable] = [KeepTogether([*first, body[0], *tail])]
    else:  # the head with the first paragraph, 次回 with the last
        out = [KeepTogether([*first, body[0]]), *body[1:-1], KeepTogether([body[-1], *tail])]
    out.append(Spacer(1, 4 * mm))
    return out


def story(c: CaseDetail, on: dt.date, issues: vocab.Vocabulary | None = None) -> list[Flowable]:
    st = styles()
    sec = _Sections()
    out: list[Flowable] = [Paragraph(TITLE, st.title)]
    if c.consent_status != "given":
        out.append(Paragraph(text(NO_CONSENT), st.note))
    out += (
        _basics(c, on, sec)
        + _household(c, on, sec)
        + _issues_and_team(c, sec, issues or vocab.ISSUE_CATEGORY)
    )
    out += _meetings(c, sec)
    title = f"相談・訪問記録（{len(c.contacts)}件、新しい順）"
    if not c.contacts:
        out += sec(title, Paragraph(text("（記録なし）"), st.body))
    else:
        contacts = [_contact(x, c) for x in c.contacts]
        out += sec(title, *contacts[0][:1]) + contacts[0][1:]
        for flowables in contacts[1:]:
            out += flowables
    if c.notes:
        body = narrative(c.notes)
        out += sec("備考", body[0]) + body[1:]
    return out


def render_case_summary(case: CaseDetail, stamp: PrintStamp) -> bytes:
    furniture = Furniture(
        title=TITLE, stamp=stamp, reference=f"ケース番号 {case.case_number}",
        marks=("終結",) if case.status == "closed" else (),
    )  # fmt: skip
    return build_pdf(
        story(case, stamp.printed_at.date(), stamp.issues(case.issue_categories)), furniture
    )
