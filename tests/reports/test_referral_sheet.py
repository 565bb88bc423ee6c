"""The referral sheet as a coordinator hands it over (issue 15): golden checks field by field on
the extracted text of each variant, and the rules that keep a withheld sheet from being sent."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from faker import Faker

from app.domain.errors import ValidationError
from app.domain.seed import agency_id
from app.reports import service
from app.reports.layout import PrintStamp
from app.reports.pledge import PENALTY
from app.reports.redaction import MeetingBasis, redact
from app.reports.referral import render_referral
from app.services import meetings, referrals
from app.storage.models import Referral
from tests.reports.conftest import Scenario, make_referral, pdf_text, squash


def sheet(data, stamp, basis=None) -> str:
    shown, r = redact(data, basis)
    return pdf_text(render_referral(shown, stamp, r))


def no_consent(fake: Faker, **kw: object):
    base = dict(
        consent_basis="support_meeting", consent_agency_ids=(), consent_agency_names=(),
        consent_signed_by=None, meeting_id="mt", meeting_kind="shien_kaigi",
        meeting_title="立花地区支援会議", meeting_held_on=dt.date(2026, 3, 20), to_staff_name=None,
    )  # fmt: skip
    return make_referral(fake, **(base | kw))


def in_order(txt: str, *parts: str) -> bool:
    at = -1
    for p in parts:
        at = txt.find(squash(p), at + 1)
        if at < 0:
            return False
    return True


def test_consented_sheet_field_by_field(fake: Faker, stamp: PrintStamp) -> None:
    data = make_referral(
        fake, received_on=dt.date(2026, 3, 2), consult_route="neighbour", handover="accompany",
        first_meeting_at=dt.datetime(2026, 4, 8, 14, 0), contact_cautions=("no_home_call",),
        contact_note="平日の午前は通院", consent_agent_relationship="長男（代理人）",
        case_status="supporting",
    )  # fmt: skip
    txt = sheet(data, stamp)
    fields = {
        "受付番号": "R202604-0007", "作成日": "令和8年4月1日（2026-04-01）",
        "ケース番号": "2026-000042", "相談受付日": "令和8年3月2日（2026-03-02）",
        "相談経路": "近隣住民・民生委員から", "連絡上の注意": "自宅への電話不可、平日の午前は通院",
        "つなぎ方": "■同行して紹介", "初回面談の日時": "令和8年4月8日（2026-04-08）14:00",
        "本人との関係": "長男（代理人）", "状況": "■送付済",
    }  # fmt: skip
    for label, value in fields.items():
        assert squash(label + value) in txt or in_order(txt, label, value), label
    assert "■本人同意□支援会議" in txt
    # the consent sentence comes before the signature box, in body size
    assert in_order(txt, "私は、上記の「同意した共有先」", "同意者（署名）")
    assert "下書き" not in txt and "終結" not in txt and "送付不可" not in txt


def test_reply_box_is_blank_for_the_receiving_agency(fake: Faker, stamp: PrintStamp) -> None:
    data = make_referral(fake, status="done", reply_date=dt.date(2026, 4, 5),
                         reply_staff_name="返信 太郎", reply_text="初回面談を実施しました。")  # fmt: skip
    txt = sheet(data, stamp)
    reply = txt[txt.index("受付機関記入欄") :]
    assert "□受理□対応中□完了□返戻" in reply and "■" not in reply
    assert "返信太郎" not in txt and "初回面談を実施しました" not in txt and "記載省略" not in reply
    assert "受付日令和年月日" in reply


def test_no_consent_sheet_names_the_pledged_member_as_recipient(
    fake: Faker, stamp: PrintStamp
) -> None:
    data = no_consent(fake)
    basis = MeetingBasis.of((), {data.case_id}, [(data.to_agency_id or "", "構成 一郎")])
    txt = sheet(data, stamp, basis)
    assert "担当者構成一郎（支援会議の構成員・誓約書提出済の方に限る）" in txt
    assert "■支援会議（社会福祉法第106条の6）" in txt and "同条第5項" in txt
    assert squash(PENALTY) in txt  # the pledge's own words (one constant)


def test_consent_based_meeting_is_never_printed_as_article_106_6(
    fake: Faker, stamp: PrintStamp
) -> None:
    data = no_consent(fake, meeting_kind="jusoteki", meeting_title="重層的支援会議 第3回")
    basis = MeetingBasis.of((), {data.case_id}, [(data.to_agency_id or "", "構成 一郎")])
    txt = sheet(data, stamp, basis)
    assert "■支援会議" not in txt and "□本人同意□支援会議（社会福祉法第106条の6）" in txt
    assert "構成員には守秘義務" not in txt and "罰せられる" not in txt
    assert "本人同意に基づく会議" in txt and "送付不可" in txt


def test_withheld_sheet_prints_not_sendable_and_no_sent_tick(
    fake: Faker, stamp: PrintStamp
) -> None:
    data = make_referral(fake, to_agency_id=agency_id("npo"), to_agency_name="NPO法人")
    txt = sheet(data, stamp)
    assert txt.count("送付不可") >= 3  # page mark(s), banner, status field
    assert "■送付済" not in txt and "送付不可（送付済にはできません）" in txt
    assert "同意の範囲に加えてから" in txt  # what to do


def test_draft_and_closed_marks(fake: Faker, stamp: PrintStamp) -> None:
    txt = sheet(make_referral(fake, status="draft", case_status="closed"), stamp)
    assert "下書き（未送付）" in txt and "下書き：まだ送付していません" in txt
    assert "終結：このケースは終結しています" in txt
    assert txt.count("終結") >= 3  # a mark on both pages and the note


def test_address_secret_prints_a_warning(fake: Faker, stamp: PrintStamp) -> None:
    data = make_referral(fake, contact_cautions=("address_secret",))
    assert data.person is not None
    txt = sheet(data, stamp)
    assert "【住所秘匿】この方の住所" in txt
    assert squash(f"【住所秘匿】{data.person.address}") in txt
    assert "連絡上の注意住所秘匿" in txt


def test_household_relationships_are_to_the_head(fake: Faker, stamp: PrintStamp) -> None:
    data = make_referral(fake)
    assert data.person is not None
    txt = sheet(data, stamp)
    assert "続柄（世帯主との関係）" in txt
    assert squash(f"世帯主{data.person.name}（本人）") in txt
    assert "世帯の状況長男と二人暮らし" in txt  # the box under the table has its label


# --- with the database ------------------------------------------------------------------------


def test_withheld_referral_can_never_be_marked_sent(scenario: Scenario) -> None:
    sc = scenario
    with sc.store.session() as s:
        rid = s.query(Referral).filter_by(receipt_number=sc.outsider_receipt).one().id
    for status in ("sent", "received", "done"):
        with pytest.raises(ValidationError) as err, sc.store.session() as s:
            referrals.update_referral(s, sc.actor, rid, {"status": status})
        assert "送付不可" in err.value.ja and "支援会議" in err.value.ja
    with sc.store.session() as s:
        assert s.get(Referral, rid).status == "draft"  # type: ignore[union-attr]
        with pytest.raises(ValidationError):
            referrals.create_referral(s, sc.actor, case_id=sc.case_id, status="sent",
                                      to_agency_id=agency_id("npo"))  # fmt: skip


def test_pledge_signed_after_the_meeting_does_not_count(scenario: Scenario) -> None:
    sc = scenario
    with sc.store.session() as s:
        with pytest.raises(ValidationError) as err:
            meetings.add_attendee(s, sc.actor, sc.meeting_id, name="遅延 次郎",
                                  agency_id=agency_id("npo"), pledge_signed=True,
                                  pledge_date=dt.date(2026, 3, 21))  # fmt: skip
        assert "開催日" in err.value.ja
    # a pledge recorded with a date after the meeting (bypassing the service) is not counted
    with sc.store.session() as s:
        from app.storage.models import MeetingAttendee

        s.add(MeetingAttendee(meeting_id=sc.meeting_id, name="遅延 次郎",
                              agency_id=agency_id("npo"), pledge_signed=True,
                              pledge_date=dt.date(2026, 3, 25)))  # fmt: skip
    redaction = service.redaction_for(sc.store, sc.actor, sc.outsider_receipt)
    assert redaction.scope == "withheld"


def test_receipt_number_follows_the_referral_date(scenario: Scenario) -> None:
    sc = scenario
    with sc.store.session() as s:
        rid = referrals.create_referral(s, sc.actor, case_id=sc.case_id,
                                        referral_date=dt.date(2025, 11, 5),
                                        to_agency_id=agency_id("houkatsu"))  # fmt: skip
        assert s.get(Referral, rid).receipt_number == "R202511-0001"  # type: ignore[union-attr]


def test_not_found_names_the_record(scenario: Scenario) -> None:
    from app.domain.errors import NotFound

    with pytest.raises(NotFound) as err:
        service.referral_document(scenario.store, scenario.actor, "R209901-9999")
    assert "うけとめ・つなげるシート「R209901-9999」" in err.value.ja
    assert "R209901-9999" in err.value.en
    with pytest.raises(NotFound) as err:
        service.pledge_document(scenario.store, scenario.actor, "no-such-meeting")
    assert "会議「no-such-meeting」" in err.value.ja


def test_redaction_copy_keeps_only_admin_fields(fake: Faker) -> None:
    data = make_referral(fake, to_agency_id=None, contact_cautions=("address_secret",),
                         contact_note="加害者が捜索中", consult_route="family")  # fmt: skip
    shown, r = redact(data)
    assert not r.can_send
    assert shown.contact_cautions == () and shown.contact_note is None
    assert shown.consult_route is None and dataclasses.replace(shown).person is None


# --- pledge ------------------------------------------------------------------------------------


def _meeting(kind: str, **kw: object):
    from app.domain.records import AttendeeData, MeetingData

    attendees = (
        AttendeeData(id="a1", name="誓約 一郎", staff_id=None, agency_id="x",
                     agency_name="地域包括支援センター", pledge_signed=True,
                     pledge_date=dt.date(2026, 5, 1)),
        AttendeeData(id="a2", name="未提出 花子", staff_id=None, agency_id="y",
                     agency_name="社会福祉協議会", pledge_signed=False, pledge_date=None),
        AttendeeData(id="a3", name="遅延 次郎", staff_id=None, agency_id="z",
                     agency_name="NPO法人", pledge_signed=True, pledge_date=dt.date(2026, 6, 1)),
    )  # fmt: skip
    base = dict(
        id="m", kind=kind, held_on=dt.date(2026, 5, 12), place="南部保健福祉センター",
        district_name="大庄", chair_staff_id=None, chair_name="座長 三郎", title="支援会議 第1回",
        decisions=None, attendees=attendees, organiser_name="重層的支援推進担当課",
        addressee=None,
    )  # fmt: skip
    return MeetingData(**(base | kw))  # type: ignore[arg-type]


def test_pledge_for_a_support_meeting(stamp: PrintStamp) -> None:
    from app.reports.pledge import render_pledge

    txt = pdf_text(render_pledge(_meeting("shien_kaigi"), stamp))
    assert txt.count("重層的支援推進担当課長様") == 1  # addressed once, to the organiser
    assert "座長様" not in txt and "支援会議支援会議" not in txt
    assert "社会福祉法第106条の6第5項" in txt
    assert squash(PENALTY) in txt  # the same words as on a no-consent referral sheet
    assert "罰則" not in txt and not re.search(r"第\d+条(?!の6)", txt)  # no penalty article
    assert in_order(txt, "グランドルール", "（1）本人の尊厳", "（2）", "（3）", "（4）")
    # a member on file: no empty box marked 提出済; a pledge dated after the meeting is void
    assert "誓約一郎誓約書提出済（原本は事務局で保管）令和8年5月1日" in txt
    assert "（会議後の誓約は無効）" in txt
    assert "地域包括支援センター" in txt and "社会福祉協議会" in txt  # each member's agency


def test_pledge_for_consent_based_meetings_has_no_article_106_6(stamp: PrintStamp) -> None:
    from app.reports.pledge import render_pledge

    for kind, label in (("jusoteki", "重層的支援会議"), ("shinchoku", "進捗会議")):
        m = _meeting(kind, title=None, addressee="尼崎市長")
        txt = pdf_text(render_pledge(m, stamp))
        assert "情報の取扱いに関する誓約書" in txt and label in txt
        assert "106条" not in txt and "罰せられる" not in txt
        assert "本人が同意した範囲" in txt and txt.count("尼崎市長様") == 1
    # A title that already names the kind is printed once, not after the kind again.
    m = _meeting("jusoteki", title="園田地区重層的支援会議")
    txt = pdf_text(render_pledge(m, stamp))
    assert "園田地区重層的支援会議" in txt and "重層的支援会議園田地区" not in txt


def test_pledge_document_uses_the_organisers_addressee(scenario: Scenario) -> None:
    from app.storage.models import Agency, SupportMeeting

    sc = scenario
    with sc.store.session() as s:
        a = s.get(Agency, agency_id("hwc_south"))
        assert a is not None
        a.addressee = "南部保健福祉センター所長"
        m = s.get(SupportMeeting, sc.meeting_id)
        assert m is not None
        m.organiser_agency_id = a.id
    txt = pdf_text(service.pledge_document(sc.store, sc.actor, sc.meeting_id).pdf)
    assert txt.count("南部保健福祉センター所長様") == 1
