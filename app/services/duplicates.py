"""Duplicate persons: likely matches before a new person or case is saved, and merging two
person records (a coordinator's work, DOMAIN.md "Who writes what").

Comparison is on normalised text: NFKC (full-width letters and digits, half-width kana),
katakana folded to hiragana, spaces removed, common variant kanji folded (髙→高, 﨑→崎 ...);
phone numbers by their digits. A name in romaji ("Yamada Taro", "SATOH YUUKO") is turned into
hiragana and compared with the recorded kana, long vowels folded (ou/oo/oh/ō/o alike). A candidate shares the name or the kana, or the phone, or the
address with the new person; a shared birth date adds evidence but alone is not enough (many
people share one). Merging moves every reference (cases, household memberships, life events,
contact records, referrals) to the kept record; the other record is kept, marked with
``merged_into_id`` (never deleted). It is all ordinary edits, so the merge syncs.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.records import Actor
from app.services import audit
from app.storage.models import Case, Person

# Variant kanji folded to the common form for comparison (names are stored as typed).
_VARIANTS = str.maketrans(
    {"髙": "高", "﨑": "崎", "嵜": "崎", "𠮷": "吉", "邊": "辺", "邉": "辺", "濵": "浜",
     "濱": "浜", "德": "徳", "齋": "斎", "齊": "斉", "櫻": "桜", "澤": "沢", "廣": "広",
     "國": "国", "眞": "真", "冨": "富", "實": "実", "惠": "恵"}
)  # fmt: skip
_SPACES = re.compile(r"[\s\u3000・･.,，、]+")
_DASHES = re.compile(r"[‐‑‒–—―ー−－]")
_KATAKANA = {cp: cp - 0x60 for cp in range(0x30A1, 0x30F7)}

# Evidence weights (a score is their sum, at most 100).
WEIGHTS = {"name": 40, "kana": 30, "romaji": 30, "phone": 30, "address": 20, "birth_date": 20}
REASONS = {
    "name": ("氏名が同じ", "same name"),
    "kana": ("ふりがなが同じ", "same kana"),
    "romaji": ("ローマ字の読みが同じ", "same reading in romaji"),
    "phone": ("電話番号が同じ", "same phone"),
    "address": ("住所が同じ", "same address"),
    "birth_date": ("生年月日が同じ", "same birth date"),
}
_ALONE_NOT_ENOUGH = frozenset({"birth_date"})


def norm_text(value: str | None) -> str:
    if not value:
        return ""
    s = unicodedata.normalize("NFKC", value).translate(_VARIANTS).translate(_KATAKANA)
    return _SPACES.sub("", s).lower()


def norm_address(value: str | None) -> str:
    s = norm_text(value)
    s = _DASHES.sub("-", s)
    return s.replace("丁目", "-").replace("番地", "-").replace("番", "-").replace("号", "")


def norm_phone(value: str | None) -> str:
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", value or ""))
    return digits if len(digits) >= 6 else ""


# --- romaji: a name typed in Latin letters is compared by its reading -----------------------
# Romaji -> hiragana is a small table (Hepburn and kunrei spellings both listed); the other
# direction, which needs a dictionary, is never needed. Long vowels are written many ways
# (Tarou, Taroo, Taro, Tarō, Ohno), so readings are compared with them folded away.
_ROMAJI: dict[str, str] = {}
for _row, _kana in {
    "": "あいうえお",
    "k": "かきくけこ",
    "s": "さしすせそ",
    "t": "たちつてと",
    "n": "なにぬねの",
    "h": "はひふへほ",
    "m": "まみむめも",
    "r": "らりるれろ",
    "g": "がぎぐげご",
    "z": "ざじずぜぞ",
    "d": "だぢづでど",
    "b": "ばびぶべぼ",
    "p": "ぱぴぷぺぽ",
    "l": "らりるれろ",
}.items():
    for _v, _k in zip("aiueo", _kana, strict=True):
        _ROMAJI[_row + _v] = _k
for _row, _i in {"k": "き", "s": "し", "t": "ち", "n": "に", "h": "ひ", "m": "み", "r": "り",
                 "g": "ぎ", "z": "じ", "j": "じ", "b": "び", "p": "ぴ", "sh": "し", "ch": "ち",
                 "d": "ぢ"}.items():  # fmt: skip
    for _v, _small in (("a", "ゃ"), ("u", "ゅ"), ("o", "ょ")):
        _ROMAJI[_row + "y" + _v] = _i + _small
        if _row in ("sh", "ch", "j"):
            _ROMAJI[_row + _v] = _i + _small
_ROMAJI.update({
    "ya": "や", "yu": "ゆ", "yo": "よ", "wa": "わ", "wo": "を", "shi": "し", "chi": "ち",
    "tsu": "つ", "fu": "ふ", "ji": "じ", "je": "じぇ", "she": "しぇ", "che": "ちぇ", "fa": "ふぁ",
    "fi": "ふぃ", "fe": "ふぇ", "fo": "ふぉ", "vu": "ゔ", "n'": "ん",
})  # fmt: skip
_MACRONS = str.maketrans({"ā": "aa", "ī": "ii", "ū": "uu", "ē": "ee", "ō": "ou", "â": "aa",
                          "î": "ii", "û": "uu", "ê": "ee", "ô": "ou"})  # fmt: skip
_ROMAJI_ONLY = re.compile(r"[a-z' \-]+")
_ZU_JI = str.maketrans("づぢ", "ずじ")  # romaji writes both as zu/ji
_O_ROW = set("おこそとのほもよろごぞどぼぽょを")
_U_ROW = set("うくすつぬふむゆるぐずづぶぷゅ")


def romaji_to_kana(value: str | None) -> str:
    """Hiragana for a name in romaji ("Yamada Taro" -> やまだたろ), "" when it is not romaji."""
    s = unicodedata.normalize("NFKC", value or "").lower().translate(_MACRONS).strip()
    if not s or not _ROMAJI_ONLY.fullmatch(s):
        return ""
    out: list[str] = []
    for word in re.split(r"[ \-]+", s):
        i = 0
        while i < len(word):
            c = word[i]
            nxt = word[i + 1] if i + 1 < len(word) else ""
            if c == "n" and (not nxt or nxt not in "aiueoy'"):
                out.append("ん")  # n before a consonant or at the end of a word
                i += 1
                continue
            if c == "m" and nxt in "bpm" and nxt:
                out.append("ん")  # Hepburn "Homma", "Namba"
                i += 1
                continue
            if c == "h" and out and out[-1][-1] in _O_ROW and (not nxt or nxt not in "aiueoy"):
                out.append("う")  # passport "Ohno", "Satoh": a long o
                i += 1
                continue
            if c == nxt and c not in "aiueon'":
                out.append("っ")  # doubled consonant
                i += 1
                continue
            if c == "t" and nxt == "c":
                out.append("っ")  # "Hatchi"
                i += 1
                continue
            for size in (3, 2, 1):
                kana = _ROMAJI.get(word[i : i + size])
                if kana:
                    out.append(kana)
                    i += size
                    break
            else:
                return ""  # not a romaji syllable: leave it to the other comparisons
    return "".join(out)


def fold_long_vowels(kana: str) -> str:
    """Drop the vowel that only lengthens the one before it (たろう, たろお -> たろ; ゆう -> ゆ);
    づ/ぢ read as ず/じ, as romaji cannot tell them apart."""
    out: list[str] = []
    for ch in kana.translate(_ZU_JI):
        if out and ch in "うお" and out[-1] in _O_ROW:
            continue
        if out and ch == "う" and out[-1] in _U_ROW:
            continue
        out.append(ch)
    return "".join(out)


def _reading(value: str | None) -> str:
    """A recorded kana (or kana-only name) as a folded reading, for comparison with romaji."""
    return fold_long_vowels(norm_text(value).replace("ー", ""))


def _romaji_reading(name: str | None, kana: str | None) -> str:
    for value in (name, kana):
        reading = romaji_to_kana(value)
        if reading:
            return fold_long_vowels(reading)
    return ""


def _romaji_queries(reading: str) -> list[str]:
    """Index queries for a folded reading: as it is (a substring of たろう too) and cut after
    each long-vowel place into terms that are ANDed, so おおの is found from "Ono" (お, の)."""
    if not reading:
        return []
    parts, cur = [], ""
    for ch in reading:
        cur += ch
        if ch in _O_ROW or ch in _U_ROW:
            parts.append(cur)
            cur = ""
    if cur:
        parts.append(cur)
    out = [reading]
    if len(parts) > 1:
        out.append(" ".join(parts))
    return out


@dataclass(frozen=True)
class Candidate:
    person_id: str
    name: str
    kana: str | None
    birth_date: dt.date | None
    phone: str | None
    address: str | None
    score: int
    reasons: tuple[str, ...]  # keys of REASONS
    case_numbers: tuple[str, ...]


def _evidence(new: dict[str, Any], p: Any) -> list[str]:
    found = []
    if new["name"] and new["name"] == norm_text(p.name):
        found.append("name")
    if new["kana"] and new["kana"] == norm_text(p.kana):
        found.append("kana")
    if new["romaji"] and new["romaji"] in (_reading(p.kana), _reading(p.name)):
        found.append("romaji")
    if new["phone"] and new["phone"] == norm_phone(p.phone):
        found.append("phone")
    if new["address"] and new["address"] == norm_address(p.address):
        found.append("address")
    if new["birth_date"] and new["birth_date"] == p.birth_date:
        found.append("birth_date")
    return found


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def find_candidates(
    session: Session,
    *,
    name: str | None = None,
    kana: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    birth_date: Any = None,
    exclude: str | None = None,
    limit: int = 20,
) -> list[Candidate]:
    """Persons this laptop holds that are likely the same person, best first."""
    romaji = _romaji_reading(name, kana)
    new = {
        "name": norm_text(name), "kana": norm_text(kana), "phone": norm_phone(phone),
        "address": norm_address(address), "birth_date": _as_date(birth_date),
        "romaji": romaji,
    }  # fmt: skip
    if not any(new.values()):
        return []
    stmt = select(
        Person.id, Person.name, Person.kana, Person.birth_date, Person.phone, Person.address
    ).where(Person.deleted.is_(False), Person.merged_into_id.is_(None))
    maybe = _indexed_candidates(
        session, name=name, kana=kana, phone=phone, address=address, romaji=romaji
    )
    if maybe is not None:
        if not maybe:
            return []
        stmt = stmt.where(Person.id.in_(sorted(maybe)))
    rows = session.execute(stmt).all()
    found: list[tuple[int, Any, list[str]]] = []
    for p in rows:
        if p.id == exclude:
            continue
        ev = _evidence(new, p)
        if not ev or set(ev) <= _ALONE_NOT_ENOUGH:
            continue
        found.append((min(100, sum(WEIGHTS[e] for e in ev)), p, ev))
    found.sort(key=lambda f: (-f[0], f[1].name))
    found = found[:limit]
    numbers: dict[str, list[str]] = {}
    ids = [f[1].id for f in found]
    if ids:
        for pid, num in session.execute(
            select(Case.person_id, Case.case_number).where(
                Case.person_id.in_(ids), Case.deleted.is_(False)
            )
        ):
            if pid:
                numbers.setdefault(pid, []).append(num)
    return [
        Candidate(person_id=p.id, name=p.name, kana=p.kana, birth_date=p.birth_date,
                  phone=p.phone, address=p.address, score=score, reasons=tuple(ev),
                  case_numbers=tuple(sorted(numbers.get(p.id, ()))))
        for score, p, ev in found
    ]  # fmt: skip


# The common form -> the variants folded into it, to ask the search index for each spelling.
_UNFOLD: dict[str, list[str]] = {}
for _variant, _common in {chr(k): v for k, v in _VARIANTS.items()}.items():
    _UNFOLD.setdefault(str(_common), []).append(_variant)
_MAX_SPELLINGS = 8
_PER_QUERY = 200
_CHOME = re.compile(r"(\d+)-(\d+)(?:-(\d+))?")


def _spellings(name: str) -> list[str]:
    """The name as typed, folded, and with each folded kanji in its variant forms (a few)."""
    folded = unicodedata.normalize("NFKC", name).translate(_VARIANTS)
    options = [[ch, *_UNFOLD.get(ch, ())] for ch in folded]
    out = {name, folded}
    for combo in itertools.islice(itertools.product(*options), _MAX_SPELLINGS):
        out.add("".join(combo))
    return sorted(out)


def _address_forms(address: str) -> list[str]:
    """As typed, as 1丁目2番3号 and as bare digits: the index keeps letters and digits only,
    so 1-2-3 and 1丁目2番3号 must each be asked for."""
    s = _DASHES.sub("-", unicodedata.normalize("NFKC", address))
    chome = _CHOME.sub(lambda m: f"{m[1]}丁目{m[2]}番" + (f"{m[3]}号" if m[3] else ""), s)
    bare = re.sub(r"丁目|番地|番|号", "-", s)
    return sorted({address, chome, bare})


def _indexed_candidates(
    session: Session, *, name: str | None, kana: str | None, phone: str | None,
    address: str | None, romaji: str = "",
) -> set[str] | None:  # fmt: skip
    """Person ids that may match, from the search index (None: the index cannot answer, e.g.
    during a first sync; the caller then compares every person). Each query is a substring
    search over the person's name, kana, phone, address and notes, so it finds more than the
    evidence; ``_evidence`` then decides."""
    from app.storage.search import index_pending, search_refs

    if index_pending(session):
        return None
    queries: list[str] = []
    if name and name.strip():
        queries += _spellings(name.strip())
    if kana and kana.strip():
        queries.append(kana.strip())
    if norm_phone(phone):
        queries.append(norm_phone(phone))
    if address and address.strip():
        queries += _address_forms(address.strip())
    queries += _romaji_queries(romaji)
    found: set[str] = set()
    for q in queries:
        found.update(search_refs(session, "person", q, limit=_PER_QUERY))
    return found


@dataclass(frozen=True)
class MergeResult:
    kept_id: str
    merged_id: str
    moved: dict[str, int]  # table -> rows pointed at the kept record
    filled: tuple[str, ...]  # fields of the kept record filled from the other


_FILLABLE = ("kana", "birth_date", "sex", "address", "phone", "district_id", "school_zone")


def merge_persons(session: Session, actor: Actor, keep_id: str, other_id: str) -> MergeResult:
    """Merge ``other_id`` into ``keep_id`` in the caller's transaction; what it moves is
    recorded on the merged record, so a coordinator can undo it exactly
    (app/services/merges.py ``unmerge_person``)."""
    from app.services import merges

    merges.require_coordinator(actor)
    keep, other = merges.pair(session, Person, "person", keep_id, other_id)
    filled = []
    for f in _FILLABLE:
        if getattr(keep, f) in (None, "") and getattr(other, f) not in (None, ""):
            setattr(keep, f, getattr(other, f))
            filled.append(f)
    if other.notes:
        keep.notes = (keep.notes + "\n" if keep.notes else "") + other.notes
        filled.append("notes")
    moved = merges.move_person_references(session, other_id, keep_id)
    other.merged_into_id = keep_id
    other.merge_record = merges.encode_record(
        {"into": keep_id, "by": actor.staff_id, "on": dt.date.today().isoformat(),
         "moved": moved, "filled": filled}
    )  # fmt: skip
    audit.record(session, actor, "update", "person", keep_id, f"merged {other_id} into this")
    audit.record(session, actor, "update", "person", other_id, f"merged into {keep_id}")
    counts = {
        k: 0 for k in ("case", "contact_record", "referral", "life_event", "household_member")
    }
    counts.update(merges.counts(moved))
    return MergeResult(kept_id=keep_id, merged_id=other_id, moved=counts, filled=tuple(filled))
