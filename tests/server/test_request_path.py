"""The lean request path of push and pull keeps every rule.

Push and pull check the device token inside their own transaction (one connection per
request) and run scope statements that are built once per kind of viewer and shared by all
viewers of that kind. These tests pin what that must not change: the order and kind of the
auth/schema answers, that nothing is stored when a request is refused, that reads are audited
and noted on the device, and that a shared statement never carries one viewer's ids into
another viewer's request."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import create_engine
from sqlalchemy import update as sa_update
from sqlalchemy.dialects import postgresql, sqlite

from app.protocol.ids import new_id
from app.server.api.routes.sync import parse_push_body
from app.server.crud import pull, scope
from app.server.crud.scope import Viewer
from app.server.models import User
from tests.server.conftest import insert, laptop, new_case, update
from tests.serverproc import SCHEMA_HEADER, ServerProc


def test_refused_requests_answer_in_order_and_store_nothing(server: ServerProc) -> None:
    dev = laptop(server, "outreach")
    case = new_case()
    token_only = {"Authorization": dev.headers()["Authorization"]}
    bad_token = {"Authorization": "Bearer nope", SCHEMA_HEADER: "999"}
    # A bad token is answered before a bad schema; a good token with a bad schema is 426.
    for method, path in (("POST", "/sync/push"), ("GET", "/sync/pull")):
        body = {"changes": [case]} if method == "POST" else None
        r = httpx.request(method, f"{server.api}{path}", json=body, headers=bad_token)
        assert r.status_code == 401 and r.json()["error"] == "token_invalid"
        r = httpx.request(method, f"{server.api}{path}", json=body, headers=token_only)
        assert r.status_code == 426 and r.json()["error"] == "upgrade_required"
        r = httpx.request(
            method, f"{server.api}{path}", json=body, headers={**token_only, SCHEMA_HEADER: "x"}
        )
        assert r.status_code == 426
    # The refused push stored nothing: the same op id is applied fresh now.
    assert dev.push([case])[0] == {
        "op_id": case["op_id"],
        "status": "applied",
        "reason": None,
        "conflicts": [],
    }


def test_revoked_and_disabled_are_refused_inside_the_request_transaction(
    server: ServerProc,
) -> None:
    dev = laptop(server, "outreach")
    case = new_case()
    assert dev.push([case])[0]["status"] == "applied"
    dev.sync()
    server.cli("device", "revoke", dev.device_id)
    edit = update("case", case["row_id"], title=(case["changes"]["title"][1], "変更"))
    r = httpx.post(f"{server.api}/sync/push", json={"changes": [edit]}, headers=dev.headers())
    assert r.status_code == 403 and r.json()["error"] == "device_revoked"
    r = httpx.get(f"{server.api}/sync/pull", params={"cursor": 0}, headers=dev.headers())
    assert r.status_code == 403 and r.json()["error"] == "device_revoked"

    other = laptop(server, "outreach")
    users = httpx.get(f"{server.api}/admin/users", headers=server.admin_headers()).json()
    uid = next(u["id"] for u in users if u["staff_id"] == other.staff_id)
    httpx.post(f"{server.api}/admin/users/{uid}/disable", headers=server.admin_headers())
    r = httpx.get(f"{server.api}/sync/pull", params={"cursor": 0}, headers=other.headers())
    # Disabling revokes the user's devices (the laptop wipes, docs/sync-protocol.md).
    assert r.status_code == 403 and r.json()["error"] == "device_revoked"
    # A user disabled without their devices revoked (by an older server) is refused too.
    third = laptop(server, "outreach")
    engine = create_engine(server.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa_update(User).where(User.staff_id == third.staff_id).values(disabled=True)
            )
    finally:
        engine.dispose()
    r = httpx.get(f"{server.api}/sync/pull", params={"cursor": 0}, headers=third.headers())
    assert r.status_code == 403 and r.json()["error"] == "user_disabled"

    # The revoked device's edit was not stored: an administrator still reads the old title.
    admin = laptop(server, "admin")
    admin.sync()
    stored = admin.records[("case", case["row_id"])]
    assert stored["title"] == case["changes"]["title"][1] and stored["version"] == 1


def test_pull_is_audited_and_noted_on_the_device(server: ServerProc) -> None:
    dev = laptop(server, "outreach")
    dev.push([new_case(), new_case()])
    dev.sync()
    cursor = dev.cursor
    dev.sync()
    listed = httpx.get(f"{server.api}/admin/devices", headers=server.admin_headers()).json()
    mine = next(d for d in listed if d["id"] == dev.device_id)
    assert mine["last_cursor"] == cursor and mine["last_sync_at"]
    audit = httpx.get(
        f"{server.api}/admin/audit", headers=server.admin_headers(), params={"limit": 1000}
    ).json()
    rows = [a for a in audit if a["device_id"] == dev.device_id]
    pulls = [a for a in rows if a["action"] == "pull"]
    pushes = [a for a in rows if a["action"] == "push"]
    assert len(pulls) == 2 and len(pushes) == 1
    assert pushes[0]["detail"]["applied"] == 2
    assert {p["detail"]["cursor"] for p in pulls} == {0, cursor}


def test_viewers_sharing_statements_see_only_their_own(server: ServerProc) -> None:
    """Interleaved requests of viewers of one kind (the same prebuilt statements): each sees
    and may change only its own case."""
    district = new_id()
    admin = laptop(server, "admin")
    admin.push([insert("district", district, code=f"d{district[-8:]}", name="東")])
    workers = [laptop(server, "outreach") for _ in range(3)]
    coordinators = [laptop(server, "coordinator", district_ids=[district]) for _ in range(2)]
    cases = [new_case() for _ in workers]
    for w, c in zip(workers, cases, strict=True):
        assert w.push([c])[0]["status"] == "applied"
    in_district = new_case(district_id=district)
    assert admin.push([in_district])[0]["status"] == "applied"
    for _ in range(2):
        for w in workers:
            w.sync()
        for c in coordinators:
            c.sync()
    for w, c in zip(workers, cases, strict=True):
        seen = {i for t, i in w.records if t == "case"}
        assert seen == {c["row_id"]}
        others = [x for x in cases if x is not c]
        edit = update("case", others[0]["row_id"], notes=(None, "他人の変更"))
        assert w.push([edit])[0]["status"] == "rejected"
    for c in coordinators:
        assert {i for t, i in c.records if t == "case"} == {in_district["row_id"]}


@pytest.mark.parametrize("dialect", [postgresql.dialect(), sqlite.dialect()])
def test_cached_scope_statements_hold_no_viewer_values(dialect: object) -> None:
    """A statement built once and shared must take every viewer value as a bound parameter:
    a literal id in it would show one viewer's scope to another."""
    a = Viewer(1, new_id(), "coordinator", new_id(), (new_id(), new_id()))
    b = Viewer(2, new_id(), "coordinator", new_id(), (new_id(),))
    assert scope.scope_parts(a) is scope.scope_parts(b)
    assert scope.visible_owner_ids(a) is scope.visible_owner_ids(b)
    statements = [
        *scope.scope_parts(a).values(),
        scope.visible_owner_ids(a),
        pull._diff_statement(pull._shape_of(a)),
        pull._snapshot_statements(pull._shape_of(a))[1],
    ]
    for stmt in statements:
        sql = str(stmt.compile(dialect=dialect))  # type: ignore[attr-defined]
        for value in (a.staff_id, a.agency_id, *a.district_ids):
            assert str(value) not in sql
    # Different kinds of viewer get different statements; values go in as parameters.
    outreach = Viewer(3, new_id(), "outreach", None, ())
    assert scope.scope_parts(outreach) is not scope.scope_parts(a)
    assert scope.scope_params(a) == {
        scope.STAFF: a.staff_id,
        scope.AGENCY: a.agency_id,
        scope.DISTRICTS: list(a.district_ids),
    }


