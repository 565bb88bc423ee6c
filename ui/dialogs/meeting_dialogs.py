"""Dialogs of the support-meeting screen: the meeting itself, a member, a case on the agenda,
a pledge received, the minutes of a case and a task (役割分担).

Each dialog collects values and hands ``apply(session)`` to the background runner; a refused
change (a pledge dated after the meeting, one's own attendance, ...) is shown in the dialog in
Japanese and the dialog stays open with what was typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain import vocab
from app.domain.errors import ValidationError
from app.domain.records import Choice, MeetingData
from app.services import meetings
from ui import events
from ui.context import UiContext
from ui.i18n import error_text, tr, vlabel
from ui.widgets import (
    AskBeforeDiscard,
    OptionalDate,
    choice_combo,
    combo_value,
    named,
    set_combo,
    vocab_combo,
)

if TYPE_CHECKING:  # SQLAlchemy comes with the store, after the first window
    from sqlalchemy.orm import Session


class _FormDialog(AskBeforeDiscard, QDialog):
    def __init__(self, ctx: UiContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet("color:#b3261e")
        self.error.setWordWrap(True)
        self.error.setAccessibleName(tr("エラー", "Error"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.resize(560, 0)
        self._first_field: QWidget | None = None

    def row(self, label: str, widget: QWidget) -> Any:
        self.form.addRow(label, named(widget, label))
        if isinstance(widget, QPlainTextEdit):
            widget.setTabChangesFocus(True)  # Tab goes to the next field, as in every form
        _on_edit(widget, self.error.clear)  # the message about the old value goes
        if self._first_field is None:
            self._first_field = widget
        return widget

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Start in the first field: the buttons were made before the fields, so Qt would
        otherwise give the focus to 保存, and what the person types would go nowhere."""
        super().showEvent(event)
        first = self._first_field
        focus = self.focusWidget()
        if first is not None and (focus is None or focus in self.buttons.buttons()):
            target = first if first.focusPolicy() != Qt.FocusPolicy.NoFocus else next(
                (w for w in first.findChildren(QWidget)
                 if w.focusPolicy() & Qt.FocusPolicy.TabFocus), first,
            )  # fmt: skip
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def apply(self, session: Session) -> object:  # pragma: no cover - overridden
        """The dialog's unit of work, on the database worker; its result becomes ``result_value``."""
        raise NotImplementedError

    def save(self) -> None:
        self.error.clear()
        try:
            self.check()
        except ValidationError as exc:
            self.error.setText(error_text(exc))
            return
        self.buttons.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            self.error.setText(error_text(exc))

        def done(result: Any) -> None:
            self.result_value = result
            self.accept()

        self.ctx.runner.db(self.apply, done, failed, changes=(events.MEETING, events.CASE))

    def check(self) -> None:
        """Checks that need no database (raise ValidationError)."""


def _on_edit(widget: QWidget, slot: Callable[[], None]) -> None:
    """Call ``slot`` whenever the person changes the value of ``widget``."""
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        widget.textChanged.connect(lambda *_a: slot())
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(lambda *_a: slot())
    elif isinstance(widget, QCheckBox):
        widget.toggled.connect(lambda *_a: slot())
    elif isinstance(widget, OptionalDate):
        widget.check.toggled.connect(lambda *_a: slot())
        widget.edit.dateChanged.connect(lambda *_a: slot())


def _staff_combo(ctx: UiContext, current: str | None = None) -> QComboBox:
    return choice_combo(ctx.choices.staff, current)


def _agency_combo(ctx: UiContext, current: str | None = None) -> QComboBox:
    return choice_combo(ctx.choices.agencies, current)


