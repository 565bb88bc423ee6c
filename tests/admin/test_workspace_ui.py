"""The administration workspace (real Qt widgets offscreen) against a real server process
on PostgreSQL: sign-in, users, the enrolment code with its QR code, device health and
revocation, the audit filter and export, and master data. Screenshots at 1366x768.

Requests run in the background, so each step waits (``settle``) until nothing is on its way;
one test checks that a server that never answers does not block the window."""

from __future__ import annotations

import csv
import io
import socket
import time
from pathlib import Path

import httpx
import pytest

from app import __version__
from app.admin.client import AdminClient
from tests.admin.conftest import ADMIN_LOGIN, ADMIN_PASSWORD
from tests.serverproc import ServerProc, client_headers
from ui.views.admin import STALE_COLOUR, AdminWorkspace
from ui.views.admin_dialogs import CodeDialog

pytestmark = pytest.mark.postgres
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def settle(qtbot, w: AdminWorkspace) -> None:  # type: ignore[no-untyped-def]
    """Wait until every request asked for has come back (and its follow-ups too)."""
    qtbot.waitUntil(lambda: not w.busy, timeout=30_000)


def _signed_in(qtbot, srv: ServerProc) -> AdminWorkspace:  # type: ignore[no-untyped-def]
    w = AdminWorkspace(srv.url, ADMIN_LOGIN)
    qtbot.addWidget(w)
    w.resize(1366 - 200, 768 - 60)  # the main window's page area on a 1366x768 laptop
    w.show()
    w.password_edit.setText(ADMIN_PASSWORD)
    assert w.sign_in(), w.status.text()
    assert w.password_edit.text() == ""  # the password is not kept in the field
    settle(qtbot, w)
    assert w.tabs.isEnabled(), w.status.text()
    return w


