"""Enrollment, tokens, revocation, disabling, throttling, limits and logs."""

from __future__ import annotations

import httpx

from app.protocol.ids import new_id
from tests.server.conftest import Laptop, laptop, new_case
from tests.serverproc import ServerProc, client_headers


def test_enrollment_code_is_single_use(sqlite_server: ServerProc) -> None:
    sqlite_server.add_user("once-user", "outreach")
    code = sqlite_server.enroll_code("once-user")
    first = httpx.post(
        f"{sqlite_server.api}/auth/enroll", json={"code": code.lower(), "device_name": "a"}
    )
    assert first.status_code == 200 and first.json()["staff"]["role"] == "outreach"
    again = httpx.post(f"{sqlite_server.api}/auth/enroll", json={"code": code, "device_name": "b"})
    assert again.status_code == 401 and again.json()["error"] == "enroll_failed"


def test_unknown_and_missing_tokens_are_401(sqlite_server: ServerProc) -> None:
    for headers in ({}, client_headers("not-a-real-token"), {"Authorization": "Basic abc"}):
        r = httpx.get(f"{sqlite_server.api}/sync/status", headers=headers)
        assert r.status_code == 401 and r.json()["error"] == "token_invalid"


def test_refresh_replaces_the_token_with_a_grace_period(sqlite_server: ServerProc) -> None:
    """The old token keeps working for sync until the next refresh (or 30 minutes), so a
    refresh whose answer was lost does not stop the laptop at once; but only the current token
    mints a new one (a leaked old token is worth half an hour, not 30 days)."""
    dev = laptop(sqlite_server, "outreach")
    status = f"{sqlite_server.api}/sync/status"
    r = httpx.post(f"{sqlite_server.api}/auth/refresh", headers=dev.headers())
    assert r.status_code == 200
    old = dev.token
    dev.token = r.json()["token"]
    assert httpx.get(status, headers=dev.headers()).status_code == 200
    # The refresh answer "was lost": the laptop still syncs with the old token...
    assert httpx.get(status, headers=client_headers(old)).status_code == 200
    # ...but cannot refresh with it.
    again = httpx.post(f"{sqlite_server.api}/auth/refresh", headers=client_headers(old))
    assert again.status_code == 401 and again.json()["error"] == "token_superseded"
    newer = httpx.post(f"{sqlite_server.api}/auth/refresh", headers=dev.headers())
    assert newer.status_code == 200
    newest = newer.json()["token"]
    assert httpx.get(status, headers=client_headers(newest)).status_code == 200
    stale = httpx.get(status, headers=client_headers(old))
    assert stale.status_code == 401 and stale.json()["error"] == "token_invalid"


def test_expired_token_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.serverproc import running_server

    with running_server(tmp_path, extra_env={"YORISOI_TOKEN_TTL": "1"}) as srv:
        dev = laptop(srv, "outreach")
        import time

        time.sleep(1.5)
        r = httpx.get(f"{srv.api}/sync/status", headers=dev.headers())
        assert r.status_code == 401 and r.json()["error"] == "token_expired"


def test_revocation_and_disabling_take_effect_on_the_next_request(
    sqlite_server: ServerProc,
) -> None:
    dev = laptop(sqlite_server, "outreach")
    other = laptop(sqlite_server, "coordinator")
    assert dev.push([new_case()])[0]["status"] == "applied"
    sqlite_server.cli("device", "revoke", dev.device_id)
    r = httpx.get(f"{sqlite_server.api}/sync/pull", headers=dev.headers())
    assert r.status_code == 403 and r.json()["error"] == "device_revoked"
    users = httpx.get(
        f"{sqlite_server.api}/admin/users", headers=sqlite_server.admin_headers()
    ).json()
    uid = next(u["id"] for u in users if u["staff_id"] == other.staff_id)
    d = httpx.post(
        f"{sqlite_server.api}/admin/users/{uid}/disable", headers=sqlite_server.admin_headers()
    )
    assert d.status_code == 200 and d.json()["disabled"] is True
    r = httpx.post(f"{sqlite_server.api}/sync/push", headers=other.headers(), json={"changes": []})
    # Disabling revokes the user's devices: the laptop wipes, as for a revoked device.
    assert r.status_code == 403 and r.json()["error"] == "device_revoked"
    listed = httpx.get(f"{sqlite_server.api}/admin/devices", headers=sqlite_server.admin_headers())
    assert next(x for x in listed.json() if x["id"] == dev.device_id)["revoked"] is True


