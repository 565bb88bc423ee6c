"""Every character of a Japanese name is drawn: characters IPAexGothic lacks (𠮷, JIS X 0213,
異体字) switch to the fallback font, are extracted as themselves, and never print as .notdef."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from faker import Faker

from app.reports import fonts
from app.reports.layout import PrintStamp
from app.reports.redaction import redact
from app.reports.referral import render_referral
from tests.reports.conftest import make_person, make_referral, pdf_text
from tests.reports.glyphs import drawn_glyphs

# Surnames and given names with characters outside JIS X 0208 or IPAexGothic (fictional people).
NAMES = (
    "𠮷野 𠮷子",
    "髙橋 﨑山",
    "邊見 德永",
    "槗本 𩸽太",
    "濵田 栁子",
    "齋藤 隆",
    "辻 逢",
    "琢磨 𡈽",
)
CHARS = sorted({ch for n in NAMES for ch in n if not ch.isspace()})

# CI installs the font (.ci/run), so there the test never skips.
needs_fallback = pytest.mark.skipif(
    fonts.fallback_path() is None and not os.environ.get("CI"),
    reason="fallback font not installed (fonts-ipamj-mincho)",
)


def test_main_font_lacks_some_and_fallback_is_found() -> None:
    assert fonts.needs_fallback("𠮷野") and not fonts.needs_fallback("吉野 太郎")
    assert [f for f, _ in fonts.runs("𠮷野")][1] == fonts.FONT


@needs_fallback
def test_every_character_of_such_names_is_drawn(fake: Faker) -> None:
    person = make_person(fake, dt.date(1960, 1, 1))
    stamp = PrintStamp("𠮷田 德子", dt.datetime(2026, 4, 1, 9, 30))  # the footer too
    data = make_referral(fake, person=person.__class__(**(vars(person) | {"name": NAMES[0]})),
                         from_staff_name=NAMES[1], to_staff_name=NAMES[2],
                         consulter_name=NAMES[3], household_situation="、".join(NAMES))  # fmt: skip
    shown, r = redact(data)
    pdf = render_referral(shown, stamp, r)
    txt = pdf_text(pdf)
    for name in NAMES:
        assert name.replace(" ", "") in txt, name
    assert "𠮷田德子" in txt
    glyphs = drawn_glyphs(pdf)
    for ch in CHARS:
        assert ch in glyphs, ch
        assert all(g != 0 for _, g in glyphs[ch]), (ch, glyphs[ch])
    assert any(fonts.FALLBACK_FONT in f for f, _ in glyphs["𠮷"])
    # nothing a normal sheet draws is .notdef either
    bad = {c: g for c, g in glyphs.items() if not c.isascii() and any(x == 0 for _, x in g)}
    assert not bad, bad


def test_without_fallback_the_check_sees_the_box(monkeypatch: pytest.MonkeyPatch, fake) -> None:
    """The check itself: with the fallback switched off 𠮷 is lost (ReportLab drops it or
    draws .notdef), and the checks above would see it."""
    monkeypatch.setattr(fonts, "fallback_font", lambda: None)
    stamp = PrintStamp("印刷 花子", dt.datetime(2026, 4, 1, 9, 30))
    shown, r = redact(make_referral(fake, consulter_name="𠮷野 花子"))
    pdf = render_referral(shown, stamp, r)
    glyphs = drawn_glyphs(pdf)
    assert "𠮷" not in pdf_text(pdf) or any(g == 0 for _, g in glyphs["𠮷"])


def test_encrypted_pdf_declares_the_version_aes256_needs(fake: Faker, tmp_path) -> None:
    import io
    import subprocess

    from pypdf import PdfReader

    from app.reports.protect import encrypt_pdf

    stamp = PrintStamp("印刷 花子", dt.datetime(2026, 4, 1, 9, 30))
    shown, r = redact(make_referral(fake))
    data = encrypt_pdf(render_referral(shown, stamp, r), "tokumei-2026")
    assert data.startswith(b"%PDF-1.7")
    reader = PdfReader(io.BytesIO(data))
    assert reader.decrypt("tokumei-2026")
    assert reader.trailer["/Encrypt"].get_object()["/R"] == 6
    ext = reader.trailer["/Root"]["/Extensions"]["/ADBE"]
    assert (ext["/BaseVersion"], ext["/ExtensionLevel"]) == ("/1.7", 8)
    (tmp_path / "e.pdf").write_bytes(data)
    info = subprocess.run(["pdfinfo", "-upw", "tokumei-2026", str(tmp_path / "e.pdf")],
                          capture_output=True, check=True).stdout.decode()  # fmt: skip
    assert re.search(r"Encrypted:\s+yes.*algorithm:AES-256", info)
    assert re.search(r"PDF version:\s+1\.7", info)


def test_a_missing_fallback_is_reported_not_a_crash(monkeypatch: pytest.MonkeyPatch, fake) -> None:
    """Without IPAmj Mincho (a Windows laptop without it): the document still renders, the
    characters drawn as a box are collected, the note says which and how to install the font,
    and self-check reports the font missing while still passing."""
    from app.cli.commands import _font_check

    monkeypatch.setattr(fonts, "fallback_font", lambda: None)
    monkeypatch.setattr(fonts, "fallback_path", lambda: None)
    stamp = PrintStamp("印刷 花子", dt.datetime(2026, 4, 1, 9, 30))
    shown, r = redact(make_referral(fake, consulter_name="𠮷野 花子"))
    with fonts.collect_missing() as missing:
        assert render_referral(shown, stamp, r).startswith(b"%PDF")
    assert missing == {"𠮷"}
    note = fonts.missing_note(sorted(missing))
    assert "𠮷" in note and "fonts-ipamj-mincho" in note and fonts.FALLBACK_ENV in note
    check = _font_check()
    assert check["fallback_font"] == "missing" and "ok" not in check
    assert "ipamjm.ttf" in check["fallback_font_note"]


@needs_fallback
def test_with_the_fallback_nothing_is_missing(fake: Faker) -> None:
    stamp = PrintStamp("𠮷田 德子", dt.datetime(2026, 4, 1, 9, 30))
    shown, r = redact(make_referral(fake, consulter_name="𠮷野 𩸽太"))
    with fonts.collect_missing() as missing:
        render_referral(shown, stamp, r)
    assert missing == set()


def test_fallback_is_looked_for_in_the_windows_font_folders(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """Windows installs a font per user (%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts) unless
    installed for all users (%WINDIR%\\Fonts); both are searched, after the variable and the
    app's own resources/fonts."""
    monkeypatch.delenv(fonts.FALLBACK_ENV, raising=False)
    monkeypatch.setenv("WINDIR", str(tmp_path / "win"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    found = fonts.fallback_candidates()
    per_user = tmp_path / "local" / "Microsoft" / "Windows" / "Fonts" / fonts.FALLBACK_FILE
    assert str(tmp_path / "win" / "Fonts" / fonts.FALLBACK_FILE) in found
    assert str(per_user) in found
    assert found[0].endswith(str(Path("resources") / "fonts" / fonts.FALLBACK_FILE))
    monkeypatch.setenv(fonts.FALLBACK_ENV, str(tmp_path / "x.ttf"))
    assert fonts.fallback_candidates()[0] == str(tmp_path / "x.ttf")


def test_the_build_bundles_every_font_in_resources() -> None:
    """build.spec ships resources/ whole, so the main font and any fallback copied into
    resources/fonts/ reach the frozen app (where fonts.resources_dir() is the bundle)."""
    import ast

    root = Path(__file__).resolve().parents[2]
    tree = ast.parse((root / "build.spec").read_text(encoding="utf-8"))
    datas = next(n.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
                 and any(getattr(t, "id", "") == "datas" for t in n.targets))  # fmt: skip
    assert isinstance(datas, ast.List)
    pairs = [ast.unparse(e) for e in datas.elts]
    assert "(str(root / 'resources'), 'resources')" in pairs, pairs
    assert (root / "resources" / "fonts" / fonts.FONT_FILE).is_file()


def test_fallback_licence_is_the_one_shipped_with_the_font(tmp_path) -> None:
    """build.spec bundles the licence found next to the font (as in the IPA's zip), else the
    system package's, else the IPA Font License v1.0 of IPAexGothic naming the font."""
    font = tmp_path / "ipamjm.ttf"
    font.write_bytes(b"")
    (tmp_path / fonts.LICENCE_NAME).write_text("\ufeffIPAフォントライセンスv1.0 (IPA)", "utf-8")
    assert fonts.fallback_licence(font) == "IPAフォントライセンスv1.0 (IPA)"
    (tmp_path / fonts.LICENCE_NAME).unlink()
    text = fonts.fallback_licence(font)
    assert "IPAフォントライセンスv1.0" in text
    if not any(Path(p).is_file() for p in fonts.SYSTEM_LICENCES):
        assert text.startswith("IPAmj明朝（ipamjm.ttf）")
