"""The demo database keeps the app's rules, so every document and consent variant can be seen
working (issue 15): consented, 支援会議 without consent, withheld (送付不可), closed, draft."""

from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import select

from app.domain.records import Actor
from app.reports import service
from app.services.demo import TOWNS
from app.storage.db import Store
from app.storage.models import (
    Case,
    HouseholdMember,
    MeetingAttendee,
    Person,
    Referral,
    Resource,
    Staff,
    SupportMeeting,
)
from tests.reports.conftest import pdf_text

PHONE = re.compile(r"^(06-\d{4}-\d{4}|0[789]0-\d{4}-\d{4})$")


def test_every_demo_referral_prints_and_every_variant_is_there(
    demo_store: Store, actor: Actor
) -> None:
    with demo_store.session() as s:
        rows = s.execute(
            select(Referral.receipt_number, Referral.status, Case.status)
            .join(Case, Case.id == Referral.case_id)
        ).all()  # fmt: skip
    assert len(rows) >= 10
    scopes: Counter[str] = Counter()
    seen = set()
    for receipt, status, case_status in rows:
        assert re.fullmatch(r"R\d{6}-\d{4}", receipt), receipt
        r = service.redaction_for(demo_store, actor, receipt)
        scopes[r.scope] += 1
        if status != "draft":  # a sent sheet always carries the person (never 送付不可)
            assert r.scope != "withheld", (receipt, r.reason_ja)
        seen.add(r.scope)
        if status == "draft":
            seen.add("draft")
        if case_status == "closed":
            seen.add("closed")
    assert {"full", "meeting", "withheld", "draft", "closed"} <= seen, seen
    assert len({r for r, *_ in rows}) == len(rows)  # receipt numbers are unique


def test_demo_printouts_show_each_variant(demo_store: Store, actor: Actor) -> None:
    with demo_store.session() as s:
        refs = s.execute(select(Referral.receipt_number, Referral.status, Referral.consent_basis,
                                Referral.contact_cautions, Case.status)
                         .join(Case, Case.id == Referral.case_id)).all()  # fmt: skip
    texts = {r[0]: pdf_text(service.referral_document(demo_store, actor, r[0]).pdf) for r in refs}
    meeting = [t for (n, st, basis, *_x) in refs if basis == "support_meeting" for t in [texts[n]]]
    assert meeting and all("■支援会議（社会福祉法第106条の6）" in t for t in meeting)
    assert all("誓約書提出済の方に限る" in t for t in meeting)  # the pledged recipient is named
    assert any("送付不可" in t for t in texts.values())
    assert any("【住所秘匿】この方の住所" in t for t in texts.values())
    assert any("終結：このケースは終結しています" in t for t in texts.values())
    for n, status, *_ in refs:
        if status != "draft":
            assert "（記載省略）" not in texts[n].split("記載を省略した項目")[0][:400], n


def test_demo_data_looks_like_the_city(demo_store: Store) -> None:
    towns = {t for ts, _ in TOWNS.values() for t in ts}
    with demo_store.session() as s:
        people = s.scalars(select(Person)).all()
        assert all(p.phone is None or PHONE.match(p.phone) for p in people)
        assert all(any(t in (p.address or "") for t in towns) for p in people)
        assert all(PHONE.match(x) for x in s.scalars(select(Resource.contact)))
        sizes = Counter(s.scalars(select(HouseholdMember.household_id)))
        assert max(sizes.values()) >= 3 and sum(1 for n in sizes.values() if n > 1) > 10
        heads = s.scalars(select(HouseholdMember).where(HouseholdMember.is_head.is_(True))).all()
        assert all(h.relationship == "head" for h in heads)
        consented = s.scalars(select(Case).where(Case.consent_status == "given")).all()
        assert consented and all(c.consent_agency_ids for c in consented)
        assert all(a for a in s.scalars(select(MeetingAttendee.agency_id)))
        assert all(s.scalars(select(Staff.agency_id).where(Staff.login.like("staff%"))))
        for m in s.scalars(select(SupportMeeting)):
            for a in s.scalars(select(MeetingAttendee).where(MeetingAttendee.meeting_id == m.id)):
                assert a.pledge_date is not None and a.pledge_date <= m.held_on
        kinds = set(s.scalars(select(SupportMeeting.kind)))
        assert {"shien_kaigi", "jusoteki", "shinchoku"} <= kinds
        replied = s.scalars(select(Referral).where(Referral.reply_text.is_not(None))).all()
        assert replied and all(r.status in ("received", "in_progress", "done") for r in replied)


def test_demo_pledges_and_summaries_print(demo_store: Store, actor: Actor) -> None:
    with demo_store.session() as s:
        mid = s.scalars(
            select(SupportMeeting.id).where(SupportMeeting.kind == "shien_kaigi")
        ).first()
        cid = s.scalars(select(Referral.case_id).where(Referral.consent_basis == "support_meeting")).first()  # fmt: skip
    assert mid and cid
    pledge = pdf_text(service.pledge_document(demo_store, actor, mid).pdf)
    assert pledge.count("保健福祉センター所長様") == 1 and "誓約書提出済" in pledge
    summary = pdf_text(service.summary_document(demo_store, actor, cid).pdf)
    assert "支援会議" in summary and "役割分担" in summary and "世帯主" in summary
