"""The administration workspace (admin role only, online): users, devices and their sync
health, the audit viewer, and master data, through the server's admin API.

Signing in asks for the administrator's password each time; it is sent once and never
kept, and the session token lives in this widget's ``AdminClient`` only: locking the app
closes the main window, and with it this session (``end_session``). Requests run on this
widget's own lane (``RequestLane``: one daemon thread, one request at a time, in order), never
on the GUI thread, so a slow or dropped network cannot freeze the window: while one runs the
action buttons are disabled, and every refusal shows the server's own one-line message in
place (never a traceback). Results arrive in the order asked, so a refresh of the users always
lands after the master data it names. Signing out (and locking) never waits for a request on
its way: the lane is abandoned (its thread ends by itself at the request's timeout, its
answer is dropped), the token is forgotten at once, and the session is ended on the server
with a short timeout, waited for at most ``SIGN_OUT_WAIT_S``.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QDate, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.admin.client import AdminClient, AdminError, AdminSession
from app.domain import vocab
from ui.errors import log_exception
from ui.i18n import tr, vlabel
from ui.views.admin_dialogs import (
    CodeDialog,
    MasterDialog,
    PasswordDialog,
    UserDialog,
    local_time,
)
from ui.widgets import heading, named

R = TypeVar("R")

# Signing out: the DELETE's own timeout, and how long signing out (locking) waits for it.
SIGN_OUT_TIMEOUT_S = 2.0
SIGN_OUT_WAIT_S = 1.0
STATUS_SECONDS = 8  # how long a report of what was done stays in the status line
STALE_COLOUR = QColor("#fde2c4")
# The master tables the workspace edits: (table, ja, en).
MASTER_TABLES = (
    ("agency", "機関（誓約書の宛名・主催者）", "Agencies (pledge addressee, organiser)"),
    ("district", "地区", "Districts"),
    ("school_zone", "小学校区", "School zones"),
    ("issue_category", "課題の分類", "Issue categories"),
)
REVOKED_COLOUR = QColor("#e5e5e5")


def message(exc: BaseException) -> str:
    """One line for the status label: the server's own words, or a plain sentence."""
    if isinstance(exc, AdminError):
        return tr(exc.message_ja, exc.message_en)
    if isinstance(exc, OSError):
        return tr(
            "ファイルを書き込めませんでした（{kind}）。", "The file could not be written ({kind})."
        ).format(kind=type(exc).__name__)
    return tr(
        "サーバーとの通信中に予期しないエラーが発生しました（{kind}）。",
        "Unexpected error while talking to the server ({kind}).",
    ).format(kind=type(exc).__name__)


