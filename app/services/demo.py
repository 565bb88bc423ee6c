"""Fictional demo data that looks like the city: households, cases, contacts, referrals, meetings.

Every person, household, case and record here is made up (names from Faker's ja_JP locale,
block numbers and phone numbers drawn at random). What is real is only the frame a coordinator
recognises: the six districts with their town names (町名) and 小学校区, Osaka's 06 landlines
and 070/080/090 mobiles, the city's agencies. The data keeps the app's own rules, so every
printed document and every consent variant can be seen working: a consented referral, a
referral shared at a 支援会議 without consent (its members from agencies, pledges signed before
the meeting), a withheld draft (送付不可), a referral on a closed case, a draft, a referral
planned at a 重層的支援会議; referral replies from the receiving agencies; contact kinds that
match their text.

It also reads like casework: households have a shape (単身, 夫婦, ひとり親, 8050, 三世代) with
ages that fit it; a case's issues fit the person's age and household (a child's case is about
school, meals or safety, never debt); a referral goes to the agency for its main issue, with
an account, wishes and reason that fit; every meeting has cases on its agenda (no-consent
cases at 支援会議, consented ones at 重層的支援会議 and 進捗会議) with minutes and 役割分担;
every open case's latest contact names its next action and date. Time passes as in the work: a
referral's status follows its age (a sheet of half a year ago is 完了 or 返戻, with a reply that
says so), an open case is contacted every month or two, and contacts fit the person (no
地域包括支援センター for a child's case unless a household member is 65 or over).

On an outreach worker's profile (first run or ``yorisoi init --role outreach``) the laptop holds
what it would sync: the worker's own caseload (about CASELOAD cases, with every referral
variant) and what belongs to it, not the whole city; a coordinator's profile holds the city.

Rows are bulk-inserted on the raw connection in one transaction, without outbox entries (demo
data is local, nothing to push); the outbox is emptied, since a demo profile never syncs.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from faker import Faker
from uuid6 import uuid7

from app.domain.office_days import workday
from app.domain.seed import AGENCIES
from app.domain.seed import agency_id as _agency_id
from app.domain.seed import district_id as _district_id
from app.services.demo_text import (
    ACCOUNTS,
    ADDRESSEES,
    CHILD_ACCOUNTS,
    CHILD_TITLES,
    CHILD_WISHES,
    CONTACTS,
    DISTRICT_NAMES,
    FAMILY,
    ISSUE_TITLES,
    KINDS,
    LIFE_EVENTS,
    NEXT_ACTIONS,
    OUTREACH_AGENCIES,
    PARTNERS,
    REASONS,
    REPLIES,
    RESOURCE_NAMES,
    TASKS,
    TOWNS,
    WISHES,
)
from app.services.profile import mark_demo
from app.storage import search
from app.storage.db import Store
from app.storage.models import SYNC_ORDER

# The seeded ids of the agencies and districts (a uuid5 each), asked for thousands of times.
agency_id = cache(_agency_id)
district_id = cache(_district_id)

# The cases an outreach worker's demo profile holds besides those showing each referral variant.
CASELOAD = 40
# What the scope owner of a synced row is (app/server/crud/tables.py OWNER_COLUMN): its column
# and the kind of record.
SCOPE_OWNER = {
    "case": ("id", "case"), "case_team_member": ("case_id", "case"),
    "contact_record": ("case_id", "case"), "referral": ("case_id", "case"),
    "role_assignment": ("case_id", "case"), "meeting_case": ("case_id", "case"),
    "household": ("id", "household"), "household_member": ("household_id", "household"),
    "life_event": ("household_id", "household"), "person": ("id", "person"),
    "support_meeting": ("id", "meeting"), "meeting_attendee": ("meeting_id", "meeting"),
}  # fmt: skip
# Variants of the demo referrals (see _Generator._referral).
WITHHELD, DRAFT, DV, CLOSED, AGENT, JUSOTEKI = 0, 1, 3, 5, 7, 9
NO_CONSENT = (2, 6, 8)
COMMON = ("created_at", "updated_at", "version", "deleted")


@dataclass(frozen=True)
class DemoCounts:
    persons: int
    households: int
    cases: int
    contacts: int
    referrals: int
    meetings: int
    resources: int
    staff: int

    def total(self) -> int:
        return sum(vars(self).values())


def _uid() -> str:
    return str(uuid7())


class _Bulk:
    """Collects rows per table and flushes them with executemany in batches."""

    def __init__(self, conn: Any, batch: int = 5000) -> None:
        self.conn = conn
        self.batch = batch
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.counts: dict[str, int] = {}
        self.now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")

    def add(self, table: str, **row: Any) -> str:
        row.setdefault("id", _uid())
        row.setdefault("created_at", self.now)
        row.setdefault("updated_at", self.now)
        row.setdefault("version", 1)
        row.setdefault("deleted", 0)
        rows = self.rows.setdefault(table, [])
        rows.append(row)
        if len(rows) >= self.batch:
            self.flush()  # all tables, parents first, so foreign keys hold
        return str(row["id"])

    def flush(self) -> None:
        for name in sorted(self.rows, key=SYNC_ORDER.index):
            rows = self.rows.get(name) or []
            if not rows:
                continue
            cols = list(rows[0])
            sql = f'INSERT INTO "{name}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})'
            # A column holds one kind of value (or None): only dates, datetimes and JSON need
            # encoding, so the others pass as they are (encoding every value cost a third of
            # the build).
            plain = [{type(r[c]) for r in rows} <= _PLAIN for c in cols]
            values = [[r[c] for c in cols] for r in rows]
            for i, ok in enumerate(plain):
                if not ok:
                    for v in values:
                        v[i] = _enc(v[i])
            self.conn.executemany(sql, values)
            self.counts[name] = self.counts.get(name, 0) + len(rows)
            self.rows[name] = []


_PLAIN = frozenset({str, int, float, type(None)})


def _enc(v: Any) -> Any:
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def landline(rnd: random.Random) -> str:
    """06-64XX-XXXX: Osaka's area code with the city's exchange numbers."""
    return f"06-{rnd.choice(('64', '65', '66', '63'))}{rnd.randint(0, 99):02d}-{rnd.randint(0, 9999):04d}"


def mobile(rnd: random.Random) -> str:
    return (
        f"{rnd.choice(('070', '080', '090'))}-{rnd.randint(1000, 9999)}-{rnd.randint(0, 9999):04d}"
    )


@dataclass
class _Staff:
    id: str
    name: str
    role: str
    agency: str  # agency code
    district: str | None = None  # district code (coordinators)


def _profile_worker(conn: Any) -> _Staff | None:
    """The profile's user when they are an outreach worker: the demo gives them a caseload of
    their own and their laptop holds only what it would sync (see _Generator._keep_scope).
    A worker without an agency works for 地域課 (the demo's cases need a lead agency)."""
    row = conn.execute("SELECT value FROM local_setting WHERE key = 'profile_staff_id'").fetchone()
    staff_id = json.loads(row[0]) if row and row[0] else None
    staff = conn.execute(
        "SELECT name, role, agency_id FROM staff WHERE id = ?", (staff_id,)
    ).fetchone()
    if staff is None or staff[1] != "outreach":
        return None
    codes = {agency_id(code): code for code, _name, _kind in AGENCIES}
    code = codes.get(staff[2])
    if code is None:
        code = "chiiki"
        conn.execute("UPDATE staff SET agency_id = ? WHERE id = ?", (agency_id(code), staff_id))
    return _Staff(str(staff_id), staff[0], "outreach", code)


def build_demo(
    store: Store,
    *,
    persons: int = 500,
    seed: int = 20261127,
    progress: Callable[[str, int], None] | None = None,
) -> DemoCounts:
    fake = Faker("ja_JP")
    Faker.seed(seed)
    rnd = random.Random(seed)
    today = dt.date.today()
    with store.raw() as raw:
        conn = raw.driver_connection
        conn.execute("BEGIN")
        try:
            me = _profile_worker(conn)
            counts = _Generator(conn, fake, rnd, today, progress, me).run(persons)
            mark_demo(conn)  # a demo profile never enrols with a server (app.sync.enroll)
            # ... so nothing in its outbox is ever sent: the profile user's own staff row that
            # first run or ``yorisoi init`` queued would show as 未送信の変更 1 for ever.
            conn.execute("DELETE FROM outbox")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return counts


@dataclass
class _Meeting:
    id: str
    kind: str
    held_on: dt.date
    district: str
    chair: _Staff
    members: list[_Staff]
    cases: list[str] = field(default_factory=list)  # case ids on the agenda


@dataclass
class _Member:
    """A household member as the case generator sees them."""

    pid: str
    name: str
    rel: str  # relationship to the head of household
    age: int
    female: bool


@dataclass
class _CaseInfo:
    id: str
    district: str
    opened: dt.date
    closed_on: dt.date | None
    consent: str
    consented: list[str]  # agency codes named in the consent
    cats: list[str]
    agency: str  # the agency a referral goes to
    issue: str  # the issue it goes there for
    child: bool  # under 15: the case is about school, meals or safety
    age: int
    others: list[str]  # the agencies for its other issues


def _relation(person: _Member, other: _Member) -> str | None:
    """How ``other`` is related to ``person`` (as a consulter or agent would write it), from
    their relationships to the head of household; None when it cannot be told."""
    if other.age < 18:
        return None
    parent = "母" if other.female else "父"
    child = "娘" if other.female else "息子"
    spouse = "妻" if other.female else "夫"
    pair = (person.rel, other.rel)
    if pair in (("head", "spouse"), ("spouse", "head")):
        return spouse
    if pair in (("head", "child"), ("spouse", "child"), ("parent", "head")):
        return child
    if pair in (("child", "head"), ("child", "spouse"), ("head", "parent")):
        return parent
    if pair == ("grandchild", "head"):
        return "祖母" if other.female else "祖父"
    if pair == ("child", "child"):
        older = other.age > person.age
        return ("姉" if older else "妹") if other.female else ("兄" if older else "弟")
    if pair == ("head", "sibling"):
        return "姉妹" if other.female else "兄弟"
    return None


class _Generator:
    def __init__(
        self, conn: Any, fake: Faker, rnd: random.Random, today: dt.date,
        progress: Callable[[str, int], None] | None, me: _Staff | None = None,
    ) -> None:  # fmt: skip
        self.conn, self.fake, self.rnd, self.today, self.progress = conn, fake, rnd, today, progress
        self.me = me  # the profile's outreach worker, whose caseload is all the laptop holds
        self.share = 0.0  # the part of the city's cases that is theirs (set in run)
        self.bulk = _Bulk(conn)
        self.made = dict.fromkeys(
            ("persons", "households", "cases", "contacts", "referrals", "meetings"), 0
        )
        self.person_docs: list[tuple[str, list[str | None]]] = []
        self.case_docs: list[tuple[str, list[str | None]]] = []
        self.staff: list[_Staff] = []
        self.partner_staff: dict[str, _Staff] = {}  # agency code -> its worker
        self.outreach: list[_Staff] = []
        # district -> its 支援会議 by date; and its 重層的支援会議 / 進捗会議
        self.meetings: dict[str, list[_Meeting]] = {}
        self.consent_meetings: dict[str, list[_Meeting]] = {}
        self.cases: dict[str, list[_CaseInfo]] = {code: [] for code in TOWNS}
        self.referrals: list[dict[str, Any]] = []
        self.withheld_to: dict[str, str] = {}  # case id -> the agency its 送付不可 sheet names
        # Variants still to be shown; each goes to the first case that fits it.
        self.pending = list(range(10))

    # --- master-like rows --------------------------------------------------------------------

    def _person_name(self) -> tuple[str, str]:
        last, last_kana, _ = self.fake.last_name_pair()
        first, first_kana, _ = self.fake.first_name_pair()
        return f"{last} {first}", f"{last_kana} {first_kana}"

    def _add_staff(self, role: str, agency: str, district: str | None = None) -> _Staff:
        name, kana = self._person_name()
        i = len(self.staff)
        sid = self.bulk.add(
            "staff", name=name, kana=kana, login=f"staff{i:03d}", role=role,
            agency_id=agency_id(agency), district_ids=[district_id(district)] if district else [],
            phone=landline(self.rnd), active=1,
        )  # fmt: skip
        s = _Staff(sid, name, role, agency, district)
        self.staff.append(s)
        return s

    def _staff_and_meetings(self, n_persons: int) -> None:
        for code in TOWNS:  # a coordinator per district (包括化推進員), at the two centres
            centre = "hwc_south" if code in ("chuo", "oda", "osho") else "hwc_north"
            self._add_staff("coordinator", centre, code)
        for i in range(max(6, min(60, n_persons // 200))):
            self.outreach.append(
                self._add_staff("outreach", OUTREACH_AGENCIES[i % len(OUTREACH_AGENCIES)])
            )
        for code in PARTNERS:  # the receiving agencies' workers
            self.partner_staff[code] = self._add_staff("outreach", code)
        self.conn.executemany(
            "UPDATE agency SET addressee = ? WHERE id = ?",
            [(name, agency_id(code)) for code, name in ADDRESSEES.items()],
        )
        partners = list(self.partner_staff.values())
        for code in TOWNS:
            chair = next(s for s in self.staff if s.district == code)
            for month in range(24, -1, -2):  # a 支援会議 every other month, two years back
                held = self.today - dt.timedelta(days=month * 30 + self.rnd.randint(3, 9))
                members = self.rnd.sample(partners, 4)
                m = self._meeting("shien_kaigi", held, code, chair, chair.agency, members,
                                  f"{DISTRICT_NAMES[code]}地区支援会議")  # fmt: skip
                self.meetings.setdefault(code, []).append(m)
            for kind, title in (("jusoteki", "重層的支援会議"), ("shinchoku", "進捗会議")):
                held = self.today - dt.timedelta(days=self.rnd.randint(20, 120))
                m = self._meeting(kind, held, code, chair, "suishin",
                                  self.rnd.sample(partners, 3),
                                  f"{DISTRICT_NAMES[code]}地区{title}")  # fmt: skip
                self.consent_meetings.setdefault(code, []).append(m)

    def _meeting(
        self, kind: str, held: dt.date, district: str, chair: _Staff, organiser: str,
        members: list[_Staff], title: str,
    ) -> _Meeting:  # fmt: skip
        held = workday(held)
        mid = self.bulk.add(
            "support_meeting", kind=kind, held_on=held,
            place=f"{'南部' if organiser == 'hwc_south' else '北部'}保健福祉センター会議室"
            if organiser != "suishin" else "市役所 会議室",
            district_id=district_id(district), chair_staff_id=chair.id, title=title,
            decisions="各機関の役割分担を確認し、次回の会議で経過を報告する。",
            organiser_agency_id=agency_id(organiser),
            starts_at=self.rnd.choice(["10:00", "14:00"]), standing_pledge_allowed=0,
        )  # fmt: skip
        self.made["meetings"] += 1
        return _Meeting(mid, kind, held, district, chair, list(members))

    def _member(self, m: _Meeting, agency: str) -> _Staff:
        """The meeting's member from ``agency``, who joins it if not yet a member (their pledge
        is signed before the meeting like everyone's)."""
        s = self.partner_staff[agency]
        if s not in m.members:
            m.members.append(s)
        return s

    def _attendees(self) -> None:
        """Every member's pledge signed on or before the meeting's day (written last: members
        join as cases come onto the agenda)."""
        for m in [*(x for ms in self.meetings.values() for x in ms),
                  *(x for ms in self.consent_meetings.values() for x in ms)]:  # fmt: skip
            for s in [m.chair, *m.members]:
                day = workday(m.held_on - dt.timedelta(days=self.rnd.randint(1, 14)), back=True)
                self.bulk.add("meeting_attendee", meeting_id=m.id, staff_id=s.id,
                              agency_id=agency_id(s.agency), name=s.name, pledge_signed=1,
                              pledge_date=day)  # fmt: skip

    def _resources(self, n: int) -> list[tuple[str, list[str | None]]]:
        docs = []
        codes = list(TOWNS)
        for i in range(n):
            code = codes[i % 6]
            town = self.rnd.choice(TOWNS[code][0])
            name = f"{self.rnd.choice(RESOURCE_NAMES)}「{town}」"
            addr = f"尼崎市{town}{self.rnd.randint(1, 9)}丁目{self.rnd.randint(1, 30)}-{self.rnd.randint(1, 20)}"
            rid = self.bulk.add(
                "resource", name=name, kana=None, kind=self.rnd.choice(
                    ["gathering", "window", "facility", "kodomo_shokudo", "mobile_shop"]),
                district_id=district_id(code), address=addr,
                schedule=f"毎週{self.rnd.choice('月火水木金土')}曜 {self.rnd.randint(9, 15)}時〜",
                contact=landline(self.rnd), notes=None,
            )  # fmt: skip
            docs.append((rid, [name, None, addr, None, None, None]))
        return docs

    # --- households and cases -----------------------------------------------------------------

    def run(self, n_persons: int) -> DemoCounts:
        self._staff_and_meetings(n_persons)
        self.share = min(1.0, CASELOAD / max(1, n_persons))
        n_res = max(12, n_persons // 500)
        res_docs = self._resources(n_res)
        while self.made["persons"] < n_persons:
            self._household(min(self.rnd.choice([1, 1, 2, 2, 2, 3, 3, 4]),
                                n_persons - self.made["persons"]))  # fmt: skip
        self._fill_agendas()
        self._write_referrals()
        self._attendees()
        self.bulk.flush()
        self._share_at_consent_meetings()
        self._backdate()
        if self.me is not None:
            self._keep_scope(self.me)
        search.bulk_index(self.conn, "person", self.person_docs)
        search.bulk_index(self.conn, "case", self.case_docs)
        search.bulk_index(self.conn, "resource", res_docs)
        m = self.made
        return DemoCounts(
            persons=m["persons"], households=m["households"], cases=m["cases"],
            contacts=m["contacts"], referrals=m["referrals"], meetings=m["meetings"],
            resources=n_res, staff=len(self.staff),
        )  # fmt: skip

    def _share_at_consent_meetings(self) -> None:
        """A consented case planned at a 重層的支援会議 or reviewed at a 進捗会議: the person
        agreed to share with that meeting's members, so the case's consent names their agencies
        (every member's packet showed nothing). Not the agency of a 送付不可 sheet, which the
        person did not name."""
        extra: dict[str, set[str]] = {}
        for m in (x for ms in self.consent_meetings.values() for x in ms):
            for cid in m.cases:
                extra.setdefault(cid, set()).update(s.agency for s in [m.chair, *m.members])
        c = self.conn
        for cid, agencies in extra.items():
            (raw,) = c.execute(
                'SELECT consent_agency_ids FROM "case" WHERE id = ?', (cid,)
            ).fetchone()
            ids = set(json.loads(raw or "[]"))
            ids |= {agency_id(a) for a in agencies if a != self.withheld_to.get(cid)}
            c.execute('UPDATE "case" SET consent_agency_ids = ? WHERE id = ?',
                      (json.dumps(sorted(ids)), cid))  # fmt: skip

    def _backdate(self) -> None:
        """Records made and last changed when the story says, not when the demo was built: a
        case on the day it was opened and changed at its latest contact (or closing), a
        contact when it happened, a referral on its date and changed at its reply (the case
        list's 更新日 and its default order read these)."""
        c = self.conn
        c.execute(
            "UPDATE contact_record SET created_at = strftime('%Y-%m-%d %H:%M:%f', contact_at),"
            " updated_at = strftime('%Y-%m-%d %H:%M:%f', contact_at)"
        )
        c.execute(
            "UPDATE referral SET created_at = referral_date || ' 10:00:00.000',"
            " updated_at = coalesce(reply_date, referral_date) || ' 10:00:00.000'"
        )
        c.execute(
            "UPDATE \"case\" SET created_at = opened_on || ' 09:00:00.000', updated_at = max("
            "opened_on || ' 09:00:00.000', coalesce(closed_on || ' 17:00:00.000', ''),"
            " coalesce((SELECT max(strftime('%Y-%m-%d %H:%M:%f', contact_at))"
            " FROM contact_record WHERE case_id = \"case\".id), ''))"
            " WHERE opened_on IS NOT NULL"
        )

    def _keep_scope(self, me: _Staff) -> None:
        """Keep only what an outreach worker's laptop syncs (the server's scope rule,
        app/server/crud/scope.py): the cases they are assigned to or on the team of, those
        cases' households, members, meetings and records, and meetings they attend; the
        directory (staff, agencies) and the regional resources are everyone's."""
        c = self.conn
        c.execute('CREATE TEMP TABLE demo_keep_case AS SELECT id FROM "case" WHERE '
                  "assigned_staff_id = ? UNION SELECT case_id FROM case_team_member "
                  "WHERE staff_id = ?", (me.id, me.id))  # fmt: skip
        c.execute('CREATE TEMP TABLE demo_keep_household AS SELECT household_id AS id FROM "case" '
                  "WHERE id IN demo_keep_case AND household_id IS NOT NULL")  # fmt: skip
        c.execute('CREATE TEMP TABLE demo_keep_person AS SELECT person_id AS id FROM "case" '
                  "WHERE id IN demo_keep_case AND person_id IS NOT NULL UNION SELECT person_id "
                  "FROM household_member WHERE household_id IN demo_keep_household")  # fmt: skip
        c.execute("CREATE TEMP TABLE demo_keep_meeting AS SELECT meeting_id AS id FROM "
                  "meeting_case WHERE case_id IN demo_keep_case UNION SELECT meeting_id "
                  "FROM meeting_attendee WHERE staff_id = ?", (me.id,))  # fmt: skip
        for table in reversed(SYNC_ORDER):  # children first, so foreign keys hold
            if table in SCOPE_OWNER:
                column, kind = SCOPE_OWNER[table]
                c.execute(f'DELETE FROM "{table}" WHERE {column} NOT IN demo_keep_{kind}')
        kept = {kind: {r[0] for r in c.execute(f"SELECT id FROM demo_keep_{kind}")}
                for kind in ("case", "person")}  # fmt: skip
        for kind in ("case", "household", "person", "meeting"):
            c.execute(f"DROP TABLE demo_keep_{kind}")
        self.person_docs = [d for d in self.person_docs if d[0] in kept["person"]]
        self.case_docs = [d for d in self.case_docs if d[0] in kept["case"]]
        for key, table in (("persons", "person"), ("households", "household"), ("cases", "case"),
                           ("contacts", "contact_record"), ("referrals", "referral"),
                           ("meetings", "support_meeting")):  # fmt: skip
            self.made[key] = int(c.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])

    def _shape(self, size: int) -> tuple[str, list[tuple[str, int]]]:
        """A household shape for ``size`` members: (situation, [(relationship, age)]), the
        head first, ages that fit the shape."""
        rnd = self.rnd
        if size == 1:
            return "単身世帯", [("head", rnd.randint(22, 90))]
        shapes = {
            2: ["couple", "8050", "single_parent"],
            3: ["couple_child", "8050", "single_parent"],
            4: ["three_gen", "couple_child", "8050"],
        }[min(size, 4)]
        shape = rnd.choice(shapes)
        if shape == "couple":
            head = rnd.randint(62, 88)
            return "高齢の夫婦のみの世帯", [("head", head), ("spouse", head + rnd.randint(-5, 3))]
        if shape == "8050":
            head = rnd.randint(76, 90)
            out = [("head", head)]
            if size >= 3:
                out.append(("spouse", head + rnd.randint(-5, 2)))
            while len(out) < size:
                out.append(("child", head - rnd.randint(26, 36)))
            return "高齢の親と無職の子の世帯（8050）", out
        if shape == "single_parent":
            head = rnd.randint(27, 46)
            return "ひとり親世帯", [("head", head)] + [
                ("child", max(1, head - rnd.randint(20, 33))) for _ in range(size - 1)
            ]
        if shape == "couple_child":
            head = rnd.randint(34, 52)
            out = [("head", head), ("spouse", head + rnd.randint(-4, 3))]
            out += [("child", max(0, head - rnd.randint(24, 38))) for _ in range(size - 2)]
            return "夫婦と子の世帯", out
        head = rnd.randint(62, 76)  # three generations
        child = head - rnd.randint(26, 32)
        return "三世代同居", [("head", head), ("spouse", head + rnd.randint(-4, 3)),
                             ("child", child), ("grandchild", max(0, child - rnd.randint(24, 32)))]  # fmt: skip

    def _household(self, size: int) -> None:
        rnd, fake, today = self.rnd, self.fake, self.today
        last, last_kana, _ = fake.last_name_pair()
        code = rnd.choice(list(TOWNS))
        towns, schools = TOWNS[code]
        town = rnd.choice(towns)
        addr = f"尼崎市{town}{rnd.randint(1, 9)}丁目{rnd.randint(1, 30)}番{rnd.randint(1, 20)}号"
        school = schools[towns.index(town) % len(schools)]
        home = landline(rnd) if rnd.random() < 0.6 else None
        situation, shape = self._shape(size)
        hid = self.bulk.add("household", name=f"{last}さん世帯", address=addr,
                            district_id=district_id(code), situation=situation)  # fmt: skip
        self.made["households"] += 1
        members: list[_Member] = []
        member_text: list[str | None] = []
        head_female = rnd.random() < (0.8 if situation == "ひとり親世帯" else 0.45)
        for k, (rel, age) in enumerate(shape):
            female = (not head_female) if rel == "spouse" else (
                head_female if rel == "head" else rnd.random() < 0.5)  # fmt: skip
            pick = fake.first_name_female_pair if female else fake.first_name_male_pair
            first, first_kana, _ = pick()
            while any(f"{last} {first}" == m.name for m in members):  # no two alike in a home
                first, first_kana, _ = pick()
            birth = today - dt.timedelta(days=age * 365 + rnd.randint(0, 364))
            name, kana = f"{last} {first}", f"{last_kana} {first_kana}"
            phone = mobile(rnd) if 15 < age < 80 and rnd.random() < 0.8 else home
            notes = rnd.choice([None, None, None, "日中は不在がち"])
            if age >= 75 and rnd.random() < 0.3:
                notes = "耳が遠い"
            pid = self.bulk.add(
                "person", name=name, kana=kana, birth_date=birth,
                sex="female" if female else "male", address=addr, phone=phone,
                district_id=district_id(code), school_zone=school, notes=notes,
            )  # fmt: skip
            self.person_docs.append((pid, [name, kana, phone, addr, notes]))
            member_text.extend([name, kana, phone, addr, notes])
            self.bulk.add("household_member", household_id=hid, person_id=pid, relationship=rel,
                          is_head=1 if k == 0 else 0, lives_together=1)  # fmt: skip
            members.append(_Member(pid, name, rel, age, female))
            self.made["persons"] += 1
        kind, text = rnd.choice(LIFE_EVENTS)
        self.bulk.add("life_event", household_id=hid, person_id=members[0].pid,
                      event_date=today - dt.timedelta(days=rnd.randint(30, 3000)),
                      kind=kind, description=text)  # fmt: skip
        # One case per person, as in the benchmark shape (cases ~= persons).
        for m in members:
            self._case(hid, m, members, situation, code, member_text)
        if self.progress and self.made["persons"] % 5000 < size:
            self.progress("persons", self.made["persons"])

    def _issues(self, m: _Member, members: list[_Member]) -> list[str]:
        """1-3 issues that fit the person's age and household."""
        has_child = any(x.age < 15 and x is not m for x in members)
        has_elder = any(x.age >= 75 and x is not m for x in members)
        if m.age < 15:
            pool = ["no_food", "dv_abuse", "health_disability"]
            if m.age >= 6:  # at school
                pool.append("hikikomori")
            if m.age >= 10 and has_elder:
                pool.append("caregiving")
        else:
            pool = ["health_disability", "relationships", "no_food"]
            if self.rnd.random() < 0.3:  # less common than the others
                pool.append("dv_abuse")
            if m.age >= 20:  # money and housing are an adult's
                pool += ["housing", "income", "rent_loans", "tax_utilities", "debt"]
            if 20 <= m.age < 65:
                pool.append("work")
            if m.age < 65:
                pool.append("hikikomori")
            else:
                pool += ["caregiving", "other"]
            if has_child and m.rel in ("head", "spouse"):
                pool.append("childcare")
            if has_elder and m.age < 65:
                pool.append("caregiving")
        return self.rnd.sample(pool, min(len(pool), self.rnd.randint(1, 3)))

    def _agency_for(self, cat: str, m: _Member, members: list[_Member]) -> str:
        """The agency a referral for this issue goes to."""
        child = m.age < 18
        if cat == "caregiving":
            return "kodomo" if child else "houkatsu"
        if cat == "health_disability":
            return "iryou" if m.age >= 65 else "hoken"
        if cat == "hikikomori":
            return "kyoiku" if m.age < 15 else "hikikomori"
        if cat == "dv_abuse":
            return "kodomo" if child else "fukushi"
        if cat == "no_food":
            young = child or any(x.age < 15 for x in members)
            return "kodomo_shokudo" if young else "shakyo"
        if cat == "income":
            return "kouken" if m.age >= 75 else "shakyo"
        return {"childcare": "kodomo", "work": "npo", "debt": "bengoshi", "rent_loans": "toshi",
                "housing": "toshi", "tax_utilities": "shisan", "relationships": "shakyo",
                "other": "doubutsu"}[cat]  # fmt: skip

    def _agencies_for(self, cat: str, m: _Member, members: list[_Member]) -> list[str]:
        """The agencies that can take this issue for this person: the usual one first, then
        others that fit (for a referral the sender cannot make to the usual one, its own
        agency, or one the person did not name in the consent)."""
        first = self._agency_for(cat, m, members)
        others: list[str] = {
            "health_disability": ["hoken", "houkatsu"] if m.age >= 65
            else ["kodomo"] if m.age < 18 else ["fukushi"],
            "housing": ["shakyo"], "rent_loans": ["shakyo"], "tax_utilities": ["shakyo"],
            "debt": ["shakyo"], "work": ["shakyo"], "relationships": ["hoken", "npo"],
            "income": ["shakyo", "kouken"] if m.age >= 65 else ["npo"] if m.age >= 20 else [],
            "caregiving": (["kyoiku", "houkatsu"] if any(x.age >= 65 for x in members)
                           else ["kyoiku"]) if m.age < 18 else ["iryou"],
            "hikikomori": ["hoken", "npo"] if m.age >= 15 else ["kodomo"],
            "dv_abuse": ["kyoiku"] if 6 <= m.age < 15 else ["bengoshi"] if m.age >= 18 else [],
            "childcare": ["hoken"],
            "no_food": ["kodomo"] if m.age < 18 else ["shakyo", "npo"],
            "other": ["hoken"],
        }.get(cat, [])  # fmt: skip
        return [first, *(a for a in others if a != first)]

    def _unnamed(
        self, cats: list[str], m: _Member, members: list[_Member], consented: list[str],
        worker: _Staff,
    ) -> tuple[str, str] | None:  # fmt: skip
        """An agency that takes one of the issues but that the person did not name in the
        consent (the 送付不可 draft's destination), with that issue; None if there is none."""
        return next(((a, cat) for cat in cats for a in self._agencies_for(cat, m, members)
                     if a not in consented and a != worker.agency), None)  # fmt: skip

    def _fits(self, variant: int, m: _Member, members: list[_Member], situation: str) -> bool:
        if variant == DV:  # the person has left (alone or with the children): no one else at
            # the address who could be the one searching for them
            return (
                18 <= m.age < 65 and m.rel == "head" and situation in ("単身世帯", "ひとり親世帯")
            )
        if variant == AGENT:  # an elderly person whose grown-up child signs for them
            return m.age >= 70 and any(_relation(m, x) in ("息子", "娘") for x in members)
        if variant in (WITHHELD, CLOSED, JUSOTEKI):
            return m.age >= 18
        return True

    def _variant(self, m: _Member, members: list[_Member], situation: str) -> int | None:
        for v in self.pending:
            if self._fits(v, m, members, situation):
                self.pending.remove(v)
                return v
        if not self.pending and self.rnd.random() < 0.05:
            # mostly sent sheets; a 送付不可 draft or a draft now and then
            v = self.rnd.choices(range(10), [1, 2, 3, 2, 6, 2, 3, 2, 3, 3])[0]
            return v if self._fits(v, m, members, situation) else None
        return None

    def _case(
        self, hid: str, m: _Member, members: list[_Member], situation: str, code: str,
        member_text: list[str | None],
    ) -> None:  # fmt: skip
        rnd, today, bulk = self.rnd, self.today, self.bulk
        self.made["cases"] += 1
        n = self.made["cases"]
        cats = self._issues(m, members)
        withdrawn = "hikikomori" in cats and m.age >= 15
        # On an outreach worker's profile, a part of the cases is theirs (with every variant of
        # referral, so each document can be seen); the others are the city's, not on the laptop.
        mine = self.me is not None and (self.me.agency == "hikikomori") == withdrawn and (
            any(self._fits(v, m, members, situation) for v in self.pending)
            or rnd.random() < self.share
        )  # fmt: skip
        variant = self._variant(m, members, situation) if self.me is None or mine else None
        if variant == DV:
            cats = ["dv_abuse", *[c for c in cats if c != "dv_abuse"]][:3]
        # ひきこもり支援員 lead the cases of withdrawal; 地域課 and 社協 the others.
        leads = [w for w in self.outreach if (w.agency == "hikikomori") == ("hikikomori" in cats
                 and m.age >= 15)] or self.outreach  # fmt: skip
        worker = self.me if mine and self.me is not None else rnd.choice(leads)
        opened = today - dt.timedelta(days=rnd.randint(30, 700))
        status = rnd.choices(["received", "assessment", "supporting", "watching", "closed"],
                             [10, 15, 45, 20, 10])[0]  # fmt: skip
        consent = rnd.choices(["given", "refused", "pending"], [70, 10, 20])[0]
        if variant is not None:
            status = "closed" if variant == CLOSED else (
                "supporting" if status == "closed" else status)  # fmt: skip
            consent = "refused" if variant in NO_CONSENT else "given"
        # The agency for each issue; a referral goes to the one for the first issue that is not
        # the sender's own (else to another agency that takes one of the issues), for that issue.
        agencies = list(dict.fromkeys(self._agency_for(c, m, members) for c in cats))
        pairs = [(self._agency_for(c, m, members), c) for c in cats]
        pairs += [(a, c) for c in cats for a in self._agencies_for(c, m, members)[1:]]
        dest, issue = next(((a, c) for a, c in pairs if a != worker.agency), (None, cats[0]))
        if dest is None:
            dest = "shakyo" if worker.agency != "shakyo" else "npo"
        consented = sorted({dest, *agencies[:2]}) if consent == "given" else []
        if variant == WITHHELD and self._unnamed(cats, m, members, consented, worker) is None:
            self.pending.insert(0, WITHHELD)  # no agency the person left out fits: a later case
            variant = None
        # A case without consent is discussed at its district's 支援会議: the earliest one with
        # nothing on its agenda yet first, so every meeting has a case.
        meeting = None
        if consent != "given":
            empty = [x for x in self.meetings[code] if not x.cases]
            if empty:
                meeting = empty[0]
            elif variant is not None or rnd.random() < 0.15:
                later = [x for x in self.meetings[code] if x.held_on >= opened + dt.timedelta(7)]
                meeting = later[0] if later else self.meetings[code][-1]
            if meeting is not None and opened > meeting.held_on - dt.timedelta(days=7):
                opened = meeting.held_on - dt.timedelta(days=rnd.randint(10, 60))
        elif variant == JUSOTEKI:  # planned at the district's 重層的支援会議 (with consent)
            meeting = self.consent_meetings[code][0]
            opened = meeting.held_on - dt.timedelta(days=rnd.randint(20, 90))
        opened = workday(opened, back=True)
        number = f"{opened.year}-{n:06d}"
        child = m.age < 15
        title = "、".join((CHILD_TITLES if child else {}).get(c, ISSUE_TITLES[c]) for c in cats)
        if "caregiving" in cats and situation.endswith("（8050）") and m.rel == "child":
            title = title.replace(ISSUE_TITLES["caregiving"], "親の介護（8050世帯）")
        closed_on = None
        if status == "closed":  # closed any time after its first weeks, not all of late
            span = (today - opened).days
            closed_on = (opened + dt.timedelta(days=rnd.randint(45, span - 1)) if span > 60
                         else today - dt.timedelta(days=rnd.randint(1, max(1, min(20, span - 1)))))  # fmt: skip
        consent_date = self._consent_date(opened) if consent == "given" else None
        if closed_on is not None and meeting is not None:  # closed after it was discussed
            closed_on = max(closed_on, meeting.held_on + dt.timedelta(days=1))
        if closed_on is not None:  # an office day, before today and after its meeting
            closed_on = workday(closed_on)
            if closed_on >= today:
                closed_on = max(opened, workday(today - dt.timedelta(days=1), back=True))
        cid = bulk.add(
            "case", case_number=number, title=title, household_id=hid, person_id=m.pid,
            district_id=district_id(code), issue_categories=cats, status=status,
            lead_agency_id=agency_id(worker.agency), assigned_staff_id=worker.id,
            urgency="high" if variant == DV else rnd.choices(["high", "medium", "low"], [15, 60, 25])[0],
            consent_status=consent, consent_agency_ids=[agency_id(a) for a in consented],
            consent_date=consent_date, opened_on=opened,
            closed_on=closed_on, notes=None,
        )  # fmt: skip
        info = _CaseInfo(
            cid,
            code,
            opened,
            closed_on,
            consent,
            consented,
            cats,
            dest,
            issue,
            child,
            m.age,
            agencies,
        )
        self.cases[code].append(info)
        self.case_docs.append((cid, [number, title, None, *member_text]))
        bulk.add("case_team_member", case_id=cid, staff_id=worker.id,
                 agency_id=agency_id(worker.agency), role="主担当")  # fmt: skip
        self._contacts(cid, m, members, cats, status, worker, opened, closed_on)
        if meeting is not None:
            self._discuss(meeting, info)
        if variant is not None:
            self._referral(info, m, members, situation, worker, meeting, variant)

    def _consent_date(self, opened: dt.date) -> dt.date:
        """The day of the consent in force: given at the opening, renewed every year for a
        case opened long ago, so most consents are valid today, a few lapse within the
        worklist's warning window and a few have just lapsed (not nearly all of them)."""
        rnd, today = self.rnd, self.today
        if (today - opened).days <= 330:
            return opened
        age = rnd.choices([rnd.randint(20, 330), rnd.randint(336, 364), rnd.randint(366, 400)],
                          [85, 10, 5])[0]  # fmt: skip
        day = today - dt.timedelta(days=age)
        if day < opened:  # before the case: given at the opening, renewed if that lapsed
            day = (
                opened
                if (today - opened).days < 365
                else today - dt.timedelta(days=rnd.randint(20, 330))
            )
        return day

    def _contacts(
        self, cid: str, m: _Member, members: list[_Member], cats: list[str], status: str,
        worker: _Staff, opened: dt.date, closed_on: dt.date | None,
    ) -> None:  # fmt: skip
        """Contacts in office hours from the opening day to yesterday (or the closing day), at
        the rhythm of casework: a few in the first weeks, then every one to two and a half
        months (a 見守り case every one and a half to three months), so an open case is never
        out of touch for long; some open cases have gone quiet for one to two and a half months
        (the worklist's no-contact items). Each names its next action and date, or neither; an open case's
        latest contact always does (some due today, for the visit list); a closed case's
        latest does not. The narratives fit the person (see _fit)."""
        rnd, today = self.rnd, self.today
        draw = rnd.random

        def ri(low: int, high: int) -> int:  # rnd.randint, three times as fast (per contact)
            return low + int(draw() * (high - low + 1))

        quiet = closed_on is None and rnd.random() < 0.08
        # a quiet case's latest contact is one to two and a half months old (see below)
        last_day = closed_on or today - dt.timedelta(days=rnd.randint(31, 61) if quiet else 1)
        last_day = max(last_day, opened)
        days = [opened]
        for _ in range(rnd.choice([0, 1, 1, 2])):  # the first weeks: assessment
            days.append(days[-1] + dt.timedelta(days=ri(3, 21)))
        low, high = (45, 85) if status == "watching" else (30, 78)  # + up to 6 office-closed days
        while True:
            days.append(days[-1] + dt.timedelta(days=ri(low, high)))
            if days[-1] > last_day:
                days.pop()
                break
        days = [d for d in days if d <= last_day]
        if closed_on is None and not quiet and days[-1] < today - dt.timedelta(days=25):
            days.append(today - dt.timedelta(days=rnd.randint(2, 25)))  # still in touch
        elif quiet and days[-1] < last_day - dt.timedelta(days=14):
            days.append(last_day)  # quiet for weeks, not for months
        due_today = closed_on is None and not quiet and rnd.random() < 0.04
        if due_today and days[-1] < today - dt.timedelta(days=21):
            # a visit planned today follows a recent contact, not one weeks ago
            days.append(today - dt.timedelta(days=rnd.randint(3, 21)))
        # on days the offices are open, never after the last day (yesterday or the closing)
        bound = closed_on or today - dt.timedelta(days=1)
        days = [w if (w := workday(d)) <= bound else max(opened, workday(d, back=True))
                for d in days]  # fmt: skip
        n = len(days)
        child = m.age < 15
        choices = {kind: tuple(c for c in options if _fit(c[3], m, members, cats))
                   for kind, options in CONTACTS.items()}  # fmt: skip
        for j, day in enumerate(days):
            at = dt.datetime.combine(day, dt.time(9)) + dt.timedelta(minutes=ri(0, 480))
            kind = KINDS[int(draw() * len(KINDS))]
            options = choices[kind]
            narrative, place, with_, _who = options[int(draw() * len(options))]
            if child:  # a child's worker talks with the guardian
                narrative = narrative.replace("本人", "保護者")
            latest = j == n - 1
            nxt: dt.date | None = day + dt.timedelta(days=ri(1, 21))
            action: str | None = NEXT_ACTIONS[kind]
            if latest and due_today:
                nxt = today
            elif latest and closed_on is None:  # the next visit: mostly ahead, some overdue
                ahead = rnd.choices([-rnd.randint(1, 14), rnd.randint(1, 7), rnd.randint(8, 40)],
                                    [12, 40, 48])[0]  # fmt: skip
                nxt = max(today + dt.timedelta(days=ahead), day + dt.timedelta(days=1))
                if nxt == today:  # today's visits follow a recent contact only
                    nxt = today + dt.timedelta(days=1)
            elif latest and closed_on is not None or not latest and draw() < 0.2:
                nxt, action = None, None
            if nxt is not None and nxt != today:  # an office day, on the same side of today
                nxt = workday(nxt, back=nxt < today)
            self.bulk.add(
                "contact_record", case_id=cid, person_id=m.pid, staff_id=worker.id,
                contact_at=at, kind=kind, place=place, participants=with_, narrative=narrative,
                next_action=action, next_action_date=nxt, corrects_id=None,
            )  # fmt: skip
            self.made["contacts"] += 1

    def _discuss(self, m: _Meeting, c: _CaseInfo) -> None:
        """The case on the meeting's agenda, with its minutes and a 役割分担 for the agency of
        its main issue (who joins the meeting if not yet a member)."""
        if c.id in m.cases:
            return
        m.cases.append(c.id)
        member = self._member(m, c.agency)
        reporter = "主担当" if m.kind == "shinchoku" else "アウトリーチ職員"
        self.bulk.add(
            "meeting_case", meeting_id=m.id, case_id=c.id,
            discussion=f"{reporter}から経過を報告。{_account(c.cats[0], c.child, c.age)}"
            "各機関の関わりと今後の支援方針を協議した。",
            decision=f"{vocab_agency(c.agency)}が中心となり支援する。次回の会議で経過を確認する。",
        )  # fmt: skip
        due = m.held_on + dt.timedelta(days=self.rnd.choice([14, 30, 45]))
        # Most tasks due before today were done; some are late; the later ones are under way.
        if due < self.today:
            late_ok = due >= self.today - dt.timedelta(days=45)  # late by weeks, not years
            status = "in_progress" if late_ok and self.rnd.random() < 0.15 else "done"
        else:
            status = "in_progress" if due < self.today + dt.timedelta(days=7) else "open"
        self.bulk.add(
            "role_assignment", meeting_id=m.id, case_id=c.id, staff_id=member.id,
            agency_id=agency_id(member.agency), task=TASKS[c.agency], due_date=due,
            done=1 if status == "done" else 0, status=status,
        )  # fmt: skip

    def _fill_agendas(self) -> None:
        """Every meeting has a case: a 支援会議 still without one takes a no-consent case of its
        district open on that day (a case may come back to a later meeting), a 重層的支援会議 or
        進捗会議 one to three consented cases."""
        for code, meetings in self.meetings.items():
            for m in meetings:
                if m.cases:
                    continue
                open_then = [c for c in self.cases[code] if self._open_at(c, m.held_on)]
                pool = [c for c in open_then if c.consent != "given"] or open_then
                if pool:
                    self._discuss(m, self.rnd.choice(pool))
        for code, meetings in self.consent_meetings.items():
            for m in meetings:
                pool = [c for c in self.cases[code]
                        if c.consent == "given" and self._open_at(c, m.held_on)]  # fmt: skip
                for c in self.rnd.sample(pool, min(len(pool), self.rnd.randint(1, 3))):
                    self._discuss(m, c)

    @staticmethod
    def _open_at(c: _CaseInfo, day: dt.date) -> bool:
        return c.opened <= day - dt.timedelta(days=7) and (c.closed_on is None or c.closed_on > day)

    def _referral(
        self, c: _CaseInfo, m: _Member, members: list[_Member], situation: str, worker: _Staff,
        meeting: _Meeting | None, variant: int,
    ) -> None:  # fmt: skip
        """Variants by ``variant`` (0-9): 0 withheld draft (送付不可: to an agency outside the
        consent), 1 draft, 2/6/8 no consent via a 支援会議, 3 DV with 住所秘匿, 5 closed case,
        7 consent signed by an agent, 9 planned at a 重層的支援会議, others consented and sent.
        The receipt number is given later, in date order (see _write_referrals)."""
        rnd = self.rnd
        to_code, issue = c.agency, c.issue
        if c.consent == "given":
            basis = "consent"
            if variant == WITHHELD:  # an agency that fits, but the person did not name it
                pair = self._unnamed(c.cats, m, members, c.consented, worker)
                assert pair is not None  # see _case
                to_code, issue = pair
                self.withheld_to[c.id] = to_code
            start = meeting.held_on if meeting is not None else c.opened
            day = start + dt.timedelta(days=rnd.randint(3, 20))
            if meeting is None and variant != CLOSED and rnd.random() < 0.5:
                # a sheet written later in the case's life, when a new need came up
                day = start + dt.timedelta(days=rnd.randint(3, max(3, (self.today - start).days)))
            if variant in (WITHHELD, DRAFT):  # a draft is this month's work, not left for years
                day = max(day, self.today - dt.timedelta(days=rnd.randint(1, 30)))
        else:
            assert meeting is not None
            basis = "support_meeting"
            day = meeting.held_on + dt.timedelta(days=rnd.randint(1, 10))
        to_staff = (self._member(meeting, to_code) if meeting is not None
                    else self.partner_staff[to_code]).name  # fmt: skip
        day = workday(min(day, self.today - dt.timedelta(days=1)), back=True)
        if variant in (WITHHELD, DRAFT):
            status = "draft"
        elif variant == CLOSED:
            status = "done"
        else:
            status = self._referral_status((self.today - day).days)
        reply_day = self._reply_day(day, status)
        if status in ("received", "in_progress", "done"):  # the receiving worker joins the team
            self.bulk.add("case_team_member", case_id=c.id,
                          staff_id=self.partner_staff[to_code].id,
                          agency_id=agency_id(to_code), role="連携先")  # fmt: skip
        consulter, relation = self._consulter(m, members)
        agent = None
        if variant == AGENT:
            agent = next(r for x in members if (r := _relation(m, x)) in ("息子", "娘"))
        child = m.age < 15
        account = _account(issue, child, m.age)  # the issue the sheet is sent for
        wishes = WISHES.get(issue, "自宅で暮らし続けたい")
        if child:
            wishes = CHILD_WISHES.get(issue, "（保護者）子どもと安心して暮らしたい")
        reasons = REASONS[to_code]
        reason = reasons.get(issue) or next(iter(reasons.values()))
        if relation in FAMILY:
            route = "family"
        elif relation in ("学校（担任）", "保育所（保育士）"):
            route = "agency"
        else:
            route = "neighbour" if consulter else rnd.choice(["self", "outreach"])
        self.referrals.append(dict(
            case_id=c.id, referral_date=day,
            status=status, from_agency_id=agency_id(worker.agency), from_staff_id=worker.id,
            from_contact=landline(rnd), to_agency_id=agency_id(to_code), to_staff_name=to_staff,
            person_id=m.pid, consulter_name=consulter, consulter_relationship=relation,
            household_situation=situation, issue_categories=c.cats, issue_other=None,
            account=account, wishes=wishes,
            services_involved=_services_involved(c.cats, m.age),
            reason=reason, urgency="high" if variant == DV else "medium",
            consent_basis=basis, consent_agency_ids=[agency_id(a) for a in c.consented],
            consent_signed_by=None, consent_date=c.opened if basis == "consent" else None,
            meeting_id=meeting.id if meeting is not None else None,
            reply_date=reply_day,
            reply_staff_name=to_staff if reply_day else None,
            reply_text=rnd.choice(REPLIES[status]) if reply_day else None,
            consult_route=route,
            contact_cautions=["address_secret", "no_home_call"] if variant == DV else [],
            contact_note="加害者が所在を探している可能性あり" if variant == DV else None,
            handover=rnd.choice(["accompany", "joint_interview", "introduce_only",
                                 "agency_contacts"]),
            first_meeting_at=dt.datetime.combine(day + dt.timedelta(days=7), dt.time(14))
            if status not in ("draft", "returned") else None,
            consent_agent_relationship=f"{agent}（代理人）" if agent else None,
        ))  # fmt: skip
        self.made["referrals"] += 1

    def _referral_status(self, age: int) -> str:
        """The status of a sheet sent ``age`` days ago, as the work goes: a sheet of the last
        days is sent or received; within a few months the agency is working on it (a few
        replies are late: 返信待ち on the worklist); one older than half a year is done, or now
        and then returned (never still open)."""
        weights = (
            (3, [70, 30, 0, 0, 0]),
            (14, [30, 40, 30, 0, 0]),
            (45, [10, 15, 60, 15, 0]),
            (180, [0, 0, 45, 50, 5]),
        )
        statuses = ["sent", "received", "in_progress", "done", "returned"]
        for limit, w in weights:
            if age <= limit:
                return self.rnd.choices(statuses, w)[0]
        return self.rnd.choices(["done", "returned"], [92, 8])[0]

    def _reply_day(self, day: dt.date, status: str) -> dt.date | None:
        """The day of the receiving agency's reply: after the sheet's day, never after today
        (received within days, done after weeks or months); None while there is no reply."""
        span = {"received": (1, 5), "in_progress": (2, 10), "done": (14, 120),
                "returned": (3, 30)}.get(status)  # fmt: skip
        if span is None:
            return None
        return min(day + dt.timedelta(days=self.rnd.randint(*span)), self.today)

    def _consulter(self, m: _Member, members: list[_Member]) -> tuple[str | None, str | None]:
        """Who consulted, when not the person: a grown-up of the household (named as in the
        household, the relationship as the person would say it), a school for a child, or a
        neighbour or 民生委員; or nobody (the person came themself)."""
        rnd = self.rnd
        family = [(x, r) for x in members if x is not m and (r := _relation(m, x))]
        if m.age < 15:
            if family and rnd.random() < 0.5:
                x, r = rnd.choice(family)
                return x.name, r
            return self.fake.name(), "学校（担任）" if m.age >= 6 else "保育所（保育士）"
        if rnd.random() < 0.5:
            return None, None
        if family and rnd.random() < 0.6:
            x, r = rnd.choice(family)
            return x.name, r
        return self.fake.name(), rnd.choice(["近隣住民", "民生委員"])

    def _write_referrals(self) -> None:
        """Receipt numbers R{YYYYMM}-{NNNN} in the order of the referral dates; a sheet of the
        last months still being worked on (対応中) whatever the draws gave."""
        age = {id(r): (self.today - r["referral_date"]).days for r in self.referrals}
        recent = [r for r in self.referrals if 15 <= age[id(r)] <= 180]
        if recent and not any(r["status"] == "in_progress" for r in recent):
            pick = max((r for r in recent if r["status"] in ("received", "done")),
                       key=lambda r: r["referral_date"], default=None)  # fmt: skip
            if pick is not None:
                pick["status"] = "in_progress"
                pick["reply_date"] = self._reply_day(pick["referral_date"], "in_progress")
                pick["reply_text"] = self.rnd.choice(REPLIES["in_progress"])
        counter: dict[str, int] = {}
        for r in sorted(self.referrals, key=lambda r: (r["referral_date"], r["case_id"])):
            key = f"{r['referral_date']:%Y%m}"
            counter[key] = counter.get(key, 0) + 1
            self.bulk.add("referral", receipt_number=f"R{key}-{counter[key]:04d}", **r)


def _fit(who: str, m: _Member, members: list[_Member], cats: list[str]) -> bool:
    """Whether a contact narrative tagged ``who`` (see CONTACTS) fits the person ``m``."""
    if who == "any":
        return True
    if who == "adult":
        return m.age >= 18
    if who == "elder":  # 地域包括支援センター: people of 65 and over
        return m.age >= 65
    if who == "carer":  # ... and their families: the person cares for a member of 65 or over
        return "caregiving" in cats and any(x.age >= 65 for x in members if x is not m)
    if who == "withdrawn":
        return "hikikomori" in cats and m.age >= 15
    if who == "child":
        return m.age < 15
    if who == "pupil":
        return 6 <= m.age < 15
    if who == "infant":
        return m.age < 6
    assert who == "kids", who
    return any(x.age < 15 for x in members)


def _account(cat: str, child: bool, age: int) -> str:
    text = (CHILD_ACCOUNTS if child else {}).get(cat, ACCOUNTS[cat])
    if age < 6:  # not yet at school
        text = text.replace("学校から", "保育所から").replace("登校し給食", "登園し昼食")
    return text


def vocab_agency(code: str) -> str:
    from app.domain.seed import AGENCIES

    return next(name for c, name, _kind in AGENCIES if c == code)


def _services_involved(cats: list[str], age: int) -> str:
    """Services already involved that fit the case's issues and the person's age (a
    30-year-old with tax arrears is not on 介護保険)."""
    if age < 6:
        return "保育所、こども家庭センター"
    if age < 15:
        return "学校（担任・養護教諭）、こども家庭センター"
    if "caregiving" in cats:
        return (
            "介護保険（要介護1）、民生委員の見守り"
            if age >= 65
            else "家族の介護保険サービス（デイサービス）"
        )
    if "hikikomori" in cats:
        return "ひきこもり支援センターに相談歴あり"
    if "childcare" in cats:
        return "保育所、こども家庭センター"
    if {"income", "debt", "rent_loans", "tax_utilities"} & set(cats):
        return "生活困窮者自立相談支援窓口に相談歴あり"
    return "民生委員の見守り" if age >= 65 else "特になし"


def iter_batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
