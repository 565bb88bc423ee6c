"""Push and pull over HTTP against a real server process (SQLite and PostgreSQL)."""

from __future__ import annotations

import httpx

from app.protocol.ids import new_id
from tests.server.conftest import delete, insert, laptop, new_case, update
from tests.serverproc import ServerProc, client_headers


def test_insert_then_pull_as_another_device(server: ServerProc) -> None:
    admin = laptop(server, "admin")
    person = insert("person", name="試験 花子", kana="シケン ハナコ", birth_date="1950-04-01")
    case = new_case(person_id=person["row_id"])
    results = admin.push([person, case])
    assert [r["status"] for r in results] == ["applied", "applied"]
    other = laptop(server, "admin")
    other.sync()
    data = other.records[("case", case["row_id"])]
    assert data["title"] == "生活困窮の相談" and data["version"] == 1
    assert data["deleted"] is False and data["person_id"] == person["row_id"]
    assert other.records[("person", person["row_id"])]["birth_date"] == "1950-04-01"


def test_replayed_batch_changes_nothing_and_returns_same_results(server: ServerProc) -> None:
    admin = laptop(server, "admin")
    case = new_case()
    bad = insert("case", title="番号なし")  # case_number is required
    first = admin.push([case, bad])
    admin.sync()
    cursor = admin.cursor
    again = admin.push([case, bad])
    assert again == first
    assert [r["status"] for r in first] == ["applied", "rejected"]
    page = admin.pull_page()
    assert page["records"] == [] and page["next_cursor"] == cursor


def test_per_field_conflict_keeps_other_fields(server: ServerProc) -> None:
    a, b = laptop(server, "admin"), laptop(server, "admin")
    case = new_case(urgency="low")
    cid = case["row_id"]
    a.push([case])
    assert (
        a.push([update("case", cid, status=("received", "supporting"))])[0]["status"] == "applied"
    )
    # b still believes status is "received": status conflicts, urgency applies.
    res = b.push([update("case", cid, status=("received", "closed"), urgency=("low", "high"))])[0]
    assert res["status"] == "conflict"
    (c,) = res["conflicts"]
    assert (c["field"], c["base"], c["mine"], c["theirs"]) == (
        "status",
        "received",
        "closed",
        "supporting",
    )
    assert c["theirs_by"].startswith("admin") and c["theirs_at"]
    b.sync()
    data = b.records[("case", cid)]
    assert data["status"] == "supporting" and data["urgency"] == "high" and data["version"] == 3


def test_delete_of_changed_row_is_a_conflict_and_tombstones_are_pulled(server: ServerProc) -> None:
    a, b = laptop(server, "admin"), laptop(server, "admin")
    case = new_case()
    cid = case["row_id"]
    a.push([case])
    a.push([update("case", cid, title=("生活困窮の相談", "家賃滞納"))])
    res = b.push([delete("case", cid, title=("生活困窮の相談", "生活困窮の相談（済）"))])[0]
    assert res["status"] == "conflict" and {c["field"] for c in res["conflicts"]} >= {"deleted"}
    assert b.push([delete("case", cid)])[0]["status"] == "applied"
    a.sync()
    assert a.records[("case", cid)]["deleted"] is True
    # Editing a row deleted on the server is kept as a conflict, not resurrected.
    res = a.push([update("case", cid, urgency=("medium", "high"))])[0]
    assert res["status"] == "conflict" and res["conflicts"][-1]["field"] == "deleted"


def test_rejections_name_a_reason_and_lose_nothing_else(server: ServerProc) -> None:
    admin = laptop(server, "admin")
    good = new_case()
    results = admin.push(
        [
            insert("no_such_table", x=1),
            insert("case", case_number="X1", title="t", bogus=1),
            insert("case", case_number="X2", title="t", opened_on="not a date"),
            insert(
                "contact_record", case_id=new_id(), contact_at="2026-01-01T10:00:00", kind="visit"
            ),
            insert("case", case_number="X3", title=123),
            good,
        ]
    )
    assert [r["status"] for r in results] == ["rejected"] * 5 + ["applied"]
    reasons = [r["reason"] for r in results[:5]]
    assert reasons[0] == "unknown table" and reasons[1].startswith("unknown field")
    assert "opened_on" in reasons[2] and reasons[3] == "parent missing: case_id"
    assert "title" in reasons[4]


def test_append_only_rows_never_conflict_and_audit_events_are_push_only(server: ServerProc) -> None:
    a = laptop(server, "admin")
    case = new_case()
    rec = insert(
        "contact_record",
        case_id=case["row_id"],
        contact_at="2026-01-05T09:30:00+09:00",
        kind="visit",
        narrative="訪問した。",
    )
    ev = insert(
        "audit_event",
        at="2026-01-05T00:31:00",
        action="view",
        entity="case",
        entity_id=case["row_id"],
    )
    assert [r["status"] for r in a.push([case, rec, ev])] == ["applied"] * 3
    res = a.push([update("contact_record", rec["row_id"], narrative=("別の値", "訂正"))])[0]
    assert res["status"] == "applied"
    assert (
        a.push([update("audit_event", ev["row_id"], detail=(None, "x"))])[0]["status"] == "rejected"
    )
    b = laptop(server, "admin")
    b.sync()
    assert (
        b.records[("contact_record", rec["row_id"])]["contact_at"] == "2026-01-05T00:30:00.000000"
    )
    assert not b.sees("audit_event", ev["row_id"])


def test_paged_snapshot_and_cursor_pages_are_complete(server: ServerProc) -> None:
    admin = laptop(server, "admin")
    cases = [new_case() for _ in range(45)]
    admin.push(cases)
    other = laptop(server, "admin")
    pages = other.sync(limit=10)
    assert pages >= 5
    assert all(other.sees("case", c["row_id"]) for c in cases)


def test_every_response_carries_server_time_and_schema_is_negotiated(server: ServerProc) -> None:
    admin = laptop(server, "admin")
    r = httpx.get(f"{server.api}/sync/status", headers=admin.headers())
    assert r.status_code == 200 and r.json()["server_time"].endswith("Z")
    old = httpx.post(
        f"{server.api}/sync/push",
        headers=client_headers(admin.token, schema=99),
        json={"changes": [new_case()]},
    )
    assert old.status_code == 426
    body = old.json()
    assert body["error"] == "upgrade_required" and body["max_schema"] == 1 and body["server_time"]
    bad = httpx.get(f"{server.api}/sync/pull", headers=admin.headers(), params={"cursor": -1})
    assert bad.status_code == 422 and bad.json()["error"] == "invalid"
