"""``serve --workers 2`` on Linux: each worker listens on a SO_REUSEPORT socket of its own, so
new connections spread over both (app.server.workers), seen from outside over real HTTP."""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

import httpx
import pytest

from tests.serverproc import running_server

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT")


def _listening_sockets(port: int) -> int:
    """LISTEN entries for ``port`` in the kernel's TCP table (state 0A)."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
            count += 1
    return count


def test_two_workers_each_listen_and_both_serve(tmp_path: Path) -> None:
    with running_server(tmp_path, workers=2) as srv:
        assert _listening_sockets(srv.port) == 2  # one shared socket would be 1
        n = 60
        for _ in range(n):  # a new connection each time (no client kept)
            r = httpx.get(f"{srv.api}/health", headers={"Connection": "close"}, timeout=30)
            assert r.status_code == 200
        served = collections.Counter(
            rec["pid"]
            for rec in (json.loads(x) for x in srv.log_text().splitlines() if x.startswith("{"))
            if rec.get("event") == "http" and rec.get("route", "").endswith("/health")
        )
        assert srv.process is not None and srv.process.pid not in served  # workers, not parent
        assert len(served) == 2, served
        # The connection hash spreads them: below 15 of 60 has a chance of about 1 in 20,000.
        assert min(served.values()) >= 15, served


def test_a_port_in_use_is_one_clear_line_not_a_supervisor_loop(tmp_path: Path) -> None:
    """The parent reserves the port before any worker starts: a port another program holds
    fails at once, not in every worker the supervisor would restart."""
    import os
    import socket
    import subprocess

    from tests.serverproc import free_port, server_command

    port = free_port()
    with socket.socket() as other:
        other.bind(("127.0.0.1", port))
        other.listen()
        env = {**os.environ, "YORISOI_HOME": str(tmp_path / "home")}
        env.pop("YORISOI_DATABASE_URL", None)
        r = subprocess.run(
            [*server_command(), "--database-url", f"sqlite:///{(tmp_path / 's.db').as_posix()}",
             "serve", "--migrate", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
    assert r.returncode == 1, r.stderr
    assert f"127.0.0.1:{port}" in r.stderr and "Traceback" not in r.stderr
    assert len([x for x in r.stderr.splitlines() if x.strip()]) == 1, r.stderr
