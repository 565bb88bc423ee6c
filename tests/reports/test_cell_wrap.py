"""Text in a table cell stays inside its cell (issue: 「教育委員会（スクールソーシャルワーカー）」
ran over the pledge's 所属 cell into 氏名).

ReportLab's Japanese line breaking let a character that may not start a line (ャ, ー, ）, 。)
hang past the line's end, over the cell's rule; app.reports.layout pushes it to the next line
instead. Each test reads the word boxes of a rendered page (``pdftotext -bbox-layout``) and
checks that no word starting in a column ends past the rule left of the next column's header.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass

from app.domain.records import AssignmentData, AttendeeData, MeetingData
from app.reports.layout import CELL_PADDING, PrintStamp
from app.reports.minutes import CaseMinutes, render_minutes
from app.reports.pledge import render_pledge

AGENCY = "教育委員会（スクールソーシャルワーカー）"
LONG_NAME = "長谷川　くみ子ジェニファーアレクサンドラ"


@dataclass(frozen=True)
class Word:
    x0: float
    x1: float
    y0: float
    text: str
    y1: float = 0.0


def words(pdf: bytes, page: int = 1) -> list[Word]:
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf, capture_output=True, check=True, timeout=60,
    ).stdout.decode()  # fmt: skip
    pattern = (
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    found = re.findall(pattern, out)
    return [Word(float(a), float(c), float(b), t, float(d)) for a, b, c, d, t in found]


def header(ws: list[Word], label: str, below: float = 0.0) -> Word:
    """The first word ``label`` below ``below`` points (a table's column header)."""
    return next(w for w in ws if w.text == label and w.y0 > below)


def assert_inside(ws: list[Word], col: Word, next_col: Word, expect: str, end: str) -> None:
    """Every word starting in ``col``'s column, between its header and the first word
    starting with ``end`` (below the table), ends before the rule left of ``next_col``'s
    header (its text starts a cell's left padding after the rule)."""
    rule = next_col.x0 - CELL_PADDING / 2
    bottom = next(w.y0 for w in ws if w.text.startswith(end) and w.y0 > col.y0)
    cell = [w for w in ws if col.x0 - 1 <= w.x0 < next_col.x0 and col.y0 < w.y0 < bottom]
    assert expect in "".join(w.text for w in cell), [w.text for w in cell]
    for w in cell:
        assert w.x1 <= rule, (
            f"{w.text!r} ends at {w.x1:.1f}, past {next_col.text}'s rule {rule:.1f}"
        )


def _meeting(**kw: object) -> MeetingData:
    attendees = (
        AttendeeData(id="a", name=LONG_NAME, staff_id=None, agency_id="x", agency_name=AGENCY,
                     pledge_signed=True, pledge_date=dt.date(2026, 3, 1)),
        AttendeeData(id="b", name="山田 太郎", staff_id=None, agency_id="x", agency_name=AGENCY,
                     pledge_signed=False, pledge_date=None),
    )  # fmt: skip
    base: dict[str, object] = dict(
        id="m", kind="shien_kaigi", held_on=dt.date(2026, 3, 20), place="会議室",
        district_name="立花", chair_staff_id=None, chair_name="座長 一郎",
        title="立花地区支援会議", decisions="次回までに各機関が報告する。", attendees=attendees,
    )  # fmt: skip
    return MeetingData(**(base | kw))  # type: ignore[arg-type]


def test_pledge_member_cells_stay_inside_their_columns(stamp: PrintStamp) -> None:
    for kind in ("shien_kaigi", "jusoteki"):
        ws = words(render_pledge(_meeting(kind=kind), stamp))
        no = header(ws, "No.")
        agency, name, sign = (header(ws, h, no.y0 - 1) for h in ("所属", "氏名", "署名"))
        assert_inside(ws, agency, name, AGENCY, "この誓約書")
        assert_inside(ws, name, sign, "アレクサンドラ", "この誓約書")


def test_minutes_task_cells_stay_inside_their_columns(stamp: PrintStamp) -> None:
    task = AssignmentData(
        id="t", case_id="c", case_number="2026-000001", staff_name=LONG_NAME, agency_name=AGENCY,
        task="学校と連携して登校の状況を確認し、次回の会議で報告する", due_date=dt.date(2026, 4, 30),
        done=False,
    )  # fmt: skip
    item = CaseMinutes(
        scope="file", case_number="2026-000001", person_name="架空 花子", title="不登校",
        issues=("income",), discussion="経過を報告。", decision="学校と連携する。", tasks=(task,),
    )  # fmt: skip
    ws = words(render_minutes(_meeting(), (item,), stamp))
    who = header(ws, "担当者")
    agency, content = (header(ws, h, who.y0 - 1) for h in ("機関", "内容"))
    assert_inside(ws, who, agency, "アレクサンドラ", "会議全体")
    assert_inside(ws, agency, content, "ワーカー", "会議全体")
