"""Benchmark of the laptop's sync client against a real ``yorisoi-server`` (uvicorn) process.

    .venv/bin/python -m tests.bench.sync [--persons 100000] [--sqlite] [--json]

For quick work on the incremental sync, a small first sync: ``--persons 5000 --rounds 40``;
``YORISOI_BENCH_PROFILE=/tmp/inc.prof`` writes a cProfile of the client's incremental syncs,
``YORISOI_BENCH_PROFILE_FIRST=/tmp/first.prof`` one of its first sync.

Measured in one run:
- first sync of 100,000 persons, 45,000 households, 100,000 cases and 300,000 contact records
  (545,000 rows) into an empty encrypted client, end to end (HTTP pull, decode, bulk apply with
  the search index, cursor per page), in rows/s, in a separate client process whose peak
  resident memory is reported;
- the baseline in the same run: raw ``executemany`` of the same rows (prepared tuples) into the
  same tables of an empty encrypted database, 10,000 rows per transaction;
- incremental sync of 100 changed records of all kinds (person, household and case edits, new
  contact records, made by another device), p50/p95 over 20 rounds, run by the same client
  process (its heap is a client's, not the benchmark's generated rows); peak memory is that
  process's own (``VmHWM`` on Linux: ``ru_maxrss`` would include the parent's size at fork).
Targets (issue 5): first sync >= 30,000 rows/s; incremental p95 <= 75 ms; client peak <= 300 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from app.protocol.ids import new_id
from tests.bench.common import report, summary_ms
from tests.serverproc import client_headers, start_server
from tests.sync.helpers import PASSPHRASE, new_client

PG = "host=127.0.0.1 port=5432 user=postgres"
SURNAMES = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤"]
GIVEN = ["花子", "太郎", "陽子", "健一", "美咲", "翔太", "裕子", "大輔", "恵", "誠"]


def _ins(table: str, values: dict[str, Any]) -> dict[str, Any]:
    return {"op_id": new_id(), "table": table, "row_id": new_id(), "op": "insert",
            "changes": {k: [None, v] for k, v in values.items()}}  # fmt: skip


def make_rows(persons: int, staff_id: str) -> list[dict[str, Any]]:
    households = persons * 45 // 100
    hh = [_ins("household", {"name": f"{SURNAMES[i % 10]}さん世帯",
                             "address": f"尼崎市東難波町{i % 9 + 1}丁目{i % 30 + 1}番"})
          for i in range(households)]  # fmt: skip
    people = [_ins("person", {"name": f"{SURNAMES[i % 10]} {GIVEN[(i // 10) % 10]}",
                              "kana": "やまだ はなこ", "birth_date": f"19{40 + i % 60}-0{i % 9 + 1}-15",
                              "sex": "female" if i % 2 else "male", "phone": f"06-{i % 10000:04d}-{i % 7777:04d}",
                              "address": f"尼崎市東難波町{i % 9 + 1}丁目"})
              for i in range(persons)]  # fmt: skip
    cases = [_ins("case", {"case_number": f"2026-{i:06d}", "title": "生活費が足りない、通院が途絶えている",
                           "household_id": hh[i % households]["row_id"], "person_id": people[i]["row_id"],
                           "status": "supporting", "urgency": "medium", "consent_status": "given",
                           "issue_categories": ["income", "health_disability"], "opened_on": "2026-04-01",
                           "assigned_staff_id": staff_id, "consent_agency_ids": []})
             for i in range(persons)]  # fmt: skip
    contacts = [_ins("contact_record", {"case_id": cases[i % persons]["row_id"],
                                        "person_id": people[i % persons]["row_id"], "staff_id": staff_id,
                                        "contact_at": f"2026-05-{i % 28 + 1:02d}T10:00:00.000000", "kind": "visit",
                                        "place": "自宅", "narrative": "自宅を訪問。本人と面会し、最近の生活について話を聞いた。",
                                        "next_action": "再訪問"})
                for i in range(persons * 3)]  # fmt: skip
    return hh + people + cases + contacts


def push(http: httpx.Client, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), 2000):
        r = http.post("/sync/push", json={"batch_id": new_id(), "changes": rows[i : i + 2000]})
        r.raise_for_status()
        bad = [x for x in r.json()["results"] if x["status"] != "applied"]
        assert not bad, bad[:2]


def raw_baseline(path: Path, rows: list[dict[str, Any]]) -> float:
    """Rows/s of plain executemany of the same rows into empty encrypted tables."""
    from app.sync.codec import codec

    store = new_client(path)
    stamp = dt.datetime(2026, 11, 1).isoformat(timespec="microseconds")
    by_table: dict[str, list[list[Any]]] = {}
    for r in rows:
        data = {k: v[1] for k, v in r["changes"].items()}
        data.update(created_at=stamp, updated_at=stamp, version=1, deleted=False)
        by_table.setdefault(r["table"], []).append(codec(r["table"]).row(r["row_id"], data))
    try:
        with store.raw() as raw:
            conn = raw.driver_connection
            conn.execute("PRAGMA foreign_keys = OFF")
            started = time.perf_counter()
            for table, tuples in by_table.items():
                c = codec(table)
                sql = (f'INSERT INTO "{table}" ({", ".join(chr(34) + x + chr(34) for x in c.columns)}) '
                       f'VALUES ({", ".join("?" * len(c.columns))})')  # fmt: skip
                for i in range(0, len(tuples), 10_000):
                    conn.execute("BEGIN")
                    conn.executemany(sql, tuples[i : i + 10_000])
                    conn.execute("COMMIT")
            return len(rows) / (time.perf_counter() - started)
    finally:
        store.lock()


def peak_rss_mb() -> float:
    """Peak resident memory of this process. On Linux ``VmHWM`` of /proc/self/status: unlike
    ``ru_maxrss`` it is not inherited from the parent across fork and exec (the parent holds the
    whole data set, so ``ru_maxrss`` would report the parent's size, not the client's)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    from tests.bench.pdf import peak_rss_mb as fallback

    return fallback()


