"""The meeting's confidentiality pledge (守秘義務に関する誓約書) with a signature line per member.

Addressed once to the meeting's organiser (the agency an administrator set up, with the
addressee it gave, e.g. 重層的支援推進担当課長). The undertaking depends on the meeting's kind:

- 支援会議 (社会福祉法第106条の6): members share without the person's consent; the pledge cites
  the members' duty of confidentiality (同条第5項) and that breaking it is punishable under the
  Act. The penalty article and its wording could not be checked against the law's current text
  when this was written, so no article number or penalty amount is printed (see issue 15).
- 重層的支援会議, 進捗会議: consent-based; an undertaking to use what is shared only within the
  person's consent, without the art. 106-6 notice.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from app.domain import vocab
from app.domain.records import AttendeeData, MeetingData
from app.reports.dates import both
from app.reports.layout import (
    BLANK_DATE,
    Furniture,
    Paragraph,
    PrintStamp,
    build_pdf,
    content_width,
    grid,
    item,
    section,
    styles,
    text,
)

TITLE = "守秘義務に関する誓約書"
CONSENT_TITLE = "情報の取扱いに関する誓約書"
W = content_width()
EXTRA_ROWS = 3  # blank lines for members who join on the day

# The penalty for breaking the duty of confidentiality, printed on the pledge and on a
# no-consent referral sheet in these same words. The penalty article could not be checked
# against the law's current text, so it names no article and no amount (issue 15).
PENALTY = "守秘義務に違反した場合は、社会福祉法により罰せられることがあります。"
SHIEN_KAIGI_RULES = (
    "支援会議において知り得た支援対象者及びその世帯に関する秘密を、正当な理由なく漏らしません。"
    "支援会議の構成員でなくなった後も同様とします（社会福祉法第106条の6第5項）。",
    "支援会議で共有された情報は、支援の検討及び実施の目的にのみ使用します。",
    "会議資料の複写・撮影・持ち出しはせず、会議終了後は事務局に返却します。",
    f"{PENALTY}このことを理解しています。",
)
CONSENT_RULES = (
    "会議で共有される情報は、本人が同意した範囲で、支援の検討及び実施の目的にのみ使用します。",
    "会議において知り得た支援対象者及びその世帯に関する秘密を、正当な理由なく漏らしません。"
    "会議の構成員でなくなった後も同様とします。",
    "会議資料の複写・撮影・持ち出しはせず、会議終了後は事務局に返却します。",
    "同意の範囲を超えて情報を共有する必要が生じたときは、改めて本人の同意を得ます。",
)
GROUND_RULES = (
    "本人の尊厳を守り、本人の不利益になる使い方をしない。",
    "発言者を責めない。誰もが安心して話せる場にする。",
    "会議で話したことは会議の中だけにとどめる。",
    "支援の方針は、本人の意思を尊重して決める。",
)


def addressee_line(m: MeetingData) -> str:
    """The addressee, once: the name an administrator set, else the organising agency."""
    if m.addressee:
        return f"{m.addressee}　様"
    name = m.organiser_name or "会議事務局"
    return f"{name}長　様" if name.endswith("課") else f"{name}　御中"


def _meeting_name(m: MeetingData) -> str:
    kind = vocab.label(vocab.MEETING_KIND, m.kind, "ja")
    if not m.title or kind in m.title:  # "支援会議 第1回", "園田地区重層的支援会議": once
        return m.title or kind
    return f"{kind}　{m.title}"


def _pledge_counts(a: AttendeeData, m: MeetingData) -> bool:
    return bool(
        a.pledge_signed and a.pledge_date and (m.held_on is None or a.pledge_date <= m.held_on)
    )


def _member_row(i: int, a: AttendeeData, m: MeetingData) -> list[object]:
    if _pledge_counts(a, m):
        # The signed original is on file: the row says so instead of an empty signature box.
        return [str(i), a.agency_name or "", a.name, "誓約書提出済（原本は事務局で保管）",
                both(a.pledge_date)]  # fmt: skip
    if a.pledge_signed:  # dated after the meeting: it does not cover this meeting
        return [str(i), a.agency_name or "", a.name, "", f"{BLANK_DATE}\n（会議後の誓約は無効）"]
    return [str(i), a.agency_name or "", a.name, "", BLANK_DATE]


def story(m: MeetingData) -> list[Flowable]:
    st = styles()
    no_consent = m.kind in vocab.NO_CONSENT_MEETING_KINDS
    rules = SHIEN_KAIGI_RULES if no_consent else CONSENT_RULES
    cases = f"{len(m.cases)}件" + (
        f"（{'、'.join(c.case_number for c in m.cases)}）" if m.cases else ""
    )
    lead = (
        "私は、上記の支援会議（社会福祉法第106条の6）の構成員として、次の事項を遵守することを"
        "誓約します。"
        if no_consent
        else "私は、上記会議の構成員として、本人の同意に基づいて共有される情報について、次の"
        "事項を遵守することを誓約します。"
    )
    out: list[Flowable] = [
        Paragraph(TITLE if no_consent else CONSENT_TITLE, st.title),
        Spacer(1, 2 * mm),
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
        Paragraph(text(addressee_line(m)), st.value),
        Spacer(1, 2 * mm),
        Paragraph(text(lead), st.value),
        Spacer(1, 1 * mm),
    ]
    out += [item(f"{i}．", rule) for i, rule in enumerate(rules, 1)]
    out.append(KeepTogether([
        section("グランドルール"),
        *[item(f"（{i}）", rule) for i, rule in enumerate(GROUND_RULES, 1)],
    ]))  # fmt: skip
    out.append(section(f"構成員の署名（{len(m.attendees)}名）"))
    rows: list[list[object]] = [["No.", "所属", "氏名", "署名", "誓約日"]]
    rows += [_member_row(i, a, m) for i, a in enumerate(m.attendees, 1)]
    for i in range(len(m.attendees) + 1, len(m.attendees) + EXTRA_ROWS + 1):
        rows.append([str(i), "", "", "", BLANK_DATE])
    widths = [10 * mm, 42 * mm, 32 * mm, 44 * mm, W - 128 * mm]
    heights = [0.0] + [12 * mm] * (len(rows) - 1)
    out.append(
        grid(rows, widths, header=True, repeat_header=True, min_heights=heights, strut_col=3)
    )
    note = "この誓約書は事務局が保管します。"
    if no_consent:
        note += "会議の日までに誓約書を提出していない方は、会議に参加できません。"
    out.append(Paragraph(text(note), st.small))
    return out


def render_pledge(meeting: MeetingData, stamp: PrintStamp) -> bytes:
    reference = f"{vocab.label(vocab.MEETING_KIND, meeting.kind, 'ja')} {both(meeting.held_on)}"
    title = TITLE if meeting.kind in vocab.NO_CONSENT_MEETING_KINDS else CONSENT_TITLE
    return build_pdf(story(meeting), Furniture(title=title, stamp=stamp, reference=reference))
