"""Plain, immutable data that crosses layers and threads. Never live ORM objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who is acting on this laptop (from the profile) and from which device."""

    staff_id: str | None
    name: str
    role: str = "outreach"
    device_id: str | None = None
    agency_id: str | None = None
    district_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Choice:
    id: str
    name: str


@dataclass(frozen=True)
class CodeChoice:
    """A row of a coded master table (issue categories, 小学校区): what is stored is ``code``
    (a category) or ``name`` (a school zone); ``group`` is a school zone's district id."""

    code: str
    name: str
    name_en: str | None = None
    active: bool = True
    group: str | None = None


Vocabulary = dict[str, tuple[str, str]]


def code_vocab(rows: Iterable[CodeChoice], include: Iterable[str] = ()) -> Vocabulary:
    """code -> (ja, en) of the active rows in their order, plus retired ones in ``include``
    (the codes a record already holds, so editing it keeps them)."""
    keep = set(include)
    return {r.code: (r.name, r.name_en or r.name) for r in rows if r.active or r.code in keep}


@dataclass(frozen=True)
class Choices:
    """Small master lists for combo boxes, loaded at unlock and after each sync."""

    districts: tuple[Choice, ...]
    agencies: tuple[Choice, ...]
    staff: tuple[Choice, ...]
    meetings: tuple[Choice, ...]
    issue_categories: tuple[CodeChoice, ...] = ()
    school_zones: tuple[CodeChoice, ...] = ()

    def issue_vocab(self, include: Iterable[str] = ()) -> Vocabulary:
        """The issue categories to offer (the fixed list before the master table loaded)."""
        if not self.issue_categories:
            from app.domain.vocab import ISSUE_CATEGORY

            return dict(ISSUE_CATEGORY)
        return code_vocab(self.issue_categories, include)

    def issue_labels(self) -> Vocabulary:
        """Every category's label, retired ones too (for showing what a case holds)."""
        return self.issue_vocab(c.code for c in self.issue_categories)

    def school_zone_names(self, district_id: str | None = None) -> list[str]:
        """Active 小学校区 names of the district (of all districts when none is given or the
        district has none listed), in the master order."""
        zones = [z for z in self.school_zones if z.active]
        mine = [z for z in zones if district_id and z.group == district_id]
        return [z.name for z in (mine or zones)]


@dataclass(frozen=True)
class PersonData:
    id: str
    name: str
    kana: str | None = None
    birth_date: dt.date | None = None
    sex: str | None = None
    address: str | None = None
    phone: str | None = None
    district_id: str | None = None
    district_name: str | None = None
    school_zone: str | None = None
    notes: str | None = None

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


@dataclass(frozen=True)
class MemberData:
    id: str
    person: PersonData
    relationship: str
    is_head: bool = False
    lives_together: bool = True
    joined_on: dt.date | None = None
    left_on: dt.date | None = None  # set: a former member (the row is kept as history)


@dataclass(frozen=True)
class LifeEventData:
    id: str
    event_date: dt.date | None
    kind: str
    description: str | None
    person_id: str | None = None
    person_name: str | None = None


@dataclass(frozen=True)
class HouseholdData:
    id: str
    name: str
    address: str | None = None
    district_name: str | None = None
    situation: str | None = None
    members: tuple[MemberData, ...] = ()  # current members, the head (世帯主) first
    events: tuple[LifeEventData, ...] = ()
    district_id: str | None = None
    former_members: tuple[MemberData, ...] = ()  # members who left, most recent first
    # Households merged into this one (id, name), each undoable by a coordinator.
    merged_from: tuple[Choice, ...] = ()
    version: int = 1


@dataclass(frozen=True)
class TeamMemberData:
    id: str
    staff_id: str | None
    staff_name: str | None
    agency_id: str | None
    agency_name: str | None
    role: str | None