def current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(db: str, page: int) -> int:
    """Runs in the client process: one first sync, its own peak memory, then one incremental
    sync per ``sync`` line on stdin (the parent pushes the changes in between), so the client's
    heap is a client's heap and not the benchmark's 545,000 generated rows."""
    from app.storage.lifecycle import open_database
    from app.sync.engine import SyncEngine

    store = open_database(Path(db), PASSPHRASE)
    first_profile = os.environ.get("YORISOI_BENCH_PROFILE_FIRST")  # cProfile the first sync
    if first_profile:
        import cProfile

        first = cProfile.Profile()
        first.enable()
    started = time.perf_counter()
    trace = None
    if os.environ.get("YORISOI_BENCH_TRACE_RSS"):  # resident memory per pulled page, on stderr

        def trace(p: Any) -> None:
            if p.phase == "pull":
                print(f"pulled {p.done} rss {current_rss_mb():.0f} MB", file=sys.stderr)

    summary = SyncEngine(store, page_limit=page, progress=trace).run()
    seconds = time.perf_counter() - started
    if first_profile:
        first.disable()
        first.dump_stats(first_profile)
    print(json.dumps({"rows": summary.pulled, "pages": summary.pages, "seconds": seconds,
                      "peak_rss_mb": round(peak_rss_mb(), 1)}), flush=True)  # fmt: skip
    profile_to = os.environ.get("YORISOI_BENCH_PROFILE")  # cProfile the incremental syncs
    prof = None
    if profile_to:
        import cProfile

        prof = cProfile.Profile()
    spent = _trace_phases() if os.environ.get("YORISOI_BENCH_TRACE_PHASES") else None
    for line in sys.stdin:
        if line.strip() != "sync":
            break
        if spent is not None:
            spent.clear()
        t = time.perf_counter()
        if prof is not None:
            prof.enable()
        s = SyncEngine(store).run()
        if prof is not None:
            prof.disable()
        seconds = time.perf_counter() - t
        if spent is not None:  # where an incremental sync's time went, on stderr
            parts = " ".join(f"{k} {v * 1000:.0f}" for k, v in sorted(spent.items()))
            print(f"sync {seconds * 1000:.0f} ms: {parts}", file=sys.stderr)
        print(json.dumps({"seconds": seconds, "pulled": s.pulled}), flush=True)
    if prof is not None and profile_to:
        prof.dump_stats(profile_to)
    store.lock()
    return 0


def _io_counters() -> dict[str, int]:
    fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    return {k: int(fields[k]) for k in ("syscw", "wchar", "write_bytes")}


def _trace_phases() -> dict[str, float]:
    """Time of each incremental sync spent in HTTP calls (server and network, by path) and
    in the client's SQLite write transactions (their bodies and their COMMITs)."""
    import contextlib

    from app.sync import apply, transport

    spent: dict[str, float] = {}

    def add(key: str, since: float) -> None:
        spent[key] = spent.get(key, 0.0) + time.perf_counter() - since

    call = transport.Transport._call

    def timed_call(self: Any, method: str, path: str, *a: Any, **kw: Any) -> Any:
        t = time.perf_counter()
        try:
            return call(self, method, path, *a, **kw)
        finally:
            add("http" + path.split("?")[0].replace("/sync", ""), t)

    transport.Transport._call = timed_call  # type: ignore[method-assign]
    original = apply.write_transaction

    @contextlib.contextmanager
    def timed_transaction(store: Any) -> Any:
        t0 = time.perf_counter()
        with original(store) as conn:
            t = time.perf_counter()
            yield conn
            add("sqlite-body", t)
            t = time.perf_counter()
            io = _io_counters()
        add("sqlite-commit", t)
        add("sqlite-all", t0)
        after = _io_counters()
        for key in after:
            spent[f"commit-{key}"] = spent.get(f"commit-{key}", 0.0) + (after[key] - io[key]) / 1000
        wal = Path(str(store.path) + "-wal")
        spent["wal-kB"] = (wal.stat().st_size if wal.exists() else 0) / 1000

    apply.write_transaction = timed_transaction  # type: ignore[assignment]
    return spent