def test_failed_logins_are_throttled(tmp_server: ServerProc) -> None:
    tmp_server.add_user("pw-user", "coordinator", password="correct horse 12")
    url = f"{tmp_server.api}/auth/login"
    for _ in range(5):
        assert httpx.post(url, json={"login": "pw-user", "password": "wrong"}).status_code == 401
    r = httpx.post(url, json={"login": "pw-user", "password": "correct horse 12"})
    assert r.status_code == 429 and r.json()["error"] == "throttled" and r.headers["Retry-After"]
    for _ in range(5):
        httpx.post(
            f"{tmp_server.api}/auth/enroll", json={"code": "AAAA-BBBB-CCCC", "device_name": "x"}
        )
    code = tmp_server.enroll_code("pw-user")
    blocked = httpx.post(f"{tmp_server.api}/auth/enroll", json={"code": code, "device_name": "x"})
    assert blocked.status_code == 429


def test_password_login_enrolls_a_device(sqlite_server: ServerProc) -> None:
    sqlite_server.add_user("pw-ok", "admin", password="long enough pw")
    r = httpx.post(
        f"{sqlite_server.api}/auth/login", json={"login": "pw-ok", "password": "long enough pw"}
    )
    assert r.status_code == 200 and r.json()["staff"]["role"] == "admin"


def test_size_limits_and_malformed_bodies_get_clear_4xx(sqlite_server: ServerProc) -> None:
    dev = laptop(sqlite_server, "admin")
    url = f"{sqlite_server.api}/sync/push"
    big = httpx.post(url, headers=dev.headers(), content=b"x" * (8 * 1024 * 1024 + 10))
    assert big.status_code == 413 and big.json()["error"] == "too_large"
    for body in (b"{", b"[]", b'{"changes": 5}', b'{"changes": [{"op": "nope"}]}'):
        r = httpx.post(
            url, headers={**dev.headers(), "content-type": "application/json"}, content=body
        )
        assert r.status_code == 422 and r.json()["error"] == "invalid", body
    many = [new_case() for _ in range(2001)]
    assert httpx.post(url, headers=dev.headers(), json={"changes": many}).status_code == 422


def test_logs_hold_no_personal_data_and_reads_are_audited(sqlite_server: ServerProc) -> None:
    dev = laptop(sqlite_server, "admin")
    marker = f"秘密太郎{new_id()[-6:]}"
    dev.push([new_case(title=marker, notes=marker)])
    dev.sync()
    assert marker not in sqlite_server.log_text()
    audit = httpx.get(
        f"{sqlite_server.api}/admin/audit",
        headers=sqlite_server.admin_headers(),
        params={"limit": 1000},
    )
    mine = [a for a in audit.json() if a["device_id"] == dev.device_id]
    assert {"push", "pull"} <= {a["action"] for a in mine}
    assert marker not in audit.text


def test_admin_api_is_for_administrators_only(sqlite_server: ServerProc) -> None:
    dev: Laptop = laptop(sqlite_server, "coordinator")
    r = httpx.get(f"{sqlite_server.api}/admin/users", headers=dev.headers())
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    h = sqlite_server.admin_headers()
    made = httpx.put(
        f"{sqlite_server.api}/admin/master/district",
        headers=h,
        json={"code": f"d{new_id()[-6:]}", "name": "武庫"},
    )
    assert made.status_code == 200
    dev.sync()
    assert dev.sees("district", made.json()["id"])
    bad = httpx.put(f"{sqlite_server.api}/admin/master/district", headers=h, json={"nope": 1})
    assert bad.status_code == 422