BODIES: list[object] = [
    {"changes": []},
    {"batch_id": None, "changes": [insert("case", title="t")]},
    {"batch_id": "b" * 36, "changes": [{**insert("case"), "changes": {}}]},
    {"changes": [{k: v for k, v in insert("case").items() if k != "changes"}]},
    {"batch_id": "b" * 37, "changes": []},
    {"changes": [insert("case")], "extra": 1},
    {"changes": [{**insert("case"), "extra": 1}]},
    {"changes": [{**insert("case"), "op": "upsert"}]},
    {"changes": [{**insert("case"), "op_id": "has space"}]},
    {"changes": [{**insert("case"), "row_id": ""}]},
    {"changes": [{**insert("case"), "table": "t" * 41}]},
    {"changes": [{**insert("case"), "changes": {"a": "not a list"}}]},
    {"changes": [{**insert("case"), "changes": {f"f{i}": [None, i] for i in range(101)}}]},
    {"changes": [insert("case")] * 2001},
    {"changes": "x"},
    {},
    [],
    "text",
]


@pytest.mark.parametrize("body", BODIES, ids=range(len(BODIES)))
def test_push_body_dict_validation_matches_the_documented_model(body: object) -> None:
    """The push route validates into plain dicts; it must accept and refuse exactly what the
    documented ``PushIn`` model does, and give the same changes."""
    import orjson
    from pydantic import ValidationError

    from app.server.schemas import PUSH_BODY, PushIn

    raw = orjson.dumps(body)
    try:
        model = PushIn.model_validate_json(raw)
    except ValidationError as exc:
        with pytest.raises(ValidationError) as fast:
            PUSH_BODY.validate_json(raw)
        assert {e["loc"] for e in fast.value.errors()} == {e["loc"] for e in exc.errors()}
        return
    fast_body = PUSH_BODY.validate_json(raw)
    assert [{"changes": {}, **c} for c in fast_body["changes"]] == [
        c.model_dump() for c in model.changes
    ]
    # The route's own parsing (a quick path for plainly valid bodies) gives the same changes.
    assert parse_push_body(raw) == [c.model_dump() for c in model.changes]


