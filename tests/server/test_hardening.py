"""Hostile and careless input against a real server process (SQLite and PostgreSQL): never a
5xx, never a partial write; who is believed about the client's address; passwords; what
ends device tokens; district and agency codes; the life of enrolment codes."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, select, update

from app.domain.seed import agency_id, district_id
from app.protocol.ids import new_id
from app.server.core.security import digest, normalise_code
from app.server.models import EnrollCode
from tests.server.conftest import insert, laptop, new_case
from tests.serverproc import ServerProc, client_headers, running_server

STRONG = "kasumi-lantern-orbit-ferry-57"  # fictional; zxcvbn 4


def _no_server_errors(srv: ServerProc) -> None:
    log = srv.log_text()
    assert '"server.error"' not in log and "Traceback" not in log
    statuses = [
        json.loads(line)["status"] for line in log.splitlines() if '"event": "http"' in line
    ]
    assert statuses and max(statuses) < 500


def _admin(srv: ServerProc) -> httpx.Client:
    return httpx.Client(base_url=srv.api, headers=srv.admin_headers(), timeout=30)


# --- bad input: 4xx with a message, nothing written -------------------------------------------


def test_nul_characters_are_refused_not_crashed_on(server: ServerProc) -> None:
    api = server.api
    for body in (
        {"login": "a\x00b", "password": "x"},
        {"login": "ab", "password": "pass\x00word"},
    ):
        r = httpx.post(f"{api}/auth/login", json=body)
        assert r.status_code == 422 and r.json()["error"] == "invalid" and "NUL" in r.text
    r = httpx.post(f"{api}/auth/enroll", json={"code": "ABCD-\x00", "device_name": "x"})
    assert r.status_code == 422
    with _admin(server) as admin:
        login = f"nul{new_id()[-8:]}"
        r = admin.post(
            "/admin/users", json={"login": login, "name": "寄添\x00", "role": "outreach"}
        )
        assert r.status_code == 422 and "NUL" in r.json()["message_en"]
        assert login not in {u["login"] for u in admin.get("/admin/users").json()}
        row = new_id()
        r = admin.put("/admin/master/district", json={"id": row, "code": "z\x00", "name": "北"})
        assert r.status_code == 422
        assert row not in {d["id"] for d in admin.get("/admin/master/district").json()}
        assert admin.post("/admin/devices/ab%00cd/revoke").status_code == 422
        assert admin.get("/admin/audit?after_id=%00").status_code == 422
        # A backslash followed by the letters u0000 is ordinary text.
        r = admin.post(
            "/admin/users", json={"login": login, "name": "a\\u0000b", "role": "outreach"}
        )
        assert r.status_code == 201
    _no_server_errors(server)


def test_a_pushed_nul_rejects_only_its_own_change(server: ServerProc) -> None:
    dev = laptop(server, "outreach")
    good = new_case()
    bad_name = insert("person", **{"name\x00": "寄添 花子"})
    bad_value = insert("person", name="寄添\x00花子")
    bad_list = new_case(issue_categories=["income", "x\x00"])
    bad_base = insert("person", name="寄添 一郎")
    bad_base["changes"]["name"] = ["\x00", "寄添 一郎"]
    batch = [bad_name, good, bad_value, bad_list, bad_base]
    results = dev.push(batch)
    assert [r["op_id"] for r in results] == [c["op_id"] for c in batch]
    assert [r["status"] for r in results] == [
        "rejected",
        "applied",
        "rejected",
        "rejected",
        "rejected",
    ]
    assert all(r["reason"] == "NUL character" for r in results if r["status"] == "rejected")
    dev.sync()
    assert dev.sees("case", good["row_id"])
    for change in (bad_name, bad_value, bad_list, bad_base):
        assert not dev.sees(change["table"], change["row_id"])
    _no_server_errors(server)


def test_invalid_utf8_and_oversized_values_are_422(server: ServerProc) -> None:
    api = server.api
    raw = b'{"login": "\xff\xfe", "password": "x"}'
    r = httpx.post(f"{api}/auth/login", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["message_en"]
    dev = laptop(server, "outreach")
    r = httpx.post(
        f"{api}/sync/push",
        content=b'{"changes": [{"op_id": "\xff"}]}',
        headers={**dev.headers(), "content-type": "application/json"},
    )
    assert r.status_code == 422
    r = httpx.post(f"{api}/auth/login", json={"login": "x" * 10_000, "password": "y"})
    assert r.status_code == 422
    results = dev.push([insert("person", name="寄" * 5000)])
    assert results[0]["status"] == "rejected" and "longer" in results[0]["reason"]
    _no_server_errors(server)


@pytest.mark.parametrize("big", [2**31, 2**40, 2**63, 2**64, 10**30])
def test_integers_beyond_the_id_range_are_422(server: ServerProc, big: int) -> None:
    with _admin(server) as admin:
        for method, path, body in (
            ("GET", f"/admin/audit?after_id={big}", None),
            ("PATCH", f"/admin/users/{big}", {"disabled": False}),
            ("POST", f"/admin/users/{big}/enroll-code", None),
            ("POST", f"/admin/users/{big}/disable", None),
        ):
            r = admin.request(method, path, json=body)
            assert r.status_code == 422, (method, path, r.status_code)
            assert r.json()["error"] == "invalid" and r.json()["message_ja"]
    _no_server_errors(server)


def test_unknown_ids_are_404(server: ServerProc) -> None:
    with _admin(server) as admin:
        assert admin.patch("/admin/users/2147483647", json={"disabled": True}).status_code == 404
        assert admin.post("/admin/users/2147483647/enroll-code").status_code == 404
        assert admin.post(f"/admin/devices/{new_id()}/revoke").status_code == 404
        assert admin.post(f"/admin/devices/{'x' * 500}/revoke").status_code == 404
    _no_server_errors(server)


@pytest.mark.parametrize(
    "row_id", ["x' OR '1'='1", "not-a-uuid", "0190F5D2-7A3C-7B21-9C4E-2F1A3B4C5D6E", "1" * 36, 7]
)
def test_master_put_takes_only_uuid_ids(server: ServerProc, row_id: Any) -> None:
    with _admin(server) as admin:
        r = admin.put("/admin/master/agency", json={"id": row_id, "code": "q", "name": "機関"})
        assert r.status_code == 422 and "UUID" in str(r.json()["detail"])
        ids = {a["id"] for a in admin.get("/admin/master/agency").json()}
        assert row_id not in ids
        ok = admin.put("/admin/master/agency", json={"code": f"q{new_id()[-6:]}", "name": "機関"})
        assert ok.status_code == 200 and len(ok.json()["id"]) == 36


# --- oversize requests are answered and logged as 413 -----------------------------------------


def test_oversize_requests_are_413_and_logged_so(sqlite_server: ServerProc) -> None:
    srv = sqlite_server
    before = len(srv.log_text().splitlines())
    api = srv.api
    big = b"x" * (9 * 1024 * 1024)

    def chunked() -> Iterator[bytes]:
        yield b'{"login": "'
        for i in range(0, len(big), 1 << 20):
            yield big[i : i + (1 << 20)]
        yield b'", "password": "x"}'

    r = httpx.post(
        f"{api}/auth/login", content=chunked(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413 and r.json()["error"] == "too_large"
    dev = laptop(srv, "outreach")
    r = httpx.post(f"{api}/sync/push", content=big, headers=dev.headers())
    assert r.status_code == 413
    r = httpx.post(f"{api}/sync/push", content=chunked(), headers=dev.headers())
    assert r.status_code == 413
    # The request log line is written after the answer is sent: wait for it (briefly).
    deadline = time.monotonic() + 10
    while True:
        logged = [
            json.loads(line)
            for line in srv.log_text().splitlines()[before:]
            if '"event": "http"' in line and '"status": 413' in line
        ]
        if len(logged) >= 3 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(logged) == 3 and {e["method"] for e in logged} == {"POST"}
    _no_server_errors(srv)


# --- whose X-Forwarded-For is believed ---------------------------------------------------------


def _failed_logins_from(srv: ServerProc, addresses: list[str]) -> list[int]:
    statuses = []
    for n, address in enumerate(addresses):
        r = httpx.post(
            f"{srv.api}/auth/login",
            json={"login": f"nobody{n}", "password": "wrong password"},
            headers={"X-Forwarded-For": address},
        )
        statuses.append(r.status_code)
    return statuses


def _audited_remotes(srv: ServerProc) -> set[str]:
    with _admin(srv) as admin:
        rows = admin.get("/admin/audit?limit=1000").json()
    return {r["remote"] for r in rows if r["action"] == "login" and r["remote"]}


def test_forwarded_for_is_not_believed_by_default(tmp_server: ServerProc) -> None:
    """A client on loopback cannot step around the per-address limit or fake its address in
    the audit log by sending X-Forwarded-For."""
    fakes = [f"203.0.113.{n}" for n in range(1, 8)]
    statuses = _failed_logins_from(tmp_server, fakes)
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
    assert _audited_remotes(tmp_server) == {"127.0.0.1"}


def test_forwarded_for_is_believed_from_a_trusted_proxy(tmp_path: Path) -> None:
    args = ("--trusted-proxy", "127.0.0.1/32,10.0.0.0/8")
    with running_server(tmp_path, serve_args=args) as srv:
        fakes = [f"203.0.113.{n}" for n in range(1, 8)]
        assert _failed_logins_from(srv, fakes) == [401] * 7  # each its own address
        assert _audited_remotes(srv) == set(fakes)
        # The limit per address holds for a client behind the proxy.
        assert _failed_logins_from(srv, ["198.51.100.9"] * 6)[-1] == 429


# --- passwords ---------------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["password", "12345678", "password1234", "aaaaaaaaaaaaaaaa"])
def test_weak_passwords_are_refused_everywhere(sqlite_server: ServerProc, weak: str) -> None:
    srv = sqlite_server
    with _admin(srv) as admin:
        login = f"pw{new_id()[-8:]}"
        r = admin.post("/admin/users", json={"login": login, "name": "n", "role": "admin",
                                             "password": weak})  # fmt: skip
        assert r.status_code == 422 and r.json()["error"] == "weak_password"
        assert "パスワード" in r.json()["message_ja"] and "password" in r.json()["message_en"]
        user = srv.add_user(login, "coordinator", password=STRONG)
        r = admin.patch(f"/admin/users/{user['id']}", json={"password": weak})
        assert r.status_code == 422 and r.json()["error"] == "weak_password"
        r = admin.patch(f"/admin/users/{user['id']}", json={"password": login + "2026!"})
        assert r.status_code == 422  # the login name itself counts against it
    for args in (
        ("create-admin", f"a{new_id()[-8:]}", "--password-stdin"),
        ("user", "add", f"u{new_id()[-8:]}", "--role", "outreach", "--password-stdin"),
        ("user", "password", login, "--password-stdin"),
    ):
        done = srv.cli(*args, stdin=weak + "\n", check=False)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 1 and len(lines) == 1 and "パスワード" in lines[0], done.stderr
    done = srv.cli("create-admin", f"s{new_id()[-8:]}", "--password-stdin", stdin=STRONG)
    assert done.returncode == 0


# --- what ends a user's device tokens ----------------------------------------------------------


def _login(srv: ServerProc, login: str, password: str) -> dict[str, Any]:
    r = httpx.post(f"{srv.api}/auth/login", json={"login": login, "password": password})
    assert r.status_code == 200, r.text
    return dict(r.json())


def _status(srv: ServerProc, token: str) -> httpx.Response:
    return httpx.get(f"{srv.api}/sync/status", headers=client_headers(token))


def test_a_new_password_revokes_the_users_devices(sqlite_server: ServerProc) -> None:
    srv = sqlite_server
    login = f"pw{new_id()[-8:]}"
    user = srv.add_user(login, "coordinator", password=STRONG)
    by_password = _login(srv, login, STRONG)["token"]
    by_code = srv.enroll(login)["token"]
    bystander = laptop(srv, "outreach").token
    with _admin(srv) as admin:
        r = admin.patch(f"/admin/users/{user['id']}", json={"password": STRONG + "-new"})
        assert r.status_code == 200
    for token in (by_password, by_code):
        r = _status(srv, token)
        assert r.status_code == 403 and r.json()["error"] == "device_revoked"
    assert _status(srv, bystander).status_code == 200
    # The new password enrols a new device; the CLI reset revokes it in turn.
    fresh = _login(srv, login, STRONG + "-new")["token"]
    srv.cli("user", "password", login, "--password-stdin", stdin="other-" + STRONG)
    assert _status(srv, fresh).json()["error"] == "device_revoked"
    assert _login(srv, login, "other-" + STRONG)["token"]


def test_an_administrator_changing_their_own_password_keeps_this_device(
    sqlite_server: ServerProc,
) -> None:
    srv = sqlite_server
    login = f"adm{new_id()[-8:]}"
    user = srv.add_user(login, "admin", password=STRONG)
    here = _login(srv, login, STRONG)["token"]
    elsewhere = _login(srv, login, STRONG)["token"]
    r = httpx.patch(
        f"{srv.api}/admin/users/{user['id']}",
        json={"password": "new-" + STRONG},
        headers=client_headers(here),
    )
    assert r.status_code == 200
    assert _status(srv, here).status_code == 200
    assert _status(srv, elsewhere).json()["error"] == "device_revoked"


def test_disabling_revokes_and_reenabling_does_not_bring_tokens_back(
    sqlite_server: ServerProc,
) -> None:
    srv = sqlite_server
    worker = laptop(srv, "outreach")
    login = next(
        u["login"]
        for u in httpx.get(f"{srv.api}/admin/users", headers=srv.admin_headers()).json()
        if u["staff_id"] == worker.staff_id
    )
    srv.cli("user", "disable", login)
    assert _status(srv, worker.token).json()["error"] == "device_revoked"
    with _admin(srv) as admin:
        uid = srv.user_id(login)
        assert admin.post(f"/admin/users/{uid}/enroll-code").status_code == 409
        assert admin.patch(f"/admin/users/{uid}", json={"disabled": False}).status_code == 200
    assert _status(srv, worker.token).json()["error"] == "device_revoked"
    assert srv.enroll(login)["token"]  # re-enrolment works once enabled


def test_the_laptop_wipes_after_its_users_password_changes(
    sqlite_server: ServerProc, tmp_path: Path
) -> None:
    """The client's side of it: the next sync answers device_revoked and the laptop wipes its
    local database, as for a revoked device (docs/sync-protocol.md)."""
    from app.sync.errors import DeviceRevoked
    from tests.sync.server_side import Admin
    from tests.sync.world import make_case, new_laptop

    admin = Admin.create(sqlite_server, f"adm{new_id()[-8:]}")
    lap = new_laptop(admin, tmp_path, f"lap{new_id()[-6:]}", password=STRONG)
    lap.sync()
    make_case(lap.store, assigned=lap.staff_id, team=[lap.staff_id])
    r = httpx.patch(
        f"{sqlite_server.api}/admin/users/{sqlite_server.user_id(lap.login)}",
        json={"password": "new-" + STRONG},
        headers=client_headers(admin.token),
    )
    assert r.status_code == 200
    with pytest.raises(DeviceRevoked):
        lap.sync()
    assert not lap.path.exists() and lap.store.is_locked


# --- districts and agencies by code, checked ---------------------------------------------------


def test_user_add_takes_the_laptops_codes_and_refuses_typos(sqlite_server: ServerProc) -> None:
    srv = sqlite_server
    done = srv.cli(
        "user", "add", "kodama", "--role", "coordinator", "--district", "muko",
        "--district", district_id("sonoda"), "--agency", "suishin",
    )  # fmt: skip
    user = json.loads(done.stdout)
    with _admin(srv) as admin:
        listed = next(u for u in admin.get("/admin/users").json() if u["id"] == user["id"])
    assert listed["district_ids"] == [district_id("muko"), district_id("sonoda")]
    assert listed["agency_id"] == agency_id("suishin")
    for args, option in (
        (("--district", "no-such-district"), "--district"),
        (("--agency-id", "no-such-agency"), "--agency"),
    ):
        done = srv.cli("user", "add", f"t{new_id()[-6:]}", "--role", "outreach", *args,
                              check=False)  # fmt: skip
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 1 and len(lines) == 1, done.stderr
        assert option in lines[0] and ("muko" in lines[0] or option == "--agency")
        assert "suishin" in lines[0] or option == "--district"
    done = srv.cli("user", "set", "kodama", "--district", "mukonoso", check=False)
    assert done.returncode == 1 and "muko" in done.stderr
    done = srv.cli("user", "set", "kodama", "--district", "tachibana")
    assert json.loads(done.stdout)["district_ids"] == [district_id("tachibana")]


def test_user_list_and_disable_answer_in_json(sqlite_server: ServerProc) -> None:
    """What the workspace's users list shows, a script gets from the CLI (and disabling)."""
    srv = sqlite_server
    login = f"list{new_id()[-6:]}"
    srv.cli(
        "user", "add", login, "--name", "一覧 花子", "--role", "outreach", "--agency", "suishin"
    )
    listed = {u["login"]: u for u in json.loads(srv.cli("user", "list", "--json").stdout)}
    assert listed[login]["name"] == "一覧 花子" and listed[login]["role"] == "outreach"
    assert listed[login]["agency_id"] == agency_id("suishin") and not listed[login]["disabled"]
    assert json.loads(srv.cli("user", "disable", login, "--json").stdout) == {
        "login": login, "disabled": True}  # fmt: skip
    listed = {u["login"]: u for u in json.loads(srv.cli("user", "list", "--json").stdout)}
    assert listed[login]["disabled"]
    done = srv.cli("user", "disable", "no-such-user", "--json", check=False)
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1