def _table(name: str, headers: list[str]) -> QTableWidget:
    t = named(QTableWidget(0, len(headers)), name)
    t.setHorizontalHeaderLabels(headers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    t.verticalHeader().setVisible(False)
    return t


def _fill(
    table: QTableWidget, rows: list[list[str]], colours: list[QColor | None] | None = None
) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if colours and colours[r] is not None:
                item.setBackground(QBrush(colours[r]))
            table.setItem(r, c, item)


class _Work:
    """One lane's queue; ``stopped`` makes its thread skip what is left and end."""

    def __init__(self) -> None:
        self.items: queue.SimpleQueue[tuple[int, Callable[[], Any]] | None] = queue.SimpleQueue()
        self.stopped = threading.Event()


class RequestLane(QObject):
    """Runs the workspace's requests one at a time on a daemon thread, answers back on the
    GUI thread (``finished``). Unlike a QThreadPool, nothing ever waits for that thread: a
    request to a server that never answers is abandoned (``abandon``), its thread ends at the
    request's own timeout and its answer goes nowhere, so locking the app or destroying the
    widget is immediate. The next request starts a fresh thread."""

    finished = Signal(int, object, object)  # request id, result, error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._work: _Work | None = None

    def submit(self, fn: Callable[[], Any]) -> int:
        if self._work is None:
            self._work = _Work()
            threading.Thread(
                target=self._run, args=(self._work,), name="admin-request", daemon=True
            ).start()
        request_id = next(self._ids)
        self._work.items.put((request_id, fn))
        return request_id

    def abandon(self) -> None:
        """Drop what is queued and what runs: no answer of theirs arrives."""
        if self._work is not None:
            self._work.stopped.set()
            self._work.items.put(None)
            self._work = None

    def _run(self, work: _Work) -> None:  # the lane's thread
        while True:
            item = work.items.get()
            if item is None or work.stopped.is_set():
                return
            request_id, fn = item
            result: Any = None
            error: BaseException | None = None
            try:
                result = fn()
            except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
                error = exc
            if work.stopped.is_set():
                return  # abandoned meanwhile (signed out, locked): the answer is dropped
            try:
                self.finished.emit(request_id, result, error)
            except RuntimeError:  # the widget is gone
                return


class AdminWorkspace(QWidget):
    def __init__(self, server_url: str | None, login: str = "", parent: QWidget | None = None,
                 *, client: AdminClient | None = None,
                 remember_login: Callable[[str], object] | None = None) -> None:  # fmt: skip
        """``login``: the name to offer (the last one signed in with on this profile);
        ``remember_login(name)`` is called after each sign-in (never with the password)."""
        super().__init__(parent)
        self._remember_login = remember_login
        self.client = client or (AdminClient(server_url) if server_url else None)
        self.lane = RequestLane(self)
        self.lane.finished.connect(self._finished)
        self._pending: dict[
            int, tuple[Callable[[Any], object], Callable[[BaseException], object]]
        ] = {}
        self._signed_on = False
        self.users: list[dict[str, Any]] = []
        self.devices: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.next_before: int | None = None
        self.agencies: list[dict[str, Any]] = []
        self.districts: list[dict[str, Any]] = []
        self.masters: dict[str, list[dict[str, Any]]] = {}
        self.last_dialog: QDialog | None = None

        col = QVBoxLayout(self)
        col.addWidget(heading(tr("管理", "Administration")))
        bar = QHBoxLayout()
        self.login_edit = named(QLineEdit(login), tr("管理者のログイン名", "Admin login name"))
        self.password_edit = named(QLineEdit(), tr("パスワード", "Password"))
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.returnPressed.connect(self.sign_in)
        if login:
            self.setFocusProxy(self.password_edit)  # the name is known: the password is next
        self.sign_in_button = named(
            QPushButton(tr("サインイン", "Sign in")), tr("サインイン", "Sign in")
        )
        self.sign_in_button.clicked.connect(self.sign_in)
        self.sign_out_button = named(
            QPushButton(tr("サインアウト", "Sign out")), tr("サインアウト", "Sign out")
        )
        self.sign_out_button.clicked.connect(self.end_session)
        for w in (QLabel(tr("ログイン名", "Login")), self.login_edit, QLabel(tr("パスワード", "Password")),
                  self.password_edit, self.sign_in_button, self.sign_out_button):  # fmt: skip
            bar.addWidget(w)
        bar.addStretch(1)
        col.addLayout(bar)
        self.status = named(QLabel(), tr("管理の状態", "Administration status"))
        self.status.setWordWrap(True)
        self._said_error = False
        self._clear_timer = QTimer(self, singleShot=True, interval=STATUS_SECONDS * 1000)
        self._clear_timer.timeout.connect(self._clear_status)
        col.addWidget(self.status)
        self.busy_label = named(
            QLabel(tr("サーバーと通信しています…", "Talking to the server…")),
            tr("通信中", "Request in progress"),
        )
        self.busy_label.setVisible(False)
        col.addWidget(self.busy_label)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._users_tab(), tr("利用者", "Users"))
        self.tabs.addTab(self._devices_tab(), tr("端末", "Devices"))
        self.tabs.addTab(self._audit_tab(), tr("監査ログ", "Audit log"))
        self.tabs.addTab(self._master_tab(), tr("マスタ", "Master data"))
        col.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(lambda _i: self._clear_status())
        if self.client is None:
            self._say(tr("この端末はサーバーに登録されていません。管理には登録とネットワーク接続が必要です。",
                         "This laptop is not enrolled with a server: administration needs it, online."))  # fmt: skip
        self._signed(False)

    # --- session ------------------------------------------------------------------------------

    def _say(self, text: str, error: bool = False) -> None:
        """The status line. A report of what was done ("保存しました") goes after a few seconds
        and when the person moves to another tab; an error stays until the next action."""
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")
        self._said_error = error
        if text and not error:
            self._clear_timer.start()
        else:
            self._clear_timer.stop()

    def _clear_status(self) -> None:
        self.status.setText("")
        self.status.setStyleSheet("")

    @property
    def busy(self) -> bool:
        """A request is on its way (tests wait on this; the buttons are off meanwhile)."""
        return bool(self._pending)

    def _signed(self, on: bool) -> None:
        self._signed_on = on
        self._update_enabled()

    def _update_enabled(self) -> None:
        on, busy, online = self._signed_on, self.busy, self.client is not None
        self.tabs.setEnabled(on)
        for b in self.tabs.findChildren(QPushButton):
            b.setEnabled(not busy and (b is not self.more_button or self.next_before is not None))
        self.sign_in_button.setEnabled(not on and online and not busy)
        self.sign_out_button.setEnabled(on)  # always: signing out drops what is on its way
        self.password_edit.setEnabled(not on and online and not busy)
        self.busy_label.setVisible(busy)

    def _request(self, fn: Callable[[], R], done: Callable[[R], object],
                 failed: Callable[[str], object] | None = None) -> None:  # fmt: skip
        """Run one request on the side lane; ``done(result)`` back on this thread. A refusal
        is shown in the status line, or given to ``failed(text)`` to show where the person is
        (never both); a 401 ends the signed-in state."""

        def ok(result: R) -> None:
            done(result)

        def bad(exc: BaseException) -> None:
            if not isinstance(exc, AdminError | OSError):
                log_exception("admin request failed", exc)
            text = message(exc)
            if failed is None:
                self._say(text, error=True)
            else:  # shown once, where the person is (the dialog), not also in the status line
                self._say("")
            if (isinstance(exc, AdminError) and exc.status == 401 and self.client is not None
                    and exc.code != "login_failed"):  # fmt: skip
                self._signed(False)
            if failed is not None:
                failed(text)

        self._pending[self.lane.submit(fn)] = (ok, bad)
        self._update_enabled()

    def _finished(self, request_id: int, result: Any, error: BaseException | None) -> None:
        callbacks = self._pending.pop(request_id, None)
        self._update_enabled()
        if callbacks is None:
            return  # dropped (signed out meanwhile)
        ok, bad = callbacks
        if error is not None:
            bad(error)
        else:
            ok(result)

    def _drop_pending(self) -> None:
        """Forget what is on its way, without waiting for it: its answers are not shown."""
        self.lane.abandon()
        self._pending.clear()
        self._update_enabled()

    def sign_in(self) -> bool:
        if self.client is None:
            return False
        login, password = self.login_edit.text().strip(), self.password_edit.text()
        self.password_edit.clear()  # never kept, not even in the field
        if not login or not password:
            self._say(
                tr(
                    "ログイン名とパスワードを入力してください。",
                    "Enter the login name and password.",
                ),
                True,
            )
            return False
        client = self.client

        def signed(session: AdminSession) -> None:
            self._signed(True)
            if self._remember_login is not None:
                self._remember_login(session.login)
            self._say(tr("{login} としてサインインしました（ロックするとサインアウトします）。",
                         "Signed in as {login} (locking signs out).").format(login=session.login))  # fmt: skip
            self.refresh_all()

        self._request(lambda: client.sign_in(login, password), signed)
        return True

    def end_session(self) -> None:
        """Sign out (the button, and the main window closing on lock or quit). Never waits
        for a request on its way (a server that stopped answering): that request is
        abandoned, the token forgotten at once, and the server asked to end the session
        with a short timeout, waited for at most ``SIGN_OUT_WAIT_S``."""
        self._drop_pending()
        if self.client is not None and self.client.signed_in:
            client, token = self.client, self.client.forget()
            ending = threading.Thread(
                target=client.end_session, args=(token, SIGN_OUT_TIMEOUT_S),
                name="admin-sign-out", daemon=True,
            )  # fmt: skip
            ending.start()
            ending.join(SIGN_OUT_WAIT_S)
        self._signed(False)
        for t in (self.users_table, self.devices_table, self.audit_table, self.master_table):
            t.setRowCount(0)
        self._say(tr("サインアウトしました。", "Signed out."))

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.end_session()
        super().closeEvent(event)

    def refresh_all(self) -> None:
        self.load_master()
        self.refresh_users()
        self.refresh_devices()
        self.refresh_audit()

    # --- users --------------------------------------------------------------------------------

    def _users_tab(self) -> QWidget:
        w = QWidget()
        col = QVBoxLayout(w)
        bar = QHBoxLayout()
        self.user_buttons: dict[str, QPushButton] = {}
        for key, ja, en, fn in (
            ("add", "追加", "Add", self.add_user_dialog),
            ("edit", "編集", "Edit", self.edit_user_dialog),
            ("password", "パスワード再設定", "Reset password", self.password_dialog),
            ("code", "端末登録コード", "Enrolment code", self.issue_code),
            ("disable", "無効化", "Disable", self.disable_user),
        ):
            b = named(QPushButton(tr(ja, en)), tr(ja, en))
            b.clicked.connect(fn)
            self.user_buttons[key] = b
            bar.addWidget(b)
        bar.addStretch(1)
        col.addLayout(bar)
        self.users_table = _table(tr("利用者一覧", "Users"), [
            tr("氏名", "Name"), tr("ログイン名", "Login"), tr("役割", "Role"), tr("所属機関", "Agency"),
            tr("担当地区", "Districts"), tr("状態", "State")])  # fmt: skip
        col.addWidget(self.users_table)
        return w

    def _name_of(self, rows: list[dict[str, Any]], ident: str | None) -> str:
        return next(
            (str(r.get("name") or r.get("code")) for r in rows if r.get("id") == ident), ident or ""
        )

    def refresh_users(self) -> None:
        assert self.client is not None
        self._request(self.client.users, self._show_users)

    def _show_users(self, users: list[dict[str, Any]]) -> None:
        self.users = users
        self._fill_filter_lists()
        _fill(self.users_table, [
            [u.get("name") or "", u["login"], vlabel(vocab.ROLE, u["role"]), self._name_of(self.agencies, u.get("agency_id")),
             "、".join(self._name_of(self.districts, d) for d in u.get("district_ids") or []),
             tr("無効", "Disabled") if u["disabled"] else tr("有効", "Active")]
            for u in users
        ], [REVOKED_COLOUR if u["disabled"] else None for u in users])  # fmt: skip

    def selected_user(self) -> dict[str, Any] | None:
        row = self.users_table.currentRow()
        return self.users[row] if 0 <= row < len(self.users) else None

    def select_user(self, login: str) -> None:
        for i, u in enumerate(self.users):
            if u["login"] == login:
                self.users_table.selectRow(i)
                self.users_table.setCurrentCell(i, 0)

    def add_user_dialog(self) -> None:
        dialog = UserDialog(self.agencies, self.districts, None, self)
        self.last_dialog = dialog
        dialog.accepted.connect(lambda: self.save_user(dialog))
        dialog.open()

    def edit_user_dialog(self) -> None:
        user = self.selected_user()
        if user is None:
            self._say(tr("利用者を選んでください。", "Choose a user."), True)
            return
        dialog = UserDialog(self.agencies, self.districts, user, self)
        self.last_dialog = dialog
        dialog.accepted.connect(lambda: self.save_user(dialog))
        dialog.open()

    def save_user(self, dialog: UserDialog) -> bool:
        """Send the form (True: on its way); a refusal reopens the dialog with the message."""
        assert self.client is not None
        client, values = self.client, dialog.values()
        send: Callable[[], dict[str, Any]]
        if dialog.user is None:
            send = lambda: client.add_user(**values)  # noqa: E731
        else:
            uid = int(dialog.user["id"])
            send = lambda: client.change_user(uid, **values)  # noqa: E731

        def saved(done: dict[str, Any]) -> None:
            self._say(
                tr("利用者 {login} を保存しました。", "User {login} saved.").format(
                    login=done["login"]
                )
            )
            self.refresh_users()

        def refused(text: str) -> None:
            dialog.show_error(text)
            dialog.open()  # stays open with the message, for a correction

        self._request(send, saved, refused)
        return True

    def password_dialog(self) -> None:
        user = self.selected_user()
        if user is None:
            self._say(tr("利用者を選んでください。", "Choose a user."), True)
            return
        dialog = PasswordDialog(user["login"], self)
        self.last_dialog = dialog
        dialog.accepted.connect(lambda: self.reset_password(user, dialog))
        dialog.open()

    def reset_password(self, user: dict[str, Any], dialog: PasswordDialog) -> bool:
        assert self.client is not None
        client, password = self.client, dialog.password.text()
        dialog.password.clear()

        def done(_out: dict[str, Any]) -> None:
            self._say(
                tr("{login} のパスワードを再設定しました。", "Password of {login} reset.").format(
                    login=user["login"]
                )
            )
            self.refresh_devices()

        def refused(text: str) -> None:
            dialog.show_error(text)
            dialog.open()

        self._request(lambda: client.change_user(int(user["id"]), password=password), done, refused)
        return True

    def issue_code(self) -> bool:
        """Ask for a code (True: on its way); the code dialog opens when it arrives."""
        user = self.selected_user()
        if user is None or self.client is None:
            self._say(tr("利用者を選んでください。", "Choose a user."), True)
            return False
        client = self.client

        def show(out: dict[str, Any]) -> None:
            dialog = CodeDialog(user["login"], out["code"], out["expires_at"], self)
            self.last_dialog = dialog
            dialog.open()

        self._request(lambda: client.enroll_code(int(user["id"])), show)
        return True

    def disable_user(self) -> None:
        user = self.selected_user()
        if user is None or self.client is None:
            self._say(tr("利用者を選んでください。", "Choose a user."), True)
            return
        client = self.client

        def done(_out: dict[str, Any]) -> None:
            self._say(tr("{login} を無効化し、その端末を失効させました。",
                         "{login} disabled and their devices revoked.").format(login=user["login"]))  # fmt: skip
            self.refresh_users()
            self.refresh_devices()

        self._request(lambda: client.disable_user(int(user["id"])), done)

    # --- devices ------------------------------------------------------------------------------

    def _devices_tab(self) -> QWidget:
        w = QWidget()
        col = QVBoxLayout(w)
        bar = QHBoxLayout()
        self.stale_days = named(
            QSpinBox(), tr("未同期とみなす日数", "Days without sync counted as stale")
        )
        self.stale_days.setRange(1, 365)
        self.stale_days.setValue(7)
        self.stale_days.setSuffix(tr(" 日", " days"))
        self.stale_days.valueChanged.connect(lambda _v: self.refresh_devices())
        refresh = named(QPushButton(tr("更新", "Refresh")), tr("端末一覧を更新", "Refresh devices"))
        refresh.clicked.connect(self.refresh_devices)
        self.revoke_button = named(
            QPushButton(tr("失効…", "Revoke…")), tr("端末を失効", "Revoke device")
        )
        self.revoke_button.clicked.connect(self.revoke_dialog)
        for x in (QLabel(tr("同期がない端末を強調:", "Highlight no sync for:")), self.stale_days,
                  refresh, self.revoke_button):  # fmt: skip
            bar.addWidget(x)
        bar.addStretch(1)
        self.device_summary = QLabel()
        bar.addWidget(self.device_summary)
        col.addLayout(bar)
        self.devices_table = _table(tr("端末一覧", "Devices"), [
            tr("端末名", "Device"), tr("利用者", "User"), tr("最終同期", "Last sync"),
            tr("アプリ", "App"), tr("スキーマ", "Schema"), tr("未送信", "Pending"),
            tr("却下", "Rejected"), tr("状態", "State")])  # fmt: skip
        col.addWidget(self.devices_table)
        return w

    def refresh_devices(self) -> None:
        assert self.client is not None
        client, days = self.client, self.stale_days.value()
        self._request(lambda: client.devices(days), lambda d: self._show_devices(d, days))

    def _show_devices(self, devices: list[dict[str, Any]], days: int) -> None:
        self.devices = devices
        self._fill_filter_lists()

        def state(d: dict[str, Any]) -> str:
            if d["revoked"]:
                reason = d.get("revoke_reason")
                return tr("失効", "Revoked") + (f"（{reason}）" if reason else "")
            if d["stale"]:
                return tr("{n}日以上同期なし", "No sync for {n}+ days").format(n=days)
            return tr("正常", "OK")

        def num(v: Any) -> str:
            return "" if v is None else str(v)

        _fill(self.devices_table, [
            [d["name"], d.get("login") or str(d["user_id"]),
             local_time(d.get("last_sync_at")) or tr("未同期", "never"), d.get("app_version") or "",
             num(d.get("schema_version")), num(d.get("pending_changes")),
             num(d.get("rejected_changes")), state(d)]
            for d in devices
        ], [REVOKED_COLOUR if d["revoked"] else STALE_COLOUR if d["stale"] else None
            for d in devices])  # fmt: skip
        stale = sum(1 for d in devices if d["stale"])
        self.device_summary.setText(
            tr("端末 {n} 台（未同期 {s} 台）", "{n} devices ({s} stale)").format(
                n=len(devices), s=stale
            )
        )

    def revoke_dialog(self) -> None:
        row = self.devices_table.currentRow()
        if not 0 <= row < len(self.devices):
            self._say(tr("端末を選んでください。", "Choose a device."), True)
            return
        reason, ok = QInputDialog.getText(self, tr("端末の失効", "Revoke device"),
                                          tr("理由（紛失、返却など）:", "Reason (lost, returned…):"))  # fmt: skip
        if ok:
            self.revoke(self.devices[row]["id"], reason)

    def revoke(self, device_id: str, reason: str) -> bool:
        if not reason.strip():
            self._say(
                tr("失効の理由を入力してください。", "Give a reason for the revocation."), True
            )
            return False
        assert self.client is not None
        client = self.client

        def done(_out: dict[str, Any]) -> None:
            self._say(tr("端末を失効させました。次の接続で端末内のデータは消去されます。",
                         "Device revoked: its data is wiped when it next connects."))  # fmt: skip
            self.refresh_devices()

        self._request(lambda: client.revoke_device(device_id, reason.strip()), done)
        return True

    # --- audit --------------------------------------------------------------------------------

    def _audit_tab(self) -> QWidget:
        w = QWidget()
        col = QVBoxLayout(w)
        bar = QHBoxLayout()
        self.audit_user = named(QComboBox(), tr("利用者で絞り込み", "Filter by user"))
        self.audit_device = named(QComboBox(), tr("端末で絞り込み", "Filter by device"))
        self.audit_case = named(QLineEdit(), tr("ケースID", "Case id"))
        self.audit_case.setPlaceholderText(tr("ケースID", "Case id"))
        self.audit_case.setMaximumWidth(300)
        for combo in (self.audit_user, self.audit_device):
            combo.setMinimumContentsLength(14)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
        self.audit_action = named(QComboBox(), tr("操作で絞り込み", "Filter by action"))
        self.audit_action.setEditable(True)
        for a in ("", "pull", "push", "enroll", "login", "admin.session_start", "admin.user_add",
                  "admin.user_change", "admin.enroll_code", "admin.device_revoke",
                  "admin.audit_export", "admin.case_access", "admin.master_put"):  # fmt: skip
            self.audit_action.addItem(a or tr("（すべての操作）", "(all actions)"), a or None)
        self.audit_from = named(QDateEdit(), tr("開始日", "From"))
        self.audit_to = named(QDateEdit(), tr("終了日", "To"))
        for d, value in (
            (self.audit_from, QDate.currentDate().addMonths(-1)),
            (self.audit_to, QDate.currentDate()),
        ):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setDate(value)
        search = named(QPushButton(tr("検索", "Search")), tr("監査ログを検索", "Search audit log"))
        search.clicked.connect(lambda: self.refresh_audit())  # not clicked(bool)
        self.more_button = named(
            QPushButton(tr("次の200件", "Next 200")), tr("次のページ", "Next page")
        )
        self.more_button.clicked.connect(lambda: self.refresh_audit(more=True))
        export = named(
            QPushButton(tr("CSV出力…", "Export CSV…")), tr("監査ログをCSV出力", "Export audit CSV")
        )
        export.clicked.connect(self.export_dialog)
        access = named(QPushButton(tr("ケースのアクセス履歴", "Case access history")),
                       tr("ケースのアクセス履歴", "Case access history"))  # fmt: skip
        access.clicked.connect(self.show_case_access)
        for x in (self.audit_user, self.audit_device, self.audit_action, self.audit_case,
                  self.audit_from, QLabel("〜"), self.audit_to, search):  # fmt: skip
            bar.addWidget(x)
        col.addLayout(bar)
        bar2 = QHBoxLayout()
        for x in (self.more_button, export, access):
            bar2.addWidget(x)
        bar2.addStretch(1)
        self.audit_summary = QLabel()
        bar2.addWidget(self.audit_summary)
        col.addLayout(bar2)
        self.audit_table = _table(tr("監査ログ", "Audit log"), [
            tr("日時", "When"), tr("利用者", "User"), tr("端末", "Device"), tr("操作", "Action"),
            tr("内容", "Detail")])  # fmt: skip
        col.addWidget(self.audit_table)
        self.access_label = named(QLabel(), tr("アクセス履歴", "Access history"))
        self.access_label.setWordWrap(True)
        self.access_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        col.addWidget(self.access_label)
        return w

    def _fill_filter_lists(self) -> None:
        for combo, rows, label, key, empty in (
            (self.audit_user, self.users, "login", "id", tr("（すべての利用者）", "(all users)")),
            (
                self.audit_device,
                self.devices,
                "name",
                "id",
                tr("（すべての端末）", "(all devices)"),
            ),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(empty, None)
            for r in rows:
                text = (
                    str(r[label]) if label != "name" else f"{r['name']}（{r.get('login') or ''}）"
                )
                combo.addItem(text, r[key])
            i = combo.findData(current)
            combo.setCurrentIndex(max(0, i))
            combo.blockSignals(False)

    def audit_filter(self) -> dict[str, Any]:
        until = self.audit_to.date().addDays(1)
        action = self.audit_action.currentData()
        if action is None and self.audit_action.currentIndex() != 0:
            action = self.audit_action.currentText().strip() or None
        return {
            "user_id": self.audit_user.currentData(),
            "device_id": self.audit_device.currentData(),
            "case_id": self.audit_case.text().strip() or None,
            "action": action,
            "since": self.audit_from.date().toString("yyyy-MM-dd"),
            "until": until.toString("yyyy-MM-dd"),
        }

    def refresh_audit(self, more: bool = False) -> None:
        assert self.client is not None
        self._fill_filter_lists()
        client, flt = self.client, self.audit_filter()
        before = self.next_before if more else None
        if more and before is None:
            return
        self._request(
            lambda: client.audit(before_id=before, limit=200, **flt),
            lambda page: self._show_audit(page, more),
        )

    def _show_audit(self, page: dict[str, Any], more: bool) -> None:
        self.events = (self.events if more else []) + page["events"]
        self.next_before = page["next_before_id"]
        logins = {u["id"]: u["login"] for u in self.users}
        names = {d["id"]: d["name"] for d in self.devices}
        _fill(self.audit_table, [
            [local_time(e["at"]), logins.get(e["user_id"], str(e["user_id"] or "")),
             names.get(e["device_id"], e["device_id"] or ""), e["action"],
             ", ".join(f"{k}={v}" for k, v in (e.get("detail") or {}).items())[:200]]
            for e in self.events
        ])  # fmt: skip
        self._update_enabled()  # the next-page button follows next_before
        self.audit_summary.setText(tr("{n} 件表示", "{n} shown").format(n=len(self.events)))

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("監査ログのCSV出力", "Export audit log"),
                                              "audit.csv", "CSV (*.csv)")  # fmt: skip
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: Path) -> bool:
        """Fetch and write the filtered CSV (True: on its way), off the GUI thread."""
        assert self.client is not None
        client, flt = self.client, self.audit_filter()

        def fetch() -> int:
            data = client.audit_csv(**flt)
            path.write_bytes(data)
            return max(0, data.count(b"\n") - 1)

        def done(rows: int) -> None:
            self._say(tr("{n} 件を書き出しました（この出力も監査ログに残ります）。",
                         "{n} rows exported (the export is audited too).").format(n=rows))  # fmt: skip

        self._request(fetch, done)
        return True

    def show_case_access(self) -> None:
        case_id = self.audit_case.text().strip()
        if not case_id or self.client is None:
            self._say(tr("ケースIDを入力してください。", "Enter a case id."), True)
            return
        client = self.client
        self._request(lambda: client.case_access(case_id), self._show_case_access)

    def _show_case_access(self, out: dict[str, Any]) -> None:
        lines = [tr("【端末での閲覧・印刷・出力】", "[Views, prints and exports on laptops]")]
        for e in out["laptop_events"][:20]:
            lines.append(
                f"  {local_time(e['at'])}  {e.get('login') or e.get('staff_id') or ''}  {e['action']}"
            )
        lines.append(tr("【このケースを受け取った端末】", "[Devices that received the case]"))
        for d in out["devices"]:
            held = tr("保持中", "holds it") if d["holds"] else tr("削除済み", "purged")
            lines.append(
                f"  {d['device_name']}（{d['login']}）  {local_time(d['first_received_at'])}〜  {held}"
            )
        if len(lines) == 2:
            lines.append(tr("  記録はありません。", "  No records."))
        self.access_label.setText("\n".join(lines))

    # --- master data --------------------------------------------------------------------------

    def _master_tab(self) -> QWidget:
        w = QWidget()
        col = QVBoxLayout(w)
        bar = QHBoxLayout()
        self.master_kind = named(QComboBox(), tr("マスタの種類", "Master table"))
        for table, ja, en in MASTER_TABLES:
            self.master_kind.addItem(tr(ja, en), table)
        self.master_kind.currentIndexChanged.connect(lambda _i: self.show_master())
        self.master_add_button = named(
            QPushButton(tr("追加…", "Add…")), tr("マスタに追加", "Add master row")
        )
        self.master_add_button.clicked.connect(lambda: self.master_dialog(None))
        edit = named(QPushButton(tr("編集…", "Edit…")), tr("マスタを編集", "Edit master row"))
        edit.clicked.connect(self.edit_master_dialog)
        note = QLabel(
            tr(
                "変更は次の同期ですべての端末に配られます。行は削除せず「使用する」を外します。",
                "Changes reach every laptop at its next sync. Rows are never deleted: untick "
                "“In use”.",
            )
        )
        note.setWordWrap(True)
        for x in (self.master_kind, self.master_add_button, edit):
            bar.addWidget(x)
        bar.addWidget(note, 1)
        col.addLayout(bar)
        self.master_table = _table(tr("マスタ一覧", "Master data"), [
            tr("コード", "Code"), tr("名称", "Name"), tr("詳細", "Details"), tr("状態", "State")])  # fmt: skip
        col.addWidget(self.master_table)
        return w

    def load_master(self) -> None:
        assert self.client is not None
        client = self.client

        def keep(table: str) -> Callable[[list[dict[str, Any]]], None]:
            def store(rows: list[dict[str, Any]]) -> None:
                if table == "agency":
                    self.agencies = rows
                else:
                    rows = sorted(
                        rows, key=lambda d: (d.get("sort_order") or 0, d.get("code") or "")
                    )
                    if table == "district":
                        self.districts = rows
                    else:
                        self.masters[table] = rows
                self.show_master()

            return store

        for table, _ja, _en in MASTER_TABLES:
            self._request(lambda t=table: client.master(t), keep(table))  # type: ignore[misc]

    def master_rows(self) -> list[dict[str, Any]]:
        table = self.master_kind.currentData()
        if table == "agency":
            return self.agencies
        if table == "district":
            return self.districts
        return self.masters.get(str(table), [])

    def show_master(self) -> None:
        table = self.master_kind.currentData()
        self.master_add_button.setVisible(table in ("school_zone", "issue_category"))
        district = {str(d["id"]): str(d.get("name") or "") for d in self.districts}

        def details(r: dict[str, Any]) -> str:
            if table == "agency":
                return str(r.get("addressee") or "")
            if table == "school_zone":
                return district.get(str(r.get("district_id")), "")
            if table == "issue_category":
                return str(r.get("name_en") or "")
            return str(r.get("kana") or "")

        def state(r: dict[str, Any]) -> str:
            if r.get("deleted") or r.get("active") is False:
                return tr("使用停止", "Not in use")
            return (
                tr("会議の主催者（既定）", "Default organiser")
                if r.get("default_organiser")
                else ""
            )

        rows = self.master_rows()
        _fill(self.master_table, [[str(r.get("code") or ""), str(r.get("name") or ""),
                                   details(r), state(r)] for r in rows],
              [REVOKED_COLOUR if state(r) == tr("使用停止", "Not in use") else None
               for r in rows])  # fmt: skip

    def edit_master_dialog(self) -> None:
        row = self.master_table.currentRow()
        rows = self.master_rows()
        if not 0 <= row < len(rows):
            self._say(tr("行を選んでください。", "Choose a row."), True)
            return
        self.master_dialog(rows[row])

    def master_dialog(self, row: dict[str, Any] | None) -> MasterDialog:
        table = str(self.master_kind.currentData())
        dialog = MasterDialog(table, row, self.districts, self)
        self.last_dialog = dialog
        dialog.accepted.connect(lambda: self.save_master(table, None, dialog.values(), dialog))
        dialog.open()
        return dialog

    def save_master(self, table: str, row_id: str | None, values: dict[str, Any],
                    dialog: MasterDialog | None = None) -> bool:  # fmt: skip
        """Send a master row (``row_id`` None: the id in ``values``, or a new row)."""
        assert self.client is not None
        client = self.client
        body = {**values, **({"id": row_id} if row_id else {})}

        def done(_out: dict[str, Any]) -> None:
            self._say(
                tr(
                    "マスタを保存しました。次の同期で各端末に配られます。",
                    "Saved; laptops get it at their next sync.",
                )
            )
            self.load_master()
            self.refresh_users()

        def refused(text: str) -> None:
            if dialog is None:
                self._say(text, error=True)
                return
            dialog.show_error(text)
            dialog.open()  # stays open with the message, for a correction

        self._request(lambda: client.put_master(table, body), done, refused)
        return True
