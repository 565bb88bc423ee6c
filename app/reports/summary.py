"""Case summary (ケース概要): basic facts, household table, issues, support team, contact history."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from app.domain import vocab
from app.domain.records import CaseDetail, ContactData
from app.reports.dates import age_text, both, both_time
from app.reports.layout import (
    Furniture,
    PrintStamp,
    build_pdf,
    check,
    content_width,
    grid,
    narrative,
    section,
    styles,
    text,
)

TITLE = "ケース概要"
W = content_width()
NO_CONSENT = (
    "本人同意なし：この概要は主担当機関と支援会議の構成員のための内部資料です。"
    "会議の構成員以外に提供・複写しないでください。"
)


def _basics(c: CaseDetail, on: dt.date) -> list[Flowable]:
    consent = vocab.label(vocab.CONSENT_STATUS, c.consent_status, "ja")
    if c.consent_status == "given":
        consent += f"（{both(c.consent_date)}）　共有先: " + (
            "、".join(c.consent_agency_names) or "なし"
        )
    rows: list[list[object]] = [
        ["ケース番号", c.case_number, "状態", vocab.label(vocab.CASE_STATUS, c.status, "ja")],
        ["主訴", c.title, "緊急度", vocab.label(vocab.URGENCY, c.urgency, "ja")],
        ["地区", c.district_name or "", "主担当機関", c.lead_agency_name or ""],
        ["担当者", c.assigned_staff_name or "", "受付日", both(c.opened_on)],
        ["同意", consent, "終結日", both(c.closed_on)],
    ]
    out: list[Flowable] = [section("1. 基本情報"), grid(rows, [22 * mm, 78 * mm, 22 * mm, W - 122 * mm], label_cols=(0, 2))]  # fmt: skip
    p = c.person
    if p is not None:
        sex = vocab.label(vocab.SEX, p.sex, "ja")
        out += [
            section("2. 本人"),
            grid(
                [
                    ["氏名", f"{p.name}（{p.kana or ''}）", "性別", sex],
                    ["生年月日", f"{both(p.birth_date)}　{age_text(p.birth_date, on)}", "電話", p.phone or ""],
                    ["住所", p.address or "", "小学校区", p.school_zone or ""],
                ],
                [22 * mm, 98 * mm, 20 * mm, W - 140 * mm], label_cols=(0, 2),
            ),
        ]  # fmt: skip
    return out


def _household(c: CaseDetail, on: dt.date) -> list[Flowable]:
    h = c.household
    out: list[Flowable] = [CondPageBreak(30 * mm), section("3. 世帯")]
    if h is None:
        return out + [Paragraph(text("（世帯の登録なし）"), styles().body)]
    rows: list[list[object]] = [["続柄", "氏名", "ふりがな", "生年月日", "年齢", "同居"]]
    for m in h.members:
        p = m.person
        rows.append([
            vocab.label(vocab.RELATIONSHIP, m.relationship, "ja"), p.name, p.kana or "",
            both(p.birth_date), age_text(p.birth_date, on), "同居" if m.lives_together else "別居",
        ])  # fmt: skip
    widths = [20 * mm, 34 * mm, 40 * mm, 50 * mm, 14 * mm, W - 158 * mm]
    out += [Paragraph(text(f"{h.name}　{h.address or ''}"), styles().value),
            grid(rows, widths, header=True, repeat_header=True), Spacer(1, 1.5 * mm)]  # fmt: skip
    return out + narrative(h.situation)


def _issues_and_team(c: CaseDetail) -> list[Flowable]:
    items = [check(k in c.issue_categories, ja) for k, (ja, _) in vocab.ISSUE_CATEGORY.items()]
    rows = [items[i : i + 4] for i in range(0, len(items), 4)]
    rows[-1] += [""] * (4 - len(rows[-1]))
    team: list[list[object]] = [["所属", "氏名", "役割"]]
    team += [[t.agency_name or "", t.staff_name or "", t.role or ""] for t in c.team]
    if not c.team:
        team.append(["（登録なし）", "", ""])
    refs: list[list[object]] = [["受付番号", "送付日", "送付先", "状況"]]
    refs += [[r.receipt_number, both(r.referral_date), r.to_agency_name or "",
              vocab.label(vocab.REFERRAL_STATUS, r.status, "ja")] for r in c.referrals]  # fmt: skip
    out: list[Flowable] = [
        section("4. 課題"), grid(rows, [W / 4] * 4, label_cols=()),
        CondPageBreak(25 * mm), section("5. 支援チーム（役割分担）"),
        grid(team, [70 * mm, 50 * mm, W - 120 * mm], header=True, repeat_header=True),
    ]  # fmt: skip
    if c.referrals:
        widths = [30 * mm, 50 * mm, 70 * mm, W - 150 * mm]
        out += [section("つなぎ（うけとめ・つなげるシート）"), grid(refs, widths, header=True)]
    return out


def _contact(x: ContactData) -> list[Flowable]:
    head = grid(
        [[both_time(x.contact_at), vocab.label(vocab.CONTACT_KIND, x.kind, "ja"), x.place or "",
          x.staff_name or "", "（訂正）" if x.corrects_id else ""]],
        [62 * mm, 24 * mm, 40 * mm, 34 * mm, W - 160 * mm], label_cols=(0,),
    )  # fmt: skip
    out: list[Flowable] = [KeepTogether([head, *narrative(x.narrative)[:1]])]
    out += narrative(x.narrative)[1:]
    if x.next_action or x.next_action_date:
        nxt = f"次回: {both(x.next_action_date)}　{x.next_action or ''}"
        out.append(Paragraph(text(nxt), styles().small))
    out.append(Spacer(1, 2 * mm))
    return out


def story(c: CaseDetail, on: dt.date) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Paragraph(TITLE, st.title)]
    if c.consent_status != "given":
        out.append(Paragraph(text(NO_CONSENT), st.note))
    out += _basics(c, on) + _household(c, on) + _issues_and_team(c)
    out += [CondPageBreak(30 * mm), section(f"6. 相談・訪問記録（{len(c.contacts)}件、新しい順）")]
    for x in c.contacts:
        out += _contact(x)
    if not c.contacts:
        out.append(Paragraph(text("（記録なし）"), st.body))
    if c.notes:
        out += [section("備考"), *narrative(c.notes)]
    return out


def render_case_summary(case: CaseDetail, stamp: PrintStamp) -> bytes:
    furniture = Furniture(title=TITLE, stamp=stamp, reference=f"ケース番号 {case.case_number}")
    return build_pdf(story(case, stamp.printed_at.date()), furniture)
