"""Soak benchmark: many devices syncing for minutes against two server processes on one database.

    .venv/bin/python -m tests.bench.soak [--devices 200] [--duration 600] [--interval 30] [--json]

The way a city scales out: two ``yorisoi-server serve`` processes on different ports share one
fresh PostgreSQL database (each request of a device goes to either, like a load balancer
without stickiness). ``--devices`` simulated laptops (asyncio tasks of this one process, so the
load generator costs little of the two cores the servers run on) belong to outreach workers
and coordinators spread over districts and agencies; a few users carry two laptops. Before the
clock starts every outreach worker registers its cases (person, household and members, case,
its own team row and often a colleague's, a couple of visits) and every device takes its first
snapshot. Then for ``--duration`` seconds each device syncs on average every ``--interval``
seconds (uniformly jittered by +-50 %), with a few edits made since its last sync:

- outreach workers: visits (contact_record inserts), case note edits, referrals and their
  status moving on;
- coordinators: case note edits on their districts' cases, putting a worker on a case's team
  (the case enters that worker's scope) and taking one off again (it leaves: a purge).

A sync is the laptop's: push the outbox (if not empty), then pull until caught up. Now and then
a push is sent a second time (a lost answer), and must give the same results. At the end every
device flushes its outbox and pulls until caught up, and the bench checks, reading the
server's database directly:

- exactly once: every acknowledged insert is stored once, with what was sent; nothing else is
  stored; every row's version is 1 + the updates and deletes acknowledged as applied, and each
  edited field's acknowledged (base, new) pairs form one chain from the inserted value to the
  stored one (an edit applied twice, or lost, breaks the chain or the count);
- scope: every device holds (after applying purges the way the laptop does) exactly the rows
  its scope holds, with the stored data; the scope is computed here from what the bench
  created, with the rules of ../shared/DOMAIN.md and docs/sync-protocol.md, not by asking
  the server.

Reported: requests, errors (target 0), rejected edits (legitimately: an edit of a case whose
team the worker had just been taken off), conflicts, p50/p95/p99/max sync latency (target:
p95 <= 300 ms on the 2-core machine), per-minute p95, and the checks. ``--json`` prints one
JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import psycopg

from app import SCHEMA_VERSION
from app.protocol.ids import new_id
from tests.bench.common import pct
from tests.bench.pgwatch import PgWatch
from tests.serverproc import SCHEMA_HEADER, ServerProc, free_port

PG = "host=127.0.0.1 port=5432 user=postgres"
P95_TARGET_MS = 300.0

DISTRICTS = [  # code, name, towns (fictional addresses are made from these)
    ("chuo", "中央", ["東難波町", "西難波町", "大物町", "北城内"]),
    ("oda", "小田", ["杭瀬", "長洲", "潮江", "常光寺"]),
    ("daisho", "大庄", ["稲葉荘", "大島", "崇徳院", "浜田町"]),
    ("tachibana", "立花", ["立花町", "七松町", "水堂町", "栗山町"]),
    ("muko", "武庫", ["武庫之荘", "武庫元町", "常松", "時友"]),
    ("sonoda", "園田", ["田能", "食満", "椎堂", "猪名寺"]),
]
AGENCIES = [
    ("south-hwc", "南部保健福祉センター"),
    ("north-hwc", "北部保健福祉センター"),
    ("shakyo", "社会福祉協議会 むすぶグループ"),
    ("houkatsu", "地域包括支援センター"),
    ("npo-tsunagari", "NPO法人 つながりの木（架空）"),
]
SURNAMES = ["青木", "石田", "上野", "岡村", "川口", "北野", "小松", "坂本", "杉山", "田辺",
            "中西", "西川", "野口", "浜口", "藤井", "松尾", "宮本", "森下", "山岸", "吉川"]  # fmt: skip
GIVEN = ["あおい", "一郎", "恵子", "健太", "さくら", "翔", "千尋", "大輔", "直美", "花子",
         "浩", "真由美", "みのる", "由紀", "陽菜", "亮"]  # fmt: skip
ISSUES = ["income", "debt", "housing", "caregiving", "hikikomori", "health_disability", "work"]
VISIT_TEXT = [
    "自宅を訪問。本人と面談し、生活状況を確認した。",
    "電話で近況を確認。通院は続けているとのこと。",
    "同行支援。窓口での手続きを一緒に行った。",
    "つどい場で声をかけ、次回の訪問日を約束した。",
]
REFERRAL_STEPS = ["draft", "sent", "received", "in_progress", "done"]
CASE_CHILD_TABLES = ("case_team_member", "contact_record", "referral")
MASTER = ("district", "agency", "staff", "resource", "school_zone", "issue_category")


# --------------------------------------------------------------------------------------------
# What the bench knows to be true: everything it created and every acknowledged result.


@dataclass
class User:
    login: str
    role: str
    staff_id: str
    agency_id: str
    district_ids: tuple[str, ...]
    user_id: int = 0


@dataclass
class CaseFacts:
    district_id: str
    lead_agency_id: str
    consent: str
    assigned_staff_id: str | None
    creator_staff_id: str
    household_id: str
    person_id: str


@dataclass
class Truth:
    """The server's content as the bench's own acknowledged writes say it must be."""

    inserted: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    updates: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    deleted: set[tuple[str, str]] = field(default_factory=set)
    # (table, id, field) -> acknowledged (base, new) pairs
    chains: dict[tuple[str, str, str], list[tuple[Any, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    cases: dict[str, CaseFacts] = field(default_factory=dict)
    children: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    households: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    team: dict[str, tuple[str, str]] = field(default_factory=dict)  # row id -> (case, staff)
    removed_from: set[tuple[str, str]] = field(default_factory=set)  # (case, staff) taken off
    acked_ops: dict[str, str] = field(default_factory=dict)  # op id -> status
    master: set[tuple[str, str]] = field(default_factory=set)

    def acknowledge(self, change: dict[str, Any], result: dict[str, Any], by: str) -> None:
        """``result`` came back for ``change``, pushed by staff member ``by``."""
        op_id, status = change["op_id"], result["status"]
        first = self.acked_ops.setdefault(op_id, status)
        if first != status:
            raise AssertionError(f"op {op_id} answered {first} and then {status}")
        if status != "applied":
            return
        key = (change["table"], change["row_id"])
        fields = {k: v[1] for k, v in change["changes"].items()}
        if change["op"] == "insert":
            if key in self.inserted:
                raise AssertionError(f"insert acknowledged twice under two op ids: {key}")
            self.inserted[key] = fields
            self._index(key, fields, by)
        elif change["op"] == "update":
            self.updates[key] += 1
            for name, (base, new) in change["changes"].items():
                self.chains[(key[0], key[1], name)].append((base, new))
        else:
            self.updates[key] += 1
            self.deleted.add(key)
            if key[0] == "case_team_member":
                case_id, staff = self.team[key[1]]
                self.removed_from.add((case_id, staff))

    def _index(self, key: tuple[str, str], f: dict[str, Any], by: str) -> None:
        table, row_id = key
        if table == "case":
            self.cases[row_id] = CaseFacts(
                district_id=f["district_id"],
                lead_agency_id=f["lead_agency_id"],
                consent=f["consent_status"],
                assigned_staff_id=f.get("assigned_staff_id"),
                creator_staff_id=by,
                household_id=f["household_id"],
                person_id=f["person_id"],
            )
        elif table in CASE_CHILD_TABLES:
            self.children[f["case_id"]].add(key)
            if table == "case_team_member":
                self.team[row_id] = (f["case_id"], f["staff_id"])
        elif table == "household_member":
            self.households[f["household_id"]].add(key)

    def alive(self, key: tuple[str, str]) -> bool:
        return key in self.inserted and key not in self.deleted

    # The scope rules (../shared/DOMAIN.md, docs/sync-protocol.md), written here from them.
    def sees_case(self, u: User, case_id: str) -> bool:
        c = self.cases[case_id]
        shared = c.consent == "given" or c.lead_agency_id == u.agency_id
        if c.creator_staff_id == u.staff_id:
            return True  # the registrar took the consultation
        on_team = any(
            self.team[k[1]][1] == u.staff_id and self.alive(k)
            for k in self.children[case_id]
            if k[0] == "case_team_member"
        )
        held = on_team or c.assigned_staff_id == u.staff_id
        if u.role == "coordinator" and c.district_id in u.district_ids:
            held = True
        return held and shared

    def scope_rows(self, u: User) -> set[tuple[str, str]]:
        rows = set(self.master)
        for case_id, c in self.cases.items():
            if not self.sees_case(u, case_id):
                continue
            rows.add(("case", case_id))
            rows.update(k for k in self.children[case_id] if self.alive(k))
            rows.add(("household", c.household_id))
            rows.add(("person", c.person_id))
            for k in self.households[c.household_id]:
                if self.alive(k):
                    rows.add(k)
                    rows.add(("person", self.inserted[k]["person_id"]))
        return rows


# --------------------------------------------------------------------------------------------
# Devices


def _change(table: str, row_id: str, op: str, fields: dict[str, list[Any]]) -> dict[str, Any]:
    return {"op_id": new_id(), "table": table, "row_id": row_id, "op": op, "changes": fields}


def insert(table: str, row_id: str | None = None, **values: Any) -> dict[str, Any]:
    return _change(table, row_id or new_id(), "insert", {k: [None, v] for k, v in values.items()})


class Stats:
    def __init__(self) -> None:
        self.requests = 0
        self.errors: list[str] = []
        self.syncs: list[tuple[float, float]] = []  # (started, seconds) of measured syncs
        self.push_ms: list[float] = []
        self.pull_ms: list[float] = []
        self.conflicts = 0
        self.rejected: list[
            tuple[str, dict[str, Any], dict[str, Any]]
        ] = []  # device, change, result
        self.replays = 0
        self.replay_mismatches = 0
        self.purges = 0
        self.entered_cases = 0


class Device:
    def __init__(self, name: str, user: User, token: str, rng: random.Random) -> None:
        self.name = name
        self.user = user
        self.headers = {
            "Authorization": f"Bearer {token}",
            SCHEMA_HEADER: str(SCHEMA_VERSION),
            "Content-Type": "application/json",
        }
        self.rng = rng
        self.store: dict[tuple[str, str], dict[str, Any]] = {}
        self.cases: set[str] = set()
        self.cursor = 0
        self.outbox: list[dict[str, Any]] = []
        self.my_referrals: set[str] = set()
        self.my_team_rows: set[str] = set()  # team rows this (coordinator) device added
        self.added: set[tuple[str, str]] = set()  # (case, staff) it ever put on a team
        self.pending_purge: set[str] = set()

    # -- the wire -------------------------------------------------------------------------

    async def push(self, bench: Soak, changes: list[dict[str, Any]]) -> bool:
        body = orjson.dumps({"batch_id": new_id(), "changes": changes})
        results = await bench.request(self, "POST", "/sync/push", body)
        if results is None:
            return False
        by_op = {r["op_id"]: r for r in results["results"]}
        for change in changes:
            result = by_op[change["op_id"]]
            bench.truth.acknowledge(change, result, self.user.staff_id)
            if result["status"] == "conflict":
                bench.stats.conflicts += 1
            elif result["status"] == "rejected":
                bench.stats.rejected.append((self.name, change, result))
        if bench.rng.random() < bench.replay_rate:
            # The answer "was lost": the laptop sends the same batch again (to either server).
            again = await bench.request(self, "POST", "/sync/push", body)
            bench.stats.replays += 1
            if again is not None and again["results"] != results["results"]:
                bench.stats.replay_mismatches += 1
        return True

    async def pull(self, bench: Soak) -> bool:
        while True:
            page = await bench.request(self, "GET", f"/sync/pull?cursor={self.cursor}", None)
            if page is None:
                return False
            arrived = set()
            for rec in page["records"]:
                key = (rec["table"], rec["id"])
                self.store[key] = rec["data"]
                if key[0] == "case":
                    arrived.add(key[1])
                    if key[1] not in self.cases:
                        bench.stats.entered_cases += 1
                    self.cases.add(key[1])
            purge = {p["case_id"] for p in page["purge"]}
            self.pending_purge |= purge
            self.pending_purge -= arrived - purge
            self.cursor = page["next_cursor"]
            if not page["has_more"]:
                break
        for case_id in sorted(self.pending_purge):
            self._purge(case_id)
            bench.stats.purges += 1
        self.pending_purge.clear()
        return True

    def _purge(self, case_id: str) -> None:
        """As app/sync/purge.py: the case, its rows, its household and persons unless a
        remaining case still holds them."""
        case = self.store.pop(("case", case_id), None)
        self.cases.discard(case_id)
        for key in [k for k, d in self.store.items() if k[0] in CASE_CHILD_TABLES]:
            if self.store[key].get("case_id") == case_id:
                del self.store[key]
        if case is None:
            return
        remaining = [self.store[("case", c)] for c in self.cases if ("case", c) in self.store]
        kept_households = {c["household_id"] for c in remaining}
        kept_persons = {c["person_id"] for c in remaining}
        for key, d in self.store.items():
            if key[0] == "household_member" and d["household_id"] in kept_households:
                kept_persons.add(d["person_id"])
        gone_persons = {case["person_id"]}
        household = case["household_id"]
        if household not in kept_households:
            self.store.pop(("household", household), None)
            for key in [k for k, d in self.store.items() if k[0] == "household_member"]:
                if self.store[key]["household_id"] == household:
                    gone_persons.add(self.store.pop(key)["person_id"])
        for person in gone_persons - kept_persons:
            self.store.pop(("person", person), None)

    async def sync(self, bench: Soak, measured: bool) -> None:
        started = time.perf_counter()
        if self.outbox:
            batch = self.outbox[:2000]
            if await self.push(bench, batch):
                del self.outbox[: len(batch)]
        ok = await self.pull(bench)
        if measured and ok:
            bench.stats.syncs.append((started - bench.t0, time.perf_counter() - started))

    # -- what a person does between syncs ---------------------------------------------------

    def live_cases(self) -> list[str]:
        return sorted(
            c for c in self.cases if not self.store.get(("case", c), {}).get("deleted", True)
        )

    def edit(self, bench: Soak) -> None:
        rng, cases = self.rng, self.live_cases()
        if not cases:
            return
        if self.user.role == "outreach":
            for _ in range(rng.choice((0, 1, 1, 1, 2, 3))):
                self.outbox.append(self._visit(rng.choice(cases)))
            if rng.random() < 0.25:
                self.outbox.append(self._note(rng.choice(cases)))
            if rng.random() < 0.08:
                ref = self._referral(rng.choice(cases), bench)
                self.my_referrals.add(ref["row_id"])
                self.outbox.append(ref)
            if self.my_referrals and rng.random() < 0.15:
                step = self._referral_step(rng.choice(sorted(self.my_referrals)))
                if step is not None:
                    self.outbox.append(step)
        else:
            if rng.random() < 0.3:
                self.outbox.append(self._note(rng.choice(cases)))
            if rng.random() < 0.3:
                add = self._team_add(rng.choice(cases), bench)
                if add is not None:
                    self.outbox.append(add)
            live = [r for r in sorted(self.my_team_rows) if ("case_team_member", r) in self.store]
            if live and rng.random() < 0.25:
                row = rng.choice(live)
                self.my_team_rows.discard(row)
                self.outbox.append(_change("case_team_member", row, "delete", {}))

    def _visit(self, case_id: str) -> dict[str, Any]:
        rng = self.rng
        return insert(
            "contact_record",
            case_id=case_id,
            person_id=self.store[("case", case_id)]["person_id"],
            staff_id=self.user.staff_id,
            contact_at=f"2026-05-{rng.randint(1, 28):02d}T{rng.randint(9, 17):02d}:00:00",
            kind=rng.choice(("visit", "phone", "outreach", "accompany", "office")),
            place="自宅" if rng.random() < 0.6 else "つどい場",
            narrative=rng.choice(VISIT_TEXT),
            next_action="次回訪問で家計の状況を確認する。" if rng.random() < 0.5 else None,
        )

    def _note(self, case_id: str) -> dict[str, Any]:
        base = self.store[("case", case_id)].get("notes")
        new = f"{self.name} の記録 {new_id()[-12:]}: 状況に変化なし、見守りを継続。"
        return _change("case", case_id, "update", {"notes": [base, new]})

    def _referral(self, case_id: str, bench: Soak) -> dict[str, Any]:
        rng = self.rng
        return insert(
            "referral",
            case_id=case_id,
            receipt_number=f"U{rng.randint(0, 999_999):06d}",
            referral_date="2026-05-01",
            status="draft",
            from_agency_id=self.user.agency_id,
            from_staff_id=self.user.staff_id,
            to_agency_id=rng.choice(bench.agency_ids),
            person_id=self.store[("case", case_id)]["person_id"],
            issue_categories=rng.sample(ISSUES, 2),
            account="家賃の滞納が続いており、生活の立て直しについて相談したい。",
            wishes="今の家に住み続けたい。",
            reason="家計の専門的な相談が必要なため。",
            urgency=rng.choice(("high", "medium", "low")),
        )

    def _referral_step(self, ref_id: str) -> dict[str, Any] | None:
        data = self.store.get(("referral", ref_id))
        if data is None:
            return None  # not pulled yet, or its case left this device
        status = data["status"]
        if status == REFERRAL_STEPS[-1]:
            self.my_referrals.discard(ref_id)
            return None
        new = REFERRAL_STEPS[REFERRAL_STEPS.index(status) + 1]
        return _change("referral", ref_id, "update", {"status": [status, new]})

    def _team_add(self, case_id: str, bench: Soak) -> dict[str, Any] | None:
        district = self.store[("case", case_id)]["district_id"]
        on_team = {
            d["staff_id"]
            for k, d in self.store.items()
            if k[0] == "case_team_member" and d["case_id"] == case_id and not d["deleted"]
        }
        choices = [
            w
            for w in bench.workers_by_district[district]
            if w.staff_id not in on_team and (case_id, w.staff_id) not in self.added
        ]
        if not choices:
            return None
        worker = self.rng.choice(choices)
        self.added.add((case_id, worker.staff_id))
        change = insert(
            "case_team_member",
            case_id=case_id,
            staff_id=worker.staff_id,
            agency_id=worker.agency_id,
            role="見守り訪問",
        )
        self.my_team_rows.add(change["row_id"])
        return change


# --------------------------------------------------------------------------------------------
# The run


class Soak:
    def __init__(
        self,
        servers: list[ServerProc],
        truth: Truth,
        rng: random.Random,
        replay_rate: float,
    ) -> None:
        self.servers = servers
        self.truth = truth
        self.rng = rng
        self.replay_rate = replay_rate
        self.stats = Stats()
        self.clients: list[httpx.AsyncClient] = []
        self.agency_ids: list[str] = []
        self.workers_by_district: dict[str, list[User]] = defaultdict(list)
        self.t0 = time.perf_counter()
        self.window: dict[str, Any] = {}  # pgwatch's report of the measured window

    async def request(self, dev: Device, method: str, path: str, body: bytes | None) -> Any:
        client = self.rng.choice(self.clients)
        started = time.perf_counter()
        self.stats.requests += 1
        try:
            r = await client.request(method, path, content=body, headers=dev.headers)
        except httpx.HTTPError as exc:
            self.stats.errors.append(f"{method} {path.split('?')[0]}: {type(exc).__name__}")
            return None
        ms = (time.perf_counter() - started) * 1000
        (self.stats.push_ms if method == "POST" else self.stats.pull_ms).append(ms)
        if r.status_code != 200:
            self.stats.errors.append(f"{method} {path.split('?')[0]}: HTTP {r.status_code}")
            return None
        return orjson.loads(r.content)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"


def _phone(rng: random.Random) -> str:
    return f"06-{rng.randint(6400, 6499)}-{rng.randint(0, 9999):04d}"


def registration(
    rng: random.Random, u: User, colleagues: list[User], towns: list[str], n_cases: int
) -> list[dict[str, Any]]:
    """One outreach worker's cases, as its laptop pushes them (parents first)."""
    persons, households, members, cases, team, visits = [], [], [], [], [], []
    household_id: str | None = None
    for i in range(n_cases):
        person = insert(
            "person",
            name=_name(rng),
            kana="ミホン",
            birth_date=f"19{rng.randint(40, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            sex=rng.choice(("female", "male")),
            address=f"{rng.choice(towns)}{rng.randint(1, 9)}丁目{rng.randint(1, 30)}-{rng.randint(1, 20)}",
            phone=_phone(rng),
            district_id=u.district_ids[0],
        )
        persons.append(person)
        if household_id is None or rng.random() > 0.2:
            # Most cases have a household of their own; one in five is a second case on the
            # previous household (the "8050" parent and child).
            hh = insert(
                "household",
                name=f"{person['changes']['name'][1].split()[0]}さん世帯",
                district_id=u.district_ids[0],
                situation=rng.choice(("8050", "単身高齢", "ひとり親", "ヤングケアラー")),
            )
            households.append(hh)
            household_id = hh["row_id"]
            relationship = "self"
        else:
            relationship = "child"
        members.append(
            insert(
                "household_member",
                household_id=household_id,
                person_id=person["row_id"],
                relationship=relationship,
                is_head=relationship == "self",
            )
        )
        consent = rng.choices(("given", "pending", "refused"), (75, 15, 10))[0]
        case = insert(
            "case",
            case_number=f"R8-{u.login[-6:]}-{i:03d}",
            title=rng.choice(("生活困窮の相談", "ひきこもりの相談", "介護と家計の相談")),
            household_id=household_id,
            person_id=person["row_id"],
            district_id=u.district_ids[0],
            issue_categories=rng.sample(ISSUES, 2),
            status="supporting",
            lead_agency_id=u.agency_id,
            assigned_staff_id=u.staff_id if rng.random() < 0.7 else None,
            urgency=rng.choice(("high", "medium", "low")),
            consent_status=consent,
            notes="初回面談の記録",
        )
        cases.append(case)
        team.append(
            insert("case_team_member", case_id=case["row_id"], staff_id=u.staff_id, role="主担当")
        )
        others = [c for c in colleagues if c.staff_id != u.staff_id]
        if others and rng.random() < 0.4:
            # Two workers on one case (maybe of another agency: without consent they do not
            # see it, see Truth.sees_case).
            other = rng.choice(others)
            team.append(
                insert(
                    "case_team_member",
                    case_id=case["row_id"],
                    staff_id=other.staff_id,
                    agency_id=other.agency_id,
                    role="訪問同行",
                )
            )
        for _ in range(2):
            visits.append(
                insert(
                    "contact_record",
                    case_id=case["row_id"],
                    person_id=person["row_id"],
                    staff_id=u.staff_id,
                    contact_at="2026-04-10T10:00:00",
                    kind="visit",
                    narrative=rng.choice(VISIT_TEXT),
                )
            )
    return persons + households + members + cases + team + visits


