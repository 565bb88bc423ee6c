"""Start-up benchmark (not collected by pytest).

    .venv/bin/python tests/bench/startup.py [--json] [--runs 5] [--persons 300] [--no-cold]

Times real ``yorisoi`` processes, beside a bare ``python -c pass`` in the same interpreter:
  * ``yorisoi --version`` and ``yorisoi --help``            (target ≤ 0.2 s),
  * ``yorisoi case list --json`` on a small database        (target ≤ 0.8 s, the key
    derivation included; a database of ``--persons`` demo persons, built once per run),
  * the desktop app from start to its first window shown    (target ≤ 1.0 s; offscreen; the
    moment is the "first window shown" line of the app's own log).
Each is run in two bytecode states, so the figure does not depend on how this machine was set
up: ``cached`` (a private PYTHONPYCACHEPREFIX filled by a first, untimed run, as after an
install with ``--compile-bytecode`` or a first start), and ``cold`` (an empty cache prefix and
PYTHONDONTWRITEBYTECODE: every module compiled from source, as on a machine that never writes
bytecode and was installed without compiling it). Medians over ``--runs``; ``cpu_s`` is the
child's user+system time, which a busy machine disturbs less than the wall clock. The load
average is reported with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.common import report  # noqa: E402

PASSPHRASE = "correct horse battery staple"
TARGETS_S = {"version": 0.2, "help": 0.2, "case_list": 0.8, "gui_first_window": 1.0}


def yorisoi() -> list[str]:
    script = Path(sys.executable).with_name("yorisoi")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ui.launcher"]


def base_env(home: Path, mode: str, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YORISOI_", "PYTHONPYCACHE"))}
    env.update(YORISOI_HOME=str(home), YORISOI_LANG="ja", YORISOI_PASSPHRASE=PASSPHRASE,
               QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=str(cache))  # fmt: skip
    if mode == "cold":
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``cmd`` (must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, timeout=120)  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{cmd[-3:]} failed: {done.stderr.decode(errors='replace')[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _log_times(log: Path) -> list[float]:
    if not log.exists():
        return []
    stamps = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if "first window shown" in line:
            when = dt.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
            stamps.append(when.timestamp())
    return stamps


def gui_first_window(env: dict[str, str], home: Path) -> tuple[float, float]:
    """Start the desktop app (it waits at the unlock dialog), read when it logged its first
    window, then end it. CPU time is up to that moment (read from /proc while it waits)."""
    log = home / "logs" / "yorisoi-ui.log"
    seen = len(_log_times(log))
    start = time.time()
    proc = subprocess.Popen(yorisoi(), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while len(_log_times(log)) <= seen:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the desktop app did not show a window")
            time.sleep(0.01)
        shown = _log_times(log)[-1]
        cpu = float("nan")
        try:
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
        # asctime has millisecond resolution; the app's clock is this machine's clock.
        return max(0.0, shown - start), cpu
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def measure(runs: int, persons: int, modes: list[str]) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="yorisoi-startup-"))
    home = tmp / "home"
    setup_env = base_env(home, "cached", tmp / "pycache-setup")
    subprocess.run([*yorisoi(), "init", "--name", "試験 太郎"], env=setup_env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    subprocess.run([*yorisoi(), "demo", "--persons", str(persons)], env=setup_env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    commands: dict[str, list[str]] = {
        "python_pass": [sys.executable, "-c", "pass"],
        "version": [*yorisoi(), "--version"],
        "help": [*yorisoi(), "--help"],
        "case_list": [*yorisoi(), "case", "list", "--json", "--limit", "20"],
    }
    out: dict[str, Any] = {"persons": persons, "runs": runs, "targets_s": TARGETS_S,
                           "load_average": [round(x, 2) for x in os.getloadavg()]}  # fmt: skip
    for mode in modes:
        figures: dict[str, Any] = {}
        cache = tmp / f"pycache-{mode}"
        for name, cmd in [*commands.items(), ("gui_first_window", None)]:
            walls: list[float] = []
            cpus: list[float] = []
            for i in range(runs + (1 if mode == "cached" else 0)):
                if mode == "cold":  # a fresh, empty cache every time: nothing compiled
                    cache = tmp / f"pycache-cold-{name}-{i}"
                env = base_env(home, mode, cache)
                if cmd is None:
                    wall, cpu = gui_first_window(env, home)
                else:
                    wall, cpu = timed(cmd, env)
                if mode == "cached" and i == 0:
                    continue  # the run that fills the cache
                walls.append(wall)
                cpus.append(cpu)
            figures[name] = {
                "wall_s": round(statistics.median(walls), 3),
                "wall_min_s": round(min(walls), 3),
                "cpu_s": round(statistics.median(cpus), 3),
            }
        out[mode] = figures
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--persons", type=int, default=300)
    ap.add_argument("--no-cold", action="store_true", help="skip the cold-bytecode runs")
    a = ap.parse_args()
    modes = ["cached"] if a.no_cold else ["cached", "cold"]
    data = measure(a.runs, a.persons, modes)
    rows: list[tuple[str, Any, str]] = []
    for mode in modes:
        for name, fig in data[mode].items():
            target = TARGETS_S.get(name)
            note = f"cpu {fig['cpu_s']:.2f} s, min {fig['wall_min_s']:.2f} s"
            if target is not None:
                verdict = "ok" if fig["wall_s"] <= target else "OVER"
                note += f"; target ≤ {target} s ({verdict})"
            rows.append((f"{mode}: {name}", f"{fig['wall_s']:.3f} s", note))
    rows.append(("load average", " ".join(map(str, data["load_average"])),
                 "before; after: " + " ".join(map(str, data["load_average_after"]))))  # fmt: skip
    report(f"Start-up ({data['persons']} persons, median of {data['runs']})", rows, data, a.json)


if __name__ == "__main__":
    main()
