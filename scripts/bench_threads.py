#!/usr/bin/env python3
"""Compare of the bundled sample, cold and warm, with numpy's BLAS at each thread count, on a
quiet machine and beside competing processes (each keeps one core busy).

    python scripts/bench_threads.py [--runs 3] [--threads 1,2,auto] [--load 0,1,2]

``auto`` leaves TRANSCOMPARE_THREADS unset (the tool's own choice, transcompare/backends/threads.py).
Cold: ``--no-cache`` (nothing of the texts is known; the unpacked model arrays are, as after a
first run). Warm: a second run with the vector cache filled by the first. Each cell is the
median of ``--runs`` runs, the settings alternating within each round.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "corpora" / "en-vi-flood" / "source.en.txt"
TGT = ROOT / "corpora" / "en-vi-flood" / "translation.vi.txt"
BUSY = "import time\nend = time.time() + 3600\nwhile time.time() < end:\n    sum(range(10000))\n"


def one(threads: str, cache: str | None) -> float:
    env = dict(os.environ)
    env.pop("TRANSCOMPARE_THREADS", None)
    if threads != "auto":
        env["TRANSCOMPARE_THREADS"] = threads
    args = [sys.executable, "-m", "transcompare.cli", "compare", str(SRC), str(TGT), "-o", os.devnull]
    if cache is None:
        args.append("--no-cache")
    else:
        env["TRANSCOMPARE_CACHE"] = cache
    t = time.perf_counter()
    r = subprocess.run(args, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t
    if r.returncode not in (0, 1):
        raise SystemExit(r.stderr)
    return took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", default="1,2,auto")
    ap.add_argument("--load", default="0,1,2", help="competing busy processes, one core each")
    a = ap.parse_args()
    settings = a.threads.split(",")
    one("auto", None)  # unpack the model arrays into the cache folder once
    print(f"cores {os.cpu_count()}; cold = --no-cache, warm = vectors cached; seconds, median of {a.runs}")
    print(f"{'load':>4} {'threads':>7} {'cold':>6} {'warm':>6}   (cold runs)")
    for load in map(int, a.load.split(",")):
        busy = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(load)]
        try:
            time.sleep(2 if load else 0)
            cold = {s: [] for s in settings}
            warm = {s: [] for s in settings}
            for _ in range(a.runs):
                for s in settings:
                    cold[s].append(one(s, None))
                    with tempfile.TemporaryDirectory() as cache:
                        one(s, cache)  # fills the vectors (and unpacks the arrays there)
                        warm[s].append(one(s, cache))
            for s in settings:
                print(f"{load:>4} {s:>7} {statistics.median(cold[s]):6.2f} {statistics.median(warm[s]):6.2f}   "
                      f"({', '.join(f'{x:.1f}' for x in cold[s])})", flush=True)
        finally:
            for p in busy:
                p.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
