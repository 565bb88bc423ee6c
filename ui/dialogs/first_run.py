"""First run: create the profile (who uses this laptop) and the database passphrase."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.domain import vocab
from app.domain.records import Choice
from app.domain.seed import AGENCIES, agency_id
from app.storage.passphrase import MIN_SCORE, strength
from ui.i18n import language, tr
from ui.widgets import (
    FieldErrors,
    choice_combo,
    combo_value,
    error_label,
    heading,
    named,
    vocab_combo,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FirstRunValues:
    name: str
    role: str
    agency_id: str | None
    passphrase: str
    demo: bool


class FirstRunDialog(QDialog):
    def __init__(self, *, demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("はじめての設定", "First run"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addWidget(
            heading(
                tr("このパソコンの利用者とパスフレーズ", "Who uses this laptop, and the passphrase")
            )
        )
        intro = QLabel(
            tr(
                "記録はすべてこのパスフレーズで暗号化されます。忘れると復元できません。",
                "Everything is encrypted with this passphrase. If it is forgotten, nothing can be recovered.",
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.errors = FieldErrors(error_label())
        self.name = named(QLineEdit(), tr("氏名", "Name"))
        self.role = named(vocab_combo(vocab.ROLE, "outreach"), tr("役割", "Role"))
        import unicodedata  # by name, as the pickers after unlock (not SQLAlchemy's collation yet)

        agencies = [Choice(agency_id(code), name) for code, name, _ in
                    sorted(AGENCIES, key=lambda a: unicodedata.normalize("NFKC", a[1]))]  # fmt: skip
        self.agency = named(choice_combo(agencies), tr("所属機関", "Agency"))
        self.passphrase = named(QLineEdit(), tr("パスフレーズ", "Passphrase"))
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = named(QLineEdit(), tr("パスフレーズ（確認）", "Passphrase (again)"))
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.meter = named(QProgressBar(), tr("パスフレーズの強さ", "Passphrase strength"))
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.demo = named(
            QCheckBox(
                tr(
                    "デモデータ（架空の2,000人）を作成する",
                    "Create demo data (2,000 fictional persons)",
                )
            ),
            tr("デモデータ", "Demo data"),
        )
        self.demo.setChecked(demo)
        self.demo.setVisible(demo)
        form.addRow(tr("氏名", "Name"), self.name)
        form.addRow("", self.errors.add("name"))
        form.addRow(tr("役割", "Role"), self.role)
        form.addRow(tr("所属機関", "Agency"), self.agency)
        form.addRow(tr("パスフレーズ", "Passphrase"), self.passphrase)
        form.addRow(tr("強さ", "Strength"), self.meter)
        form.addRow("", self.hint)
        form.addRow(tr("確認", "Again"), self.confirm)
        form.addRow("", self.errors.add("confirm"))
        layout.addLayout(form)
        layout.addWidget(self.demo)
        layout.addWidget(self.errors.general)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("作成", "Create"))
        self.ok.setAccessibleName(tr("作成", "Create"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.progress = named(QProgressBar(), tr("進み具合", "Progress"))
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self._score = 0
        self._strength_timer = QTimer(self, singleShot=True, interval=120)
        self._strength_timer.timeout.connect(self._update_strength)
        self.passphrase.textChanged.connect(lambda _t: self._strength_timer.start())
        # A message about what was typed before ("too weak", "do not match") goes as soon
        # as the person types again, so it never contradicts the strength shown above it.
        for edit in (self.name, self.passphrase, self.confirm):
            edit.textChanged.connect(lambda _t: self.errors.clear())
        self._update_strength()
        self._values: FirstRunValues | None = None

    def _update_strength(self) -> None:
        score, ja, en = strength(self.passphrase.text())
        self._score = score
        self.meter.setValue(score)
        self.hint.setText(en if language() == "en" else ja)
        # Nothing typed yet: the requirement is a hint, not an error in red.
        color = ("#5f6368" if not self.passphrase.text() else
                 "#b3261e" if score < MIN_SCORE else "#1b6e3a")  # fmt: skip
        self.hint.setStyleSheet(f"color: {color};")

    def _submit(self) -> None:
        self._update_strength()
        self.errors.clear()
        from app.domain.errors import ValidationError, WeakPassphrase

        if not self.name.text().strip():
            self.errors.show(
                ValidationError("氏名を入力してください。", "Enter your name.", field="name")
            )
            log.info("first run form refused: name")  # the field only, never what was typed
            self.name.setFocus()
            return
        if self._score < MIN_SCORE:
            self.errors.show(WeakPassphrase())
            log.info("first run form refused: passphrase")
            self.passphrase.setFocus()
            return
        if self.confirm.text() != self.passphrase.text():
            self.errors.show(
                ValidationError(
                    "パスフレーズが一致しません。", "The passphrases do not match.", field="confirm"
                )
            )
            log.info("first run form refused: confirm")
            self.confirm.setFocus()
            return
        self._values = FirstRunValues(
            name=self.name.text().strip(),
            role=combo_value(self.role) or "outreach",
            agency_id=combo_value(self.agency),
            passphrase=self.passphrase.text(),
            demo=self.demo.isChecked(),
        )
        self.accept()

    def values(self) -> FirstRunValues | None:
        return self._values
