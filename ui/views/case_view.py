"""One case: the person and household (members, relationships, life-stage timeline), issues,
consent, support team, contact history (newest first), referrals and meetings."""

from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain import vocab
from app.domain.records import CaseDetail, ContactData
from app.protocol.periods import era_text
from app.services.cases import case_detail
from ui import events
from ui.context import UiContext
from ui.i18n import language, tr, vlabel
from ui.models.rows_table_model import Column, RowsTableModel
from ui.views.timeline import LifeStageTimeline
from ui.widgets import FormRows, FormScroll, elided_heading, empty_state, named, table_view

if TYPE_CHECKING:  # SQLAlchemy comes with the store, after the first window
    from sqlalchemy.orm import Session


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def _value() -> QLabel:
    """The value of an overview row: the case's data as plain text (never read as markup),
    wrapped, selectable and copyable like the text it replaced."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return label


def _with_era(day: dt.date | None) -> str:
    """A birth date as offices read it: 1962-01-03（昭和37年）; the era only in Japanese."""
    if day is None:
        return ""
    return f"{day.isoformat()}（{era_text(day)}）" if language() == "ja" else day.isoformat()


def _joined(*parts: object) -> str:
    return "\u3000".join(str(p) for p in parts if p not in (None, ""))


class _OverviewRows(FormScroll):
    """The overview's rows: asks for the height they take at the width they have (a value
    that wraps takes more lines in a narrower window), so every row shows when the screen has
    room and the rows scroll only when it has not."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint()
        body, width = self.widget(), self.viewport().width()
        if body is not None and width > 0 and body.hasHeightForWidth():
            hint.setHeight(body.heightForWidth(width))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the height for the new width


