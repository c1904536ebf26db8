#!/usr/bin/env python3
"""The level above which a translation-memory unit's two sides say different things: the mean
difference-map score of each side's words (the lower of the two), as human translations reach it
at most once in 200.

A memory's units are asserted translations; nothing re-aligns them, so a unit whose sides are not
each other's translation (mined bitext, a unit pasted in the wrong place) stays a unit. The map
scores each word for how likely its content is absent from the other side, and the mean over a
side's words is the share of its content not carried over, as far as the map can tell; both
sides' must be high (a left-out clause raises one side's only). How high
that mean runs for a faithful unit depends on the languages (how the encoder's word states of
the two languages meet), so the level is read per language pair off FLORES-200 dev, whose
sentences are human translations: every English sentence and its translation, one unit each, in
one TMX a language, compared as ``transcompare compare x.tmx`` compares it. The level is the
``--quantile`` (0.995) of the units of documents 0-139; documents 140-280 check it (the share of
their units above it: false flags on faithful units). Written to
``transcompare/checks/unit_levels.json`` with the map weights it holds for.

    python scripts/calibrate_unit_levels.py [--data ../shared/data] [--langs vie_Latn,...] [--quantile 0.995] [--dry-run]

REFreSD (``scripts/eval_refresd.py``), which played no part in choosing the levels, tells what
they catch: pairs labelled unrelated or with some meaning difference.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from flores_docs import DEFAULT_DATA, TRANSLATION_LANGS, load_docs  # noqa: E402

#: documents 0..SPLIT-1 choose the level, the rest check it
SPLIT = 140


def write_tmx(pairs: list[tuple[str, str]], lang: str, path: Path) -> None:
    """A TMX of English/``lang`` units."""
    from xml.sax.saxutils import escape

    units = "".join(f'<tu tuid="{k}"><tuv xml:lang="en"><seg>{escape(en)}</seg></tuv>'
                    f'<tuv xml:lang="{lang}"><seg>{escape(tx)}</seg></tuv></tu>\n' for k, (en, tx) in enumerate(pairs, 1))
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" '
                    'creationtool="calibrate_unit_levels" segtype="sentence" o-tmf="x" adminlang="en" '
                    f'datatype="plaintext"/><body>\n{units}</body></tmx>\n', encoding="utf-8")


def unit_means(pairs: list[tuple[str, str]], lang: str) -> tuple[list[float | None], object]:
    """Each unit's statistic (:func:`transcompare.checks.meaning.unit_mean`; ``None`` for a unit
    with a side of no scored word), and the comparison."""
    from transcompare import compare_bitext
    from transcompare.checks.meaning import unit_mean

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "units.tmx"
        write_tmx(pairs, lang, path)
        c = compare_bitext(path)
    return [unit_mean(c.diff, b.source, b.target) for b in c.alignment.beads], c


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--langs", default=",".join(TRANSLATION_LANGS))
    ap.add_argument("--quantile", type=float, default=0.995)
    ap.add_argument("--dry-run", action="store_true", help="print the levels, do not write them")
    args = ap.parse_args(argv)
    loaded = load_docs(args.data)
    if loaded is None:
        return 0
    docs, order = loaded
    from transcompare.checks.meaning import LEVELS
    from transcompare.diff import weights_signature

    levels = {}
    print(f"{'pair':6} {'units 0-139':>11} {'level':>6} {'units 140-':>10} {'above (held out)':>17} {'flags (any)':>11}")
    for code in args.langs.split(","):
        lang = TRANSLATION_LANGS[code]
        rows = [(r["eng_Latn"], r[code], d) for d in order for r in docs[d]]
        means, c = unit_means([(en, tx) for en, tx, _ in rows], lang)
        if len(means) != len(rows):
            print(f"{lang}: {len(means)} units read for {len(rows)} pairs", file=sys.stderr)
            return 1
        train = np.array([m for m, (*_, d) in zip(means, rows) if d < SPLIT and m is not None])
        test = np.array([m for m, (*_, d) in zip(means, rows) if d >= SPLIT and m is not None])
        level = round(float(np.quantile(train, args.quantile)), 3)
        key = "-".join(sorted(("en", lang)))
        levels[key] = level
        print(f"{key:6} {len(train):11} {level:6.3f} {len(test):10} {np.mean(test >= level):16.2%} {len(c.flags):11}")
    if args.dry_run:
        return 0
    out = {"weights": weights_signature(), "quantile": args.quantile,
           "source": f"scripts/calibrate_unit_levels.py: FLORES-200 dev documents 0-{SPLIT - 1}, one unit a sentence",
           "levels": dict(sorted(levels.items()))}
    LEVELS.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {LEVELS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
