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
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.reports.files import write_atomic
from ui.i18n import tr
from ui.widgets import error_label, fit_window, named

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
    dialog.setWindowTitle(tr("印刷", "Print"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return

    def done(_pages: int) -> None:
        if on_output is not None:
            on_output("print", None)

    def failed(_name: str) -> None:
        QMessageBox.warning(
            parent, tr("印刷", "Print"), tr("印刷できませんでした。", "Printing failed.")
        )

    start_print(printer, pdf, done, failed)


class PdfPasswordDialog(QDialog):
    """The password a saved PDF is encrypted with (AES-256), typed twice: a typo would make
    the file impossible to open. A short or mismatched password is refused in the dialog with
    one line saying why (it used to be asked again without a word)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from app.reports.protect import MIN_PASSWORD

        super().__init__(parent)
        self.min_length = MIN_PASSWORD
        self.setWindowTitle(tr("PDFのパスワード", "PDF password"))
        intro = QLabel(
            tr(
                "保存するPDFは暗号化します。開くときのパスワード（{n}文字以上）を決めてください。",
                "The saved PDF is encrypted. Choose the password to open it ({n}+ characters).",
            ).format(n=MIN_PASSWORD)
        )
        intro.setWordWrap(True)
        self.message = error_label()
        self.password = named(QLineEdit(), tr("パスワード", "Password"))
        self.again = named(QLineEdit(), tr("パスワード（確認）", "Password (again)"))
        for edit in (self.password, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(lambda _t: self.message.setVisible(False))
        form = QFormLayout()
        form.addRow(tr("パスワード", "Password"), self.password)
        form.addRow(tr("確認", "Again"), self.again)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
        self.password.setFocus()

    def _refuse(self, text: str, field: QLineEdit) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
        field.setFocus()
        field.selectAll()

    def accept(self) -> None:
        text = self.password.text()
        if len(text) < self.min_length:
            self._refuse(tr("パスワードは{n}文字以上にしてください。",
                            "The password needs at least {n} characters.")
                         .format(n=self.min_length), self.password)  # fmt: skip
            return
        if self.again.text() != text:
            self._refuse(
                tr("パスワードが一致しません。", "The passwords do not match."), self.again
            )
            return
        super().accept()


def ask_pdf_password(parent: QWidget | None) -> str | None:
    """Ask for the password a saved PDF is encrypted with (AES-256). None = cancelled."""
    dialog = PdfPasswordDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.password.text()


def save_pdf(
    parent: QWidget | None, pdf: bytes, suggested_name: str,
    on_output: OnOutput | None = None, *, path: Path | None = None, password: str | None = None,
) -> Path | None:  # fmt: skip
    """Ask where to save (unless ``path`` is given) and for a password (unless given), write
    the file AES-256 encrypted, report "export". Exports are never left unencrypted on disk."""
    from app.reports.protect import encrypt_pdf

    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(  # in the home folder, not the app's own
            parent, tr("PDFとして保存", "Save as PDF"), str(Path.home() / suggested_name),
            "PDF (*.pdf)",
        )  # fmt: skip
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
        QMessageBox.warning(
            parent, tr("保存", "Save"), tr("保存できませんでした。", "Could not save.")
        )
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
        self.setWindowTitle(
            tr("印刷プレビュー — {title}", "Print preview — {title}").format(title=title)
        )
        fit_window(self, 820, 1000)  # the pages scroll; the window stays on the screen
        self.document, self._buffer = _open_pdf(pdf, self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pages_label = QLabel(self._pages_text(), self)
        buttons = QDialogButtonBox(self)
        self.print_button = buttons.addButton(
            tr("印刷…", "Print…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button = buttons.addButton(
            tr("PDFとして保存…", "Save as PDF…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self._print)
        self.save_button.clicked.connect(lambda: self._save())
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

    def _pages_text(self) -> str:
        return tr("{n} ページ", "{n} pages").format(n=self.document.pageCount())

    def _print(self) -> None:
        print_with_dialog(self, self.pdf, self.title, self.on_output)

    def _save(self, *, path: Path | None = None, password: str | None = None) -> Path | None:
        saved = save_pdf(self, self.pdf, self.suggested_name, self.on_output, path=path,
                         password=password)  # fmt: skip
        if saved is not None:  # say where it went: the dialog stays open and looks the same
            self.pages_label.setText(
                self._pages_text() + "　" + tr("保存しました: {path}", "Saved: {path}")
                .format(path=saved)
            )  # fmt: skip
        return saved


def preview_and_print(
    parent: QWidget | None, pdf: bytes, title: str, *, suggested_name: str = "document.pdf",
    on_output: OnOutput | None = None, notice: str | None = None,
) -> PdfPreviewDialog:  # fmt: skip
    """Open the (non-modal) preview; printing and saving are offered from it. ``notice`` is
    shown under the pages (what the reader should know before handing the paper over)."""
    dialog = PdfPreviewDialog(parent, pdf, title, suggested_name, on_output, notice)
    dialog.show()
    return dialog
