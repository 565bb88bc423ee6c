"""Fictional report data written with bulk inserts straight into a laptop's tables (no services),
plus independent counts computed from the generated rows in plain Python (the oracle the
report numbers are checked against). Used by the tests and by tests/bench/reports.py."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from uuid6 import uuid7

from app.domain import vocab
from app.domain.seed import AGENCIES, agency_id, district_id
from app.storage.db import Store

DISTRICT_CODES = [code for code, _n, _k in vocab.DISTRICTS]
CATS = list(vocab.ISSUE_CATEGORY)
KINDS = list(vocab.CONTACT_KIND)
REF_STATUS = list(vocab.REFERRAL_STATUS)
MEET_KINDS = list(vocab.MEETING_KIND)
STAMP = "2026-01-01 00:00:00.000000"
COLS = {
    "case": ("id", "case_number", "title", "district_id", "issue_categories", "status",
             "urgency", "consent_status", "consent_agency_ids", "lead_agency_id",
             "opened_on", "closed_on"),
    "referral": ("id", "case_id", "receipt_number", "referral_date", "status",
                 "to_agency_id", "reply_date", "issue_categories", "urgency",
                 "consent_basis", "consent_agency_ids"),
    "contact_record": ("id", "case_id", "contact_at", "kind"),
    "support_meeting": ("id", "kind", "held_on", "district_id", "title"),
    "meeting_case": ("id", "meeting_id", "case_id"),
    "role_assignment": ("id", "case_id", "task", "due_date", "done", "completed_on"),
}  # fmt: skip
META = ("created_at", "updated_at", "version", "deleted")


def _id() -> str:
    return str(uuid7())


@dataclass
class Generated:
    """The generated rows (when kept) as plain dicts of report-relevant fields."""

    cases: list[dict[str, Any]] = field(default_factory=list)
    referrals: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    meeting_cases: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def _day(rnd: random.Random, start: dt.date, span: int) -> dt.date:
    return start + dt.timedelta(days=rnd.randrange(span))


class _Writer:
    def __init__(self, conn: Any, g: Generated, batch: int) -> None:
        self.conn, self.g, self.batch = conn, g, batch
        self.rows: dict[str, list[tuple[Any, ...]]] = {k: [] for k in COLS}
        self.pending = 0

    def put(self, table: str, values: dict[str, Any]) -> None:
        enc = [
            json.dumps(v) if isinstance(v, list) else v.isoformat() if isinstance(v, dt.date) else v
            for v in (values[c] for c in COLS[table])
        ]
        self.rows[table].append((*enc, STAMP, STAMP, 1, int(values.get("deleted", False))))
        self.pending += 1
        if self.pending >= self.batch:
            self.flush()

    def flush(self) -> None:
        for table in COLS:  # parents first
            if self.rows[table]:
                names = (*COLS[table], *META)
                sql = (f'INSERT INTO "{table}" ({", ".join(names)}) '
                       f'VALUES ({", ".join("?" * len(names))})')  # fmt: skip
                self.conn.executemany(sql, self.rows[table])
                self.g.counts[table] += len(self.rows[table])
                self.rows[table].clear()
        self.pending = 0


def generate(
    store: Store, n_cases: int, *, seed: int = 7, fy: int = 2026, keep: bool = True,
    batch: int = 20_000, deleted: float = 0.01,
) -> Generated:  # fmt: skip
    """``n_cases`` cases spread over the fiscal year ``fy`` and the year before, with about
    1.8 contacts, 0.6 referrals and 0.3 tasks per case and a meeting per 40 cases. Includes
    what the report must leave out or treat specially: deleted rows, draft referrals, cases
    without a district or opening date, 終結 without a closing date. ``deleted``: the share
    of rows written as tombstones (0 for data that is pushed to a server as inserts)."""
    rnd = random.Random(seed)
    drnd = random.Random(seed + 1)

    def gone(share: float = 1.0) -> bool:
        return drnd.random() < deleted * share

    g = Generated()
    start = dt.date(fy - 1, 4, 1)
    span = (dt.date(fy + 1, 3, 31) - start).days + 1
    agencies = [agency_id(code) for code, _n, _k in AGENCIES]
    meetings: list[dict[str, Any]] = []
    with store.raw() as raw:
        conn = raw.driver_connection
        conn.execute("BEGIN")
        w = _Writer(conn, g, batch)
        for i in range(n_cases):
            cid = _id()
            opened = _day(rnd, start, span) if rnd.random() > 0.02 else None
            dcode = rnd.choice(DISTRICT_CODES) if rnd.random() > 0.03 else None
            status = rnd.choice(list(vocab.CASE_STATUS))
            closed = None
            if status == "closed" and rnd.random() > 0.1 and opened is not None:
                closed = opened + dt.timedelta(days=rnd.randrange(1, 200))
            cats = rnd.sample(CATS, rnd.choice((1, 1, 2, 3)))
            c = {"id": cid, "case_number": f"R-{i:06d}", "title": "生活の相談",
                 "district_id": district_id(dcode) if dcode else None, "district": dcode,
                 "issue_categories": cats, "status": status, "urgency": "medium",
                 "consent_status": rnd.choice(("given", "given", "pending")),
                 "consent_agency_ids": [], "lead_agency_id": agency_id(rnd.choice(("suishin", "houkatsu"))),
                 "opened_on": opened, "closed_on": closed, "deleted": gone()}  # fmt: skip
            w.put("case", c)
            if keep:
                g.cases.append(c)
            base = opened or start
            for _ in range(rnd.choice((0, 1, 2, 2, 3))):
                at = dt.datetime.combine(
                    _day(rnd, base, 120), dt.time(rnd.randrange(8, 19), rnd.randrange(60))
                )
                k = {"id": _id(), "case_id": cid, "kind": rnd.choice(KINDS),
                     "contact_at": at.isoformat(sep=" ", timespec="microseconds"),
                     "deleted": gone()}  # fmt: skip
                w.put("contact_record", k)
                if keep:
                    g.contacts.append(k)
            if rnd.random() < 0.6:
                rday = _day(rnd, base, 60)
                rstatus = rnd.choice(REF_STATUS)
                replied = rstatus in ("received", "in_progress", "done") and rnd.random() > 0.1
                r = {"id": _id(), "case_id": cid, "receipt_number": f"U-{i:06d}",
                     "referral_date": rday, "status": rstatus,
                     "to_agency_id": rnd.choice(agencies) if rnd.random() > 0.05 else None,
                     "reply_date": rday + dt.timedelta(days=rnd.randrange(0, 45)) if replied else None,
                     "issue_categories": cats[:1], "urgency": "medium",
                     "consent_basis": "consent", "consent_agency_ids": [],
                     "deleted": gone()}  # fmt: skip
                w.put("referral", r)
                if keep:
                    g.referrals.append(r)
            if i % 40 == 0:
                m = {"id": _id(), "kind": rnd.choice(MEET_KINDS),
                     "held_on": _day(rnd, start, span), "district": rnd.choice(DISTRICT_CODES),
                     "title": "定例会議", "deleted": gone(2)}  # fmt: skip
                m["district_id"] = district_id(m["district"])
                w.put("support_meeting", m)
                meetings.append(m)
                if keep:
                    g.meetings.append(m)
            if meetings and rnd.random() < 0.08:
                mc = {"id": _id(), "meeting_id": rnd.choice(meetings[-5:])["id"], "case_id": cid,
                      "deleted": gone(2)}  # fmt: skip
                w.put("meeting_case", mc)
                if keep:
                    g.meeting_cases.append(mc)
            if rnd.random() < 0.3:
                due = _day(rnd, base, 90)
                done = rnd.random() < 0.6
                # Done on time, late, or (tasks done before the day was recorded) on no day.
                when = rnd.random()
                completed = (
                    None if not done or when >= 0.9
                    else due - dt.timedelta(days=rnd.randint(0, 10)) if when < 0.6
                    else due + dt.timedelta(days=rnd.randint(1, 20))
                )  # fmt: skip
                t = {"id": _id(), "case_id": cid, "task": "訪問して状況を確認する",
                     "due_date": due, "done": done, "completed_on": completed,
                     "deleted": gone()}  # fmt: skip
                w.put("role_assignment", t)
                if keep:
                    g.tasks.append(t)
        w.flush()
        conn.execute("COMMIT")
    return g


# --- the oracle: plain Python over the generated rows --------------------------------------


def expected(
    g: Generated, start: dt.date, end: dt.date, as_of: dt.date, visible: set[str] | None = None
) -> dict[str, Counter[tuple[str, str]]]:
    """{table key: Counter((row code, district code or "_none"))}, as the report defines
    them (app/reports/stats.py docstring). ``visible``: only these case ids (a coordinator's
    scope; meetings then only those that discussed a visible case)."""
    out: dict[str, Counter[tuple[str, str]]] = {}

    def inc(key: str, row: str, d: str | None) -> None:
        out.setdefault(key, Counter())[(row, d or "_none")] += 1

    def within(day: dt.date | None) -> bool:
        return day is not None and start <= day <= end

    cases = {c["id"]: c for c in g.cases
             if not c["deleted"] and (visible is None or c["id"] in visible)}  # fmt: skip
    for c in cases.values():
        d, o, cl = c["district"], c["opened_on"], c["closed_on"]
        if within(o):
            inc("cases", "new", d)
            inc("new_by_month", f"{o:%Y-%m}", d)
            for cat in c["issue_categories"]:
                inc("categories", cat, d)
        closed_by_end = (cl is not None and cl <= end) or (cl is None and c["status"] == "closed")
        if (o is None or o <= end) and not closed_by_end:
            inc("cases", "ongoing", d)
        if within(cl):
            inc("cases", "closed", d)
    for r in g.referrals:
        c = cases.get(r["case_id"])
        if r["deleted"] or c is None or not within(r["referral_date"]) or r["status"] == "draft":
            continue
        inc("referral_agency", r["to_agency_id"] or "_none", c["district"])
        inc("referral_status", r["status"], c["district"])
        if r["reply_date"] is None:
            bucket = "none"
        else:
            days = (r["reply_date"] - r["referral_date"]).days
            bucket = (
                "d7" if days <= 7 else "d14" if days <= 14 else "d30" if days <= 30 else "over30"
            )
        inc("referral_reply", bucket, c["district"])
    for k in g.contacts:
        c = cases.get(k["case_id"])
        day = dt.date.fromisoformat(k["contact_at"][:10])
        if not k["deleted"] and c is not None and within(day):
            inc("contacts", k["kind"], c["district"])
    live_links = [mc for mc in g.meeting_cases if not mc["deleted"] and mc["case_id"] in cases]
    held = {m["id"]: m for m in g.meetings if not m["deleted"] and within(m["held_on"])}
    shown = held if visible is None else {
        k: v for k, v in held.items() if k in {mc["meeting_id"] for mc in live_links}
    }  # fmt: skip
    for m in shown.values():
        inc("meetings", m["kind"], m["district"])
    discussed = {mc["case_id"] for mc in live_links if mc["meeting_id"] in held}
    for cid in discussed:
        inc("meetings", "cases_discussed", cases[cid]["district"])
    for t in g.tasks:
        c = cases.get(t["case_id"])
        if t["deleted"] or c is None or not within(t["due_date"]):
            continue
        if t["done"]:
            done_on = t["completed_on"]
            state = (
                "done_undated" if done_on is None
                else "on_time" if done_on <= t["due_date"] else "late"
            )  # fmt: skip
        else:
            state = "overdue" if t["due_date"] < as_of else "open"
        inc("tasks", state, c["district"])
    return out
