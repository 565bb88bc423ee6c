"""Support meetings (支援会議 / 重層的支援会議 / 進捗会議): the list (with each meeting's number,
the one the CLI takes), the details (members and whether their pledge covers the meeting,
what each may receive, the agenda with its minutes, 役割分担 with due dates and status), and
the coordinator's actions: new / edit meeting, add a member or a case, record a pledge,
write the minutes of a case, add a task or set its status, and print the pledge, the minutes
and the members' packets (preview, print, save; every output audited)."""

from __future__ import annotations

import html
import importlib
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QTextBrowser, QWidget

from app.domain import vocab
from app.domain.records import MeetingData
from app.services.meetings import list_meetings, meeting_data
from ui import events
from ui.context import UiContext
from ui.i18n import tr, vlabel
from ui.models.rows_table_model import Column
from ui.views.simple_lists import ListView
from ui.widgets import empty_state, named


class MeetingsView(ListView):
    watches = frozenset({events.MEETING})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        columns = [
            Column(tr("番号", "No."), lambda m: m["number"]),
            Column(tr("開催日", "Held on"), lambda m: m["held_on"] or ""),
            Column(tr("種別", "Kind"), lambda m: vlabel(vocab.MEETING_KIND, m["kind"])),
            Column(tr("件名", "Title"), lambda m: m["title"] or ""),
            Column(tr("地区", "District"), lambda m: m["district"] or ""),
            Column(tr("座長", "Chair"), lambda m: m["chair"] or ""),
        ]
        actor = ctx.actor
        super().__init__(ctx, tr("支援会議一覧", "Support meetings"), columns,
                         lambda s, _t: list_meetings(s, actor), search=False, parent=parent)  # fmt: skip
        self.meeting: MeetingData | None = None
        self.detail = named(QTextBrowser(), tr("会議の内容", "Meeting details"))
        self.detail.setHtml(  # until one is chosen (the buttons wait for it too)
            "<p style='color:gray'>" + html.escape(tr(
                "左の一覧から会議を選ぶと、構成員と誓約書、議題のケースと議事録、役割分担が"
                "ここに表示されます。", "Choose a meeting on the left to see its members and "
                "pledges, the cases on its agenda with their minutes, and its role "
                "assignments.")) + "</p>")  # fmt: skip
        splitter = QSplitter()
        self.layout_.removeWidget(self.table)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([630, 460])  # the list (6 columns) fits at 1366x768
        self.layout_.addWidget(splitter, 1)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _p: self._load_detail(cur.row())
        )
        organiser = actor.role in ("coordinator", "admin")
        self.buttons: dict[str, QPushButton] = {}
        top = QHBoxLayout()
        bottom = QHBoxLayout()
        for key, ja, en, slot, row, needs in (
            ("new", "新しい会議", "New meeting", self.new_meeting, top, False),
            ("edit", "会議の編集", "Edit", self.edit_meeting, top, True),
            ("member", "構成員を追加", "Add member", self.add_member, top, True),
            ("case", "ケースを議題に", "Add case", self.add_case, top, True),
            ("pledge", "誓約書を受領", "Pledge received", self.record_pledge, top, True),
            ("minutes", "議事録を書く", "Write minutes", self.write_minutes, bottom, True),
            ("task", "役割分担を追加", "Add task", self.add_task, bottom, True),
            ("status", "役割分担の状況", "Task status", self.task_status, bottom, True),
            ("print_pledge", "誓約書を印刷", "Print pledge", lambda: self.print_doc("pledge"), bottom, True),
            ("print_minutes", "会議録を印刷", "Print minutes", lambda: self.print_doc("minutes"), bottom, True),
            ("print_packet", "配布資料を印刷", "Print packets", lambda: self.print_doc("packet"), bottom, True),
        ):  # fmt: skip
            b = QPushButton(tr(ja, en))
            b.setAccessibleName(tr(ja, en))
            b.clicked.connect(slot)
            b.setProperty("needs_meeting", needs)
            if key in ("new", "edit", "member", "case", "pledge", "minutes", "task", "status"):
                b.setVisible(organiser)
            row.addWidget(b)
            self.buttons[key] = b
        top.addStretch(1)
        bottom.addStretch(1)
        self.layout_.insertLayout(1, top)
        self.layout_.insertLayout(2, bottom)
        self.empty = empty_state(self.table, tr(
            "まだ会議がありません。「新しい会議」で支援会議・重層的支援会議・進捗会議を作成し、"
            "構成員と議題のケースを加えてください。",
            "No meetings yet. Create one with New meeting, then add its members and the cases "
            "on its agenda.") if organiser else tr(
            "ここには、あなたが出席する会議と、あなたの担当ケースを扱う会議"
            "（支援会議・重層的支援会議・進捗会議）が表示されます。"
            "会議は包括化推進員などが作成し、同期するとこの端末に届きます。",
            "Meetings you attend and meetings that discuss your cases appear here. "
            "Coordinators create them; they reach this laptop when it syncs."))  # fmt: skip
        self._enable()

    def _enable(self) -> None:
        for b in self.buttons.values():
            if b.property("needs_meeting"):
                b.setEnabled(self.meeting is not None)
                b.setToolTip("")
        m = self.meeting
        if m is None:
            return
        # What a dialog would need first: with nothing to choose in it, it could only refuse.
        needs = {
            "minutes": (bool(m.cases), tr("先に「ケースを議題に」でケースを加えてください。",
                                          "Add a case to the agenda first.")),
            "task": (bool(m.cases), tr("先に「ケースを議題に」でケースを加えてください。",
                                       "Add a case to the agenda first.")),
            "status": (bool(m.assignments), tr("この会議には役割分担がまだありません。",
                                               "This meeting has no role assignment yet.")),
            "pledge": (bool(m.attendees), tr("先に「構成員を追加」で構成員を加えてください。",
                                             "Add a member first.")),
        }  # fmt: skip
        for key, (ok, why) in needs.items():
            self.buttons[key].setEnabled(ok)
            self.buttons[key].setToolTip("" if ok else why)

    def _load_detail(self, row: int) -> None:
        m = self.model.row_at(row)
        if m is None:
            return
        self.load_meeting(m["id"])

    def refresh(self) -> None:
        """Reload the list and keep the meeting shown on the right selected in it (a reload
        used to clear the selection while the details stayed, so nothing said which row
        the buttons act on)."""
        text, load = self.search.text(), self._load

        def shown(rows: list[Any]) -> None:
            self.model.set_rows(rows)
            if self.meeting is not None:
                self._mark_row(self.meeting.id)

        self.ctx.runner.db(lambda s: list(load(s, text)), shown)

    def _mark_row(self, mid: str) -> None:
        """Select the list row of meeting ``mid`` without loading it again (no second
        view in the audit trail)."""
        for i in range(self.model.rowCount()):
            row = self.model.row_at(i)
            if row and row["id"] == mid:
                blocker = QSignalBlocker(self.table.selectionModel())
                self.table.selectRow(i)
                blocker.unblock()
                self.table.scrollTo(self.model.index(i, 0))
                return

    def load_meeting(self, mid: str) -> None:
        actor = self.ctx.actor
        self.ctx.runner.db(lambda s: meeting_data(s, actor, mid), self._show)

    def select_meeting(self, mid: str) -> None:
        for i in range(self.model.rowCount()):
            row = self.model.row_at(i)
            if row and row["id"] == mid:
                self.table.selectRow(i)
                return
        self.load_meeting(mid)

    def _show(self, m: MeetingData) -> None:
        self.meeting = m
        self._mark_row(m.id)
        self._enable()
        e = html.escape
        no_consent = m.kind in vocab.NO_CONSENT_MEETING_KINDS
        att = "".join(
            f"<tr><td>{e(a.name)}</td><td>{e(a.agency_name or '')}</td><td>"
            + (e(tr("有効（{d}{u}）", "valid ({d}{u})").format(
                d=a.pledge_date or "", u=f"〜{a.pledge_valid_until}" if a.pledge_valid_until else ""))
               if a.pledge_valid else
               "<b style='color:#b3261e'>" + e(tr("無効: {why}", "not valid: {why}").format(why=a.pledge_note)) + "</b>")
            + "</td><td>"
            + (e(tr("同意のないケースの資料は渡しません", "gets no material of cases without consent"))
               if not a.pledge_valid or not no_consent else e(tr("支援会議の範囲で共有", "shared within the meeting")))
            + "</td></tr>"
            for a in m.attendees
        )  # fmt: skip
        minutes = {x.case_id: x for x in m.minutes}
        cases = "".join(
            f"<li><b>{e(c.case_number)}</b> {e(c.person_name or '')}（"
            f"{e(vlabel(vocab.CONSENT_STATUS, c.consent_status))}）"
            + (f"<br/>{e(tr('検討', 'Discussion'))}: {e(minutes[c.id].discussion or '')}"
               f"<br/>{e(tr('決定', 'Decision'))}: {e(minutes[c.id].decision or '')}" if c.id in minutes and (minutes[c.id].discussion or minutes[c.id].decision) else "")
            + "</li>"
            for c in m.cases
        )  # fmt: skip
        tasks = "".join(  # a case number never breaks across lines
            f"<tr><td style='white-space:nowrap'>{e(a.case_number or '')}</td><td>{e(a.task)}</td>"
            f"<td>{e(a.staff_name or '')}</td><td>{e(a.agency_name or '')}</td>"
            f"<td>{e(str(a.due_date or ''))}</td><td>{e(vlabel(vocab.TASK_STATUS, a.status))}</td></tr>"
            for a in m.assignments
        )
        th = "<tr>" + "".join(f"<th align='left'>{e(h)}</th>" for h in
                               (tr("氏名", "Name"), tr("所属", "Agency"), tr("誓約書", "Pledge"),
                                tr("共有", "Sharing"))) + "</tr>"  # fmt: skip
        tth = "<tr>" + "".join(f"<th align='left'>{e(h)}</th>" for h in
                                (tr("ケース", "Case"), tr("内容", "What"), tr("担当", "Who"),
                                 tr("機関", "Agency"), tr("期限", "Due"), tr("状況", "Status"))) + "</tr>"  # fmt: skip
        from app.services.meetings import meeting_number

        self.detail.setHtml(
            f"<h2>{e(m.title or '')}</h2><p>{e(tr('番号', 'No.'))} {e(meeting_number(m.id))}　"
            f"{e(str(m.held_on or ''))} {e(m.starts_at or '')}　{e(vlabel(vocab.MEETING_KIND, m.kind))}"
            f"　{e(m.place or '')}<br/>{e(tr('主催', 'Organiser'))}: {e(m.organiser_name or '')}　"
            f"{e(tr('座長', 'Chair'))}: {e(m.chair_name or '')}</p>"
            f"<h3>{e(tr('構成員と誓約書', 'Members and pledges'))}</h3><table cellspacing='4'>{th}{att}</table>"
            f"<h3>{e(tr('議題のケースと議事録', 'Cases and minutes'))}</h3><ul>{cases}</ul>"
            f"<h3>{e(tr('決定事項', 'Decisions'))}</h3><p>{e(m.decisions or '')}</p>"
            f"<h3>{e(tr('役割分担', 'Role assignments'))}</h3><table cellspacing='4'>{tth}{tasks}</table>"
        )

    # --- actions --------------------------------------------------------------------------

    def _open(self, dialog: Any, after: Any = None) -> Any:
        from ui.dialogs import meeting_dialogs as _  # noqa: F401 - keeps the import explicit

        def finished(code: int) -> None:
            if code and self.meeting is not None:
                self.load_meeting(self.meeting.id)
            if code and after is not None:
                after(dialog)

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def new_meeting(self) -> Any:
        from ui.dialogs.meeting_dialogs import MeetingDialog

        def created(d: Any) -> None:
            self.refresh()
            self.load_meeting(d.result_value)

        return self._open(MeetingDialog(self.ctx, None, self), created)

    def edit_meeting(self) -> Any:
        from ui.dialogs.meeting_dialogs import MeetingDialog

        return self._open(MeetingDialog(self.ctx, self.meeting, self), lambda _d: self.refresh())

    def add_member(self) -> Any:
        from ui.dialogs.meeting_dialogs import MemberDialog

        assert self.meeting is not None
        return self._open(MemberDialog(self.ctx, self.meeting.id, self))

    def add_case(self) -> Any:
        from ui.dialogs.meeting_dialogs import CaseDialog

        assert self.meeting is not None
        return self._open(CaseDialog(self.ctx, self.meeting.id, self))

    def record_pledge(self) -> Any:
        from ui.dialogs.meeting_dialogs import PledgeDialog

        assert self.meeting is not None
        return self._open(PledgeDialog(self.ctx, self.meeting, self))

    def write_minutes(self) -> Any:
        from ui.dialogs.meeting_dialogs import MinutesDialog

        assert self.meeting is not None
        return self._open(MinutesDialog(self.ctx, self.meeting, None, self))

    def add_task(self) -> Any:
        from ui.dialogs.meeting_dialogs import TaskDialog

        assert self.meeting is not None
        return self._open(TaskDialog(self.ctx, self.meeting, self))

    def task_status(self) -> Any:
        from ui.dialogs.meeting_dialogs import TaskStatusDialog

        assert self.meeting is not None
        return self._open(TaskStatusDialog(self.ctx, self.meeting, self))

    def print_doc(self, kind: str) -> None:
        """Render off the UI thread, then preview / print / save (audited on output)."""
        if self.meeting is None:
            return
        printing = importlib.import_module("ui.printing")
        service = importlib.import_module("app.reports.service")
        runner, actor, mid = self.ctx.runner, self.ctx.actor, self.meeting.id
        store = runner.store
        make = {"pledge": service.pledge_document, "minutes": service.minutes_document,
                "packet": service.packet_document}[kind]  # fmt: skip

        def show(doc: Any) -> None:
            self.last_document = doc

            def on_output(action: str, _path: object) -> None:
                runner.run(lambda _c: service.record_output(store, actor, doc, action))

            printing.preview_and_print(self, doc.pdf, doc.title, suggested_name=doc.suggested_name,
                                       on_output=on_output)  # fmt: skip

        runner.run(lambda _c: make(store, actor, mid), show)
