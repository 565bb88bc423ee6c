"""Main window: navigation, the screens, and a status bar (profile, lock, sync state, pending
changes). Screens other than the case list are built the first time they are shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)
from sqlalchemy.orm import Session

from app.domain import vocab
from ui import events
from ui.context import UiContext
from ui.i18n import tr, vlabel
from ui.views.case_view import CaseView
from ui.views.cases import CasesView
from ui.views.reachability import SyncIndicator, confirm_leave
from ui.widgets import fit_window, named


class MainWindow(QMainWindow):
    page_changed = Signal(str)

    def __init__(self, ctx: UiContext, controller: Any) -> None:
        super().__init__()
        self.ctx = ctx
        self.controller = controller
        self.setWindowTitle(tr("相談支援記録", "Case work"))
        fit_window(self, 1280, 800)  # at most the screen: 1366x768 laptops
        # Where the person left it (maximised, moved) before a lock or the last quit: the
        # window is rebuilt at every unlock and would otherwise jump back to the default.
        saved = ctx.settings.window_geometry
        if not saved.isEmpty():
            self.restoreGeometry(saved)
        self.nav = named(QListWidget(), tr("ナビゲーション", "Navigation"))
        self.nav.setFixedWidth(200)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self._factories: dict[str, Callable[[], QWidget]] = {
            "households": self._make_households, "visits": self._make_visits,
            "referrals": self._make_referrals, "meetings": self._make_meetings,
            "resources": self._make_resources, "sync": self._make_sync, "settings": self._make_settings,
            "todo": self._make_todo, "caseload": self._make_caseload,
            "reports": self._make_reports,
        }  # fmt: skip
        coordinator = ctx.actor.role in ("coordinator", "admin")
        self.order = [
            "cases",
            "todo",
            *(["caseload"] if coordinator else []),
            "households",
            "visits",
            "referrals",
            "meetings",
            "resources",
            "sync",
            "settings",
        ]
        titles = [tr("ケース", "Cases"), tr("やること", "To do"),
                  *([tr("担当状況", "Caseloads")] if coordinator else []), tr("世帯", "Households"), tr("今日の訪問", "Today's visits"),
                  tr("紹介（つなぐ）", "Referrals"), tr("支援会議", "Support meetings"),
                  tr("地域資源", "Regional resources"), tr("同期", "Sync"), tr("設定", "Settings")]  # fmt: skip
        if ctx.actor.role in ("coordinator", "admin"):  # 実績報告: coordinators and admins
            self.order.append("reports")  # last: the other pages keep their Alt+N
            titles.append(tr("実績報告", "Reports"))
        if ctx.actor.role == "admin":  # the administration workspace: administrators only
            self.order.append("admin")
            titles.append(tr("管理", "Administration"))
            self._factories["admin"] = self._make_admin
        for i, title in enumerate(titles, start=1):
            self.nav.addItem(title)
            item = self.nav.item(i - 1)
            item.setToolTip(f"Alt+{i}")
            item.setSizeHint(item.sizeHint().expandedTo(QSize(0, self.fontMetrics().height() + 14)))
            QShortcut(QKeySequence(f"Alt+{i}"), self, lambda n=self.order[i - 1]: self.show_page(n))
        self.cases = CasesView(ctx)
        self.cases.open_case.connect(self.open_case)
        self.cases.new_case.connect(self.new_case)
        self._add_page("cases", self.cases)
        self.case_view = CaseView(ctx)
        self.case_view.back.connect(lambda: self.show_page("cases"))
        self.case_view.record_visit.connect(self.record_visit)
        self.case_view.new_referral.connect(lambda cid: self.open_referral_editor(cid, None))
        self.case_view.open_referral.connect(self._open_referral_by_id)
        self.case_view.open_meeting.connect(self.open_meeting)
        self._add_page("case", self.case_view)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(
            lambda r: self.show_page(self.order[r]) if r >= 0 else None
        )

        bar = self.statusBar()
        role = vlabel(vocab.ROLE, ctx.actor.role)
        self.profile_label = QLabel(
            tr("利用者: {name}（{role}）", "User: {name} ({role})").format(
                name=ctx.actor.name, role=role
            )
        )
        self.sync_indicator = SyncIndicator(ctx.runner, self)
        self.sync_label = self.sync_indicator.state_label
        self.last_sync_label = self.sync_indicator.last_label
        self.pending_label = self.sync_indicator.pending_label
        self.lock_button = named(
            QPushButton(tr("ロック（Ctrl+L）", "Lock (Ctrl+L)")), tr("ロック", "Lock")
        )
        self.lock_button.clicked.connect(controller.request_lock)
        self.profile_label.setAccessibleName(self.profile_label.text())
        for w in (self.profile_label, self.sync_label, self.last_sync_label, self.pending_label):
            bar.addWidget(w)
        bar.addPermanentWidget(self.lock_button)
        QShortcut(QKeySequence("Ctrl+L"), self, controller.request_lock)
        events.bus().changed.connect(self._changed)
        self.show_page("cases")
        self.refresh_status()

    # --- pages --------------------------------------------------------------------------

    def _add_page(self, name: str, widget: QWidget) -> None:
        self.pages[name] = widget
        self.stack.addWidget(widget)

    def page(self, name: str) -> QWidget:
        if name not in self.pages:
            self._add_page(name, self._factories[name]())
        return self.pages[name]

    def show_page(self, name: str) -> None:
        widget = self.page(name)
        self.stack.setCurrentWidget(widget)
        if name in self.order:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(self.order.index(name))
            self.nav.blockSignals(False)
        if name == "cases" and not self.cases.model.rowCount():
            self.cases.refresh()
        activate = getattr(widget, "activate", None)
        if activate is not None:
            activate()
        self.page_changed.emit(name)

    def _make_todo(self) -> QWidget:
        from ui.views.worklist import WorklistView

        view = WorklistView(self.ctx)
        view.open_case.connect(self.open_case)
        view.counts_changed.connect(self._todo_counts)
        return view

    def _make_caseload(self) -> QWidget:
        from ui.views.caseload import CaseloadView

        view = CaseloadView(self.ctx)
        view.open_case.connect(self.open_case)
        return view

    def _todo_counts(self, counts: dict[str, int]) -> None:
        """The navigation's やること entry shows the user's count (and how many are overdue)."""
        from ui.views.worklist import nav_title

        item = self.nav.item(self.order.index("todo"))
        item.setText(nav_title(counts))
        item.setToolTip(f"Alt+{self.order.index('todo') + 1}")

    def refresh_todo_count(self) -> None:
        from app.services.worklist import counts

        actor = self.ctx.actor
        self.ctx.runner.db(lambda s: counts(s, actor), self._todo_counts)

    def _make_households(self) -> QWidget:
        from ui.views.households import HouseholdsView

        return HouseholdsView(self.ctx)

    def _make_visits(self) -> QWidget:
        from ui.views.visits import VisitsView

        view = VisitsView(self.ctx)
        view.open_case.connect(self.open_case)
        view.record_visit.connect(self.record_visit)
        return view

    def _make_referrals(self) -> QWidget:
        from ui.views.referrals import ReferralsView

        view = ReferralsView(self.ctx)
        view.open_referral.connect(self._open_referral_by_id)
        return view

    def _make_meetings(self) -> QWidget:
        from ui.views.meetings import MeetingsView

        return MeetingsView(self.ctx)

    def _make_resources(self) -> QWidget:
        from ui.views.resources import ResourcesView

        return ResourcesView(self.ctx)

    def _make_reports(self) -> QWidget:
        from ui.views.reports import ReportsView

        return ReportsView(self.ctx)

    def _make_sync(self) -> QWidget:
        from ui.views.sync_page import SyncScreen

        screen = SyncScreen(self.ctx, self.controller.device_wiped)
        screen.open_case.connect(self.open_case)  # a refused record, shown in its case
        return screen

    def _make_admin(self) -> QWidget:
        from app.sync import state
        from ui.views.admin import AdminWorkspace

        store = self.controller.store
        enrolled = state.enrollment(store) if store is not None else None
        settings, profile = self.ctx.settings, self.controller.db_path.parent.name
        return AdminWorkspace(
            enrolled.server_url if enrolled else None,
            settings.admin_login(profile),
            remember_login=lambda login: settings.set_admin_login(profile, login),
        )

    def _make_settings(self) -> QWidget:
        from ui.views.settings import SettingsView

        view = SettingsView(self.ctx)
        view.applied.connect(self._settings_applied)
        return view

    # --- actions ------------------------------------------------------------------------

    def open_case(self, case_id: str) -> None:
        self.case_view.load(case_id)
        self.show_page("case")

    def open_meeting(self, meeting_id: str) -> None:
        """A meeting chosen in a case's 支援会議 tab: the meetings screen, showing it."""
        self.show_page("meetings")
        view = self.page("meetings")
        view.select_meeting(meeting_id)  # type: ignore[attr-defined]

    def new_case(self) -> None:
        from ui.dialogs.case_editor import CaseEditorDialog

        dialog = CaseEditorDialog(self.ctx, None, self)

        def saved() -> None:
            if dialog.case_id:
                self.open_case(dialog.case_id)

        dialog.accepted.connect(saved)
        dialog.open()

    def record_visit(
        self, case_id: str, label: str = "", payload: dict[str, Any] | None = None
    ) -> Any:
        from ui.dialogs.visit_entry import VisitEntryDialog

        dialog = VisitEntryDialog(self.ctx, case_id, label, self)
        if payload:
            dialog.restore(payload)
        dialog.show()
        return dialog

    def open_referral_editor(
        self, case_id: str, referral_id: str | None, payload: dict[str, Any] | None = None
    ) -> Any:
        from ui.dialogs.referral_editor import ReferralEditorDialog

        dialog = ReferralEditorDialog(self.ctx, case_id, referral_id, self)
        dialog.load_from_database(payload)
        dialog.show()
        return dialog

    def _open_referral_by_id(self, referral_id: str) -> None:
        from app.storage.models import Referral

        def case_of(s: Session) -> str | None:
            r = s.get(Referral, referral_id)
            return r.case_id if r else None

        self.ctx.runner.db(case_of, lambda cid: cid and self.open_referral_editor(cid, referral_id))

    def reopen_draft(self, key: str, payload: dict[str, Any]) -> Any:
        """After unlock or a restart: bring back an editor that was open, with its content."""
        kind, _, rest = key.partition(":")
        if kind == "visit":
            return self.record_visit(rest, str(payload.get("case_label") or ""), payload)
        if kind in ("referral", "referral-new"):
            return self.open_referral_editor(
                str(payload.get("case_id") or rest), payload.get("referral_id"), payload
            )
        return None

    def _settings_applied(self, language_changed: bool) -> None:
        self.controller.apply_settings()
        if language_changed:
            from PySide6.QtWidgets import QApplication

            from ui import i18n

            app = QApplication.instance()
            if app is not None:
                i18n.install(app, i18n.resolve_language(self.ctx.settings.language))
            self.controller.rebuild_main_window()

    # --- status -------------------------------------------------------------------------

    def _changed(self, entities: frozenset[str], _initiator: object) -> None:
        self.refresh_status(todo=bool(entities & events.DATA))

    def refresh_status(self, todo: bool = True) -> None:
        self.sync_indicator.refresh()
        if todo:
            self.refresh_todo_count()

    def remember_geometry(self) -> None:
        self.ctx.settings.window_geometry = self.saveGeometry()

    def close_for_lock(self) -> None:
        self.remember_geometry()
        self._locking = True
        self.hide()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        locking = getattr(self, "_locking", False)
        store = self.controller.store
        if not locking and store is not None and not confirm_leave(self, store, "quit"):
            event.ignore()
            return
        end_session = getattr(self.pages.get("admin"), "end_session", None)
        if end_session is not None:
            end_session()  # lock or quit ends the administrator's server session
        if not locking:
            self.remember_geometry()
            from PySide6.QtWidgets import QApplication

            app = QApplication.instance()
            if app is not None:
                app.quit()
        event.accept()
