"""Visit entry (相談・訪問記録): keyboard first, templates, drafts autosaved every few seconds.

Keys: Alt+1..6 pick a template, Ctrl+Enter saves, Esc closes (asks before discarding).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDateTime
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.dates import parse_date
from app.services import drafts
from app.services.visits import TEMPLATES, add_contact
from ui import events
from ui.context import UiContext
from ui.dialogs.draft_dialog import DraftDialog
from ui.i18n import tr
from ui.widgets import (
    FieldErrors,
    OptionalDate,
    combo_value,
    datetime_of,
    elided_heading,
    error_label,
    named,
    set_combo,
    vocab_combo,
)

TEMPLATE_EN = {
    "safety": "Safety check visit", "8050": "8050 household visit",
    "hikikomori": "Hikikomori (accompanied)", "phone": "Phone consultation",
    "office": "Office consultation", "meeting": "Support meeting",
}  # fmt: skip


def draft_key(case_id: str) -> str:
    return f"visit:{case_id}"


class VisitEntryDialog(DraftDialog):
    def __init__(
        self, ctx: UiContext, case_id: str, case_label: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, draft_key(case_id), parent)
        self.case_id = case_id
        self.case_label = case_label
        self.saved_id: str | None = None
        self.setWindowTitle(tr("記録の入力", "Record a contact"))
        self.setMinimumSize(620, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(  # elided: a long case title must not widen the dialog
            elided_heading(
                tr("相談・訪問記録", "Contact record") + (f" — {case_label}" if case_label else "")
            )
        )
        self.errors = FieldErrors(error_label())
        form = QFormLayout()
        self.template = named(QComboBox(), tr("テンプレート", "Template"))
        self.template.addItem(tr("（テンプレートなし）", "(no template)"), None)
        from ui.i18n import language

        for i, (key, label, _kind, _text) in enumerate(TEMPLATES, start=1):
            shown = TEMPLATE_EN.get(key, label) if language() == "en" else label
            self.template.addItem(f"{i}. {shown}", key)
            QShortcut(QKeySequence(f"Alt+{i}"), self, lambda k=key: self.apply_template(k))
        self.kind = named(vocab_combo(vocab.CONTACT_KIND, "visit"), tr("種別", "Kind"))
        self.when = named(QDateTimeEdit(QDateTime.currentDateTime()), tr("日時", "Date and time"))
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.place = named(QLineEdit(), tr("場所", "Place"))
        self.participants = named(QLineEdit(), tr("同席者", "Present"))
        self.narrative = named(QPlainTextEdit(), tr("内容", "What happened"))
        self.narrative.setTabChangesFocus(True)
        self.next_action = named(QLineEdit(), tr("次の対応", "Next action"))
        self.next_date = OptionalDate(tr("次回予定日", "Next action date"))
        form.addRow(tr("テンプレート（Alt+1〜6）", "Template (Alt+1–6)"), self.template)
        form.addRow(tr("種別", "Kind"), self.kind)
        form.addRow(tr("日時", "Date and time"), self.when)
        form.addRow("", self.errors.add("contact_at"))
        form.addRow(tr("場所", "Place"), self.place)
        form.addRow(tr("同席者", "Present"), self.participants)
        form.addRow(tr("内容", "What happened"), self.narrative)
        form.addRow("", self.errors.add("narrative"))
        form.addRow(tr("次の対応", "Next action"), self.next_action)
        form.addRow(tr("次回予定日", "Next action date"), self.next_date)
        form.addRow("", self.errors.add("next_action_date"))
        layout.addLayout(form, 1)
        self.status = QLabel()
        self.status.setAccessibleName(tr("下書きの状態", "Draft state"))
        layout.addWidget(self.errors.general)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(tr("保存（Ctrl+Enter）", "Save (Ctrl+Enter)"))
        save.setAccessibleName(tr("保存", "Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("閉じる", "Close"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.save)
        self.template.currentIndexChanged.connect(self._template_picked)
        for signal in (self.place.textChanged, self.participants.textChanged, self.narrative.textChanged,
                       self.next_action.textChanged, self.kind.currentIndexChanged,
                       self.when.dateTimeChanged, self.next_date.check.toggled,
                       self.next_date.edit.dateChanged):  # fmt: skip
            signal.connect(self.mark_dirty)
        self.narrative.setFocus()

    # --- templates ----------------------------------------------------------------------

    def _template_picked(self, _index: int) -> None:
        key = self.template.currentData()
        if key:
            self.apply_template(str(key))

    def apply_template(self, key: str) -> None:
        for k, _label, kind, text in TEMPLATES:
            if k == key:
                set_combo(self.template, key)
                set_combo(self.kind, kind)
                if not self.narrative.toPlainText().strip():
                    self.narrative.setPlainText(text)
                self.narrative.setFocus()
                cursor = self.narrative.textCursor()
                cursor.movePosition(cursor.MoveOperation.End)
                self.narrative.setTextCursor(cursor)
                return

    # --- drafts -------------------------------------------------------------------------

    def payload(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id, "case_label": self.case_label,
            "kind": combo_value(self.kind), "template": self.template.currentData(),
            "contact_at": datetime_of(self.when.dateTime()).isoformat(timespec="minutes"),
            "place": self.place.text(), "participants": self.participants.text(),
            "narrative": self.narrative.toPlainText(), "next_action": self.next_action.text(),
            "next_action_date": self.next_date.iso(),
        }  # fmt: skip

    def load_payload(self, payload: dict[str, Any]) -> None:
        set_combo(self.template, payload.get("template"))
        set_combo(self.kind, payload.get("kind") or "visit")
        if payload.get("contact_at"):
            self.when.setDateTime(QDateTime(dt.datetime.fromisoformat(payload["contact_at"])))
        self.place.setText(payload.get("place") or "")
        self.participants.setText(payload.get("participants") or "")
        self.narrative.setPlainText(payload.get("narrative") or "")
        self.next_action.setText(payload.get("next_action") or "")
        nd = payload.get("next_action_date")
        self.next_date.set_value(parse_date(nd))
        self.status.setText(tr("下書きから復元しました。", "Restored from a draft."))

    def save_draft_now(self) -> None:
        was_dirty = self.dirty
        super().save_draft_now()
        if was_dirty:
            self.status.setText(
                tr("下書きを保存しました（{t}）", "Draft saved ({t})").format(
                    t=dt.datetime.now().strftime("%H:%M:%S")
                )
            )

    def _has_content(self) -> bool:
        return bool(self.narrative.toPlainText().strip() or self.next_action.text().strip())

    # --- save ---------------------------------------------------------------------------

    def save(self) -> None:
        self.errors.clear()
        actor = self.ctx.actor
        case_id, key = self.case_id, self.draft_key
        values: dict[str, Any] = dict(
            kind=combo_value(self.kind) or "visit",
            contact_at=datetime_of(self.when.dateTime()).replace(second=0, microsecond=0),
            place=self.place.text().strip() or None,
            participants=self.participants.text().strip() or None,
            narrative=self.narrative.toPlainText().strip(),
            next_action=self.next_action.text().strip() or None,
            next_action_date=self.next_date.value(),
        )

        def unit(s: Session) -> str:
            record_id = add_contact(s, actor, case_id=case_id, **values)
            drafts.delete_draft(s, key)
            return record_id

        def done(record_id: str) -> None:
            self.saved_id = record_id
            self.finish_saved()

        self.ctx.runner.db(unit, done, self.errors.show, changes=[events.CONTACT, events.DRAFT])
