"""The demo database keeps the app's rules, so every document and consent variant can be seen
working (issue 15): consented, 支援会議 without consent, withheld (送付不可), closed, draft."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from app.domain.records import Actor
from app.domain.seed import agency_id
from app.reports import service
from app.services.demo import TOWNS
from app.storage.db import Store
from app.storage.models import (
    Case,
    ContactRecord,
    HouseholdMember,
    MeetingAttendee,
    MeetingCase,
    Person,
    Referral,
    Resource,
    RoleAssignment,
    Staff,
    SupportMeeting,
)
from tests.reports.conftest import pdf_text

PHONE = re.compile(r"^(06-\d{4}-\d{4}|0[789]0-\d{4}-\d{4})$")


@pytest.fixture(scope="module")
def _demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Actor]]:
    """One demo database for the module (the tests only read it; building takes seconds)."""
    from app.services.demo import build_demo
    from app.services.profile import set_profile_user
    from app.storage.lifecycle import create_database
    from tests.conftest import PASSPHRASE

    store = create_database(tmp_path_factory.mktemp("demo") / "yorisoi.db", PASSPHRASE)
    with store.session() as s:
        actor = set_profile_user(s, name="試験 太郎", role="coordinator", login="tester")
    build_demo(store, persons=300)
    yield store, actor
    store.lock()


@pytest.fixture
def demo_store(_demo: tuple[Store, Actor]) -> Store:
    return _demo[0]


@pytest.fixture
def actor(_demo: tuple[Store, Actor]) -> Actor:
    return _demo[1]


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
        assert replied and all(
            r.status in ("received", "in_progress", "done", "returned") for r in replied
        )


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


def test_every_demo_meeting_has_cases_with_minutes_and_members_who_pledged(
    demo_store: Store, actor: Actor
) -> None:
    """No meeting with 検討事例 0件 (issue 15): 支援会議 discuss cases without consent,
    重層的支援会議 and 進捗会議 consented ones; each case has its minutes and a 役割分担 whose
    agency sits on the meeting; every member pledged before the day."""
    with demo_store.session() as s:
        meetings = s.scalars(select(SupportMeeting)).all()
        assert len(meetings) == 90
        for m in meetings:
            items = s.scalars(select(MeetingCase).where(MeetingCase.meeting_id == m.id)).all()
            assert items, (m.kind, m.held_on)
            assert all(x.discussion and x.decision for x in items)
            members = s.scalars(
                select(MeetingAttendee).where(MeetingAttendee.meeting_id == m.id)
            ).all()
            assert all(a.pledge_signed and a.pledge_date < m.held_on for a in members)
            agencies = {a.agency_id for a in members}
            for x in items:
                c = s.get(Case, x.case_id)
                assert c is not None and c.opened_on < m.held_on
                assert c.closed_on is None or c.closed_on > m.held_on
                if m.kind != "shien_kaigi":
                    assert c.consent_status == "given", m.kind
                tasks = s.scalars(select(RoleAssignment).where(
                    RoleAssignment.meeting_id == m.id, RoleAssignment.case_id == c.id)).all()  # fmt: skip
                assert tasks and all(t.agency_id in agencies for t in tasks)
                assert all((t.status == "done") == bool(t.done) for t in tasks)
        no_consent = s.scalars(select(MeetingCase.case_id).join(
            SupportMeeting, SupportMeeting.id == MeetingCase.meeting_id).where(
            SupportMeeting.kind == "shien_kaigi")).all()  # fmt: skip
        cases = [s.get(Case, cid) for cid in no_consent]
        assert sum(c.consent_status != "given" for c in cases if c) > len(cases) // 2
    # the newest 支援会議's minutes and packet show a case, not an empty agenda
    newest = max((m for m in meetings if m.kind == "shien_kaigi"), key=lambda m: m.held_on)
    minutes = pdf_text(service.minutes_document(demo_store, actor, newest.id).pdf)
    assert "議題1" in minutes and "（記載なし）" not in minutes
    packets = pdf_text(service.packet_document(demo_store, actor, newest.id).pdf)
    assert re.search(r"様（[^）]+）+誓約書令和\d+年\d+月\d+日（20\d\d-\d\d-\d\d）提出済", packets)


def test_every_demo_referral_has_a_sendable_variant_and_fits_its_case(
    demo_store: Store, actor: Actor
) -> None:
    """Every referral prints at least one non-withheld variant: a sent one as it is, a
    送付不可 draft once sent to an agency the person named (what its sheet tells the worker).
    Destinations fit: never the sender's agency; consented ones go to a named agency; a
    支援会議 one to a member who pledged; receipt numbers follow the dates."""
    from dataclasses import replace

    from app.reports.redaction import redact
    from app.services.referrals import meeting_basis, referral_data

    with demo_store.session() as s:
        refs = s.scalars(select(Referral)).all()
        for r in refs:
            assert r.to_agency_id != r.from_agency_id, r.receipt_number
            data = referral_data(s, actor, r.id, audit_view=False)
            basis = meeting_basis(s, r.meeting_id) if r.consent_basis != "consent" else None
            _, red = redact(data, basis)
            if red.scope == "withheld":
                assert r.status == "draft" and r.consent_agency_ids, r.receipt_number
                fixed = replace(data, to_agency_id=r.consent_agency_ids[0])
                assert redact(fixed, basis)[1].scope != "withheld", r.receipt_number
            elif r.consent_basis == "consent":
                assert r.to_agency_id in r.consent_agency_ids
            if r.consent_basis == "support_meeting":
                pledged = {n for _agency, n in basis.members} if basis else set()
                assert r.to_staff_name in pledged, r.receipt_number
            assert r.household_situation and r.account and r.wishes and r.reason
        by_month: dict[str, list[Referral]] = {}
        for r in refs:
            by_month.setdefault(r.receipt_number[:7], []).append(r)
        for month in by_month.values():
            month.sort(key=lambda r: r.receipt_number)
            dates = [r.referral_date for r in month]
            assert dates == sorted(dates), [r.receipt_number for r in month]
        assert any(r.meeting_id and r.consent_basis == "consent" for r in refs)  # 重層的支援会議


def test_demo_people_cases_and_contacts_are_plausible(demo_store: Store, actor: Actor) -> None:
    """Ages fit the household (no 115-year-old parent, children younger than the head), a
    child's case is never about debt or work, no contact lies in the future, an open case's
    latest contact names its next action and date together, and the visit list has no
    blank worker, address or plan."""
    import datetime as dt

    from app.services.visits import visit_plan

    today = dt.date.today()
    adult_only = {"debt", "tax_utilities", "rent_loans", "housing", "income", "work"}
    with demo_store.session() as s:
        people = {p.id: p for p in s.scalars(select(Person))}
        age = {pid: (today - p.birth_date).days // 365 for pid, p in people.items()}
        assert max(age.values()) <= 100
        members = s.scalars(select(HouseholdMember)).all()
        heads = {m.household_id: m.person_id for m in members if m.is_head}
        for m in members:
            if m.relationship in ("child", "grandchild"):
                assert age[m.person_id] <= age[heads[m.household_id]] - 18
        children = set()
        for c in s.scalars(select(Case)):
            if age[c.person_id] < 15:
                children.add(c.id)
                assert not adult_only & set(c.issue_categories), c.issue_categories
                assert c.lead_agency_id != agency_id("hikikomori")
        contacts = s.scalars(select(ContactRecord)).all()
        assert children and all(
            "本人" not in x.narrative for x in contacts if x.case_id in children
        )
        assert max(x.contact_at for x in contacts).date() < today
        assert all(8 <= x.contact_at.hour <= 17 for x in contacts)
        assert all((x.next_action is None) == (x.next_action_date is None) for x in contacts)
        visits = visit_plan(s, actor, today, mine_only=False)
    assert visits
    for v in visits:
        assert v.worker_name and v.address and v.next_action and v.case_status != "closed"
        assert v.last_contact_at and (today - v.last_contact_at.date()).days <= 21
    pdf = service.visits_document(demo_store, actor, today, mine_only=False).pdf
    assert "担当未定" not in pdf_text(pdf)


def test_demo_worklist_is_mostly_upcoming(demo_store: Store, actor: Actor) -> None:
    """The demo's dates lay all in the past, so やること showed ~97 % of items overdue: next
    visits, task due dates and consents now spread around today (some overdue, most not)."""
    from app.services import worklist

    with demo_store.session() as s:
        wl = worklist.worklist(s, actor, scope="team")
    items = wl.items
    assert len(items) > 50
    assert 0.1 < wl.overdue / len(items) < 0.5, (wl.overdue, len(items))
    for kind in ("visit", "consent"):
        late = [i for i in items if i.kind == kind and i.days_late > 0]
        ahead = [i for i in items if i.kind == kind and i.days_late <= 0]
        assert late and ahead, kind
        if kind == "visit":  # consents: ten or so items a year, too few to compare
            assert len(ahead) > len(late), (kind, len(late), len(ahead))
    late = [i for i in items if i.kind in ("visit", "no_contact", "task") and i.days_late > 0]
    assert max(i.days_late for i in late) <= 60  # overdue by days or weeks, not by years
    with demo_store.session() as s:  # a renewed consent never predates the case
        given = s.scalars(select(Case).where(Case.consent_status == "given")).all()
    assert all(c.consent_date and c.opened_on and c.consent_date >= c.opened_on for c in given)


def test_demo_referral_status_and_reply_follow_the_sheets_age(demo_store: Store) -> None:
    """Sheets of 2024-12 were still 対応中 two years on: now a sheet older than half a year is
    done or returned, a reply comes after the sheet and never after today, and says what its
    status is (a 返戻 says why)."""
    import datetime as dt

    today = dt.date.today()
    with demo_store.session() as s:
        refs = s.scalars(select(Referral).where(Referral.status != "draft")).all()
    old = [r for r in refs if (today - r.referral_date).days > 190]
    assert old and all(r.status in ("done", "returned") for r in old), Counter(
        r.status for r in old
    )
    assert any((today - r.referral_date).days <= 180 and r.status == "in_progress" for r in refs)
    for r in refs:
        if r.status == "sent":
            assert r.reply_date is None and r.reply_text is None, r.receipt_number
            assert (today - r.referral_date).days <= 45, r.receipt_number
            continue
        assert r.reply_date and r.referral_date < r.reply_date <= today, r.receipt_number
        text = r.reply_text or ""
        expected = {"received": "受理", "done": "完了", "returned": "返戻"}.get(r.status)
        if expected:
            assert expected in text, (r.status, text)
        else:
            assert "完了" not in text and "返戻" not in text, (r.status, text)
        if r.status == "returned":
            assert "ため" in text and r.first_meeting_at is None  # why, and no first meeting


# For each issue: the agencies that take it, and words a reason for it names.
REASON_FITS: dict[str, tuple[set[str], tuple[str, ...]]] = {
    "health_disability": (
        {"hoken", "iryou", "houkatsu", "fukushi", "kodomo"},
        ("健康", "受診", "医療", "介護"),
    ),
    "housing": ({"toshi", "shakyo"}, ("住まい", "転居")),
    "income": ({"shakyo", "kouken", "npo"}, ("生活福祉資金", "金銭管理", "収入")),
    "rent_loans": ({"toshi", "shakyo"}, ("家賃",)),
    "tax_utilities": ({"shisan", "shakyo"}, ("税金", "公共料金")),
    "debt": ({"bengoshi", "shakyo"}, ("債務", "借入")),
    "work": ({"npo", "shakyo"}, ("就労", "離職")),
    "relationships": ({"shakyo", "hoken", "npo"}, ("近隣",)),
    "childcare": ({"kodomo", "hoken"}, ("子育て",)),
    "caregiving": ({"houkatsu", "kodomo", "iryou", "kyoiku"}, ("介護",)),
    "hikikomori": ({"hikikomori", "kyoiku", "hoken", "npo", "kodomo"}, ("ひきこもり", "不登校")),
    "dv_abuse": ({"fukushi", "kodomo", "bengoshi", "kyoiku"}, ("安全",)),
    "no_food": ({"shakyo", "kodomo_shokudo", "kodomo", "npo"}, ("食",)),
    "other": ({"doubutsu", "hoken"}, ("多頭飼育",)),
}


def test_every_demo_referral_reason_fits_an_issue_and_its_agency(demo_store: Store) -> None:
    """A case whose only issue was 家族・近隣関係 went to 社会福祉協議会 「生活福祉資金など…」:
    the reason (8. つなぐ理由) names one of the sheet's issues, and the destination takes it."""
    codes = {agency_id(code): code for code in {a for a, _ in REASON_FITS.values() for a in a}}
    with demo_store.session() as s:
        refs = s.scalars(select(Referral)).all()
    assert refs
    for r in refs:
        to = codes.get(r.to_agency_id)
        fits = [
            i
            for i in r.issue_categories
            if to in REASON_FITS[i][0] and any(w in r.reason for w in REASON_FITS[i][1])
        ]
        assert fits, (r.receipt_number, r.issue_categories, to, r.reason)


