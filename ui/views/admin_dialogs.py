"""Dialogs of the administration workspace: a user's form (role, agency and districts chosen
from the server's lists), a password reset, and the enrolment code with its QR code."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain import vocab
from ui.i18n import tr, vlabel
from ui.widgets import error_label, named

ROLES = ("outreach", "coordinator", "admin")


def local_time(value: str | None) -> str:
    """A server time (UTC, ISO with Z) in the laptop's local time, to the minute."""
    if not value:
        return ""
    try:
        at = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


class UserDialog(QDialog):
    """Add (``user`` None) or edit a user; agencies and districts from the server's master
    data, so no id is ever typed."""

    def __init__(
        self,
        agencies: list[dict[str, Any]],
        districts: list[dict[str, Any]],
        user: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.user = user
        self.setWindowTitle(tr("利用者の追加", "Add user") if user is None
                            else tr("利用者の編集", "Edit user"))  # fmt: skip
        form = QFormLayout()
        self.login = named(QLineEdit(), tr("ログイン名", "Login name"))
        self.name = named(QLineEdit(), tr("氏名", "Name"))
        self.role = named(QComboBox(), tr("役割", "Role"))
        for r in ROLES:
            self.role.addItem(vlabel(vocab.ROLE, r), r)
        self.agency = named(QComboBox(), tr("所属機関", "Agency"))
        self.agency.addItem(tr("（なし）", "(none)"), None)
        for a in agencies:
            self.agency.addItem(str(a.get("name") or a.get("code")), a["id"])
        self.districts = named(QListWidget(), tr("担当地区", "Districts"))
        self.districts.setMaximumHeight(140)
        for d in districts:
            item = QListWidgetItem(str(d.get("name") or d.get("code")))
            item.setData(Qt.ItemDataRole.UserRole, d["id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.districts.addItem(item)
        self.password = named(
            QLineEdit(), tr("初期パスワード（任意）", "Initial password (optional)")
        )
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("ログイン名", "Login name"), self.login)
        if user is None:
            form.addRow(tr("氏名", "Name"), self.name)
        form.addRow(tr("役割", "Role"), self.role)
        form.addRow(tr("所属機関", "Agency"), self.agency)
        form.addRow(tr("担当地区", "Districts"), self.districts)
        if user is None:
            form.addRow(tr("パスワード", "Password"), self.password)
        if user is not None:
            self.login.setText(str(user["login"]))
            self.login.setReadOnly(True)
            self.role.setCurrentIndex(max(0, self.role.findData(user["role"])))
            self.agency.setCurrentIndex(max(0, self.agency.findData(user.get("agency_id"))))
            chosen = set(user.get("district_ids") or [])
            for i in range(self.districts.count()):
                it = self.districts.item(i)
                if it.data(Qt.ItemDataRole.UserRole) in chosen:
                    it.setCheckState(Qt.CheckState.Checked)
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addWidget(self.error)
        col.addWidget(buttons)

    def set_districts(self, ids: list[str]) -> None:
        for i in range(self.districts.count()):
            it = self.districts.item(i)
            on = it.data(Qt.ItemDataRole.UserRole) in ids
            it.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def values(self) -> dict[str, Any]:
        ids = [
            str(self.districts.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.districts.count())
            if self.districts.item(i).checkState() == Qt.CheckState.Checked
        ]
        out: dict[str, Any] = {
            "role": self.role.currentData(),
            "agency_id": self.agency.currentData(),
            "district_ids": ids,
        }
        if self.user is None:
            out.update(login=self.login.text().strip(), name=self.name.text().strip(),
                       password=self.password.text() or None)  # fmt: skip
        return out

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)


class PasswordDialog(QDialog):
    """A new password for a user; the server checks its strength (12 characters or more,
    not guessable) and its message is shown here."""

    def __init__(self, login: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            tr("パスワードの再設定: {login}", "Reset password: {login}").format(login=login)
        )
        self.password = named(QLineEdit(), tr("新しいパスワード", "New password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.rule = QLabel(tr("12文字以上で、推測されにくいものにしてください。"
                              "変更するとこの利用者の端末は失効します。",
                              "12 characters or more, hard to guess. "
                              "Changing it revokes this user's devices."))  # fmt: skip
        self.rule.setWordWrap(True)
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addWidget(self.rule)
        col.addWidget(self.password)
        col.addWidget(self.error)
        col.addWidget(buttons)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)


def qr_pixmap(text: str, scale: int = 6) -> QPixmap:
    """The QR code of a text (segno, PNG in memory)."""
    import io

    import segno

    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=scale, border=2)
    pix = QPixmap()
    pix.loadFromData(buf.getvalue(), "PNG")
    return pix


