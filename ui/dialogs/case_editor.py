"""New case / edit case, with validation messages shown next to the field concerned. A new
case may be attached to an existing household (searched by any member, or given when the
dialog opens from the households screen): its person joins the household with a 続柄."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.records import CaseDetail
from app.services.cases import create_case, update_case
from app.services.households import create_person, household_data
from ui import events
from ui.context import UiContext
from ui.i18n import tr
from ui.widgets import (
    AskBeforeDiscard,
    FieldErrors,
    FormRows,
    IssueChecks,
    OptionalDate,
    choice_combo,
    combo_value,
    elided_heading,
    error_label,
    fit_window,
    scroll_form,
    vocab_combo,
)


class CaseEditorDialog(AskBeforeDiscard, QDialog):
    """``detail`` None: a new case (with its person); else edits that case."""

    def __init__(
        self, ctx: UiContext, detail: CaseDetail | None = None, parent: QWidget | None = None,
        *, household: tuple[str, str] | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.ctx = ctx
        self.detail = detail
        self.case_id: str | None = detail.id if detail else None
        # Which case is being edited: its number and the person's name, in the title and as
        # the heading (the form itself shows neither: the person's fields are not edited here).
        who = ""
        if detail is not None:
            name = detail.person.name if detail.person else ""
            who = f"{detail.case_number}　{name}".strip()
        self.setWindowTitle(
            f"{tr('ケースの編集', 'Edit case')} — {who}" if detail else tr("新規ケース", "New case")
        )
        self.setMinimumWidth(640)
        self.errors = FieldErrors(error_label())
        layout = QVBoxLayout(self)
        self.heading = elided_heading(who)
        self.heading.setVisible(detail is not None)
        d = detail
        self.person_box = QGroupBox(tr("本人", "Person"))
        person = FormRows(QFormLayout(self.person_box), self.errors)
        self.person_name = person.add(tr("氏名", "Name"), QLineEdit(), field="name")
        self.person_kana = person.add(tr("ふりがな", "Kana"), QLineEdit())
        self.birth = person.add(
            tr("生年月日", "Birth date"), OptionalDate(tr("生年月日", "Birth date")),
            field="birth_date",
        )  # fmt: skip
        self.sex = person.add(tr("性別", "Sex"), vocab_combo(vocab.SEX, "unknown"))
        self.phone = person.add(tr("電話", "Phone"), QLineEdit())
        self.address = person.add(tr("住所", "Address"), QLineEdit())
        # 小学校区: chosen from the master list of the case's district, or typed.
        self.school_zone = person.add(tr("小学校区", "School zone"), QComboBox())
        self.school_zone.setEditable(True)
        self.person_box.setVisible(detail is None)
        layout.addWidget(self.person_box)
        self.household_box = QGroupBox(tr("世帯", "Household"))
        hh = FormRows(QFormLayout(self.household_box), self.errors)
        self.household_search = hh.add(tr("世帯を検索", "Find a household"), QLineEdit())
        self.household_search.setProperty("discard_check", False)
        self.household_search.setPlaceholderText(
            tr("世帯員の氏名・ふりがな・電話・住所", "A member's name, kana, phone, address")
        )
        self.household = hh.add(tr("既存の世帯", "Existing household"), QComboBox())
        self.household.addItem(tr("（世帯なし）", "(no household)"), None)
        # The GUI had no way to make a household at all (only the CLI and imports did).
        self.household.addItem(tr("（新しい世帯を作る・本人が世帯主）",
                                  "(a new household, the person its head)"), NEW_HOUSEHOLD)  # fmt: skip
        if household is not None:
            self.household.addItem(household[1], household[0])
            self.household.setCurrentIndex(2)
        from ui.dialogs.household_dialogs import relationship_combo

        self.relationship = hh.add(
            tr("続柄（世帯主との関係）", "Relationship to the head"), relationship_combo("child"),
            field="relationship",
        )  # fmt: skip
        self.household.currentIndexChanged.connect(lambda _i: self._household_chosen())
        self._household_chosen()
        self._hh_debounce = QTimer(self, singleShot=True, interval=200)
        self._hh_debounce.timeout.connect(self._find_households)
        self.household_search.textChanged.connect(lambda _t: self._hh_debounce.start())
        self.household_box.setVisible(detail is None)
        layout.addWidget(self.household_box)

        form = QFormLayout()
        rows = FormRows(form, self.errors)
        c = ctx.choices
        self.title = rows.add(tr("主訴", "Main concern"), QLineEdit(d.title if d else ""),
                              field="title")  # fmt: skip
        self.district = rows.add(
            tr("地区", "District"), choice_combo(c.districts, d.district_id if d else None)
        )
        self.district.currentIndexChanged.connect(lambda _i: self._fill_school_zones())
        self._fill_school_zones()
        self.status = rows.add(
            tr("状況", "Status"), vocab_combo(vocab.CASE_STATUS, d.status if d else "received")
        )
        self.urgency = rows.add(
            tr("緊急度", "Urgency"), vocab_combo(vocab.URGENCY, d.urgency if d else "medium")
        )
        self.issues = rows.add(
            tr("課題", "Issues"), IssueChecks(vocabulary=c.issue_vocab()), field="issue_categories"
        )
        self.issues.labels = c.issue_labels()
        self.issues.set_values(d.issue_categories if d else ())
        self.consent = rows.add(
            tr("同意", "Consent"),
            vocab_combo(vocab.CONSENT_STATUS, d.consent_status if d else "pending"),
        )
        self.consent_date = rows.add(
            tr("同意日", "Consent date"),
            OptionalDate(tr("同意日", "Consent date"), d.consent_date if d else None),
            field="consent_date",
        )
        self.lead = rows.add(
            tr("主担当機関", "Lead agency"),
            choice_combo(c.agencies, d.lead_agency_id if d else ctx.actor.agency_id),
        )
        self.assigned = rows.add(
            tr("担当者", "Assigned worker"),
            choice_combo(c.staff, d.assigned_staff_id if d else ctx.actor.staff_id),
        )
        # Reassigning an existing case is a coordinator's work (the server refuses it too).
        self.assigned.setEnabled(d is None or ctx.actor.role in ("coordinator", "admin"))
        self.notes = rows.add(tr("メモ", "Notes"), QPlainTextEdit(d.notes or "" if d else ""))
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(90)
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
        layout.insertWidget(0, self.heading)  # above the scrolling form, always in sight
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

    def _fill_school_zones(self) -> None:
        typed = self.school_zone.currentText()
        self.school_zone.clear()
        self.school_zone.addItem("")
        self.school_zone.addItems(self.ctx.choices.school_zone_names(combo_value(self.district)))
        self.school_zone.setCurrentText(typed)

    def person_values(self) -> dict[str, Any]:
        return {
            "name": self.person_name.text(), "kana": self.person_kana.text().strip() or None,
            "birth_date": self.birth.value(), "sex": combo_value(self.sex),
            "phone": self.phone.text().strip() or None, "address": self.address.text().strip() or None,
            "district_id": combo_value(self.district),
            "school_zone": self.school_zone.currentText().strip() or None,
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

            household_id, relationship = combo_value(self.household), combo_value(self.relationship)

            def unit(s: Session) -> str:
                if existing:
                    person_id: str | None = existing
                else:
                    person_id = (
                        create_person(s, actor, **person) if person["name"].strip() else None
                    )
                if household_id == NEW_HOUSEHOLD:
                    values["household_id"] = new_household(s, actor, person_id, person)
                elif household_id:
                    join_if_new(s, actor, household_id, person_id, relationship or "relative")
                    values["household_id"] = household_id
                title = values.pop("title")
                return create_case(s, actor, title=title, person_id=person_id, **values)

            changes = [events.CASE, events.PERSON, events.HOUSEHOLD]
        else:
            case_id, version = self.detail.id, self.detail.version

            def unit(s: Session) -> str:
                update_case(s, actor, case_id, values, expected_version=version)
                return case_id

            changes = [events.CASE]

        def done(case_id: str) -> None:
            self.case_id = case_id
            self.accept()

        self.ctx.runner.db(unit, done, self.errors.show, changes=changes)

    def _household_chosen(self) -> None:
        chosen = combo_value(self.household)
        self.relationship.setEnabled(chosen not in (None, NEW_HOUSEHOLD))

    def _find_households(self) -> None:
        from app.services.browse import household_ids, household_rows

        text = self.household_search.text()
        if not text.strip():
            return

        def load(s: Any) -> list[Any]:
            return household_rows(s, household_ids(s, text=text, limit=200)[:30])

        def show(rows: list[Any]) -> None:
            chosen = combo_value(self.household)
            self.household.blockSignals(True)
            while self.household.count() > 2:  # keep (no household) and (a new household)
                self.household.removeItem(2)
            for r in rows:
                self.household.addItem(f"{r.name}  {r.address or ''}".rstrip(), r.id)
            i = self.household.findData(chosen) if chosen else (2 if rows else 0)
            self.household.setCurrentIndex(max(i, 0))
            self.household.blockSignals(False)
            self._household_chosen()

        self.ctx.runner.db(load, show)

    def _check_duplicates(self) -> None:
        from app.services.duplicates import find_candidates

        p = self.person_values()

        def load(s: Session) -> list[Any]:
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


NEW_HOUSEHOLD = "__new__"


def new_household(s: Session, actor: Any, person_id: str | None, person: dict[str, Any]) -> str:
    """A household for a new case's person: 「（姓）さん世帯」 at the person's address, with
    the person as its head (世帯主). Members, the name and the situation are edited later on
    the households screen."""
    from app.services.households import add_member, create_household

    name = (person.get("name") or "").strip()
    surname = name.replace("\u3000", " ").split(" ")[0] if name else ""
    hid = create_household(s, actor, name=f"{surname}さん世帯" if surname else "世帯",
                           address=person.get("address"), district_id=person.get("district_id"))  # fmt: skip
    if person_id:
        add_member(s, actor, household_id=hid, person_id=person_id, relationship="self",
                   is_head=True)  # fmt: skip
    return hid


def join_if_new(
    s: Session, actor: Any, household_id: str, person_id: str | None, relationship: str
) -> None:
    """The new case's person joins the chosen household unless already a member there."""
    from app.services.household_edit import join_household

    if person_id and all(m.person.id != person_id for m in household_data(s, household_id).members):
        join_household(s, actor, household_id=household_id, person_id=person_id,
                       relationship=relationship)  # fmt: skip
