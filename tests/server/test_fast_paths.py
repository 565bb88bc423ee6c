"""The fast paths behind the sync API keep its contract: COPY-based inserts round-trip any text,
the raw-body push validation answers like a declared body, index rows are rewritten only when
an indexed field changes (and then are), scope changes found set-wise are announced once
acknowledged, and ``serve --workers 2`` serves one database from two processes."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from app.protocol.ids import new_id
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


def _answer(r: httpx.Response) -> tuple[int, object]:
    body = r.json()
    if isinstance(body, dict):
        body.pop("server_time", None)
    return r.status_code, body


def test_lean_sync_path_answers_exactly_like_fastapi(server: ServerProc, tmp_path: Path) -> None:
    """Push and pull are served without FastAPI's routing (api/fastpath.py SyncFastPath); a second
    server on the same database with that path turned off must give the same answers, for
    refused requests above all."""
    with running_server(
        tmp_path,
        database_url=server.database_url,
        extra_env={"YORISOI_SYNC_FAST_PATH": "0"},
    ) as plain:
        dev = laptop(server, "outreach")
        other = laptop(server, "outreach")
        revoked = laptop(server, "outreach")
        server.cli("device", "revoke", revoked.device_id)
        mine = new_case()
        assert dev.push([mine])[0]["status"] == "applied"
        dev.sync()
        good = dev.headers()
        no_schema = {"Authorization": good["Authorization"]}
        pushes: list[tuple[dict[str, str], bytes]] = [
            (good, b'{"changes": []}'),
            (good, b"{not json"),
            (good, b'{"changes": "x"}'),
            (good, b'{"changes": [], "extra": 1}'),
            ({}, b'{"changes": []}'),
            ({"Authorization": "Bearer nope", SCHEMA: "1"}, b'{"changes": []}'),
            (no_schema, b'{"changes": []}'),
            ({**good, SCHEMA: "x"}, b'{"changes": []}'),
            (revoked.headers(), b'{"changes": []}'),
            ({}, b"{not json"),
        ]
        for headers, body in pushes:
            answers = [
                _answer(
                    httpx.post(
                        f"{srv.api}/sync/push",
                        content=body,
                        headers={**headers, "content-type": "application/json"},
                    )
                )
                for srv in (server, plain)
            ]
            assert answers[0] == answers[1], (headers, body)
        # A push answered by one path is replayed by the other: the very same results.
        for first_srv, second_srv in ((server, plain), (plain, server)):
            batch = {
                "changes": [
                    update("case", mine["row_id"], notes=(None, "メモ")),
                    update("case", mine["row_id"], notes=(None, "他")),
                    update("case", mine["row_id"], bogus=(None, "x")),
                ]
            }
            answers = [
                _answer(httpx.post(f"{srv.api}/sync/push", json=batch, headers=good))
                for srv in (first_srv, second_srv)
            ]
            assert answers[0] == answers[1]
        outside = update("case", mine["row_id"], title=("a", "b"))
        assert other.push([outside])[0]["reason"] == "outside your scope"
        queries = [
            "",
            "cursor=0",
            f"cursor={dev.cursor}",
            "cursor=-1",
            "cursor=abc",
            "cursor=",
            "cursor=1&cursor=2",
            f"cursor={2**62}",
            f"cursor={2**62 + 1}",
            "cursor=99999999999999999999",
            "limit=0",
            "limit=5001",
            "limit=3&cursor=0",
            "cursor=0&limit=2&x=1",
            "cursor=%31",
        ]
        for headers in (good, no_schema, {}, revoked.headers()):
            for query in queries:
                answers = [
                    _answer(httpx.get(f"{srv.api}/sync/pull?{query}", headers=headers))
                    for srv in (server, plain)
                ]
                assert answers[0] == answers[1], (headers, query)

        # The lean path logs a request under the route name FastAPI logs it under.
        for call, name in ((lambda: dev.push([]), "/sync/push"), (dev.pull_page, "/sync/pull")):
            before = len(_http_routes(server))
            call()
            for _ in range(100):  # the line is written just after the answer
                routes = _http_routes(server)
                if len(routes) > before:
                    break
                time.sleep(0.02)
            assert routes[before:] == [name]


def _http_routes(srv: ServerProc) -> list[str]:
    lines = [line for line in srv.log_text().splitlines() if '"event": "http"' in line]
    return [line.split('"route": "')[1].split('"')[0] for line in lines]


SCHEMA = "X-Yorisoi-Schema"


def _big_batch(prefix: str, missing_parent: str) -> list[dict[str, object]]:
    """300 changes (above push.COPY_MIN_ROWS): new persons and their cases, contact records,
    a change rejected for its own fields, one whose parent is missing, an update of a row of
    the same batch and an op id given twice."""
    persons = [insert("person", name=f"{prefix}{i}", kana="シケン") for i in range(100)]
    cases = [
        new_case(case_number=f"{prefix}{i:04d}", person_id=p["row_id"])
        for i, p in enumerate(persons)
    ]
    contacts = [
        insert(
            "contact_record",
            case_id=c["row_id"],
            contact_at="2026-04-01T10:00:00+09:00",
            kind="visit",
            narrative="訪問\t記録\\n",
        )
        for c in cases[:90]
    ]
    odd = [
        insert("case", case_number=f"{prefix}x", title="t", bogus="x"),
        insert("contact_record", case_id=missing_parent, kind="visit"),
        update("case", cases[0]["row_id"], notes=(None, "同じ束の中で")),
        update("case", cases[1]["row_id"], urgency=("high", "low")),
    ]
    batch = [*persons, *cases, *contacts, *odd]
    batch.append(dict(batch[5]))  # the same op id twice in one batch
    return batch


def _shape(results: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [
        (r["status"], r["reason"], tuple(c["field"] for c in r["conflicts"]))  # type: ignore[attr-defined]
        for r in results
    ]


def test_large_batch_decides_like_small_ones_and_replays_exactly(server: ServerProc) -> None:
    """A batch of hundreds of changes takes other paths on PostgreSQL (lookups pipelined,
    COPY); every result must be what the same changes get in small batches, a replay must
    return exactly the first answer, and the stored rows must be the same."""
    big, small = laptop(server, "admin"), laptop(server, "admin")
    big_batch = _big_batch("L", new_id())
    small_batch = _big_batch("S", new_id())
    first = big.push(big_batch)
    chunked: list[dict[str, object]] = []
    for i in range(0, len(small_batch), 50):
        chunked.extend(small.push(small_batch[i : i + 50]))
    assert _shape(first) == _shape(chunked)
    assert [r["op_id"] for r in first] == [c["op_id"] for c in big_batch]
    statuses = {r["status"] for r in first}
    assert statuses == {"applied", "rejected", "conflict"}
    assert big.push(big_batch) == first
    reader = laptop(server, "admin")
    reader.sync(limit=113)

    def stored(batch: list[dict[str, object]]) -> list[dict[str, object]]:
        out = []
        for c in batch[:-1]:
            data = reader.records.get((str(c["table"]), str(c["row_id"])))
            if data is not None:
                out.append(
                    {
                        k: v
                        for k, v in data.items()
                        if k not in ("id", "created_at", "updated_at", "person_id", "case_id")
                        and not str(v).startswith(("L", "S"))
                    }
                )
        return out

    assert stored(big_batch) == stored(small_batch)
    narrative = reader.records[("contact_record", str(big_batch[200]["row_id"]))]["narrative"]
    assert narrative == "訪問\t記録\\n"


@pytest.mark.postgres
def test_connections_closed_by_the_database_are_replaced(tmp_path: Path, pg_url: str) -> None:
    """Pooled connections are checked on checkout without a round trip; one the database
    has closed (restart, terminated backend) is replaced, and the request succeeds."""
    import psycopg

    with running_server(tmp_path, database_url=pg_url) as srv:
        dev = laptop(srv, "admin")
        assert dev.push([new_case()])[0]["status"] == "applied"
        dev.sync()
        dbname = pg_url.rsplit("/", 1)[1]
        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True
        ) as admin:
            killed = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [dbname],
            ).fetchone()
        assert killed and killed[0] > 0
        time.sleep(0.2)
        assert dev.push([new_case()])[0]["status"] == "applied"
        assert dev.sync() == 1
