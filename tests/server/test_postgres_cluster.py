"""Two server processes on one PostgreSQL database: stateless servers, and a pull cursor that
never skips a batch committed late while others push concurrently through both."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.conftest import Laptop, laptop, new_case
from tests.serverproc import ServerProc, running_server

pytestmark = pytest.mark.postgres


@pytest.fixture
def second_pg_server(pg_server: ServerProc, tmp_path: Path) -> Iterator[ServerProc]:
    with running_server(tmp_path, database_url=pg_server.database_url) as srv:
        yield srv


def test_sync_through_two_processes(pg_server: ServerProc, second_pg_server: ServerProc) -> None:
    writer = laptop(pg_server, "admin")
    reader = Laptop(
        second_pg_server, pg_server.enroll(pg_server.add_user("second-reader", "admin")["login"])
    )
    case = new_case()
    assert writer.push([case])[0]["status"] == "applied"
    reader.sync()
    assert reader.sees("case", case["row_id"])
    # A token issued through one process is revoked through the other.
    pg_server.cli("device", "revoke", reader.device_id)
    r = reader.http.get("/sync/status", headers=reader.headers())
    assert r.status_code == 403 and r.json()["error"] == "device_revoked"


def test_concurrent_pushes_through_both_are_never_skipped(
    pg_server: ServerProc, second_pg_server: ServerProc
) -> None:
    pushers = [laptop(pg_server if i % 2 else second_pg_server, "admin") for i in range(4)]
    follower = laptop(second_pg_server, "admin")
    follower.sync()
    pushed: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def push_many(dev: Laptop) -> None:
        for _ in range(15):
            batch = [new_case() for _ in range(20)]
            assert {r["status"] for r in dev.push(batch)} == {"applied"}
            with lock:
                pushed.extend(c["row_id"] for c in batch)

    def follow() -> None:
        while not stop.is_set():
            follower.pull_page(limit=37)

    threads = [threading.Thread(target=push_many, args=(d,)) for d in pushers]
    tail = threading.Thread(target=follow)
    tail.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    tail.join()
    follower.sync()
    seen = {i for t, i in follower.records if t == "case"}
    missing = set(pushed) - seen
    assert len(pushed) == 4 * 15 * 20 and not missing
