"""Referral editor (うけとめ・つなげるシート) with every field of the sheet; drafts autosaved.

Printing: the 印刷・PDF button renders the sheet with ``app.reports.service.referral_document``
in the background and opens ``ui.printing.preview_and_print`` (print, save as PDF); prints and
exports are audited through ``record_output``. Without those modules the button is disabled.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.domain import vocab
from app.domain.dates import parse_date
from app.domain.records import CaseDetail, ReferralData
from app.services import drafts
from app.services.cases import case_detail
from app.services.referrals import create_referral, referral_data, update_referral
from ui import events
from ui.context import UiContext
from ui.dialogs.draft_dialog import DraftDialog
from ui.i18n import tr, vlabel
from ui.widgets import (
    FieldErrors,
    FormRows,
    IssueChecks,
    OptionalDate,
    OptionalDateTime,
    VocabChecks,
    choice_combo,
    combo_value,
    error_label,
    fit_window,
    named,
    set_combo,
    vocab_combo,
)

TEXT_FIELDS = ("from_contact", "to_staff_name", "consulter_name", "consulter_relationship",
               "issue_other", "consent_signed_by", "reply_staff_name", "contact_note",
               "consent_agent_relationship")  # fmt: skip
LONG_FIELDS = (
    "household_situation",
    "account",
    "wishes",
    "services_involved",
    "reason",
    "reply_text",
)
DATE_FIELDS = ("referral_date", "consent_date", "reply_date")
# The label of each text and date field (a function: tr() needs the language chosen at start).
LABELS: dict[str, Callable[[], str]] = {
    "from_contact": lambda: tr("紹介元 連絡先", "Sender contact"),
    "to_staff_name": lambda: tr("紹介先 担当者", "Receiving worker"),
    "consulter_name": lambda: tr("相談者（本人以外）", "Consulted by (if not the person)"),
    "consulter_relationship": lambda: tr("本人との関係", "Relationship to the person"),
    "issue_other": lambda: tr("その他の課題", "Other issue"),
    "consent_signed_by": lambda: tr("同意署名者", "Consent signed by"),
    "consent_agent_relationship": lambda: tr("代理人の続柄", "Agent's relationship"),
    "contact_note": lambda: tr("連絡上の注意（その他）", "Other contact caution"),
    "reply_staff_name": lambda: tr("回答者", "Replied by"),
    "household_situation": lambda: tr("世帯の状況", "Household situation"),
    "account": lambda: tr("相談内容", "Account"),
    "wishes": lambda: tr("本人の希望", "The person's wishes"),
    "services_involved": lambda: tr("関わっているサービス", "Services already involved"),
    "reason": lambda: tr("紹介理由", "Reason for referral"),
    "reply_text": lambda: tr("回答内容", "Reply"),
    "referral_date": lambda: tr("紹介日", "Referral date"),
    "consent_date": lambda: tr("同意日", "Consent date"),
    "reply_date": lambda: tr("回答日", "Reply date"),
}


def printing_available() -> bool:
    return all(
        importlib.util.find_spec(m) is not None for m in ("ui.printing", "app.reports.service")
    )


def draft_key(case_id: str, referral_id: str | None) -> str:
    return f"referral:{referral_id}" if referral_id else f"referral-new:{case_id}"


class ReferralEditorDialog(DraftDialog):
    def __init__(self, ctx: UiContext, case_id: str, referral_id: str | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(ctx, draft_key(case_id, referral_id), parent)
        self.case_id, self.referral_id = case_id, referral_id
        self.setWindowTitle(tr("うけとめ・つなげるシート", "Referral sheet"))
        fit_window(self, 760, 820)  # the form scrolls (below); the window stays on the screen
        self.errors = FieldErrors(error_label())
        self._make_fields()
        body = QWidget()
        self._outer = QVBoxLayout(body)
        self._build_sections()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.errors.general)
        layout.addWidget(self._buttons())
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self._watch_edits()

    # --- building -----------------------------------------------------------------------

    def _make_fields(self) -> None:
        """The inputs, unlabelled: the form rows (``_build_sections``) name them."""
        ctx, c = self.ctx, self.ctx.choices
        self.texts: dict[str, QLineEdit] = {f: QLineEdit() for f in TEXT_FIELDS}
        self.longs: dict[str, QPlainTextEdit] = {}
        for f in LONG_FIELDS:
            box = QPlainTextEdit()
            box.setTabChangesFocus(True)
            box.setMaximumHeight(80)
            self.longs[f] = box
        self.dates: dict[str, OptionalDate] = {
            f: OptionalDate(LABELS[f](), dt.date.today() if f == "referral_date" else None)
            for f in DATE_FIELDS
        }
        self.receipt = QLabel(tr("（保存時に採番）", "(numbered on save)"))
        self.status = vocab_combo(vocab.REFERRAL_STATUS, "draft")
        self.consult_route = vocab_combo(vocab.CONSULT_ROUTE, unset=True)
        self.from_agency = choice_combo(c.agencies, ctx.actor.agency_id)
        self.from_staff = choice_combo(c.staff, ctx.actor.staff_id)
        self.to_agency = choice_combo(c.agencies)
        self.person = QLabel()
        self.person.setWordWrap(True)
        self.contact_cautions = VocabChecks(vocab.CONTACT_CAUTION, columns=2)
        self.issues = IssueChecks(vocabulary=c.issue_vocab())
        self.issues.labels = c.issue_labels()
        self.urgency = vocab_combo(vocab.URGENCY, "medium")
        self.handover = vocab_combo(vocab.HANDOVER, unset=True)
        self.first_meeting_at = OptionalDateTime(tr("初回面談の日時", "First meeting"))
        self.consent_basis = vocab_combo(vocab.CONSENT_BASIS, "consent")
        self.consent_agencies = named(QListWidget(), tr("同意を得た機関", "Agencies consented to"))
        self.consent_agencies.setMaximumHeight(110)
        for a in c.agencies:
            item = QListWidgetItem(a.name)
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.consent_agencies.addItem(item)
        self.meeting = named(
            choice_combo(c.meetings), tr("根拠となる支援会議", "Support meeting (basis)")
        )

    def _section(self, title: str) -> FormRows:
        box = QGroupBox(title)
        self._outer.addWidget(box)
        return FormRows(QFormLayout(box), self.errors)

    def _build_sections(self) -> None:
        t, lg, d = self.texts, self.longs, self.dates

        def label(field: str) -> str:
            return LABELS[field]()

        f = self._section(tr("受付", "Receipt"))
        f.add(tr("受付番号", "Receipt no."), self.receipt)
        f.add(label("referral_date"), d["referral_date"], field="referral_date")
        f.add(tr("状況", "Status"), self.status)
        f.add(
            tr("相談経路", "How the person came to us"), self.consult_route, field="consult_route"
        )

        f = self._section(tr("紹介元・紹介先", "From / to"))
        f.add(tr("紹介元機関", "Sending agency"), self.from_agency)
        f.add(tr("紹介元担当者", "Sending worker"), self.from_staff)
        f.add(label("from_contact"), t["from_contact"])
        f.add(tr("紹介先機関", "Receiving agency"), self.to_agency)
        f.add(label("to_staff_name"), t["to_staff_name"])

        f = self._section(tr("本人・相談者・世帯", "Person, consulter, household"))
        f.add(tr("本人", "Person"), self.person)
        f.add(tr("連絡上の注意", "Contact cautions"), self.contact_cautions,
              field="contact_cautions")  # fmt: skip
        f.add(label("contact_note"), t["contact_note"])
        f.add(label("consulter_name"), t["consulter_name"])
        f.add(label("consulter_relationship"), t["consulter_relationship"])
        f.add(label("household_situation"), lg["household_situation"])

        f = self._section(tr("課題", "Issues"))
        f.add("", self.issues)
        f.add(label("issue_other"), t["issue_other"])
        f.add(label("account"), lg["account"])
        f.add(label("wishes"), lg["wishes"])
        f.add(label("services_involved"), lg["services_involved"])

        f = self._section(tr("紹介理由・緊急度", "Reason and urgency"))
        f.add(label("reason"), lg["reason"])
        f.add(tr("緊急度", "Urgency"), self.urgency)

        f = self._section(tr("つなぎ方", "Hand-over"))
        f.add(tr("つなぎ方", "Hand-over"), self.handover, field="handover")
        f.add(
            tr("初回面談の日時", "First meeting"), self.first_meeting_at, field="first_meeting_at"
        )

        f = self._section(tr("同意", "Consent"))
        f.add(tr("同意の根拠", "Basis"), self.consent_basis)
        f.add(tr("同意を得た機関", "Agencies"), self.consent_agencies)
        f.add(label("consent_signed_by"), t["consent_signed_by"])
        f.add(label("consent_agent_relationship"), t["consent_agent_relationship"])
        f.add(label("consent_date"), d["consent_date"])
        f.add(tr("支援会議", "Support meeting"), self.meeting, field="meeting_id")

        f = self._section(tr("紹介先からの回答", "Reply from the receiving agency"))
        f.add(label("reply_date"), d["reply_date"])
        f.add(label("reply_staff_name"), t["reply_staff_name"])
        f.add(label("reply_text"), lg["reply_text"])

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            tr("保存（Ctrl+S）", "Save (Ctrl+S)")
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("閉じる", "Close"))
        self.print_button = named(
            QPushButton(tr("印刷・PDF…", "Print / PDF…")),
            tr("紹介票を印刷", "Print referral sheet"),
        )
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_sheet)
        self._update_print_button()
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        return buttons

    def _combos(self) -> tuple[tuple[str, QComboBox], ...]:
        """The choice fields, by the name they are saved under."""
        return (("status", self.status), ("from_agency_id", self.from_agency),
                ("from_staff_id", self.from_staff), ("to_agency_id", self.to_agency),
                ("urgency", self.urgency), ("consent_basis", self.consent_basis),
                ("meeting_id", self.meeting), ("consult_route", self.consult_route),
                ("handover", self.handover))  # fmt: skip

    def _watch_edits(self) -> None:
        for line in self.texts.values():
            line.textChanged.connect(self.mark_dirty)
        for long in self.longs.values():
            long.textChanged.connect(self.mark_dirty)
        for _name, combo in self._combos():
            combo.currentIndexChanged.connect(self.mark_dirty)
        for check in [*self.issues.boxes.values(), *self.contact_cautions.boxes.values()]:
            check.toggled.connect(self.mark_dirty)
        self.first_meeting_at.check.toggled.connect(self.mark_dirty)
        self.first_meeting_at.edit.dateTimeChanged.connect(self.mark_dirty)
        self.consent_agencies.itemChanged.connect(self.mark_dirty)

    def _update_print_button(self) -> None:
        self.print_button.setEnabled(printing_available() and self.referral_id is not None)
        if not printing_available():
            self.print_button.setToolTip(tr("印刷機能は未導入です。", "Printing is not installed."))
        elif self.referral_id is None:
            self.print_button.setToolTip(
                tr("保存してから印刷できます。", "Save the sheet before printing.")
            )

    def print_sheet(self) -> None:
        """Render the saved sheet off the UI thread, then preview / print / save it."""
        if not printing_available() or self.referral_id is None:
            return
        printing = importlib.import_module("ui.printing")
        service = importlib.import_module("app.reports.service")
        runner, actor, rid = self.ctx.runner, self.ctx.actor, self.referral_id
        store = runner.store

        def audited(doc: Any) -> Any:
            def on_output(action: str, _path: object) -> None:
                runner.run(lambda _c: service.record_output(store, actor, doc, action))

            return on_output

        def show(doc: Any) -> None:
            printing.preview_and_print(self, doc.pdf, doc.title, suggested_name=doc.suggested_name,
                                       on_output=audited(doc))  # fmt: skip

        runner.run(lambda _c: service.referral_document(store, actor, rid), show)

    # --- loading ------------------------------------------------------------------------

    def load_from_database(self, draft: dict[str, Any] | None = None) -> None:
        actor, case_id, rid = self.ctx.actor, self.case_id, self.referral_id

        def unit(s: Session) -> tuple[Any, dict[str, Any] | None]:
            data = (
                referral_data(s, actor, rid)
                if rid
                else case_detail(s, actor, case_id, audit_view=False)
            )
            return data, draft if draft is not None else drafts.load_draft(s, self.draft_key)

        self.ctx.runner.db(unit, self._loaded)

    def _loaded(self, result: tuple[Any, dict[str, Any] | None]) -> None:
        data, draft = result
        self._loading = True
        try:
            if isinstance(data, ReferralData):
                self._fill(data)
            elif isinstance(data, CaseDetail):
                self._prefill(data)
            if draft:
                self.load_payload(draft)
        finally:
            self._loading = False

    def _prefill(self, d: CaseDetail) -> None:
        self.person.setText(self._person_text(d.person))
        self.issues.set_values(d.issue_categories)
        set_combo(self.urgency, d.urgency)
        set_combo(
            self.consent_basis, "consent" if d.consent_status == "given" else "support_meeting"
        )
        self._set_consent_agencies(d.consent_agency_ids)
        self.dates["consent_date"].set_value(d.consent_date)
        if d.household:
            self.longs["household_situation"].setPlainText(d.household.situation or "")

    def _fill(self, r: ReferralData) -> None:
        self.receipt.setText(r.receipt_number)
        self.person.setText(self._person_text(r.person))
        set_combo(self.status, r.status)
        set_combo(self.from_agency, r.from_agency_id)
        set_combo(self.from_staff, r.from_staff_id)
        set_combo(self.to_agency, r.to_agency_id)
        set_combo(self.urgency, r.urgency)
        set_combo(self.consent_basis, r.consent_basis)
        set_combo(self.meeting, r.meeting_id)
        set_combo(self.consult_route, r.consult_route)
        set_combo(self.handover, r.handover)
        self.first_meeting_at.set_value(r.first_meeting_at)
        self.contact_cautions.set_values(r.contact_cautions)
        self.issues.set_values(r.issue_categories)
        self._set_consent_agencies(r.consent_agency_ids)
        for f in TEXT_FIELDS:
            self.texts[f].setText(getattr(r, f) or "")
        for f in LONG_FIELDS:
            self.longs[f].setPlainText(getattr(r, f) or "")
        for f in DATE_FIELDS:
            self.dates[f].set_value(getattr(r, f))

    def _person_text(self, p: Any) -> str:
        if p is None:
            return ""
        age = p.age_on(dt.date.today())
        return (f"{p.name}（{p.kana or ''}）　{vlabel(vocab.SEX, p.sex)}　{p.birth_date or ''}"
                f"（{age if age is not None else '?'}）\n{p.address or ''}　{p.phone or ''}")  # fmt: skip

    def _set_consent_agencies(self, ids: Any) -> None:
        for i in range(self.consent_agencies.count()):
            item = self.consent_agencies.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in set(ids or ())
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _consent_agency_ids(self) -> list[str]:
        return [
            str(self.consent_agencies.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.consent_agencies.count())
            if self.consent_agencies.item(i).checkState() == Qt.CheckState.Checked
        ]

    # --- drafts and saving --------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {f: self.texts[f].text().strip() for f in TEXT_FIELDS}
        out |= {f: self.longs[f].toPlainText().strip() for f in LONG_FIELDS}
        out |= {f: self.dates[f].iso() for f in DATE_FIELDS}
        out |= {
            "status": combo_value(self.status), "from_agency_id": combo_value(self.from_agency),
            "from_staff_id": combo_value(self.from_staff), "to_agency_id": combo_value(self.to_agency),
            "issue_categories": self.issues.values(), "urgency": combo_value(self.urgency),
            "consent_basis": combo_value(self.consent_basis),
            "consent_agency_ids": self._consent_agency_ids(), "meeting_id": combo_value(self.meeting),
            "consult_route": combo_value(self.consult_route), "handover": combo_value(self.handover),
            "contact_cautions": self.contact_cautions.values(),
            "first_meeting_at": self.first_meeting_at.iso(),
        }  # fmt: skip
        return out

    def payload(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "referral_id": self.referral_id, "values": self.values()}

    def load_payload(self, payload: dict[str, Any]) -> None:
        v = payload.get("values") or {}
        for f in TEXT_FIELDS:
            self.texts[f].setText(v.get(f) or "")
        for f in LONG_FIELDS:
            self.longs[f].setPlainText(v.get(f) or "")
        for f in DATE_FIELDS:
            self.dates[f].set_value(parse_date(v.get(f)))
        for name, combo in self._combos():
            set_combo(combo, v.get(name))
        self.issues.set_values(v.get("issue_categories") or [])
        self.contact_cautions.set_values(v.get("contact_cautions") or [])
        fm = v.get("first_meeting_at")
        self.first_meeting_at.set_value(dt.datetime.fromisoformat(fm) if fm else None)
        self._set_consent_agencies(v.get("consent_agency_ids") or [])

    def _has_content(self) -> bool:
        return self.dirty

    def save(self) -> None:
        self.errors.clear()
        actor, values, key = self.ctx.actor, self.values(), self.draft_key
        case_id, rid = self.case_id, self.referral_id

        def unit(s: Session) -> str:
            if rid:
                update_referral(s, actor, rid, values)
                out = rid
            else:
                out = create_referral(s, actor, case_id=case_id, **values)
            drafts.delete_draft(s, key)
            return out

        def done(referral_id: str) -> None:
            self.referral_id = referral_id
            self.finish_saved()

        self.ctx.runner.db(unit, done, self.errors.show, changes=[events.REFERRAL, events.DRAFT])
