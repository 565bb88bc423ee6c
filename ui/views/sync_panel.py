"""The sync panel: state, last successful sync (server time), pending changes by kind,
per-phase progress with counts, cancel, the conflict list and the changes the server refused
(open, resend, attach to another case, dismiss to the trash, restore).

Main thread only. ``SyncPanel(store, runner=None, parent=None, auto_interval_ms=60_000)``:
``store`` is the unlocked Store; ``runner`` a ui.tasks.TaskRunner (one is made on the store if
not given). Every database read and write of the panel runs through the runner (``panel_data``
on its db lane); the sync itself runs on the "side" lane (the engine takes the store's
connection only for short transactions, so the UI keeps working). Sync starts by itself when
the server answers the reachability probe (every ``auto_interval_ms``; 0 turns it off) and on
the button. After a sync, a resolution or any action on a refused change the panel announces
``events.SYNCED`` so every open view refreshes. ``confirm_unsynced(parent, store)`` is the
warning to call before closing or locking.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import YorisoiError
from app.storage.db import Store
from app.sync import state
from app.sync.conflicts import TABLE_LABELS, ConflictItem, list_conflicts
from app.sync.engine import SyncEngine, SyncProgress, SyncSummary
from app.sync.enroll import is_demo_profile
from app.sync.errors import DeviceRevoked, NotEnrolled
from app.sync.rejected import (
    RejectedItem,
    TrashedItem,
    dismiss,
    list_rejected,
    list_trash,
    reattach,
    restore,
    retry,
)
from app.sync.status import SyncStatus, has_unsynced, sync_status
from app.sync.transport import Transport
from ui import events
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.dialogs.rejected_dialog import RejectedRecordDialog, TrashDialog
from ui.i18n import error_text, tr
from ui.tasks import TaskControl, TaskRunner

PHASES = {
    "push": ("送信", "Sending"),
    "pull": ("受信", "Receiving"),
    "purge": ("整理", "Tidying"),
}


def clock_text(iso: str | None) -> str:
    """A server timestamp (``2026-12-03T07:44:10.474809Z``) as a person reads it, in this
    laptop's time zone: ``2026-12-03 16:44``. Unreadable text is shown as it is."""
    if not iso:
        return ""
    try:
        at = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class PanelData:
    """Everything the panel shows, read in one go on the runner's worker."""

    status: SyncStatus
    demo: bool
    conflicts: list[ConflictItem]
    rejected: list[RejectedItem]
    trash: list[TrashedItem]


def panel_data(store: Store) -> PanelData:  # worker thread
    return PanelData(sync_status(store), is_demo_profile(store), list_conflicts(store),
                     list_rejected(store), list_trash(store))  # fmt: skip


def confirm_unsynced(parent: QWidget | None, store: Store) -> bool:
    """True if it is fine to close or lock: nothing unsynced, or the person says so."""
    if store.is_locked or not sync_status(store).enrolled or not has_unsynced(store):
        return True  # a laptop that never syncs has nothing "unsynced" to warn about
    answer = QMessageBox.question(
        parent,
        tr("未送信の変更があります", "Unsynced changes"),
        tr("サーバーに送信していない変更があります。このまま閉じますか？"
           "（変更はこのパソコンに暗号化して保存され、次回の同期で送信されます）",
           "Some changes have not reached the server yet. Close anyway? (They stay encrypted "
           "on this laptop and are sent at the next sync.)"),
    )  # fmt: skip
    return answer == QMessageBox.StandardButton.Yes