@dataclass(frozen=True)
class ContactData:
    id: str
    case_id: str
    contact_at: dt.datetime
    kind: str
    place: str | None = None
    staff_name: str | None = None
    participants: str | None = None
    narrative: str | None = None
    next_action: str | None = None
    next_action_date: dt.date | None = None
    corrects_id: str | None = None


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list."""

    id: str
    case_number: str
    title: str
    person_name: str | None
    person_kana: str | None
    district_name: str | None
    status: str
    urgency: str
    issue_categories: tuple[str, ...]
    consent_status: str
    assigned_staff_name: str | None
    updated_at: dt.datetime | None


@dataclass(frozen=True)
class ReferralSummary:
    id: str
    receipt_number: str
    referral_date: dt.date | None
    status: str
    to_agency_name: str | None


@dataclass(frozen=True)
class MeetingSummary:
    id: str
    kind: str
    held_on: dt.date | None
    title: str | None
    decisions: str | None = None


@dataclass(frozen=True)
class CaseDetail:
    id: str
    case_number: str
    title: str
    status: str
    urgency: str
    issue_categories: tuple[str, ...]
    district_id: str | None
    district_name: str | None
    lead_agency_id: str | None
    lead_agency_name: str | None
    assigned_staff_id: str | None
    assigned_staff_name: str | None
    consent_status: str
    consent_agency_ids: tuple[str, ...]
    consent_agency_names: tuple[str, ...]
    consent_date: dt.date | None
    opened_on: dt.date | None
    closed_on: dt.date | None
    notes: str | None
    version: int
    person: PersonData | None
    household: HouseholdData | None
    team: tuple[TeamMemberData, ...] = ()
    contacts: tuple[ContactData, ...] = ()
    referrals: tuple[ReferralSummary, ...] = ()
    meetings: tuple[MeetingSummary, ...] = ()
    assignments: tuple[AssignmentData, ...] = ()  # 役割分担 for this case, by due date
    # Ids of this case's records (and the case itself) the server refused, not resent yet:
    # they are shown marked as not accepted (app.sync.rejected).
    not_accepted: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferralData:
    """Everything on a referral sheet, names resolved, ready to render."""

    id: str
    case_id: str
    case_number: str
    receipt_number: str
    referral_date: dt.date | None
    status: str
    from_agency_id: str | None
    from_agency_name: str | None
    from_staff_id: str | None
    from_staff_name: str | None
    from_contact: str | None
    to_agency_id: str | None
    to_agency_name: str | None
    to_staff_name: str | None
    person: PersonData | None
    consulter_name: str | None
    consulter_relationship: str | None
    household_situation: str | None
    household_members: tuple[MemberData, ...]
    issue_categories: tuple[str, ...]
    issue_other: str | None
    account: str | None
    wishes: str | None
    services_involved: str | None
    reason: str | None
    urgency: str
    consent_basis: str
    consent_agency_ids: tuple[str, ...]
    consent_agency_names: tuple[str, ...]
    consent_signed_by: str | None
    consent_date: dt.date | None
    meeting_id: str | None
    meeting_kind: str | None
    meeting_held_on: dt.date | None
    meeting_title: str | None
    reply_date: dt.date | None
    reply_staff_name: str | None
    reply_text: str | None
    version: int = 1
    case_status: str | None = None
    received_on: dt.date | None = None  # 相談受付日: when the case was opened
    consult_route: str | None = None
    contact_cautions: tuple[str, ...] = ()
    contact_note: str | None = None
    handover: str | None = None
    first_meeting_at: dt.datetime | None = None
    consent_agent_relationship: str | None = None  # set when an agent (代理人) consented


@dataclass(frozen=True)
class AttendeeData:
    id: str
    name: str
    staff_id: str | None
    agency_id: str | None
    agency_name: str | None
    pledge_signed: bool
    pledge_date: dt.date | None
    pledge_valid_until: dt.date | None = None  # a standing pledge's last day
    # Whether the pledge covers this meeting (app/domain/pledges.py), and why not.
    pledge_valid: bool = False
    pledge_note: str = ""


@dataclass(frozen=True)
class AssignmentData:
    id: str
    case_id: str
    case_number: str | None
    staff_name: str | None
    agency_name: str | None
    task: str
    due_date: dt.date | None
    done: bool
    status: str = "open"  # vocab.TASK_STATUS
    staff_id: str | None = None
    agency_id: str | None = None
    meeting_id: str | None = None
    completed_on: dt.date | None = None  # the day it was done (reports: done on time)


@dataclass(frozen=True)
class MinutesData:
    """The minutes of one case on a meeting's agenda."""

    case_id: str
    case_number: str | None
    discussion: str | None
    decision: str | None


@dataclass(frozen=True)
class MeetingData:
    id: str
    kind: str
    held_on: dt.date | None
    place: str | None
    district_name: str | None
    chair_staff_id: str | None
    chair_name: str | None
    title: str | None
    decisions: str | None
    attendees: tuple[AttendeeData, ...] = ()
    cases: tuple[CaseRow, ...] = ()
    assignments: tuple[AssignmentData, ...] = ()
    organiser_name: str | None = None  # the organising agency
    addressee: str | None = None  # how the pledge addresses the organiser
    starts_at: str | None = None  # "14:00"
    standing_pledge_allowed: bool = False
    organiser_agency_id: str | None = None
    district_id: str | None = None
    minutes: tuple[MinutesData, ...] = ()


@dataclass(frozen=True)
class ResourceData:
    id: str
    name: str
    kana: str | None
    kind: str
    district_id: str | None
    district_name: str | None
    address: str | None
    schedule: str | None
    contact: str | None
    notes: str | None
    version: int = 1


@dataclass(frozen=True)
class VisitPlan:
    """A line of the day's visit list (訪問予定表)."""

    case_id: str
    case_number: str
    person_name: str | None
    person_kana: str | None
    address: str | None
    phone: str | None
    planned_on: dt.date
    next_action: str | None
    last_contact_at: dt.datetime | None
    household_id: str | None = None
    household_name: str | None = None
    worker_name: str | None = None  # the case's assigned worker
    case_status: str | None = None


@dataclass(frozen=True)
class CaseFilter:
    text: str = ""
    district_ids: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    issue_categories: tuple[str, ...] = ()
    assigned_staff_id: str | None = None
    consent_statuses: tuple[str, ...] = ()
    urgencies: tuple[str, ...] = ()
    include_closed: bool = True
    sort: str = "updated_at"
    descending: bool = True
