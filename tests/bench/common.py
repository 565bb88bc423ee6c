"""Small helpers shared by the benchmark scripts (not collected by pytest)."""

from __future__ import annotations

import json
import statistics
import sys
from typing import Any


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def summary_ms(values: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values]
    return {
        "p50_ms": round(pct(ms, 50), 2),
        "p95_ms": round(pct(ms, 95), 2),
        "max_ms": round(max(ms), 2) if ms else float("nan"),
        "mean_ms": round(statistics.fmean(ms), 2) if ms else float("nan"),
    }


def report(
    title: str, rows: list[tuple[str, Any, str]], data: dict[str, Any], as_json: bool
) -> None:
    """rows: (metric, value, target/comment)."""
    if as_json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    print(f"\n{title}")
    width = max(len(r[0]) for r in rows) + 2
    for name, value, note in rows:
        print(f"  {name:<{width}} {value!s:>14}   {note}")
