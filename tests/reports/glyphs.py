"""Which glyph each character of a PDF is drawn with, read back from the PDF itself: the
ToUnicode map of every embedded subset font (code -> character) and the subset's own cmap
(code -> glyph id). Glyph 0 is .notdef, the box a missing character prints as."""

from __future__ import annotations

import io
import re
import struct

from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFontFile


def _subset_glyphs(program: bytes) -> dict[int, int]:
    """ReportLab writes each subset's cmap as one format-6 table (code -> glyph)."""
    cmap = TTFontFile(io.BytesIO(program), validate=0).get_table("cmap")
    fmt, _length, _lang, first, count = struct.unpack(">5H", cmap[12:22])
    assert fmt == 6, fmt
    glyphs = struct.unpack(f">{count}H", cmap[22 : 22 + 2 * count])
    return dict(zip(range(first, first + count), glyphs, strict=True))


def drawn_glyphs(pdf: bytes) -> dict[str, set[tuple[str, int]]]:
    """character -> {(font, glyph id)} over every subset font of every page."""
    out: dict[str, set[tuple[str, int]]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if "/ToUnicode" not in font:
                continue
            cmap = font["/ToUnicode"].get_object().get_data().decode()
            chars = cmap.split("beginbfchar", 1)[1].split("endbfchar", 1)[0]
            codes = {
                int(code, 16): bytes.fromhex(uni).decode("utf-16-be")
                for code, uni in re.findall(r"<([0-9A-F]{2})> <([0-9A-F]+)>", chars)
            }
            program = font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            glyphs = _subset_glyphs(program)
            for code, ch in codes.items():
                out.setdefault(ch, set()).add((str(font["/BaseFont"]), glyphs.get(code, 0)))
    return out
