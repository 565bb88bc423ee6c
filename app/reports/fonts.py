"""Fonts: IPAexGothic (embedded, IPA Font License v1.0) and a fallback for the characters it
lacks, switched per character.

Names in Japan use characters outside IPAexGothic (𠮷, a common surname kanji, JIS X 0213
plane 2, rarer 異体字). Every such character is drawn in the fallback font, IPAmj Mincho
(about 58,000 glyphs, IPA Font License v1.0). It is 46 MB, so it is not in the repository: it
is loaded from ``YORISOI_FALLBACK_FONT``, ``resources/fonts/ipamjm.ttf`` or the system's font
folder (Debian: ``apt-get install fonts-ipamj-mincho``; Windows: install ipamjm.ttf from the
IPA's site, or copy it to ``resources/fonts/``). The PyInstaller build (build.spec) bundles the
one :func:`fallback_path` finds on the build machine as ``resources/fonts/ipamjm.ttf``, with
its licence (:func:`fallback_licence`), so the frozen app finds it first. Without it
such characters still print as a box and nothing fails: :func:`fallback_path` is None, so
``yorisoi self-check`` says the font is missing and how to install it, and every document
rendered inside :func:`collect_missing` reports the characters it drew as a box (the CLI
prints a one-line note after saving).

Registration is lazy and thread-safe; the fallback is registered only when a document contains
a character the main font lacks.
"""

from __future__ import annotations

import contextlib
import contextvars
import gzip
import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from app.storage.paths import resources_dir

FONT = "IPAexGothic"
FONT_FILE = "ipaexg.ttf"
FALLBACK_FONT = "IPAmjMincho"
FALLBACK_FILE = "ipamjm.ttf"
FALLBACK_ENV = "YORISOI_FALLBACK_FONT"
FALLBACK_LICENCE_FILE = "IPAmj_Mincho_License.txt"  # bundled next to ipamjm.ttf
LICENCE_NAME = "IPA_Font_License_Agreement_v1.0.txt"
# Where a system's package keeps the font's licence (Debian/Ubuntu: fonts-ipamj-mincho).
SYSTEM_LICENCES = (
    "/usr/share/doc/fonts-ipamj-mincho/IPA_Font_License_Agreement_v1.0.txt",
    "/usr/share/doc/fonts-ipamj-mincho/IPA_Font_License_Agreement_v1.0.txt.gz",
    "/usr/share/doc/fonts-ipamj-mincho/copyright",
)
SYSTEM_FALLBACKS = (
    "/usr/share/fonts/truetype/ipamj/ipamjm.ttf",  # Debian/Ubuntu: fonts-ipamj-mincho
    "/usr/local/share/fonts/ipamjm.ttf",
    "C:/Windows/Fonts/ipamjm.ttf",
)
FALLBACK_HELP_JA = (
    "IPAmj明朝（ipamjm.ttf）が見つかりません。IPAexゴシックにない文字（𠮷 など）は□で印字されます。"
    "Debian/Ubuntu は fonts-ipamj-mincho を、Windows は IPA のサイトの ipamjm.ttf をインストールするか、"
    f"resources/fonts/ に置くか、環境変数 {FALLBACK_ENV} にパスを指定してください。"
)
FALLBACK_HELP_EN = (
    "IPAmj Mincho (ipamjm.ttf) was not found: characters IPAexGothic lacks (such as 𠮷) print "
    "as a box. Install fonts-ipamj-mincho (Debian/Ubuntu) or ipamjm.ttf from the IPA's site "
    f"(Windows), copy it to resources/fonts/, or set {FALLBACK_ENV} to its path."
)

log = logging.getLogger(__name__)
_lock = threading.Lock()
_main_chars: frozenset[int] = frozenset()
_fallback: dict[str, object] = {}  # "name" -> registered font name or None once tried
_fallback_chars: set[int] = set()  # code points the fallback font has
# Characters drawn as a box by the document being rendered (see collect_missing).
_missing: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "yorisoi_missing_glyphs", default=None
)


def bundled_fonts_dir() -> Path:
    """The app's own fonts folder (in a frozen build, inside the bundle)."""
    return resources_dir() / "fonts"


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap writes a code point as 4 hex digits, so 𠮷 (U+20BB7) came
    out as U+20BB and dropped out of the extracted text; characters beyond the BMP are
    written as UTF-16 surrogate pairs, as the PDF standard says."""

    def utf16(cp: int) -> str:
        return "".join(f"{u:04X}" for u in _utf16_units(cp))

    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({fontname})", f"/Ordering ({fontname})",
        "/Supplement 0", ">> def", f"/CMapName /{fontname} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ]  # fmt: skip
    return "\n".join(lines)


def _utf16_units(cp: int) -> tuple[int, ...]:
    if cp < 0x10000:
        return (cp,)
    cp -= 0x10000
    return (0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF))


ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # addObjects looks the helper up at call time


def register_fonts() -> str:
    """Register the main TTF (embedded as a subset in every PDF). Idempotent, thread-safe."""
    global _main_chars
    with _lock:
        if FONT not in pdfmetrics.getRegisteredFontNames():
            font = TTFont(FONT, str(bundled_fonts_dir() / FONT_FILE))
            pdfmetrics.registerFont(font)
            _main_chars = frozenset(font.face.charToGlyph)
    return FONT


def fallback_candidates() -> list[str]:
    """Where the fallback font is looked for, in order: the environment variable, the app's
    own resources/fonts (bundled by build.spec), then the system's font folders (on Windows
    also the per-user folder that 「インストール」 from the font's context menu uses)."""
    out = [os.environ.get(FALLBACK_ENV) or "", str(bundled_fonts_dir() / FALLBACK_FILE)]
    for var, sub in (("WINDIR", "Fonts"), ("LOCALAPPDATA", "Microsoft/Windows/Fonts")):
        base = os.environ.get(var)
        if base:
            out.append(str(Path(base) / sub / FALLBACK_FILE))
    out += [*SYSTEM_FALLBACKS, str(Path.home() / ".local/share/fonts" / FALLBACK_FILE)]
    return [c for c in dict.fromkeys(out) if c]


