"""The pledge holes of issue 13, over HTTP against a real server (SQLite and PostgreSQL).

A member of a meeting sees a case without consent only through a 支援会議 (art. 106-6) that is
not deleted, and only while their pledge covers the meeting's date: a pledge signed after the
meeting, an expired standing pledge, a 重層的支援会議 or a deleted meeting share nothing. A
meeting is visible to its attendees, its no-consent cases only to the pledged ones.
"""

from __future__ import annotations

from typing import Any

from tests.server.conftest import delete, insert, laptop, new_case, update
from tests.serverproc import ServerProc

Z = "agency-z"


def _meeting(
    admin: Any, worker: Any, *, kind: str = "shien_kaigi", held_on: str | None = "2026-05-20",
    pledge_date: str | None = "2026-05-01", valid_until: str | None = None,
    consent: str = "none",
) -> dict[str, str]:  # fmt: skip
    case = new_case(consent_status=consent, lead_agency_id=None)
    contact = insert(
        "contact_record", case_id=case["row_id"], kind="visit", contact_at="2026-05-02T10:00:00"
    )
    meeting = insert("support_meeting", kind=kind, title="会議", held_on=held_on)
    link = insert("meeting_case", meeting_id=meeting["row_id"], case_id=case["row_id"])
    att = insert(
        "meeting_attendee", meeting_id=meeting["row_id"], staff_id=worker.staff_id, name="出席者",
        pledge_signed=pledge_date is not None, pledge_date=pledge_date,
        pledge_valid_until=valid_until,
    )  # fmt: skip
    res = admin.push([case, contact, meeting, link, att])
    assert {r["status"] for r in res} == {"applied"}, res
    worker.sync()
    return {
        "case": case["row_id"],
        "contact": contact["row_id"],
        "meeting": meeting["row_id"],
        "attendee": att["row_id"],
    }


def test_pledge_before_the_meeting_grants_the_case(server: ServerProc) -> None:
    admin, worker = laptop(server, "admin"), laptop(server, "outreach")
    ids = _meeting(admin, worker)
    assert worker.sees("case", ids["case"]) and worker.sees("contact_record", ids["contact"])
    assert worker.sees("support_meeting", ids["meeting"])


def test_pledge_signed_after_the_meeting_grants_nothing(server: ServerProc) -> None:
    admin, worker = laptop(server, "admin"), laptop(server, "outreach")
    ids = _meeting(admin, worker, pledge_date="2026-05-21")
    assert not worker.sees("case", ids["case"])
    assert not worker.sees("contact_record", ids["contact"])
    # The meeting itself is the attendee's to see (not the case on it).
    assert worker.sees("support_meeting", ids["meeting"])


def test_meeting_without_a_date_or_pledge_without_a_date_grants_nothing(
    server: ServerProc,
) -> None:
    admin, worker = laptop(server, "admin"), laptop(server, "outreach")
    assert not worker.sees("case", _meeting(admin, worker, held_on=None)["case"])
    worker2 = laptop(server, "outreach")
    case = new_case(consent_status="none")
    meeting = insert("support_meeting", kind="shien_kaigi", held_on="2026-05-20")
    res = admin.push(
        [
            case,
            meeting,
            insert("meeting_case", meeting_id=meeting["row_id"], case_id=case["row_id"]),
            insert(
                "meeting_attendee",
                meeting_id=meeting["row_id"],
                staff_id=worker2.staff_id,
                name="出席者",
                pledge_signed=True,
            ),  # fmt: skip
        ]
    )
    assert {r["status"] for r in res} == {"applied"}
    worker2.sync()
    assert not worker2.sees("case", case["row_id"])


def test_jusoteki_meeting_does_not_share_a_case_without_consent(server: ServerProc) -> None:
    admin, worker = laptop(server, "admin"), laptop(server, "outreach")
    ids = _meeting(admin, worker, kind="jusoteki")
    assert not worker.sees("case", ids["case"])
    assert worker.sees("support_meeting", ids["meeting"])
    # With the person's consent, the same meeting shares the case with its pledged member.
    worker2 = laptop(server, "outreach")
    ids2 = _meeting(admin, worker2, kind="jusoteki", consent="given")
    assert worker2.sees("case", ids2["case"])


def test_deleting_the_meeting_withdraws_the_case(server: ServerProc) -> None:
    admin, worker = laptop(server, "admin"), laptop(server, "outreach")
    ids = _meeting(admin, worker)
    assert worker.sees("case", ids["case"])
    res = admin.push([delete("support_meeting", ids["meeting"])])
    assert res[0]["status"] == "applied", res
    worker.sync()
    assert ids["case"] in worker.purged


def test_moving_the_meeting_after_a_standing_pledge_expires_withdraws_the_case(
    server: ServerProc,
) -> None:
    admin, worker = laptop(server, "admin"), laptop(server, "outreach")
    ids = _meeting(admin, worker, pledge_date="2026-04-01", valid_until="2026-06-30")
    assert worker.sees("case", ids["case"])
    res = admin.push(
        [update("support_meeting", ids["meeting"], held_on=("2026-05-20", "2026-07-10"))]
    )
    assert res[0]["status"] == "applied", res
    worker.sync()
    assert ids["case"] in worker.purged


def test_attendance_and_pledges_are_written_by_coordinators_not_the_attendee(
    server: ServerProc,
) -> None:
    admin = laptop(server, "admin")
    coord = laptop(server, "coordinator")
    worker = laptop(server, "outreach")
    ids = _meeting(admin, worker, pledge_date=None)
    own = update("meeting_attendee", ids["attendee"], pledge_signed=(False, True),
                 pledge_date=(None, "2026-05-01"))  # fmt: skip
    assert worker.push([own])[0]["status"] == "rejected"
    mine = insert(
        "meeting_attendee", meeting_id=ids["meeting"], staff_id=coord.staff_id, name="本人",
        pledge_signed=True, pledge_date="2026-05-01",
    )  # fmt: skip
    assert coord.push([mine])[0]["status"] == "rejected"
    worker.sync()
    assert not worker.sees("case", ids["case"])
    # The coordinator records the worker's pledge: now it counts.
    ok = update("meeting_attendee", ids["attendee"], pledge_signed=(False, True),
                pledge_date=(None, "2026-05-01"))  # fmt: skip
    assert admin.push([ok])[0]["status"] == "applied"
    worker.sync()
    assert worker.sees("case", ids["case"])
