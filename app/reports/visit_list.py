"""An outreach worker's visit list for the day (訪問予定表), A4 landscape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from app.domain.records import VisitPlan
from app.reports.dates import both, wareki
from app.reports.layout import (
    Furniture,
    PrintStamp,
    build_pdf,
    content_width,
    grid,
    para,
    styles,
    text,
)

TITLE = "訪問予定表"
W = content_width(landscape_page=True)
CAUTION = (
    "個人情報を含みます。持ち出し中は身につけて管理し、紛失したときは直ちに所属長へ報告して"
    "ください。訪問後は事務所で裁断してください。"
)


def _row(i: int, v: VisitPlan) -> list[object]:
    st = styles()
    name = f"{v.person_name or ''}\n{v.person_kana or ''}".strip()
    last = f"{wareki(v.last_contact_at.date())}" if v.last_contact_at else ""
    return [
        str(i), v.case_number, para(name, st.cell), para(v.address, st.cell), v.phone or "",
        para(v.next_action, st.cell), last, "", "",
    ]  # fmt: skip


def story(day: dt.date, visits: Sequence[VisitPlan], worker: str) -> list[Flowable]:
    st = styles()
    header: list[object] = ["No.", "ケース番号", "氏名／ふりがな", "住所", "電話", "予定の内容", "前回接触",
              "訪問時刻", "結果・メモ"]  # fmt: skip
    rows: list[list[object]] = [header] + [_row(i, v) for i, v in enumerate(visits, 1)]
    if not visits:
        rows.append(["", "", "（予定はありません）", "", "", "", "", "", ""])
    widths = [9 * mm, 24 * mm, 32 * mm, 50 * mm, 26 * mm, 40 * mm, 24 * mm, 16 * mm]
    widths.append(W - sum(widths))
    heights = [0.0] + [14 * mm] * (len(rows) - 1)
    return [
        Paragraph(TITLE, st.title),
        grid(
            [["訪問日", both(day), "担当者", worker, "件数", f"{len(visits)}件"]],
            [18 * mm, 70 * mm, 18 * mm, 60 * mm, 14 * mm, W - 180 * mm],
            label_cols=(0, 2, 4),
        ),
        Spacer(1, 3 * mm),
        grid(rows, widths, header=True, repeat_header=True, min_heights=heights),
        Spacer(1, 2 * mm),
        Paragraph(text(CAUTION), st.small),
    ]


def render_visit_list(
    day: dt.date, visits: Sequence[VisitPlan], stamp: PrintStamp, worker: str | None = None
) -> bytes:
    furniture = Furniture(title=TITLE, stamp=stamp, reference=both(day))
    return build_pdf(story(day, visits, worker or stamp.printed_by), furniture, landscape_page=True)
