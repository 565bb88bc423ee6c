"""Fixtures for the server tests: real server processes over HTTP, SQLite or PostgreSQL.

PostgreSQL (127.0.0.1:5432, user postgres) gets a fresh, uniquely named database per test
session, dropped afterwards. Unreachable PostgreSQL skips those tests outside CI and FAILS
them when the CI environment variable is set.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.protocol.ids import new_id
from tests.serverproc import ServerProc, client_headers, running_server

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def _pg_connect(dbname: str = "postgres") -> Any:
    import psycopg

    return psycopg.connect(
        f"host=127.0.0.1 port=5432 user=postgres dbname={dbname}",
        autocommit=True,
        connect_timeout=3,
    )


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    try:
        conn = _pg_connect()
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and unreachable: {type(exc).__name__}")
        pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432 (outside CI)")
    name = f"yorisoi_test_{uuid.uuid4().hex[:12]}"
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with _pg_connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProc]:
    with running_server(tmp_path_factory.mktemp("srv-sqlite")) as srv:
        yield srv


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory, pg_url: str) -> Iterator[ServerProc]:
    with running_server(tmp_path_factory.mktemp("srv-pg"), database_url=pg_url) as srv:
        yield srv


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest) -> ServerProc:
    name = "sqlite_server" if request.param == "sqlite" else "pg_server"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


class Laptop:
    """A device as the sync client sees the server: its token, its cursor, its records."""

    def __init__(self, srv: ServerProc, enrolled: dict[str, Any]) -> None:
        self.srv = srv
        self.device_id: str = enrolled["device_id"]
        self.token: str = enrolled["token"]
        self.staff_id: str = enrolled["staff"]["id"]
        self.cursor = 0
        self.records: dict[tuple[str, str], dict[str, Any]] = {}
        self.purged: list[str] = []
        self.http = httpx.Client(base_url=srv.api, timeout=30)

    def headers(self) -> dict[str, str]:
        return client_headers(self.token)

    def push(self, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        r = self.http.post(
            "/sync/push", json={"batch_id": new_id(), "changes": changes}, headers=self.headers()
        )
        assert r.status_code == 200, r.text
        return list(r.json()["results"])

    def pull_page(self, limit: int | None = None) -> dict[str, Any]:
        params = {"cursor": self.cursor} | ({"limit": limit} if limit else {})
        r = self.http.get("/sync/pull", params=params, headers=self.headers())
        assert r.status_code == 200, r.text
        body = r.json()
        for rec in body["records"]:
            self.records[(rec["table"], rec["id"])] = rec["data"]
        for p in body["purge"]:
            self.purged.append(p["case_id"])
        self.cursor = body["next_cursor"]
        return dict(body)

    def sync(self, limit: int | None = None) -> int:
        pages = 0
        while True:
            pages += 1
            if not self.pull_page(limit)["has_more"]:
                return pages

    def sees(self, table: str, row_id: str) -> bool:
        return (table, row_id) in self.records


def laptop(srv: ServerProc, role: str, **kw: Any) -> Laptop:
    login = f"{role[:5]}{uuid.uuid4().hex[:8]}"
    srv.add_user(login, role, **kw)
    return Laptop(srv, srv.enroll(login))


def insert(table: str, row_id: str | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "op_id": new_id(),
        "table": table,
        "row_id": row_id or new_id(),
        "op": "insert",
        "changes": {k: [None, v] for k, v in fields.items()},
    }


def update(table: str, row_id: str, **fields: tuple[Any, Any]) -> dict[str, Any]:
    return {
        "op_id": new_id(),
        "table": table,
        "row_id": row_id,
        "op": "update",
        "changes": {k: list(v) for k, v in fields.items()},
    }


def delete(table: str, row_id: str, **fields: tuple[Any, Any]) -> dict[str, Any]:
    return {
        "op_id": new_id(),
        "table": table,
        "row_id": row_id,
        "op": "delete",
        "changes": {k: list(v) for k, v in fields.items()},
    }


def new_case(**fields: Any) -> dict[str, Any]:
    base = {
        "case_number": f"R{uuid.uuid4().hex[:6]}",
        "title": "生活困窮の相談",
        "status": "received",
        "urgency": "medium",
        "consent_status": "given",
        "issue_categories": ["income"],
    }
    return insert("case", **(base | fields))


@pytest.fixture
def tmp_server(tmp_path: Path) -> Iterator[ServerProc]:
    with running_server(tmp_path) as srv:
        yield srv