class CaseView(QWidget):
    back = Signal()
    record_visit = Signal(str, str)  # case id, label
    new_referral = Signal(str)
    open_referral = Signal(str)
    open_meeting = Signal(str)  # Enter or a double click on the 支援会議 tab's row
    loaded = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: CaseDetail | None = None
        self.case_id: str | None = None
        self._not_accepted: frozenset[str] = frozenset()  # refused by the server, not resent
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(tr("ケースの内容", "Case sections"))
        self.overview = self._overview_page()
        self.tabs.addTab(self.overview, tr("概要", "Overview"))
        self.tabs.addTab(
            self._household_page(), tr("世帯・ライフステージ", "Household and life stages")
        )
        self.tabs.addTab(self._contacts_page(), tr("相談・訪問記録", "Contacts"))
        self.tabs.addTab(self._referrals_view(), tr("紹介", "Referrals"))
        self.tabs.addTab(self._meetings_view(), tr("支援会議", "Meetings"))
        layout = QVBoxLayout(self)
        layout.addLayout(self._top_bar())
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence("Esc"), self, self.back.emit)
        QShortcut(QKeySequence("Ctrl+E"), self, self.edit)
        QShortcut(QKeySequence("Ctrl+R"), self, self._record_visit)
        events.bus().changed.connect(self._changed)

    def _top_bar(self) -> QHBoxLayout:
        """Back, the case's title, and what can be done with it. A button's text is its
        accessible name unless the action needs more words."""
        self.title = elided_heading()  # a long title must not widen the window
        self.title.setAccessibleName(tr("ケース", "Case"))
        back = named(
            QPushButton(tr("← 一覧（Esc）", "← List (Esc)")), tr("一覧に戻る", "Back to list")
        )
        back.clicked.connect(self.back)
        self.edit_button = named(
            QPushButton(tr("編集（Ctrl+E）", "Edit (Ctrl+E)")), tr("ケースを編集", "Edit case")
        )
        self.edit_button.clicked.connect(self.edit)
        self.visit_button = named(
            QPushButton(tr("記録を入力（Ctrl+R）", "Record contact (Ctrl+R)")),
            tr("記録を入力", "Record contact"),
        )
        self.visit_button.clicked.connect(self._record_visit)
        self.referral_button = QPushButton(tr("紹介票を作成", "New referral"))
        self.referral_button.clicked.connect(self._new_referral)
        self.print_button = named(
            QPushButton(tr("概要を印刷…", "Print summary…")),
            tr("ケース概要の印刷プレビュー", "Case summary print preview"),
        )
        self.print_button.clicked.connect(lambda: self.print_summary())  # not clicked(bool)
        self.duplicates_button = named(
            QPushButton(tr("重複の確認…", "Duplicates…")),
            tr("本人の重複の確認と統合", "Check and merge duplicates of the person"),
        )
        self.duplicates_button.clicked.connect(lambda: self.check_duplicates())
        self.duplicates_button.setVisible(self.ctx.actor.role in ("coordinator", "admin"))
        top = QHBoxLayout()
        top.addWidget(back)
        top.addWidget(self.title, 1)
        for b in (self.edit_button, self.visit_button, self.referral_button, self.print_button,
                  self.duplicates_button):  # fmt: skip
            top.addWidget(b)
        return top

    def _overview_page(self) -> QWidget:
        """The person and the case as form rows (each value named by its row's label), then
        the support team and the tasks from meetings."""
        self.person_box = QGroupBox(tr("本人", "Person"))
        person = FormRows(QFormLayout(self.person_box))
        self.person_fields = {
            "name": person.add(tr("氏名", "Name"), _value()),
            "birth_date": person.add(tr("生年月日", "Birth date"), _value()),
            "sex": person.add(tr("性別", "Sex"), _value()),
            "address": person.add(tr("住所", "Address"), _value()),
            "phone": person.add(tr("電話", "Phone"), _value()),
            "school_zone": person.add(tr("小学校区", "School zone"), _value()),
            "notes": person.add(tr("メモ", "Notes"), _value()),
        }
        case_box = QGroupBox(tr("ケース", "Case"))
        rows = FormRows(QFormLayout(case_box))
        self.case_fields = {
            "status": rows.add(tr("状況", "Status"), _value()),
            "urgency": rows.add(tr("緊急度", "Urgency"), _value()),
            "issues": rows.add(tr("課題", "Issues"), _value()),
            "district": rows.add(tr("地区", "District"), _value()),
            "lead_agency": rows.add(tr("主担当機関", "Lead agency"), _value()),
            "assigned": rows.add(tr("担当者", "Assigned worker"), _value()),
            "consent": rows.add(tr("同意", "Consent"), _value()),
            "opened_on": rows.add(tr("受付日", "Opened"), _value()),
            "closed_on": rows.add(tr("終結日", "Closed"), _value()),
            "notes": rows.add(tr("メモ", "Notes"), _value()),
        }
        body = QWidget()
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(self.person_box, 1, Qt.AlignmentFlag.AlignTop)
        columns.addWidget(case_box, 1, Qt.AlignmentFlag.AlignTop)
        # The support team and the tasks are tables: one text, as the whole overview was.
        self.team_text = named(QTextBrowser(), tr("支援チーム・やること", "Support team and tasks"))
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_OverviewRows(body))  # every row when the screen has room, else it scrolls
        layout.addWidget(self.team_text, 1)
        return page

    def _household_page(self) -> QWidget:
        self.timeline = LifeStageTimeline()
        self.members = RowsTableModel([
            Column(tr("氏名", "Name"), lambda m: m.person.name),
            Column(tr("ふりがな", "Kana"), lambda m: m.person.kana or ""),
            Column(tr("続柄", "Relationship"), lambda m: vlabel(vocab.RELATIONSHIP, m.relationship)),
            Column(tr("年齢", "Age"), lambda m: str(m.person.age_on(self._today()) or "")),
            Column(tr("同居", "Lives with"), lambda m: tr("同居", "yes") if m.lives_together else tr("別居", "no")),
            Column(tr("電話", "Phone"), lambda m: m.person.phone or ""),
        ], self)  # fmt: skip
        members_view = table_view(tr("世帯員", "Household members"))
        members_view.setModel(self.members)
        self.household_label = QLabel()
        self.household_label.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.household_label)
        layout.addWidget(members_view, 1)
        layout.addWidget(QLabel(tr("ライフステージ", "Life stages")))
        layout.addWidget(self.timeline)
        return page

    def _contacts_page(self) -> QWidget:
        self.contacts = RowsTableModel([
            Column(tr("日時", "When"), lambda c: c.contact_at.strftime("%Y-%m-%d %H:%M")),
            Column(tr("種別", "Kind"), lambda c: vlabel(vocab.CONTACT_KIND, c.kind)),
            Column(tr("内容", "What happened"), lambda c: self._mark(c.id) + _first_line(c.narrative)),
            Column(tr("次の対応", "Next"), lambda c: " ".join(x for x in [str(c.next_action_date or ""), c.next_action or ""] if x)),
            Column(tr("記録者", "By"), lambda c: c.staff_name or ""),
            Column(tr("場所", "Place"), lambda c: c.place or ""),
        ], self)  # fmt: skip
        view = table_view(tr("相談・訪問記録", "Contact history"))
        view.setModel(self.contacts)
        self.contact_text = named(QTextBrowser(), tr("記録の内容", "Contact text"))
        self.contact_text.setMaximumHeight(130)
        view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._show_contact(self.contacts.row_at(cur.row()))
        )
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(view, 1)
        layout.addWidget(self.contact_text)
        return page

    def _referrals_view(self) -> QWidget:
        self.referrals = RowsTableModel([
            Column(tr("受付番号", "Receipt no."), lambda r: r.receipt_number),
            Column(tr("日付", "Date"), lambda r: str(r.referral_date or "")),
            Column(tr("状況", "Status"), lambda r: self._mark(r.id) + vlabel(vocab.REFERRAL_STATUS, r.status)),
            Column(tr("紹介先", "To"), lambda r: r.to_agency_name or ""),
        ], self)  # fmt: skip
        view = table_view(tr("紹介", "Referrals"))
        view.setModel(self.referrals)
        view.activated.connect(lambda i: self.open_referral.emit(self.referrals.row_at(i.row()).id))
        self.referrals_empty = empty_state(view, tr(
            "このケースの紹介（うけとめ・つなげるシート）はまだありません。"
            "「紹介票を作成」で作成できます。",
            "No referral for this case yet. Create one with New referral."))  # fmt: skip
        return view

    def _meetings_view(self) -> QWidget:
        self.meetings = RowsTableModel([
            Column(tr("開催日", "Held on"), lambda m: str(m.held_on or "")),
            Column(tr("種別", "Kind"), lambda m: vlabel(vocab.MEETING_KIND, m.kind)),
            Column(tr("件名", "Title"), lambda m: m.title or ""),
        ], self)  # fmt: skip
        view = table_view(tr("支援会議", "Support meetings"))
        view.setModel(self.meetings)

        def activated(index: Any) -> None:
            row = self.meetings.row_at(index.row())
            if row is not None:
                self.open_meeting.emit(row.id)

        view.activated.connect(activated)
        self.meetings_table = view
        self.meetings_empty = empty_state(view, tr(
            "このケースを議題にした会議はありません。"
            "支援会議・重層的支援会議・進捗会議で議題になると、ここに表示されます。",
            "No meeting has discussed this case. Meetings with it on their agenda appear "
            "here."))  # fmt: skip
        return view

    def _today(self) -> Any:
        import datetime as dt

        return dt.date.today()

    def load(self, case_id: str) -> None:
        self.case_id = case_id
        actor = self.ctx.actor
        self.ctx.runner.db(lambda s: case_detail(s, actor, case_id), self._show)

    def _changed(self, entities: frozenset[str], _initiator: object) -> None:
        if (
            self.case_id
            and self.isVisible()
            and entities & {events.CASE, events.CONTACT, events.REFERRAL}
        ):
            actor, case_id = self.ctx.actor, self.case_id
            self.ctx.runner.db(
                lambda s: case_detail(s, actor, case_id, audit_view=False), self._show
            )

    def _show(self, d: CaseDetail) -> None:
        if d.id != self.case_id:
            return
        self.detail = d
        name = d.person.name if d.person else ""
        self.title.setText(f"{d.case_number}　{name}　{d.title}")
        self._show_overview(d)
        hh = d.household
        self.household_label.setText(
            f"<b>{_e(hh.name)}</b>　{_e(hh.address)}　{_e(hh.situation)}"
            if hh
            else tr("世帯の登録がありません", "No household recorded")
        )
        self.members.set_rows(hh.members if hh else ())
        self.timeline.set_household(hh)
        self._not_accepted = frozenset(d.not_accepted)
        self.contacts.set_rows(d.contacts)
        self.referrals.set_rows(d.referrals)
        self.meetings.set_rows(d.meetings)
        self.tabs.setTabText(
            2, tr("相談・訪問記録（{n}）", "Contacts ({n})").format(n=len(d.contacts))
        )
        self.loaded.emit(d.id)

    def _mark(self, record_id: str) -> str:
        """A record the server refused stays here, marked (fix or resend it on the sync screen)."""
        if record_id not in self._not_accepted:
            return ""
        return tr("【サーバー未受付】", "[Not accepted by the server] ")

    def _show_overview(self, d: CaseDetail) -> None:
        p = d.person
        self.person_box.setVisible(p is not None)
        if p is not None:
            age = p.age_on(self._today())
            person: dict[str, object] = {
                "name": f"{p.name}（{p.kana}）" if p.kana else p.name,
                "birth_date": _joined(_with_era(p.birth_date),
                                      f"{age}{tr('歳', ' y')}" if age is not None else ""),
                "sex": vlabel(vocab.SEX, p.sex), "address": p.address, "phone": p.phone,
                "school_zone": p.school_zone, "notes": p.notes,
            }  # fmt: skip
            for key, label in self.person_fields.items():
                label.setText(str(person[key] or ""))
        values: dict[str, object] = {
            "status": vlabel(vocab.CASE_STATUS, d.status),
            "urgency": vlabel(vocab.URGENCY, d.urgency),
            "issues": "、".join(vlabel(self.ctx.choices.issue_labels(), c) for c in d.issue_categories),
            "district": d.district_name, "lead_agency": d.lead_agency_name,
            "assigned": d.assigned_staff_name,
            "consent": _joined(vlabel(vocab.CONSENT_STATUS, d.consent_status), d.consent_date,
                               "、".join(d.consent_agency_names)),
            "opened_on": d.opened_on, "closed_on": d.closed_on, "notes": d.notes,
        }  # fmt: skip
        for key, label in self.case_fields.items():
            label.setText(str(values[key] or ""))
        team = "".join(
            f"<tr><td>{_e(t.staff_name)}</td><td>{_e(t.agency_name)}</td><td>{_e(t.role)}</td></tr>"
            for t in d.team
        )
        self.team_text.setHtml(
            f"<h3>{_e(tr('支援チーム・役割分担', 'Support team and roles'))}</h3>"
            f"<table cellspacing='0' cellpadding='4'><tr><th align='left'>{_e(tr('担当者', 'Worker'))}</th>"
            f"<th align='left'>{_e(tr('機関', 'Agency'))}</th><th align='left'>{_e(tr('役割', 'Role'))}</th></tr>{team}</table>"
            + self._tasks_html(d)
        )

    @staticmethod
    def _tasks_html(d: Any) -> str:
        """The case's tasks (役割分担 from support meetings): who, agency, what, due, status."""
        if not d.assignments:
            return ""
        rows = "".join(
            f"<tr><td>{_e(a.task)}</td><td>{_e(a.staff_name)}</td><td>{_e(a.agency_name)}</td>"
            f"<td>{_e(a.due_date)}</td><td>{_e(vlabel(vocab.TASK_STATUS, a.status))}</td></tr>"
            for a in d.assignments
        )
        head = "".join(f"<th align='left'>{_e(h)}</th>" for h in (
            tr("内容", "Task"), tr("担当者", "Who"), tr("機関", "Agency"), tr("期限", "Due"),
            tr("状況", "Status")))  # fmt: skip
        return (
            f"<h3>{_e(tr('やること（会議の役割分担）', 'Tasks (from meetings)'))}</h3>"
            f"<table cellspacing='0' cellpadding='4'><tr>{head}</tr>{rows}</table>"
        )

    def _show_contact(self, c: ContactData | None) -> None:
        if c is None:
            self.contact_text.clear()
            return
        self.contact_text.setPlainText(
            f"{c.contact_at:%Y-%m-%d %H:%M} {vlabel(vocab.CONTACT_KIND, c.kind)} {c.place or ''}\n\n{c.narrative or ''}"
            + (
                f"\n\n{tr('次の対応', 'Next action')}: {c.next_action or ''} {c.next_action_date or ''}"
                if c.next_action
                else ""
            )
        )

    def _new_referral(self) -> None:
        if self.case_id:
            self.new_referral.emit(self.case_id)

    def _record_visit(self) -> None:
        if self.detail:
            name = self.detail.person.name if self.detail.person else ""
            self.record_visit.emit(self.detail.id, f"{self.detail.case_number} {name}")

    def print_summary(self, on_open: Any = None) -> None:
        """ケース概要: preview, print or save (audited like ``yorisoi print summary``)."""
        if self.case_id is None:
            return
        from app.reports.service import summary_document
        from ui.print_actions import preview_document

        cid = self.case_id
        preview_document(self, self.ctx, lambda st, a: summary_document(st, a, cid), on_open)

    def check_duplicates(self, on_open: Any = None) -> None:
        """A coordinator's look for duplicates of this case's person, and the merge."""
        d = self.detail
        if d is None or d.person is None:
            return
        from app.services import duplicates
        from ui.dialogs.duplicate_dialog import DuplicateDialog

        p, keep = d.person, d.person.id

        from app.services import merges

        def load(s: Session) -> tuple[list[Any], list[tuple[str, str]]]:
            return duplicates.find_candidates(s, name=p.name, kana=p.kana, phone=p.phone,
                                              address=p.address, birth_date=p.birth_date,
                                              exclude=keep), merges.merged_persons(s, keep)  # fmt: skip

        def show(loaded: tuple[list[Any], list[tuple[str, str]]]) -> None:
            found, merged = loaded
            dialog = DuplicateDialog(found, mode="merge", parent=self, merged=merged,
                                     may_merge=self.ctx.actor.role in ("coordinator", "admin"))  # fmt: skip

            def decided(_r: int) -> None:
                if dialog.choice in ("merge", "unmerge") and dialog.person_id:
                    other, actor = dialog.person_id, self.ctx.actor

                    def unit(s: Any) -> Any:
                        if dialog.choice == "unmerge":
                            return merges.unmerge_person(s, actor, other)
                        return duplicates.merge_persons(s, actor, keep, other)

                    self.ctx.runner.db(
                        unit, lambda _res: None, self._merge_failed,
                        changes=[events.PERSON, events.CASE, events.HOUSEHOLD],
                    )  # fmt: skip

            dialog.finished.connect(decided)
            dialog.open()
            if on_open is not None:
                on_open(dialog)

        self.ctx.runner.db(load, show)

    def _merge_failed(self, exc: BaseException) -> None:
        from ui.widgets import show_error

        show_error(self, exc)

    def edit(self) -> None:
        if self.detail is None:
            return
        from ui.dialogs.case_editor import CaseEditorDialog

        dialog = CaseEditorDialog(self.ctx, self.detail, self)
        dialog.open()
