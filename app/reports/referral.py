"""The referral sheet (うけとめ・つなげるシート): A4 portrait, pure function of ReferralData."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from app.domain import vocab
from app.domain.records import MemberData, ReferralData
from app.reports.dates import age_text, both
from app.reports.layout import (
    BLANK_DATE,
    Furniture,
    PrintStamp,
    build_pdf,
    check,
    checks,
    content_width,
    grid,
    narrative,
    para,
    section,
    styles,
    text,
)
from app.reports.redaction import FULL, Redaction, decide

TITLE = "うけとめ・つなげるシート"
OMITTED = "（記載省略）"
W = content_width()


def _v(value: object | None, hidden: bool = False) -> str:
    if hidden:
        return OMITTED
    return "" if value is None else str(value)


def _heading(d: ReferralData) -> list[Flowable]:
    st = styles()
    status = checks(
        (d.status == code, ja) for code, (ja, _) in vocab.REFERRAL_STATUS.items() if code != "draft"
    )
    return [
        Paragraph(TITLE, st.title),
        Paragraph("（相談を関係機関へつなぐための共通様式）", st.subtitle),
        Spacer(1, 3 * mm),
        grid(
            [
                ["受付番号", d.receipt_number, "作成日", both(d.referral_date)],
                ["ケース番号", d.case_number, "状況", status],
            ],
            [22 * mm, 45 * mm, 20 * mm, W - 87 * mm],
            label_cols=(0, 2),
        ),
    ]


def _agencies(d: ReferralData) -> list[Flowable]:
    # No spanned cells anywhere a user's text can be long: ReportLab cannot split a spanned
    # row over pages cleanly, so wide rows are separate two-column tables stacked together.
    c4 = [22 * mm, 68 * mm, 22 * mm, W - 112 * mm]
    c2 = [22 * mm, W - 22 * mm]
    return [
        section("1. 送付元・送付先"),
        grid([["送付元機関", _v(d.from_agency_name), "担当者", _v(d.from_staff_name)]], c4,
             label_cols=(0, 2)),
        grid([["連絡先", _v(d.from_contact)]], c2),
        grid([["送付先機関", _v(d.to_agency_name), "担当者", _v(d.to_staff_name)]], c4,
             label_cols=(0, 2)),
    ]  # fmt: skip


def _person(d: ReferralData, r: Redaction) -> list[Flowable]:
    hidden = r.hides("person")
    p = d.person
    on = d.referral_date or dt.date.today()
    if p is None or hidden:
        kana = name = sex = birth = address = phone = area = _v(None, hidden)
    else:
        kana, name = _v(p.kana), p.name
        sex = checks((p.sex == code, ja) for code, (ja, _) in vocab.SEX.items())
        birth = f"{both(p.birth_date)}　{age_text(p.birth_date, on)}" if p.birth_date else ""
        address, phone = _v(p.address), _v(p.phone)
        area = "　".join(x for x in (p.district_name, p.school_zone) if x)
    c4 = [22 * mm, 80 * mm, 20 * mm, W - 122 * mm]
    c2 = [22 * mm, W - 22 * mm]
    consulter_hidden = r.hides("consulter")
    return [
        section("2. 本人（相談の対象者）"),
        grid([["ふりがな", kana, "地区", area], ["氏名", para(name, styles().value), "性別", sex]],
             c4, label_cols=(0, 2)),
        grid([["生年月日", birth], ["住所", address], ["電話", phone]], c2),
        grid([["相談者\n（本人以外）", _v(d.consulter_name, consulter_hidden), "続柄",
               _v(d.consulter_relationship, consulter_hidden)]], c4, label_cols=(0, 2)),
    ]  # fmt: skip


def _member_row(m: MemberData, on: dt.date) -> list[object]:
    p = m.person
    return [
        vocab.label(vocab.RELATIONSHIP, m.relationship, "ja"),
        p.name,
        p.kana or "",
        age_text(p.birth_date, on),
        "同居" if m.lives_together else "別居",
    ]


def _household(d: ReferralData, r: Redaction) -> list[Flowable]:
    on = d.referral_date or dt.date.today()
    out: list[Flowable] = [CondPageBreak(30 * mm), section("3. 世帯の状況")]
    header: list[object] = ["続柄", "氏名", "ふりがな", "年齢", "同居"]
    widths = [24 * mm, 50 * mm, 60 * mm, 20 * mm, W - 154 * mm]
    if r.hides("household_members"):
        rows: list[list[object]] = [header, [OMITTED, "", "", "", ""]]
    else:
        rows = [header] + [_member_row(m, on) for m in d.household_members]
        if len(rows) == 1:
            rows.append(["（登録なし）", "", "", "", ""])
    out.append(grid(rows, widths, header=True, repeat_header=True))
    out.append(Spacer(1, 1.5 * mm))
    if r.hides("household_situation"):
        out.append(Paragraph(text(OMITTED), styles().body))
    else:
        out += narrative(d.household_situation)
    return out


def _issues(d: ReferralData, r: Redaction) -> list[Flowable]:
    out: list[Flowable] = [section("4. 課題（該当するものに■）")]
    if r.hides("issue_categories"):
        return out + [Paragraph(text(OMITTED), styles().body)]
    items = [
        check(code in d.issue_categories, ja) for code, (ja, _) in vocab.ISSUE_CATEGORY.items()
    ]
    if d.issue_other:
        items[-1] += f"（{d.issue_other}）"
    per_row = 4
    rows = [items[i : i + per_row] for i in range(0, len(items), per_row)]
    rows[-1] += [""] * (per_row - len(rows[-1]))
    out.append(grid(rows, [W / per_row] * per_row, label_cols=()))
    return out


def _free_texts(d: ReferralData, r: Redaction) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = []
    blocks = [
        ("5. 相談内容（本人の訴え・経過）", "account", d.account),
        ("6. 本人の希望", "wishes", d.wishes),
        ("7. 関わっている機関・サービス", "services_involved", d.services_involved),
        ("8. つなぐ理由", "reason", d.reason),
    ]
    for title, key, value in blocks:
        out += [CondPageBreak(25 * mm), section(title)]
        out += [Paragraph(text(OMITTED), st.body)] if r.hides(key) else narrative(value)
    urgency = checks((d.urgency == c, ja) for c, (ja, _) in vocab.URGENCY.items())
    out.append(grid([["緊急度", urgency]], [22 * mm, W - 22 * mm]))
    return out


def _consent(d: ReferralData, r: Redaction) -> list[Flowable]:
    st = styles()
    with_consent = d.consent_basis == "consent"
    basis = checks((d.consent_basis == c, ja) for c, (ja, _) in vocab.CONSENT_BASIS.items())
    c = [30 * mm, W - 30 * mm]
    heights: list[float]
    if with_consent:
        agencies = "、".join(d.consent_agency_names) or "（なし）"
        signed = _v(d.consent_signed_by, r.hides("consent_signature"))
        rows: list[list[object]] = [
            ["共有の根拠", basis],
            ["同意日", both(d.consent_date)],
            ["同意した共有先", agencies],
            ["同意者（署名）", signed],
        ]
        heights = [0, 0, 0, 11 * mm]
        lead = ("私は、上記の機関の間で、支援に必要な範囲で私の情報を共有することに同意します。"
                "（同意者署名欄は本人または代理人が記入）")  # fmt: skip
    else:
        meeting = vocab.label(vocab.MEETING_KIND, d.meeting_kind, "ja") if d.meeting_kind else ""
        name = "　".join(x for x in (meeting, d.meeting_title or "") if x) or "（未指定）"
        rows = [
            ["共有の根拠", basis],
            ["会議", name],
            ["開催日", both(d.meeting_held_on) or "（未指定）"],
        ]
        heights = []
        lead = ("本人の同意がないため、支援会議の構成員の間に限り共有します（社会福祉法第106条の6）。"
                "構成員には守秘義務があり、違反には罰則があります。会議の外への提供・複写はしないで"
                "ください。")  # fmt: skip
    block: list[Flowable] = [
        section("9. 情報共有の同意・根拠"),
        grid(rows, c, min_heights=heights),
        Paragraph(text(lead), st.small),
    ]
    return [KeepTogether(block), _redaction_note(r)]


def _redaction_note(r: Redaction) -> Flowable:
    body = f"<b>共有の範囲</b>：{text(r.reason_ja)}"
    if r.scope != FULL:
        body += "<br/>記載を省略した項目：" + text("、".join(r.withheld_labels()))
    return Paragraph(body, styles().note)


def _reply(d: ReferralData, r: Redaction) -> list[Flowable]:
    st = styles()
    status = checks(
        (d.status == c, vocab.label(vocab.REFERRAL_STATUS, c, "ja"))
        for c in ("received", "in_progress", "done", "returned")
    )
    reply = OMITTED if r.hides("reply") and d.reply_text is None else (d.reply_text or "")
    body = para(reply, st.value)
    block = [
        section("10. 受付機関記入欄（返信）"),
        grid(
            [["受付日", both(d.reply_date) or BLANK_DATE, "担当者", _v(d.reply_staff_name)]],
            [22 * mm, 80 * mm, 20 * mm, W - 122 * mm], label_cols=(0, 2), min_heights=[8 * mm],
        ),
        grid(
            [["対応状況", status], ["対応内容・\n返信", body]], [22 * mm, W - 22 * mm],
            min_heights=[8 * mm, 0 if reply else 32 * mm],
        ),
        Paragraph(text("記入後、送付元機関へ返送してください。"), st.small),
    ]  # fmt: skip
    return [KeepTogether(block)]


def story(d: ReferralData, redaction: Redaction) -> list[Flowable]:
    top = [] if redaction.scope == FULL else [Spacer(1, 1 * mm), _redaction_note(redaction)]
    return (
        _heading(d) + top + _agencies(d) + _person(d, redaction) + _household(d, redaction)
        + _issues(d, redaction) + _free_texts(d, redaction) + _consent(d, redaction)
        + _reply(d, redaction)
    )  # fmt: skip


def render_referral(
    data: ReferralData, stamp: PrintStamp, redaction: Redaction | None = None
) -> bytes:
    """PDF bytes of the sheet. ``data`` must already be redacted (see app.reports.redaction);
    ``redaction`` says what was left out and is printed on the sheet. Without it the sheet is
    rendered as decided from ``data`` alone (no meeting membership known)."""
    r = redaction or decide(data)
    furniture = Furniture(title=TITLE, stamp=stamp, reference=f"受付番号 {data.receipt_number}")
    return build_pdf(story(data, r), furniture)
