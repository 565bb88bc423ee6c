"""The administration workspace (admin role only, online): users, devices and their sync
health, the audit viewer, and master data, through the server's admin API.

Signing in asks for the administrator's password each time; it is sent once and never
kept, and the session token lives in this widget's ``AdminClient`` only: locking the app
closes the main window, and with it this session (``end_session``). Requests are small and
made on the GUI thread with a wait cursor; every refusal shows the server's own message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
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

from app.admin.client import AdminClient, AdminError
from app.domain import vocab
from ui.i18n import tr, vlabel
from ui.views.admin_dialogs import CodeDialog, PasswordDialog, UserDialog, local_time
from ui.widgets import heading, named

STALE_COLOUR = QColor("#fde2c4")
REVOKED_COLOUR = QColor("#e5e5e5")


def message(exc: AdminError) -> str:
    return tr(exc.message_ja, exc.message_en)


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


class AdminWorkspace(QWidget):
    def __init__(self, server_url: str | None, login: str = "", parent: QWidget | None = None,
                 *, client: AdminClient | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.client = client or (AdminClient(server_url) if server_url else None)
        self.users: list[dict[str, Any]] = []
        self.devices: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.next_before: int | None = None
        self.agencies: list[dict[str, Any]] = []
        self.districts: list[dict[str, Any]] = []
        self.last_dialog: QDialog | None = None

        col = QVBoxLayout(self)
        col.addWidget(heading(tr("管理", "Administration")))
        bar = QHBoxLayout()
        self.login_edit = named(QLineEdit(login), tr("管理者のログイン名", "Admin login name"))
        self.password_edit = named(QLineEdit(), tr("パスワード", "Password"))
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.returnPressed.connect(self.sign_in)
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
        col.addWidget(self.status)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._users_tab(), tr("利用者", "Users"))
        self.tabs.addTab(self._devices_tab(), tr("端末", "Devices"))
        self.tabs.addTab(self._audit_tab(), tr("監査ログ", "Audit log"))
        self.tabs.addTab(self._master_tab(), tr("マスタ", "Master data"))
        col.addWidget(self.tabs, 1)
        if self.client is None:
            self._say(tr("この端末はサーバーに登録されていません。管理には登録とネットワーク接続が必要です。",
                         "This laptop is not enrolled with a server: administration needs it, online."))  # fmt: skip
        self._signed(False)

    # --- session ------------------------------------------------------------------------------

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    def _signed(self, on: bool) -> None:
        self.tabs.setEnabled(on)
        self.sign_in_button.setEnabled(not on and self.client is not None)
        self.sign_out_button.setEnabled(on)
        self.password_edit.setEnabled(not on and self.client is not None)

    def _call(self, fn: Callable[[], Any]) -> Any:
        """Run one request with a wait cursor; a refusal is shown, and None returned."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return fn()
        except AdminError as exc:
            self._say(message(exc), error=True)
            if exc.status == 401 and self.client is not None and exc.code != "login_failed":
                self._signed(False)
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()

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
        session = self._call(lambda: client.sign_in(login, password))
        if session is None:
            return False
        self._signed(True)
        self._say(tr("{login} としてサインインしました（ロックするとサインアウトします）。",
                     "Signed in as {login} (locking signs out).").format(login=session.login))  # fmt: skip
        self.refresh_all()
        return True

    def end_session(self) -> None:
        """Sign out (the button, and the main window closing on lock or quit)."""
        if self.client is not None and self.client.signed_in:
            self.client.sign_out()
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
            tr("ログイン名", "Login"), tr("役割", "Role"), tr("所属機関", "Agency"),
            tr("担当地区", "Districts"), tr("状態", "State")])  # fmt: skip
        col.addWidget(self.users_table)
        return w

    def _name_of(self, rows: list[dict[str, Any]], ident: str | None) -> str:
        return next(
            (str(r.get("name") or r.get("code")) for r in rows if r.get("id") == ident), ident or ""
        )

    def refresh_users(self) -> None:
        assert self.client is not None
        client = self.client
        users = self._call(client.users)
        if users is None:
            return
        self.users = users
        _fill(self.users_table, [
            [u["login"], vlabel(vocab.ROLE, u["role"]), self._name_of(self.agencies, u.get("agency_id")),
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
        assert self.client is not None
        client, values = self.client, dialog.values()
        if dialog.user is None:
            done = self._call(lambda: client.add_user(**values))
        else:
            uid = int(dialog.user["id"])
            done = self._call(lambda: client.change_user(uid, **values))
        if done is None:
            dialog.show_error(self.status.text())
            dialog.open()  # stays open with the message, for a correction
            return False
        self._say(
            tr("利用者 {login} を保存しました。", "User {login} saved.").format(login=done["login"])
        )
        self.refresh_users()
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
        done = self._call(lambda: client.change_user(int(user["id"]), password=password))
        if done is None:
            dialog.show_error(self.status.text())
            dialog.open()
            return False
        self._say(
            tr("{login} のパスワードを再設定しました。", "Password of {login} reset.").format(
                login=user["login"]
            )
        )
        self.refresh_devices()
        return True

    def issue_code(self) -> CodeDialog | None:
        user = self.selected_user()
        if user is None or self.client is None:
            self._say(tr("利用者を選んでください。", "Choose a user."), True)
            return None
        client = self.client
        out = self._call(lambda: client.enroll_code(int(user["id"])))
        if out is None:
            return None
        dialog = CodeDialog(user["login"], out["code"], out["expires_at"], self)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def disable_user(self) -> None:
        user = self.selected_user()
        if user is None or self.client is None:
            self._say(tr("利用者を選んでください。", "Choose a user."), True)
            return
        client = self.client
        if self._call(lambda: client.disable_user(int(user["id"]))) is not None:
            self._say(tr("{login} を無効化し、その端末を失効させました。",
                         "{login} disabled and their devices revoked.").format(login=user["login"]))  # fmt: skip
            self.refresh_users()
            self.refresh_devices()

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
        devices = self._call(lambda: client.devices(days))
        if devices is None:
            return
        self.devices = devices

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
        if self._call(lambda: client.revoke_device(device_id, reason.strip())) is None:
            return False
        self._say(tr("端末を失効させました。次の接続で端末内のデータは消去されます。",
                     "Device revoked: its data is wiped when it next connects."))  # fmt: skip
        self.refresh_devices()
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
        search.clicked.connect(self.refresh_audit)
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
        page = self._call(lambda: client.audit(before_id=before, limit=200, **flt))
        if page is None:
            return
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
        self.more_button.setEnabled(self.next_before is not None)
        self.audit_summary.setText(tr("{n} 件表示", "{n} shown").format(n=len(self.events)))

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("監査ログのCSV出力", "Export audit log"),
                                              "audit.csv", "CSV (*.csv)")  # fmt: skip
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: Path) -> bool:
        assert self.client is not None
        client, flt = self.client, self.audit_filter()
        data = self._call(lambda: client.audit_csv(**flt))
        if data is None:
            return False
        path.write_bytes(data)
        rows = max(0, data.count(b"\n") - 1)
        self._say(tr("{n} 件を書き出しました（この出力も監査ログに残ります）。",
                     "{n} rows exported (the export is audited too).").format(n=rows))  # fmt: skip
        return True

    def show_case_access(self) -> None:
        case_id = self.audit_case.text().strip()
        if not case_id or self.client is None:
            self._say(tr("ケースIDを入力してください。", "Enter a case id."), True)
            return
        client = self.client
        out = self._call(lambda: client.case_access(case_id))
        if out is None:
            return
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
        self.master_kind.addItem(tr("機関", "Agencies"), "agency")
        self.master_kind.addItem(tr("地区", "Districts"), "district")
        self.master_kind.currentIndexChanged.connect(lambda _i: self.show_master())
        edit = named(
            QPushButton(tr("名称・宛名を編集…", "Edit name/addressee…")),
            tr("マスタを編集", "Edit master row"),
        )
        edit.clicked.connect(self.edit_master_dialog)
        note = QLabel(
            tr(
                "変更は次の同期ですべての端末に配られます。",
                "Changes reach every laptop at its next sync.",
            )
        )
        for x in (self.master_kind, edit, note):
            bar.addWidget(x)
        bar.addStretch(1)
        col.addLayout(bar)
        self.master_table = _table(tr("マスタ一覧", "Master data"), [
            tr("コード", "Code"), tr("名称", "Name"), tr("誓約書等の宛名", "Addressee on pledges")])  # fmt: skip
        col.addWidget(self.master_table)
        return w

    def load_master(self) -> None:
        assert self.client is not None
        client = self.client
        agencies = self._call(lambda: client.master("agency"))
        districts = self._call(lambda: client.master("district"))
        if agencies is not None:
            self.agencies = agencies
        if districts is not None:
            self.districts = sorted(
                districts, key=lambda d: (d.get("sort_order") or 0, d.get("code") or "")
            )
        self.show_master()

    def master_rows(self) -> list[dict[str, Any]]:
        return self.agencies if self.master_kind.currentData() == "agency" else self.districts

    def show_master(self) -> None:
        rows = self.master_rows()
        _fill(self.master_table, [[str(r.get("code") or ""), str(r.get("name") or ""),
                                   str(r.get("addressee") or "")] for r in rows])  # fmt: skip

    def edit_master_dialog(self) -> None:
        row = self.master_table.currentRow()
        rows = self.master_rows()
        if not 0 <= row < len(rows):
            self._say(tr("行を選んでください。", "Choose a row."), True)
            return
        field = "addressee" if self.master_kind.currentData() == "agency" else "name"
        text, ok = QInputDialog.getText(self, tr("マスタの編集", "Edit master data"),
                                        tr("宛名:", "Addressee:") if field == "addressee" else tr("名称:", "Name:"),
                                        text=str(rows[row].get(field) or ""))  # fmt: skip
        if ok:
            self.save_master(
                str(self.master_kind.currentData()), rows[row]["id"], {field: text.strip() or None}
            )

    def save_master(self, table: str, row_id: str, values: dict[str, Any]) -> bool:
        assert self.client is not None
        client = self.client
        if self._call(lambda: client.put_master(table, {"id": row_id, **values})) is None:
            return False
        self._say(
            tr(
                "マスタを保存しました。次の同期で各端末に配られます。",
                "Saved; laptops get it at their next sync.",
            )
        )
        self.load_master()
        self.refresh_users()
        return True
