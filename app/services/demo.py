"""Fictional demo data that looks like the city: households, cases, contacts, referrals, meetings.

Every person, household, case and record here is made up (names from Faker's ja_JP locale,
block numbers and phone numbers drawn at random). What is real is only the frame a coordinator
recognises: the six districts with their town names (町名) and 小学校区, Osaka's 06 landlines
and 070/080/090 mobiles, the city's agencies. The data keeps the app's own rules, so every
printed document and every consent variant can be seen working: a consented referral, a
referral shared at a 支援会議 without consent (its members from agencies, pledges signed before
the meeting), a withheld draft (送付不可), a referral on a closed case, a draft; referral replies
from the receiving agencies; contact kinds that match their text.

Rows are bulk-inserted on the raw connection in one transaction, without outbox entries (demo
data is local, nothing to push).
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

from app.domain.seed import agency_id, district_id
from app.domain.vocab import ISSUE_CATEGORY
from app.services.profile import mark_demo
from app.storage import search
from app.storage.db import Store
from app.storage.models import SYNC_ORDER

# district code -> (towns, 小学校区). Town names from the city's districts (DOMAIN.md); the
# school zones are named after them. Block numbers are random, so no address is real.
TOWNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "chuo": (("東難波町", "西難波町", "大物町", "北城内", "神田中通", "昭和通"),
             ("難波小", "西小", "明城小", "竹谷小")),
    "oda": (("杭瀬", "長洲", "潮江", "金楽寺町", "常光寺", "次屋", "久々知", "下坂部", "神崎町"),
            ("杭瀬小", "長洲小", "金楽寺小", "下坂部小", "小田北小")),
    "osho": (("稲葉荘", "稲葉元町", "大島", "大庄北", "大庄中通", "大庄西町", "崇徳院", "蓬川町",
              "浜田町", "元浜町", "中浜町", "道意町", "武庫川町", "扇町"),
             ("大庄小", "浜小", "成徳小", "大島小", "明倫小")),
    "tachibana": (("立花町", "七松町", "水堂町", "尾浜町", "栗山町", "三反田町", "塚口本町"),
                  ("立花小", "七松小", "水堂小", "尾浜小", "立花南小")),
    "muko": (("武庫之荘", "武庫元町", "常松", "常吉", "時友", "友行"),
             ("武庫小", "武庫東小", "武庫庄小", "武庫南小", "常陽小")),
    "sonoda": (("田能", "食満", "椎堂", "猪名寺", "上坂部", "戸ノ内町", "東塚口町", "善法寺町"),
               ("園田小", "園田東小", "園田南小", "上坂部小", "園和小")),
}  # fmt: skip
DISTRICT_NAMES = {
    "chuo": "中央", "oda": "小田", "osho": "大庄", "tachibana": "立花", "muko": "武庫",
    "sonoda": "園田",
}  # fmt: skip
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
# contact kind -> (place, narratives that describe that kind of contact)
CONTACTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "visit": (("自宅",), (
        "自宅を訪問。本人と玄関先で面会。表情は穏やかで、最近の生活について話を聞いた。",
        "自宅を訪問したが本人不在。メモを残し、後日改めて訪問する。",
        "自宅を訪問。室内に物が多く、片付けの支援について提案した。",
    )),
    "phone": (("電話",), (
        "電話で近況を確認。食事は一日二回とれているとのこと。次回訪問の約束をした。",
        "本人から電話。家賃の督促状が届いたとのことで、来所を勧めた。",
    )),
    "office": (("保健福祉センター", "地域振興センター"), (
        "来所相談。家賃の支払いについて相談があり、住宅課と連携することを確認した。",
        "来所相談。介護保険の申請書類を一緒に確認した。",
    )),
    "outreach": (("つどい場", "公民館", "こども食堂"), (
        "つどい場で本人と会い、最近の様子を聞いた。次回も顔を出すとのこと。",
        "こども食堂の運営者から情報提供。子どもが夕食をとれていない様子があるとのこと。",
    )),
    "accompany": (("自宅", "病院", "市役所"), (
        "民生委員と同行訪問。本人と母親から話を聞き、片付けの段取りを相談した。",
        "ひきこもり支援員と同行。本人は部屋から出てこなかったが、母親と話ができた。",
        "本人に同行して市役所の窓口へ。国民健康保険の手続きを済ませた。",
    )),
}  # fmt: skip
PARTICIPANTS = {"accompany": ("民生委員", "ひきこもり支援員", "地域包括支援センター職員")}
RESOURCE_NAMES = ["ふれあいサロン", "いきいき百歳体操", "こども食堂", "移動販売", "つどい場",
                  "ボランティアセンター", "子育てひろば", "認知症カフェ"]  # fmt: skip
# Agencies whose staff receive referrals and sit on support meetings (with their own staff).
PARTNERS = ("houkatsu", "shakyo", "kouken", "hikikomori", "npo", "kodomo_shokudo", "iryou",
            "toshi", "kyoiku")  # fmt: skip
OUTREACH_AGENCIES = ("chiiki", "shakyo", "hikikomori")
ADDRESSEES = {"suishin": "重層的支援推進担当課長", "hwc_south": "南部保健福祉センター所長",
              "hwc_north": "北部保健福祉センター所長"}  # fmt: skip
REPLIES = (
    "受理しました。初回面談を実施し、継続して支援します。",
    "本人と面談し、サービスの利用につながりました。対応を完了します。",
    "担当者を決めて対応中です。来月の支援会議で経過を報告します。",
)
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


def landline(rnd: random.Random) -> str:
    """06-64XX-XXXX: Osaka's area code with the city's exchange numbers."""
    return f"06-{rnd.choice(('64', '65', '66', '63'))}{rnd.randint(0, 99):02d}-{rnd.randint(0, 9999):04d}"


def mobile(rnd: random.Random) -> str:
    return (
        f"{rnd.choice(('070', '080', '090'))}-{rnd.randint(1000, 9999)}-{rnd.randint(0, 9999):04d}"
    )


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
            counts = _Generator(conn, fake, rnd, today, progress).run(persons)
            mark_demo(conn)  # a demo profile never enrols with a server (app.sync.enroll)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return counts


@dataclass
class _Staff:
    id: str
    name: str
    role: str
    agency: str  # agency code
    district: str | None = None  # district code (coordinators)


@dataclass
class _Meeting:
    id: str
    kind: str
    held_on: dt.date
    district: str
    members: list[tuple[_Staff, dt.date]]  # (member, pledge date)


class _Generator:
    def __init__(
        self, conn: Any, fake: Faker, rnd: random.Random, today: dt.date,
        progress: Callable[[str, int], None] | None,
    ) -> None:  # fmt: skip
        self.conn, self.fake, self.rnd, self.today, self.progress = conn, fake, rnd, today, progress
        self.bulk = _Bulk(conn)
        self.made = dict.fromkeys(
            ("persons", "households", "cases", "contacts", "referrals", "meetings"), 0
        )
        self.receipts: dict[str, int] = {}  # YYYYMM -> last number
        self.person_docs: list[tuple[str, list[str | None]]] = []
        self.case_docs: list[tuple[str, list[str | None]]] = []
        self.staff: list[_Staff] = []
        self.meetings: dict[str, list[_Meeting]] = {}  # district -> support meetings by date

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
            self._add_staff("outreach", OUTREACH_AGENCIES[i % len(OUTREACH_AGENCIES)])
        for code in PARTNERS:  # the receiving agencies' workers
            self._add_staff("outreach", code)
        self.conn.executemany(
            "UPDATE agency SET addressee = ? WHERE id = ?",
            [(name, agency_id(code)) for code, name in ADDRESSEES.items()],
        )
        partners = [s for s in self.staff if s.agency in PARTNERS]
        for code in TOWNS:
            chair = next(s for s in self.staff if s.district == code)
            centre = chair.agency
            for month in range(24, -1, -2):  # a 支援会議 every other month, two years back
                held = self.today - dt.timedelta(days=month * 30 + self.rnd.randint(0, 9))
                members = [chair, *self.rnd.sample(partners, 4)]
                m = self._meeting("shien_kaigi", held, code, chair, centre, members,
                                  f"{DISTRICT_NAMES[code]}地区支援会議")  # fmt: skip
                self.meetings.setdefault(code, []).append(m)
            for kind, title in (("jusoteki", "重層的支援会議"), ("shinchoku", "進捗会議")):
                held = self.today - dt.timedelta(days=self.rnd.randint(20, 120))
                self._meeting(kind, held, code, chair, "suishin",
                              [chair, *self.rnd.sample(partners, 3)],
                              f"{DISTRICT_NAMES[code]}地区{title}")  # fmt: skip

    def _meeting(
        self, kind: str, held: dt.date, district: str, chair: _Staff, organiser: str,
        members: list[_Staff], title: str,
    ) -> _Meeting:  # fmt: skip
        mid = self.bulk.add(
            "support_meeting", kind=kind, held_on=held,
            place=f"{'南部' if organiser == 'hwc_south' else '北部'}保健福祉センター会議室",
            district_id=district_id(district), chair_staff_id=chair.id, title=title,
            decisions="各機関の役割分担を確認し、次回の会議で経過を報告する。",
            organiser_agency_id=agency_id(organiser),
        )  # fmt: skip
        self.made["meetings"] += 1
        signed: list[tuple[_Staff, dt.date]] = []
        for s in members:  # pledges signed on or before the meeting's day
            day = held - dt.timedelta(days=self.rnd.randint(0, 14))
            self.bulk.add("meeting_attendee", meeting_id=mid, staff_id=s.id,
                          agency_id=agency_id(s.agency), name=s.name, pledge_signed=1,
                          pledge_date=day)  # fmt: skip
            signed.append((s, day))
        return _Meeting(mid, kind, held, district, signed)

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
        n_res = max(12, n_persons // 500)
        res_docs = self._resources(n_res)
        while self.made["persons"] < n_persons:
            self._household(min(self.rnd.choice([1, 1, 2, 2, 2, 3, 3, 4]),
                                n_persons - self.made["persons"]))  # fmt: skip
        self.bulk.flush()
        search.bulk_index(self.conn, "person", self.person_docs)
        search.bulk_index(self.conn, "case", self.case_docs)
        search.bulk_index(self.conn, "resource", res_docs)
        m = self.made
        return DemoCounts(
            persons=m["persons"], households=m["households"], cases=m["cases"],
            contacts=m["contacts"], referrals=m["referrals"], meetings=m["meetings"],
            resources=n_res, staff=len(self.staff),
        )  # fmt: skip

    def _household(self, size: int) -> None:
        rnd, fake, today = self.rnd, self.fake, self.today
        last, last_kana, _ = fake.last_name_pair()
        code = rnd.choice(list(TOWNS))
        towns, schools = TOWNS[code]
        town = rnd.choice(towns)
        addr = f"尼崎市{town}{rnd.randint(1, 9)}丁目{rnd.randint(1, 30)}番{rnd.randint(1, 20)}号"
        school = schools[towns.index(town) % len(schools)]
        home = landline(rnd) if rnd.random() < 0.6 else None
        # The head first; relationships are to the head (世帯主).
        shape = rnd.choice(["8050", "single", "couple", "single_parent", "three_gen"])
        head_age = rnd.randint(75, 90) if shape == "8050" else rnd.randint(30, 88)
        rels = {
            "8050": ["head", "child", "child", "grandchild"],
            "single": ["head", "sibling", "relative", "relative"],
            "couple": ["head", "spouse", "child", "child"],
            "single_parent": ["head", "child", "child", "parent"],
            "three_gen": ["head", "spouse", "child", "grandchild"],
        }[shape]
        situation = {"8050": "高齢の親と無職の子の世帯（8050）", "single": "単身世帯",
                     "couple": "夫婦と子の世帯", "single_parent": "ひとり親世帯",
                     "three_gen": "三世代同居"}[shape]  # fmt: skip
        hid = self.bulk.add("household", name=f"{last}さん世帯", address=addr,
                            district_id=district_id(code), situation=situation)  # fmt: skip
        self.made["households"] += 1
        members: list[tuple[str, str, str]] = []
        member_text: list[str | None] = []
        for k in range(size):
            rel = rels[k]
            female = rnd.random() < 0.55
            pick = fake.first_name_female_pair if female else fake.first_name_male_pair
            first, first_kana, _ = pick()
            while any(f"{last} {first}" == m[1] for m in members):  # no two alike in a home
                first, first_kana, _ = pick()
            age = {"head": head_age, "spouse": head_age + rnd.randint(-5, 5),
                   "child": max(0, head_age - rnd.randint(25, 35)),
                   "grandchild": max(0, head_age - rnd.randint(50, 60)),
                   "parent": head_age + rnd.randint(22, 30)}.get(rel, head_age - 5)  # fmt: skip
            birth = today - dt.timedelta(days=max(age, 0) * 365 + rnd.randint(0, 364))
            name, kana = f"{last} {first}", f"{last_kana} {first_kana}"
            phone = mobile(rnd) if 15 < age < 80 and rnd.random() < 0.8 else home
            notes = rnd.choice([None, None, "耳が遠い", "日中は不在がち", "犬を多頭飼育"])
            pid = self.bulk.add(
                "person", name=name, kana=kana, birth_date=birth,
                sex="female" if female else "male", address=addr, phone=phone,
                district_id=district_id(code), school_zone=school, notes=notes,
            )  # fmt: skip
            self.person_docs.append((pid, [name, kana, phone, addr, notes]))
            member_text.extend([name, kana, phone, addr, notes])
            self.bulk.add("household_member", household_id=hid, person_id=pid, relationship=rel,
                          is_head=1 if k == 0 else 0, lives_together=1)  # fmt: skip
            members.append((pid, name, rel))
            self.made["persons"] += 1
        self.bulk.add("life_event", household_id=hid, person_id=members[0][0],
                      event_date=today - dt.timedelta(days=rnd.randint(30, 3000)),
                      kind=rnd.choice(["moving", "illness", "work", "care"]),
                      description=rnd.choice(["転居してきた", "入院", "離職", "介護が始まった"]))  # fmt: skip
        # One case per person, as in the benchmark shape (cases ~= persons).
        for pid, _name, _rel in members:
            self._case(hid, pid, code, member_text)
        if self.progress and self.made["persons"] % 5000 < size:
            self.progress("persons", self.made["persons"])

    def _case(self, hid: str, pid: str, code: str, member_text: list[str | None]) -> None:
        rnd, today, bulk = self.rnd, self.today, self.bulk
        self.made["cases"] += 1
        n = self.made["cases"]
        # The first ten cases each get a referral, so even a small demo shows every variant.
        variant = (n - 1) % 10 if n <= 10 or rnd.random() < 0.05 else None
        cats = rnd.sample(list(ISSUE_CATEGORY)[:-1], rnd.randint(1, 3))
        if variant == 3:
            cats = ["dv_abuse", *[c for c in cats if c != "dv_abuse"]][:3]
        outreach = [s for s in self.staff if s.role == "outreach" and s.agency in OUTREACH_AGENCIES]
        worker = rnd.choice(outreach)
        opened = today - dt.timedelta(days=rnd.randint(30, 700))
        status = rnd.choices(["received", "assessment", "supporting", "watching", "closed"],
                             [10, 15, 45, 20, 10])[0]  # fmt: skip
        consent = rnd.choices(["given", "refused", "pending"], [70, 10, 20])[0]
        if variant is not None:
            status = "closed" if variant == 5 else ("supporting" if status == "closed" else status)
            consent = "refused" if variant in (2, 6, 8) else "given"
        to_code = rnd.choice(PARTNERS)
        consented = sorted({to_code, rnd.choice(PARTNERS)}) if consent == "given" else []
        number = f"{opened.year}-{n:06d}"
        title = "、".join(ISSUE_TITLES[c] for c in cats)
        closed_on = today - dt.timedelta(days=rnd.randint(0, 20)) if status == "closed" else None
        cid = bulk.add(
            "case", case_number=number, title=title, household_id=hid, person_id=pid,
            district_id=district_id(code), issue_categories=cats, status=status,
            lead_agency_id=agency_id(worker.agency), assigned_staff_id=worker.id,
            urgency=rnd.choices(["high", "medium", "low"], [15, 60, 25])[0],
            consent_status=consent, consent_agency_ids=[agency_id(a) for a in consented],
            consent_date=opened if consent == "given" else None, opened_on=opened,
            closed_on=closed_on, notes=None,
        )  # fmt: skip
        self.case_docs.append((cid, [number, title, None, *member_text]))
        bulk.add("case_team_member", case_id=cid, staff_id=worker.id,
                 agency_id=agency_id(worker.agency), role="主担当")  # fmt: skip
        self._contacts(cid, pid, worker, opened)
        meeting = None
        if consent != "given" and (variant is not None or rnd.random() < 0.1):
            meeting = self._discuss(cid, code, opened)
        if variant is not None:
            self._referral(cid, pid, worker, opened, cats, consent, consented, to_code,
                           meeting, variant)  # fmt: skip

    def _contacts(self, cid: str, pid: str, worker: _Staff, opened: dt.date) -> None:
        rnd, today = self.rnd, self.today
        for j in range(rnd.choice([1, 2, 3, 3, 4, 5])):
            at = dt.datetime.combine(opened, dt.time(9)) + dt.timedelta(
                days=j * rnd.randint(3, 30), minutes=rnd.randint(0, 480)
            )
            at = min(at, dt.datetime.combine(today, dt.time(17)))
            kind = rnd.choice(["visit", "visit", "phone", "office", "outreach", "accompany"])
            places, texts = CONTACTS[kind]
            nxt = (at + dt.timedelta(days=rnd.randint(1, 21))).date()
            if rnd.random() < 0.02:
                nxt = today
            self.bulk.add(
                "contact_record", case_id=cid, person_id=pid, staff_id=worker.id, contact_at=at,
                kind=kind, place=rnd.choice(places),
                participants=rnd.choice(PARTICIPANTS[kind]) if kind in PARTICIPANTS else None,
                narrative=rnd.choice(texts),
                next_action=rnd.choice(["再訪問", "電話で確認", "関係機関と調整", None]),
                next_action_date=nxt, corrects_id=None,
            )  # fmt: skip
            self.made["contacts"] += 1

    def _discuss(self, cid: str, code: str, opened: dt.date) -> _Meeting:
        """The case on the agenda of its district's first 支援会議 after it was opened."""
        meetings = self.meetings[code]
        m = next((x for x in meetings if x.held_on >= opened), meetings[-1])
        self.bulk.add("meeting_case", meeting_id=m.id, case_id=cid)
        member, _ = self.rnd.choice(m.members[1:])
        self.bulk.add(
            "role_assignment", meeting_id=m.id, case_id=cid, staff_id=member.id,
            agency_id=agency_id(member.agency), task=self.rnd.choice(
                ["家計の状況を確認する", "本人との面談を設定する", "関係機関との連絡調整",
                 "介護保険の申請を支援する"]),
            due_date=m.held_on + dt.timedelta(days=self.rnd.choice([14, 30, 45])),
            done=1 if m.held_on < self.today - dt.timedelta(days=60) else 0,
        )  # fmt: skip
        return m

    def _receipt(self, day: dt.date) -> str:
        key = f"{day:%Y%m}"
        self.receipts[key] = self.receipts.get(key, 0) + 1
        return f"R{key}-{self.receipts[key]:04d}"

    def _referral(
        self, cid: str, pid: str, worker: _Staff, opened: dt.date, cats: list[str], consent: str,
        consented: list[str], to_code: str, meeting: _Meeting | None, variant: int,
    ) -> None:  # fmt: skip
        """Variants by ``variant`` (0-9): 0 withheld draft (送付不可: to an agency outside the
        consent), 1 draft, 2/6/8 no consent via a 支援会議, 3 DV with 住所秘匿, 5 closed case,
        others consented and sent."""
        rnd = self.rnd
        to_staff = None
        meeting_id = None
        if consent == "given":
            basis = "consent"
            if variant == 0:
                to_code = next(p for p in PARTNERS if p not in consented)
            to_staff = next((s.name for s in self.staff if s.agency == to_code), None)
            day = opened + dt.timedelta(days=rnd.randint(3, 20))
        else:
            assert meeting is not None
            basis, meeting_id = "support_meeting", meeting.id
            member, _ = rnd.choice(meeting.members[1:])  # pledged before the meeting
            to_code, to_staff = member.agency, member.name
            day = max(meeting.held_on, opened) + dt.timedelta(days=rnd.randint(1, 10))
        day = min(day, self.today)
        if variant in (0, 1):
            status = "draft"
        else:
            status = rnd.choice(["sent", "received", "in_progress", "done"])
        replied = status in ("received", "in_progress", "done")
        self.made["referrals"] += 1
        # Who consulted, when not the person: a relative carries the household's surname and a
        # given name that fits the relationship; with no consulter there is no relationship.
        has_consulter = rnd.random() < 0.5
        relation = rnd.choice(["近隣住民", "民生委員", "長男", "妹"])
        consulter = None
        if has_consulter:
            surname = next((d[1][0] for d in reversed(self.person_docs) if d[0] == pid), "")
            surname = (surname or "").split(" ")[0]
            if relation == "長男":
                consulter = f"{surname} {self.fake.first_name_male()}"
            elif relation == "妹":
                consulter = f"{surname} {self.fake.first_name_female()}"
            else:
                consulter = self.fake.name()
        self.bulk.add(
            "referral", case_id=cid, receipt_number=self._receipt(day), referral_date=day,
            status=status, from_agency_id=agency_id(worker.agency), from_staff_id=worker.id,
            from_contact=landline(rnd), to_agency_id=agency_id(to_code), to_staff_name=to_staff,
            person_id=pid, consulter_name=consulter,
            consulter_relationship=relation if consulter else None,
            household_situation=None, issue_categories=cats, issue_other=None,
            account=rnd.choice(CONTACTS["visit"][1]), wishes="自宅で暮らし続けたい",
            services_involved=_services_involved(cats),
            reason="専門的な支援が必要なため", urgency="high" if variant == 3 else "medium",
            consent_basis=basis, consent_agency_ids=[agency_id(a) for a in consented],
            consent_signed_by=None, consent_date=opened if basis == "consent" else None,
            meeting_id=meeting_id,
            reply_date=day + dt.timedelta(days=rnd.randint(2, 10)) if replied else None,
            reply_staff_name=to_staff if replied else None,
            reply_text=rnd.choice(REPLIES) if replied else None,
            consult_route=rnd.choice(["self", "family", "neighbour", "agency", "outreach"]),
            contact_cautions=["address_secret", "no_home_call"] if variant == 3 else [],
            contact_note="加害者が所在を探している可能性あり" if variant == 3 else None,
            handover=rnd.choice(["accompany", "joint_interview", "introduce_only",
                                 "agency_contacts"]),
            first_meeting_at=dt.datetime.combine(day + dt.timedelta(days=7), dt.time(14))
            if status != "draft" else None,
            consent_agent_relationship="長男（代理人）" if variant == 7 else None,
        )  # fmt: skip


def _services_involved(cats: list[str]) -> str:
    """Services already involved that fit the case's issues (a 30-year-old with tax arrears
    is not on 介護保険)."""
    if "caregiving" in cats:
        return "介護保険（要介護1）、民生委員の見守り"
    if "hikikomori" in cats:
        return "ひきこもり支援センターに相談歴あり"
    if "childcare" in cats:
        return "保育所、こども家庭センター"
    if {"income", "debt", "rent_loans", "tax_utilities"} & set(cats):
        return "生活困窮者自立相談支援窓口に相談歴あり"
    return "民生委員の見守り"


def iter_batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
