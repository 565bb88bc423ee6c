"""Benchmark of the encrypted local store, beside the same code on an unencrypted database.

    .venv/bin/python -m tests.bench.store [--persons 100000] [--json]

Builds demo data (100,000 persons, ~45,000 households, 100,000 cases, ~300,000 contact records),
then measures cold open-and-unlock, search p50/p95 over 200 varied queries, and case-detail load
p95 — on SQLCipher and on plain SQLite built by the same code, reporting the ratio.
Targets: search p95 <= 30 ms, case detail p95 <= 20 ms, open and unlock <= 1 s,
encrypted/plain <= 1.5 for search.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.domain.records import CaseFilter
from app.services import cases
from app.services.demo import build_demo
from app.services.profile import current_actor
from app.storage.lifecycle import create_database, open_database
from app.storage.models import Case, Person
from tests.bench.common import report, summary_ms

PASS = "benchmark passphrase for a throwaway database"


def make_queries(store: Any, n: int, rnd: random.Random) -> list[str]:
    import jaconv

    with store.session() as s:
        people = list(
            s.execute(select(Person.name, Person.kana, Person.phone, Person.address).limit(5000))
        )
    queries: list[str] = []
    while len(queries) < n:
        name, kana, phone, address = rnd.choice(people)
        kind = len(queries) % 8
        last_kana = (kana or "").split(" ")[0]
        if kind == 0:
            queries.append(jaconv.kata2hira(last_kana))  # やまだ
        elif kind == 1:
            queries.append(last_kana)  # ヤマダ
        elif kind == 2:
            queries.append(jaconv.z2h(last_kana, kana=True))  # ﾔﾏﾀﾞ
        elif kind == 3:
            queries.append(name.split(" ")[0])  # 山田
        elif kind == 4:
            queries.append(name)  # full name with a space
        elif kind == 5 and phone:
            queries.append(phone[:8])  # 090-1234
        elif kind == 6 and address:
            queries.append(address[2:6])  # part of an address
        else:
            queries.append(jaconv.kata2hira(kana or "")[:2])  # two kana, many hits
    return queries


def measure(path: Path, plain: bool, persons: int, seed: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    t = time.perf_counter()
    store = create_database(path, PASS, plain=plain)
    build_demo(store, persons=persons, seed=seed)
    out["build_s"] = round(time.perf_counter() - t, 2)
    with store.raw() as conn:
        conn.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.lock()
    out["size_mb"] = round(path.stat().st_size / 1e6, 1)

    opens = []
    for _ in range(3):
        t = time.perf_counter()
        store = open_database(path, PASS, plain=plain)
        with store.session() as s:  # first real query after unlock
            s.execute(select(Case.id).limit(1)).all()
        opens.append(time.perf_counter() - t)
        store.lock()
    out["open_unlock_ms"] = round(min(opens) * 1000, 1)
    out["open_unlock_max_ms"] = round(max(opens) * 1000, 1)

    store = open_database(path, PASS, plain=plain)
    rnd = random.Random(seed)
    queries = make_queries(store, 200, rnd)
    for q in queries[:10]:  # warm the page cache like a working session
        with store.session() as s:
            cases.case_ids(s, CaseFilter(text=q))
    times, hits = [], []
    for q in queries:
        t = time.perf_counter()
        with store.session() as s:
            ids = cases.case_ids(s, CaseFilter(text=q))
            cases.case_rows(s, ids[:50])
        times.append(time.perf_counter() - t)
        hits.append(len(ids))
    out["search"] = summary_ms(times)
    out["search_mean_hits"] = round(sum(hits) / len(hits), 1)

    with store.session() as s:
        actor = current_actor(s)
        all_ids = list(s.scalars(select(Case.id)))
    sample = rnd.sample(all_ids, 200)
    times = []
    for cid in sample:
        t = time.perf_counter()
        with store.session() as s:
            cases.case_detail(s, actor, cid)  # includes writing its audit event
        times.append(time.perf_counter() - t)
    out["case_detail"] = summary_ms(times)
    t = time.perf_counter()
    with store.session() as s:
        n = len(cases.case_ids(s, CaseFilter()))
    out["all_case_ids_ms"] = round((time.perf_counter() - t) * 1000, 1)
    out["cases"] = n
    store.lock()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="yorisoi-bench-") as tmp:
        enc = measure(Path(tmp) / "enc.db", False, args.persons, args.seed)
        plain = measure(Path(tmp) / "plain.db", True, args.persons, args.seed)
    ratio = round(enc["search"]["p95_ms"] / plain["search"]["p95_ms"], 2)
    data = {"persons": args.persons, "encrypted": enc, "plain": plain, "search_p95_ratio": ratio}
    rows = [
        ("persons / cases", f"{args.persons} / {enc['cases']}", ""),
        ("demo build (enc / plain)", f"{enc['build_s']}s / {plain['build_s']}s", ""),
        ("db size (enc)", f"{enc['size_mb']} MB", ""),
        ("open+unlock (enc)", f"{enc['open_unlock_ms']} ms", "target <= 1000 ms"),
        ("open+unlock (plain)", f"{plain['open_unlock_ms']} ms", "baseline"),
        ("search p50 (enc)", f"{enc['search']['p50_ms']} ms", ""),
        ("search p95 (enc)", f"{enc['search']['p95_ms']} ms", "target <= 30 ms"),
        ("search p95 (plain)", f"{plain['search']['p95_ms']} ms", "baseline"),
        ("search p95 enc/plain", ratio, "target <= 1.5"),
        ("case detail p95 (enc)", f"{enc['case_detail']['p95_ms']} ms", "target <= 20 ms"),
        ("case detail p95 (plain)", f"{plain['case_detail']['p95_ms']} ms", "baseline"),
        ("all case ids, sorted (enc)", f"{enc['all_case_ids_ms']} ms", "list model load"),
    ]
    report("Yorisoi store benchmark", rows, data, args.json)


if __name__ == "__main__":
    main()
