"""Japanese-aware search: NFKC, hiragana = katakana, widths, spaces ignored, partial matches."""

from __future__ import annotations

import pytest

from app.domain.records import CaseFilter
from app.services import cases, households
from app.storage.search import normalize, search_refs


@pytest.fixture
def people(store, actor):
    with store.session() as s:
        yamada = households.create_person(
            s, actor, name="山田 花子", kana="ヤマダ ハナコ", phone="090-1234-5678",
            address="武庫之荘1丁目2-3", notes="犬を多頭飼育している",
        )  # fmt: skip
        other = households.create_person(s, actor, name="佐藤 一郎", kana="サトウ イチロウ",
                                         phone="06-6489-0000")  # fmt: skip
    return yamada, other


@pytest.mark.parametrize(
    "query",
    ["やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "山田", "山田花子", "山田　花子", "ﾔﾏﾀﾞ ﾊﾅｺ", "はなこ", "090-1234",
     "09012345678", "０９０１２３４", "多頭飼育", "武庫之荘", "1丁目2", "山"],
)  # fmt: skip
def test_finds_the_same_person(store, people, query):
    yamada, other = people
    with store.session() as s:
        hits = search_refs(s, "person", query)
    assert yamada in hits
    assert other not in hits


@pytest.mark.parametrize("query", ["やまぐち", "田中", "080", "ハナコX"])
def test_no_false_matches(store, people, query):
    with store.session() as s:
        assert search_refs(s, "person", query) == []


def test_normalize():
    assert normalize("ﾔﾏﾀﾞ　ﾊﾅｺ") == normalize("やまだ はなこ") == "やまだはなこ"
    assert normalize("０９０－１２３４") == "0901234"
    assert normalize("ＡＢＣ") == "abc"


def test_edits_update_the_index(store, actor, people):
    yamada, _ = people
    with store.session() as s:
        households.update_person(s, actor, yamada, name="川田 花子", kana="カワダ ハナコ")
    with store.session() as s:
        assert search_refs(s, "person", "やまだ") == []
        assert search_refs(s, "person", "かわだ") == [yamada]


def test_case_search_through_household_members(store, actor, people):
    yamada, other = people
    with store.session() as s:
        hid = households.create_household(s, actor, name="山田さん世帯")
        households.add_member(s, actor, household_id=hid, person_id=yamada, relationship="本人")
        cid = cases.create_case(s, actor, title="家賃滞納", household_id=hid)
        cid2 = cases.create_case(s, actor, title="就労相談", person_id=other)
    with store.session() as s:
        assert cases.case_ids(s, CaseFilter(text="ヤマダ")) == [cid]
        assert cases.case_ids(s, CaseFilter(text="しゅうろう")) == []  # titles are kanji
        assert cases.case_ids(s, CaseFilter(text="就労")) == [cid2]


@pytest.fixture
def shimizu(store, actor):
    with store.session() as s:
        ids = [
            households.create_person(s, actor, name=f"清水 陽一{suffix}", kana="シミズ ヨウイチ")
            for suffix in ("", "郎", "朗")
        ]
        households.create_person(s, actor, name="清水 花子", kana="シミズ ハナコ")
        households.create_person(s, actor, name="山田 陽一", kana="ヤマダ ヨウイチ")
    return ids


@pytest.mark.parametrize(
    "query",
    ["清水 陽一", "陽一 清水", "陽一　清水", "ヨウイチ しみず", "よういち 清水", "清水陽一",
     "陽一 清水 清水", "清 陽一", "陽一 ｼﾐｽﾞ"],
)  # fmt: skip
def test_multi_word_search_is_order_independent(store, shimizu, query):
    """Every term must match, in any order (the reversed name found nothing)."""
    with store.session() as s:
        assert sorted(search_refs(s, "person", query)) == sorted(shimizu)


def test_multi_word_case_search_is_order_independent(store, actor, shimizu):
    with store.session() as s:
        for pid in shimizu:
            cases.create_case(s, actor, title="生活の相談", status="受付", urgency="中",
                              person_id=pid)  # fmt: skip
    with store.session() as s:
        forward = cases.case_ids(s, CaseFilter(text="清水 陽一"))
        backward = cases.case_ids(s, CaseFilter(text="陽一 清水"))
        assert len(forward) == 3 and sorted(forward) == sorted(backward)
        assert cases.case_ids(s, CaseFilter(text="陽一 佐藤")) == []
