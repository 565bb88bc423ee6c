"""Fixtures for the printed documents: fictional data (Faker ja_JP, fixed seed) and poppler."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass

import pytest
from faker import Faker

from app.domain.records import Actor, MemberData, PersonData, ReferralData
from app.domain.seed import agency_id, district_id
from app.reports.layout import PrintStamp
from app.storage.db import Store

PASSPHRASE_ENV = "YORISOI_PASSPHRASE"


def _run(tool: str, pdf: bytes, *args: str) -> str:
    return subprocess.run(
        [tool, "-raw", *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"],
        input=pdf, capture_output=True, check=True, timeout=60,
    ).stdout.decode()  # fmt: skip


def pdf_text(pdf: bytes) -> str:
    """The text in drawing order (-raw keeps a table cell's lines together), all whitespace
    removed (layout may split names and lines)."""
    return re.sub(r"\s+", "", _run("pdftotext", pdf))


def body_text(pdf: bytes) -> str:
    """Like pdf_text, but only the frame between the running header and the footer, so a
    paragraph split over pages reads as one string."""
    info = _run("pdfinfo", pdf)
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    assert m is not None
    w, h = float(m.group(1)), float(m.group(2))
    top, bottom = 45, 43  # points: 17 mm header band (less a little), 16 mm footer band
    crop = ["-x", "0", "-y", str(top), "-W", str(int(w)), "-H", str(int(h - top - bottom))]
    return re.sub(r"\s+", "", _run("pdftotext", pdf, *crop))


def squash(value: str) -> str:
    return re.sub(r"\s+", "", value)


def pdf_pages(pdf: bytes) -> int:
    info = _run("pdfinfo", pdf)
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def pdf_fonts(pdf: bytes) -> list[dict[str, str]]:
    lines = _run("pdffonts", pdf).splitlines()[2:]
    out = []
    for line in lines:
        cols = line.split()
        # name type... encoding emb sub uni objectID gen
        out.append({"name": cols[0], "emb": cols[-5], "sub": cols[-4], "uni": cols[-3]})
    return out


@pytest.fixture
def fake() -> Faker:
    f = Faker("ja_JP")
    f.seed_instance(20260401)
    return f


@pytest.fixture
def stamp() -> PrintStamp:
    return PrintStamp(
        "印刷 花子", dt.datetime(2026, 4, 1, 9, 30), "0f0e0d0c0b0a", "重層的支援推進担当課"
    )


def make_person(fake: Faker, birth: dt.date, sex: str = "female") -> PersonData:
    name = fake.name_female() if sex == "female" else fake.name_male()
    return PersonData(
        id=fake.uuid4(), name=name, kana=fake.kana_name(), birth_date=birth, sex=sex,
        address=fake.address(), phone=fake.phone_number(), district_name="立花",
        school_zone="立花小",
    )  # fmt: skip


def make_referral(fake: Faker, **overrides: object) -> ReferralData:
    person = make_person(fake, dt.date(1951, 3, 4))
    son = make_person(fake, dt.date(1979, 8, 20), "male")
    base = dict(
        id="ref-1", case_id="case-1", case_number="2026-000042", receipt_number="R202604-0007",
        referral_date=dt.date(2026, 4, 1), status="sent",
        from_agency_id=agency_id("hwc_south"), from_agency_name="保健福祉センター（南部）",
        from_staff_id="staff-1", from_staff_name=fake.name(), from_contact=fake.phone_number(),
        to_agency_id=agency_id("houkatsu"), to_agency_name="地域包括支援センター",
        to_staff_name=fake.name(), person=person, consulter_name=fake.name(),
        consulter_relationship="近隣住民", household_situation="長男と二人暮らし。",
        household_members=(
            MemberData(id="m1", person=person, relationship="head", is_head=True),
            MemberData(id="m2", person=son, relationship="child"),
        ),
        issue_categories=("caregiving", "hikikomori", "income"), issue_other=None,
        account="自宅を訪問し本人と面会した。", wishes="このまま家で暮らしたい。",
        services_involved="民生委員が月一回訪問。", reason="介護保険の申請支援のため。",
        urgency="high", consent_basis="consent",
        consent_agency_ids=(agency_id("houkatsu"),), consent_agency_names=("地域包括支援センター",),
        consent_signed_by=person.name, consent_date=dt.date(2026, 3, 28), meeting_id=None,
        meeting_kind=None, meeting_held_on=None, meeting_title=None, reply_date=None,
        reply_staff_name=None, reply_text=None,
    )  # fmt: skip
    base.update(overrides)
    return ReferralData(**base)  # type: ignore[arg-type]


@dataclass
class Scenario:
    """A real encrypted DB with one case, its household, two referrals and a support meeting."""

    store: Store
    actor: Actor
    case_id: str
    case_number: str
    person_name: str
    son_name: str
    consent_receipt: str  # consent, to an agency named in the consent
    meeting_receipt: str  # no consent, support meeting, receiving agency pledged
    outsider_receipt: str  # no consent, receiving agency not at the meeting
    meeting_id: str
    visit_day: dt.date
    account: str


@pytest.fixture
def scenario(store: Store, actor: Actor, fake: Faker) -> Scenario:
    from app.services import cases, households, meetings, referrals, visits

    houkatsu, kodomo, npo = agency_id("houkatsu"), agency_id("kodomo"), agency_id("npo")
    day = dt.date.today() + dt.timedelta(days=1)
    account = "長男は二十年以上ひきこもりの状態で、本人の年金で暮らしている。"
    with store.session() as s:
        name, son = fake.name_female(), fake.name_male()
        pid = households.create_person(s, actor, name=name, kana=fake.kana_name(),
                                       birth_date=dt.date(1950, 2, 3), sex="female",
                                       address=fake.address(), phone=fake.phone_number(),
                                       district_id=district_id("tachibana"))  # fmt: skip
        sid = households.create_person(s, actor, name=son, birth_date=dt.date(1978, 5, 6))
        hid = households.create_household(s, actor, name=f"{name}さん世帯",
                                          situation="8050世帯。長男と二人暮らし。")  # fmt: skip
        households.add_member(s, actor, household_id=hid, person_id=pid, relationship="head",
                              is_head=True)  # fmt: skip
        households.add_member(s, actor, household_id=hid, person_id=sid, relationship="child")
        cid = cases.create_case(s, actor, title="親の介護と長男のひきこもり", person_id=pid,
                                household_id=hid, issue_categories=["caregiving", "hikikomori"],
                                consent_status="given", consent_agency_ids=[houkatsu],
                                consent_date=dt.date(2026, 3, 1))  # fmt: skip
        visits.add_contact(s, actor, case_id=cid, kind="visit", narrative=account,
                           next_action="介護保険の申請書を届ける", next_action_date=day)  # fmt: skip
        mid = meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=dt.date(2026, 3, 20),
                                      title="立花地区支援会議", case_ids=[cid])  # fmt: skip
        meetings.add_attendee(s, actor, mid, name=fake.name(), agency_id=kodomo,
                              pledge_signed=True, pledge_date=dt.date(2026, 3, 19))  # fmt: skip
        meetings.add_attendee(s, actor, mid, name=fake.name(), agency_id=npo)  # no pledge
        common = dict(case_id=cid, account=account, wishes="家で暮らしたい",
                      consulter_name=fake.name(), consulter_relationship="近隣住民",
                      reason="介護保険の申請支援", status="sent")  # fmt: skip
        r1 = referrals.create_referral(s, actor, to_agency_id=houkatsu, **common)
        r2 = referrals.create_referral(s, actor, to_agency_id=kodomo,
                                       consent_basis="support_meeting", meeting_id=mid, **common)  # fmt: skip
        # a sheet to an agency outside the meeting may carry nothing: it stays a draft (送付不可)
        r3 = referrals.create_referral(s, actor, to_agency_id=npo, consent_basis="support_meeting",
                                       meeting_id=mid, **(common | {"status": "draft"}))  # fmt: skip
        from app.storage.models import Case, Referral

        number = s.get(Case, cid).case_number  # type: ignore[union-attr]
        receipts = [s.get(Referral, r).receipt_number for r in (r1, r2, r3)]  # type: ignore[union-attr]
    return Scenario(store, actor, cid, number, name, son, *receipts, mid, day, account)
