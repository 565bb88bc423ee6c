"""Duplicate persons found from a name typed in romaji, on a real encrypted store."""

from __future__ import annotations

import pytest

from app.domain.records import Actor
from app.services import duplicates
from app.services.households import create_person
from app.storage.db import Store


@pytest.mark.parametrize(
    ("romaji", "kana"),
    [
        ("Yamada Taro", "やまだたろ"),
        ("YAMADA TAROU", "やまだたろう"),
        ("yamada taroo", "やまだたろお"),
        ("Satoh Yuuko", "さとうゆうこ"),
        ("Tuzi Sinzi", "つじしんじ"),  # kunrei
        ("Tsuji Shinji", "つじしんじ"),  # Hepburn
        ("Homma Shun'ichi", "ほんましゅんいち"),
        ("Hattori Kyōko", "はっとりきょうこ"),
    ],
)
def test_romaji_to_kana(romaji: str, kana: str) -> None:
    assert duplicates.romaji_to_kana(romaji) == kana


def test_not_romaji_gives_nothing() -> None:
    assert duplicates.romaji_to_kana("山田 太郎") == ""
    assert duplicates.romaji_to_kana("Yamada 2") == ""
    assert duplicates.romaji_to_kana("xq") == ""


def test_long_vowels_fold_alike() -> None:
    forms = {duplicates.fold_long_vowels(duplicates.romaji_to_kana(r))
             for r in ("Ono", "Oono", "Ohno", "Ōno", "Ouno")}  # fmt: skip
    assert forms == {"おの"}


def test_romaji_name_finds_the_kana_record(store: Store, actor: Actor) -> None:
    with store.session() as s:
        yamada = create_person(s, actor, name="山田 太郎", kana="ヤマダ タロウ")
        oono = create_person(s, actor, name="大野 一郎", kana="オオノ イチロウ")
        create_person(s, actor, name="山田 花子", kana="ヤマダ ハナコ")
    with store.session() as s:
        plain = duplicates.find_candidates(s, name="Yamada Taro")
        upper = duplicates.find_candidates(s, name="YAMADA TAROU")
        in_kana_field = duplicates.find_candidates(s, name="ヤマダ", kana="yamada tarou")
        ohno = duplicates.find_candidates(s, name="Ohno Ichiro")
        nobody = duplicates.find_candidates(s, name="Suzuki Jiro")
    assert [c.person_id for c in plain] == [yamada]
    assert plain[0].reasons == ("romaji",) and plain[0].score == 30
    assert [c.person_id for c in upper] == [yamada]
    assert [c.person_id for c in in_kana_field] == [yamada]
    assert [c.person_id for c in ohno] == [oono]
    assert nobody == []


def test_zu_and_ji_read_alike() -> None:
    assert duplicates.fold_long_vowels("ちぢみ") == duplicates.fold_long_vowels("ちじみ")
    assert duplicates.fold_long_vowels(duplicates.romaji_to_kana("Kozuka")) == "こずか"
    assert duplicates.fold_long_vowels("こづか") == "こずか"
