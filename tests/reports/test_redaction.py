"""The need-to-know rule for referral sheets (pure)."""

from __future__ import annotations

import dataclasses

from faker import Faker

from app.domain.seed import agency_id
from app.reports.redaction import (
    FULL,
    MEETING,
    MEETING_WITHHOLDS,
    WITHHELD,
    MeetingBasis,
    apply,
    decide,
    redact,
)
from tests.reports.conftest import make_referral

KODOMO = agency_id("kodomo")


def no_consent(fake: Faker, **kw: object):
    base = dict(consent_basis="support_meeting", consent_agency_ids=(), consent_agency_names=(),
                meeting_id="mt-1", meeting_kind="shien_kaigi", meeting_title="支援会議",
                to_agency_id=KODOMO)  # fmt: skip
    base.update(kw)
    return make_referral(fake, **base)


def test_consent_naming_the_recipient_shows_everything(fake: Faker) -> None:
    data = make_referral(fake)
    shown, r = redact(data)
    assert r.scope == FULL and r.withheld == ()
    assert shown == data


def test_consent_not_naming_the_recipient_withholds_personal_fields(fake: Faker) -> None:
    data = make_referral(fake, to_agency_id=KODOMO)
    shown, r = redact(data)
    assert r.scope == WITHHELD
    assert shown.person is None and shown.household_members == ()
    assert shown.account is None and shown.wishes is None and shown.reason is None
    assert shown.consulter_name is None and shown.issue_categories == ()
    assert shown.consent_signed_by is None
    # administrative fields stay so the recipient knows whom to ask
    assert shown.receipt_number == data.receipt_number
    assert shown.from_agency_name == data.from_agency_name


def test_support_meeting_member_gets_identity_but_not_the_narrative(fake: Faker) -> None:
    data = no_consent(fake)
    shown, r = redact(data, MeetingBasis.of({KODOMO}, {data.case_id}))
    assert r.scope == MEETING and r.withheld == MEETING_WITHHOLDS
    assert shown.person == data.person and shown.household_members == data.household_members
    assert shown.issue_categories == data.issue_categories and shown.reason == data.reason
    assert shown.account is None and shown.wishes is None
    assert shown.consulter_name is None and shown.consulter_relationship is None
    assert shown.household_situation is None


def test_no_consent_withholds_unless_every_condition_holds(fake: Faker) -> None:
    basis = MeetingBasis.of({KODOMO}, {"case-1"})
    cases = {
        "no meeting": (no_consent(fake, meeting_id=None), None),
        "meeting not a 支援会議": (no_consent(fake, meeting_kind="jusoteki"), basis),
        "recipient not pledged": (no_consent(fake, to_agency_id=agency_id("npo")), basis),
        "case not discussed": (no_consent(fake), MeetingBasis.of({KODOMO}, {"other"})),
        "no recipient": (no_consent(fake, to_agency_id=None), basis),
    }
    for why, (data, meeting) in cases.items():
        r = decide(data, meeting)
        assert r.scope == WITHHELD, why
        assert apply(data, r).person is None, why
        assert r.reason_ja and r.reason_en, why


def test_reply_text_kept_for_full_scope_only(fake: Faker) -> None:
    data = make_referral(fake, reply_text="受理しました")
    assert redact(data)[0].reply_text == "受理しました"
    other = dataclasses.replace(data, to_agency_id=KODOMO)
    assert redact(other)[0].reply_text is None
