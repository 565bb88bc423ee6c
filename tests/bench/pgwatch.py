"""What the database and the machine did during a benchmark's measured window, to explain a tail.

    with PgWatch("yorisoi_bench_x", server_pids=[...]) as watch:
        ...                                  # the measured work
    watch.report()                           # a JSON-able dict

- pg_stat_activity sampled every ``interval`` seconds on its own connection: for the bench's
  database, how often its backends were seen active and on which wait event (Lock:tuple on the
  counter row, LWLock:WALWrite, IO:WALSync, ...), and whether an autovacuum worker or an
  ANALYZE ran there; autovacuum workers of other databases of the cluster (the machine is
  shared) are counted too;
- cluster counters before and after: checkpoints (timed and requested: a ``DROP DATABASE``
  anywhere on the cluster forces an immediate one), WAL bytes, full-page images and fsyncs;
- the PostgreSQL server log's checkpoint lines inside the window, when the log is readable;
- the machine's CPU (busy and iowait, from /proc/stat), the CPU seconds the server processes
  used, and the load average.
Nothing here changes what is measured except the sampling connection's own few queries.
"""

from __future__ import annotations

import glob
import os
import re
import threading
import time
from collections import Counter
from typing import Any

import psycopg

PG = "host=127.0.0.1 port=5432 user=postgres"

_ACTIVITY = """
SELECT datname = %(db)s, backend_type, state, wait_event_type, wait_event, left(query, 40)
FROM pg_stat_activity
WHERE pid <> pg_backend_pid()
  AND (datname = %(db)s OR backend_type IN ('autovacuum worker', 'checkpointer'))
"""
_COUNTERS = """
SELECT b.checkpoints_timed, b.checkpoints_req, b.checkpoint_sync_time, b.checkpoint_write_time,
       w.wal_bytes, w.wal_fpi, w.wal_sync, w.wal_buffers_full
FROM pg_stat_bgwriter b, pg_stat_wal w
"""
_COUNTER_NAMES = (
    "checkpoints_timed",
    "checkpoints_req",
    "checkpoint_sync_ms",
    "checkpoint_write_ms",
    "wal_bytes",
    "wal_fpi",
    "wal_fsyncs",
    "wal_buffers_full",
)


def _cpu_times() -> tuple[float, float, float]:
    """(busy, iowait, total) jiffies of the whole machine."""
    with open("/proc/stat", encoding="ascii") as f:
        fields = [float(x) for x in f.readline().split()[1:]]
    user, nice, system, idle, iowait = fields[:5]
    rest = sum(fields[5:8])  # irq, softirq, steal
    return user + nice + system + rest, iowait, sum(fields[:8])


