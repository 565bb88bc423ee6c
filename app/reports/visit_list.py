"""An outreach worker's visit list for the day (訪問予定表), A4 landscape.

One row per household: a household with several cases due is visited once, so its address and
phone are printed once and its cases are listed inside the row, each with its own worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from app.domain.records import VisitPlan
from app.reports.dates import both, wareki
from app.reports.layout import (
    Furniture,
    Paragraph,
    PrintStamp,
    build_pdf,
    content_width,
    grid,
    para,
    styles,
    text,
)

TITLE = "訪問予定表"
NO_PHONE = "登録なし"
W = content_width(landscape_page=True)
CAUTION = (
    "個人情報を含みます。持ち出し中は身につけて管理し、紛失したときは直ちに所属長へ報告して"
    "ください。訪問後は事務所で裁断してください。"
)


def households(visits: Sequence[VisitPlan]) -> list[list[VisitPlan]]:
    """Visits grouped by household, in the order first seen (the plan is sorted by address)."""
    groups: dict[str, list[VisitPlan]] = {}
    for v in visits:
        groups.setdefault(v.household_id or f"case:{v.case_id}", []).append(v)
    return list(groups.values())


def _lines(values: Sequence[str | None], missing: str = "－") -> str:
    return "\n".join(v or missing for v in values)


def _row(i: int, group: list[VisitPlan]) -> list[object]:
    st = styles()
    first = group[0]
    # The reading on a line of its own: 「伊藤 くみ子（イトウ クミ／コ）」 wrapped inside it.
    people = [f"{v.person_name}\n（{v.person_kana}）" if v.person_kana else v.person_name or ""
              for v in group]  # fmt: skip
    if first.household_name:
        people.insert(0, f"【{first.household_name}】")
    last = [wareki(v.last_contact_at.date()) if v.last_contact_at else None for v in group]
    # Every number the household can be reached on, once (a mobile each, or the home phone);
    # 「登録なし」 rather than a blank a worker might take for a printing fault.
    phones = list(dict.fromkeys(v.phone for v in group if v.phone)) or [NO_PHONE]
    return [
        str(i), para(_lines([v.case_number for v in group]), st.cell),
        para("\n".join(people), st.cell), para(first.address or "（住所未登録）", st.cell),
        para("\n".join(phones), st.cell),
        para(_lines([v.next_action for v in group]), st.cell),
        para(_lines([v.worker_name for v in group], "担当未定"), st.cell), para(_lines(last), st.cell), "", "",
    ]  # fmt: skip


def story(
    day: dt.date, visits: Sequence[VisitPlan], worker: str, everyone: bool = False
) -> list[Flowable]:
    st = styles()
    header: list[object] = ["No.", "ケース番号", "世帯・氏名（ふりがな）", "住所", "電話", "予定の内容",
                            "担当者", "前回接触", "訪問時刻", "結果・メモ"]  # fmt: skip
    groups = households(visits)
    rows: list[list[object]] = [header] + [_row(i, g) for i, g in enumerate(groups, 1)]
    if not visits:
        rows.append(["", "", "（予定はありません）", "", "", "", "", "", "", ""])
    # 住所 wide enough for 「尼崎市東塚口町7丁目14番10号」 on one line (its 「号」 wrapped alone).
    widths = [8 * mm, 24 * mm, 38 * mm, 52 * mm, 26 * mm, 28 * mm, 22 * mm, 28 * mm, 15 * mm]
    widths.append(W - sum(widths))
    heights = [0.0] + [14 * mm] * (len(rows) - 1)
    who = "全員分（各ケースの担当者を表に記載）" if everyone else worker
    return [
        Paragraph(TITLE, st.title),
        grid(
            [["訪問日", both(day), "担当者", who, "件数", f"{len(groups)}世帯・{len(visits)}件"]],
            [18 * mm, 62 * mm, 18 * mm, 82 * mm, 14 * mm, W - 194 * mm],
            label_cols=(0, 2, 4),
        ),
        Spacer(1, 3 * mm),
        grid(rows, widths, header=True, repeat_header=True, min_heights=heights, strut_col=-1),
        Paragraph(text(CAUTION), st.small),
    ]


def render_visit_list(
    day: dt.date, visits: Sequence[VisitPlan], stamp: PrintStamp, worker: str | None = None,
    *, everyone: bool = False,
) -> bytes:  # fmt: skip
    furniture = Furniture(title=TITLE, stamp=stamp, reference=both(day))
    story_ = story(day, visits, worker or stamp.printed_by, everyone)
    return build_pdf(story_, furniture, landscape_page=True)
