"""Case summary and visit list (issue 15): the 支援会議 section with 役割分担, 同席者,
relationships to the household head, numbered sections and the page-break rules; the visit
list without closed cases, with each case's worker, one row per household."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

from faker import Faker
from reportlab.platypus import KeepTogether, Table

from app.domain.records import (
    AssignmentData,
    CaseDetail,
    ContactData,
    HouseholdData,
    MeetingSummary,
)
from app.reports import service
from app.reports.layout import PrintStamp
from app.reports.summary import render_case_summary
from app.services import cases, visits
from tests.reports.conftest import Scenario, make_referral, pdf_pages, pdf_text, squash


def _detail(fake: Faker, contacts: tuple[ContactData, ...] = (), **kw: object) -> CaseDetail:
    ref = make_referral(fake)
    base = dict(
        id="c", case_number="2026-000042", title="親の介護と長男のひきこもり", status="supporting",
        urgency="high", issue_categories=("caregiving",), district_id=None, district_name="立花",
        lead_agency_id=None, lead_agency_name="保健福祉センター（南部）", assigned_staff_id=None,
        assigned_staff_name="担当 太郎", consent_status="refused", consent_agency_ids=(),
        consent_agency_names=(), consent_date=None, opened_on=dt.date(2026, 2, 1), closed_on=None,
        notes=None, version=1, person=ref.person,
        household=HouseholdData(id="h", name="木村さん世帯", members=ref.household_members,
                                situation="8050世帯"),
        contacts=contacts,
        meetings=(MeetingSummary(id="m", kind="shien_kaigi", held_on=dt.date(2026, 3, 20),
                                 title="立花地区支援会議", decisions="長男の居場所づくりを検討する"),),
        assignments=(AssignmentData(id="a", case_id="c", case_number="2026-000042",
                                    staff_name="役割 花子", agency_name="社会福祉協議会",
                                    task="家計の状況を確認", due_date=dt.date(2026, 4, 3),
                                    done=False),),
    )  # fmt: skip
    return CaseDetail(**(base | kw))  # type: ignore[arg-type]


def _contact(i: int, text: str, **kw: object) -> ContactData:
    base = dict(id=f"x{i}", case_id="c", contact_at=dt.datetime(2026, 3, 1, 10) - dt.timedelta(days=i),
                kind="visit", place="自宅", staff_name="担当 太郎", narrative=text,
                next_action="再訪問", next_action_date=dt.date(2026, 3, 8))  # fmt: skip
    return ContactData(**(base | kw))  # type: ignore[arg-type]


def test_summary_has_meetings_assignments_attendees_and_head(
    fake: Faker, stamp: PrintStamp
) -> None:
    d = _detail(fake, (_contact(0, "訪問した。", participants="民生委員 山本、長男"),))
    txt = pdf_text(render_case_summary(d, stamp))
    assert d.person is not None
    for label in ("1.基本情報", "2.本人", "3.世帯", "4.課題", "5.支援チーム", "6.支援会議",
                  "7.相談・訪問記録"):  # fmt: skip
        assert label in txt, label
    assert "立花地区支援会議" in txt and "長男の居場所づくりを検討する" in txt
    assert "令和8年4月3日（2026-04-03）役割花子（社会福祉協議会）家計の状況を確認未着手" in txt
    assert "同席者:民生委員山本、長男" in txt
    assert squash(f"世帯主{d.person.name}（本人）") in txt and "続柄（世帯主との関係）" in txt
    assert "世帯の状況8050世帯" in txt


def _page_lines(pdf: bytes, page: int) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-", "-"],
                         input=pdf, capture_output=True, check=True).stdout.decode()  # fmt: skip
    lines = [squash(x) for x in out.splitlines() if x.strip()]
    return [x for x in lines if not x.startswith(("出力者", "ケース概要ケース番号", "取扱注意"))
            and not re.fullmatch(r"\d+/\d+ページ", x)]  # fmt: skip


def test_summary_page_breaks_keep_headings_and_next_lines_with_content(
    fake: Faker, stamp: PrintStamp
) -> None:
    texts = [fake.text(max_nb_chars=160 + 37 * (i % 7)) for i in range(40)]
    d = _detail(fake, tuple(_contact(i, t) for i, t in enumerate(texts)), notes="備考の内容")
    pdf = render_case_summary(d, stamp)
    pages = pdf_pages(pdf)
    assert pages >= 4
    for page in range(1, pages + 1):
        lines = _page_lines(pdf, page)
        assert lines, page
        assert not re.fullmatch(r"\d+\.\S+", lines[-1]), (page, lines[-1])  # no lone heading
        assert not lines[0].startswith("次回:"), page  # 次回 never starts a page alone
    body = pdf_text(pdf)
    for t in texts:
        assert squash(t) in body


def test_closed_case_summary_is_marked(fake: Faker, stamp: PrintStamp) -> None:
    d = _detail(fake, status="closed", closed_on=dt.date(2026, 5, 1))
    assert "終結" in pdf_text(render_case_summary(d, stamp))[:40]  # the mark, page top


def test_visit_list_excludes_closed_shows_workers_and_groups_households(
    scenario: Scenario,
) -> None:
    sc = scenario
    from app.storage.models import Case, Staff

    with sc.store.session() as s:
        case = s.get(Case, sc.case_id)
        assert case is not None
        other = Staff(name="別担 当子", role="outreach")
        s.add(other)
        s.flush()
        second = cases.create_case(s, sc.actor, title="長男の就労", household_id=case.household_id,
                                   assigned_staff_id=other.id)  # fmt: skip
        closed = cases.create_case(s, sc.actor, title="終結した相談", status="closed",
                                   assigned_staff_id=other.id)  # fmt: skip
        for cid in (second, closed):
            visits.add_contact(s, sc.actor, case_id=cid, kind="phone", narrative="電話で確認。",
                               next_action="様子を聞く", next_action_date=sc.visit_day)  # fmt: skip
        numbers = {c: s.get(Case, c).case_number for c in (second, closed)}  # type: ignore[union-attr]
    doc = service.visits_document(sc.store, sc.actor, sc.visit_day, mine_only=False)
    txt = pdf_text(doc.pdf)
    assert numbers[closed] not in txt
    assert numbers[second] in txt and sc.case_number in txt
    assert "1世帯・2件" in txt and "別担当子" in txt and squash(sc.actor.name) in txt
    assert "全員分（各ケースの担当者を表に記載）" in txt
    assert txt.count(squash(f"{sc.person_name}さん世帯")) == 1
    with_closed = service.visits_document(sc.store, sc.actor, sc.visit_day, mine_only=False,
                                          include_closed=True)  # fmt: skip
    assert numbers[closed] in pdf_text(with_closed.pdf)


def _contact_heads(flowables: list[object]) -> list[list[str]]:
    """The cells' text of each contact's header row (a one-row table starting with its time)."""
    from reportlab.platypus import KeepTogether, Table

    out: list[list[str]] = []
    for f in flowables:
        if isinstance(f, KeepTogether):
            out += _contact_heads(f._content)
        elif isinstance(f, Table) and len(f._cellvalues) == 1:
            cells = [c if isinstance(c, str) else c.getPlainText() if hasattr(c, "getPlainText")
                     else c.inner.getPlainText() for c in f._cellvalues[0]]  # fmt: skip
            if re.match(r"令和\d+年", cells[0]) and ":" in cells[0]:
                out.append(cells)
    return out


def test_summary_contact_headers_have_no_empty_box(fake: Faker, stamp: PrintStamp) -> None:
    """Each contact's header row had a fifth cell, empty unless the record was a correction.
    Now the row has that cell only when it says something: 訂正 with the corrected record's
    date, or 【サーバー未受付】 for a record the server refused."""
    from app.reports.summary import story

    plain = _contact(0, "訪問した。")
    fixed = _contact(1, "訪問日を訂正した。", corrects_id="x2")
    refused = _contact(2, "電話で確認した。", kind="phone")
    d = _detail(fake, (plain, fixed, refused), not_accepted=("x2",))
    heads = _contact_heads(story(d, dt.date(2026, 4, 1)))
    assert len(heads) == 3, heads
    for cells in heads:
        assert all(cell.strip() for cell in cells), cells
    assert len(heads[0]) == 4  # nothing to mark: four columns, the worker's the last
    txt = pdf_text(render_case_summary(d, stamp))
    assert "訂正（令和8年2月27日の記録）" in txt and "【サーバー未受付】" in txt


def tables(flowables: list[object]) -> list[Table]:
    """The tables of a story, inside KeepTogether too."""
    out: list[Table] = []
    for f in flowables:
        out += tables(f._content) if isinstance(f, KeepTogether) else []
        out += [f] if isinstance(f, Table) else []
    return out


def _covered(t: Table) -> set[tuple[int, int]]:
    """(col, row) of every cell inside a span."""
    return {(c, r) for _, (c0, r0), (c1, r1) in t._spanCmds
            for c in range(c0, c1 + 1) for r in range(r0, r1 + 1)}  # fmt: skip


def test_issue_grid_has_no_empty_box(fake: Faker) -> None:
    """The 課題 tick boxes: the last one's cell runs to the right edge (two empty, unlabelled
    boxes followed 「□その他」), on the case summary and the referral sheet."""
    from app.reports.redaction import redact
    from app.reports.referral import story as referral_story
    from app.reports.summary import story

    shown, r = redact(make_referral(fake), None)
    for flowables in (story(_detail(fake), dt.date(2026, 4, 1)), referral_story(shown, r)):
        grids = [t for t in tables(flowables) if any(
            isinstance(c, str) and c.startswith("□健康") for c in t._cellvalues[0])]  # fmt: skip
        assert len(grids) == 1
        t = grids[0]
        for r_, row in enumerate(t._cellvalues):
            for c, cell in enumerate(row):
                assert cell != "" or (c, r_) in _covered(t), (r_, c, row)


def test_stand_in_rows_are_one_cell_across(fake: Faker) -> None:
    """「（登録なし）」 / 「（なし）」 rows of a list table span the row instead of sitting
    beside empty boxes (支援チーム, 支援会議, 役割分担)."""
    from app.reports.summary import story

    d = _detail(fake, team=(), meetings=(), assignments=(AssignmentData(
        id="a", case_id="c", case_number=None, staff_name="担当 一郎", agency_name=None,
        task="見守り", due_date=None, done=False),))  # fmt: skip
    found = 0
    for t in tables(story(d, dt.date(2026, 4, 1))):
        for r, row in enumerate(t._cellvalues):
            if row[0] in ("（登録なし）", "（なし）"):
                found += 1
                assert ((0, r), (len(row) - 1, r)) in [(s[1], s[2]) for s in t._spanCmds], row
    assert found == 2  # the team and the meetings
