"""The admin API the workspace uses, against a real server process on PostgreSQL: a
password sign-in that adds no device, device reports at sync, audit filters and paging,
and the index plan that keeps the audit viewer fast at ten million rows."""

from __future__ import annotations

import httpx
import psycopg
import pytest

from app.admin.client import AdminClient, AdminError
from tests.admin.conftest import ADMIN_LOGIN, ADMIN_PASSWORD
from tests.serverproc import ServerProc, client_headers

pytestmark = pytest.mark.postgres


def _signed_in(srv: ServerProc) -> AdminClient:
    c = AdminClient(srv.url)
    c.sign_in(ADMIN_LOGIN, ADMIN_PASSWORD)
    return c


def test_admin_sign_in_adds_no_device_and_ends(admin_server: ServerProc) -> None:
    before = len(httpx.get(f"{admin_server.api}/admin/devices",
                           headers=admin_server.admin_headers()).json())  # fmt: skip
    for _ in range(3):
        c = _signed_in(admin_server)
        assert c.users()  # the session opens the admin API
        c.sign_out()
    after = httpx.get(f"{admin_server.api}/admin/devices", headers=admin_server.admin_headers())
    assert len(after.json()) == before
    # A session token never syncs, and an ended one opens nothing.
    c = _signed_in(admin_server)
    token = c._token
    assert token is not None
    r = httpx.get(f"{admin_server.api}/sync/pull?cursor=0", headers=client_headers(token))
    assert r.status_code == 401
    c.sign_out()
    r = httpx.get(f"{admin_server.api}/admin/users", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


def test_wrong_password_and_non_admin_refused(admin_server: ServerProc) -> None:
    with pytest.raises(AdminError) as err:
        AdminClient(admin_server.url).sign_in(ADMIN_LOGIN, "not the password at all")
    assert err.value.status == 401
    admin_server.add_user("ippan", "outreach", password="another long passphrase 77")
    with pytest.raises(AdminError) as err:
        AdminClient(admin_server.url).sign_in("ippan", "another long passphrase 77")
    assert err.value.status == 403


def test_weak_password_message(admin_server: ServerProc) -> None:
    c = _signed_in(admin_server)
    user = c.add_user(login="yowai", name="弱井", role="outreach")
    with pytest.raises(AdminError) as err:
        c.change_user(user["id"], password="password123")
    assert err.value.code == "weak_password"
    assert "パスワード" in err.value.message_ja


def test_device_reports_pending_and_rejected_at_pull(admin_server: ServerProc) -> None:
    admin_server.add_user("hokoku", "outreach")
    dev = admin_server.enroll("hokoku", "報告PC")
    headers = {**client_headers(dev["token"]), "X-Yorisoi-Pending": "4",
               "X-Yorisoi-Rejected": "2", "User-Agent": "yorisoi/9.8.7"}  # fmt: skip
    assert httpx.get(f"{admin_server.api}/sync/pull?cursor=0", headers=headers).status_code == 200
    c = _signed_in(admin_server)
    row = next(d for d in c.devices() if d["id"] == dev["device_id"])
    assert (row["pending_changes"], row["rejected_changes"]) == (4, 2)
    assert row["app_version"] == "9.8.7" and row["login"] == "hokoku"
    assert row["last_sync_at"] and not row["stale"]
    revoked = c.revoke_device(dev["device_id"], reason="紛失")
    assert revoked["revoked"] and revoked["revoke_reason"] == "紛失"
    r = httpx.get(f"{admin_server.api}/sync/pull?cursor=0", headers=headers)
    assert r.status_code == 403


def test_stale_device_flagged(admin_server: ServerProc, pg_url: str) -> None:
    admin_server.add_user("furui", "outreach")
    dev = admin_server.enroll("furui", "古いPC")
    with psycopg.connect(pg_url.replace("+psycopg", "")) as conn:
        conn.execute("UPDATE device SET last_sync_at = now() - interval '8 days', "
                     "enrolled_at = now() - interval '30 days' WHERE id = %s",
                     (dev["device_id"],))  # fmt: skip
    c = _signed_in(admin_server)
    assert next(d for d in c.devices() if d["id"] == dev["device_id"])["stale"]
    assert not next(d for d in c.devices(stale_days=10) if d["id"] == dev["device_id"])["stale"]


def test_audit_filter_keyset_and_export(admin_server: ServerProc) -> None:
    c = _signed_in(admin_server)
    me = c.session
    assert me is not None
    target = c.add_user(login="kansa", name="監査", role="outreach")
    for _ in range(5):
        c.enroll_code(target["id"])
    page1 = c.audit(user_id=me.user_id, action="admin.enroll_code", limit=3)
    assert len(page1["events"]) == 3 and page1["next_before_id"]
    page2 = c.audit(user_id=me.user_id, action="admin.enroll_code", limit=3,
                    before_id=page1["next_before_id"])  # fmt: skip
    ids = [e["id"] for e in page1["events"] + page2["events"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == len(ids) >= 5
    assert all(e["action"] == "admin.enroll_code" for e in page1["events"] + page2["events"])
    none = c.audit(action="admin.enroll_code", since="2099-01-01")
    assert none["events"] == [] and none["next_before_id"] is None
    raw = c.audit_csv(action="admin.enroll_code", user_id=me.user_id).decode("utf-8-sig")
    lines = raw.strip().splitlines()
    assert lines[0].startswith("id,at,user_id") and len(lines) - 1 == len(ids)
    exported = c.audit(action="admin.audit_export", limit=1)["events"][0]
    assert exported["detail"]["rows"] == len(ids)


def test_case_access_lists_holders(admin_server: ServerProc) -> None:
    c = _signed_in(admin_server)
    out = c.case_access("0190f5d2-7a3c-7b21-9c4e-2f1a3b4c5d6e")
    assert out["devices"] == [] and out["laptop_events"] == []
    # The lookup itself is audited under the case.
    later = c.case_access("0190f5d2-7a3c-7b21-9c4e-2f1a3b4c5d6e")
    assert any(e["action"] == "admin.case_access" for e in later["server_events"])


FILTERS: dict[str, tuple[str, str | None]] = {
    "user": ("user_id = 7", "ix_server_audit_user_id_id"),
    "device": ("device_id = 'dev-3'", "ix_server_audit_device_id_id"),
    "action": ("action = 'admin.user_add'", "ix_server_audit_action_id"),
    # A common action: reading the primary key backwards and filtering is the cheaper plan,
    # and still stops after a page.
    "action-common": ("action = 'view'", None),
    "case": ("(detail->>'case_id') = 'case-42'", "ix_server_audit_case_id_id"),
}


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_audit_index_plan(admin_server: ServerProc, pg_url: str, name: str) -> None:
    """With 300,000 rows generated in the database, each viewer filter reads its own index
    (no sequential scan, a bounded cost): the page costs about the same at ten million."""
    url = pg_url.replace("+psycopg", "")
    with psycopg.connect(url, autocommit=True) as conn:
        n = conn.execute("SELECT count(*) FROM server_audit").fetchone()
        if n is None or n[0] < 300_000:
            conn.execute(
                "INSERT INTO server_audit (at, user_id, device_id, action, detail, remote) "
                "SELECT now() - (g || ' seconds')::interval, g % 2000, 'dev-' || (g % 2000), "
                "CASE WHEN g % 500 = 0 THEN 'admin.user_add' "
                "ELSE (ARRAY['pull', 'push', 'view'])[1 + g % 3] END, "
                "json_build_object('case_id', 'case-' || (g % 5000)), NULL "
                "FROM generate_series(1, 300000) g"
            )
            conn.execute("ANALYZE server_audit")
        where, index = FILTERS[name]
        for extra in ("", " AND id < 150000", " AND at >= now() - interval '3 days'"):
            plan = "\n".join(
                r[0]
                for r in conn.execute(
                    f"EXPLAIN SELECT * FROM server_audit WHERE {where}{extra} "
                    "ORDER BY id DESC LIMIT 200"
                )
            )
            if index is not None:
                assert index in plan, plan
            assert "Seq Scan" not in plan, plan
            # The page's estimated cost stays small: an index range, not the table (a sort,
            # when the planner picks one, is of the few rows the index found).
            top = float(plan.split("..", 1)[1].split()[0])
            assert top < 5000, plan


def test_server_cli_does_what_the_workspace_does(admin_server: ServerProc, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    admin_server.add_user("cli-user", "outreach")
    dev = admin_server.enroll("cli-user", "CLI PC")
    listed = json.loads(admin_server.cli("device", "list", "--json").stdout)
    row = next(d for d in listed if d["id"] == dev["device_id"])
    assert row["login"] == "cli-user" and not row["revoked"]
    out = json.loads(admin_server.cli("device", "revoke", dev["device_id"], "--reason", "返却",
                                      "--json").stdout)  # fmt: skip
    assert out["revoke_reason"] == "返却"
    page = json.loads(admin_server.cli("audit", "list", "--action", "cli.device_revoke",
                                       "--json").stdout)  # fmt: skip
    assert page["events"][0]["detail"]["target_device"] == dev["device_id"]
    target = tmp_path / "a.csv"
    done = json.loads(admin_server.cli("audit", "list", "--device", dev["device_id"], "--csv",
                                       str(target), "--json").stdout)  # fmt: skip
    assert done["rows"] >= 1 and target.read_text(encoding="utf-8-sig").startswith("id,at")
    bad = admin_server.cli("audit", "list", "--since", "yesterday", check=False)
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1
    access = json.loads(admin_server.cli("case", "access", "c-1", "--json").stdout)
    assert access["devices"] == []
