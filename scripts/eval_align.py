#!/usr/bin/env python3
"""Sentence-alignment quality against gold beads: strict and lax precision, recall and F1.

Strict: a predicted bead counts only if the gold has exactly the same bead (both sides). Lax: a
predicted bead counts if it shares a sentence pair with a gold bead on both sides (as in the
Vecalign and Bertalign papers). Like those papers, 1-0 and 0-1 beads are left out of the scores.
Also reported: the strict figures on 1-1 gold beads only and on m:n (everything else) only.

    python scripts/eval_align.py                      # Text+Berg dev from ../shared/data
    python scripts/eval_align.py SRC TGT GOLD [...]   # any triples of files (one sentence a line)
    python scripts/eval_align.py --predicted BEADS GOLD

Gold and predicted beads are read in the ``[0]:[0, 1]`` form, one bead a line.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def read_beads(path: str | Path) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        a, _, b = line.partition(":")
        side = lambda s: tuple(int(x) for x in s.strip().strip("[]").split(",") if x.strip())  # noqa: E731
        out.append((side(a), side(b)))
    return out


def score(pred, gold) -> dict:
    pred = [b for b in pred if b[0] and b[1]]
    gold = [b for b in gold if b[0] and b[1]]
    gset = set(gold)
    strict_hits = sum(1 for b in pred if b in gset)
    gold_pairs = {(i, j): g for g in gold for i in g[0] for j in g[1]}
    pred_pairs = {(i, j): p for p in pred for i in p[0] for j in p[1]}
    lax_p = sum(1 for p in pred if any((i, j) in gold_pairs for i in p[0] for j in p[1]))
    lax_r = sum(1 for g in gold if any((i, j) in pred_pairs for i in g[0] for j in g[1]))

    def prf(hits_p, n_p, hits_r, n_g):
        p = hits_p / n_p if n_p else 0.0
        r = hits_r / n_g if n_g else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    out = {"strict": prf(strict_hits, len(pred), strict_hits, len(gold)),
           "lax": prf(lax_p, len(pred), lax_r, len(gold))}
    pset = set(pred)
    for name, keep in (("1-1", lambda b: len(b[0]) == 1 and len(b[1]) == 1),
                       ("m:n", lambda b: not (len(b[0]) == 1 and len(b[1]) == 1))):
        g = [b for b in gold if keep(b)]
        p = [b for b in pred if keep(b)]
        out[name] = prf(sum(1 for b in p if b in gset), len(p), sum(1 for b in g if b in pset), len(g))
    out["n_gold"], out["n_pred"] = len(gold), len(pred)
    return out


def fmt(name: str, s: dict) -> str:
    cells = "  ".join(f"{k} P {s[k][0]:.3f} R {s[k][1]:.3f} F1 {s[k][2]:.3f}" for k in ("strict", "lax", "1-1", "m:n"))
    return f"{name:24s} gold {s['n_gold']:4d} pred {s['n_pred']:4d}  {cells}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", help="SRC TGT GOLD triples")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--predicted", nargs=2, metavar=("BEADS", "GOLD"), help="score a beads file against gold")
    ap.add_argument("--encoder", default=None)
    args = ap.parse_args()
    if args.predicted:
        print(fmt(Path(args.predicted[0]).name, score(read_beads(args.predicted[0]), read_beads(args.predicted[1]))))
        return 0
    triples = [args.files[k:k + 3] for k in range(0, len(args.files), 3)]
    if not triples:
        tb = Path(args.data) / "alignment" / "textberg-dev"
        if not tb.exists():
            print(f"no gold data at {tb}; pass SRC TGT GOLD files", file=sys.stderr)
            return 2
        triples = [[tb / "dev.de", tb / "dev.fr", tb / "dev.defr"]]
    from transcompare import align_files

    all_pred, all_gold, offset_s, offset_t = [], [], 0, 0
    for src, tgt, gold in triples:
        t = time.perf_counter()
        r = align_files(src, tgt, split="lines", encoder=args.encoder)
        pred = [(b.source, b.target) for b in r.alignment.beads]
        g = read_beads(gold)
        print(fmt(Path(src).name, score(pred, g)) + f"  ({time.perf_counter() - t:.1f} s; "
              f"{r.settings['texts_per_sentence']:.2f} texts encoded per sentence)")
        # pool by shifting ids so documents do not collide
        all_pred += [(tuple(i + offset_s for i in a), tuple(j + offset_t for j in b)) for a, b in pred]
        all_gold += [(tuple(i + offset_s for i in a), tuple(j + offset_t for j in b)) for a, b in g]
        offset_s += len(r.source.sentences)
        offset_t += len(r.target.sentences)
    if len(triples) > 1:
        print(fmt("pooled", score(all_pred, all_gold)))
    print(f"signature: {r.signature}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