class SyncPanel(QWidget):
    sync_finished = Signal(object)  # SyncSummary or the error
    device_wiped = Signal()  # the server revoked this device and its data was erased
    progressed = Signal(str, int, int)  # phase, done, total (0: unknown)
    refreshed = Signal(object)  # PanelData, after it is shown
    open_case = Signal(str)  # the person asked to see a refused record in its case

    def __init__(self, store: Store, runner: TaskRunner | None = None,
                 parent: QWidget | None = None, auto_interval_ms: int = 60_000) -> None:  # fmt: skip
        super().__init__(parent)
        self.store = store
        self.runner = runner or TaskRunner(store, self)
        self._cancel: threading.Event | None = None
        self.data: PanelData | None = None
        layout = QVBoxLayout(self)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.last_label = QLabel()
        self.pending_label = QLabel()
        self.pending_label.setWordWrap(True)
        self.clock_label = QLabel()
        self.clock_label.setStyleSheet("color: #b00020")
        self.phase_label = QLabel()
        self.progress = QProgressBar()
        for w in (self.state_label, self.last_label, self.pending_label, self.clock_label,
                  self.phase_label, self.progress):  # fmt: skip
            layout.addWidget(w)
        row = QHBoxLayout()
        self.sync_button = QPushButton(tr("今すぐ同期", "Sync now"))
        self.sync_button.setEnabled(False)
        self.cancel_button = QPushButton(tr("中止", "Cancel"))
        self.cancel_button.setEnabled(False)
        row.addWidget(self.sync_button)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        layout.addWidget(QLabel(tr("競合（要確認）", "Conflicts to resolve")))
        self.conflicts = QListWidget()
        self.conflicts.setAccessibleName(tr("競合", "Conflicts"))
        self.conflicts.itemActivated.connect(self._open_conflict)
        layout.addWidget(self.conflicts)
        self.rejected_title = QLabel(
            tr("サーバーが受け付けなかった変更（この端末に残っています）",
               "Changes the server refused (kept on this laptop)")
        )  # fmt: skip
        layout.addWidget(self.rejected_title)
        self.rejected = QListWidget()
        self.rejected.setAccessibleName(tr("受け付けられなかった変更", "Refused changes"))
        self.rejected.setWordWrap(True)
        self.rejected.itemActivated.connect(lambda _i: self.open_rejected())
        layout.addWidget(self.rejected)
        actions = QHBoxLayout()
        self.open_button = QPushButton(tr("開く", "Open"))
        self.retry_button = QPushButton(tr("もう一度送信", "Send again"))
        self.reattach_button = QPushButton(tr("別のケースに付け替え", "Attach to another case"))
        self.dismiss_button = QPushButton(tr("取り消す（ごみ箱へ）…", "Dismiss (to the trash)…"))
        self.trash_button = QPushButton(tr("ごみ箱", "Trash"))
        for b in (self.open_button, self.retry_button, self.reattach_button,
                  self.dismiss_button, self.trash_button):  # fmt: skip
            actions.addWidget(b)
        layout.addLayout(actions)
        self.sync_button.clicked.connect(self.start_sync)
        self.cancel_button.clicked.connect(self.cancel_sync)
        self.open_button.clicked.connect(self.open_rejected)
        self.retry_button.clicked.connect(self.retry_selected)
        self.reattach_button.clicked.connect(lambda: self.reattach_selected())  # not clicked(bool)
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.trash_button.clicked.connect(self.show_trash)
        self.rejected.currentRowChanged.connect(lambda _r: self._enable_actions())
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._probe)
        if auto_interval_ms > 0:
            self.timer.start(auto_interval_ms)
        self._enable_actions()
        events.bus().changed.connect(self._changed)
        self.refresh()

    # --- showing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the panel's data on the runner's worker; shown when it arrives."""
        store = self.store
        if store.is_locked:
            return
        self.runner.run(lambda _ctl: panel_data(store), self._show, lambda _e: None)

    def _changed(self, entities: frozenset[str], initiator: object) -> None:
        if initiator is not self and entities & events.SYNCED and not self.store.is_locked:
            self.refresh()  # an edit elsewhere changes the pending count

    def _show(self, data: PanelData) -> None:
        self.data = data
        st = data.status
        if data.demo:
            from app.sync.enroll import DemoProfileCannotEnroll

            self.state_label.setText(DemoProfileCannotEnroll().message())
        elif not st.enrolled:
            self.state_label.setText(tr("この端末はサーバーに登録されていません。",
                                        "This laptop is not enrolled with a server."))  # fmt: skip
        else:
            err = (
                f" — {tr('前回の同期は失敗しました', 'the last sync failed')}"
                if st.last_error
                else ""
            )
            self.state_label.setText(f"{tr('サーバー', 'Server')}: {st.server_url}{err}")
        self.last_label.setText(f"{tr('最後に同期した時刻（サーバー時刻）', 'Last sync (server time)')}: "
                                f"{clock_text(st.last_sync_server_time) or tr('まだありません', 'never')}")  # fmt: skip
        kinds = "、".join(f"{tr(*TABLE_LABELS.get(t, (t, t)))} {n}" for t, n in st.pending.items())
        self.pending_label.setText(f"{tr('未送信の変更', 'Unsynced changes')}: {st.pending_total}"
                                   + (f"（{kinds}）" if kinds else ""))  # fmt: skip
        self.clock_label.setVisible(st.clock_warning)
        if st.clock_warning and st.clock_skew_seconds is not None:
            self.clock_label.setText(tr(
                "このパソコンの時計がサーバーと {n} 分ずれています。",
                "This laptop's clock is {n} min off the server's.").format(
                n=f"{abs(st.clock_skew_seconds) / 60:.0f}"))  # fmt: skip
        self.sync_button.setEnabled(st.enrolled and self._cancel is None)
        self.conflicts.clear()
        for c in data.conflicts:
            item = QListWidgetItem(f"{tr(*c.table_label)} {c.row_label} — {c.field}: "
                                   f"{c.mine!r} / {c.theirs!r} ({c.theirs_by or ''})")  # fmt: skip
            item.setData(Qt.ItemDataRole.UserRole, c)
            self.conflicts.addItem(item)
        current = self.selected_rejected()
        self.rejected.clear()
        for r in data.rejected:
            waiting = (
                tr("（この記録を待つ変更 {n} 件）", " ({n} changes wait for it)").format(n=r.held)
                if r.held else ""
            )  # fmt: skip
            text = f"{tr(*r.table_label)} {r.row_label}\n{tr(*r.reason_text)}{waiting}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, r)
            item.setToolTip(tr(*r.reason_text))
            self.rejected.addItem(item)
            if current is not None and r.op_id == current.op_id:
                self.rejected.setCurrentItem(item)
        self.trash_button.setText(tr("ごみ箱（{n}）", "Trash ({n})").format(n=len(data.trash)))
        self._enable_actions()
        self.refreshed.emit(data)

    def selected_rejected(self) -> RejectedItem | None:
        item = self.rejected.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _enable_actions(self) -> None:
        r = self.selected_rejected()
        for b in (self.open_button, self.retry_button, self.dismiss_button):
            b.setEnabled(r is not None)
        self.reattach_button.setEnabled(r is not None and r.can_reattach)

    # --- syncing ------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def start_sync(self) -> None:
        if self.running or self.store.is_locked:
            return
        cancel = self._cancel = threading.Event()
        store = self.store

        def work(ctl: TaskControl) -> SyncSummary:  # worker thread: no widgets here
            def progress(p: SyncProgress) -> None:
                ctl.report(p.phase, p.done, p.total or 0)

            return SyncEngine(store, progress=progress, cancel=cancel).run()

        self.sync_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.phase_label.setText(tr("同期中…", "Syncing…"))
        self.runner.run(work, self._done, self._failed, on_progress=self._progressed, lane="side")

    def cancel_sync(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def _progressed(self, phase: str, done: int, total: int) -> None:
        self.progressed.emit(phase, done, total)
        if phase == "index":  # one step with no count of its own: a busy bar
            self.phase_label.setText(
                tr(
                    "検索用の索引を作成中（{n} 件）…", "Building the search index ({n} entries)…"
                ).format(n=f"{total:,}")
            )
            self.progress.setRange(0, 0)
            return
        ja, en = PHASES.get(phase, (phase, phase))
        self.phase_label.setText(f"{tr(ja, en)}: {done:,}" + (f" / {total:,}" if total else ""))
        self.progress.setRange(0, total if total else 0)
        if total:
            self.progress.setValue(done)

    def _finish(self) -> None:
        self._cancel = None
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)

    def _announce(self) -> None:
        """Records may have changed: every open view refreshes (and so does this panel)."""
        events.bus().announce(*events.SYNCED, initiator=self)

    def _done(self, summary: SyncSummary) -> None:
        self._finish()
        self.phase_label.setText(tr("同期しました（送信 {sent}、受信 {received}）",
                                    "Synced (sent {sent}, received {received})").format(
            sent=f"{summary.pushed:,}", received=f"{summary.pulled:,}"))  # fmt: skip
        self._announce()
        self.refresh()
        self.sync_finished.emit(summary)

    def _failed(self, error: BaseException) -> None:
        self._finish()
        if isinstance(error, DeviceRevoked):
            self.timer.stop()
            QMessageBox.critical(
                self, tr("端末が無効化されました", "Device revoked"), error.message()
            )
            self.sync_finished.emit(error)
            self.device_wiped.emit()
            self._announce()  # what is left open shows that the data is gone
            return
        text = error.message() if isinstance(error, YorisoiError) else tr(
            "同期中に予期しないエラーが発生しました。", "Unexpected error during sync.")  # fmt: skip
        self.phase_label.setText(text)
        if not isinstance(error, NotEnrolled):
            self._announce()  # a failed run may have applied some pages before it stopped
        self.refresh()
        self.sync_finished.emit(error)

    def _probe(self) -> None:
        """Reachability probe off the UI thread; a sync follows when the server answers."""
        if self.running or self.store.is_locked:
            return
        store = self.store

        def probe(_ctl: TaskControl) -> Any:
            enrollment = state.enrollment(store)
            if enrollment is None:
                return None
            transport = Transport(enrollment.server_url, enrollment.token)
            try:
                return transport.status()
            finally:
                transport.close()

        def answered(status: object) -> None:
            if status is not None:
                self.start_sync()

        self.runner.run(probe, answered, lambda _err: None, lane="side")

    # --- conflicts ------------------------------------------------------------------------------

    def _open_conflict(self, item: QListWidgetItem) -> None:
        dialog = ConflictDialog(self.runner, item.data(Qt.ItemDataRole.UserRole), self)
        dialog.accepted.connect(self.refresh)
        dialog.open()

    # --- refused changes --------------------------------------------------------------------------

    def _act(self, work: Callable[[Store], Any], done_text: tuple[str, str]) -> None:
        store = self.store

        def done(_result: Any) -> None:
            self.phase_label.setText(tr(*done_text))
            self._announce()
            self.refresh()

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, tr("できませんでした", "Not possible"), error_text(exc))
            self.refresh()

        self.runner.run(lambda _ctl: work(store), done, failed)

    def open_rejected(self) -> RejectedRecordDialog | None:
        r = self.selected_rejected()
        if r is None:
            return None
        dialog = RejectedRecordDialog(r, self)
        dialog.open_case.connect(self.open_case.emit)
        dialog.retry_requested.connect(self.retry_selected)
        dialog.open()
        return dialog

    def retry_selected(self) -> None:
        r = self.selected_rejected()
        if r is not None:
            op_id = r.op_id
            self._act(lambda s: retry(s, op_id),
                      ("次回の同期でもう一度送信します。", "It is sent again at the next sync."))  # fmt: skip

    def reattach_selected(self, case_ref: str | None = None) -> None:
        r = self.selected_rejected()
        if r is None or not r.can_reattach:
            return
        if not case_ref:
            case_ref, ok = QInputDialog.getText(
                self, tr("別のケースに付け替え", "Attach to another case"),
                tr("付け替え先のケース番号:", "Case number to attach it to:"))  # fmt: skip
            if not ok or not case_ref.strip():
                return
        op_id, target = r.op_id, case_ref.strip()
        self._act(lambda s: reattach(s, op_id, target),
                  ("付け替えました。次回の同期で送信します。",
                   "Attached; it is sent at the next sync."))  # fmt: skip

    def dismiss_selected(self) -> None:
        r = self.selected_rejected()
        if r is None:
            return
        answer = QMessageBox.question(
            self, tr("取り消しますか？", "Dismiss this change?"),
            tr("この変更をサーバーに送るのをやめ、ごみ箱に移します。新しい記録はこの端末の画面から"
               "消えます。ごみ箱から90日間は元に戻せます。",
               "This change will not be sent; it moves to the trash (a new record leaves the "
               "screens of this laptop). It can be restored from the trash for 90 days."))  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        op_id = r.op_id
        self._act(lambda s: dismiss(s, op_id),
                  ("ごみ箱に移しました（90日間は元に戻せます）。",
                   "Moved to the trash (restorable for 90 days)."))  # fmt: skip

    def show_trash(self) -> TrashDialog:
        dialog = TrashDialog(self.data.trash if self.data else [], self)
        dialog.restore_requested.connect(self.restore_item)
        dialog.open()
        return dialog

    def restore_item(self, trash_id: str) -> None:
        self._act(lambda s: restore(s, trash_id),
                  ("元に戻しました。", "Restored."))  # fmt: skip
