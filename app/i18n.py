"""Tiny message catalogue for the core (errors and CLI). The Qt UI has its own translations.

Japanese first; English when the locale says so (YORISOI_LANG, LC_ALL, LC_MESSAGES, LANG).
"""

from __future__ import annotations

import locale
import os


def current_language() -> str:
    for var in ("YORISOI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            # Japanese first: only an explicit English locale switches (C/POSIX stay Japanese).
            return "en" if value.lower().startswith("en") else "ja"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:  # pragma: no cover - odd platform locale strings
        loc = ""
    return "en" if loc.lower().startswith("en") else "ja"


def pick(ja: str, en: str, lang: str | None = None) -> str:
    return en if (lang or current_language()) == "en" else ja
