"""The referral sheet (うけとめ・つなげるシート): A4 portrait, pure function of ReferralData.

Marks a coordinator must not miss are printed on every page next to 取扱注意 and as a boxed
note under the title: 送付不可 (the sheet may carry nothing about the person, so it can never be
sent), 下書き (a draft) and 終結 (the case is closed). The receiving agency's reply box is theirs
to fill in, so it is printed blank with ruled lines.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from app.domain import vocab
from app.domain.records import MemberData, ReferralData
from app.reports.dates import age_text, both, both_time
from app.reports.layout import (
    BLANK_DATE,
    SEP,
    Furniture,
    Paragraph,
    PrintStamp,
    build_pdf,
    check,
    check_grid,
    checks,
    content_width,
    grid,
    narrative,
    para,
    section,
    styles,
    text,
)
from app.reports.pledge import PENALTY
from app.reports.redaction import FULL, MEETING, Redaction, decide

TITLE = "うけとめ・つなげるシート"
OMITTED = "（記載省略）"
NOT_SENDABLE = "送付不可"
W = content_width()
REPLY_LINES = 6  # ruled lines in the receiving agency's reply box
ADDRESS_WARNING = (
    "【住所秘匿】この方の住所・電話番号・居場所を、本人の同意なく第三者（家族・親族を含む）に"
    "伝えないでください。郵送・訪問・電話の前に送付元へ確認してください。"
)
NO_CONSENT_NOTICE = (
    "本人の同意がないため、支援会議（社会福祉法第106条の6）の構成員の間に限り共有します。"
    f"構成員には守秘義務（同条第5項）があります。{PENALTY}"
    "会議の外への提供・複写はしないでください。"
)
CONSENT_SENTENCE = (
    "私は、上記の「同意した共有先」の機関の間で、私（と世帯）の支援に必要な範囲で、この用紙に"
    "書かれた情報を共有することに同意します。"
)


def marks(d: ReferralData, r: Redaction) -> tuple[str, ...]:
    """The red marks of this sheet, most important first."""
    out = []
    if not r.can_send:
        out.append(NOT_SENDABLE)
    if d.status == "draft":
        out.append("下書き")
    if d.case_status == "closed":
        out.append("終結")
    return tuple(out)


def _v(value: object | None, hidden: bool = False) -> str:
    if hidden:
        return OMITTED
    return "" if value is None else str(value)


def _status(d: ReferralData, r: Redaction) -> str:
    if not r.can_send:
        return f"{NOT_SENDABLE}（送付済にはできません）"
    if d.status == "draft":
        return "下書き（未送付）"
    return checks(
        (d.status == code, ja) for code, (ja, _) in vocab.REFERRAL_STATUS.items() if code != "draft"
    )


def _banner(d: ReferralData, r: Redaction) -> list[Flowable]:
    st = styles()
    lines = []
    if not r.can_send:
        lines.append(
            f"<b>{NOT_SENDABLE}</b>：本人の情報を記載できないため、このシートは送付できません"
            "（理由と対応は下の「共有の範囲」のとおり）。"
        )
    if d.status == "draft":
        lines.append("<b>下書き</b>：まだ送付していません。内容を確定してから送付してください。")
    if d.case_status == "closed":
        lines.append("<b>終結</b>：このケースは終結しています。送付の要否を確認してください。")
    if set(d.contact_cautions) & vocab.ADDRESS_CAUTIONS:
        lines.append(text(ADDRESS_WARNING))
    return [Paragraph(line, st.note) for line in lines]


def _heading(d: ReferralData, r: Redaction) -> list[Flowable]:
    st = styles()
    route = vocab.label(vocab.CONSULT_ROUTE, d.consult_route, "ja") if d.consult_route else ""
    return [
        Paragraph(TITLE, st.title),
        Paragraph("（相談を関係機関へつなぐための共通様式）", st.subtitle),
        Spacer(1, 3 * mm),
        *_banner(d, r),
        grid(
            [
                ["受付番号", d.receipt_number, "作成日", both(d.referral_date)],
                ["ケース番号", d.case_number, "相談受付日", both(d.received_on)],
                ["状況", _status(d, r), "相談経路", _v(route, r.hides("person"))],
            ],
            [22 * mm, 63 * mm, 22 * mm, W - 107 * mm],
            label_cols=(0, 2),
        ),
    ]


def _recipient(d: ReferralData, r: Redaction) -> str:
    """送付先担当者: on a no-consent sheet only a member who signed the pledge may receive it."""
    if r.scope != MEETING:
        return _v(d.to_staff_name)
    if d.to_staff_name and d.to_staff_name in r.recipients:
        names = [d.to_staff_name]
    else:
        names = list(r.recipients)
    return "、".join(names) + "（支援会議の構成員・誓約書提出済の方に限る）"


def _agencies(d: ReferralData, r: Redaction) -> list[Flowable]:
    # No spanned cells anywhere a user's text can be long: ReportLab cannot split a spanned
    # row over pages cleanly, so wide rows are separate two-column tables stacked together.
    c4 = [22 * mm, 68 * mm, 22 * mm, W - 112 * mm]
    c2 = [22 * mm, W - 22 * mm]
    return [
        section("1. 送付元・送付先"),
        grid([["送付元機関", _v(d.from_agency_name), "担当者", _v(d.from_staff_name)]], c4,
             label_cols=(0, 2)),
        grid([["連絡先", _v(d.from_contact)]], c2),
        grid([["送付先機関", _v(d.to_agency_name), "担当者", _recipient(d, r)]], c4,
             label_cols=(0, 2)),
    ]  # fmt: skip


def _cautions(d: ReferralData) -> str:
    items = [vocab.label(vocab.CONTACT_CAUTION, c, "ja") for c in d.contact_cautions]
    if d.contact_note:
        items.append(d.contact_note)
    return "、".join(items) or "特になし"


def _person(d: ReferralData, r: Redaction) -> list[Flowable]:
    hidden = r.hides("person")
    p = d.person
    on = d.referral_date or dt.date.today()
    secret = bool(set(d.contact_cautions) & vocab.ADDRESS_CAUTIONS)
    if p is None or hidden:
        kana = name = sex = birth = address = phone = area = cautions = _v(None, hidden)
    else:
        kana, name = _v(p.kana), p.name
        sex = checks((p.sex == code, ja) for code, (ja, _) in vocab.SEX.items())
        birth = f"{both(p.birth_date)}　{age_text(p.birth_date, on)}" if p.birth_date else ""
        address, phone = _v(p.address), _v(p.phone)
        if secret:
            address, phone = f"【住所秘匿】{address}", f"【住所秘匿】{phone}" if phone else ""
        area = "　".join(x for x in (p.district_name, p.school_zone) if x)
        cautions = _cautions(d)
    c4 = [22 * mm, 80 * mm, 20 * mm, W - 122 * mm]
    c2 = [22 * mm, W - 22 * mm]
    consulter_hidden = r.hides("consulter")
    return [
        section("2. 本人（相談の対象者）"),
        grid([["ふりがな", kana, "地区", area], ["氏名", para(name, styles().value), "性別", sex]],
             c4, label_cols=(0, 2)),
        grid([["生年月日", birth], ["住所", address], ["電話", phone],
              ["連絡上の注意", cautions]], c2),
        grid([["相談者\n（本人以外）", _v(d.consulter_name, consulter_hidden), "続柄",
               _v(d.consulter_relationship, consulter_hidden)]], c4, label_cols=(0, 2)),
    ]  # fmt: skip


def relationship_text(m: MemberData) -> str:
    """続柄 as the household's reference person (世帯主) sees it; the head is marked."""
    if m.is_head or m.relationship == "head":
        return "世帯主"
    return vocab.label(vocab.RELATIONSHIP, m.relationship, "ja")


