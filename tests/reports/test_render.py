"""Rendered PDFs, checked with poppler: text, fonts, pages. Pure functions, no database."""

from __future__ import annotations

import dataclasses
import datetime as dt

from faker import Faker

from app.domain.records import (
    AttendeeData,
    CaseDetail,
    ContactData,
    HouseholdData,
    MeetingData,
    TeamMemberData,
    VisitPlan,
)
from app.reports.layout import PrintStamp
from app.reports.pledge import render_pledge
from app.reports.redaction import MeetingBasis, redact
from app.reports.referral import render_referral
from app.reports.summary import render_case_summary
from app.reports.visit_list import render_visit_list
from tests.reports.conftest import body_text, make_referral, pdf_fonts, pdf_pages, pdf_text, squash


def sheet(data, stamp, basis=None) -> bytes:
    shown, r = redact(data, basis)
    return render_referral(shown, stamp, r)


def test_referral_sheet_carries_every_field(fake: Faker, stamp: PrintStamp) -> None:
    data = make_referral(fake, issue_other="多頭飼育")
    txt = pdf_text(sheet(data, stamp))
    p = data.person
    assert p is not None
    for value in (
        "うけとめ・つなげるシート", "取扱注意", data.receipt_number, data.case_number,
        data.from_agency_name, data.from_staff_name, data.from_contact, data.to_agency_name,
        data.to_staff_name, p.name, p.kana, p.address, p.phone, "立花小",
        data.consulter_name, "近隣住民", data.household_situation,
        data.household_members[1].person.name, data.account, data.wishes,
        data.services_involved, data.reason, "多頭飼育", data.consent_signed_by,
        "受付機関記入欄", "■介護", "□借金", "■高", "■本人同意", "■女",
        # dates in 和暦 and western form
        "令和8年4月1日", "2026-04-01", "昭和26年3月4日", "1951-03-04", "75歳",
        "令和8年3月28日", "2026-03-28",
        # footer: who printed, when, device, page x / y
        "出力者:印刷花子", "令和8年4月1日（2026-04-01）09:30", "0f0e0d0c", "1/2ページ", "2/2ページ",
    ):  # fmt: skip
        assert squash(str(value)) in txt, value


def test_font_is_embedded_as_a_subset_and_nothing_else_is_used(
    fake: Faker, stamp: PrintStamp
) -> None:
    fonts = pdf_fonts(sheet(make_referral(fake), stamp))
    assert fonts, "no fonts"
    for f in fonts:
        assert f["name"].endswith("+IPAexGothic"), f
        assert (f["emb"], f["sub"], f["uni"]) == ("yes", "yes", "yes"), f


def test_long_narratives_flow_over_pages_and_nothing_is_clipped(
    fake: Faker, stamp: PrintStamp
) -> None:
    paragraphs = [f"【段落{i:03d}】" + fake.text(max_nb_chars=400) for i in range(60)]
    one_block = "■" + "長い記述が改行なしで続く。" * 400 + "■終わり"  # a paragraph > one page
    data = make_referral(
        fake, account="\n\n".join(paragraphs), wishes=one_block,
        services_involved="\n".join(f"機関{i}" for i in range(80)),
        person=dataclasses.replace(make_referral(fake).person, address="尼崎市" + "東" * 3000),  # type: ignore[arg-type]
    )  # fmt: skip
    pdf = sheet(data, stamp)
    pages = pdf_pages(pdf)
    assert pages >= 6
    body = body_text(pdf)
    for para in paragraphs:
        assert squash(para) in body
    assert squash(one_block) in body
    assert "機関79" in body and "東" * 3000 in body
    txt = pdf_text(pdf)
    assert f"{pages}/{pages}ページ" in txt and f"1/{pages}ページ" in txt
    assert txt.count("取扱注意") >= pages  # the mark on every page


def test_short_sheet_fits_two_pages(fake: Faker, stamp: PrintStamp) -> None:
    assert pdf_pages(sheet(make_referral(fake), stamp)) <= 2


def test_no_consent_sheet_names_the_meeting_and_says_what_was_left_out(
    fake: Faker, stamp: PrintStamp
) -> None:
    data = make_referral(
        fake, consent_basis="support_meeting", consent_agency_ids=(), consent_agency_names=(),
        consent_signed_by=None, meeting_id="mt", meeting_kind="shien_kaigi",
        meeting_title="立花地区支援会議", meeting_held_on=dt.date(2026, 3, 20),
    )  # fmt: skip
    basis = MeetingBasis.of({data.to_agency_id or ""}, {data.case_id})
    txt = pdf_text(sheet(data, stamp, basis))
    assert data.person is not None
    for shown in ("■支援会議", "立花地区支援会議", "令和8年3月20日", "2026-03-20",
                  data.person.name, data.reason, "社会福祉法第106条の6", "記載を省略した項目"):  # fmt: skip
        assert squash(str(shown)) in txt, shown
    for hidden in (data.account, data.wishes, data.consulter_name, data.household_situation):
        assert squash(str(hidden)) not in txt, hidden
    assert "（記載省略）" in txt


