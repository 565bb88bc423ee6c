"""Support meetings (支援会議 / 重層的支援会議): list and details (attendees and pledges, cases,
decisions, role assignments with due dates)."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QSplitter, QTextBrowser, QWidget

from app.domain import vocab
from app.domain.records import MeetingData
from app.services.meetings import list_meetings, meeting_data
from ui import events
from ui.context import UiContext
from ui.i18n import tr, vlabel
from ui.models.rows_table_model import Column
from ui.views.simple_lists import ListView
from ui.widgets import named


class MeetingsView(ListView):
    watches = frozenset({events.MEETING})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        columns = [
            Column(tr("開催日", "Held on"), lambda m: m["held_on"] or ""),
            Column(tr("種別", "Kind"), lambda m: vlabel(vocab.MEETING_KIND, m["kind"])),
            Column(tr("件名", "Title"), lambda m: m["title"] or ""),
            Column(tr("地区", "District"), lambda m: m["district"] or ""),
            Column(tr("議長", "Chair"), lambda m: m["chair"] or ""),
        ]
        super().__init__(ctx, tr("支援会議一覧", "Support meetings"), columns,
                         lambda s, _t: list_meetings(s), search=False, parent=parent)  # fmt: skip
        self.detail = named(QTextBrowser(), tr("会議の内容", "Meeting details"))
        splitter = QSplitter()
        self.layout_.removeWidget(self.table)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([500, 500])
        self.layout_.addWidget(splitter, 1)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _p: self._load_detail(cur.row())
        )

    def _load_detail(self, row: int) -> None:
        m = self.model.row_at(row)
        if m is None:
            return
        actor, mid = self.ctx.actor, m["id"]
        self.ctx.runner.db(lambda s: meeting_data(s, actor, mid), self._show)

    def _show(self, m: MeetingData) -> None:
        e = html.escape
        att = "".join(
            f"<li>{e(a.name)}{'（' + e(a.agency_name) + '）' if a.agency_name else ''} — "
            + (e(tr("誓約書 署名済 {d}", "pledge signed {d}").format(d=a.pledge_date or "")) if a.pledge_signed
               else "<b style='color:#b3261e'>" + e(tr("誓約書 未署名", "pledge NOT signed")) + "</b>")
            + "</li>"
            for a in m.attendees
        )  # fmt: skip
        cases = "".join(f"<li>{e(c.case_number)} {e(c.person_name or '')}</li>" for c in m.cases)
        tasks = "".join(
            f"<li>{e(a.case_number or '')}: {e(a.task)} — {e(a.staff_name or a.agency_name or '')} "
            f"{e(str(a.due_date or ''))}{' ✓' if a.done else ''}</li>"
            for a in m.assignments
        )
        self.detail.setHtml(
            f"<h2>{e(m.title or '')}</h2><p>{e(str(m.held_on or ''))}　{e(vlabel(vocab.MEETING_KIND, m.kind))}"
            f"　{e(m.place or '')}　{e(tr('議長', 'Chair'))}: {e(m.chair_name or '')}</p>"
            f"<h3>{e(tr('出席者', 'Attendees'))}</h3><ul>{att}</ul>"
            f"<h3>{e(tr('検討したケース', 'Cases discussed'))}</h3><ul>{cases}</ul>"
            f"<h3>{e(tr('決定事項', 'Decisions'))}</h3><p>{e(m.decisions or '')}</p>"
            f"<h3>{e(tr('役割分担', 'Role assignments'))}</h3><ul>{tasks}</ul>"
        )
