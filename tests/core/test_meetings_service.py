"""The meeting rules on the laptop, on a real SQLCipher store: who may organise, what each
member may receive of a case (the packet/screen rule), standing pledges, the outreach
worker's meeting list."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.domain.errors import ValidationError
from app.domain.records import Actor
from app.services import meetings
from app.storage.models import Agency, Case, MeetingAttendee, Staff, SupportMeeting

HELD = dt.date(2026, 12, 10)


@pytest.fixture
def world(demo_store, actor):
    with demo_store.session() as s:
        staff = s.scalars(select(Staff).where(Staff.role == "outreach")).all()[:2]
        secret = s.scalars(select(Case).where(Case.consent_status != "given")).first()
        given = s.scalars(
            select(Case).where(
                Case.consent_status == "given", Case.assigned_staff_id != staff[0].id
            )
        ).first()
        agencies = s.scalars(select(Agency)).all()
        ids = {"w1": staff[0].id, "w2": staff[1].id, "secret": secret.id, "given": given.id,
               "a1": staff[0].agency_id, "other_agency": next(a.id for a in agencies if a.id != staff[0].agency_id)}  # fmt: skip
    return demo_store, actor, ids


def test_case_access_follows_kind_pledge_and_consent(world):
    store, actor, ids = world
    with store.session() as s:
        for kind, signed_on, case, expect in (
            ("shien_kaigi", HELD - dt.timedelta(days=1), "secret", "meeting"),
            ("shien_kaigi", None, "secret", "withheld"),
            ("jusoteki", HELD - dt.timedelta(days=1), "secret", "withheld"),
            ("shinchoku", HELD, "secret", "withheld"),
        ):
            mid = meetings.create_meeting(s, actor, kind=kind, held_on=HELD, case_ids=[ids[case]])
            a = meetings.add_attendee(s, actor, mid, staff_id=ids["w1"])
            if signed_on:
                meetings.record_pledge(s, actor, a, signed_on)
            m, att, c = (
                s.get(SupportMeeting, mid),
                s.get(MeetingAttendee, a),
                s.get(Case, ids[case]),
            )
            scope, why = meetings.case_access(m, att, c)
            assert scope == expect, (kind, signed_on)
            assert (why == "") == (expect != "withheld")
            # Moving the meeting before the pledge withdraws what it granted.
            if expect == "meeting":
                meetings.update_meeting(s, actor, mid, {"held_on": "2026-12-01"})
                assert meetings.case_access(m, att, c)[0] == "withheld"


def test_standing_pledge_covers_later_meetings_of_the_same_organiser(world):
    store, actor, ids = world
    with store.session() as s:
        first = meetings.create_meeting(
            s, actor, kind="shien_kaigi", held_on=HELD, organiser_agency_id=ids["a1"]
        )
        with pytest.raises(ValidationError):  # not allowed by this organiser yet
            a = meetings.add_attendee(s, actor, first, staff_id=ids["w1"])
            meetings.record_pledge(s, actor, a, HELD, valid_until=dt.date(2027, 3, 31))
    with store.session() as s:
        first = meetings.create_meeting(
            s, actor, kind="shien_kaigi", held_on=HELD, organiser_agency_id=ids["a1"]
        )
        meetings.update_meeting(s, actor, first, {"standing_pledge_allowed": True})
        a = meetings.add_attendee(s, actor, first, staff_id=ids["w1"])
        meetings.record_pledge(s, actor, a, HELD, valid_until=dt.date(2027, 3, 31))
        later = meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=dt.date(2027, 1, 15),
                                        organiser_agency_id=ids["a1"])  # fmt: skip
        meetings.update_meeting(s, actor, later, {"standing_pledge_allowed": True})
        b = meetings.add_attendee(s, actor, later, staff_id=ids["w1"])
        row = s.get(MeetingAttendee, b)
        assert (
            row.pledge_signed
            and row.pledge_date == HELD
            and row.pledge_valid_until == dt.date(2027, 3, 31)
        )
        after = meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=dt.date(2027, 4, 15),
                                        organiser_agency_id=ids["a1"])  # fmt: skip
        meetings.update_meeting(s, actor, after, {"standing_pledge_allowed": True})
        c = meetings.add_attendee(s, actor, after, staff_id=ids["w1"])
        assert not s.get(MeetingAttendee, c).pledge_signed  # expired: a new pledge is needed


def test_outreach_workers_neither_organise_nor_see_others_meetings(world):
    store, actor, ids = world
    with store.session() as s:
        mine = meetings.create_meeting(
            s, actor, kind="shien_kaigi", held_on=HELD, title="出席する会議"
        )
        meetings.add_attendee(s, actor, mine, staff_id=ids["w2"])
        other = meetings.create_meeting(
            s, actor, kind="shien_kaigi", held_on=HELD, title="関係ない会議"
        )
        w2 = s.get(Staff, ids["w2"])
        worker = Actor(staff_id=w2.id, name=w2.name, role="outreach", agency_id=w2.agency_id)
        listed = {m["id"] for m in meetings.list_meetings(s, worker)}
        assert mine in listed and other not in listed
        with pytest.raises(ValidationError, match="コーディネーター"):
            meetings.create_meeting(s, worker, kind="shien_kaigi", held_on=HELD)
        with pytest.raises(ValidationError, match="自分自身"):
            meetings.add_attendee(s, actor, other, staff_id=actor.staff_id)


def test_packet_output_is_audited_per_case_shown(world, tmp_path):
    from app.reports import service
    from app.storage.models import AuditEvent

    store, actor, ids = world
    with store.session() as s:
        mid = meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=HELD,
                                      case_ids=[ids["secret"]])  # fmt: skip
        a = meetings.add_attendee(s, actor, mid, staff_id=ids["w1"])
        meetings.record_pledge(s, actor, a, HELD)
        meetings.add_attendee(s, actor, mid, staff_id=ids["w2"])  # no pledge
    doc = service.packet_document(store, actor, meetings.meeting_number(mid))
    assert doc.pages == 2
    service.export_pdf(store, actor, doc, tmp_path / "p.pdf", password="pw-for-the-test-1")
    with store.session() as s:
        rows = s.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
        assert [(r.entity, r.entity_id) for r in rows] == [("case", ids["secret"])]
        assert "meeting=1" in rows[0].detail and "withheld=1" in rows[0].detail