def test_recipient_outside_the_consent_gets_no_personal_data(
    fake: Faker, stamp: PrintStamp
) -> None:
    from app.domain.seed import agency_id

    data = make_referral(fake, to_agency_id=agency_id("npo"), to_agency_name="NPO法人")
    txt = pdf_text(sheet(data, stamp))
    assert data.person is not None
    for hidden in (data.person.name, data.person.address, data.person.phone, data.account,
                   data.household_members[1].person.name, data.reason, "1951-03-04"):  # fmt: skip
        assert squash(str(hidden)) not in txt, hidden
    assert "同意した機関に含まれていない" in txt
    assert data.receipt_number in txt and "地域包括支援センター" in txt  # consent names kept


def test_pledge_lists_attendees_with_signature_lines(fake: Faker, stamp: PrintStamp) -> None:
    names = [fake.name() for _ in range(4)]
    meeting = MeetingData(
        id="m", kind="shien_kaigi", held_on=dt.date(2026, 5, 12), place="南部保健福祉センター",
        district_name="大庄", chair_staff_id=None, chair_name=fake.name(), title="大庄地区支援会議",
        decisions=None,
        attendees=tuple(
            AttendeeData(id=str(i), name=n, staff_id=None, agency_id=None,
                         agency_name="社会福祉協議会", pledge_signed=i == 0,
                         pledge_date=dt.date(2026, 5, 12) if i == 0 else None)
            for i, n in enumerate(names)
        ),
    )  # fmt: skip
    pdf = render_pledge(meeting, stamp)
    txt = pdf_text(pdf)
    for value in ("守秘義務に関する誓約書", "大庄地区支援会議", "令和8年5月12日", "2026-05-12",
                  "社会福祉法第106条の6", "署名", "提出済", "構成員の署名（4名）", *names):  # fmt: skip
        assert squash(value) in txt, value
    assert txt.count("令和年月日") == 3 + 3  # blank date lines: 3 unsigned + 3 spare rows


def test_visit_list_is_landscape_with_every_visit(fake: Faker, stamp: PrintStamp) -> None:
    day = dt.date(2026, 6, 3)
    visits = [
        VisitPlan(case_id=str(i), case_number=f"2026-{i:06d}", person_name=fake.name(),
                  person_kana=fake.kana_name(), address=fake.address(), phone=fake.phone_number(),
                  planned_on=day, next_action=f"安否確認{i}",
                  last_contact_at=dt.datetime(2026, 5, 20, 10, 0))
        for i in range(40)
    ]  # fmt: skip
    pdf = render_visit_list(day, visits, stamp)
    txt = pdf_text(pdf)
    assert "訪問予定表" in txt and "令和8年6月3日（2026-06-03）" in txt and "40件" in txt
    for v in visits:
        assert squash(v.person_name or "") in txt and squash(v.address or "") in txt
    assert pdf_pages(pdf) >= 3  # 14 mm rows for handwritten notes
    assert "841.89x595.276pts(A4)" in _page_size(pdf)


def _page_size(pdf: bytes) -> str:
    import subprocess

    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    return out.decode().replace(" ", "")


def test_case_summary_has_household_issues_team_and_history(fake: Faker, stamp: PrintStamp) -> None:
    ref = make_referral(fake)
    contacts = tuple(
        ContactData(id=str(i), case_id="c", contact_at=dt.datetime(2026, 3, 1 + i, 14, 0),
                    kind="visit", place="自宅", staff_name=fake.name(),
                    narrative=f"記録{i:02d}：" + fake.text(max_nb_chars=300),
                    next_action="再訪問", next_action_date=dt.date(2026, 4, 1 + i))
        for i in range(25)
    )  # fmt: skip
    team = (TeamMemberData(id="t", staff_id=None, staff_name=fake.name(), agency_id=None,
                           agency_name="地域包括支援センター", role="介護保険の申請"),)  # fmt: skip
    detail = CaseDetail(
        id="c", case_number="2026-000042", title="親の介護と長男のひきこもり", status="supporting",
        urgency="high", issue_categories=("caregiving",), district_id=None, district_name="立花",
        lead_agency_id=None, lead_agency_name="保健福祉センター（南部）", assigned_staff_id=None,
        assigned_staff_name=fake.name(), consent_status="refused", consent_agency_ids=(),
        consent_agency_names=(), consent_date=None, opened_on=dt.date(2026, 2, 1), closed_on=None,
        notes=None, version=1, person=ref.person,
        household=HouseholdData(id="h", name="世帯", members=ref.household_members,
                                situation="8050世帯"),
        team=team, contacts=contacts,
    )  # fmt: skip
    pdf = render_case_summary(detail, stamp)
    txt = pdf_text(pdf)
    for value in ("ケース概要", "2026-000042", "■介護", "支援中", "本人同意なし", "8050世帯",
                  team[0].staff_name, "介護保険の申請", ref.household_members[1].person.name,
                  "昭和54年8月20日", "1979-08-20", "令和8年2月1日"):  # fmt: skip
        assert squash(str(value)) in txt, value
    body = body_text(pdf)
    for c in contacts:
        assert squash(c.narrative or "") in body
    assert pdf_pages(pdf) >= 3