def _proc_cpu(pids: list[int]) -> float:
    """CPU seconds used so far by these processes (children included, if alive)."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is a dev dependency here
        return float("nan")
    total = 0.0
    for pid in pids:
        try:
            p = psutil.Process(pid)
            for q in [p, *p.children(recursive=True)]:
                t = q.cpu_times()
                total += t.user + t.system
        except psutil.Error:
            continue
    return total


class PgWatch:
    def __init__(self, dbname: str, server_pids: list[int] | None = None, interval: float = 0.02):
        self.dbname = dbname
        self.pids = server_pids or []
        self.interval = interval
        self.waits: Counter[str] = Counter()
        self.samples = 0
        self.active = 0
        self.autovacuum_here: Counter[str] = Counter()
        self.autovacuum_elsewhere = 0
        self.analyse_here = 0
        self.checkpointer_busy = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> PgWatch:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _counters(self) -> dict[str, float]:
        with psycopg.connect(f"{PG} dbname=postgres", autocommit=True) as c:
            row = c.execute(_COUNTERS).fetchone()
        assert row is not None
        return dict(zip(_COUNTER_NAMES, (float(x) for x in row), strict=True))

    def start(self) -> None:
        self.t0_wall = time.time()
        self.t0 = time.perf_counter()
        self.c0 = self._counters()
        self.cpu0 = _cpu_times()
        self.proc0 = _proc_cpu(self.pids)
        self.load0 = os.getloadavg()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        with psycopg.connect(f"{PG} dbname=postgres", autocommit=True) as conn:
            while not self._stop.is_set():
                rows = conn.execute(_ACTIVITY, {"db": self.dbname}).fetchall()
                self.samples += 1
                for here, kind, state, wtype, wevent, query in rows:
                    if kind == "autovacuum worker":
                        if here:
                            self.autovacuum_here[(query or "").strip()[:40]] += 1
                        else:
                            self.autovacuum_elsewhere += 1
                        continue
                    if kind == "checkpointer":
                        # Idle checkpointers wait on CheckpointerMain; anything else is work.
                        if wevent != "CheckpointerMain":
                            self.checkpointer_busy += 1
                        continue
                    if not here or state != "active":
                        continue
                    self.active += 1
                    if (query or "").lstrip().upper().startswith("ANALYZE"):
                        self.analyse_here += 1
                    self.waits[f"{wtype}:{wevent}" if wtype else "CPU"] += 1
                self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.seconds = time.perf_counter() - self.t0
        self.t1_wall = time.time()
        self.c1 = self._counters()
        self.cpu1 = _cpu_times()
        self.proc1 = _proc_cpu(self.pids)
        self.load1 = os.getloadavg()

    def report(self) -> dict[str, Any]:
        busy = self.cpu1[0] - self.cpu0[0]
        iowait = self.cpu1[1] - self.cpu0[1]
        total = max(1.0, self.cpu1[2] - self.cpu0[2])
        delta = {k: round(self.c1[k] - self.c0[k], 1) for k in _COUNTER_NAMES}
        n = max(1, self.samples)
        return {
            "seconds": round(self.seconds, 2),
            "samples": self.samples,
            "active_backends_mean": round(self.active / n, 2),
            # share of samples x backends: where the bench's backends spent their time
            "waits": {k: round(v / n, 3) for k, v in self.waits.most_common(8)},
            "autovacuum_in_db": {k: round(v / n, 2) for k, v in self.autovacuum_here.items()},
            "autovacuum_elsewhere": round(self.autovacuum_elsewhere / n, 2),
            "analyse_in_db": round(self.analyse_here / n, 2),
            "checkpointer_busy": round(self.checkpointer_busy / n, 2),
            "cluster": delta,
            "checkpoints_logged": checkpoints_logged(self.t0_wall, self.t1_wall),
            "machine_busy_pct": round(100 * busy / total, 1),
            "machine_iowait_pct": round(100 * iowait / total, 1),
            "server_cpu_s": round(self.proc1 - self.proc0, 2),
            "load_average": [round(x, 2) for x in self.load1],
        }


_CKPT = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) UTC .*checkpoint (starting|complete): (.*)$"
)


def checkpoints_logged(t0: float, t1: float) -> list[str] | None:
    """Checkpoint lines of the PostgreSQL log between t0 and t1 (Unix time), or None when no
    log is readable. A checkpoint that started before t0 and completed inside counts."""
    paths = sorted(glob.glob("/var/log/postgresql/postgresql-*.log"))
    if not paths:
        return None
    import datetime as dt

    out: list[str] = []
    try:
        with open(paths[-1], encoding="utf-8", errors="replace") as f:
            for line in f:
                m = _CKPT.match(line)
                if not m:
                    continue
                at = dt.datetime.fromisoformat(m.group(1)).replace(tzinfo=dt.UTC).timestamp()
                if t0 - 1 <= at <= t1 + 1:
                    what = m.group(3)
                    if m.group(2) == "complete":
                        total = re.search(r"total=([\d.]+ s)", what)
                        what = f"complete, total {total.group(1) if total else '?'}"
                    out.append(f"{m.group(1)[11:23]} {m.group(2)}: {what[:60]}")
    except OSError:
        return None
    return out


def connection_owners(port: int) -> dict[int, int]:
    """Client port -> pid of the server process that accepted it, for connections to
    127.0.0.1:``port`` (from ``ss -tnp``; empty when ss is missing)."""
    import subprocess

    try:
        out = subprocess.run(
            ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    owners: dict[int, int] = {}
    for line in out.splitlines():
        parts = line.split()
        m = re.search(r"pid=(\d+)", line)
        if len(parts) >= 4 and m:
            peer = parts[3].rsplit(":", 1)[-1]
            if peer.isdigit():
                owners[int(peer)] = int(m.group(1))
    return owners
