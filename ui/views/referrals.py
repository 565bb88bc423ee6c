"""All referrals (うけとめ・つなげるシート), newest first, filterable by status."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from app.domain import vocab
from app.services.referrals import list_referrals
from ui import events
from ui.context import UiContext
from ui.i18n import tr, vlabel
from ui.models.rows_table_model import Column
from ui.views.simple_lists import ListView
from ui.widgets import combo_value, empty_state, named, vocab_combo


class ReferralsView(ListView):
    open_referral = Signal(str)
    watches = frozenset({events.REFERRAL})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        columns = [
            Column(tr("受付番号", "Receipt no."), lambda r: r["receipt_number"]),
            Column(tr("日付", "Date"), lambda r: r["referral_date"] or ""),
            Column(tr("状況", "Status"), lambda r: vlabel(vocab.REFERRAL_STATUS, r["status"])),
            Column(tr("ケース番号", "Case no."), lambda r: r["case_number"]),
            Column(tr("氏名", "Name"), lambda r: r["person_name"] or ""),
            Column(tr("紹介元", "From"), lambda r: r["from_agency"] or ""),
            Column(tr("紹介先", "To"), lambda r: r["to_agency"] or ""),
        ]
        self.status = named(vocab_combo(vocab.REFERRAL_STATUS, empty=True), tr("状況", "Status"))
        super().__init__(
            ctx, tr("紹介一覧", "Referrals"), columns, self._query, search=False, parent=parent
        )
        self.bar.addWidget(self.status)
        self.bar.addStretch(1)
        self.status.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.activated.connect(
            lambda i: self.open_referral.emit(self.model.row_at(i.row())["id"])
        )
        self.empty = empty_state(self.table, "")

    def _query(self, s: Session, _text: str) -> list[dict[str, object]]:
        return list_referrals(s)

    def refresh(self) -> None:
        status = combo_value(self.status)
        self.empty.setText(tr("この状況の紹介はありません。", "No referral in this state.") if status
                           else tr(
            "紹介（うけとめ・つなげるシート）はまだありません。"
            "ケースを開いて「紹介票を作成」で作成すると、ここに並びます。",
            "No referrals yet. Open a case and choose New referral; they are listed here."))  # fmt: skip
        self.ctx.runner.db(lambda s: list_referrals(s, status=status), self.model.set_rows)
