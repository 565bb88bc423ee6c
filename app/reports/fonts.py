"""The embedded Japanese font (IPAexGothic, IPA Font License v1.0), registered once per process."""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.storage.paths import resources_dir

FONT = "IPAexGothic"
FONT_FILE = "ipaexg.ttf"

_lock = threading.Lock()


def register_fonts() -> str:
    """Register the TTF (embedded as a subset in every PDF). Idempotent and thread-safe."""
    with _lock:
        if FONT not in pdfmetrics.getRegisteredFontNames():
            path = resources_dir() / "fonts" / FONT_FILE
            pdfmetrics.registerFont(TTFont(FONT, str(path)))
    return FONT
