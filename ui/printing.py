"""Print preview, printing and saving for PDFs made by app.reports (the Qt side).

How a view uses it (render the PDF off the UI thread first, e.g. with ui/tasks.py)::

    doc = service.referral_document(store, actor, referral_id)      # in a background task
    # back on the UI thread:
    printing.preview_and_print(self, doc.pdf, doc.title, suggested_name=doc.suggested_name,
                               on_output=lambda action, path: <background task:
                                   service.record_output(store, actor, doc, action)>)

``on_output(action, path)`` is called on the UI thread after a successful print ("print",
None) or save ("export", path); the caller writes the audit event (widgets hold no DB session).

Threads: pages are rasterised and painted onto the QPrinter in a QThreadPool worker (QPainter
may paint on a QPrinter or QImage from any thread). The preview uses QPdfView, which renders
its pages itself. Nothing here touches the database or writes a temporary file: the PDF stays
in memory (QBuffer) because temporary files would be unencrypted personal data at rest.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QObject,
    QRectF,
    QRunnable,
    QSize,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.reports.files import write_atomic
from ui.widgets import fit_window

OnOutput = Callable[[str, Path | None], None]
MAX_PRINT_DPI = 300  # rasterising above this only costs memory and time


def _open_pdf(pdf: bytes, parent: QObject | None = None) -> tuple[QPdfDocument, QBuffer]:
    buf = QBuffer(parent)
    buf.setData(QByteArray(pdf))
    buf.open(QBuffer.OpenModeFlag.ReadOnly)
    doc = QPdfDocument(parent) if parent is not None else QPdfDocument()
    doc.load(buf)
    if doc.status() != QPdfDocument.Status.Ready:
        raise ValueError("not a readable PDF")
    return doc, buf  # keep the buffer alive as long as the document


def render_page_images(pdf: bytes, dpi: int = 96) -> list[QImage]:
    """Every page as a QImage at ``dpi``. Any thread (used for thumbnails and tests)."""
    doc, buf = _open_pdf(pdf)
    images = []
    for i in range(doc.pageCount()):
        pts = doc.pagePointSize(i)
        size = QSize(round(pts.width() * dpi / 72), round(pts.height() * dpi / 72))
        images.append(doc.render(i, size))
    doc.close()
    buf.close()
    return images


def _fit(page: QSize, area: QRectF) -> QRectF:
    """The largest rect with the page's aspect ratio inside ``area``, centred."""
    scale = min(area.width() / page.width(), area.height() / page.height())
    w, h = page.width() * scale, page.height() * scale
    return QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)


def print_pdf(printer: QPrinter, pdf: bytes, *, cancelled: Callable[[], bool] | None = None) -> int:
    """Paint every page onto ``printer``, one page in memory at a time. Any thread, but the
    printer must not be used elsewhere meanwhile. Returns the number of pages printed."""
    doc, buf = _open_pdf(pdf)
    printer.setFullPage(True)  # the PDF carries its own margins
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        doc.close()
        raise OSError("the printer could not be started")
    printed = 0
    try:
        for i in range(doc.pageCount()):
            if cancelled is not None and cancelled():
                break
            if i and not printer.newPage():
                raise OSError("the printer refused a new page")
            pts = doc.pagePointSize(i)
            size = QSize(round(pts.width() * dpi / 72), round(pts.height() * dpi / 72))
            image = doc.render(i, size)
            area = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            painter.drawImage(_fit(size, area), image)
            printed += 1
    finally:
        painter.end()
        doc.close()
        buf.close()
    return printed


def write_pdf(pdf: bytes, path: Path) -> None:
    """Atomic save: a crash leaves the old file or the whole new one."""
    write_atomic(pdf, path)


class _Signals(QObject):
    done = Signal(int)
    failed = Signal(str)


class _PrintRunnable(QRunnable):
    """Runs print_pdf in the thread pool; results come back through queued signals."""

    def __init__(self, printer: QPrinter, pdf: bytes) -> None:
        super().__init__()
        self.printer, self.pdf, self.signals = printer, pdf, _Signals()

    def run(self) -> None:  # worker thread: no widgets here
        try:
            self.signals.done.emit(print_pdf(self.printer, self.pdf))
        except Exception as exc:  # reported on the UI thread, no data in the text
            self.signals.failed.emit(type(exc).__name__)


_running: set[_PrintRunnable] = set()  # keep jobs (and their printers) alive until done