def fallback_path() -> Path | None:
    """Where the fallback font is, or None when it is not installed."""
    for c in fallback_candidates():
        if c and Path(c).is_file():
            return Path(c)
    return None


def fallback_licence(font: Path) -> str:
    """The licence text to ship with the fallback font ``font``: the IPA's file next to it (as
    in the IPA's zip), the system package's copy, else the IPA Font License v1.0 text bundled
    for IPAexGothic (the same licence), with a line naming the font it covers."""
    for c in (font.parent / LICENCE_NAME, font.parent / FALLBACK_LICENCE_FILE,
              *map(Path, SYSTEM_LICENCES)):  # fmt: skip
        if c.is_file():
            raw = gzip.decompress(c.read_bytes()) if c.suffix == ".gz" else c.read_bytes()
            return raw.decode("utf-8-sig")
    own = (bundled_fonts_dir() / LICENCE_NAME).read_text(encoding="utf-8-sig")
    return f"IPAmj明朝（{FALLBACK_FILE}）/ IPAmj Mincho: IPA Font License v1.0\n\n{own}"


def fallback_font() -> str | None:
    """The fallback font's registered name, registering it on first use; None if missing."""
    with _lock:
        if "name" not in _fallback:
            path = fallback_path()
            name: str | None = None
            if path is not None:
                try:
                    font = TTFont(FALLBACK_FONT, str(path))
                    pdfmetrics.registerFont(font)
                    _fallback_chars.update(font.face.charToGlyph)
                    name = FALLBACK_FONT
                except Exception:  # a damaged file: print boxes rather than fail the document
                    log.warning("fallback font unreadable: %s", path)
            else:
                log.warning("fallback font %s not installed; rare characters print as boxes",
                            FALLBACK_FILE)  # fmt: skip
            _fallback["name"] = name
        return _fallback["name"]  # type: ignore[return-value]


def in_main(ch: str) -> bool:
    """Whether the main font has a glyph for ``ch`` (controls and spaces count as present)."""
    if not _main_chars:
        register_fonts()
    cp = ord(ch)
    return cp < 0x80 or cp in _main_chars or ch.isspace()


def needs_fallback(s: str) -> bool:
    if s.isascii():
        return False
    if not _main_chars:
        register_fonts()
    chars = _main_chars
    return any(ord(ch) not in chars and not ch.isspace() for ch in s)


def missing_note(chars: Iterable[str]) -> str:
    """One line for the person printing: which characters print as a box, and what to do."""
    from app.i18n import pick

    shown = "".join(chars)
    if fallback_path() is None:
        return pick(f"注意: 次の文字は□で印字されています: {shown}。{FALLBACK_HELP_JA}",
                    f"Note: these characters print as a box: {shown}. {FALLBACK_HELP_EN}")  # fmt: skip
    return pick(
        f"注意: 次の文字はどのフォントにもないため□で印字されています: {shown}。",
        f"Note: no installed font has these characters, so they print as a box: {shown}.",
    )


@contextlib.contextmanager
def collect_missing() -> Iterator[set[str]]:
    """The characters drawn as a box (in neither font) while the block renders."""
    found: set[str] = set()
    token = _missing.set(found)
    try:
        yield found
    finally:
        _missing.reset(token)


def runs(s: str) -> list[tuple[str, str]]:
    """``s`` cut into (font name, text) runs: the main font wherever it has the glyph, else
    the fallback where it has it; a character in neither is drawn (as a box) in the main font
    and noted for :func:`collect_missing`."""
    out: list[tuple[str, str]] = []
    fallback: str | None = None
    for ch in s:
        font = FONT
        if not in_main(ch):
            fallback = fallback or fallback_font()
            if fallback and ord(ch) in _fallback_chars:
                font = fallback
            else:
                missing = _missing.get()
                if missing is not None:
                    missing.add(ch)
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + ch)
        else:
            out.append((font, ch))
    return out


def markup(escaped: str) -> str:
    """Paragraph markup (already escaped) with each run the main font lacks in a <font> tag.
    Characters the main font lacks are never ASCII, so tags and entities are left intact."""
    if not needs_fallback(escaped):
        return escaped
    return "".join(
        t if font == FONT else f'<font name="{font}">{t}</font>' for font, t in runs(escaped)
    )


def draw_string(
    canvas: object, x: float, y: float, s: str, size: float, *, align: str = "left"
) -> None:
    """``canvas.drawString`` with per-character fallback (page header and footer)."""
    parts = runs(s)
    width = sum(pdfmetrics.stringWidth(t, f, size) for f, t in parts)
    if align == "right":
        x -= width
    elif align == "centre":
        x -= width / 2
    draw: Callable[..., None] = canvas.drawString  # type: ignore[attr-defined]
    for font, t in parts:
        canvas.setFont(font, size)  # type: ignore[attr-defined]
        draw(x, y, t)
        x += pdfmetrics.stringWidth(t, font, size)