MORE_BODIES: list[object] = [
    {"batch_id": None, "changes": []},
    {"changes": [insert("case", title="t", n=2**70)]},
    {"changes": [insert("case", nested={"a": [1, {"b": None}]})]},
    {"changes": [{**insert("case"), "changes": None}]},
    {"changes": [{**insert("case"), "op": ["insert"]}]},
    {"changes": [{**insert("case"), "op": None}]},
    {"changes": [{**insert("case"), "op_id": "a" * 37}]},
    {"changes": [{**insert("case"), "op_id": "é"}]},
    {"changes": [{**insert("case"), "table": ""}]},
    {"changes": [{**insert("case"), "table": "表" * 40}]},
    {"changes": [{**insert("case"), "row_id": 5}]},
    {"changes": [{**insert("case"), "changes": {"a": [None, 1], "b": {"x": 1}}}]},
    {"changes": [{**insert("case"), "changes": {f"f{i}": [i] for i in range(100)}}]},
    {"changes": [insert("case")] * 2000},
    {"batch_id": 7, "changes": []},
    {"changes": None},
    {"changes": [None]},
    {"changes": [[]]},
]


@pytest.mark.parametrize("body", MORE_BODIES, ids=range(len(MORE_BODIES)))
def test_push_body_quick_parse_accepts_only_what_validation_accepts(body: object) -> None:
    from pydantic import ValidationError

    from app.server.schemas import PushIn

    raw = json.dumps(body).encode()  # the stdlib writes integers beyond 64 bits too
    try:
        model = PushIn.model_validate_json(raw)
    except ValidationError:
        with pytest.raises(ValidationError):
            parse_push_body(raw)
        return
    assert parse_push_body(raw) == [c.model_dump() for c in model.changes]
