"""One case: the person and household (members, relationships, life-stage timeline), issues,
consent, support team, contact history (newest first), referrals and meetings."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
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
from app.services.cases import case_detail
from ui import events
from ui.context import UiContext
from ui.i18n import tr, vlabel
from ui.models.rows_table_model import Column, RowsTableModel
from ui.views.timeline import LifeStageTimeline
from ui.widgets import elided_heading, named, table_view


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


class CaseView(QWidget):
    back = Signal()
    record_visit = Signal(str, str)  # case id, label
    new_referral = Signal(str)
    open_referral = Signal(str)
    loaded = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: CaseDetail | None = None
        self.case_id: str | None = None
        self.title = elided_heading()  # a long title must not widen the window
        self.title.setAccessibleName(tr("ケース", "Case"))
        back = named(
            QPushButton(tr("← 一覧（Esc）", "← List (Esc)")), tr("一覧に戻る", "Back to list")
        )
        back.clicked.connect(self.back)
        self.edit_button = named(
            QPushButton(tr("編集（Ctrl+E）", "Edit (Ctrl+E)")), tr("ケースを編集", "Edit case")
        )
        self.visit_button = named(
            QPushButton(tr("記録を入力（Ctrl+R）", "Record contact (Ctrl+R)")),
            tr("記録を入力", "Record contact"),
        )
        self.referral_button = named(
            QPushButton(tr("紹介票を作成", "New referral")), tr("紹介票を作成", "New referral")
        )
        self.print_button = named(
            QPushButton(tr("概要を印刷…", "Print summary…")),
            tr("ケース概要の印刷プレビュー", "Case summary print preview"),
        )
        self.print_button.clicked.connect(self.print_summary)
        self.duplicates_button = named(
            QPushButton(tr("重複の確認…", "Duplicates…")),
            tr("本人の重複の確認と統合", "Check and merge duplicates of the person"),
        )
        self.duplicates_button.clicked.connect(lambda: self.check_duplicates())
        self.duplicates_button.setVisible(ctx.actor.role in ("coordinator", "admin"))
        self.edit_button.clicked.connect(self.edit)
        self.visit_button.clicked.connect(self._record_visit)
        self.referral_button.clicked.connect(
            lambda: self.case_id and self.new_referral.emit(self.case_id)
        )
        top = QHBoxLayout()
        top.addWidget(back)
        top.addWidget(self.title, 1)
        for b in (self.edit_button, self.visit_button, self.referral_button, self.print_button,
                  self.duplicates_button):  # fmt: skip
            top.addWidget(b)

        self.overview = named(QTextBrowser(), tr("概要", "Overview"))
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
        household_page = QWidget()
        hl = QVBoxLayout(household_page)
        hl.addWidget(self.household_label)
        hl.addWidget(members_view, 1)
        hl.addWidget(QLabel(tr("ライフステージ", "Life stages")))
        hl.addWidget(self.timeline)

        self._not_accepted: frozenset[str] = frozenset()  # refused by the server, not resent
        self.contacts = RowsTableModel([
            Column(tr("日時", "When"), lambda c: c.contact_at.strftime("%Y-%m-%d %H:%M")),
            Column(tr("種別", "Kind"), lambda c: vlabel(vocab.CONTACT_KIND, c.kind)),
            Column(tr("内容", "What happened"), lambda c: self._mark(c.id) + _first_line(c.narrative)),
            Column(tr("次の対応", "Next"), lambda c: " ".join(x for x in [str(c.next_action_date or ""), c.next_action or ""] if x)),
            Column(tr("記録者", "By"), lambda c: c.staff_name or ""),
            Column(tr("場所", "Place"), lambda c: c.place or ""),
        ], self)  # fmt: skip
        contacts_view = table_view(tr("相談・訪問記録", "Contact history"))
        contacts_view.setModel(self.contacts)
        self.contact_text = named(QTextBrowser(), tr("記録の内容", "Contact text"))
        self.contact_text.setMaximumHeight(130)
        contacts_view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._show_contact(self.contacts.row_at(cur.row()))
        )
        contacts_page = QWidget()
        cl = QVBoxLayout(contacts_page)
        cl.addWidget(contacts_view, 1)
        cl.addWidget(self.contact_text)

        self.referrals = RowsTableModel([
            Column(tr("受付番号", "Receipt no."), lambda r: r.receipt_number),
            Column(tr("日付", "Date"), lambda r: str(r.referral_date or "")),
            Column(tr("状況", "Status"), lambda r: self._mark(r.id) + vlabel(vocab.REFERRAL_STATUS, r.status)),
            Column(tr("紹介先", "To"), lambda r: r.to_agency_name or ""),
        ], self)  # fmt: skip
        referrals_view = table_view(tr("紹介", "Referrals"))
        referrals_view.setModel(self.referrals)
        referrals_view.activated.connect(
            lambda i: self.open_referral.emit(self.referrals.row_at(i.row()).id)
        )
        self.meetings = RowsTableModel([
            Column(tr("開催日", "Held on"), lambda m: str(m.held_on or "")),
            Column(tr("種別", "Kind"), lambda m: vlabel(vocab.MEETING_KIND, m.kind)),
            Column(tr("件名", "Title"), lambda m: m.title or ""),
        ], self)  # fmt: skip
        meetings_view = table_view(tr("支援会議", "Support meetings"))
        meetings_view.setModel(self.meetings)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(tr("ケースの内容", "Case sections"))
        self.tabs.addTab(self.overview, tr("概要", "Overview"))
        self.tabs.addTab(household_page, tr("世帯・ライフステージ", "Household and life stages"))
        self.tabs.addTab(contacts_page, tr("相談・訪問記録", "Contacts"))
        self.tabs.addTab(referrals_view, tr("紹介", "Referrals"))
        self.tabs.addTab(meetings_view, tr("支援会議", "Meetings"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence("Esc"), self, self.back.emit)
        QShortcut(QKeySequence("Ctrl+E"), self, self.edit)
        QShortcut(QKeySequence("Ctrl+R"), self, self._record_visit)
        events.bus().changed.connect(self._changed)

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
        self.overview.setHtml(self._overview_html(d))
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

    def _overview_html(self, d: CaseDetail) -> str:
        p = d.person
        rows: list[tuple[str, str]] = []
        if p:
            age = p.age_on(self._today())
            rows += [
                (tr("氏名", "Name"), f"{_e(p.name)}（{_e(p.kana)}）"),
                (tr("生年月日", "Birth date"), f"{_e(p.birth_date)}　{_e(age)}{_e(tr('歳', ' y')) if age is not None else ''}"),
                (tr("性別", "Sex"), _e(vlabel(vocab.SEX, p.sex))),
                (tr("住所", "Address"), _e(p.address)),
                (tr("電話", "Phone"), _e(p.phone)),
                (tr("小学校区", "School zone"), _e(p.school_zone)),
                (tr("メモ", "Notes"), _e(p.notes)),
            ]  # fmt: skip
        rows += [
            (tr("状況", "Status"), _e(vlabel(vocab.CASE_STATUS, d.status))),
            (tr("緊急度", "Urgency"), _e(vlabel(vocab.URGENCY, d.urgency))),
            (tr("課題", "Issues"), "、".join(_e(vlabel(self.ctx.choices.issue_labels(), c)) for c in d.issue_categories)),
            (tr("地区", "District"), _e(d.district_name)),
            (tr("主担当機関", "Lead agency"), _e(d.lead_agency_name)),
            (tr("担当者", "Assigned worker"), _e(d.assigned_staff_name)),
            (tr("同意", "Consent"), f"{_e(vlabel(vocab.CONSENT_STATUS, d.consent_status))}　{_e(d.consent_date)}　"
                                    + "、".join(_e(n) for n in d.consent_agency_names)),
            (tr("受付日", "Opened"), _e(d.opened_on)),
            (tr("終結日", "Closed"), _e(d.closed_on)),
            (tr("メモ", "Notes"), _e(d.notes)),
        ]  # fmt: skip
        team = "".join(
            f"<tr><td>{_e(t.staff_name)}</td><td>{_e(t.agency_name)}</td><td>{_e(t.role)}</td></tr>"
            for t in d.team
        )
        body = "".join(f"<tr><th align='left'>{k}</th><td>{v}</td></tr>" for k, v in rows)
        return (
            f"<table cellspacing='0' cellpadding='4'>{body}</table>"
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

        def load(s: Any) -> tuple[list[Any], list[tuple[str, str]]]:
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
