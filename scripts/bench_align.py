#!/usr/bin/env python3
"""Alignment time and memory at scale, with precomputed embeddings.

Synthetic long documents: FLORES-200 dev sentences (English as the source, another language as
the translation) drawn with repetition in shuffled order until each side has N sentences; about
2 % of sentences are dropped from the translation and 2 % of translation sentences are inserted
from elsewhere, so the aligner has deletions and insertions to find. Sentence vectors are encoded
once (the encoder is not what this measures) and the aligner (DP in a band around an anchor
path, the second pass without real concatenations, and the search for moved statements) runs on
them.

    python scripts/bench_align.py [--sizes 10000,100000] [--lang vie_Latn] [--data ../shared/data]

Reports wall time, growth of the resident-memory high-water mark, and the share of true 1-1
pairs found. Run one size per process for clean memory figures (the high-water mark only rises).
"""
from __future__ import annotations

import argparse
import os
import platform
import time
import resource
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--lang", default="vie_Latn")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    fl = Path(args.data) / "flores200-dev"
    en = (fl / "eng_Latn.dev").read_text(encoding="utf-8").splitlines()
    tx = (fl / f"{args.lang}.dev").read_text(encoding="utf-8").splitlines()
    from transcompare.align import AlignParams, SideFeatures, align
    from transcompare.backends.encoders import get_encoder
    from transcompare.align.moved import find_moved
    from transcompare.align.refine import refine

    enc = get_encoder(cache=False)  # measure encoding, not the vector cache
    t = time.perf_counter()
    E, T = enc.embed(en), enc.embed(tx)
    le = np.array([enc.count_tokens(s) for s in en], dtype=np.float64)
    lt = np.array([enc.count_tokens(s) for s in tx], dtype=np.float64)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"encoded {len(en) + len(tx)} FLORES sentences once in {time.perf_counter() - t:.1f} s")
    params = AlignParams(neighbour_prior=enc.neighbour_cosine)
    rng = np.random.default_rng(args.seed)
    results = []
    for n in (int(x) for x in args.sizes.split(",")):
        idx = rng.integers(0, len(en), size=n)
        keep = rng.random(n) >= 0.02  # dropped from the translation
        t_idx, truth = [], []
        for k, i in enumerate(idx):
            if rng.random() < 0.02:  # an inserted sentence from elsewhere
                t_idx.append(int(rng.integers(0, len(tx))))
            if keep[k]:
                truth.append((k, len(t_idx)))
                t_idx.append(int(i))
        t_idx = np.array(t_idx)
        zeros = lambda k: np.zeros(k, dtype=np.int64)  # noqa: E731
        fs = SideFeatures(E[idx], le[idx], [frozenset()] * n, zeros(n), np.ones(n, dtype=bool))
        ft = SideFeatures(T[t_idx], lt[t_idx], [frozenset()] * len(t_idx), zeros(len(t_idx)),
                          np.ones(len(t_idx), dtype=bool))
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        alignment, stats, M = align(fs, ft, params)
        beads = refine(list(alignment.beads), fs, ft, stats, M, params)
        beads = find_moved(beads, fs, ft, stats, M, params)
        secs = time.perf_counter() - t
        # growth of the process's resident high-water mark (KiB on Linux): what aligning added
        peak = max(0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) * 1024
        found = {(b.source[0], b.target[0]) for b in beads if len(b.source) == 1 and len(b.target) == 1}
        right = sum(1 for p in truth if p in found) / max(1, len(truth))
        results.append((n, secs, peak))
        # sentences repeat in these documents, so a dropped sentence may well have a copy
        # inserted elsewhere: a moved bead is right when both sides are the same FLORES line
        moved = [b for b in beads if b.moved]
        same = sum(1 for b in moved if {int(idx[i]) for i in b.source} == {int(t_idx[j]) for j in b.target})
        print(f"{n:>7} x {len(t_idx):>7} sentences ({alignment.method}): {secs:.1f} s, +{peak / 2**20:.0f} MiB peak RSS, "
              f"{right:.1%} of true 1-1 pairs found; {len(moved)} moved beads, {same} of them pair copies "
              f"of the same sentence")
    if len(results) > 1:
        (n0, s0, _), (n1, s1, _) = results[0], results[-1]
        print(f"{n1 // n0}x the sentences: {s1 / s0:.1f}x the time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