def _shot(w: AdminWorkspace, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    w.resize(1366, 768)
    w.grab().save(str(SHOTS / f"admin_{name}.png"))


def _ensure_master(srv: ServerProc) -> None:
    c = AdminClient(srv.url)
    c.sign_in(ADMIN_LOGIN, ADMIN_PASSWORD)
    if not c.master("district"):
        for i, name in enumerate(["中央", "北部", "南部"], start=1):
            c.put_master("district", {"code": f"d{i}", "name": name, "sort_order": i})
    if not c.master("agency"):
        c.put_master("agency", {"code": "shakyo", "name": "社会福祉協議会", "kind": "internal"})
        c.put_master("agency", {"code": "city", "name": "市福祉課", "kind": "internal"})
    c.sign_out()


def test_wrong_password_shows_server_message(qtbot, admin_server: ServerProc) -> None:  # type: ignore[no-untyped-def]
    w = AdminWorkspace(admin_server.url, ADMIN_LOGIN)
    qtbot.addWidget(w)
    w.password_edit.setText("definitely the wrong one")
    w.sign_in()
    settle(qtbot, w)
    assert not w.tabs.isEnabled() and w.status.text()
    assert w.sign_in_button.isEnabled()  # back on for another try


def test_server_not_answering_does_not_block_the_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A server that takes the connection but never answers: sign-in returns at once, the
    event loop keeps running (a timer ticks), the buttons are off meanwhile, and then the
    one-line Japanese error is shown in place; a refused connection likewise."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # connections complete in the backlog; nothing ever reads or answers
    port = silent.getsockname()[1]
    try:
        client = AdminClient(f"http://127.0.0.1:{port}", client=httpx.Client(timeout=2.0))
        w = AdminWorkspace(None, ADMIN_LOGIN, client=client)
        qtbot.addWidget(w)
        w.show()
        ticks: list[float] = []
        from PySide6.QtCore import QTimer

        timer = QTimer(w)
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start(50)
        w.password_edit.setText(ADMIN_PASSWORD)
        started = time.monotonic()
        assert w.sign_in()
        assert time.monotonic() - started < 0.5  # the request did not run here
        assert w.busy and w.busy_label.isVisibleTo(w)
        assert not w.sign_in_button.isEnabled() and not w.password_edit.isEnabled()
        settle(qtbot, w)
        assert time.monotonic() - started >= 1.5  # it really waited for the read timeout
        assert len(ticks) >= 10  # ...while the event loop went on
        text = w.status.text()
        assert "接続できません" in text and "\n" not in text and "Traceback" not in text
        assert not w.tabs.isEnabled() and w.sign_in_button.isEnabled()
        assert not w.busy_label.isVisibleTo(w)
    finally:
        silent.close()
    # Refused (nothing listens on the port now): the same message, no traceback.
    w.password_edit.setText(ADMIN_PASSWORD)
    assert w.sign_in()
    settle(qtbot, w)
    assert "接続できません" in w.status.text() and not w.tabs.isEnabled()


def test_users_add_edit_password_code(qtbot, admin_server: ServerProc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _ensure_master(admin_server)
    w = _signed_in(qtbot, admin_server)
    assert w.agencies and w.districts
    # Add, with agency and districts chosen from the lists.
    w.add_user_dialog()
    d = w.last_dialog
    d.login.setText("tanaka")
    d.name.setText("田中 一郎")
    d.role.setCurrentIndex(d.role.findData("outreach"))
    d.agency.setCurrentIndex(d.agency.findData(w.agencies[0]["id"]))
    d.set_districts([w.districts[0]["id"]])
    d.accept()
    settle(qtbot, w)
    user = next(u for u in w.users if u["login"] == "tanaka")
    assert user["agency_id"] == w.agencies[0]["id"] and user["district_ids"] == [
        w.districts[0]["id"]
    ]
    row = [w.users_table.item(w.users.index(user), c).text() for c in range(6)]
    assert row[:2] == ["田中 一郎", "tanaka"]  # 氏名 first, then the login
    assert w.agencies[0]["name"] in row and w.districts[0]["name"] in row[4]
    # Edit the role and districts.
    w.select_user("tanaka")
    w.edit_user_dialog()
    d = w.last_dialog
    d.role.setCurrentIndex(d.role.findData("coordinator"))
    d.set_districts([x["id"] for x in w.districts[:2]])
    d.accept()
    settle(qtbot, w)
    user = next(u for u in w.users if u["login"] == "tanaka")
    assert user["role"] == "coordinator" and len(user["district_ids"]) == 2
    # A weak password: the server's message shows, the dialog stays open.
    w.select_user("tanaka")
    w.password_dialog()
    p = w.last_dialog
    p.password.setText("tanaka123")
    p.accept()
    settle(qtbot, w)
    assert p.isVisible() and "パスワード" in p.error.text()
    assert not w.status.text()  # shown once: in the dialog, not also in the status line
    p.password.setText("a much longer passphrase for tanaka 2026")
    p.accept()
    settle(qtbot, w)
    assert "再設定" in w.status.text()
    # Enrolment code: text, QR code and expiry; the code enrols a laptop.
    w.select_user("tanaka")
    assert w.issue_code()
    settle(qtbot, w)
    code_dialog = w.last_dialog
    assert isinstance(code_dialog, CodeDialog)
    code = code_dialog.code.text()
    assert not code_dialog.qr.pixmap().isNull() and code_dialog.qr.pixmap().width() > 50
    assert "有効期限" in code_dialog.expiry.text()
    w.resize(1366, 768)
    code_dialog.grab().save(str(SHOTS / "admin_code.png")) if SHOTS.exists() else None
    r = httpx.post(f"{admin_server.api}/auth/enroll", json={"code": code, "device_name": "田中PC"})
    assert r.status_code == 200
    code_dialog.close()
    w.refresh_devices()
    settle(qtbot, w)
    assert any(x["name"] == "田中PC" and x["login"] == "tanaka" for x in w.devices)
    w.tabs.setCurrentIndex(0)
    _shot(w, "users")


def test_device_health_revoke_and_audit(
    qtbot, admin_server: ServerProc, pg_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    admin_server.add_user("suzuki", "outreach")
    dev = admin_server.enroll("suzuki", "鈴木PC")
    old = admin_server.enroll("suzuki", "鈴木の古いPC")
    headers = {**client_headers(dev["token"]), "X-Yorisoi-Pending": "3",
               "X-Yorisoi-Rejected": "1", "User-Agent": f"yorisoi/{__version__}"}  # fmt: skip
    assert httpx.get(f"{admin_server.api}/sync/pull?cursor=0", headers=headers).status_code == 200
    with psycopg.connect(pg_url.replace("+psycopg", "")) as conn:
        conn.execute("UPDATE device SET last_sync_at = now() - interval '9 days', "
                     "enrolled_at = now() - interval '60 days' WHERE id = %s", (old["device_id"],))  # fmt: skip
    w = _signed_in(qtbot, admin_server)
    w.tabs.setCurrentIndex(1)
    i = next(k for k, x in enumerate(w.devices) if x["id"] == dev["device_id"])
    cells = [w.devices_table.item(i, c).text() for c in range(8)]
    assert cells[1] == "suzuki" and cells[5] == "3" and cells[6] == "1" and cells[7] == "正常"
    assert cells[3] == __version__  # from the request's User-Agent
    j = next(k for k, x in enumerate(w.devices) if x["id"] == old["device_id"])
    assert w.devices_table.item(j, 0).background().color() == STALE_COLOUR
    assert "同期なし" in w.devices_table.item(j, 7).text()
    _shot(w, "devices")
    # A longer threshold: no longer stale.
    w.stale_days.setValue(30)
    settle(qtbot, w)
    j = next(k for k, x in enumerate(w.devices) if x["id"] == old["device_id"])
    assert not w.devices[j]["stale"]
    # Revoke: a reason is required; then the laptop is refused.
    assert not w.revoke(old["device_id"], "  ")
    assert w.revoke(old["device_id"], "紛失のため")
    settle(qtbot, w)
    j = next(k for k, x in enumerate(w.devices) if x["id"] == old["device_id"])
    assert "紛失のため" in w.devices_table.item(j, 7).text()
    r = httpx.get(f"{admin_server.api}/sync/pull?cursor=0", headers=client_headers(old["token"]))
    assert r.status_code == 403
    # Audit: filter by action and user; the revocation is there, the pulls are not.
    w.tabs.setCurrentIndex(2)
    w.refresh_audit()
    settle(qtbot, w)
    me = w.client.session  # type: ignore[union-attr]
    w.audit_user.setCurrentIndex(w.audit_user.findData(me.user_id))
    w.audit_action.setCurrentIndex(w.audit_action.findData("admin.device_revoke"))
    w.refresh_audit()
    settle(qtbot, w)
    assert w.events and all(e["action"] == "admin.device_revoke" for e in w.events)
    assert any(e["detail"].get("target_device") == old["device_id"] for e in w.events)
    assert w.audit_table.rowCount() == len(w.events)
    # By device: the pulls of the first laptop only.
    w.audit_user.setCurrentIndex(0)
    w.audit_action.setCurrentIndex(0)
    w.audit_device.setCurrentIndex(w.audit_device.findData(dev["device_id"]))
    w.refresh_audit()
    settle(qtbot, w)
    assert w.events and {e["device_id"] for e in w.events} == {dev["device_id"]}
    _shot(w, "audit")
    # Export of the filtered view, audited.
    out = tmp_path / "audit.csv"
    assert w.export_csv(out)
    settle(qtbot, w)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows and {r["device_id"] for r in rows} == {dev["device_id"]}
    w.audit_device.setCurrentIndex(0)
    w.audit_action.setCurrentIndex(w.audit_action.findData("admin.audit_export"))
    w.refresh_audit()
    settle(qtbot, w)
    assert w.events[0]["detail"]["rows"] == len(rows)
    # A case's access history.
    w.audit_case.setText("0190f5d2-7a3c-7b21-9c4e-2f1a3b4c5d6e")
    w.show_case_access()
    settle(qtbot, w)
    assert "記録はありません" in w.access_label.text()


def test_master_addressee_and_sign_out(qtbot, admin_server: ServerProc) -> None:  # type: ignore[no-untyped-def]
    _ensure_master(admin_server)
    w = _signed_in(qtbot, admin_server)
    agency = w.agencies[0]
    assert w.save_master("agency", agency["id"], {"addressee": "重層的支援推進担当課長"})
    settle(qtbot, w)
    assert (
        next(a for a in w.agencies if a["id"] == agency["id"])["addressee"]
        == "重層的支援推進担当課長"
    )
    w.tabs.setCurrentIndex(3)
    texts = [w.master_table.item(r, 2).text() for r in range(w.master_table.rowCount())]
    assert "重層的支援推進担当課長" in texts
    _shot(w, "master")
    # Signing out (as on lock) ends the session on the server.
    token = w.client._token  # type: ignore[union-attr]
    w.end_session()
    assert not w.tabs.isEnabled()
    r = httpx.get(f"{admin_server.api}/admin/users", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


def test_signing_out_never_waits_for_a_hung_request(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A request is on its way to a server that took the connection and never answers (read
    timeout 30 s): signing out (what locking does) returns within about a second, forgets the
    token, drops the answer, and destroying the widget does not wait for that thread."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    try:
        client = AdminClient(f"http://127.0.0.1:{port}", client=httpx.Client(timeout=30.0))
        client.use_token("adm_not-a-real-session")
        w = AdminWorkspace(None, ADMIN_LOGIN, client=client)
        qtbot.addWidget(w)
        w._signed(True)
        w.refresh_users()
        assert w.busy
        started = time.monotonic()
        w.end_session()
        assert time.monotonic() - started < 1.8
        assert not w.busy and not client.signed_in and not w.tabs.isEnabled()
        assert w.sign_in_button.isEnabled()  # a new sign-in is not queued behind the hung one
        started = time.monotonic()
        w.close()
        w.deleteLater()
        qtbot.wait(50)
        assert time.monotonic() - started < 1.0
    finally:
        silent.close()


def test_a_report_of_what_was_done_goes_an_error_stays(qtbot, admin_server: ServerProc) -> None:  # type: ignore[no-untyped-def]
    """「サインインしました」 does not stay on screen while the person works elsewhere: it goes
    when they change tab (and after a few seconds); an error stays until the next action."""
    w = _signed_in(qtbot, admin_server)
    assert "サインイン" in w.status.text() and w._clear_timer.isActive()
    w.tabs.setCurrentIndex(1)
    assert w.status.text() == ""
    w.users_table.clearSelection()
    w.users_table.setCurrentCell(-1, -1)
    w.edit_user_dialog()
    assert "選んで" in w.status.text() and not w._clear_timer.isActive()