def changes_round(rows: list[dict[str, Any]], k: int, staff_id: str) -> list[dict[str, Any]]:
    """100 changes of all kinds: 25 person, 25 household and 25 case edits, 25 new visits."""
    by = {t: [r for r in rows if r["table"] == t] for t in ("person", "household", "case")}
    out = []
    for table, field in (("person", "notes"), ("household", "situation"), ("case", "notes")):
        for j in range(25):
            r = by[table][(k * 25 + j) % len(by[table])]
            prev = r["changes"].get(field, [None, None])[1]
            new = f"第{k}回の変更 {j}"
            r["changes"][field] = [None, new]
            out.append({"op_id": new_id(), "table": table, "row_id": r["row_id"], "op": "update",
                        "changes": {field: [prev, new]}})  # fmt: skip
    for j in range(25):
        out.append(_ins("contact_record", {"case_id": by["case"][j]["row_id"], "staff_id": staff_id,
                                           "contact_at": "2026-11-01T09:00:00.000000", "kind": "phone",
                                           "narrative": f"電話で近況を確認 {k}-{j}"}))  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--page", type=int, default=5000)
    ap.add_argument("--sqlite", action="store_true", help="server on SQLite instead of PostgreSQL")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args.child, args.page)

    work = Path(tempfile.mkdtemp(prefix="yorisoi-bench-sync-"))
    db_url = None
    dbname = f"yorisoi_bench_sync_{uuid.uuid4().hex[:8]}"
    if not args.sqlite:
        import psycopg

        with psycopg.connect(f"{PG} dbname=postgres", autocommit=True) as c:
            c.execute(f"CREATE DATABASE {dbname}")
        db_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{dbname}"
    srv = start_server(work / "server", db_url)
    try:
        from tests.sync.server_side import Admin
        from tests.sync.world import new_laptop

        admin = Admin.create(srv, "benchadmin")
        loader = admin.add_user("loader", "admin")
        token = srv.enroll("loader")["token"]
        http = httpx.Client(base_url=srv.api, headers=client_headers(token), timeout=300)
        rows = make_rows(args.persons, loader["staff_id"])
        t = time.perf_counter()
        push(http, rows)
        load_s = time.perf_counter() - t
        baseline = raw_baseline(work / "baseline.db", rows)

        laptop = new_laptop(admin, work, "reader", "admin")
        laptop.close()
        env = {**os.environ, "YORISOI_HOME": str(work / "home")}
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "tests.bench.sync", "--child",
                                 str(laptop.path), "--page", str(args.page)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                env=env)  # fmt: skip
        assert proc.stdin is not None and proc.stdout is not None
        try:
            first = json.loads(proc.stdout.readline())
            wall = time.perf_counter() - t
            rate = first["rows"] / first["seconds"]
            times = []
            for k in range(args.rounds):
                push(http, changes_round(rows, k, loader["staff_id"]))
                proc.stdin.write("sync\n")
                proc.stdin.flush()
                answer = json.loads(proc.stdout.readline())
                assert answer["pulled"] >= 100, answer
                times.append(answer["seconds"])
            proc.stdin.close()
            if proc.wait(timeout=60) != 0:
                raise RuntimeError("the client process failed")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        inc = summary_ms(times)
        data = {
            "rows": len(rows), "server_load_rows_per_s": round(len(rows) / load_s),
            "first_sync_rows_per_s": round(rate), "first_sync_seconds": round(first["seconds"], 2),
            "first_sync_wall_seconds_with_process_start": round(wall, 2),
            "first_sync_pages": first["pages"], "raw_executemany_rows_per_s": round(baseline),
            "ratio_to_raw": round(rate / baseline, 3), "client_peak_rss_mb": first["peak_rss_mb"],
            "incremental_100": inc, "server_db": "sqlite" if args.sqlite else "postgresql",
        }  # fmt: skip
        report("Sync client benchmark (issue 5)", [
            ("rows", len(rows), "100k persons, 45k households, 100k cases, 300k contacts"),
            ("first sync rows/s", round(rate), "target >= 30,000 (PouchDB 3,900-6,200)"),
            ("raw executemany rows/s", round(baseline), "same rows, same run (baseline)"),
            ("ratio to raw", round(rate / baseline, 3), ""),
            ("client peak RSS MB", first["peak_rss_mb"], "target <= 300 (PouchDB 170-270)"),
            ("incremental 100 p50 ms", inc["p50_ms"], ""),
            ("incremental 100 p95 ms", inc["p95_ms"], "target <= 75 (PouchDB 74)"),
        ], data, args.json)  # fmt: skip
        http.close()
    finally:
        srv.stop()
        shutil.rmtree(work, ignore_errors=True)  # the two databases: ~600 MB at 545k rows
        if not args.sqlite:
            import psycopg

            with psycopg.connect(f"{PG} dbname=postgres", autocommit=True) as c:
                c.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
