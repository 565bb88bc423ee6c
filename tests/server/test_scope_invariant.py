"""Need to know as an invariant: a Hypothesis state machine over the real HTTP API.

A real ``yorisoi-server`` on its own PostgreSQL database; in every example five fresh users
(two outreach workers of agency A, one of agency B, a coordinator of district N at A and one
of district S at B) and one administrator push random legitimate and hostile changes: cases
with households and members, support teams, assignments, consent, contact records, life
events, referrals, role assignments, support meetings with cases, attendees and pledges, and
master data (the resource register too). Hostile pushes re-parent rows to other owners,
point rows at ids outside the pusher's scope, add a colleague's client to one's own household,
add oneself to a meeting, sign one's own pledge and edit master data.

After every push and every pull an ORACLE checks, from the rules of ``/work/shared/DOMAIN.md``
and ``docs/sync-protocol.md`` written out below (never the server's scope code), against the
server's stored records read straight from the database:
(a) every record a device pulls is inside its user's scope at that moment, and the cases a
    device holds (received, not purged) are exactly the cases in its scope;
(b) a push changed no row outside the pusher's write scope: every row it changed had (before
    and after) an owner the pusher may write under, every id the change newly refers to is
    one the pusher may write under too, and the per-table write rules held (master data:
    administrators; removing a resource: coordinators and administrators; meetings,
    attendance and pledges: coordinators and administrators; nobody writes their own
    attendance or pledge).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from app.protocol.ids import new_id
from tests.server.conftest import Laptop, delete, insert, update
from tests.serverproc import ServerProc, running_server

pytestmark = pytest.mark.postgres

# --- the rules, written out from DOMAIN.md and docs/sync-protocol.md ---------------------------

MASTER = {"district", "agency", "school_zone", "issue_category", "staff", "resource"}
# "How a row belongs to a case (for scope)": the column holding the row's owner.
OWNER = {
    "case": "id",
    "case_team_member": "case_id",
    "contact_record": "case_id",
    "referral": "case_id",
    "role_assignment": "case_id",
    "meeting_case": "case_id",
    "household": "id",
    "household_member": "household_id",
    "life_event": "household_id",
    "person": "id",
    "support_meeting": "id",
    "meeting_attendee": "meeting_id",
}
OWNER_TABLES = {"case", "household", "person", "support_meeting"}
# Every other column of a case-data table that names a case, household, person or meeting
# (app/storage/models.py): writing it needs that id in the pusher's write scope too.
REFS = {
    "case": ("household_id", "person_id"),
    "household_member": ("person_id",),
    "life_event": ("person_id",),
    "contact_record": ("person_id",),
    "referral": ("person_id", "meeting_id"),
    "role_assignment": ("meeting_id",),
    "meeting_case": ("meeting_id",),
}
MEETING_TABLES = {"support_meeting", "meeting_case", "meeting_attendee"}
# Meeting and pledge days the machine draws from (None: no date).
DAYS = [None, "2026-05-01", "2026-05-20", "2026-06-10"]

Db = dict[tuple[str, str], dict[str, Any]]


@dataclass
class Actor:
    name: str
    role: str
    staff_id: str
    agency_id: str | None
    districts: tuple[str, ...]
    laptop: Laptop
    held: set[str] = field(default_factory=set)  # case ids received and not purged


def _live(db: Db, table: str) -> Iterator[dict[str, Any]]:
    return (d for (t, _), d in db.items() if t == table and not d.get("deleted"))


def covers(att: dict[str, Any], meeting: dict[str, Any]) -> bool:
    """DOMAIN.md: "A pledge counts for a meeting only if signed on or before the meeting's
    date (an organiser may allow a standing pledge valid for a period)". ISO dates compare
    as text; no date on either side: no pledge."""
    signed, until, held = (
        att.get("pledge_date"),
        att.get("pledge_valid_until"),
        meeting.get("held_on"),
    )
    if not att.get("pledge_signed") or not signed or not held:
        return False
    return bool(signed <= held and (until is None or held <= until))


def visible_cases(db: Db, creators: dict[str, str], a: Actor) -> set[str]:
    """DOMAIN.md "Need to know" with sync-protocol.md's scope detail: a user holds the cases
    they are on the support team of, are assigned to, or registered (and a coordinator the
    cases of their districts); a case without consent only within its lead agency (and its
    registrar), or to an attendee of a support meeting on it whose pledge covers the meeting:
    the meeting is not deleted, the pledge was signed on or before its date (and a standing
    pledge's period includes that date); a case without consent only through a 支援会議 under
    art. 106-6 (kind ``shien_kaigi``), the other kinds being consent-based."""
    me = a.staff_id
    team = {(d["case_id"], d["staff_id"]) for d in _live(db, "case_team_member")}
    pledged: dict[str, str] = {}  # meeting id -> kind
    for d in _live(db, "meeting_attendee"):
        m = db.get(("support_meeting", d.get("meeting_id")))
        if d.get("staff_id") == me and m is not None and not m.get("deleted") and covers(d, m):
            pledged[d["meeting_id"]] = m.get("kind")
    out = set()
    for d in _live(db, "meeting_case"):
        c = db.get(("case", d["case_id"]))
        kind = pledged.get(d["meeting_id"])
        if kind and c is not None and (c.get("consent_status") == "given" or kind == "shien_kaigi"):
            out.add(d["case_id"])
    for (t, cid), c in db.items():
        if t != "case":
            continue
        registrar = creators.get(cid) == me
        held = (
            (cid, me) in team
            or c.get("assigned_staff_id") == me
            or (a.role == "coordinator" and c.get("district_id") in a.districts)
        )
        shared = (
            c.get("consent_status") == "given"
            or (a.agency_id is not None and c.get("lead_agency_id") == a.agency_id)
            or registrar
        )
        if registrar or (held and shared):
            out.add(cid)
    return out


def scope(db: Db, creators: dict[str, str], a: Actor) -> set[str]:
    """Owner ids in scope: the cases, their households, the persons of the cases and of those
    households, the meetings on those cases and the meetings the user attends."""
    cases = visible_cases(db, creators, a)
    households = {db["case", c].get("household_id") for c in cases} - {None}
    persons = {db["case", c].get("person_id") for c in cases} - {None}
    persons |= {
        d["person_id"] for d in _live(db, "household_member") if d["household_id"] in households
    }
    meetings = {d["meeting_id"] for d in _live(db, "meeting_case") if d["case_id"] in cases}
    meetings |= {
        d["meeting_id"] for d in _live(db, "meeting_attendee") if d.get("staff_id") == a.staff_id
    }
    return cases | households | persons | meetings  # type: ignore[operator]


def claimed(db: Db) -> set[str]:
    """Owners some case refers to ("A new person, household or meeting no case refers to yet
    may be written by anyone; once a case refers to it, only staff with that case in scope")."""
    cases = [d for (t, _), d in db.items() if t == "case"]
    households = {c.get("household_id") for c in cases} - {None}
    out = {c["id"] for c in cases} | households | {c.get("person_id") for c in cases}
    out |= {
        d["person_id"] for d in _live(db, "household_member") if d["household_id"] in households
    }
    out |= {d["meeting_id"] for d in _live(db, "meeting_case")}
    return out - {None}  # type: ignore[operator]


def owner_of(table: str, data: dict[str, Any]) -> str | None:
    col = OWNER.get(table)
    return None if col is None else data.get(col)


def in_scope(table: str, data: dict[str, Any], owners: set[str] | None) -> bool:
    if table == "audit_event":
        return False
    if owners is None or table in MASTER:
        return True
    return owner_of(table, data) in owners


def rule_breaches(
    a: Actor, table: str, before: dict[str, Any] | None, after: dict[str, Any]
) -> list[str]:
    """The per-table write rules (DOMAIN.md "Who writes what")."""
    out = []
    removing = after.get("deleted") and not (before or {}).get("deleted")
    if table in ("district", "agency", "staff") and a.role != "admin":
        out.append("master data written by a non-administrator")
    if table == "resource" and removing and a.role == "outreach":
        out.append("resource removed by an outreach worker")
    if table in MEETING_TABLES and a.role == "outreach":
        out.append("meeting data written by an outreach worker")
    if table == "meeting_attendee" and a.staff_id in (
        after.get("staff_id"),
        (before or {}).get("staff_id"),
    ):
        out.append("own attendance or pledge written")
    return out


def push_breaches(
    a: Actor, before: Db, after: Db, changed: set[tuple[str, str]], creators: dict[str, str]
) -> list[str]:
    """What a push by ``a`` changed that it may not have (oracle (b))."""
    out: list[str] = []
    everything = a.role == "admin"
    owners = scope(before, creators, a) if not everything else set()
    taken = claimed(before)
    created = {i for (t, i) in changed if (t, i) not in before and t in OWNER_TABLES}

    def writable(o: Any) -> bool:
        return everything or o is None or o in owners or o not in taken or o in created

    for key in sorted(changed):
        table, row_id = key
        b, x = before.get(key), after[key]
        out += [f"{table} {row_id}: {m}" for m in rule_breaches(a, table, b, x)]
        if table not in OWNER:
            continue
        if b is not None and not writable(owner_of(table, b)):
            out.append(f"{table} {row_id}: changed under an owner outside the write scope")
        if not writable(owner_of(table, x)):
            out.append(f"{table} {row_id}: moved to an owner outside the write scope")
        for col in REFS.get(table, ()):
            ref = x.get(col)
            if ref and ref != (b or {}).get(col) and not writable(ref):
                out.append(f"{table} {row_id}: {col} points outside the write scope")
    return out


# --- the world ------------------------------------------------------------------------------


@dataclass
class World:
    srv: ServerProc
    conninfo: str
    admin: Laptop
    http: httpx.Client
    db: Db = field(default_factory=dict)
    seq: int = 0
    creators: dict[str, str] = field(default_factory=dict)

    def device(self, role: str, agency_id: str, district_ids: tuple[str, ...]) -> Laptop:
        """A new user with an enrolled device (admin API, one kept connection)."""
        login = f"{role[:5]}{uuid.uuid4().hex[:10]}"
        body = {"login": login, "name": login, "role": role, "agency_id": agency_id}
        r = self.http.post("/admin/users", json=body | {"district_ids": list(district_ids)})
        assert r.status_code == 201, r.text
        r = self.http.post(f"/admin/users/{r.json()['id']}/enroll-code")
        r.raise_for_status()
        code = r.json()["code"]
        r = self.http.post("/auth/enroll", json={"code": code, "device_name": "inv"})
        r.raise_for_status()
        return SharedLaptop(self.srv, r.json(), self.http)

    def refresh(self) -> set[tuple[str, str]]:
        """Read the records written since the last read; their keys."""
        with psycopg.connect(self.conninfo, autocommit=True) as c:
            rows = c.execute(
                "SELECT table_name, id, data::text, seq FROM record "
                "WHERE seq > %s AND table_name <> 'audit_event'",
                (self.seq,),
            ).fetchall()
        keys = set()
        for t, i, d, s in rows:
            self.db[t, i] = json.loads(d)
            keys.add((t, i))
            self.seq = max(self.seq, s)
        return keys


class SharedLaptop(Laptop):
    """A device whose requests go over the world's one kept connection."""

    def __init__(self, srv: ServerProc, enrolled: dict[str, Any], http: httpx.Client) -> None:
        self.srv = srv
        self.device_id = enrolled["device_id"]
        self.token = enrolled["token"]
        self.staff_id = enrolled["staff"]["id"]
        self.cursor = 0
        self.records = {}
        self.purged = []
        self.http = http


WORLD: World | None = None


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from tests.server.conftest import _pg_connect

    try:
        conn = _pg_connect()
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and unreachable: {type(exc).__name__}")
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432 (outside CI)")
    name = f"yorisoi_inv_{uuid.uuid4().hex[:12]}"
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        with running_server(tmp_path_factory.mktemp("srv-inv"), database_url=url) as srv:
            login = f"admin{uuid.uuid4().hex[:8]}"
            srv.add_user(login, "admin")
            admin = Laptop(srv, srv.enroll(login))
            with httpx.Client(base_url=srv.api, headers=srv.admin_headers(), timeout=30) as http:
                conninfo = f"postgresql://postgres@127.0.0.1:5432/{name}"
                yield World(srv, conninfo, admin, http)
    finally:
        with _pg_connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the machine ----------------------------------------------------------------------------

USERS = {
    "o1": ("outreach", "A", ()),
    "o2": ("outreach", "A", ()),
    "o3": ("outreach", "B", ()),
    "c1": ("coordinator", "A", ("N",)),
    "c2": ("coordinator", "B", ("S",)),
}
REPARENT = {
    "household_member": ("household_id", "household"),
    "life_event": ("household_id", "household"),
    "contact_record": ("case_id", "case"),
    "case_team_member": ("case_id", "case"),
    "referral": ("case_id", "case"),
    "role_assignment": ("case_id", "case"),
    "meeting_case": ("case_id", "case"),
    "meeting_attendee": ("meeting_id", "support_meeting"),
}


class ScopeMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        assert WORLD is not None
        self.w = WORLD
        self.actors: list[Actor] = []
        self.ids: dict[str, list[str]] = {}
        self.master: dict[str, str] = {}
        self.dirty = True  # pushed since the devices last pulled

    # helpers

    def _has(self, *tables: str) -> bool:
        return all(self._existing(t) for t in tables)

    def _existing(self, table: str) -> list[str]:
        return [i for i in self.ids.get(table, []) if (table, i) in self.w.db]

    def _note(self, change: dict[str, Any]) -> dict[str, Any]:
        self.ids.setdefault(change["table"], []).append(change["row_id"])
        return change

    def _actor(self, data: st.DataObject, admin: bool = True) -> Actor:
        pool = self.actors if admin else [a for a in self.actors if a.role != "admin"]
        return data.draw(st.sampled_from(pool), label="who")

    def _pick(self, data: st.DataObject, table: str, label: str) -> str:
        return data.draw(st.sampled_from(self._existing(table)), label=label)

    def _now(self, table: str, row_id: str, col: str) -> Any:
        return self.w.db[table, row_id].get(col)

    def push(self, who: Actor, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        before = dict(self.w.db)
        new_cases = {c["row_id"] for c in changes if c["table"] == "case"} - {
            i for (t, i) in before if t == "case"
        }
        results = who.laptop.push(changes)
        self.dirty = True
        changed = self.w.refresh()
        for cid in new_cases:
            if ("case", cid) in self.w.db and cid not in self.w.creators:
                self.w.creators[cid] = who.staff_id
        breaches = push_breaches(who, before, self.w.db, changed, self.w.creators)
        assert not breaches, (who.name, who.role, breaches, results)
        return results

    def pull_all(self) -> None:
        for a in self.actors:
            owners = None if a.role == "admin" else scope(self.w.db, self.w.creators, a)
            lap = a.laptop
            while True:
                r = lap.http.get("/sync/pull", params={"cursor": lap.cursor}, headers=lap.headers())
                assert r.status_code == 200, r.text
                body = r.json()
                outside = [
                    (rec["table"], rec["id"])
                    for rec in body["records"]
                    if not in_scope(rec["table"], rec["data"], owners)
                ]
                assert not outside, (a.name, a.role, "pulled outside its scope", outside)
                for rec in body["records"]:
                    if rec["table"] == "case":
                        a.held.add(rec["id"])
                for p in body["purge"]:
                    a.held.discard(p["case_id"])
                lap.cursor = body["next_cursor"]
                if not body["has_more"]:
                    break
            if a.role != "admin":
                want = visible_cases(self.w.db, self.w.creators, a)
                assert a.held == want, (a.name, "holds", a.held - want, "lacks", want - a.held)

    # setup

    @initialize()
    def setup(self) -> None:
        w = self.w
        self.master = {k: new_id() for k in ("N", "S", "A", "B")}
        w.admin.push(
            [
                insert("district", self.master["N"], code=f"n{uuid.uuid4().hex[:8]}", name="北"),
                insert("district", self.master["S"], code=f"s{uuid.uuid4().hex[:8]}", name="南"),
                insert("agency", self.master["A"], code=f"a{uuid.uuid4().hex[:8]}", name="甲"),
                insert("agency", self.master["B"], code=f"b{uuid.uuid4().hex[:8]}", name="乙"),
                self._note(insert("resource", name="つどい場", kind="gathering")),
            ]
        )
        for name, (role, agency, districts) in USERS.items():
            d_ids = tuple(self.master[d] for d in districts)
            lap = w.device(role, self.master[agency], d_ids)
            self.actors.append(Actor(name, role, lap.staff_id, self.master[agency], d_ids, lap))
        admin_staff = w.admin.staff_id
        self.actors.append(Actor("admin", "admin", admin_staff, None, (), w.admin))
        self.ids["staff"] = [a.staff_id for a in self.actors]
        w.refresh()
        self.pull_all()

    # legitimate work (and its hostile variants: any user may try it on any id)

    @rule(data=st.data())
    def register_case(self, data: st.DataObject) -> None:
        who = self._actor(data)
        m = self.master
        person = self._note(insert("person", name="相談者", phone="090-0000-0000"))
        household = self._note(insert("household", name="試験さん世帯"))
        member = self._note(
            insert(
                "household_member",
                household_id=household["row_id"],
                person_id=person["row_id"],
                relationship="self",
            )
        )
        case = self._note(
            insert(
                "case",
                case_number=f"R{uuid.uuid4().hex[:6]}",
                title="生活困窮の相談",
                household_id=household["row_id"],
                person_id=person["row_id"],
                district_id=data.draw(st.sampled_from([m["N"], m["S"], None]), label="district"),
                consent_status=data.draw(
                    st.sampled_from(["given", "refused", "pending"]), label="consent"
                ),
                lead_agency_id=data.draw(st.sampled_from([m["A"], m["B"], None]), label="lead"),
            )
        )
        changes = [person, household, member, case]
        if data.draw(st.booleans(), label="on its team"):
            changes.append(
                self._note(
                    insert("case_team_member", case_id=case["row_id"], staff_id=who.staff_id)
                )
            )
        self.push(who, changes)

    @precondition(lambda self: self._has("case"))
    @rule(data=st.data())
    def join_team(self, data: st.DataObject) -> None:
        who = self._actor(data)
        case = self._pick(data, "case", "case")
        staff = data.draw(st.sampled_from(self.ids["staff"]), label="staff")
        self.push(who, [self._note(insert("case_team_member", case_id=case, staff_id=staff))])

    @precondition(lambda self: self._has("case_team_member"))
    @rule(data=st.data())
    def leave_team(self, data: st.DataObject) -> None:
        who = self._actor(data)
        self.push(who, [delete("case_team_member", self._pick(data, "case_team_member", "row"))])

    @precondition(lambda self: self._has("case"))
    @rule(data=st.data())
    def edit_case(self, data: st.DataObject) -> None:
        who = self._actor(data)
        case = self._pick(data, "case", "case")
        m = self.master
        col, choices = data.draw(
            st.sampled_from(
                [
                    ("consent_status", ["given", "refused"]),
                    ("lead_agency_id", [m["A"], m["B"]]),
                    ("district_id", [m["N"], m["S"]]),
                    ("assigned_staff_id", [*self.ids["staff"], None]),
                    ("notes", ["メモ"]),
                ]
            ),
            label="field",
        )
        value = data.draw(st.sampled_from(choices), label="value")
        self.push(who, [update("case", case, **{col: (self._now("case", case, col), value)})])

    @precondition(lambda self: self._has("case"))
    @rule(data=st.data())
    def point_case(self, data: st.DataObject) -> None:
        """A case re-pointed at another household or person (anyone's)."""
        who = self._actor(data)
        case = self._pick(data, "case", "case")
        col, table = data.draw(
            st.sampled_from([("household_id", "household"), ("person_id", "person")]),
            label="column",
        )
        target = self._pick(data, table, "target")
        self.push(who, [update("case", case, **{col: (self._now("case", case, col), target)})])

    @precondition(lambda self: self._has("person"))
    @rule(data=st.data())
    def edit_person(self, data: st.DataObject) -> None:
        """Overwrite a person's phone, with the stored value as base (an attacker who knows it)."""
        who = self._actor(data)
        person = self._pick(data, "person", "person")
        now = self._now("person", person, "phone")
        self.push(
            who, [update("person", person, phone=(now, f"080-{uuid.uuid4().int % 10000:04d}-0000"))]
        )

    @precondition(lambda self: self._has("household", "person"))
    @rule(data=st.data())
    def add_member(self, data: st.DataObject) -> None:
        """A person (anyone's) added to a household (anyone's)."""
        who = self._actor(data)
        household = self._pick(data, "household", "household")
        person = self._pick(data, "person", "person")
        change = insert("household_member", household_id=household, person_id=person)
        self.push(who, [self._note(change)])

    @precondition(lambda self: self._has("household_member"))
    @rule(data=st.data())
    def remove_member(self, data: st.DataObject) -> None:
        who = self._actor(data)
        self.push(who, [delete("household_member", self._pick(data, "household_member", "row"))])

    @precondition(lambda self: self._has("case"))
    @rule(data=st.data())
    def add_record(self, data: st.DataObject) -> None:
        """A contact record, life event, referral or role assignment, its references drawn
        from anyone's ids."""
        who = self._actor(data)
        table = data.draw(
            st.sampled_from(["contact_record", "life_event", "referral", "role_assignment"]),
            label="table",
        )
        persons = [*self._existing("person"), None]
        meetings = [*self._existing("support_meeting"), None]
        person = data.draw(st.sampled_from(persons), label="person")
        if table == "life_event":
            if not self._existing("household"):
                return
            household = self._pick(data, "household", "household")
            change = insert("life_event", household_id=household, person_id=person, kind="other")
        else:
            case = self._pick(data, "case", "case")
            fields: dict[str, Any] = {"case_id": case}
            if table == "contact_record":
                fields |= {"person_id": person, "contact_at": "2026-02-01T10:00:00"}
            elif table == "referral":
                meeting = data.draw(st.sampled_from(meetings), label="meeting")
                fields |= {"person_id": person, "meeting_id": meeting, "receipt_number": "R-1"}
            else:
                meeting = data.draw(st.sampled_from(meetings), label="meeting")
                fields |= {"meeting_id": meeting, "task": "見守り訪問"}
            change = insert(table, **fields)
        self.push(who, [self._note(change)])

    @precondition(lambda self: any(self._existing(t) for t in REPARENT))
    @rule(data=st.data())
    def reparent(self, data: st.DataObject) -> None:
        """A row moved to another owner (anyone's)."""
        tables = [t for t in REPARENT if self._existing(t)]
        who = self._actor(data)
        table = data.draw(st.sampled_from(tables), label="table")
        col, owner_table = REPARENT[table]
        if not self._existing(owner_table):
            return
        row = self._pick(data, table, "row")
        target = self._pick(data, owner_table, "new owner")
        self.push(who, [update(table, row, **{col: (self._now(table, row, col), target)})])

    @precondition(lambda self: self._has("case"))
    @rule(data=st.data())
    def create_meeting(self, data: st.DataObject) -> None:
        who = self._actor(data)
        case = self._pick(data, "case", "case")
        meeting = self._note(self._meeting_insert(data))
        link = self._note(insert("meeting_case", meeting_id=meeting["row_id"], case_id=case))
        self.push(who, [meeting, link])

    @precondition(lambda self: self._has("case", "support_meeting"))
    @rule(data=st.data())
    def link_meeting(self, data: st.DataObject) -> None:
        who = self._actor(data)
        meeting = self._pick(data, "support_meeting", "meeting")
        case = self._pick(data, "case", "case")
        self.push(who, [self._note(insert("meeting_case", meeting_id=meeting, case_id=case))])

    @precondition(lambda self: self._has("support_meeting"))
    @rule(data=st.data())
    def add_attendee(self, data: st.DataObject) -> None:
        """An attendee (possibly the pusher themselves), pledge signed or not."""
        who = self._actor(data)
        meeting = self._pick(data, "support_meeting", "meeting")
        staff = data.draw(st.sampled_from([who.staff_id, *self.ids["staff"]]), label="staff")
        signed = data.draw(st.booleans(), label="signed")
        change = insert(
            "meeting_attendee",
            meeting_id=meeting,
            staff_id=staff,
            name="出席者",
            pledge_signed=signed,
            **self._pledge_dates(data),
        )
        self.push(who, [self._note(change)])

    @precondition(lambda self: self._has("meeting_attendee"))
    @rule(data=st.data())
    def sign_pledge(self, data: st.DataObject) -> None:
        """A pledge signed or withdrawn (possibly one's own)."""
        who = self._actor(data)
        row = self._pick(data, "meeting_attendee", "attendee")
        now = self._now("meeting_attendee", row, "pledge_signed")
        self.push(who, [update("meeting_attendee", row, pledge_signed=(now, not now))])

    def _meeting_insert(self, data: st.DataObject) -> dict[str, Any]:
        kind = data.draw(st.sampled_from(["shien_kaigi", "jusoteki", "shinchoku"]), label="kind")
        held = data.draw(st.sampled_from(DAYS), label="held on")
        return insert("support_meeting", kind=kind, title="会議", held_on=held)

    def _pledge_dates(self, data: st.DataObject) -> dict[str, Any]:
        return {
            "pledge_date": data.draw(st.sampled_from(DAYS), label="pledge date"),
            "pledge_valid_until": data.draw(st.sampled_from(DAYS), label="valid until"),
        }

    @precondition(lambda self: self._has("support_meeting"))
    @rule(data=st.data())
    def change_meeting(self, data: st.DataObject) -> None:
        """A meeting moved to another day, changed kind, deleted or restored (issue 13: a
        deleted meeting, a pledge dated after the meeting, a 重層的支援会議 must not share a
        case without consent)."""
        who = self._actor(data)
        row = self._pick(data, "support_meeting", "meeting")
        what = data.draw(st.sampled_from(["held_on", "kind", "delete"]), label="what")
        if what == "delete":
            change = delete("support_meeting", row)
        elif what == "kind":
            kind = data.draw(st.sampled_from(["shien_kaigi", "jusoteki"]), label="kind")
            change = update(
                "support_meeting", row, kind=(self._now("support_meeting", row, "kind"), kind)
            )
        else:
            held = data.draw(st.sampled_from(DAYS), label="held on")
            change = update(
                "support_meeting", row, held_on=(self._now("support_meeting", row, "held_on"), held)
            )
        self.push(who, [change])

    # targeted: the legitimate way meetings come about, and the attacks the issue names

    def _in_scope_of(self, who: Actor, table: str) -> list[str]:
        owners = scope(self.w.db, self.w.creators, who)
        return [i for i in self._existing(table) if i in owners]

    @precondition(lambda self: self._has("case"))
    @rule(data=st.data())
    def run_meeting(self, data: st.DataObject) -> None:
        """A coordinator (or administrator) holds a meeting on a case they see, with a
        colleague attending, pledge signed or not."""
        who = data.draw(
            st.sampled_from([a for a in self.actors if a.role != "outreach"]), label="who"
        )
        cases = self._in_scope_of(who, "case") if who.role != "admin" else self._existing("case")
        if not cases:
            return
        case = data.draw(st.sampled_from(cases), label="case")
        other = data.draw(
            st.sampled_from([a for a in self.actors if a is not who]), label="attendee"
        )
        meeting = self._note(self._meeting_insert(data))
        changes = [
            meeting,
            self._note(insert("meeting_case", meeting_id=meeting["row_id"], case_id=case)),
            self._note(
                insert(
                    "meeting_attendee",
                    meeting_id=meeting["row_id"],
                    staff_id=other.staff_id,
                    name="出席者",
                    pledge_signed=data.draw(st.booleans(), label="signed"),
                    **self._pledge_dates(data),
                )
            ),
        ]
        self.push(who, changes)

    @precondition(lambda self: self._has("support_meeting"))
    @rule(data=st.data())
    def attend_myself(self, data: st.DataObject) -> None:
        """Hostile: add oneself to a meeting, pledge signed."""
        who = self._actor(data)
        meeting = self._pick(data, "support_meeting", "meeting")
        change = insert(
            "meeting_attendee",
            meeting_id=meeting,
            staff_id=who.staff_id,
            name="本人",
            pledge_signed=True,
            pledge_date="2026-05-01",
        )
        self.push(who, [self._note(change)])

    @precondition(lambda self: self._has("meeting_attendee"))
    @rule(data=st.data())
    def sign_my_pledge(self, data: st.DataObject) -> None:
        """Hostile: sign one's own pledge (or turn another attendance row into one's own)."""
        rows = self._existing("meeting_attendee")
        row = data.draw(st.sampled_from(rows), label="attendee")
        named = self._now("meeting_attendee", row, "staff_id")
        mine = [a for a in self.actors if a.staff_id == named]
        who = mine[0] if mine and data.draw(st.booleans(), label="the named one") else None
        who = who or self._actor(data)
        fields: dict[str, tuple[Any, Any]] = {
            "pledge_signed": (self._now("meeting_attendee", row, "pledge_signed"), True)
        }
        if named != who.staff_id:
            fields["staff_id"] = (named, who.staff_id)
        self.push(who, [update("meeting_attendee", row, **fields)])

    @precondition(lambda self: self._has("household", "person"))
    @rule(data=st.data())
    def adopt_client(self, data: st.DataObject) -> None:
        """Hostile (issue 13, item 1): add a person outside one's scope to a household in it,
        then overwrite the person's phone."""
        who = self._actor(data, admin=False)
        households = self._in_scope_of(who, "household")
        owners = scope(self.w.db, self.w.creators, who)
        strangers = [p for p in self._existing("person") if p not in owners]
        if not households or not strangers:
            return
        household = data.draw(st.sampled_from(households), label="own household")
        person = data.draw(st.sampled_from(strangers), label="someone else's client")
        self.push(
            who, [self._note(insert("household_member", household_id=household, person_id=person))]
        )
        self.pull_all()
        phone = self._now("person", person, "phone")
        self.push(who, [update("person", person, phone=(phone, "080-9999-9999"))])

    @rule(data=st.data())
    def edit_master(self, data: st.DataObject) -> None:
        who = self._actor(data)
        what = data.draw(
            st.sampled_from(
                [
                    "resource insert",
                    "resource update",
                    "resource delete",
                    "district",
                    "agency",
                    "staff",
                ]
            ),
            label="what",
        )
        if what == "resource insert":
            change = self._note(insert("resource", name="こども食堂", kind="cafeteria"))
        elif what.startswith("resource"):
            if not self._existing("resource"):
                return
            row = self._pick(data, "resource", "resource")
            if what == "resource delete":
                change = delete("resource", row)
            else:
                change = update(
                    "resource", row, schedule=(self._now("resource", row, "schedule"), "毎週水曜")
                )
        else:
            row = {
                "district": self.master["N"],
                "agency": self.master["A"],
                "staff": data.draw(st.sampled_from(self.ids["staff"]), label="staff"),
            }[what]
            change = update(what, row, name=(self._now(what, row, "name"), "改名"))
        self.push(who, [change])

    @invariant()
    def pulls_in_scope(self) -> None:
        if self.actors and self.dirty:
            self.pull_all()
            self.dirty = False


# A failing run shrinks its example for up to five minutes (Hypothesis's own limit), each
# replay against the real server: the default 300 s timeout would cut that short.
@pytest.mark.timeout(900)
def test_scope_is_an_invariant(world: World) -> None:
    global WORLD
    WORLD = world
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(
        ScopeMachine,
        settings=settings(
            max_examples=int(os.environ.get("YORISOI_SCOPE_EXAMPLES", "12")),
            stateful_step_count=25,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
