"""The workspace appears in the main window for administrators only, and locking the app
ends the administrator's server session."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from app.services.profile import set_profile_user
from tests.admin.conftest import ADMIN_LOGIN, ADMIN_PASSWORD
from tests.serverproc import ServerProc
from tests.sync.helpers import PASSPHRASE, enroll_store, new_client
from tests.ui.conftest import unlock
from ui.views.admin import AdminWorkspace

pytestmark = pytest.mark.postgres


def _profile(path: Path, role: str, srv: ServerProc | None) -> Path:
    store = new_client(path)
    with store.session() as s:
        set_profile_user(s, name="管理 花子", role=role, login=ADMIN_LOGIN)
    if srv is not None:
        enroll_store(store, srv.url, srv.enroll(ADMIN_LOGIN, "管理PC"))
    store.lock()
    return path


def test_outreach_has_no_workspace(qtbot, make_controller, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    controller = make_controller(_profile(tmp_path / "o" / "yorisoi.db", "outreach", None))
    window = unlock(qtbot, controller, PASSPHRASE)
    assert "admin" not in window.order and window.nav.count() == len(window.order)


def test_admin_workspace_and_lock_ends_session(  # type: ignore[no-untyped-def]
    qtbot, make_controller, tmp_path: Path, admin_server: ServerProc
) -> None:
    controller = make_controller(_profile(tmp_path / "a" / "yorisoi.db", "admin", admin_server))
    window = unlock(qtbot, controller, PASSPHRASE)
    assert window.order[-1] == "admin" and window.nav.count() == len(window.order)
    window.show_page("admin")
    page = window.page("admin")
    assert isinstance(page, AdminWorkspace) and page.client is not None
    page.login_edit.setText(ADMIN_LOGIN)
    page.password_edit.setText(ADMIN_PASSWORD)
    assert page.sign_in()
    qtbot.waitUntil(lambda: not page.busy and page.client.signed_in, timeout=30_000)
    token = page.client._token
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{admin_server.api}/admin/users", headers=headers).status_code == 200
    controller.lock()
    assert httpx.get(f"{admin_server.api}/admin/users", headers=headers).status_code == 401
    # Unlocked again: the login name is offered (this profile's last), never the password.
    window = unlock(qtbot, controller, PASSPHRASE)
    window.show_page("admin")
    again = window.page("admin")
    assert isinstance(again, AdminWorkspace) and again is not page
    assert again.login_edit.text() == ADMIN_LOGIN and again.password_edit.text() == ""
    ini = (tmp_path / "a").parent.rglob("*.ini")
    assert not any(ADMIN_PASSWORD in f.read_text(errors="replace") for f in ini)


def test_lock_does_not_wait_for_a_hung_admin_request(  # type: ignore[no-untyped-def]
    qtbot, make_controller, tmp_path: Path, admin_server: ServerProc
) -> None:
    """Signed in, then the server stops answering (a socket that accepts and never replies)
    while a request is on its way: locking is immediate and the workspace's session is
    gone from memory."""
    import socket
    import time

    controller = make_controller(_profile(tmp_path / "h" / "yorisoi.db", "admin", admin_server))
    window = unlock(qtbot, controller, PASSPHRASE)
    window.show_page("admin")
    page = window.page("admin")
    page.login_edit.setText(ADMIN_LOGIN)
    page.password_edit.setText(ADMIN_PASSWORD)
    assert page.sign_in()
    qtbot.waitUntil(lambda: not page.busy and page.client.signed_in, timeout=30_000)
    client = page.client
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        client.server_url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        page.refresh_devices()
        assert page.busy
        started = time.monotonic()
        controller.lock()
        assert time.monotonic() - started < 2.5
        assert not client.signed_in and client._token is None
        qtbot.wait(50)
        assert time.monotonic() - started < 3.0
    finally:
        silent.close()
