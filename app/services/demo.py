"""Fictional demo data with Faker's ja_JP locale: households, cases, contacts, referrals, meetings.

Everything here is made up. Rows are bulk-inserted on the raw connection in one transaction per
table batch, without outbox entries (demo data is local, nothing to push).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from faker import Faker
from uuid6 import uuid7

from app.domain.seed import AGENCIES, agency_id, district_id
from app.domain.vocab import DISTRICTS, ISSUE_CATEGORY
from app.services.profile import mark_demo
from app.storage import search
from app.storage.db import Store
from app.storage.models import SYNC_ORDER

ISSUE_TITLES = {
    "health_disability": "通院が途絶えている",
    "housing": "住まいの確保が必要",
    "income": "生活費が足りない",
    "rent_loans": "市営住宅の家賃滞納",
    "tax_utilities": "税金・公共料金の滞納",
    "debt": "多重債務の相談",
    "work": "離職後の就労相談",
    "relationships": "近隣とのトラブル",
    "childcare": "子育ての負担",
    "caregiving": "親の介護（8050世帯）",
    "hikikomori": "長期のひきこもり",
    "dv_abuse": "DV・虐待の疑い",
    "no_food": "食べるものがない",
    "other": "多頭飼育の状態",
}
NARRATIVES = [
    "自宅を訪問。本人と玄関先で面会。表情は穏やかで、最近の生活について話を聞いた。",
    "電話で近況を確認。食事は一日二回とれているとのこと。次回訪問の約束をした。",
    "民生委員と同行訪問。室内に物が多く、片付けの支援について提案した。",
    "来所相談。家賃の支払いについて相談があり、住宅課と連携することを確認した。",
    "地域包括支援センターと情報共有。介護保険の申請手続きを進める。",
    "本人不在。メモを残し、後日改めて訪問する。",
    "ひきこもり支援員と同行。本人は部屋から出てこなかったが、母親と話ができた。",
    "こども食堂の利用について案内。次回、一緒に見学に行くことになった。",
]
SCHOOLS = ["中央北小", "小田南小", "大庄小", "立花小", "武庫東小", "園田小", "浜小", "金楽寺小"]
PLACES = ["自宅", "保健福祉センター", "地域振興センター", "公民館", "電話", "つどい場"]
RESOURCE_NAMES = ["ふれあいサロン", "いきいき百歳体操", "こども食堂", "移動販売", "つどい場",
                  "ボランティアセンター", "子育てひろば", "認知症カフェ"]  # fmt: skip
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
            self.conn.executemany(sql, [tuple(_enc(r[c]) for c in cols) for r in rows])
            self.counts[name] = self.counts.get(name, 0) + len(rows)
            self.rows[name] = []


def _enc(v: Any) -> Any:
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


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
            counts = _generate(conn, fake, rnd, today, persons, progress)
            mark_demo(conn)  # a demo profile never enrols with a server (app.sync.enroll)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return counts


def _generate(
    conn: Any, fake: Faker, rnd: random.Random, today: dt.date, n_persons: int,
    progress: Callable[[str, int], None] | None,
) -> DemoCounts:  # fmt: skip
    bulk = _Bulk(conn)
    districts = [district_id(code) for code, _, _ in DISTRICTS]
    district_names = {district_id(code): name for code, name, _ in DISTRICTS}
    agencies = [agency_id(code) for code, _, _ in AGENCIES]
    issue_codes = list(ISSUE_CATEGORY)

    # Staff: outreach workers, coordinators per district, one city-wide coordinator, an admin.
    staff: list[tuple[str, str, str]] = []  # (id, role, district)
    for i in range(max(6, min(60, n_persons // 200))):
        last, last_kana, _ = fake.last_name_pair()
        first, first_kana, _ = fake.first_name_pair()
        role = "coordinator" if i % 5 == 0 else "outreach"
        d = districts[i % len(districts)]
        sid = bulk.add(
            "staff", name=f"{last} {first}", kana=f"{last_kana} {first_kana}",
            login=f"staff{i:03d}", role=role, agency_id=agencies[i % len(agencies)],
            district_ids=[d] if role == "coordinator" else [], active=1,
        )  # fmt: skip
        staff.append((sid, role, d))
    outreach = [s for s in staff if s[1] == "outreach"]

    # Regional resources.
    n_res = max(12, n_persons // 500)
    res_docs = []
    for i in range(n_res):
        name = f"{rnd.choice(RESOURCE_NAMES)}「{fake.town()}」"
        addr = f"{fake.town()}{rnd.randint(1, 9)}丁目{rnd.randint(1, 30)}-{rnd.randint(1, 20)}"
        rid = bulk.add(
            "resource", name=name, kana=None, kind=rnd.choice(
                ["gathering", "window", "facility", "kodomo_shokudo", "mobile_shop"]),
            district_id=districts[i % 6], address=addr,
            schedule=f"毎週{rnd.choice('月火水木金土')}曜 {rnd.randint(9, 15)}時〜",
            contact=fake.phone_number(), notes=None,
        )  # fmt: skip
        res_docs.append((rid, [name, None, addr, None, None, None]))

    person_docs: list[tuple[str, list[str | None]]] = []
    case_docs: list[tuple[str, list[str | None]]] = []
    made = {"persons": 0, "households": 0, "cases": 0, "contacts": 0, "referrals": 0, "meetings": 0}
    case_ids_for_meetings: list[tuple[str, str]] = []
    case_no = 0
    while made["persons"] < n_persons:
        size = min(rnd.choice([1, 1, 2, 2, 2, 3, 3, 4]), n_persons - made["persons"])
        last, last_kana, _ = fake.last_name_pair()
        d = rnd.choice(districts)
        addr = (f"{district_names[d]}{fake.town()}{rnd.randint(1, 9)}丁目"
                f"{rnd.randint(1, 30)}番{rnd.randint(1, 20)}号")  # fmt: skip
        hid = bulk.add("household", name=f"{last}さん世帯", address=addr, district_id=d,
                       situation=rnd.choice([None, "高齢の親と無職の子の二人暮らし", "ひとり親世帯",
                                             "単身高齢者", "三世代同居"]))  # fmt: skip
        made["households"] += 1
        head_age = rnd.randint(25, 92)
        members: list[tuple[str, str, str]] = []
        member_text: list[str | None] = []
        for k in range(size):
            female = rnd.random() < 0.55
            first, first_kana, _ = (
                fake.first_name_female_pair() if female else fake.first_name_male_pair()
            )
            rel = ["self", "spouse", "child", "parent"][k] if k < 4 else "relative"
            age = {"self": head_age, "spouse": head_age + rnd.randint(-5, 5),
                   "child": max(0, head_age - rnd.randint(22, 35)),
                   "parent": head_age + rnd.randint(22, 30)}.get(rel, 40)  # fmt: skip
            birth = today - dt.timedelta(days=age * 365 + rnd.randint(0, 364))
            name, kana = f"{last} {first}", f"{last_kana} {first_kana}"
            phone = fake.phone_number() if rnd.random() < 0.8 else None
            notes = rnd.choice([None, None, "耳が遠い", "日中は不在がち", "犬を多頭飼育"])
            pid = bulk.add(
                "person", name=name, kana=kana, birth_date=birth, sex="female" if female else "male",
                address=addr, phone=phone, district_id=d, school_zone=rnd.choice(SCHOOLS),
                notes=notes,
            )  # fmt: skip
            person_docs.append((pid, [name, kana, phone, addr, notes]))
            member_text.extend([name, kana, phone, addr, notes])
            bulk.add("household_member", household_id=hid, person_id=pid, relationship=rel,
                     is_head=1 if k == 0 else 0, lives_together=1)  # fmt: skip
            members.append((pid, name, rel))
            made["persons"] += 1
        bulk.add("life_event", household_id=hid, person_id=members[0][0],
                 event_date=today - dt.timedelta(days=rnd.randint(30, 3000)),
                 kind=rnd.choice(["moving", "illness", "work", "care"]),
                 description=rnd.choice(["転居してきた", "入院", "離職", "介護が始まった"]))  # fmt: skip
        # One case per person, as in the benchmark shape (cases ~= persons).
        for pid, _name, _rel in members:
            case_no += 1
            cats = rnd.sample(issue_codes[:-1], rnd.randint(1, 3))
            worker = rnd.choice(outreach)
            opened = today - dt.timedelta(days=rnd.randint(1, 900))
            status = rnd.choices(["received", "assessment", "supporting", "watching", "closed"],
                                 [10, 15, 45, 20, 10])[0]  # fmt: skip
            consent = rnd.choices(["given", "refused", "pending"], [70, 10, 20])[0]
            number = f"{opened.year}-{case_no:06d}"
            title = "、".join(ISSUE_TITLES[c] for c in cats)
            cid = bulk.add(
                "case", case_number=number, title=title, household_id=hid, person_id=pid,
                district_id=d, issue_categories=cats, status=status,
                lead_agency_id=rnd.choice(agencies[:11]), assigned_staff_id=worker[0],
                urgency=rnd.choices(["high", "medium", "low"], [15, 60, 25])[0],
                consent_status=consent,
                consent_agency_ids=rnd.sample(agencies, 2) if consent == "given" else [],
                consent_date=opened if consent == "given" else None, opened_on=opened,
                closed_on=today if status == "closed" else None, notes=None,
            )  # fmt: skip
            case_docs.append((cid, [number, title, None, *member_text]))
            made["cases"] += 1
            bulk.add("case_team_member", case_id=cid, staff_id=worker[0], agency_id=None,
                     role="主担当")  # fmt: skip
            for j in range(rnd.choice([1, 2, 3, 3, 4, 5])):
                at = dt.datetime.combine(opened, dt.time(9)) + dt.timedelta(
                    days=j * rnd.randint(3, 30), minutes=rnd.randint(0, 480)
                )
                nxt = (at + dt.timedelta(days=rnd.randint(1, 21))).date()
                if rnd.random() < 0.02:
                    nxt = today
                bulk.add(
                    "contact_record", case_id=cid, person_id=pid, staff_id=worker[0],
                    contact_at=min(at, dt.datetime.combine(today, dt.time(17))),
                    kind=rnd.choice(["visit", "visit", "phone", "office", "outreach", "accompany"]),
                    place=rnd.choice(PLACES), participants=None, narrative=rnd.choice(NARRATIVES),
                    next_action=rnd.choice(["再訪問", "電話で確認", "関係機関と調整", None]),
                    next_action_date=nxt, corrects_id=None,
                )  # fmt: skip
                made["contacts"] += 1
            if rnd.random() < 0.05:
                made["referrals"] += 1
                bulk.add(
                    "referral", case_id=cid, receipt_number=f"R{opened:%Y%m}-{made['referrals']:05d}",
                    referral_date=opened, status=rnd.choice(["sent", "received", "in_progress", "done"]),
                    from_agency_id=agencies[0], from_staff_id=worker[0],
                    from_contact=fake.phone_number(), to_agency_id=rnd.choice(agencies[11:]),
                    to_staff_name=None, person_id=pid, consulter_name=None,
                    consulter_relationship=None, household_situation=None, issue_categories=cats,
                    issue_other=None, account=rnd.choice(NARRATIVES), wishes="自宅で暮らし続けたい",
                    services_involved="介護保険（要介護1）", reason="専門的な支援が必要なため",
                    urgency="medium", consent_basis="consent" if consent == "given" else "support_meeting",
                    consent_agency_ids=[], consent_signed_by=None, consent_date=None,
                    meeting_id=None, reply_date=None, reply_staff_name=None, reply_text=None,
                )  # fmt: skip
            if consent != "given" and rnd.random() < 0.1:
                case_ids_for_meetings.append((cid, d))
        if progress and made["persons"] % 5000 < size:
            progress("persons", made["persons"])

    # Support meetings on some cases without consent (支援会議 shares without consent).
    for i in range(0, len(case_ids_for_meetings), 5):
        chunk = case_ids_for_meetings[i : i + 5]
        chair = rnd.choice([s for s in staff if s[1] == "coordinator"] or staff)
        mid = bulk.add(
            "support_meeting", kind="shien_kaigi", held_on=today - dt.timedelta(days=rnd.randint(0, 200)),
            place="保健福祉センター会議室", district_id=chunk[0][1], chair_staff_id=chair[0],
            title=f"支援会議 第{i // 5 + 1}回", decisions="役割分担を確認し、次回までに各機関で対応する。",
        )  # fmt: skip
        made["meetings"] += 1
        for sid, _role, _d in rnd.sample(staff, min(4, len(staff))):
            bulk.add("meeting_attendee", meeting_id=mid, staff_id=sid, agency_id=None,
                     name=next(n for n in [_staff_name(conn, bulk, sid)] if n),
                     pledge_signed=1, pledge_date=today)  # fmt: skip
        for cid, _d in chunk:
            bulk.add("meeting_case", meeting_id=mid, case_id=cid)
            bulk.add("role_assignment", meeting_id=mid, case_id=cid, staff_id=chair[0],
                     agency_id=None, task="関係機関との連絡調整", due_date=today + dt.timedelta(days=14),
                     done=0)  # fmt: skip
    bulk.flush()
    search.bulk_index(conn, "person", person_docs)
    search.bulk_index(conn, "case", case_docs)
    search.bulk_index(conn, "resource", res_docs)
    return DemoCounts(
        persons=made["persons"], households=made["households"], cases=made["cases"],
        contacts=made["contacts"], referrals=made["referrals"], meetings=made["meetings"],
        resources=n_res, staff=len(staff),
    )  # fmt: skip


def _staff_name(conn: Any, bulk: _Bulk, staff_id: str) -> str:
    for row in bulk.rows.get("staff", []):
        if row["id"] == staff_id:
            return str(row["name"])
    found = conn.execute("SELECT name FROM staff WHERE id = ?", (staff_id,)).fetchone()
    return str(found[0]) if found else "出席者"


def iter_batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
