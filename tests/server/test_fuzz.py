"""Fuzzing the real server with schemathesis from its own OpenAPI document: whatever the
input, the answer is never a 5xx. Bounded: at most 15 examples per operation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.serverproc import ServerProc, running_server


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    with running_server(tmp_path_factory.mktemp("fuzz")) as srv:
        yield srv


def test_no_input_makes_a_server_error(fuzz_server: ServerProc) -> None:
    # schemathesis' pytest plugin does not run under pytest 9: drive its strategies directly.
    from hypothesis import given

    srv = fuzz_server
    schema = schemathesis.openapi.from_url(f"{srv.api}/openapi.json")
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 10
    failures: list[tuple[str, str, int]] = []
    for op in operations:

        @given(case=op.as_strategy())
        @settings(
            max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None
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


def test_openapi_document_lists_the_sync_api(fuzz_server: ServerProc, tmp_path: Path) -> None:
    import httpx

    doc = httpx.get(f"{fuzz_server.api}/openapi.json").json()
    assert {"/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/auth/enroll"} <= set(doc["paths"])
