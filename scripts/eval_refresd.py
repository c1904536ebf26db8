#!/usr/bin/env python3
"""Sentence pairs labelled by people: REFreSD (Briakou & Carpuat 2020), English-French pairs from
Wikipedia, each equivalent, with some meaning difference, or unrelated.

All 1,039 pairs go into one TMX file, one unit a pair, and that memory is compared as a user
would (``transcompare compare pairs.tmx``): each unit is a bead, scored and checked as given.
Reported: the ROC AUC of "some meaning difference" against "equivalent" for the pair's
similarity (the baseline) and for the difference map (the mean score of the pair's words, the
highest, and the pair's divergence: one minus the similarity plus the map's mean); and the share
of pairs of each label that get a flag.

    python scripts/eval_refresd.py [--data ../shared/data] [--dump pairs.tsv]
"""
from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from eval_diff import rankdata  # noqa: E402

DEFAULT_DATA = str(HERE.parent.parent / "shared" / "data")


def auc(pos: list[float], neg: list[float]) -> float:
    """P(a positive scores above a negative), ties counting half."""
    pos, neg = np.asarray(pos, float), np.asarray(neg, float)
    if not len(pos) or not len(neg):
        return float("nan")
    ranks = rankdata(np.concatenate([pos, neg]))
    return float((ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def read_pairs(data: str) -> list[tuple[str, str, str]]:
    path = Path(data) / "refresd" / "REFreSD_sentence_labels.tsv"
    rows = []
    with open(path, encoding="utf-8") as fh:
        for rec in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not rec or rec[0].startswith("#"):
                continue
            rows.append((rec[1], rec[2], rec[3]))
    return rows


def write_tmx(pairs: list[tuple[str, str]], langs: tuple[str, str], path: Path) -> None:
    """A TMX of units in the two languages ``langs``, one a pair."""
    from xml.sax.saxutils import escape

    a, b = langs
    units = "".join(f'<tu tuid="{k}"><tuv xml:lang="{a}"><seg>{escape(x)}</seg></tuv>'
                    f'<tuv xml:lang="{b}"><seg>{escape(y)}</seg></tuv></tu>\n' for k, (x, y) in enumerate(pairs, 1))
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="{a}" '
                    'creationtool="transcompare-scripts" segtype="sentence" o-tmf="x" adminlang="en" '
                    f'datatype="plaintext"/><body>\n{units}</body></tmx>\n', encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--dump", help="write one line per pair (label, scores, flags) here")
    args = ap.parse_args(argv)
    if not (Path(args.data) / "refresd").exists():
        print(f"skipped: {args.data}/refresd not found")
        return 0
    from transcompare import compare_bitext

    rows = read_pairs(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        tmx = Path(tmp) / "refresd.tmx"
        write_tmx([(en, fr) for _, en, fr in rows], ("en", "fr"), tmx)
        c = compare_bitext(tmx)
    flagged = {}
    for f in c.flags:
        for i in f.source:
            flagged.setdefault(i, []).append(f.kind + (f"({','.join(f.reasons)})" if f.reasons else ""))
        for j in f.target:
            flagged.setdefault(("t", j), []).append(f.kind)
    per = []
    for b, sc in zip(c.alignment.beads, c.scores):
        words = [s for i in b.source for *_, s in c.diff.source[i]] + [s for j in b.target for *_, s in c.diff.target[j]]
        kinds = sorted({k for i in b.source for k in flagged.get(i, [])} | {k for j in b.target for k in flagged.get(("t", j), [])})
        per.append({"sim": sc.similarity if sc.similarity is not None else 0.0,
                    "mean": float(np.mean(words)) if words else 1.0, "max": float(max(words)) if words else 1.0,
                    "flags": kinds})
    # the beads come in unit order: unit k is pair k (the memory has one sentence a side per unit, or
    # a few when a segment holds several)
    units = [p for p in per]
    if len(units) != len(rows):
        print(f"note: {len(units)} beads for {len(rows)} pairs; a unit with sentences on one side only splits")
    labels = [r[0] for r in rows][:len(units)]
    for p in units:
        p["divergence"] = (1.0 - p["sim"]) + p["mean"]
    print(f"REFreSD, {len(rows)} pairs ({sum(1 for x in labels if x == 'no_meaning_difference')} equivalent, "
          f"{sum(1 for x in labels if x == 'some_meaning_difference')} some difference, "
          f"{sum(1 for x in labels if x == 'unrelated')} unrelated), compared as one TMX")
    print(f"{'score':28} {'AUC some vs equivalent':>23} {'AUC unrelated vs equivalent':>28}")
    for name, key, sign in (("similarity (baseline)", "sim", -1), ("map: mean word score", "mean", 1),
                            ("map: highest word score", "max", 1), ("divergence (1-sim + map mean)", "divergence", 1)):
        val = {lab: [sign * p[key] for p, lb in zip(units, labels) if lb == lab] for lab in set(labels)}
        print(f"{name:28} {auc(val['some_meaning_difference'], val['no_meaning_difference']):23.3f} "
              f"{auc(val['unrelated'], val['no_meaning_difference']):28.3f}")
    print("\nshare of pairs with a flag, by label:")
    for lab in ("no_meaning_difference", "some_meaning_difference", "unrelated"):
        ps = [p for p, lb in zip(units, labels) if lb == lab]
        print(f"  {lab:26} {sum(1 for p in ps if p['flags']) / max(1, len(ps)):.1%}  ({len(ps)} pairs)")
    print(f"verdict of the memory as a document: {c.metrics['verdict']}")
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as fh:
            for p, r in zip(units, rows):
                fh.write(f"{r[0]}\t{p['sim']:.4f}\t{p['mean']:.3f}\t{p['max']:.3f}\t{','.join(p['flags'])}\t{r[1]}\t{r[2]}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