def _contacts_by_case(
    store: Store,
) -> tuple[dict[str, int], dict[str, list[str]], dict[str, Case], dict[str, list[ContactRecord]]]:
    import datetime as dt

    today = dt.date.today()
    with store.session() as s:
        age = {p.id: (today - p.birth_date).days // 365 for p in s.scalars(select(Person))}
        homes: dict[str, list[str]] = {}
        for m in s.scalars(select(HouseholdMember)):
            homes.setdefault(m.household_id, []).append(m.person_id)
        cases = {c.id: c for c in s.scalars(select(Case))}
        contacts = s.scalars(select(ContactRecord).order_by(ContactRecord.contact_at)).all()
    by_case: dict[str, list[ContactRecord]] = {}
    for x in contacts:
        by_case.setdefault(x.case_id, []).append(x)
    assert len(by_case) == len(cases)
    return age, homes, cases, by_case


def test_demo_contacts_fit_the_persons_age(demo_store: Store) -> None:
    """A 1-year-old's case had 「地域包括支援センター職員と病院に同行」: 地域包括支援センター
    (people of 65 and over and their families) appears in a child's case only when the
    household has someone of 65 or over; no withdrawal visit for a child under 15."""
    age, homes, cases, by_case = _contacts_by_case(demo_store)
    children = 0
    for cid, xs in by_case.items():
        c = cases[cid]
        if age[c.person_id] >= 18:
            continue
        children += 1
        elder = any(age[p] >= 65 for p in homes.get(c.household_id or "", []))
        for x in xs:
            named = "地域包括" in x.narrative or "地域包括" in (x.participants or "")
            assert elder or not named, (age[c.person_id], x.narrative)
            if age[c.person_id] < 15:
                assert "ひきこもり" not in x.narrative, x.narrative
    assert children > 10


def test_demo_open_cases_stay_in_touch(demo_store: Store) -> None:
    """An open case went from 2025-05 to 2026-12 without a contact: an open case is contacted
    at least every three months, its latest contact within the last two and a half months."""
    import datetime as dt

    today = dt.date.today()
    _age, _homes, cases, by_case = _contacts_by_case(demo_store)
    for cid, xs in by_case.items():
        c = cases[cid]
        if c.status == "closed":
            continue
        days = [x.contact_at.date() for x in xs]
        gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
        assert max(gaps, default=0) <= 92, (c.case_number, days)
        assert (today - days[-1]).days <= 80, (c.case_number, days[-1])


def test_a_demo_profile_has_no_unsent_change(demo_store: Store) -> None:
    """The sync panel of a fresh demo profile showed 未送信の変更 1 (the profile user's staff
    row queued by first run / init): a demo profile never syncs, so its outbox is empty."""
    from app.sync.status import sync_status, unsent_changes

    assert unsent_changes(demo_store) == 0
    assert sync_status(demo_store).pending_total == 0
    with demo_store.session() as s:  # the coordinator's demo is still the whole city
        assert len(s.scalars(select(Person.id)).all()) == 300


def test_an_outreach_workers_demo_holds_their_caseload_only(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """An outreach worker's demo laptop held every case of the city: it now holds what it would
    sync (app/server/crud/scope.py): a caseload of their own, with each referral variant, the
    households, members and meetings of those cases, and the shared directory and resources."""
    from app.services.demo import build_demo
    from app.services.profile import set_profile_user
    from app.storage.lifecycle import create_database
    from app.sync.status import unsent_changes
    from tests.conftest import PASSPHRASE

    store = create_database(tmp_path_factory.mktemp("outreach") / "yorisoi.db", PASSPHRASE)
    try:
        with store.session() as s:
            me = set_profile_user(s, name="試験 次郎", role="outreach", login="walker")
        counts = build_demo(store, persons=300)
        assert unsent_changes(store) == 0
        with store.session() as s:
            cases = s.scalars(select(Case)).all()
            assert 20 <= len(cases) <= 80 and counts.cases == len(cases)
            assert all(c.assigned_staff_id == me.staff_id for c in cases)
            assert all(c.lead_agency_id == agency_id("chiiki") for c in cases)
            ids = {c.id for c in cases}
            homes = {c.household_id for c in cases}
            members = s.scalars(select(HouseholdMember)).all()
            assert {m.household_id for m in members} == homes
            persons = {p for p in s.scalars(select(Person.id))}
            assert persons == {m.person_id for m in members} | {c.person_id for c in cases}
            assert {x.case_id for x in s.scalars(select(ContactRecord))} == ids
            refs = s.scalars(select(Referral)).all()
            assert {r.case_id for r in refs} <= ids
            assert {"draft", "done"} <= {r.status for r in refs}
            assert {"consent", "support_meeting"} <= {r.consent_basis for r in refs}
            items = s.scalars(select(MeetingCase)).all()
            assert items and {x.case_id for x in items} <= ids
            assert {m.id for m in s.scalars(select(SupportMeeting))} == {
                x.meeting_id for x in items
            }
            assert len(s.scalars(select(Resource.id)).all()) >= 12  # everyone's
    finally:
        store.lock()


def test_demo_records_are_dated_by_their_story(demo_store: Store) -> None:
    """Every demo case read 更新日 today (the day the demo was built) and every closed case was
    closed in the last three weeks: a case is made on the day it was opened and last changed at
    its latest contact or closing, a contact when it happened, a referral on its date; closings
    spread over the demo's two years."""
    import datetime as dt

    today = dt.date.today()
    with demo_store.session() as s:
        cases = s.execute(select(Case.id, Case.opened_on, Case.closed_on, Case.created_at,
                                 Case.updated_at)).all()  # fmt: skip
        last = dict(
            s.execute(
                select(ContactRecord.case_id, func.max(ContactRecord.contact_at)).group_by(
                    ContactRecord.case_id
                )
            ).all()
        )
        for _id, opened, closed, created, updated in cases:
            assert created.date() == opened
            assert updated.date() <= today and updated >= created
            ends = [x for x in (last.get(_id), closed and dt.datetime.combine(closed, dt.time(17)))
                    if x]  # fmt: skip
            assert updated == max([created, *ends])
        assert len({u.date() for *_, u in cases}) > 30
        closings = sorted(c for _, _, c, _, _ in cases if c)
        assert len(closings) >= 10 and (closings[-1] - closings[0]).days > 180
        for at, created in s.execute(select(ContactRecord.contact_at, ContactRecord.created_at)):
            assert created == at
        for day, created in s.execute(select(Referral.referral_date, Referral.created_at)):
            assert created.date() == day


def test_demo_work_happens_on_office_days(demo_store: Store) -> None:
    """A 来所 on New Year's Eve, visits on Sundays, a 重層的支援会議 on a Sunday: contacts, their
    next dates, meetings, pledges, referrals and case openings fall on days the offices are
    open (not weekends, 12/29-1/3 or national holidays), as in the city's own records."""
    import datetime as dt

    from app.domain.office_days import office_closed

    today = dt.date.today()
    assert office_closed(dt.date(2025, 12, 31)) and office_closed(dt.date(2026, 11, 15))
    assert office_closed(dt.date(2026, 5, 6)) and office_closed(dt.date(2026, 9, 22))
    assert not office_closed(dt.date(2026, 12, 7))
    with demo_store.session() as s:
        days = {
            "contact": [a.date() for a in s.scalars(select(ContactRecord.contact_at))],
            "next": [
                d for d in s.scalars(select(ContactRecord.next_action_date)) if d and d != today
            ],
            "meeting": list(s.scalars(select(SupportMeeting.held_on))),
            "pledge": [d for d in s.scalars(select(MeetingAttendee.pledge_date)) if d],
            "referral": list(s.scalars(select(Referral.referral_date))),
            "opened": list(s.scalars(select(Case.opened_on))),
            "closed": [d for d in s.scalars(select(Case.closed_on)) if d],
        }
    for kind, values in days.items():
        assert values, kind
        bad = sorted({d for d in values if office_closed(d)})
        assert not bad, (kind, bad[:5])


def test_demo_consent_meetings_share_with_their_members(demo_store: Store, actor: Actor) -> None:
    """Every member's packet of a demo 重層的支援会議 withheld every agenda item (the consent
    named other agencies): a person planned at a consent-based meeting agreed to share with its
    members, so each member's packet carries every case."""
    with demo_store.session() as s:
        meetings = s.scalars(
            select(SupportMeeting).where(SupportMeeting.kind.in_(("jusoteki", "shinchoku")))
        ).all()
        ids = [m.id for m in meetings]
    assert ids
    for mid in ids:
        text = pdf_text(service.packet_document(demo_store, actor, mid).pdf)
        assert "議題1" in text and "この議題の資料は記載していません" not in text, mid
