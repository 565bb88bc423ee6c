"""A long text continued over a page break keeps its left edge (issue 15: "lines continued after
a page split start with a stray indent").

ReportLab put a space after every wrapped line of the part of a split paragraph that goes on to
the next page. Where a wrapped line was full to within less than a space's width, that space
moved to the start of the next line and printed as an indent (app.reports.layout.Paragraph).
The test builds such lines in a real referral sheet: each entry of 相談内容 starts with a
number in half-width digits, chosen so the first line is that full, then wraps once."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

from faker import Faker
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.reports.fonts import FONT
from app.reports.layout import PrintStamp, content_width, styles
from app.reports.redaction import redact
from app.reports.referral import render_referral
from tests.reports.conftest import make_referral, pdf_pages

KANA = (
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
)
ENTRY = re.compile(r"^\d+番の記録：")


def _page_lines(pdf: bytes, page: int) -> list[tuple[float, str]]:
    """(left edge in points, text) of each line of a page, from ``pdftotext -bbox-layout``:
    the 2.6 pt indent is below ``-layout``'s character grid on some pages."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf, capture_output=True, check=True, timeout=60,
    ).stdout.decode()  # fmt: skip
    lines = []
    for m in re.finditer(r'<line xMin="([\d.]+)"[^>]*>(.*?)</line>', out, re.S):
        words = re.findall(r">([^<]*)</word>", m[2])
        lines.append((float(m[1]), "".join(words)))
    return lines


def _digits_for_a_full_line() -> int:
    """How many half-width digits make a 相談内容 line full to within a space's width."""
    st = styles().body
    width = content_width() - st.leftIndent - st.rightIndent
    size = st.fontSize
    space, digit, wide = (stringWidth(c, FONT, size) for c in (" ", "0", "あ"))
    for n in range(1, 10):
        used = n * digit + ((width - n * digit) // wide) * wide
        if width - used < space:
            return n
    raise AssertionError("no digit count fills a line: change the test text")


def test_lines_continued_after_a_page_break_start_at_the_margin(
    fake: Faker, stamp: PrintStamp
) -> None:
    n = _digits_for_a_full_line()
    number = "123456789"[:n]  # every entry starts with n half-width digits, no more
    account = "\n".join(f"{number}番の記録：{KANA}{KANA}"[: 52 + n + 10] for _ in range(40))
    data = make_referral(fake, account=account)
    shown, r = redact(data, None)
    pdf = render_referral(shown, stamp, r)
    pages = pdf_pages(pdf)

    # The page where the 相談内容 paragraph continues: it holds entries, but not the heading.
    def continues(p: int) -> bool:
        texts = [t for _x, t in _page_lines(pdf, p)]
        return any(map(ENTRY.match, texts)) and not any("相談内容（" in t for t in texts)

    split_page = next(p for p in range(2, pages + 1) if continues(p))
    lines = _page_lines(pdf, split_page)
    entries = [i for i, (_x, t) in enumerate(lines) if ENTRY.match(t)]
    assert len(entries) >= 3, lines
    margin = lines[entries[0]][0]
    # The wrapped second line of each entry (the line after it) starts where the entry starts.
    continued = [lines[i + 1] for i in entries if i + 1 < len(lines)]
    continued = [(x, t) for x, t in continued if t and not ENTRY.match(t)]
    assert len(continued) >= 3, lines
    for x, t in continued:
        assert abs(x - margin) < 0.5, (
            f"stray indent on page {split_page}: {x - margin:.1f} pt {t!r}"
        )


def test_minutes_keep_headings_and_the_closing_note_with_their_content(stamp) -> None:
    """However many agenda items push the breaks about, no page of the minutes ends with an
    item's heading or a label (検討内容, 決定事項, 役割分担) alone, and the closing note stays
    with 会議全体の決定事項 (it was left alone on a page of its own)."""
    from app.domain.records import AssignmentData, MeetingData
    from app.reports.minutes import CaseMinutes, render_minutes

    meeting = MeetingData(
        id="m", kind="shien_kaigi", held_on=dt.date(2026, 5, 12), place="会議室",
        district_name="大庄", chair_staff_id=None, chair_name="座長 三郎", title="大庄地区支援会議",
        decisions="各機関の役割分担を確認し、次回の会議で経過を報告する。",
    )  # fmt: skip
    task = AssignmentData(id="t", case_id="c", case_number="2026-000001", staff_name="担当 一郎",
                          agency_name="社会福祉協議会", task="家計の状況を確認する",
                          due_date=dt.date(2026, 6, 12), done=False)  # fmt: skip
    labels = ("検討内容", "決定事項", "役割分担", "会議全体の決定事項")
    # (items, length of each discussion): (2, 74) and (3, 20) left the note alone on the last
    # page before the fix; the others move the breaks through the items' labels.
    for n, k in ((1, 40), (2, 74), (3, 20), (3, 23), (4, 12), (6, 5)):
        item = CaseMinutes(
            scope="file", case_number="2026-000001", person_name="架空 花子",
            title="生活費が足りない", issues=("income",), discussion="経過を報告。" * k,
            decision="社会福祉協議会が支援する。", tasks=(task,),
        )  # fmt: skip
        pdf = render_minutes(meeting, (item,) * n, stamp)
        pages = pdf_pages(pdf)
        for p in range(1, pages + 1):
            lines = [t for _, t in _page_lines(pdf, p)]
            body = [t for t in lines if not t.startswith(("出力者", "会議録（議事録）"))]
            assert body, (n, p)
            last = body[-1].replace(" ", "")
            assert not last.startswith("議題") and last not in labels, (n, p, last)
        final = [t for _, t in _page_lines(pdf, pages)]
        assert any("会議全体の決定事項" in t for t in final), n
        assert any("この会議録は事務局が保管します" in t for t in final), n