def _member_row(m: MemberData, on: dt.date, subject_id: str | None) -> list[object]:
    p = m.person
    return [
        relationship_text(m),
        p.name + ("（本人）" if p.id == subject_id else ""),
        p.kana or "",
        age_text(p.birth_date, on),
        "同居" if m.lives_together else "別居",
    ]


def _household(d: ReferralData, r: Redaction) -> list[Flowable]:
    st = styles()
    on = d.referral_date or dt.date.today()
    out: list[Flowable] = [CondPageBreak(30 * mm), section("3. 世帯の状況")]
    header: list[object] = ["続柄（世帯主との関係）", "氏名", "ふりがな", "年齢", "同居"]
    widths = [36 * mm, 50 * mm, 54 * mm, 16 * mm, W - 156 * mm]
    if r.hides("household_members"):
        rows: list[list[object]] = [header, [OMITTED, "", "", "", ""]]
    else:
        subject = d.person.id if d.person else None
        rows = [header] + [_member_row(m, on, subject) for m in d.household_members]
        if len(rows) == 1:
            rows.append(["（登録なし）", "", "", "", ""])
    out.append(grid(rows, widths, header=True, repeat_header=True))
    label = Paragraph(text("世帯の状況"), st.label)
    if r.hides("household_situation"):
        out.append(KeepTogether([label, Paragraph(text(OMITTED), st.body)]))
    else:
        body = narrative(d.household_situation)
        out += [KeepTogether([label, body[0]]), *body[1:]]
    return out


