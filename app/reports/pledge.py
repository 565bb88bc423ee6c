"""The support meeting's confidentiality pledge (守秘義務に関する誓約書) with signature lines."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from app.domain import vocab
from app.domain.records import MeetingData
from app.reports.dates import both
from app.reports.layout import (
    BLANK_DATE,
    Furniture,
    PrintStamp,
    build_pdf,
    content_width,
    grid,
    section,
    styles,
    text,
)

TITLE = "守秘義務に関する誓約書"
W = content_width()
EXTRA_ROWS = 3  # blank lines for attendees who join on the day

RULES = (
    "会議において知り得た支援対象者及びその世帯に関する秘密を、正当な理由なく他に漏らしません。"
    "会議の構成員でなくなった後も同様とします。",
    "会議で共有された情報は、支援の検討及び実施の目的にのみ使用します。",
    "会議資料の複写・撮影・持ち出しはせず、会議終了後は事務局に返却します。",
    "グランドルール（本人の尊厳を守る、本人の不利益になる使い方をしない、発言者を責めない）"
    "を守ります。",
    "支援会議（社会福祉法第106条の6）の構成員が秘密を漏らした場合は、罰則の対象となることを"
    "理解しています。",
)


def _meeting_name(m: MeetingData) -> str:
    kind = vocab.label(vocab.MEETING_KIND, m.kind, "ja")
    return f"{kind}　{m.title}" if m.title else kind


def story(m: MeetingData) -> list[Flowable]:
    st = styles()
    cases = f"{len(m.cases)}件" + (
        f"（{'、'.join(c.case_number for c in m.cases)}）" if m.cases else ""
    )
    out: list[Flowable] = [
        Paragraph(TITLE, st.title),
        Paragraph(text(f"（{_meeting_name(m)}）"), st.subtitle),
        Spacer(1, 4 * mm),
        grid(
            [
                ["会議", _meeting_name(m), "開催日", both(m.held_on)],
                ["場所", m.place or "", "地区", m.district_name or ""],
                ["座長", m.chair_name or "", "検討事例", cases],
            ],
            [18 * mm, 72 * mm, 18 * mm, W - 108 * mm],
            label_cols=(0, 2),
        ),
        Spacer(1, 4 * mm),
        Paragraph(text(f"{_meeting_name(m)} 座長 様"), st.value),
        Spacer(1, 2 * mm),
        Paragraph(
            text("私は、上記会議の構成員として、次の事項を遵守することを誓約します。"), st.value
        ),
        Spacer(1, 1 * mm),
    ]
    out += [Paragraph(text(f"{i}．{rule}"), st.value) for i, rule in enumerate(RULES, 1)]
    out.append(section(f"出席者・署名（{len(m.attendees)}名）"))
    rows: list[list[object]] = [["No.", "所属", "氏名", "署名", "誓約日"]]
    for i, a in enumerate(m.attendees, 1):
        signed = f"{both(a.pledge_date)}\n提出済" if a.pledge_signed else BLANK_DATE
        rows.append([str(i), a.agency_name or "", a.name, "", signed])
    for i in range(len(m.attendees) + 1, len(m.attendees) + EXTRA_ROWS + 1):
        rows.append([str(i), "", "", "", BLANK_DATE])
    widths = [10 * mm, 42 * mm, 35 * mm, 43 * mm, W - 130 * mm]
    heights = [0.0] + [12 * mm] * (len(rows) - 1)
    out.append(
        grid(rows, widths, header=True, repeat_header=True, min_heights=heights, strut_col=3)
    )
    out.append(Spacer(1, 2 * mm))
    out.append(
        Paragraph(
            text("この誓約書は事務局が保管します。署名のない方は会議に参加できません。"), st.small
        )
    )
    return out


def render_pledge(meeting: MeetingData, stamp: PrintStamp) -> bytes:
    reference = f"{vocab.label(vocab.MEETING_KIND, meeting.kind, 'ja')} {both(meeting.held_on)}"
    return build_pdf(story(meeting), Furniture(title=TITLE, stamp=stamp, reference=reference))
