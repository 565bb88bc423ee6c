"""The fast paths behind the sync API keep its contract: COPY-based inserts round-trip any text,
the raw-body push validation answers like a declared body, index rows are rewritten only when
an indexed field changes (and then are), scope changes found set-wise are announced once
acknowledged, and ``serve --workers 2`` serves one database from two processes."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.server.conftest import insert, laptop, new_case, update
from tests.serverproc import ServerProc, client_headers, running_server

AWKWARD = 'バックスラッシュ\\ と "引用符" と\tタブと\n改行と\r復帰 \\N \\t ,;{}[]'


def test_awkward_text_round_trips_through_push_and_pull(server: ServerProc) -> None:
    writer = laptop(server, "admin")
    reader = laptop(server, "admin")
    case = new_case(title=AWKWARD[:200], notes=AWKWARD * 3)
    assert writer.push([case])[0]["status"] == "applied"
    reader.sync()
    data = reader.records[("case", case["row_id"])]
    assert data["title"] == AWKWARD[:200]
    assert data["notes"] == AWKWARD * 3
    # An update of the same row (the one-statement UPDATE path) round-trips too.
    edit = update("case", case["row_id"], notes=(AWKWARD * 3, AWKWARD[::-1]))
    assert writer.push([edit])[0]["status"] == "applied"
    reader.sync()
    assert reader.records[("case", case["row_id"])]["notes"] == AWKWARD[::-1]
    assert reader.records[("case", case["row_id"])]["version"] == 2


def test_push_body_errors_are_422_like_a_declared_body(server: ServerProc) -> None:
    device = laptop(server, "outreach")
    headers = {**device.headers(), "content-type": "application/json"}
    for body in (b"", b"{not json", b"[]", b'{"changes": "x"}', b'{"changes": [], "extra": 1}'):
        r = httpx.post(f"{server.api}/sync/push", content=body, headers=headers)
        assert r.status_code == 422, (body, r.status_code)
        assert r.json()["error"] == "invalid"
        assert "server_time" in r.json()
    bad_id = {"changes": [insert("case", row_id="has space") | {"op_id": "x y"}]}
    r = httpx.post(f"{server.api}/sync/push", json=bad_id, headers=device.headers())
    assert r.status_code == 422
    # Authentication and schema negotiation still come first.
    r = httpx.post(f"{server.api}/sync/push", json={"changes": []})
    assert r.status_code == 401
    r = httpx.post(
        f"{server.api}/sync/push",
        json={"changes": []},
        headers={"Authorization": headers["Authorization"]},
    )
    assert r.status_code == 426


def test_openapi_documents_the_push_body(server: ServerProc) -> None:
    doc = httpx.get(f"{server.api}/openapi.json").json()
    body = doc["paths"]["/api/v1/sync/push"]["post"]["requestBody"]
    assert body["required"] is True
    ref = body["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/PushIn"
    schemas = doc["components"]["schemas"]
    assert schemas["PushIn"]["properties"]["changes"]["maxItems"] == 2000
    assert "ChangeIn" in schemas
    response = doc["paths"]["/api/v1/sync/push"]["post"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"]["$ref"].endswith("/PushOut")


def test_index_rows_follow_indexed_fields_only(server: ServerProc) -> None:
    a = laptop(server, "outreach")
    b = laptop(server, "outreach")
    case = new_case()
    assert a.push([case])[0]["status"] == "applied"
    a.sync()
    b.sync()
    assert not b.sees("case", case["row_id"])
    # A change to a field no scope rule reads: the case stays where it was.
    assert a.push([update("case", case["row_id"], notes=(None, "メモ"))])[0]["status"] == "applied"
    b.sync()
    assert not b.sees("case", case["row_id"])
    a.sync()
    assert a.records[("case", case["row_id"])]["notes"] == "メモ"
    # Assigning it to b (an indexed field) brings it into b's scope on b's next pull.
    assign = update("case", case["row_id"], assigned_staff_id=(None, b.staff_id))
    assert a.push([assign])[0]["status"] == "applied"
    b.sync()
    assert b.sees("case", case["row_id"])
    # and b may now write to it.
    edit = update("case", case["row_id"], notes=("メモ", "引き継ぎ"))
    assert b.push([edit])[0]["status"] == "applied"


def test_scope_change_is_announced_until_acknowledged(server: ServerProc) -> None:
    a = laptop(server, "outreach")
    b = laptop(server, "outreach")
    case = new_case()
    a.push([case])
    b.sync()
    assert not b.sees("case", case["row_id"])
    # b joins the support team: the case (an older row) enters b's scope.
    team = insert("case_team_member", case_id=case["row_id"], staff_id=b.staff_id)
    assert a.push([team])[0]["status"] == "applied"
    announcing_cursor = b.cursor
    first = b.pull_page()
    assert case["row_id"] in {r["id"] for r in first["records"]}
    # The response was "lost": pulling again from the same cursor re-sends the entered case.
    b.cursor = announcing_cursor
    again = b.pull_page()
    assert case["row_id"] in {r["id"] for r in again["records"]}
    # Pulling from the cursor that announced it acknowledges it: it is not sent again.
    third = b.pull_page()
    assert case["row_id"] not in {r["id"] for r in third["records"]}
    # Leaving the team: b's next pull purges the case, once acknowledged no more.
    assert a.push([delete_team(team)])[0]["status"] == "applied"
    b.sync()
    assert b.purged.count(case["row_id"]) == 1
    b.sync()
    assert b.purged.count(case["row_id"]) == 1


def delete_team(team: dict[str, object]) -> dict[str, object]:
    from tests.server.conftest import delete

    return delete("case_team_member", str(team["row_id"]))


@pytest.mark.postgres
def test_two_worker_processes_serve_one_database(tmp_path: Path, pg_url: str) -> None:
    with running_server(tmp_path, database_url=pg_url, workers=2) as srv:
        a = laptop(srv, "admin")
        b = laptop(srv, "admin")
        cases = [new_case() for _ in range(30)]
        results = []
        for c in cases:  # separate requests: the kernel spreads them over both workers
            results.extend(a.push([c]))
        assert {r["status"] for r in results} == {"applied"}
        b.sync(limit=7)
        assert {c["row_id"] for c in cases} <= {i for t, i in b.records if t == "case"}
        r = httpx.get(f"{srv.api}/sync/status", headers=client_headers(b.token))
        assert r.status_code == 200
        assert r.json()["device"]["server_cursor"] >= b.cursor