class CodeDialog(QDialog):
    """A one-time enrolment code for a user's laptop, as text and as a QR code, with when it
    expires (local time). Shown once: the server keeps only its hash."""

    def __init__(
        self, login: str, code: str, expires_at: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            tr("端末登録コード: {login}", "Enrolment code: {login}").format(login=login)
        )
        self.code = named(QLabel(code), tr("登録コード", "Enrolment code"))
        font = self.code.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.code.setFont(font)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr = named(QLabel(), tr("登録コードのQRコード", "QR code of the enrolment code"))
        self.qr.setPixmap(qr_pixmap(code))
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.expiry = QLabel(
            tr("有効期限: {at}（1回限り有効）", "Expires: {at} (single use)").format(
                at=local_time(expires_at)
            )
        )
        hint = QLabel(tr("利用者のパソコンで「同期」→「この端末を登録」を開き、このコードを入力してください。",
                         "On the user's laptop open Sync → Enrol this device and enter this code."))  # fmt: skip
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        for w in (self.code, self.qr, self.expiry, hint, buttons):
            col.addWidget(w)


# Which fields each master table's dialog edits: (field, label ja, label en, kind).
MASTER_FIELDS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "agency": (("name", "名称", "Name", "text"),
               ("addressee", "誓約書等の宛名", "Addressee on pledges", "text"),
               ("default_organiser", "会議の主催者（誓約書の宛先）の既定にする",
                "Default organiser of meetings (pledges are addressed to it)", "bool")),
    "district": (("name", "名称", "Name", "text"), ("kana", "ふりがな", "Kana", "text")),
    "school_zone": (("code", "コード", "Code", "code"), ("name", "名称", "Name", "text"),
                    ("kana", "ふりがな", "Kana", "text"),
                    ("district_id", "地区", "District", "district"),
                    ("sort_order", "表示順", "Order", "int"),
                    ("active", "使用する（外すと選択肢に出ません）", "In use (else no longer offered)", "bool")),
    "issue_category": (("code", "コード（ケースに記録される値）", "Code (stored in cases)", "code"),
                       ("name", "名称", "Name", "text"), ("name_en", "英語名", "English name", "text"),
                       ("sort_order", "表示順", "Order", "int"),
                       ("active", "使用する（外すと選択肢に出ません）", "In use (else no longer offered)", "bool")),
}  # fmt: skip


class MasterDialog(QDialog):
    """Add (``row`` None) or edit a master row. A code is given once, when the row is made
    (cases store it); nothing is deleted: a row no longer wanted is marked not in use."""

    def __init__(self, table: str, row: dict[str, Any] | None,
                 districts: list[dict[str, Any]], parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.table, self.row = table, row
        self.setWindowTitle(tr("マスタの追加", "Add master row") if row is None
                            else tr("マスタの編集", "Edit master row"))  # fmt: skip
        form = QFormLayout()
        self.widgets: dict[str, QWidget] = {}
        for name, ja, en, kind in MASTER_FIELDS[table]:
            value = (row or {}).get(name)
            w: QWidget
            if kind == "bool":
                box = QCheckBox(tr(ja, en))
                box.setChecked(bool(value) if row is not None else name == "active")
                w = box
            elif kind == "int":
                spin = QSpinBox()
                spin.setRange(0, 9999)
                spin.setValue(int(value or 0))
                w = spin
            elif kind == "district":
                combo = QComboBox()
                combo.addItem(tr("（なし）", "(none)"), None)
                for d in districts:
                    combo.addItem(str(d.get("name") or d.get("code")), d["id"])
                combo.setCurrentIndex(max(0, combo.findData(value)))
                w = combo
            else:
                edit = QLineEdit(str(value or ""))
                if kind == "code" and row is not None:
                    edit.setReadOnly(True)  # cases hold the code: it never changes
                w = edit
            named(w, tr(ja, en))
            self.widgets[name] = w
            form.addRow("" if kind == "bool" else tr(ja, en), w)
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addWidget(self.error)
        col.addWidget(buttons)

    def set(self, name: str, value: Any) -> None:
        w = self.widgets[name]
        if isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value))
        elif isinstance(w, QComboBox):
            w.setCurrentIndex(max(0, w.findData(value)))
        elif isinstance(w, QLineEdit):
            w.setText(str(value))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, _ja, _en, kind in MASTER_FIELDS[self.table]:
            w = self.widgets[name]
            if kind == "code" and self.row is not None:
                continue
            if isinstance(w, QCheckBox):
                out[name] = w.isChecked()
            elif isinstance(w, QSpinBox):
                out[name] = w.value()
            elif isinstance(w, QComboBox):
                out[name] = w.currentData()
            elif isinstance(w, QLineEdit):
                out[name] = w.text().strip() or None
        if self.row is not None:
            out["id"] = self.row["id"]
        return out

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
