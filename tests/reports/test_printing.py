"""ui/printing.py offscreen: preview, printing to a real QPrinter (PDF output) in a worker, save."""

from __future__ import annotations

from pathlib import Path

import pytest
from faker import Faker

from app.reports.layout import PrintStamp
from app.reports.redaction import redact
from app.reports.referral import render_referral
from tests.reports.conftest import make_referral, pdf_pages

pytest.importorskip("PySide6.QtPdf")
from PySide6.QtGui import QColor  # noqa: E402
from PySide6.QtPrintSupport import QPrinter  # noqa: E402

from ui import printing  # noqa: E402


@pytest.fixture
def two_page_pdf(fake: Faker, stamp: PrintStamp) -> bytes:
    data = make_referral(fake, account="\n\n".join(fake.text(400) for _ in range(8)))
    shown, r = redact(data)
    pdf = render_referral(shown, stamp, r)
    assert pdf_pages(pdf) >= 2
    return pdf


def test_pages_render_to_images(qtbot, two_page_pdf: bytes) -> None:
    images = printing.render_page_images(two_page_pdf, dpi=50)
    assert len(images) == pdf_pages(two_page_pdf)
    img = images[0]
    assert abs(img.height() / img.width() - 297 / 210) < 0.01  # A4 portrait
    dark = sum(
        1 for x in range(0, img.width(), 4) for y in range(0, img.height(), 4)
        if QColor(img.pixel(x, y)).lightness() < 128
    )  # fmt: skip
    assert dark > 100  # text was drawn


def test_printing_runs_in_a_worker_and_prints_every_page(
    qtbot, two_page_pdf: bytes, tmp_path: Path
) -> None:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    result: dict[str, object] = {}
    printing.start_print(
        printer, two_page_pdf, lambda n: result.update(pages=n), lambda e: result.update(err=e)
    )
    qtbot.waitUntil(lambda: bool(result), timeout=30000)
    assert result == {"pages": pdf_pages(two_page_pdf)}
    assert pdf_pages(out.read_bytes()) == pdf_pages(two_page_pdf)


def test_broken_pdf_reports_failure_not_crash(qtbot, tmp_path: Path) -> None:
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "x.pdf"))
    result: dict[str, object] = {}
    printing.start_print(printer, b"not a pdf", lambda n: result.update(pages=n),
                         lambda e: result.update(err=e))  # fmt: skip
    qtbot.waitUntil(lambda: bool(result), timeout=30000)
    assert result == {"err": "ValueError"}


def test_save_and_preview(qtbot, two_page_pdf: bytes, tmp_path: Path) -> None:
    calls: list[tuple[str, Path | None]] = []
    out = tmp_path / "saved.pdf"
    assert printing.save_pdf(None, two_page_pdf, "x.pdf", lambda a, p: calls.append((a, p)),
                             path=out, password="hozon-pass-1") == out  # fmt: skip
    saved = out.read_bytes()
    assert saved != two_page_pdf and calls == [("export", out)]
    from pypdf import PdfReader

    reader = PdfReader(out)
    assert reader.is_encrypted and reader.decrypt("hozon-pass-1")
    assert len(reader.pages) == pdf_pages(two_page_pdf)
    dialog = printing.preview_and_print(None, two_page_pdf, "うけとめ・つなげるシート R1",
                                        suggested_name="r.pdf")  # fmt: skip
    qtbot.addWidget(dialog)
    assert dialog.document.pageCount() == pdf_pages(two_page_pdf)
    assert str(dialog.document.pageCount()) in dialog.pages_label.text()
    assert "R1" in dialog.windowTitle()
