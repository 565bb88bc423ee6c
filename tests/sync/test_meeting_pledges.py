"""Support meetings through a real ``yorisoi-server`` process: a member without a valid pledge
never receives material of a case without consent, and a member who has one receives the
case with the meeting's minutes and tasks; moving the meeting past the pledge withdraws it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.records import Actor
from app.services import meetings
from app.storage.models import (
    Case,
    ContactRecord,
    Household,
    HouseholdMember,
    MeetingAttendee,
    MeetingCase,
    Person,
    RoleAssignment,
    SupportMeeting,
)
from tests.serverproc import ServerProc, running_server
from tests.sync.helpers import count
from tests.sync.server_side import Admin
from tests.sync.world import new_laptop

HELD = dt.date(2026, 12, 10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    with running_server(tmp_path_factory.mktemp("server")) as srv:
        yield srv


def _secret_case(store) -> tuple[str, str]:
    with store.session() as s:
        p = Person(name="秘匿 一郎", kana="ひとく いちろう", birth_date=dt.date(1970, 1, 1))
        h = Household(name="秘匿さん世帯")
        s.add_all([p, h])
        s.flush()
        s.add(HouseholdMember(household_id=h.id, person_id=p.id, relationship="self", is_head=True))
        c = Case(case_number=f"S-{p.id[-6:]}", title="ひきこもりの相談", household_id=h.id,
                 person_id=p.id, lead_agency_id=None, consent_status="none",
                 opened_on=dt.date(2026, 11, 1), issue_categories=["hikikomori"])  # fmt: skip
        s.add(c)
        s.flush()
        s.add(
            ContactRecord(
                case_id=c.id, narrative="近隣から相談", contact_at=dt.datetime(2026, 11, 2, 10)
            )
        )
        return c.id, p.id


def _holds(lap, case_id: str, person_id: str) -> dict[str, int]:
    st = lap.store
    return {
        "case": count(st, "case", f"id = '{case_id}'"),
        "person": count(st, "person", f"id = '{person_id}'"),
        "contact": count(st, "contact_record", f"case_id = '{case_id}'"),
        "minutes": count(st, "meeting_case", f"case_id = '{case_id}'"),
        "task": count(st, "role_assignment", f"case_id = '{case_id}'"),
    }


def test_only_members_with_a_pledge_dated_by_the_meeting_receive_the_case(
    server: ServerProc, tmp_path: Path
) -> None:
    admin = Admin.create(server, "meetadmin")
    coord = new_laptop(admin, tmp_path, "coord", role="coordinator")
    pledged = new_laptop(admin, tmp_path, "pledged")
    unpledged = new_laptop(admin, tmp_path, "unpledged")
    late = new_laptop(admin, tmp_path, "late")
    for lap in (coord, pledged, unpledged, late):
        lap.sync()  # the staff directory
    actor = Actor(staff_id=coord.staff_id, name="調整 役", role="coordinator")
    case_id, person_id = _secret_case(coord.store)
    with coord.store.session() as s:
        mid = meetings.create_meeting(s, actor, kind="shien_kaigi", held_on=HELD, title="支援会議",
                                      case_ids=[case_id])  # fmt: skip
        a = meetings.add_attendee(s, actor, mid, staff_id=pledged.staff_id)
        meetings.record_pledge(s, actor, a, HELD - dt.timedelta(days=5))
        meetings.add_attendee(s, actor, mid, staff_id=unpledged.staff_id)
        # A pledge dated after the meeting, as an older laptop could have written it (the
        # service refuses one): the server must not count it either.
        s.add(MeetingAttendee(meeting_id=mid, staff_id=late.staff_id, name="遅延",
                              pledge_signed=True, pledge_date=HELD + dt.timedelta(days=1)))  # fmt: skip
        meetings.write_minutes(s, actor, mid, case_id, discussion="生活の様子を共有",
                               decision="訪問を続ける")  # fmt: skip
        meetings.add_assignment(s, actor, meeting_id=mid, case_id=case_id, task="訪問する",
                                staff_id=pledged.staff_id, due_date=HELD + dt.timedelta(days=14))  # fmt: skip
    s1 = coord.sync()
    assert s1.rejected == 0, s1
    for lap in (pledged, unpledged, late):
        lap.sync()
    assert _holds(pledged, case_id, person_id) == {
        "case": 1,
        "person": 1,
        "contact": 1,
        "minutes": 1,
        "task": 1,
    }
    with pledged.store.session() as s:
        mc = s.scalars(select(MeetingCase).where(MeetingCase.case_id == case_id)).one()
        assert mc.discussion == "生活の様子を共有"
        task = s.scalars(select(RoleAssignment).where(RoleAssignment.case_id == case_id)).one()
        assert task.staff_id == pledged.staff_id and task.status == "open"
    for lap in (unpledged, late):
        assert _holds(lap, case_id, person_id) == {
            "case": 0,
            "person": 0,
            "contact": 0,
            "minutes": 0,
            "task": 0,
        }, lap.login
        # They attend: the meeting itself is on their laptop, with why they get nothing.
        with lap.store.session() as s:
            assert s.get(SupportMeeting, mid) is not None
            data = meetings.meeting_data(s, actor, mid, audit_view=False)
            assert data.cases == () and data.minutes == () and data.assignments == ()
            me = next(x for x in data.attendees if x.staff_id == lap.staff_id)
            assert not me.pledge_valid and me.pledge_note

    # Moving the meeting to before the pledge: the pledged member's laptop loses the case.
    with coord.store.session() as s:
        meetings.update_meeting(s, actor, mid, {"held_on": HELD - dt.timedelta(days=10)})
    coord.sync()
    pledged.sync()
    assert _holds(pledged, case_id, person_id)["case"] == 0
    for lap in (coord, pledged, unpledged, late):
        lap.close()
