"""A paragraph under a table has the same white above it in every document (issue: the
referral sheet's no-consent notice was drawn touching the 情報共有の同意・根拠 table).

The gap is read from the word boxes of the rendered page (``pdftotext -bbox-layout``): from
the bottom of the table's last row's text to the top of the paragraph's first line. With
nothing between them it was about the cell's bottom padding; now TABLE_GAP is added."""

from __future__ import annotations

import datetime as dt

from faker import Faker

from app.reports.layout import TABLE_GAP, PrintStamp
from app.reports.redaction import redact
from app.reports.referral import render_referral
from tests.reports.conftest import make_referral
from tests.reports.test_cell_wrap import Word, words


def gap_below(ws: list[Word], row_label: str, para_start: str) -> float:
    """From the bottom of the text of the row whose first cell is ``row_label`` to the top of
    the first line starting with ``para_start`` below it."""
    pairs = [(p, w) for w in ws if w.text == row_label
             for p in ws if p.text.startswith(para_start) and p.y0 > w.y0]  # fmt: skip
    para, label = min(pairs, key=lambda pw: pw[0].y0 - pw[1].y0)
    row_bottom = max(w.y1 for w in ws if abs(w.y0 - label.y0) < 1)
    return para.y0 - row_bottom


def _all_pages(pdf: bytes) -> list[Word]:
    out: list[Word] = []
    for page in (1, 2):
        out += [Word(w.x0, w.x1, w.y0 + 1000 * page, w.text, w.y1 + 1000 * page)
                for w in words(pdf, page)]  # fmt: skip
    return out


def test_paragraphs_under_tables_have_the_same_gap(fake: Faker, stamp: PrintStamp) -> None:
    no_consent = make_referral(
        fake, consent_basis="support_meeting", meeting_id="mtg", meeting_kind="shien_kaigi",
        meeting_title="立花地区支援会議", meeting_held_on=dt.date(2026, 3, 20),
        consent_agency_ids=(), consent_agency_names=(), consent_signed_by=None, consent_date=None,
    )  # fmt: skip
    consent = make_referral(fake)
    sheets = []
    for data in (no_consent, consent):
        shown, r = redact(data, None)
        sheets.append(_all_pages(render_referral(shown, stamp, r)))
    gaps = {
        "no-consent notice": gap_below(sheets[0], "開催日", "本人の同意がないため"),
        "consent sentence": gap_below(sheets[1], "同意した共有先", "私は、上記の"),
        "signature note": gap_below(sheets[1], "本人との関係", "署名欄は本人"),
        "household label": gap_below(sheets[1], "子", "世帯の状況"),
    }
    for what, gap in gaps.items():
        assert gap >= TABLE_GAP, (what, gaps)
    assert max(gaps.values()) - min(gaps.values()) < 1.5, gaps
