"""Name lists sort by furigana in 五十音 order, whatever script the reading was typed in."""

from __future__ import annotations

from app.domain.records import CaseFilter
from app.services import browse, cases, households, resources
from app.services.profile import staff_choices
from app.storage.collation import kana_key
from app.storage.models import Staff

# (name, furigana as typed: katakana, hiragana, half-width, with and without spaces)
PEOPLE = [
    ("渡辺 健", "わたなべ けん"),
    ("青木 望", "ｱｵｷ ﾉｿﾞﾐ"),
    ("加藤 誠", "カトウ マコト"),
    ("学 人志", "がく ひとし"),
    ("清水 陽一", "シミズ ヨウイチ"),
    ("志水 陽一", "しみず よういち"),
    ("城 直", "ジョウ ナオ"),
    ("庄 直", "しょう なお"),
    ("木村 茜", "キムラアカネ"),
]
EXPECTED = ["青木 望", "学 人志", "加藤 誠", "木村 茜", "志水 陽一", "清水 陽一", "庄 直",
            "城 直", "渡辺 健"]  # fmt: skip


def test_kana_key_orders_by_reading_then_name():
    assert [n for n, k in sorted(PEOPLE, key=lambda p: kana_key(p[1], p[0]))] == EXPECTED
    assert kana_key(None, "名無し") > kana_key("わ", "和")  # no reading: after every reading


def test_case_list_sorts_persons_by_furigana(store, actor):
    with store.session() as s:
        for name, kana in PEOPLE:
            pid = households.create_person(s, actor, name=name, kana=kana)
            cases.create_case(s, actor, title="相談", status="受付", urgency="中", person_id=pid)
    with store.session() as s:
        ids = cases.case_ids(s, CaseFilter(sort="person", descending=False))
        names = [r.person_name for r in cases.case_rows(s, ids)]
        assert names == EXPECTED
        ids = cases.case_ids(s, CaseFilter(sort="person", descending=True))
        assert [r.person_name for r in cases.case_rows(s, ids)] == EXPECTED[::-1]
        first = cases.case_ids(s, CaseFilter(sort="person", descending=False), limit=3)
        assert [r.person_name for r in cases.case_rows(s, first)] == EXPECTED[:3]


def test_households_staff_and_resources_sort_by_furigana(store, actor):
    with store.session() as s:
        for name, kana in PEOPLE:
            hid = households.create_household(s, actor, name=f"{name.split()[0]}さん世帯")
            pid = households.create_person(s, actor, name=name, kana=kana)
            households.add_member(s, actor, household_id=hid, person_id=pid, is_head=True)
            s.add(Staff(name=name, kana=kana, role="outreach"))
            resources.create_resource(s, actor, name=f"{name}の会", kana=kana)
    expected_households = [f"{n.split()[0]}さん世帯" for n in EXPECTED]
    with store.session() as s:
        rows = browse.household_rows(s, browse.household_ids(s))
        assert [r.name for r in rows] == expected_households
        assert [n for _i, n, _a in households.list_households(s)] == expected_households
        staff = [n for _i, n in staff_choices(s) if n in dict(PEOPLE)]
        assert staff == EXPECTED
        assert [c.name for c in browse.choices(s).staff if c.name in dict(PEOPLE)] == EXPECTED
        listed = [r.name for r in resources.list_resources(s)]
        assert [n for n in listed if n.endswith("の会")] == [f"{n}の会" for n in EXPECTED]