def _issues(d: ReferralData, r: Redaction, issues: vocab.Vocabulary) -> list[Flowable]:
    head = section("4. 課題（該当するものに■）")
    if r.hides("issue_categories"):
        return [KeepTogether([head, Paragraph(text(OMITTED), styles().body)])]
    items = [check(code in d.issue_categories, ja) for code, (ja, _) in issues.items()]
    if d.issue_other:
        items[-1] += f"（{d.issue_other}）"
    return [KeepTogether([head, check_grid(items, W)])]


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
        body = [Paragraph(text(OMITTED), st.body)] if r.hides(key) else narrative(value)
        out += [CondPageBreak(25 * mm), KeepTogether([section(title), body[0]]), *body[1:]]
    urgency = checks((d.urgency == c, ja) for c, (ja, _) in vocab.URGENCY.items())
    out.append(grid([["緊急度", urgency]], [22 * mm, W - 22 * mm]))
    return out


def _handover(d: ReferralData, r: Redaction) -> list[Flowable]:
    how = checks((d.handover == c, ja) for c, (ja, _) in vocab.HANDOVER.items())
    first = both_time(d.first_meeting_at) if d.first_meeting_at else f"{BLANK_DATE}{SEP}時{SEP}分"
    if r.hides("person"):
        how = first = OMITTED
    c = [30 * mm, W - 30 * mm]
    return [KeepTogether([
        section("9. つなぎ方"),
        grid([["つなぎ方", how], ["初回面談の日時", first]], c),
    ])]  # fmt: skip


def _meeting_name(d: ReferralData) -> str:
    kind = vocab.label(vocab.MEETING_KIND, d.meeting_kind, "ja") if d.meeting_kind else ""
    if kind and d.meeting_title and kind in d.meeting_title:
        return d.meeting_title  # 「武庫地区支援会議」 already names its kind: not repeated
    return "　".join(x for x in (kind, d.meeting_title or "") if x) or "（未指定）"


