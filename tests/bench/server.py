"""Benchmark of the sync server: a real ``yorisoi-server serve`` (uvicorn) on PostgreSQL.

    .venv/bin/python -m tests.bench.server [--rows 100000] [--devices 20] [--workers 2] [--json]

Measured in one run against one fresh database (the server runs ``--workers 2`` by default):
- push of N rows (batches of 2,000) and pull of them from cursor 0 (pages of 5,000), rows/s;
- the baseline: raw psycopg ``executemany`` of the same rows (same shape: table, id, JSONB
  data, version, seq, owner) into a table of the same database, 10,000 rows per transaction;
- p50/p95 of an incremental sync (push 50 changes, then pull until caught up) while
  ``--devices`` devices sync at once.
Targets: push and pull >= 20,000 rows/s and within 3x of raw insert; incremental p95 <= 200 ms.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
import psycopg

from app.storage.models import new_id
from tests.serverproc import client_headers, running_server

PG = "host=127.0.0.1 port=5432 user=postgres"


def make_rows(n: int) -> list[dict[str, Any]]:
    """Outbox-shaped inserts: persons, households, cases and contact records, parents first."""
    quarter = n // 4
    persons = [
        {
            "op_id": new_id(),
            "table": "person",
            "row_id": new_id(),
            "op": "insert",
            "changes": {
                "name": [None, f"試験 {i}"],
                "kana": [None, "シケン"],
                "birth_date": [None, "1960-01-01"],
                "address": [None, "尼崎市内"],
            },
        }
        for i in range(quarter)
    ]
    households = [
        {
            "op_id": new_id(),
            "table": "household",
            "row_id": new_id(),
            "op": "insert",
            "changes": {"name": [None, f"試験さん世帯 {i}"], "situation": [None, "8050"]},
        }
        for i in range(quarter)
    ]
    cases = [
        {
            "op_id": new_id(),
            "table": "case",
            "row_id": new_id(),
            "op": "insert",
            "changes": {
                "case_number": [None, f"B{i:06d}"],
                "title": [None, "生活困窮"],
                "person_id": [None, persons[i]["row_id"]],
                "household_id": [None, households[i]["row_id"]],
                "issue_categories": [None, ["income", "debt"]],
                "consent_status": [None, "given"],
            },
        }
        for i in range(quarter)
    ]
    contacts = [
        {
            "op_id": new_id(),
            "table": "contact_record",
            "row_id": new_id(),
            "op": "insert",
            "changes": {
                "case_id": [None, cases[i % quarter]["row_id"]],
                "contact_at": [None, "2026-04-01T10:00:00"],
                "kind": [None, "visit"],
                "narrative": [None, "自宅を訪問し、生活状況を確認した。" * 3],
            },
        }
        for i in range(n - 3 * quarter)
    ]
    return persons + households + cases + contacts


def raw_insert_rate(dbname: str, rows: list[dict[str, Any]]) -> float:
    with psycopg.connect(f"{PG} dbname={dbname}") as conn:
        conn.execute(
            "CREATE TABLE bench_raw (table_name varchar(40), id varchar(36), data jsonb,"
            " version int, deleted bool, seq bigint UNIQUE, owner varchar(36),"
            " PRIMARY KEY (table_name, id))"
        )
        conn.commit()
        started = time.perf_counter()
        for start in range(0, len(rows), 10_000):
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO bench_raw VALUES (%s, %s, %s, 1, false, %s, %s)",
                    [
                        (
                            r["table"],
                            r["row_id"],
                            json.dumps({k: v[1] for k, v in r["changes"].items()}),
                            start + n,
                            r["changes"].get("case_id", [None, r["row_id"]])[1],
                        )
                        for n, r in enumerate(rows[start : start + 10_000])
                    ],
                )
            conn.commit()
        return len(rows) / (time.perf_counter() - started)


def push_all(api: str, headers: dict[str, str], rows: list[dict[str, Any]]) -> float:
    """Bodies are encoded and answers decoded with orjson, as the laptop client does (the
    stdlib json module would spend ~11 ms per 2,000-change body of this serial loop)."""
    headers = {**headers, "Content-Type": "application/json"}
    started = time.perf_counter()
    with httpx.Client(base_url=api, headers=headers, timeout=120) as http:
        for i in range(0, len(rows), 2000):
            body = orjson.dumps({"batch_id": new_id(), "changes": rows[i : i + 2000]})
            r = http.post("/sync/push", content=body)
            r.raise_for_status()
            bad = [x for x in orjson.loads(r.content)["results"] if x["status"] != "applied"]
            assert not bad, bad[:2]
    return len(rows) / (time.perf_counter() - started)


def pull_all(api: str, headers: dict[str, str]) -> tuple[float, int]:
    started = time.perf_counter()
    cursor, count = 0, 0
    with httpx.Client(base_url=api, headers=headers, timeout=120) as http:
        while True:
            r = http.get("/sync/pull", params={"cursor": cursor, "limit": 5000})
            body = orjson.loads(r.content)  # as the laptop client decodes pages
            count += len(body["records"])
            cursor = body["next_cursor"]
            if not body["has_more"]:
                break
    return count / (time.perf_counter() - started), count


class DeviceClient:
    """One device's keep-alive HTTP/1.1 connection: a plain socket, requests and answers
    framed by Content-Length, orjson bodies.

    The 20 devices of the incremental measurement run as threads of this process on the same
    two cores as the server: a lean client keeps the load generator from eating the CPU the
    server is measured on (stdlib ``http.client`` parses every answer's headers with the
    email package). Every sync is still a real HTTP push and pull over TCP."""

    def __init__(self, api: str, headers: dict[str, str]) -> None:
        url = urlsplit(api)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.prefix = url.path
        fields = {
            "Host": f"{self.host}:{self.port}",
            **headers,
            "Content-Type": "application/json",
        }
        self.head = "".join(f"{k}: {v}\r\n" for k, v in fields.items())
        self.sock: socket.socket | None = None
        self.buf = b""

    def _exchange(self, request: bytes) -> tuple[int, bytes]:
        if self.sock is None:
            self.sock = socket.create_connection((self.host, self.port), timeout=60)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buf = b""
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buf:
            self.buf += self._recv()
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        length = -1
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length < 0:
            raise RuntimeError(f"answer without Content-Length: {head[:200]!r}")
        while len(rest) < length:
            rest += self._recv()
        self.buf = rest[length:]
        return int(lines[0].split()[1]), rest[:length]

    def _recv(self) -> bytes:
        assert self.sock is not None
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise ConnectionResetError("connection closed by the server")
        return chunk

    def request(self, method: str, path: str, body: Any = None) -> Any:
        payload = orjson.dumps(body) if body is not None else b""
        request = (
            f"{method} {self.prefix}{path} HTTP/1.1\r\n{self.head}"
            f"Content-Length: {len(payload)}\r\n\r\n"
        ).encode() + payload
        try:
            status, data = self._exchange(request)
        except (BrokenPipeError, ConnectionResetError):
            # The server closed the idle keep-alive connection (e.g. while the other devices
            # were being set up): reconnect once, as any HTTP client does. A push is
            # idempotent by its op ids.
            self.close()
            status, data = self._exchange(request)
        if status != 200:
            raise RuntimeError(f"{method} {path}: HTTP {status} {data[:200]!r}")
        return orjson.loads(data)

    def pull_until_caught_up(self, cursor: int) -> int:
        while True:
            body = self.request("GET", f"/sync/pull?cursor={cursor}")
            cursor = body["next_cursor"]
            if not body["has_more"]:
                return int(cursor)

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None


def incremental(srv: Any, devices: int, rounds: int) -> list[float]:
    """Each device owns 50 cases; a sync = push 50 edits, then pull until caught up."""
    clients = []
    for d in range(devices):
        login = f"bench-{d}-{uuid.uuid4().hex[:6]}"
        srv.add_user(login, "outreach")
        dev = srv.enroll(login)
        client = DeviceClient(srv.api, client_headers(dev["token"]))
        cases = [
            {
                "op_id": new_id(),
                "table": "case",
                "row_id": new_id(),
                "op": "insert",
                "changes": {
                    "case_number": [None, f"I{d}-{i}"],
                    "title": [None, "見守り"],
                    "notes": [None, "0"],
                },
            }
            for i in range(50)
        ]
        client.request("POST", "/sync/push", {"changes": cases})
        cursor = client.pull_until_caught_up(0)
        clients.append((client, [c["row_id"] for c in cases], cursor))
    times: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(devices)

    def run(client: DeviceClient, ids: list[str], cursor: int) -> None:
        barrier.wait()
        for n in range(rounds):
            changes = [
                {
                    "op_id": new_id(),
                    "table": "case",
                    "row_id": i,
                    "op": "update",
                    "changes": {"notes": [str(n), str(n + 1)]},
                }
                for i in ids
            ]
            t0 = time.perf_counter()
            body = client.request("POST", "/sync/push", {"changes": changes})
            assert {x["status"] for x in body["results"]} == {"applied"}
            cursor = client.pull_until_caught_up(cursor)
            with lock:
                times.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=run, args=c) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for client, _, _ in clients:
        client.close()
    return times


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--devices", type=int, default=20)
    p.add_argument("--rounds", type=int, default=10)
    p.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    dbname = f"yorisoi_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{PG} dbname=postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{dbname}"')
    try:
        rows = make_rows(args.rows)
        with (
            tempfile.TemporaryDirectory() as tmp,
            running_server(
                Path(tmp),
                database_url=f"postgresql+psycopg://postgres@127.0.0.1:5432/{dbname}",
                workers=args.workers,
            ) as srv,
        ):
            raw = raw_insert_rate(dbname, rows)
            pusher = srv.enroll(srv.add_user("bench-admin", "admin")["login"])
            push_rate = push_all(srv.api, client_headers(pusher["token"]), rows)
            puller = srv.enroll("bench-admin", "puller")
            pull_rate, pulled = pull_all(srv.api, client_headers(puller["token"]))
            times = incremental(srv, args.devices, args.rounds)
    finally:
        with psycopg.connect(f"{PG} dbname=postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)] * 1000
    result = {
        "rows": args.rows,
        "workers": args.workers,
        "raw_insert_rows_per_s": round(raw),
        "push_rows_per_s": round(push_rate),
        "pull_rows_per_s": round(pull_rate),
        "pulled_records": pulled,
        "push_vs_raw": round(raw / push_rate, 2),
        "pull_vs_raw": round(raw / pull_rate, 2),
        "incremental_devices": args.devices,
        "incremental_samples": len(times),
        "incremental_p50_ms": round(statistics.median(times) * 1000, 1),
        "incremental_p95_ms": round(p95, 1),
    }
    result["targets_met"] = (
        push_rate >= 20_000
        and pull_rate >= 20_000
        and result["push_vs_raw"] <= 3
        and result["pull_vs_raw"] <= 3
        and p95 <= 200
    )
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{'measure':32} {'value':>12}  target")
        print(
            f"{'raw executemany insert rows/s':32} {result['raw_insert_rows_per_s']:>12}  baseline"
        )
        print(
            f"{'push rows/s':32} {result['push_rows_per_s']:>12}  >= 20000, raw/push {result['push_vs_raw']} <= 3"
        )
        print(
            f"{'pull rows/s':32} {result['pull_rows_per_s']:>12}  >= 20000, raw/pull {result['pull_vs_raw']} <= 3"
        )
        print(f"{'incremental p50 ms':32} {result['incremental_p50_ms']:>12}")
        print(
            f"{'incremental p95 ms':32} {result['incremental_p95_ms']:>12}  <= 200 ({args.devices} devices)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