def _pct_ms(values: list[float], p: float) -> float:
    return round(pct(values, p) * 1000, 1) if values else float("nan")


async def _gather_limited(n: int, coros: list[Any]) -> list[Any]:
    sem = asyncio.Semaphore(n)

    async def one(c: Any) -> Any:
        async with sem:
            return await c

    return await asyncio.gather(*(one(c) for c in coros))


async def _run(
    servers: list[ServerProc],
    dbname: str,
    devices: int,
    duration: float,
    interval: float,
    seed: int,
    replay_rate: float,
    log: Any,
) -> tuple[Soak, list[Device], list[User]]:
    rng = random.Random(seed)
    truth = Truth()
    bench = Soak(servers, truth, rng, replay_rate)
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    bench.clients = [httpx.AsyncClient(base_url=s.api, timeout=120, limits=limits) for s in servers]
    admin = servers[0].admin_headers()
    http = bench.clients[0]
    try:
        # Master data, as an administrator's laptop pushes it.
        district_ids = [new_id() for _ in DISTRICTS]
        bench.agency_ids = [new_id() for _ in AGENCIES]
        master = [
            insert("district", d_id, code=code, name=name, sort_order=i)
            for i, (d_id, (code, name, _towns)) in enumerate(
                zip(district_ids, DISTRICTS, strict=True)
            )
        ] + [
            insert("agency", a_id, code=code, name=name, kind="internal")
            for a_id, (code, name) in zip(bench.agency_ids, AGENCIES, strict=True)
        ]
        r = await http.post(
            "/sync/push",
            content=orjson.dumps({"changes": master}),
            headers={**admin, "Content-Type": "application/json"},
        )
        r.raise_for_status()
        assert {x["status"] for x in r.json()["results"]} == {"applied"}, r.text
        truth.master.update((c["table"], c["row_id"]) for c in master)

        # Users: about one in ten laptops is a user's second one; a coordinator for every
        # ~15 laptops (two agencies per district where there are enough), one city-wide.
        n_users = max(2, devices - devices // 10)
        n_districts = max(1, min(len(DISTRICTS), n_users // 6))
        n_coord = max(2, n_users // 15)
        users: list[User] = []
        tag = uuid.uuid4().hex[:6]
        for i in range(n_users):
            role = "coordinator" if i < n_coord else "outreach"
            if role == "coordinator" and i == 0 and n_users >= 100:
                districts = tuple(district_ids[:n_districts])  # 基幹包括化推進員
            else:
                districts = (district_ids[i % n_districts],)
            agency = bench.agency_ids[(i // n_districts) % (2 if role == "coordinator" else 5)]
            users.append(User(f"soak-{tag}-{i:03d}", role, "", agency, districts))

        async def make_user(u: User) -> None:
            body = {
                "login": u.login,
                "name": _name(rng),
                "role": u.role,
                "district_ids": list(u.district_ids),
                "agency_id": u.agency_id,
            }
            r = await http.post("/admin/users", json=body, headers=admin)
            if r.status_code != 201:
                raise RuntimeError(f"add user: {r.status_code} {r.text[:200]}")
            u.staff_id = r.json()["staff_id"]
            u.user_id = int(r.json()["id"])
            bench.stats.requests += 1

        await _gather_limited(8, [make_user(u) for u in users])
        r = await http.get("/admin/users", headers=admin)
        r.raise_for_status()
        truth.master.update(("staff", u["staff_id"]) for u in r.json())
        for u in users:
            if u.role == "outreach":
                bench.workers_by_district[u.district_ids[0]].append(u)

        owners = list(users) + [users[n_coord + i] for i in range(devices - n_users)]

        async def enroll(n: int, u: User) -> Device:
            r = await http.post(f"/admin/users/{u.user_id}/enroll-code", headers=admin)
            r.raise_for_status()
            r = await http.post(
                "/auth/enroll", json={"code": r.json()["code"], "device_name": f"laptop-{n}"}
            )
            r.raise_for_status()
            bench.stats.requests += 2
            return Device(f"laptop-{n:03d}", u, r.json()["token"], random.Random(seed * 1000 + n))

        fleet: list[Device] = await _gather_limited(8, [enroll(n, u) for n, u in enumerate(owners)])
        log(f"{len(users)} users ({n_coord} coordinators), {len(fleet)} laptops enrolled")

        # Every outreach worker's first laptop registers its cases.
        first: dict[str, Device] = {}
        for dev in fleet:
            first.setdefault(dev.user.login, dev)
        towns = {d_id: t for d_id, (_c, _n, t) in zip(district_ids, DISTRICTS, strict=True)}
        for u in users:
            if u.role == "outreach":
                district = u.district_ids[0]
                first[u.login].outbox.extend(
                    registration(rng, u, bench.workers_by_district[district], towns[district], 5)
                )

        async def register(dev: Device) -> None:
            if not await dev.push(bench, dev.outbox):
                raise RuntimeError("registration push failed")
            if bench.stats.rejected:
                raise RuntimeError(f"registration rejected: {bench.stats.rejected[0]}")
            dev.outbox.clear()

        await _gather_limited(4, [register(d) for d in fleet if d.outbox])
        await _gather_limited(8, [d.pull(bench) for d in fleet])
        log(f"{len(truth.cases)} cases registered, every laptop has its first snapshot")

        # The measured window.
        bench.stats.entered_cases = 0
        bench.t0 = time.perf_counter()
        deadline = bench.t0 + duration

        async def life(dev: Device) -> None:
            wait = dev.rng.uniform(0, interval)
            while time.perf_counter() + wait < deadline:
                await asyncio.sleep(wait)
                dev.edit(bench)
                await dev.sync(bench, measured=True)
                wait = dev.rng.uniform(0.5 * interval, 1.5 * interval)

        with PgWatch(dbname, [s.process.pid for s in servers if s.process], 0.1) as watch:
            await asyncio.gather(*(life(d) for d in fleet))
        bench.window = watch.report()
        log(f"window over: {len(bench.stats.syncs)} syncs; flushing and catching up")

        # Flush every outbox, then let every laptop catch up with everyone's last changes
        # (twice: a purge announced by the first catch-up's pushes reaches all).
        for _ in range(3):
            await _gather_limited(16, [d.sync(bench, measured=False) for d in fleet])
            if not any(d.outbox for d in fleet):
                break
        await _gather_limited(16, [d.pull(bench) for d in fleet])
        return bench, fleet, users
    finally:
        for c in bench.clients:
            await c.aclose()


# --------------------------------------------------------------------------------------------
# The checks


Rows = dict[tuple[str, str], tuple[dict[str, Any], int, bool]]


def _server_rows(dbname: str) -> tuple[Rows, set[str]]:
    with psycopg.connect(f"{PG} dbname={dbname}") as conn:
        rows = {
            (t, i): (orjson.loads(d), v, bool(x))
            for t, i, d, v, x in conn.execute(
                "SELECT table_name, id, data::text, version, deleted FROM record"
            )
        }
        ops = {r[0] for r in conn.execute("SELECT op_id FROM applied_op")}
    return rows, ops


def server_log_summary(text: str) -> dict[str, Any]:
    """Requests, 5xx answers and error lines of one server's JSON-lines log, and the time
    the server itself spent on push and pull requests (its side of the sync latency)."""
    http, errors = 0, 0
    ms: dict[str, list[float]] = defaultdict(list)
    for line in text.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if not isinstance(rec, dict):
            continue
        if rec.get("level") in ("error", "critical"):
            errors += 1
        if rec.get("event") == "http":
            http += 1
            errors += int(rec.get("status", 0)) >= 500
            route = str(rec.get("route", "?")).rsplit("/", 1)[-1]
            if route in ("push", "pull"):
                ms[route].append(float(rec.get("ms", 0.0)))
    out: dict[str, Any] = {"requests": http, "errors": errors}
    for route, values in sorted(ms.items()):
        out[f"{route}_p95_ms"] = round(pct(values, 95), 1)
        out[f"{route}_max_ms"] = round(max(values), 1)
    return out


def check_exactly_once(truth: Truth, rows: Rows, ops: set[str]) -> list[str]:
    """rows: the server's records ((table, id) -> (data, version, deleted)); ops: its
    applied_op ids."""
    problems: list[str] = []
    for op_id, status in truth.acked_ops.items():
        if op_id not in ops:
            problems.append(f"acknowledged op {op_id} ({status}) has no applied_op row")
    tracked = {t for t, _ in truth.inserted}
    stored = {k for k in rows if k[0] in tracked}
    for key in sorted(stored - set(truth.inserted)):
        problems.append(f"stored but never acknowledged: {key}")
    for key, fields in truth.inserted.items():
        got = rows.get(key)
        if got is None:
            problems.append(f"acknowledged insert missing: {key}")
            continue
        data, version, deleted = got
        expected_version = 1 + truth.updates.get(key, 0)
        if version != expected_version:
            problems.append(f"{key}: version {version}, acknowledged {expected_version}")
        if deleted != (key in truth.deleted):
            problems.append(f"{key}: deleted={deleted}, acknowledged {key in truth.deleted}")
        for name, value in fields.items():
            if name.startswith("_") or (key[0], key[1], name) in truth.chains:
                continue
            stored = data.get(name)
            if name == "contact_at":
                same = dt.datetime.fromisoformat(stored) == dt.datetime.fromisoformat(value)
            else:
                same = stored == value
            if not same:
                problems.append(f"{key}.{name}: stored {stored!r}, sent {value!r}")
    for (table, row_id, name), pairs in truth.chains.items():
        key = (table, row_id)
        value = truth.inserted[key].get(name)
        todo = list(pairs)
        while todo:
            nxt = [p for p in todo if p[0] == value]
            if len(nxt) != 1:
                problems.append(
                    f"{key}.{name}: {len(nxt)} acknowledged edits from {value!r} "
                    f"({len(todo)} of {len(pairs)} unchained)"
                )
                break
            todo.remove(nxt[0])
            value = nxt[0][1]
        else:
            stored = rows[key][0].get(name)
            if stored != value:
                problems.append(f"{key}.{name}: stored {stored!r}, chain ends at {value!r}")
    return problems


def check_scopes(truth: Truth, fleet: list[Device], rows: Rows) -> list[str]:
    problems: list[str] = []
    # Master data goes to everyone: what the bench pushed, the staff records of the users it
    # made, and whatever master rows the server's migrations seeded.
    truth.master.update(k for k, v in rows.items() if k[0] in MASTER and not v[2])
    for dev in fleet:
        held = {k for k, d in dev.store.items() if not d.get("deleted")}
        want = truth.scope_rows(dev.user)
        extra, missing = held - want, want - held
        if extra or missing:
            problems.append(
                f"{dev.name} ({dev.user.role}): {len(extra)} rows beyond its scope "
                f"{sorted(extra)[:3]}, {len(missing)} missing {sorted(missing)[:3]}"
            )
        stale = [k for k in held & want if rows.get(k, ({}, 0, False))[0] != dev.store[k]]
        if stale:
            problems.append(f"{dev.name}: {len(stale)} rows differ from the server's {stale[:3]}")
    return problems


def classify_rejections(truth: Truth, stats: Stats, fleet: list[Device]) -> tuple[int, list[str]]:
    """Rejections are expected only as 'outside your scope' for a case the worker had been
    taken off (and does not see now); anything else is a problem."""
    users = {d.name: d.user for d in fleet}
    expected, problems = 0, []
    for name, change, result in stats.rejected:
        u = users[name]
        table, row_id = change["table"], change["row_id"]
        if table == "case":
            case_id = row_id
        elif change["op"] == "insert":
            case_id = change["changes"].get("case_id", [None, None])[1]
        else:
            case_id = truth.inserted.get((table, row_id), {}).get("case_id")
        if (
            result["reason"] == "outside your scope"
            and case_id in truth.cases
            and (case_id, u.staff_id) in truth.removed_from
            and not truth.sees_case(u, case_id)
        ):
            expected += 1
        else:
            problems.append(
                f"{name}: {change['table']} {change['op']} rejected: {result['reason']}"
            )
    return expected, problems


# --------------------------------------------------------------------------------------------


def run_soak(
    devices: int = 200,
    duration: float = 600.0,
    interval: float = 30.0,
    *,
    seed: int = 13,
    workers: int = 1,
    replay_rate: float = 0.03,
    log: Any = None,
) -> dict[str, Any]:
    """Run the soak on a fresh database and return its report (see the module docstring)."""
    sink = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    started = time.perf_counter()

    def log(msg: str) -> None:
        sink(f"[{time.perf_counter() - started:6.1f} s] {msg}")

    dbname = f"yorisoi_soak_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{PG} dbname=postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{dbname}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{dbname}"
    servers: list[ServerProc] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "YORISOI_HOME": str(Path(tmp) / "home")}
            env.pop("YORISOI_DATABASE_URL", None)
            servers = [
                ServerProc(url, free_port(), Path(tmp), env=env, workers=workers, ready_timeout=300)
                for _ in range(2)
            ]
            servers[0].start()  # migrates the fresh database; the second finds it migrated
            with ThreadPoolExecutor(1) as pool:
                second = pool.submit(servers[1].start)
                servers[0].admin_headers()  # the bootstrap administrator (CLI), meanwhile
                second.result()
            log(f"servers on ports {[s.port for s in servers]}, database {dbname}")
            bench, fleet, users = asyncio.run(
                _run(servers, dbname, devices, duration, interval, seed, replay_rate, log)
            )
            for s in servers:
                s.stop()
            server_log = [server_log_summary(s.log_text()) for s in servers]
        rows, ops = _server_rows(dbname)
        once = check_exactly_once(bench.truth, rows, ops)
        scopes = check_scopes(bench.truth, fleet, rows)
        expected_rejections, bad_rejections = classify_rejections(bench.truth, bench.stats, fleet)
    finally:
        for s in servers:
            s.stop()
        with psycopg.connect(f"{PG} dbname=postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    st = bench.stats
    sync_s = [s for _, s in st.syncs]
    minutes: dict[int, list[float]] = defaultdict(list)
    for t, s in st.syncs:
        minutes[int(t // 60)].append(s)
    acked = bench.truth.acked_ops
    p95 = _pct_ms(sync_s, 95)
    return {
        "devices": devices,
        "users": len(users),
        "coordinators": sum(u.role == "coordinator" for u in users),
        "servers": len(servers),
        "workers_per_server": workers,
        "duration_s": duration,
        "interval_s": interval,
        "cases": len(bench.truth.cases),
        "requests": st.requests,
        "errors": len(st.errors),
        "error_samples": st.errors[:5],
        "server_log": server_log,
        "syncs": len(sync_s),
        "sync_p50_ms": _pct_ms(sync_s, 50),
        "sync_p95_ms": p95,
        "sync_p99_ms": _pct_ms(sync_s, 99),
        "sync_max_ms": round(max(sync_s) * 1000, 1) if sync_s else float("nan"),
        "sync_p95_ms_by_minute": [_pct_ms(minutes[m], 95) for m in sorted(minutes)],
        "push_p95_ms": round(pct(st.push_ms, 95), 1) if st.push_ms else None,
        "pull_p95_ms": round(pct(st.pull_ms, 95), 1) if st.pull_ms else None,
        "ops_acknowledged": len(acked),
        "ops_applied": sum(s == "applied" for s in acked.values()),
        "conflicts": st.conflicts,
        "rejected_expected": expected_rejections,
        "rejected_unexpected": len(bad_rejections),
        "replays": st.replays,
        "replay_mismatches": st.replay_mismatches,
        "cases_entered": st.entered_cases,
        "purges": st.purges,
        "unflushed_ops": sum(len(d.outbox) for d in fleet),
        "exactly_once_ok": not once,
        "exactly_once_problems": once[:10],
        "scope_ok": not scopes,
        "scope_problems": scopes[:10] + bad_rejections[:10],
        "p95_target_ms": P95_TARGET_MS,
        "p95_target_met": p95 <= P95_TARGET_MS,
        "window": bench.window,
        "wall_s": round(time.perf_counter() - started, 1),
        "load_average": list(os.getloadavg()),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--devices", type=int, default=200)
    p.add_argument("--duration", type=float, default=600.0, help="seconds")
    p.add_argument("--interval", type=float, default=30.0, help="mean seconds between syncs")
    p.add_argument("--workers", type=int, default=1, help="uvicorn workers per server process")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    result = run_soak(
        args.devices, args.duration, args.interval, seed=args.seed, workers=args.workers
    )
    ok = (
        result["errors"] == 0
        and result["exactly_once_ok"]
        and result["scope_ok"]
        and result["unflushed_ops"] == 0
        and result["replay_mismatches"] == 0
    )
    result["checks_ok"] = ok
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"soak: {result['devices']} laptops, {result['users']} users, 2 servers, "
              f"{result['duration_s']:.0f} s, sync every ~{result['interval_s']:.0f} s")  # fmt: skip
        for key in (
            "requests", "errors", "syncs", "sync_p50_ms", "sync_p95_ms", "sync_p99_ms",
            "sync_max_ms", "sync_p95_ms_by_minute", "ops_applied", "conflicts",
            "rejected_expected", "rejected_unexpected", "replays", "cases_entered", "purges",
            "exactly_once_ok", "scope_ok", "load_average",
        ):  # fmt: skip
            print(f"  {key:<24} {result[key]}")
        print(f"  {'server_log':<24} {result['server_log']}")
        print(f"  {'window':<24} {result['window']}")
        for problem in result["exactly_once_problems"] + result["scope_problems"]:
            print(f"  PROBLEM: {problem}")
        print(
            f"  p95 target <= {P95_TARGET_MS:.0f} ms: {'met' if result['p95_target_met'] else 'NOT met'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
