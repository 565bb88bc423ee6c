"""The sync panel: state, last successful sync (server time), pending changes by kind,
per-phase progress with counts, cancel, and the conflict and rejected lists.

Main thread only. ``SyncPanel(store, runner=None, parent=None, auto_interval_ms=60_000)``:
``store`` is the unlocked Store; ``runner`` a ui.tasks.TaskRunner (one is made on the store if
not given). Sync runs on the runner's "side" lane (the engine takes the store's connection only
for short transactions, so the UI keeps working). Sync starts by itself when the server answers
the reachability probe (every ``auto_interval_ms``; 0 turns it off) and on the button.
``confirm_unsynced(parent, store)`` is the warning to call before closing or locking.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
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
from app.sync.conflicts import TABLE_LABELS, dismiss_rejected, list_conflicts, list_rejected
from app.sync.engine import SyncEngine, SyncProgress, SyncSummary
from app.sync.errors import DeviceRevoked, SyncCancelled
from app.sync.status import has_unsynced, sync_status
from app.sync.transport import Transport
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.i18n import tr
from ui.tasks import TaskControl, TaskRunner

PHASES = {
    "push": ("送信", "Sending"),
    "pull": ("受信", "Receiving"),
    "purge": ("整理", "Tidying"),
}


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

    def __init__(self, store: Store, runner: TaskRunner | None = None,
                 parent: QWidget | None = None, auto_interval_ms: int = 60_000) -> None:  # fmt: skip
        super().__init__(parent)
        self.store = store
        self.runner = runner or TaskRunner(store, self)
        self._cancel: threading.Event | None = None
        layout = QVBoxLayout(self)
        self.state_label = QLabel()
        self.last_label = QLabel()
        self.pending_label = QLabel()
        self.clock_label = QLabel()
        self.clock_label.setStyleSheet("color: #b00020")
        self.phase_label = QLabel()
        self.progress = QProgressBar()
        for w in (self.state_label, self.last_label, self.pending_label, self.clock_label,
                  self.phase_label, self.progress):  # fmt: skip
            layout.addWidget(w)
        row = QHBoxLayout()
        self.sync_button = QPushButton(tr("今すぐ同期", "Sync now"))
        self.cancel_button = QPushButton(tr("中止", "Cancel"))
        self.cancel_button.setEnabled(False)
        row.addWidget(self.sync_button)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        layout.addWidget(QLabel(tr("競合（要確認）", "Conflicts to resolve")))
        self.conflicts = QListWidget()
        self.conflicts.itemActivated.connect(self._open_conflict)
        layout.addWidget(self.conflicts)
        layout.addWidget(QLabel(tr("サーバーが受け付けなかった変更", "Changes the server refused")))
        self.rejected = QListWidget()
        layout.addWidget(self.rejected)
        self.dismiss_button = QPushButton(tr("確認済みにする", "Mark as read"))
        layout.addWidget(self.dismiss_button)
        self.sync_button.clicked.connect(self.start_sync)
        self.cancel_button.clicked.connect(self.cancel_sync)
        self.dismiss_button.clicked.connect(self._dismiss)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._probe)
        if auto_interval_ms > 0:
            self.timer.start(auto_interval_ms)
        self.refresh()

    # --- showing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.store.is_locked:
            return
        st = sync_status(self.store)
        if not st.enrolled:
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
                                f"{st.last_sync_server_time or tr('まだありません', 'never')}")  # fmt: skip
        kinds = "、".join(f"{tr(*TABLE_LABELS.get(t, (t, t)))} {n}" for t, n in st.pending.items())
        self.pending_label.setText(f"{tr('未送信の変更', 'Unsynced changes')}: {st.pending_total}"
                                   + (f"（{kinds}）" if kinds else ""))  # fmt: skip
        self.clock_label.setVisible(st.clock_warning)
        if st.clock_warning and st.clock_skew_seconds is not None:
            self.clock_label.setText(tr(
                f"このパソコンの時計がサーバーと {abs(st.clock_skew_seconds) / 60:.0f} 分ずれています。",
                f"This laptop's clock is {abs(st.clock_skew_seconds) / 60:.0f} min off the server's."))  # fmt: skip
        self.sync_button.setEnabled(st.enrolled and self._cancel is None)
        self.conflicts.clear()
        for c in list_conflicts(self.store):
            item = QListWidgetItem(f"{tr(*c.table_label)} {c.row_label} — {c.field}: "
                                   f"{c.mine!r} / {c.theirs!r} ({c.theirs_by or ''})")  # fmt: skip
            item.setData(256, c)
            self.conflicts.addItem(item)
        self.rejected.clear()
        for r in list_rejected(self.store):
            item = QListWidgetItem(f"{tr(*r.table_label)} {r.op}: {r.reason}")
            item.setData(256, r.op_id)
            self.rejected.addItem(item)

    # --- syncing ------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def start_sync(self) -> None:
        if self.running or self.store.is_locked or state.enrollment(self.store) is None:
            return
        cancel = self._cancel = threading.Event()
        store = self.store

        def work(ctl: TaskControl) -> SyncSummary:  # worker thread: no widgets here
            def progress(p: SyncProgress) -> None:
                ctl._runner._progressed.emit(ctl._id, p.phase, p.done, p.total or 0)

            return SyncEngine(store, progress=progress, cancel=cancel).run()

        self.sync_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.phase_label.setText(tr("同期中…", "Syncing…"))
        self.runner.run(work, self._done, self._failed, on_progress=self._progressed, lane="side",
                        changes=("sync",))  # fmt: skip

    def cancel_sync(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def _progressed(self, phase: str, done: int, total: int) -> None:
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

    def _done(self, summary: SyncSummary) -> None:
        self._finish()
        self.phase_label.setText(tr("同期しました（送信 {sent}、受信 {received}）",
                                    "Synced (sent {sent}, received {received})").format(
            sent=f"{summary.pushed:,}", received=f"{summary.pulled:,}"))  # fmt: skip
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
            return
        text = error.message() if isinstance(error, YorisoiError) else tr(
            "同期中に予期しないエラーが発生しました。", "Unexpected error during sync.")  # fmt: skip
        self.phase_label.setText(text)
        self.refresh()
        if not isinstance(error, SyncCancelled):
            self.sync_finished.emit(error)
        else:
            self.sync_finished.emit(error)

    def _probe(self) -> None:
        """Reachability probe off the UI thread; a sync follows when the server answers."""
        if self.running or self.store.is_locked:
            return
        enrollment = state.enrollment(self.store)
        if enrollment is None:
            return

        def probe(_ctl: TaskControl) -> Any:
            transport = Transport(enrollment.server_url, enrollment.token)
            try:
                return transport.status()
            finally:
                transport.close()

        self.runner.run(probe, lambda _ok: self.start_sync(), lambda _err: None, lane="side")

    # --- lists --------------------------------------------------------------------------------

    def _open_conflict(self, item: QListWidgetItem) -> None:
        dialog = ConflictDialog(self.store, item.data(256), self)
        if dialog.exec():
            self.refresh()

    def _dismiss(self) -> None:
        item = self.rejected.currentItem()
        if item is not None:
            dismiss_rejected(self.store, item.data(256))
            self.refresh()
