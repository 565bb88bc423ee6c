"""Benchmark: referral sheets (ReportLab, embedded IPAexGothic subset).

    .venv/bin/python tests/bench/pdf.py [--batch 1000] [--json]

Targets: one sheet <= 50 ms once the font is registered; 1,000 sheets <= 30 s. Baseline in
the same run: a bare one-page ReportLab document with a Japanese table (no furniture, no page
x/y pass), i.e. what the library costs before our layout adds anything.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from faker import Faker  # noqa: E402

from app.reports.fonts import register_fonts  # noqa: E402
from app.reports.layout import PrintStamp  # noqa: E402
from app.reports.redaction import redact  # noqa: E402
from app.reports.referral import render_referral  # noqa: E402
from tests.reports.conftest import make_referral  # noqa: E402


def peak_rss_mb() -> float:
    try:
        import resource

        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024
    except ImportError:  # Windows
        import psutil

        return float(getattr(psutil.Process().memory_info(), "peak_wset", 0)) / 2**20


def baseline_pdf() -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    st = ParagraphStyle("b", fontName="IPAexGothic", fontSize=9.5, wordWrap="CJK")
    rows = [
        [Paragraph(f"項目{i}", st), Paragraph("尼崎市の相談内容の記載" * 3, st)] for i in range(30)
    ]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    doc.build(
        [Table(rows, colWidths=[80, 400], style=[("FONTNAME", (0, 0), (-1, -1), "IPAexGothic")])]
    )
    return buf.getvalue()


def timed(fn, n: int, clock=time.perf_counter) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(n):
        t = clock()
        fn()
        out.append((clock() - t) * 1000)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    rss_start = peak_rss_mb()
    t = time.perf_counter()
    register_fonts()
    font_ms = (time.perf_counter() - t) * 1000

    fake = Faker("ja_JP")
    fake.seed_instance(7)
    stamp = PrintStamp("ベンチ 太郎", dt.datetime(2026, 4, 1, 9, 0), "bench-device")
    shown, r = redact(make_referral(fake))
    long_data = make_referral(fake, account="\n\n".join(fake.text(500) for _ in range(40)))
    long_shown, long_r = redact(long_data)

    first_ms = timed(lambda: render_referral(shown, stamp, r), 1)[0]  # styles, caches
    base = timed(baseline_pdf, args.repeat)
    one = timed(lambda: render_referral(shown, stamp, r), args.repeat)
    one_cpu = timed(lambda: render_referral(shown, stamp, r), args.repeat, time.process_time)
    long = timed(lambda: render_referral(long_shown, stamp, long_r), max(3, args.repeat // 5))
    pages_long = render_referral(long_shown, stamp, long_r).count(b"/Type /Page\n")

    sheets = [redact(make_referral(fake))[0] for _ in range(min(args.batch, 50))]
    gc.collect()
    t, c = time.perf_counter(), time.process_time()
    total_bytes = 0
    for i in range(args.batch):
        total_bytes += len(render_referral(sheets[i % len(sheets)], stamp))
    batch_s = time.perf_counter() - t
    batch_cpu_s = time.process_time() - c

    res = {
        "font_register_ms": round(font_ms, 1),
        "first_sheet_ms": round(first_ms, 1),
        "baseline_bare_table_ms_median": round(statistics.median(base), 1),
        "sheet_ms_median": round(statistics.median(one), 1),
        "sheet_cpu_ms_median": round(statistics.median(one_cpu), 1),
        "sheet_ms_p90": round(sorted(one)[int(len(one) * 0.9) - 1], 1),
        "long_sheet_pages": pages_long,
        "long_sheet_ms_median": round(statistics.median(long), 1),
        "batch_sheets": args.batch,
        "batch_s": round(batch_s, 2),
        "batch_cpu_s": round(batch_cpu_s, 2),
        "batch_ms_per_sheet": round(batch_s * 1000 / args.batch, 1),
        "avg_pdf_kb": round(total_bytes / args.batch / 1024, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_at_start_mb": round(rss_start, 1),
        "target_sheet_ms": 50,
        "target_batch_s": 30,
        "load_avg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "sheet_ok": statistics.median(one) <= 50,
        "batch_ok": batch_s <= 30 * args.batch / 1000,
    }
    if args.json:
        print(json.dumps(res))
    else:
        width = max(len(k) for k in res)
        for k, v in res.items():
            print(f"{k:<{width}}  {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
