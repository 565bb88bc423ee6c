"""Add or edit a regional resource (地域資源)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.records import ResourceData
from app.services.resources import create_resource, update_resource
from ui import events
from ui.context import UiContext
from ui.i18n import tr
from ui.widgets import (
    AskBeforeDiscard,
    FieldErrors,
    choice_combo,
    combo_value,
    error_label,
    named,
    vocab_combo,
)


class ResourceEditorDialog(AskBeforeDiscard, QDialog):
    def __init__(
        self, ctx: UiContext, resource: ResourceData | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.resource = ctx, resource
        r = resource
        self.setWindowTitle(
            tr("地域資源の編集", "Edit regional resource")
            if r
            else tr("地域資源の登録", "New regional resource")
        )
        self.setMinimumWidth(520)
        self.errors = FieldErrors(error_label())
        self.name = named(QLineEdit(r.name if r else ""), tr("名称", "Name"))
        self.kana = named(QLineEdit(r.kana or "" if r else ""), tr("ふりがな", "Kana"))
        self.kind = named(
            vocab_combo(vocab.RESOURCE_KIND, r.kind if r else "gathering"), tr("種類", "Kind")
        )
        self.district = named(
            choice_combo(ctx.choices.districts, r.district_id if r else None),
            tr("地区", "District"),
        )
        self.address = named(QLineEdit(r.address or "" if r else ""), tr("住所", "Address"))
        self.schedule = named(QLineEdit(r.schedule or "" if r else ""), tr("日程", "Schedule"))
        self.contact = named(QLineEdit(r.contact or "" if r else ""), tr("連絡先", "Contact"))
        self.notes = named(QPlainTextEdit(r.notes or "" if r else ""), tr("メモ", "Notes"))
        self.notes.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow(tr("名称", "Name"), self.name)
        form.addRow("", self.errors.add("name"))
        for label, w in ((tr("ふりがな", "Kana"), self.kana), (tr("種類", "Kind"), self.kind),
                         (tr("地区", "District"), self.district), (tr("住所", "Address"), self.address),
                         (tr("日程", "Schedule"), self.schedule), (tr("連絡先", "Contact"), self.contact),
                         (tr("メモ", "Notes"), self.notes)):  # fmt: skip
            form.addRow(label, w)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("保存", "Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("キャンセル", "Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text().strip(), "kana": self.kana.text().strip(),
            "kind": combo_value(self.kind), "district_id": combo_value(self.district),
            "address": self.address.text().strip(), "schedule": self.schedule.text().strip(),
            "contact": self.contact.text().strip(), "notes": self.notes.toPlainText().strip(),
        }  # fmt: skip

    def save(self) -> None:
        self.errors.clear()
        actor, values, rid = (
            self.ctx.actor,
            self.values(),
            self.resource.id if self.resource else None,
        )

        def unit(s: Session) -> None:
            if rid:
                update_resource(s, actor, rid, values)
            else:
                create_resource(s, actor, **values)

        self.ctx.runner.db(
            unit, lambda _r: self.accept(), self.errors.show, changes=[events.RESOURCE]
        )
