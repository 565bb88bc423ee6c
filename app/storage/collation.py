"""Sorting names by their reading (furigana) in 五十音 order.

``kana_key(kana, name)`` is the sort key, registered as the SQL function ``kana_key`` on every
connection (app.storage.db.connect), so lists sort in SQL: ``ORDER BY kana_key(kana, name)``.

The reading is normalised like search text (NFKC, so half-width ｶﾀｶﾅ is full width; katakana
as hiragana; spaces and punctuation dropped), then compared first without voicing marks and
small kana (が = か, ぱ = は, ゃ = や: the dictionary order of 五十音) and then as written, so
がくと < かとう < きむら, and しょう < じょう when the rest is equal. Ties go by the name. A name
without a reading sorts after every name with one, by its characters.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, func

from app.storage.search import normalize

_SMALL = "ぁぃぅぇぉっゃゅょゎゕゖ"
_LARGE = "あいうえおつやゆよわかけ"
_SEION = str.maketrans(_SMALL + "ゔ", _LARGE + "う")


@lru_cache(maxsize=65536)
def _seion(reading: str) -> str:
    """The reading without voicing marks (゛゜) and with small kana made large."""
    decomposed = unicodedata.normalize("NFD", reading)
    bare = "".join(ch for ch in decomposed if ch not in "\u3099\u309a")
    return unicodedata.normalize("NFC", bare).translate(_SEION)


def kana_key(kana: str | None, name: str | None) -> str:
    """Sort key: by reading in 五十音 order, then the name. See the module docstring."""
    reading = normalize(kana)
    written = normalize(name) or (name or "")
    if reading:
        return f"0{_seion(reading)}\x01{reading}\x01{written}"
    return f"1{written}"


def clear_caches() -> None:
    """Forget memoised readings (personal data): called when the store locks."""
    _seion.cache_clear()


def reading_order(kana: Any, name: Any) -> ColumnElement[str]:
    """``ORDER BY`` term for a table's reading and name columns."""
    return func.kana_key(kana, name)
