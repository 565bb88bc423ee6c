"""Exports are encrypted at rest: a saved PDF is AES-256 encrypted with a password (pypdf).

Printing never writes a file; saving does, and a laptop gets lost, so saving needs a password
unless the user explicitly chooses an unencrypted file (which the audit event records).
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject

from app.domain.errors import ValidationError

MIN_PASSWORD = 8
PASSWORD_ENV = "YORISOI_PDF_PASSWORD"


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(
            f"PDFのパスワードは{MIN_PASSWORD}文字以上にしてください。",
            f"The PDF password needs at least {MIN_PASSWORD} characters.",
            field="password",
        )


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """The same document, AES-256 encrypted; opening it needs ``password``."""
    check_password(password)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    # AES-256 (security handler revision 6) is PDF 2.0, or 1.7 with Adobe's extension level 8;
    # the version ReportLab wrote (1.3/1.4) would tell a reader it need not know AES-256.
    writer.pdf_header = "%PDF-1.7"
    writer._root_object[NameObject("/Extensions")] = DictionaryObject({
        NameObject("/ADBE"): DictionaryObject({
            NameObject("/BaseVersion"): NameObject("/1.7"),
            NameObject("/ExtensionLevel"): NumberObject(8),
        })
    })  # fmt: skip
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def password_required() -> ValidationError:
    return ValidationError(
        "PDFを保存するにはパスワードが必要です（暗号化して保存します）。"
        f"環境変数 {PASSWORD_ENV} で渡すか、暗号化しない場合は --unencrypted を指定してください。",
        "Saving a PDF needs a password (the file is encrypted). Pass it in "
        f"{PASSWORD_ENV}, or give --unencrypted to save it without encryption.",
        field="password",
    )
