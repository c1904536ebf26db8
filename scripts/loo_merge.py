#!/usr/bin/env python3
"""Leave-one-document-set-out check of the merge step's two levels (align/merge.py).

The step has two settings: how many spreads a merge must gain (MERGE_SPREADS) and the least
length gain for a pair to be looked at (LENGTH_GAIN). They were chosen on Text+Berg dev. Here
each document set is left out in turn: the levels are chosen on all the others (the grid below,
best pooled strict F1) and scored on the one left out. The sets: Text+Berg dev (de-fr), and
for each of seven languages the FLORES-200 dev documents of scripts/ablate_align.py, with
synthetic m:n structure and untouched, pooled.

Each document is aligned once; the step (and the moved search after it) is replayed for every
grid point on what the second pass produced, so the grid costs no alignment.

    python scripts/loo_merge.py [--data ../shared/data] [--length 120] [--seed 7]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from ablate_align import flores_docs, textberg_docs  # noqa: E402
from eval_align import score  # noqa: E402

SPREADS = (3.0, 4.0, 5.0, 6.0, 7.0, float("inf"))
LENGTH_GAINS = (0.5, 1.0, 1.5)


def capture(docs, folder: Path, enc) -> list:
    """For each document: what the merge step and the moved search were given, and the gold."""
    from transcompare import align_files

    pair = import_module("transcompare.align.pair")
    got: dict = {}
    real_merge, real_moved = pair.merge_neighbours, pair.find_moved

    def merge(beads, fs, ft, stats, similarity):
        got["merge"] = (list(beads), fs, ft, stats, similarity)
        return real_merge(beads, fs, ft, stats, similarity)

    def moved(beads, fs, ft, stats, M, params):
        got["moved"] = (fs, ft, stats, M, params)
        return real_moved(beads, fs, ft, stats, M, params)

    pair.merge_neighbours, pair.find_moved = merge, moved
    out = []
    try:
        for name, src, tgt, gold, lang in docs:
            fs, ft = folder / f"{name}.src", folder / f"{name}.tgt"
            fs.write_text("\n".join(src) + "\n", encoding="utf-8")
            ft.write_text("\n".join(tgt) + "\n", encoding="utf-8")
            align_files(fs, ft, source_lang="de" if name == "textberg" else "en", target_lang=lang, encoder=enc,
                        split="lines")
            out.append((got["merge"], got["moved"], gold))
    finally:
        pair.merge_neighbours, pair.find_moved = real_merge, real_moved
    return out


def replay(captured, spreads: float, length_gain: float):
    """Pooled predicted and gold beads of a set with the step at these levels."""
    merge = import_module("transcompare.align.merge")
    moved = import_module("transcompare.align.moved")
    saved = merge.MERGE_SPREADS, merge.LENGTH_GAIN
    merge.MERGE_SPREADS, merge.LENGTH_GAIN = spreads, length_gain
    preds, golds, off_s, off_t = [], [], 0, 0
    try:
        for (beads, fs, ft, stats, similarity), (_, _, _, M, params), gold in captured:
            out = merge.merge_neighbours(beads, fs, ft, stats, similarity)
            out = moved.find_moved(out, fs, ft, stats, M, params)
            preds += [(tuple(i + off_s for i in b.source), tuple(j + off_t for j in b.target)) for b in out]
            golds += [(tuple(i + off_s for i in a), tuple(j + off_t for j in b)) for a, b in gold]
            off_s += len(fs.tokens)
            off_t += len(ft.tokens)
    finally:
        merge.MERGE_SPREADS, merge.LENGTH_GAIN = saved
    return preds, golds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--length", type=int, default=120)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    from transcompare.backends.encoders import get_encoder

    enc = get_encoder(None)
    sets: dict[str, list] = {}
    if tb := textberg_docs(args.data):
        sets["Text+Berg dev"] = tb
    for perturb in (True, False):
        for doc in flores_docs(args.data, args.length, args.seed, perturb):
            sets.setdefault(f"FLORES en-{doc[4]}", []).append((doc[0] + ("-mn" if perturb else "-11"), *doc[1:]))
    if len(sets) < 2:
        print("skipped: needs Text+Berg dev and the FLORES data")
        return 0
    grid = [(s, g) for s in SPREADS for g in LENGTH_GAINS]
    table: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, docs in sets.items():
            captured = capture(docs, Path(tmp), enc)
            table[name] = {point: replay(captured, *point) for point in grid}
            print(f"{name}: aligned", file=sys.stderr)

    def pooled(names, point):
        preds, golds = [], []
        for n in names:  # ids of different sets never meet: offset each set apart
            p, g = table[n][point]
            off = 10 ** 7 * list(table).index(n)
            preds += [(tuple(i + off for i in a), tuple(j + off for j in b)) for a, b in p]
            golds += [(tuple(i + off for i in a), tuple(j + off for j in b)) for a, b in g]
        return score(preds, golds)["strict"][2]

    default = (5.0, 1.0)
    off_point = (float("inf"), 1.0)
    print("| left out | levels chosen on the others (spreads, length gain) | strict F1 with them | "
          "with the shipped levels (5, 1) | without the step |")
    print("|---|---|---:|---:|---:|")
    for name in table:
        others = [n for n in table if n != name]
        best = max(grid, key=lambda pt: (pooled(others, pt), -abs(pt[0] - default[0])))
        print(f"| {name} | {best[0]:g}, {best[1]:g} | {pooled([name], best):.4f} | {pooled([name], default):.4f} | "
              f"{pooled([name], off_point):.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
