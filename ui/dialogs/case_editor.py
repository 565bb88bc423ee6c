"""New case / edit case, with validation messages shown next to the field concerned."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import vocab
from app.domain.records import CaseDetail
from app.services.cases import create_case, update_case
from app.services.households import create_person
from ui import events
from ui.context import UiContext
from ui.i18n import tr
from ui.widgets import (
    FieldErrors,
    IssueChecks,
    OptionalDate,
    choice_combo,
    combo_value,
    error_label,
    fit_window,
    named,
    scroll_form,
    vocab_combo,
)


class CaseEditorDialog(QDialog):
    """``detail`` None: a new case (with its person); else edits that case."""

    def __init__(
        self, ctx: UiContext, detail: CaseDetail | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail = detail
        self.case_id: str | None = detail.id if detail else None
        self.setWindowTitle(
            tr("ケースの編集", "Edit case") if detail else tr("新規ケース", "New case")
        )
        self.setMinimumWidth(640)
        self.errors = FieldErrors(error_label())
        layout = QVBoxLayout(self)
        d = detail
        self.person_box = QGroupBox(tr("本人", "Person"))
        pform = QFormLayout(self.person_box)
        self.person_name = named(QLineEdit(), tr("氏名", "Name"))
        self.person_kana = named(QLineEdit(), tr("ふりがな", "Kana"))
        self.birth = OptionalDate(tr("生年月日", "Birth date"))
        self.sex = named(vocab_combo(vocab.SEX, "unknown"), tr("性別", "Sex"))
        self.phone = named(QLineEdit(), tr("電話", "Phone"))
        self.address = named(QLineEdit(), tr("住所", "Address"))
        pform.addRow(tr("氏名", "Name"), self.person_name)
        pform.addRow("", self.errors.add("name"))
        pform.addRow(tr("ふりがな", "Kana"), self.person_kana)
        pform.addRow(tr("生年月日", "Birth date"), self.birth)
        pform.addRow("", self.errors.add("birth_date"))
        pform.addRow(tr("性別", "Sex"), self.sex)
        pform.addRow(tr("電話", "Phone"), self.phone)
        pform.addRow(tr("住所", "Address"), self.address)
        self.person_box.setVisible(detail is None)
        layout.addWidget(self.person_box)

        form = QFormLayout()
        self.title = named(QLineEdit(d.title if d else ""), tr("主訴", "Main concern"))
        self.district = named(
            choice_combo(ctx.choices.districts, d.district_id if d else None),
            tr("地区", "District"),
        )
        self.status = named(
            vocab_combo(vocab.CASE_STATUS, d.status if d else "received"), tr("状況", "Status")
        )
        self.urgency = named(
            vocab_combo(vocab.URGENCY, d.urgency if d else "medium"), tr("緊急度", "Urgency")
        )
        self.issues = IssueChecks()
        self.issues.set_values(d.issue_categories if d else ())
        self.consent = named(
            vocab_combo(vocab.CONSENT_STATUS, d.consent_status if d else "pending"),
            tr("同意", "Consent"),
        )
        self.consent_date = OptionalDate(
            tr("同意日", "Consent date"), d.consent_date if d else None
        )
        self.lead = named(
            choice_combo(ctx.choices.agencies, d.lead_agency_id if d else ctx.actor.agency_id),
            tr("主担当機関", "Lead agency"),
        )
        self.assigned = named(
            choice_combo(ctx.choices.staff, d.assigned_staff_id if d else ctx.actor.staff_id),
            tr("担当者", "Assigned worker"),
        )
        # Reassigning an existing case is a coordinator's work (the server refuses it too).
        self.assigned.setEnabled(d is None or ctx.actor.role in ("coordinator", "admin"))
        self.notes = named(QPlainTextEdit(d.notes or "" if d else ""), tr("メモ", "Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(90)
        form.addRow(tr("主訴", "Main concern"), self.title)
        form.addRow("", self.errors.add("title"))
        form.addRow(tr("地区", "District"), self.district)
        form.addRow(tr("状況", "Status"), self.status)
        form.addRow(tr("緊急度", "Urgency"), self.urgency)
        form.addRow(tr("課題", "Issues"), self.issues)
        form.addRow("", self.errors.add("issue_categories"))
        form.addRow(tr("同意", "Consent"), self.consent)
        form.addRow(tr("同意日", "Consent date"), self.consent_date)
        form.addRow("", self.errors.add("consent_date"))
        form.addRow(tr("主担当機関", "Lead agency"), self.lead)
        form.addRow(tr("担当者", "Assigned worker"), self.assigned)
        form.addRow(tr("メモ", "Notes"), self.notes)
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
        scroll_form(layout)  # all of it where the screen allows, scrolling on a small one
        fit_window(self)
        (self.person_name if detail is None else self.title).setFocus()

    def values(self) -> dict[str, Any]:
        return {
            "title": self.title.text(), "district_id": combo_value(self.district),
            "status": combo_value(self.status), "urgency": combo_value(self.urgency),
            "issue_categories": self.issues.values(), "consent_status": combo_value(self.consent),
            "consent_date": self.consent_date.value(), "lead_agency_id": combo_value(self.lead),
            "assigned_staff_id": combo_value(self.assigned), "notes": self.notes.toPlainText().strip(),
        }  # fmt: skip

    def person_values(self) -> dict[str, Any]:
        return {
            "name": self.person_name.text(), "kana": self.person_kana.text().strip() or None,
            "birth_date": self.birth.value(), "sex": combo_value(self.sex),
            "phone": self.phone.text().strip() or None, "address": self.address.text().strip() or None,
            "district_id": combo_value(self.district),
        }  # fmt: skip

    # A new case's person: checked for likely duplicates first (app/services/duplicates.py).
    existing_person_id: str | None = None
    duplicates_checked = False
    duplicate_dialog: Any = None

    def save(self) -> None:
        self.errors.clear()
        if self.detail is None and not self.duplicates_checked and self.person_name.text().strip():
            self._check_duplicates()
            return
        actor, values = self.ctx.actor, self.values()
        if self.detail is None:
            person = self.person_values()
            existing = self.existing_person_id

            def unit(s: Any) -> str:
                if existing:
                    person_id: str | None = existing
                else:
                    person_id = (
                        create_person(s, actor, **person) if person["name"].strip() else None
                    )
                title = values.pop("title")
                return create_case(s, actor, title=title, person_id=person_id, **values)

            changes = [events.CASE, events.PERSON]
        else:
            case_id, version = self.detail.id, self.detail.version

            def unit(s: Any) -> str:
                update_case(s, actor, case_id, values, expected_version=version)
                return case_id

            changes = [events.CASE]

        def done(case_id: str) -> None:
            self.case_id = case_id
            self.accept()

        self.ctx.runner.db(unit, done, self.errors.show, changes=changes)

    def _check_duplicates(self) -> None:
        from app.services.duplicates import find_candidates

        p = self.person_values()

        def load(s: Any) -> list[Any]:
            return find_candidates(s, name=p["name"], kana=p["kana"], phone=p["phone"],
                                   address=p["address"], birth_date=p["birth_date"])  # fmt: skip

        self.ctx.runner.db(load, self._candidates, self.errors.show)

    def _candidates(self, found: list[Any]) -> None:
        if not found:
            self.duplicates_checked = True
            self.save()
            return
        from ui.dialogs.duplicate_dialog import DuplicateDialog

        dialog = DuplicateDialog(found, mode="new", parent=self)
        self.duplicate_dialog = dialog

        def decided(_result: int) -> None:
            if dialog.choice is None:
                return  # cancelled: back to the form, nothing saved
            self.duplicates_checked = True
            self.existing_person_id = dialog.person_id if dialog.choice == "existing" else None
            self.save()

        dialog.finished.connect(decided)
        dialog.open()