def test_the_admin_api_checks_districts_and_agencies(server: ServerProc) -> None:
    with _admin(server) as admin:
        login = f"ref{new_id()[-8:]}"
        body = {"login": login, "name": "n", "role": "coordinator", "district_ids": ["nope"]}
        r = admin.post("/admin/users", json=body)
        assert r.status_code == 422 and "nope" in r.json()["message_en"]
        assert "muko" in r.json()["message_en"]
        r = admin.post("/admin/users", json={**body, "district_ids": [], "agency_id": "nope"})
        assert r.status_code == 422
        r = admin.post("/admin/users", json={**body, "district_ids": ["muko"]})
        assert r.status_code == 201 and r.json()["district_ids"] == [district_id("muko")]
        r = admin.patch(f"/admin/users/{r.json()['id']}", json={"district_ids": ["x"]})
        assert r.status_code == 422
        assert login in {u["login"] for u in admin.get("/admin/users").json()}


# --- enrolment codes: --ttl, and expiry --------------------------------------------------------


def _expires(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def test_enrolment_codes_take_a_ttl_and_expire(sqlite_server: ServerProc) -> None:
    srv = sqlite_server
    srv.add_user("ttl-user", "outreach")  # (one run per server)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    out = json.loads(srv.cli("device", "enroll", "--user", "ttl-user", "--json",
                                    "--ttl", "30m").stdout)  # fmt: skip
    assert abs((_expires(out["expires_at"]) - now).total_seconds() - 1800) < 120
    default = json.loads(srv.cli("device", "enroll", "--user", "ttl-user", "--json").stdout)
    assert abs((_expires(default["expires_at"]) - now).total_seconds() - 86400) < 120
    for bad in ("0m", "45d", "soon", "-5m", "１h", "5x"):
        done = srv.cli("device", "enroll", "--user", "ttl-user", f"--ttl={bad}", check=False)
        assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1
    with _admin(srv) as admin:
        uid = srv.user_id("ttl-user")
        r = admin.post(f"/admin/users/{uid}/enroll-code?ttl=2h")
        assert r.status_code == 201
        assert abs((_expires(r.json()["expires_at"]) - now).total_seconds() - 7200) < 120
        assert admin.post(f"/admin/users/{uid}/enroll-code?ttl=never").status_code == 422
        short = admin.post(f"/admin/users/{uid}/enroll-code?ttl=1m").json()["code"]
    # The clock moves on: the code's expiry is set a second into the past in its row.
    engine = create_engine(srv.database_url)
    try:
        with engine.begin() as conn:
            key = digest(normalise_code(short))
            assert conn.execute(
                select(EnrollCode.code_hash).where(EnrollCode.code_hash == key)
            ).first()
            past = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
            conn.execute(
                update(EnrollCode).where(EnrollCode.code_hash == key).values(expires_at=past)
            )
    finally:
        engine.dispose()
    r = httpx.post(f"{srv.api}/auth/enroll", json={"code": short, "device_name": "late"})
    assert r.status_code == 401 and r.json()["error"] == "enroll_failed"
    code = srv.enroll_code("ttl-user")
    r = httpx.post(f"{srv.api}/auth/enroll", json={"code": code, "device_name": "on time"})
    assert r.status_code == 200
