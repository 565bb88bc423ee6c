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

from reportlab.pdfbase.pdfmetrics import stringWidth

from app.domain.records import AssignmentData, AttendeeData, MeetingData
from app.reports.fonts import FONT
from app.reports.layout import CELL_PADDING, PrintStamp, styles
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


def _lines(pdf: bytes, page: int = 1) -> list[str]:
    """The text of each line of a page, as poppler groups the words (``-bbox-layout``)."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf, capture_output=True, check=True, timeout=60,
    ).stdout.decode()  # fmt: skip
    return [
        "".join(re.findall(r">([^<]*)</word>", m))
        for m in re.findall(r"<line [^>]*>(.*?)</line>", out, re.S)
    ]


def test_minutes_attendees_wrap_between_names(stamp: PrintStamp) -> None:
    """The 出席者 cell breaks lines after 「、」, not inside a name or its agency (「渡辺 洋／
    介（弁護士会）」 was split)."""
    names = ["長谷川 くみ子", "福田 聡太郎", "渡辺 洋介", "斉藤 結衣", "松本 真綾", "山口 零",
             "後藤 里佳", "青木 和也"]  # fmt: skip
    agencies = ["保健福祉センター（南部）", AGENCY, "弁護士会", "社会福祉協議会", "保健局",
                "動物愛護センター", "医療介護連携支援センター", "こども食堂ネットワーク"]  # fmt: skip
    attendees = tuple(
        AttendeeData(id=str(i), name=n, staff_id=None, agency_id=None, agency_name=a,
                     pledge_signed=False, pledge_date=None)
        for i, (n, a) in enumerate(zip(names, agencies, strict=True))
    )  # fmt: skip
    lines = _lines(render_minutes(_meeting(attendees=attendees), (), stamp))
    start = next(i for i, t in enumerate(lines) if t.startswith("出席者")) - 1
    end = next(i for i, t in enumerate(lines) if t.startswith("会議全体"))
    cell = [t.removeprefix("出席者") for t in lines[start:end]]
    cell = [t for t in cell if "（" in t]  # the cell's lines, not the 座長 row above
    assert len(cell) >= 3, cell  # the list does wrap
    items = {f"{n}（{a}）".replace(" ", "") for n, a in zip(names, agencies, strict=True)}
    for line in cell:
        for item in line.rstrip("、").split("、"):
            assert item in items, (item, cell)


def test_visit_list_prints_the_reading_and_address_whole(stamp: PrintStamp) -> None:
    from app.domain.records import VisitPlan
    from app.reports.visit_list import render_visit_list

    day = dt.date(2026, 6, 3)
    address = "尼崎市東塚口町7丁目14番10号"
    visit = VisitPlan(
        case_id="c", case_number="2026-000015", person_name="伊藤 くみ子",
        person_kana="イトウ クミコ", address=address, phone=None, planned_on=day,
        next_action="再訪問", last_contact_at=dt.datetime(2026, 11, 26, 10, 0),
    )  # fmt: skip
    lines = _lines(render_visit_list(day, [visit], stamp))
    assert "（イトウクミコ）" in lines, lines  # the reading on a line of its own, whole
    assert any(address in t for t in lines), lines
    assert any("令和8年11月26日" in t for t in lines), lines


def test_numbered_rules_wrap_under_their_text(stamp: PrintStamp) -> None:
    """The pledge's 「1．」 rule wraps with a hanging indent: its second line starts where the
    first line's text starts, not under the number."""
    out = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=render_pledge(
        _meeting(), stamp), capture_output=True, check=True, timeout=60).stdout.decode()  # fmt: skip
    lines = [
        (float(x), "".join(re.findall(r">([^<]*)</word>", body)))
        for x, body in re.findall(r'<line xMin="([\d.]+)"[^>]*>(.*?)</line>', out, re.S)
    ]
    first = next(i for i, (_x, t) in enumerate(lines) if t.startswith("1．支援会議において"))
    number = stringWidth("1．", FONT, styles().value.fontSize)
    assert abs(lines[first + 1][0] - (lines[first][0] + number)) < 1, lines[first : first + 2]
