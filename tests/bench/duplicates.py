"""Benchmark of finding likely duplicate persons (app.services.duplicates) at scale.

    .venv/bin/python -m tests.bench.duplicates [--persons 100000] [--entries 200] [--json]

Builds a real SQLCipher store with demo data (bulk inserts and the search index, as
``yorisoi demo`` does), then times ``find_candidates`` for ~200 new entries of mixed kinds:
exact duplicates, variant kanji (高→髙 ...), kana only (half-width), romaji, and no match.
Beside it, in the same run, one plain indexed SELECT of a person by id as a baseline.
Target: find_candidates p95 <= 50 ms at 100,000 persons. Also reports how often the person
the entry was made from is among the candidates (recall), per kind.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.services import duplicates
from app.services.demo import build_demo
from app.storage.lifecycle import create_database
from app.storage.models import Person
from tests.bench.common import report, summary_ms

PASS = "benchmark passphrase for a throwaway database"
KINDS = ("exact", "variant", "kana_only", "romaji", "no_match")
_TO_VARIANT = {"高": "髙", "崎": "﨑", "吉": "𠮷", "辺": "邊", "浜": "濵", "斎": "齋", "沢": "澤",
               "広": "廣", "国": "國", "真": "眞", "富": "冨", "桜": "櫻"}  # fmt: skip


def make_entries(
    people: list[Any], n: int, rnd: random.Random
) -> list[tuple[str, str | None, dict[str, Any]]]:
    """(kind, id of the person it was made from or None, find_candidates keyword args)."""
    import jaconv

    variantable = [p for p in people if any(ch in _TO_VARIANT for ch in p.name)]
    out: list[tuple[str, str | None, dict[str, Any]]] = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        p = rnd.choice(variantable if kind == "variant" and variantable else people)
        if kind == "exact":
            args = {"name": p.name, "kana": p.kana, "phone": p.phone, "birth_date": p.birth_date}
        elif kind == "variant":
            name = "".join(_TO_VARIANT.get(ch, ch) for ch in p.name).replace(" ", "　")
            args = {"name": name, "birth_date": p.birth_date}
        elif kind == "kana_only":
            args = {"kana": jaconv.z2h(jaconv.hira2kata(p.kana or ""), kana=True)}
        elif kind == "romaji":
            args = {"name": jaconv.kana2alphabet(jaconv.kata2hira(p.kana or "")).title()}
        else:
            args = {
                "name": f"該当無 {i}号",
                "kana": f"がいとうなし {i}",
                "phone": f"0{9000000000 + i}",
            }
        out.append((kind, None if kind == "no_match" else p.id, args))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=100_000)
    ap.add_argument("--entries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="yorisoi-bench-") as tmp:
        t = time.perf_counter()
        store = create_database(Path(tmp) / "dup.db", PASS)
        build_demo(store, persons=args.persons, seed=args.seed)
        build_s = round(time.perf_counter() - t, 1)
        with store.session() as s:
            people = list(s.execute(select(Person.id, Person.name, Person.kana, Person.phone,
                                           Person.birth_date)))  # fmt: skip
            total = len(people)
        entries = make_entries(people, args.entries, rnd)
        with store.session() as s:  # warm: first query after open, caches
            duplicates.find_candidates(s, **entries[0][2])
        times: dict[str, list[float]] = {k: [] for k in KINDS}
        found: dict[str, list[bool]] = {k: [] for k in KINDS}
        counts: list[int] = []
        full = dict.fromkeys(KINDS, 0)  # missed, but the list was full (homonyms, limit 20)
        for kind, pid, kw in entries:
            with store.session() as s:
                t = time.perf_counter()
                cands = duplicates.find_candidates(s, **kw)
                times[kind].append(time.perf_counter() - t)
            counts.append(len(cands))
            full[kind] += len(cands) >= 20 and not any(c.person_id == pid for c in cands)
            found[kind].append(pid is None and not cands or any(c.person_id == pid for c in cands))
        base: list[float] = []
        for _, pid, _kw in entries:
            pid = pid or people[0].id
            with store.session() as s:
                t = time.perf_counter()
                s.execute(select(Person).where(Person.id == pid)).one()
                base.append(time.perf_counter() - t)
        store.lock()
    all_times = [x for v in times.values() for x in v]
    overall = summary_ms(all_times)
    data = {
        "persons": total, "entries": len(entries), "build_s": build_s,
        "find_candidates": overall, "baseline_select_by_id": summary_ms(base),
        "by_kind": {k: {**summary_ms(times[k]), "recall": round(sum(found[k]) / len(found[k]), 3),
                   "missed_with_full_list": full[k]}
                    for k in KINDS if times[k]},
        "mean_candidates": round(sum(counts) / len(counts), 1), "target_p95_ms": 50,
        "pass": overall["p95_ms"] <= 50,
    }  # fmt: skip
    rows = [
        ("persons / entries", f"{total} / {len(entries)}", f"built in {build_s}s (SQLCipher)"),
        ("find_candidates p50", f"{overall['p50_ms']} ms", ""),
        ("find_candidates p95", f"{overall['p95_ms']} ms", "target <= 50 ms"),
        ("find_candidates max", f"{overall['max_ms']} ms", ""),
        ("select by id p95", f"{data['baseline_select_by_id']['p95_ms']} ms", "baseline"),
        ("mean candidates", data["mean_candidates"], ""),
    ]
    for k, v in data["by_kind"].items():
        rows.append(
            (
                f"  {k} p95 / recall",
                f"{v['p95_ms']} ms",
                f"recall {v['recall']}, missed in a full list {v['missed_with_full_list']}",
            )
        )
    report("Yorisoi duplicate-candidates benchmark", rows, data, args.json)


if __name__ == "__main__":
    main()