def start_print(
    printer: QPrinter, pdf: bytes, on_done: Callable[[int], None],
    on_failed: Callable[[str], None],
) -> None:  # fmt: skip
    """Print in the background; the callbacks run on the caller's (UI) thread."""
    job = _PrintRunnable(printer, pdf)
    job.setAutoDelete(False)
    _running.add(job)

    def finish(pages: int) -> None:
        _running.discard(job)
        on_done(pages)

    def fail(name: str) -> None:
        _running.discard(job)
        on_failed(name)

    job.signals.done.connect(finish)
    job.signals.failed.connect(fail)
    QThreadPool.globalInstance().start(job)


def print_with_dialog(
    parent: QWidget | None, pdf: bytes, title: str, on_output: OnOutput | None = None
) -> None:
    """The system print dialog, then printing in the background."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)  # titles carry no personal data (see app.reports.service)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("印刷 / Print")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return

    def done(_pages: int) -> None:
        if on_output is not None:
            on_output("print", None)

    def failed(_name: str) -> None:
        QMessageBox.warning(parent, "印刷 / Print", "印刷できませんでした。\nPrinting failed.")

    start_print(printer, pdf, done, failed)


def ask_pdf_password(parent: QWidget | None) -> str | None:
    """Ask for the password a saved PDF is encrypted with (AES-256). None = cancelled."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    from app.reports.protect import MIN_PASSWORD

    while True:
        text, ok = QInputDialog.getText(
            parent, "PDFのパスワード / PDF password",
            f"保存するPDFは暗号化します。開くときのパスワード（{MIN_PASSWORD}文字以上）:\n"
            f"The saved PDF is encrypted. Password to open it ({MIN_PASSWORD}+ characters):",
            QLineEdit.EchoMode.Password,
        )  # fmt: skip
        if not ok:
            return None
        if len(text) >= MIN_PASSWORD:
            return text


def save_pdf(
    parent: QWidget | None, pdf: bytes, suggested_name: str,
    on_output: OnOutput | None = None, *, path: Path | None = None, password: str | None = None,
) -> Path | None:  # fmt: skip
    """Ask where to save (unless ``path`` is given) and for a password (unless given), write
    the file AES-256 encrypted, report "export". Exports are never left unencrypted on disk."""
    from app.reports.protect import encrypt_pdf

    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "PDFとして保存 / Save as PDF", suggested_name, "PDF (*.pdf)"
        )
        if not chosen:
            return None
        path = Path(chosen)
    if password is None:
        password = ask_pdf_password(parent)
        if password is None:
            return None
    try:
        write_pdf(encrypt_pdf(pdf, password), path)
    except OSError:
        QMessageBox.warning(parent, "保存 / Save", "保存できませんでした。\nCould not save.")
        return None
    if on_output is not None:
        on_output("export", path)
    return path


class PdfPreviewDialog(QDialog):
    """Shows the pages (QPdfView renders them itself) with Print / Save / Close. UI thread."""

    def __init__(
        self, parent: QWidget | None, pdf: bytes, title: str, suggested_name: str,
        on_output: OnOutput | None = None, notice: str | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.pdf, self.title, self.suggested_name, self.on_output = (
            pdf,
            title,
            suggested_name,
            on_output,
        )
        self.setWindowTitle(f"印刷プレビュー / Print preview — {title}")
        fit_window(self, 820, 1000)  # the pages scroll; the window stays on the screen
        self.document, self._buffer = _open_pdf(pdf, self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pages_label = QLabel(f"{self.document.pageCount()} ページ / pages", self)
        buttons = QDialogButtonBox(self)
        self.print_button = buttons.addButton(
            "印刷… / Print…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button = buttons.addButton(
            "PDFとして保存… / Save as PDF…", QDialogButtonBox.ButtonRole.ActionRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self._print)
        self.save_button.clicked.connect(self._save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.pages_label)
        self.notice_label: QLabel | None = None
        if notice:  # e.g. characters printed as a box because the fallback font is missing
            self.notice_label = QLabel(notice, self)
            self.notice_label.setWordWrap(True)
            self.notice_label.setStyleSheet("color: #a40000;")
            layout.addWidget(self.notice_label)
        layout.addWidget(buttons)

    def _print(self) -> None:
        print_with_dialog(self, self.pdf, self.title, self.on_output)

    def _save(self) -> None:
        save_pdf(self, self.pdf, self.suggested_name, self.on_output)


def preview_and_print(
    parent: QWidget | None, pdf: bytes, title: str, *, suggested_name: str = "document.pdf",
    on_output: OnOutput | None = None, notice: str | None = None,
) -> PdfPreviewDialog:  # fmt: skip
    """Open the (non-modal) preview; printing and saving are offered from it. ``notice`` is
    shown under the pages (what the reader should know before handing the paper over)."""
    dialog = PdfPreviewDialog(parent, pdf, title, suggested_name, on_output, notice)
    dialog.show()
    return dialog
