"""Fuzzing the real server with schemathesis from its own OpenAPI document: whatever the
input, the answer is never a 5xx.

Two runs: one where the fuzzer may make its own headers (an admin token unless it made one),
and authenticated runs (SQLite and PostgreSQL) over every operation with the tokens held
fixed, not fuzzed (the device token of an outreach worker on the sync and refresh routes,
an administrator's elsewhere), so every input reaches the handlers; there every answer must
also match the document's response schema. Bounded: a few examples per operation
(``YORISOI_FUZZ_EXAMPLES`` raises it for a run by hand)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.serverproc import SCHEMA_HEADER, ServerProc, client_headers, running_server

EXAMPLES = int(os.environ.get("YORISOI_FUZZ_EXAMPLES", "0") or 0)


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    with running_server(tmp_path_factory.mktemp("fuzz")) as srv:
        yield srv


def _operations(srv: ServerProc) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{srv.api}/openapi.json")
    return [r.ok() for r in schema.get_all_operations()]


def test_no_input_makes_a_server_error(fuzz_server: ServerProc) -> None:
    # schemathesis' pytest plugin does not run under pytest 9: drive its strategies directly.
    srv = fuzz_server
    operations = _operations(srv)
    assert len(operations) >= 10
    failures: list[tuple[str, str, int]] = []
    for op in operations:

        @given(case=op.as_strategy())
        @settings(
            max_examples=EXAMPLES or 12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case: schemathesis.Case) -> None:
            headers = dict(case.headers or {})
            # Carry a valid admin token unless the fuzzer made its own, so it reaches handlers.
            if "authorization" not in {k.lower() for k in headers}:
                headers.update(srv.admin_headers())
            response = case.call(base_url=srv.url, headers=headers, timeout=30)
            if response.status_code >= 500:
                failures.append((case.method, case.path, response.status_code))

        run()
    assert not failures


class _Fixed:
    """The tokens held fixed for an authenticated run, and the users fuzzing must not touch
    (a fuzzed PATCH of the administrator's own id would disable the run itself)."""

    def __init__(self, srv: ServerProc) -> None:
        self.admin = srv.admin_headers()
        worker = srv.add_user("fuzz-worker", "outreach")
        self.device = client_headers(srv.enroll("fuzz-worker")["token"])
        target = srv.add_user("fuzz-target", "coordinator")
        self.protected = {srv.user_id(f"serverproc-admin-{srv.port}"), worker["id"]}
        self.stand_in = int(target["id"])  # fuzzed ids of protected users become this one

    def headers_for(self, path: str) -> dict[str, str]:
        device_routes = path.startswith("/api/v1/sync/") or path == "/api/v1/auth/refresh"
        return dict(self.device if device_routes else self.admin)


def _authenticated_run(srv: ServerProc) -> None:
    fixed = _Fixed(srv)
    operations = _operations(srv)
    assert len(operations) >= 10
    errors: list[tuple[str, str, int]] = []
    violations: list[tuple[str, str, int, str]] = []
    for op in operations:

        @given(case=op.as_strategy())
        @settings(
            max_examples=EXAMPLES or 6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case: schemathesis.Case) -> None:
            if case.path_parameters and case.path_parameters.get("user_id") in fixed.protected:
                case.path_parameters["user_id"] = fixed.stand_in
            headers = {
                k: v
                for k, v in dict(case.headers or {}).items()
                if k.lower() not in ("authorization", SCHEMA_HEADER.lower())
            }
            headers.update(fixed.headers_for(case.path))
            if case.headers is not None:  # the fuzzer's own copies would override ours
                for key in list(case.headers):
                    if key.lower() in ("authorization", SCHEMA_HEADER.lower()):
                        del case.headers[key]
            response = case.call(base_url=srv.url, headers=headers, timeout=30)
            if response.status_code >= 500:
                errors.append((case.method, case.path, response.status_code))
            try:
                case.validate_response(response, checks=[response_schema_conformance])
            except BaseException as exc:  # a failure (group) per violation
                if isinstance(exc, KeyboardInterrupt):
                    raise
                violations.append(
                    (case.method, case.path, response.status_code, str(exc).splitlines()[0][:200])
                )

        run()
    assert not errors, errors
    assert not violations, violations[:10]
    # The fixed tokens were never lost along the way.
    import httpx

    assert httpx.get(f"{srv.api}/sync/status", headers=fixed.device).status_code == 200
    assert httpx.get(f"{srv.api}/admin/users", headers=fixed.admin).status_code == 200


def test_authenticated_fuzzing_finds_no_error_or_schema_violation(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # Its own server: the unauthenticated run may have disabled its administrator.
    with running_server(tmp_path_factory.mktemp("fuzz-auth")) as srv:
        _authenticated_run(srv)


@pytest.fixture
def own_pg_url(pg_url: str) -> Iterator[str]:
    """A database of its own: fuzzed admin requests disable and re-password whatever users
    they find, which would include the shared PostgreSQL server's administrator."""
    from tests.server.conftest import _pg_connect

    name = f"yorisoi_fuzz_{uuid.uuid4().hex[:12]}"
    with _pg_connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with _pg_connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_authenticated_fuzzing_on_postgres(
    tmp_path_factory: pytest.TempPathFactory, own_pg_url: str
) -> None:
    """PostgreSQL refuses more than SQLite (NUL characters, integer ranges, text lengths)."""
    with running_server(tmp_path_factory.mktemp("fuzz-pg"), database_url=own_pg_url) as srv:
        _authenticated_run(srv)


def test_openapi_document_lists_the_sync_api(fuzz_server: ServerProc, tmp_path: Path) -> None:
    import httpx

    doc = httpx.get(f"{fuzz_server.api}/openapi.json").json()
    assert {"/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/auth/enroll"} <= set(doc["paths"])