class MeetingDialog(_FormDialog):
    """Create (``meeting`` None) or edit a meeting."""

    def __init__(self, ctx: UiContext, meeting: MeetingData | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(ctx, tr("会議の編集", "Edit meeting") if meeting else
                         tr("新しい会議", "New meeting"), parent)  # fmt: skip
        self.meeting_id = meeting.id if meeting else None
        self.kind = self.row(
            tr("種別", "Kind"),
            vocab_combo(vocab.MEETING_KIND, meeting.kind if meeting else "shien_kaigi"),
        )
        self.held_on = self.row(
            tr("開催日", "Date"),
            OptionalDate(
                tr("開催日", "Date"),
                meeting.held_on if meeting and meeting.held_on else dt.date.today(),
            ),
        )
        self.held_on.check.setVisible(False)  # a meeting always has its date: no "no date" tick
        self.starts_at = self.row(tr("開始時刻", "Start time"), QTimeEdit())
        self.starts_at.setDisplayFormat("HH:mm")
        self.starts_at.setTime(
            QTime.fromString(meeting.starts_at or "14:00", "HH:mm") if meeting else QTime(14, 0)
        )
        self.title_ = self.row(
            tr("件名", "Title"), QLineEdit(meeting.title or "" if meeting else "")
        )
        self.place = self.row(
            tr("場所", "Place"), QLineEdit(meeting.place or "" if meeting else "")
        )
        self.organiser = self.row(
            tr("主催機関", "Organiser"),
            _agency_combo(ctx, meeting.organiser_agency_id if meeting else None),
        )
        self.chair = self.row(
            tr("座長", "Chair"),
            _staff_combo(ctx, meeting.chair_staff_id if meeting else ctx.actor.staff_id),
        )
        self.district = self.row(
            tr("地区", "District"),
            choice_combo(ctx.choices.districts, meeting.district_id if meeting else None),
        )
        self.standing = self.row(
            tr("誓約書", "Pledges"),
            QCheckBox(tr("有効期間付きの誓約書を認める", "Accept standing pledges")),
        )
        self.standing.setChecked(bool(meeting and meeting.standing_pledge_allowed))
        self.decisions = self.row(
            tr("全体の決定事項", "Overall decisions"),
            QPlainTextEdit(meeting.decisions or "" if meeting else ""),
        )
        self.decisions.setFixedHeight(70)  # fmt: skip

    def check(self) -> None:
        if self.held_on.value() is None:
            raise ValidationError("開催日を入力してください。", "Enter the date of the meeting.")

    def apply(self, s: Session) -> str:
        actor = self.ctx.actor
        held_on, chair = self.held_on.value(), combo_value(self.chair)
        values = {
            "kind": combo_value(self.kind), "held_on": held_on,
            "starts_at": self.starts_at.time().toString("HH:mm"), "title": self.title_.text(),
            "place": self.place.text(), "organiser_agency_id": combo_value(self.organiser),
            "chair_staff_id": chair, "district_id": combo_value(self.district),
            "standing_pledge_allowed": self.standing.isChecked(),
            "decisions": self.decisions.toPlainText(),
        }  # fmt: skip
        mid = self.meeting_id
        if mid is None:
            assert held_on is not None  # check() refused a meeting without its date
            mid = meetings.create_meeting(
                s, actor, kind=str(values["kind"]), held_on=held_on, chair_staff_id=chair
            )
        for key in ("kind", "held_on"):
            if self.meeting_id is None:
                values.pop(key)
        meetings.update_meeting(s, actor, mid, values)
        return mid


class MemberDialog(_FormDialog):
    """A member: a staff member, or someone of an outside agency by name; the pledge if it
    has already been received."""

    def __init__(self, ctx: UiContext, meeting_id: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("構成員の追加", "Add a member"), parent)
        self.meeting_id = meeting_id
        self.staff = self.row(tr("職員", "Staff"), _staff_combo(ctx))
        self.name = self.row(tr("外部の構成員の氏名", "Outside member's name"), QLineEdit())
        self.agency = self.row(tr("所属機関", "Agency"), _agency_combo(ctx))
        self.pledge = self.row(
            tr("誓約書の署名日", "Pledge signed on"),
            OptionalDate(tr("誓約書の署名日", "Pledge signed on")),
        )
        self.pledge.set_value(None)  # fmt: skip

    def check(self) -> None:
        if combo_value(self.staff) is None and not self.name.text().strip():
            raise ValidationError(
                "職員を選ぶか、外部の構成員の氏名を入力してください。",
                "Choose a staff member or enter an outside member's name.",
            )

    def apply(self, s: Session) -> str:
        actor = self.ctx.actor
        att = meetings.add_attendee(
            s, actor, self.meeting_id, staff_id=combo_value(self.staff),
            name=self.name.text() or None, agency_id=combo_value(self.agency),
        )  # fmt: skip
        if self.pledge.value() is not None:
            meetings.record_pledge(s, actor, att, self.pledge.value())
        return att


class CaseDialog(_FormDialog):
    """A case on the agenda, picked from a searchable list (case number, name, ふりがな,
    phone, address): nobody has to know or type a case's number or id."""

    PAGE = 50

    def __init__(self, ctx: UiContext, meeting_id: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("議題にケースを追加", "Add a case to the agenda"), parent)
        from PySide6.QtCore import QTimer

        from ui.models.rows_table_model import Column, RowsTableModel
        from ui.widgets import table_view

        self.meeting_id = meeting_id
        self.search = self.row(tr("検索", "Search"), QLineEdit())
        self.search.setPlaceholderText(
            tr("ケース番号・氏名・ふりがな・電話・住所", "Case number, name, kana, phone, address")
        )
        self.search.setClearButtonEnabled(True)
        self.search.setProperty("discard_check", False)  # a search is not input to keep
        self.model = RowsTableModel([
            Column(tr("ケース番号", "Case no."), lambda r: r.case_number),
            Column(tr("氏名", "Name"), lambda r: r.person_name or ""),
            Column(tr("地区", "District"), lambda r: r.district_name or ""),
            Column(tr("同意", "Consent"), lambda r: vlabel(vocab.CONSENT_STATUS, r.consent_status)),
            Column(tr("担当", "Worker"), lambda r: r.assigned_staff_name or ""),
        ], self)  # fmt: skip
        self.table = table_view(tr("ケースの一覧", "Cases"))
        self.table.setModel(self.model)
        self.table.setMinimumHeight(260)
        self.form.addRow(self.table)
        from ui.widgets import empty_state

        self.empty = empty_state(self.table, tr(
            "該当するケースはありません。ケース番号、氏名（漢字・ふりがな）、電話、住所で探せます。",
            "No case matches. Search by case number, name (kanji or kana), phone or address."))  # fmt: skip
        self.resize(640, 0)
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.find_cases)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._to_list)
        self.table.activated.connect(lambda _i: self.save())
        self.find_cases()

    def find_cases(self) -> None:
        from app.domain.records import CaseFilter
        from app.services.cases import case_ids, case_rows

        text = self.search.text()

        def load(s: Session) -> list[Any]:
            return case_rows(s, case_ids(s, CaseFilter(text=text), limit=self.PAGE))

        def show(rows: list[Any]) -> None:
            if text != self.search.text():
                return  # a newer search is on its way
            self.model.set_rows(rows)
            if rows:
                self.table.selectRow(0)

        self.ctx.runner.db(load, show)

    def _to_list(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()

    def chosen(self) -> Any:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def check(self) -> None:
        row = self.chosen()
        if row is None:
            raise ValidationError(
                "一覧からケースを選んでください。", "Choose a case from the list."
            )
        self._case_id = row.id  # read here, on the UI thread; apply runs on the worker

    def apply(self, s: Session) -> str:
        return meetings.add_case(s, self.ctx.actor, self.meeting_id, self._case_id)


def _choices(items: Sequence[tuple[str, str]]) -> list[Choice]:
    return [Choice(id=i, name=n) for i, n in items]


class PledgeDialog(_FormDialog):
    """A signed pledge received: the member, the day signed, and (where the organiser
    allows it) the last day of a standing pledge."""

    def __init__(self, ctx: UiContext, meeting: MeetingData, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("誓約書の受領", "Pledge received"), parent)
        self.meeting = meeting
        self.member = self.row(
            tr("構成員", "Member"),
            choice_combo(_choices([(a.id, a.name) for a in meeting.attendees]), empty=None),
        )
        waiting = next((a.id for a in meeting.attendees if not a.pledge_valid), None)
        set_combo(self.member, waiting)
        self.signed = self.row(
            tr("署名日", "Signed on"),
            OptionalDate(tr("署名日", "Signed on"), meeting.held_on or dt.date.today()),
        )
        self.signed.check.setVisible(False)  # required: no tick to leave it empty
        self.until = self.row(
            tr("有効期限（包括的な誓約）", "Valid until (standing)"),
            OptionalDate(tr("有効期限", "Valid until")),
        )
        self.until.set_value(None)
        self.until.setEnabled(meeting.standing_pledge_allowed)  # fmt: skip

    def check(self) -> None:
        if self.signed.value() is None:
            raise ValidationError("署名日を入力してください。", "Enter the day it was signed.")

    def apply(self, s: Session) -> None:
        att = combo_value(self.member)
        if att is None:
            raise ValidationError("構成員を選んでください。", "Choose a member.")
        meetings.record_pledge(s, self.ctx.actor, att, self.signed.value(),
                               valid_until=self.until.value())  # fmt: skip


def _case_combo(meeting: MeetingData, current: str | None = None) -> QComboBox:
    combo = choice_combo(
        _choices([(c.id, f"{c.case_number} {c.person_name or ''}") for c in meeting.cases]),
        current, empty=None,
    )  # fmt: skip
    return combo


class MinutesDialog(_FormDialog):
    """The minutes of one case: what was discussed and decided."""

    def __init__(self, ctx: UiContext, meeting: MeetingData, case_id: str | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(ctx, tr("議事録（ケースごと）", "Minutes of a case"), parent)
        self.meeting = meeting
        self.case = self.row(tr("ケース", "Case"), _case_combo(meeting, case_id))
        self.discussion = self.row(tr("検討内容", "Discussion"), QPlainTextEdit())
        self.decision = self.row(tr("決定事項", "Decision"), QPlainTextEdit())
        # Minutes are paragraphs: room for several lines each (they were 3 lines high).
        lines = self.discussion.fontMetrics().lineSpacing()
        self.discussion.setMinimumHeight(lines * 9)
        self.decision.setMinimumHeight(lines * 5)
        self.resize(720, 0)
        self.case.currentIndexChanged.connect(lambda _i: self._fill())
        self._fill()

    def _fill(self) -> None:
        cid = combo_value(self.case)
        x = next((x for x in self.meeting.minutes if x.case_id == cid), None)
        self.discussion.setPlainText(x.discussion or "" if x else "")
        self.decision.setPlainText(x.decision or "" if x else "")

    def apply(self, s: Session) -> None:
        cid = combo_value(self.case)
        if cid is None:
            raise ValidationError("ケースを選んでください。", "Choose a case.")
        meetings.write_minutes(s, self.ctx.actor, self.meeting.id, cid,
                               discussion=self.discussion.toPlainText(),
                               decision=self.decision.toPlainText())  # fmt: skip


class TaskDialog(_FormDialog):
    """A 役割分担: who (staff, agency), what, by when. It becomes a task on the case."""

    def __init__(self, ctx: UiContext, meeting: MeetingData, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("役割分担の追加", "Add a role assignment"), parent)
        self.meeting = meeting
        self.case = self.row(tr("ケース", "Case"), _case_combo(meeting))
        self.task = self.row(tr("内容", "What"), QLineEdit())
        self.staff = self.row(tr("担当職員", "Staff"), _staff_combo(ctx))
        self.agency = self.row(tr("担当機関", "Agency"), _agency_combo(ctx))
        # Choosing a member fills in their agency (as recorded for this meeting), unless the
        # coordinator chose another agency themselves.
        self._member_agency = {a.staff_id: a.agency_id for a in meeting.attendees
                               if a.staff_id and a.agency_id}  # fmt: skip
        self._filled_agency: str | None = None
        self.staff.currentIndexChanged.connect(lambda _i: self._fill_agency())
        self.due = self.row(
            tr("期限", "Due"),
            OptionalDate(
                tr("期限", "Due"), (meeting.held_on or dt.date.today()) + dt.timedelta(days=14)
            ),
        )

    def _fill_agency(self) -> None:
        agency = self._member_agency.get(combo_value(self.staff) or "")
        if agency and combo_value(self.agency) in (None, self._filled_agency):
            set_combo(self.agency, agency)
            self._filled_agency = agency

    def apply(self, s: Session) -> str:
        cid = combo_value(self.case)
        if cid is None:
            raise ValidationError("ケースを選んでください。", "Choose a case.")
        return meetings.add_assignment(
            s, self.ctx.actor, meeting_id=self.meeting.id, case_id=cid, task=self.task.text(),
            staff_id=combo_value(self.staff), agency_id=combo_value(self.agency),
            due_date=self.due.value(),
        )  # fmt: skip


class TaskStatusDialog(_FormDialog):
    def __init__(self, ctx: UiContext, meeting: MeetingData, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("役割分担の状況", "Task status"), parent)
        self.task = self.row(
            tr("役割分担", "Task"),
            choice_combo(
                _choices([(t.id, f"{t.case_number or ''} {t.task}") for t in meeting.assignments]),
                empty=None,
            ),
        )
        self.status = self.row(tr("状況", "Status"), vocab_combo(vocab.TASK_STATUS, "done"))  # fmt: skip
        # The day it was done (reports count "done on time" by it): today unless changed.
        self.completed = self.row(
            tr("完了日", "Completed on"),
            OptionalDate(tr("完了日", "Completed on"), dt.date.today()),
        )
        self.status.currentIndexChanged.connect(lambda _i: self._completed_state())
        self.task.currentIndexChanged.connect(lambda _i: self._completed_state(task_changed=True))
        self._tasks = {t.id: t for t in meeting.assignments}
        self._completed_state(task_changed=True)

    def _completed_state(self, task_changed: bool = False) -> None:
        done = combo_value(self.status) == "done"
        self.completed.setEnabled(done)
        t = self._tasks.get(combo_value(self.task) or "")
        if task_changed:
            self.completed.set_value(t.completed_on if t and t.completed_on else dt.date.today())

    def apply(self, s: Session) -> None:
        tid = combo_value(self.task)
        if tid is None:
            raise ValidationError("役割分担を選んでください。", "Choose a task.")
        status = str(combo_value(self.status))
        if status == "done":
            meetings.set_task_status(s, self.ctx.actor, tid, status, self.completed.value())
        else:
            meetings.set_task_status(s, self.ctx.actor, tid, status)


DialogFactory = Callable[[], _FormDialog]
