#!/usr/bin/env python3
"""The levels above which a translation-memory unit's two sides say different things: the mean
difference-map score of a unit's words, as human translations reach it at most once in 200, and
each side's own mean, as they reach it once in 20.

A memory's units are asserted translations; nothing re-aligns them, so a unit whose sides are not
each other's translation (mined bitext, a unit pasted in the wrong place) stays a unit. The map
scores each word for how likely its content is absent from the other side, and the mean over a
unit's words is the share of its content not carried over, as far as the map can tell; each
side's own mean must be high too (a left-out clause raises one side's only). How high
that mean runs for a faithful unit depends on the languages (how the encoder's word states of
the two languages meet), so the level is read per language pair off FLORES-200 dev, whose
sentences are human translations in eight languages, line by line: for each pair of them, every
sentence and its translation, one unit each, in one TMX, compared as ``transcompare compare
x.tmx`` compares it. The level is the
``--quantile`` (0.995) of the units of documents 0-139, each side's the ``--each`` quantile (0.95);
documents 140-280 check them (the share of their units above both: false flags on faithful
units). Written to
``transcompare/checks/unit_levels.json`` with the map weights it holds for.

    python scripts/calibrate_unit_levels.py [--data ../shared/data] [--pairs all|en-fr,de-fr] [--quantile 0.995] [--each 0.95] [--dry-run]

REFreSD (``scripts/eval_refresd.py``), which played no part in choosing the levels, tells what
they catch: pairs labelled unrelated or with some meaning difference.
"""
from __future__ import annotations

import argparse
import json
from itertools import combinations
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from eval_refresd import write_tmx  # noqa: E402
from flores_docs import DEFAULT_DATA, TRANSLATION_LANGS, load_docs  # noqa: E402

#: documents 0..SPLIT-1 choose the level, the rest check it
SPLIT = 140


def unit_means(pairs: list[tuple[str, str]], langs: tuple[str, str]) -> tuple[list[tuple[float, float] | None], object]:
    """Each unit's mean and lower side mean (:func:`transcompare.checks.meaning.unit_scores`;
    ``None`` for a unit with a side of no scored word), and the comparison."""
    from transcompare import compare_bitext
    from transcompare.checks.meaning import unit_scores

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "units.tmx"
        write_tmx(pairs, langs, path)
        c = compare_bitext(path)
    return [unit_scores(c.diff, b.source, b.target) for b in c.alignment.beads], c


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--pairs", default="all",
                    help="language pairs such as en-fr,de-fr (FLORES codes' short forms); all: every pair of "
                         "FLORES-200 dev's eight languages")
    ap.add_argument("--quantile", type=float, default=0.995, help="of the mean over a unit's words")
    ap.add_argument("--each", type=float, default=0.95, help="of each side's own mean")
    ap.add_argument("--dry-run", action="store_true", help="print the levels, do not write them")
    args = ap.parse_args(argv)
    loaded = load_docs(args.data)
    if loaded is None:
        return 0
    docs, order = loaded
    from transcompare.checks.meaning import LEVELS
    from transcompare.diff import weights_signature

    levels = {}
    print(f"{'pair':6} {'units 0-139':>11} {'mean':>6} {'each':>6} {'units 140-':>10} {'above (held out)':>17} "
          f"{'flags (any)':>11}")
    codes = {"en": "eng_Latn", **{short: code for code, short in TRANSLATION_LANGS.items()}}
    pairs = (list(combinations(codes, 2)) if args.pairs == "all"
             else [tuple(p.split("-")) for p in args.pairs.split(",")])
    for a, b in pairs:
        if a not in codes or b not in codes:
            print(f"{a}-{b}: not a pair of FLORES-200 dev's languages ({', '.join(codes)})", file=sys.stderr)
            return 2
        rows = [(r[codes[a]], r[codes[b]], d) for d in order for r in docs[d]]
        means, c = unit_means([(x, y) for x, y, _ in rows], (a, b))
        if len(means) != len(rows):
            print(f"{a}-{b}: {len(means)} units read for {len(rows)} pairs", file=sys.stderr)
            return 1
        train = np.array([m for m, (*_, d) in zip(means, rows) if d < SPLIT and m is not None])
        test = np.array([m for m, (*_, d) in zip(means, rows) if d >= SPLIT and m is not None])
        level = {"mean": round(float(np.quantile(train[:, 0], args.quantile)), 3),
                 "each": round(float(np.quantile(train[:, 1], args.each)), 3)}
        key = "-".join(sorted((a, b)))
        levels[key] = level
        above = np.mean((test[:, 0] >= level["mean"]) & (test[:, 1] >= level["each"]))
        print(f"{key:6} {len(train):11} {level['mean']:6.3f} {level['each']:6.3f} {len(test):10} {above:16.2%} "
              f"{len(c.flags):11}")
    if args.dry_run:
        return 0
    # levels read before with the same weights and quantiles stand for the pairs not run now
    try:
        before = json.loads(LEVELS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    same = (before.get("weights"), before.get("quantile"), before.get("each")) == (weights_signature(), args.quantile, args.each)
    kept = before.get("levels", {}) if same else {}
    out = {"weights": weights_signature(), "quantile": args.quantile, "each": args.each,
           "source": f"scripts/calibrate_unit_levels.py: FLORES-200 dev documents 0-{SPLIT - 1}, one unit a sentence",
           "levels": dict(sorted({**kept, **levels}.items()))}
    LEVELS.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {LEVELS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
