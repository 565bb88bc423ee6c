"""The sync page: enrolment (server URL and one-time code) when this laptop is not enrolled, then
the sync panel (ui/views/sync_panel.py: state, progress, cancel, conflicts, refused changes). A
demo profile says in one line why it cannot enrol. Main thread only; the database is read and
written only through the runner (the panel's ``panel_data``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import YorisoiError
from app.sync.enroll import enroll
from ui.context import UiContext
from ui.i18n import tr
from ui.tasks import TaskControl
from ui.views.sync_panel import PanelData, SyncPanel
from ui.widgets import heading


class SyncScreen(QWidget):
    open_case = Signal(str)  # a refused record's case, to show it there

    def __init__(
        self, ctx: UiContext, on_wiped: Callable[[], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        store = ctx.runner.store
        assert store is not None
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("同期", "Sync")))
        self.enroll_box = QGroupBox(tr("この端末をサーバーに登録", "Enrol this laptop"))
        form = QFormLayout(self.enroll_box)
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://yorisoi.example.lg.jp")
        self.url.setAccessibleName(tr("サーバーのURL", "Server URL"))
        self.code = QLineEdit()
        self.code.setAccessibleName(tr("登録コード", "Enrolment code"))
        self.enroll_button = QPushButton(tr("登録する", "Enrol"))
        self.enroll_message = QLabel()
        self.enroll_message.setWordWrap(True)
        form.addRow(tr("サーバーのURL", "Server URL"), self.url)
        form.addRow(
            tr("登録コード（管理者から）", "One-time code (from the administrator)"), self.code
        )
        form.addRow(self.enroll_button)
        form.addRow(self.enroll_message)
        layout.addWidget(self.enroll_box)
        self.enroll_box.setVisible(False)  # until the panel's first read says
        self.panel = SyncPanel(store, ctx.runner, self)
        self.panel.device_wiped.connect(on_wiped)
        self.panel.refreshed.connect(self._show_enrolment)
        self.panel.open_case.connect(self.open_case.emit)
        layout.addWidget(self.panel, 1)
        self.enroll_button.clicked.connect(self._enroll)
        self.code.returnPressed.connect(self._enroll)  # Enter after typing the code enrols
        self.url.returnPressed.connect(self.code.setFocus)

    def _show_enrolment(self, data: PanelData) -> None:
        """A demo profile cannot enrol: no enrolment form (disabled fields repeating the
        panel's line said the same thing twice); the panel says it once, with what to do."""
        self.enroll_box.setVisible(not data.status.enrolled and not data.demo)

    def activate(self) -> None:
        self.panel.refresh()

    def _enroll(self) -> None:
        store = self.ctx.runner.store
        url, code = self.url.text().strip(), self.code.text().strip()
        if store is None or not url or not code:
            self.enroll_message.setText(
                tr("URLと登録コードを入力してください。", "Enter the server URL and the code.")
            )
            return
        self.enroll_button.setEnabled(False)
        self.enroll_message.setText(tr("登録しています…", "Enrolling…"))

        def work(_ctl: TaskControl) -> object:
            return enroll(store, url, code)

        def done(_result: object) -> None:
            self.enroll_button.setEnabled(True)
            self.code.clear()
            self.enroll_message.setText(tr("登録しました。", "Enrolled."))
            self.panel.refresh()
            self.panel.start_sync()

        def failed(exc: BaseException) -> None:
            self.enroll_button.setEnabled(True)
            self.enroll_message.setText(
                exc.message() if isinstance(exc, YorisoiError)
                else tr("登録できませんでした。", "Could not enrol.")
            )  # fmt: skip

        self.ctx.runner.run(work, done, failed)
