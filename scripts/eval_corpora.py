#!/usr/bin/env python3
"""Planted changes found, missed, and flags on benign text, for every bundled corpora pair.

    python scripts/eval_corpora.py

A planted change counts as found when a flag of the right kind (and reason, for altered) covers
its sentence; a flag counts as spurious when it covers no planted sentence at all. Each pair is
compared cold (the vector cache off, the encoder's memory emptied first), so ``texts/sent`` is
what the default path encodes per sentence of the two documents (``settings.texts_per_sentence``).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from corpora_eval import evaluate, load_expected, pairs  # noqa: E402

from transcompare import compare  # noqa: E402
from transcompare.backends.encoders import get_encoder  # noqa: E402


def main() -> int:
    total = {"planted": 0, "found": 0, "spurious": 0, "encoded": 0, "sentences": 0}
    enc = get_encoder(cache=False)
    print(f"{'pair':16} {'planted':>7} {'found':>5} {'missed':>6} {'spurious':>8} {'texts/sent':>10} {'secs':>5}")
    for p in pairs():
        exp = load_expected(p)
        enc.forget()
        t = time.perf_counter()
        c = compare(p / exp["source"], p / exp["translation"], encoder=enc)
        r = evaluate(c, exp)
        n = len(exp["planted"])
        total["planted"] += n
        total["found"] += len(r["found"])
        total["spurious"] += len(r["spurious"])
        total["encoded"] += c.settings["sentences_encoded"]
        total["sentences"] += len(c.source.sentences) + len(c.target.sentences)
        print(f"{p.name:16} {n:7d} {len(r['found']):5d} {len(r['missed']) + len(r['open']):6d} {len(r['spurious']):8d} "
              f"{c.settings['texts_per_sentence']:10.2f} {time.perf_counter() - t:5.1f}")
        for m in r["missed"]:
            print(f"    missed {m['kind']} {m.get('reason', '')}: {m.get('source', m.get('target'))}")
        for m in r["open"]:
            print(f"    missed (open: {m['open']}) {m['kind']}: {m.get('source', m.get('target'))}")
        for f in r["spurious"]:
            print(f"    spurious {f.kind} {','.join(f.reasons)}: {f.message}")
    print(f"{'all':16} {total['planted']:7d} {total['found']:5d} {total['planted'] - total['found']:6d} "
          f"{total['spurious']:8d} {total['encoded'] / max(1, total['sentences']):10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