def _consent(d: ReferralData, r: Redaction) -> list[Flowable]:
    st = styles()
    c = [30 * mm, W - 30 * mm]
    block: list[Flowable] = [section("10. 情報共有の同意・根拠")]
    if d.consent_basis == "consent":
        basis = checks([(True, "本人同意"), (False, "支援会議（社会福祉法第106条の6）")])
        agencies = "、".join(d.consent_agency_names) or "（なし）"
        rows: list[list[object]] = [["共有の根拠", basis], ["同意した共有先", agencies]]
        if d.meeting_id:
            rows.append(["検討した会議", f"{_meeting_name(d)}（{both(d.meeting_held_on)}）"])
        hidden = r.hides("consent_signature")
        signed = _v(d.consent_signed_by, hidden)
        agent = _v(d.consent_agent_relationship, hidden)
        if not hidden and d.consent_signed_by and not d.consent_agent_relationship:
            agent = "（本人が署名）"
        block += [
            grid(rows, c),
            # The sentence the signer agrees to comes before the signature, in body size.
            Paragraph(text(CONSENT_SENTENCE), st.value),
            Spacer(1, 1.5 * mm),
            grid(
                [["同意日", both(d.consent_date) or BLANK_DATE],
                 ["同意者（署名）", signed],
                 ["代理人の場合\n本人との関係", agent]],
                c, min_heights=[0, 12 * mm, 0],
            ),
            Paragraph(text("署名欄は本人または代理人（成年後見人・家族等）が記入します。"), st.small),
        ]  # fmt: skip
    elif d.meeting_kind in vocab.NO_CONSENT_MEETING_KINDS:
        basis = checks([(False, "本人同意"), (True, "支援会議（社会福祉法第106条の6）")])
        rows = [["共有の根拠", basis], ["会議", _meeting_name(d)],
                ["開催日", both(d.meeting_held_on) or "（未指定）"]]  # fmt: skip
        block += [grid(rows, c), Paragraph(text(NO_CONSENT_NOTICE), st.value)]
    else:
        # No consent and no 支援会議: nothing here may be ticked as the basis, and the
        # art. 106-6 notice does not apply.
        basis = checks([(False, "本人同意"), (False, "支援会議（社会福祉法第106条の6）")])
        rows = [["共有の根拠", basis + f"{SEP}（根拠なし）"], ["指定された会議", _meeting_name(d)]]
        note = (
            "本人の同意がありません。指定された会議は本人同意に基づく会議のため、同意のない情報を"
            "共有する根拠になりません。"
            if d.meeting_kind
            else "本人の同意がなく、根拠となる支援会議も指定されていません。"
        )
        block += [grid(rows, c), Paragraph(text(note), st.value)]
    return [KeepTogether(block), _redaction_note(r)]


def _redaction_note(r: Redaction) -> Flowable:
    body = f"<b>共有の範囲</b>：{text(r.reason_ja)}"
    if r.scope != FULL:
        body += "<br/>記載を省略した項目：" + text("、".join(r.withheld_labels()))
    return Paragraph(body, styles().note)


def _reply() -> list[Flowable]:
    """The receiving agency's part: blank, ruled, theirs to fill in."""
    st = styles()
    status = checks((False, vocab.label(vocab.REFERRAL_STATUS, c, "ja"))
                    for c in ("received", "in_progress", "done", "returned"))  # fmt: skip
    lines: list[list[object]] = [["対応内容・\n返信", ""]]
    lines += [["", ""] for _ in range(REPLY_LINES - 1)]
    block = [
        section("11. 受付機関記入欄（返信）"),
        grid(
            [["受付日", BLANK_DATE, "担当者", ""]],
            [22 * mm, 80 * mm, 20 * mm, W - 122 * mm], label_cols=(0, 2), min_heights=[8 * mm],
        ),
        grid([["対応状況", status]], [22 * mm, W - 22 * mm]),
        grid(lines, [22 * mm, W - 22 * mm], min_heights=[8 * mm] * REPLY_LINES,
             spans=[((0, 0), (0, REPLY_LINES - 1))]),
        Paragraph(text("受付機関の方が記入し、送付元機関へ返送してください。"), st.small),
    ]  # fmt: skip
    return [KeepTogether(block)]


def story(
    d: ReferralData, redaction: Redaction, issues: vocab.Vocabulary | None = None
) -> list[Flowable]:
    top = [] if redaction.scope == FULL else [Spacer(1, 1 * mm), _redaction_note(redaction)]
    return (
        _heading(d, redaction) + top + _agencies(d, redaction) + _person(d, redaction)
        + _household(d, redaction) + _issues(d, redaction, issues or vocab.ISSUE_CATEGORY) + _free_texts(d, redaction)
        + _handover(d, redaction) + _consent(d, redaction) + _reply()
    )  # fmt: skip


def render_referral(
    data: ReferralData, stamp: PrintStamp, redaction: Redaction | None = None
) -> bytes:
    """PDF bytes of the sheet. ``data`` must already be redacted (see app.reports.redaction);
    ``redaction`` says what was left out and is printed on the sheet. Without it the sheet is
    rendered as decided from ``data`` alone (no meeting membership known)."""
    r = redaction or decide(data)
    furniture = Furniture(
        title=TITLE, stamp=stamp, reference=f"受付番号 {data.receipt_number}", marks=marks(data, r)
    )
    return build_pdf(story(data, r, stamp.issues(data.issue_categories)), furniture)
