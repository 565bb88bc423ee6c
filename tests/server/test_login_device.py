"""Password logins (``/auth/login``) from a laptop that is already enrolled reuse its device:
two logins leave one device in the device list (issue 16), through the API and through
``yorisoi enroll --login`` on a real encrypted laptop database."""

from __future__ import annotations

from pathlib import Path

import httpx

from app.sync import state
from app.sync.enroll import enroll
from tests.serverproc import ServerProc, client_headers
from tests.sync.helpers import new_client

PASSWORD = "long enough pw 16"


def _devices(srv: ServerProc, login: str) -> list[dict]:
    r = httpx.get(f"{srv.api}/admin/devices", headers=srv.admin_headers())
    assert r.status_code == 200
    return [d for d in r.json() if d.get("login") == login and not d.get("revoked")]


def test_two_password_logins_leave_one_device(sqlite_server: ServerProc) -> None:
    sqlite_server.add_user("pw-twice", "admin", password=PASSWORD)
    url = f"{sqlite_server.api}/auth/login"
    first = httpx.post(url, json={"login": "pw-twice", "password": PASSWORD})
    assert first.status_code == 200
    device = first.json()["device_id"]
    again = httpx.post(url, json={"login": "pw-twice", "password": PASSWORD, "device_id": device})
    assert again.status_code == 200 and again.json()["device_id"] == device
    assert again.json()["token"] != first.json()["token"]
    assert [d["id"] for d in _devices(sqlite_server, "pw-twice")] == [device]
    status = httpx.get(f"{sqlite_server.api}/sync/status",
                       headers=client_headers(again.json()["token"]))  # fmt: skip
    assert status.status_code == 200
    # Another user's device id is not taken over: that login gets a device of its own.
    sqlite_server.add_user("pw-other", "coordinator", password=PASSWORD)
    other = httpx.post(url, json={"login": "pw-other", "password": PASSWORD, "device_id": device})
    assert other.status_code == 200 and other.json()["device_id"] != device
    assert [d["id"] for d in _devices(sqlite_server, "pw-twice")] == [device]
    # A wrong password with a device id renews nothing.
    bad = httpx.post(url, json={"login": "pw-twice", "password": "wrong", "device_id": device})
    assert bad.status_code == 401


def test_laptop_password_login_twice_keeps_its_device(
    sqlite_server: ServerProc, tmp_path: Path
) -> None:
    sqlite_server.add_user("pw-laptop", "admin", password=PASSWORD)
    store = new_client(tmp_path / "laptop.db")
    try:
        one = enroll(store, sqlite_server.url, None, login="pw-laptop", password=PASSWORD)
        two = enroll(store, sqlite_server.url, None, login="pw-laptop", password=PASSWORD)
        assert one.device_id == two.device_id
        enrolled = state.enrollment(store)
        assert enrolled is not None and enrolled.device_id == one.device_id
        assert [d["id"] for d in _devices(sqlite_server, "pw-laptop")] == [one.device_id]
    finally:
        store.lock()
