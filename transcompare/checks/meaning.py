"""Meaning check: a pair whose similarity falls far below the document's own distribution; and,
in a translation memory, a unit whose words mostly have no counterpart on the other side."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from .base import Evidence, Finding, PairView, as_confidence, logistic

#: per language pair, the mean map score of a unit's words that human translations reach at
#: most once in 200, and each side's that they reach once in 20 (``scripts/calibrate_unit_levels.py``),
#: with the map weights they hold for
LEVELS = Path(__file__).with_name("unit_levels.json")


def check_meaning(p: PairView) -> list[Finding]:
    ctx = p.ctx
    if not p.source or not p.target or not np.isfinite(p.similarity):
        return []
    z = (p.similarity - ctx.sim_median) / ctx.sim_spread
    if z <= -5.0:
        msg = (f"meaning differs: similarity {p.similarity:.2f} is far below this document's typical "
               f"{ctx.sim_median:.2f}")
        ev = tuple(Evidence("source", i, 0, len(ctx.src_sentences[i].text), "low similarity") for i in p.source)
        ev += tuple(Evidence("target", j, 0, len(ctx.tgt_sentences[j].text), "low similarity") for j in p.target)
        return [Finding("meaning", "major" if z < -7 else "minor", as_confidence(logistic(-z - 5.5)), msg, ev)]
    return _unrelated_unit(p)


def _unrelated_unit(p: PairView) -> list[Finding]:
    """A unit of a translation memory (the beads were given, so the aligner never decided that
    its two sides match) whose words' mean map score is above what human translations of this
    language pair reach once in 200, with each side's own mean above what they reach once in 20:
    the two sides say different things (a clause left out raises one side's mean only, and the
    partial omission check speaks for it). A document's own distribution cannot tell this in a
    memory of mined pairs, where most units may differ."""
    ctx = p.ctx
    if not ctx.given or ctx.diff is None:
        return []
    level = unit_level(ctx.src_lang, ctx.tgt_lang, ctx.map_weights)
    scores = unit_scores(ctx.diff, p.source, p.target)
    if level is None or scores is None or scores[0] < level["mean"] or scores[1] < level["each"]:
        return []
    mean, lower = scores
    msg = (f"meaning differs: most of this unit's words, on both sides, have no counterpart on the other side "
           f"(mean word score {mean:.2f}, each side {lower:.2f} or more; translations between these languages "
           f"stay below {level['mean']:.2f})")
    ev = tuple(Evidence("source", i, 0, len(ctx.src_sentences[i].text), "no counterpart") for i in p.source)
    ev += tuple(Evidence("target", j, 0, len(ctx.tgt_sentences[j].text), "no counterpart") for j in p.target)
    return [Finding("meaning", "major", as_confidence(logistic(20 * (mean - level["mean"]))), msg, ev)]


def unit_scores(diff, source, target) -> tuple[float, float] | None:
    """The mean map score of the words of a pair's sentences (both sides together) and the lower
    of its two sides' own means; ``None`` where a side has no scored word."""
    if diff is None:
        return None
    s = [x for i in source for *_, x in diff.source[i]]
    t = [x for j in target for *_, x in diff.target[j]]
    if not s or not t:
        return None
    return float(np.mean(s + t)), min(float(np.mean(s)), float(np.mean(t)))


def unit_level(src_lang: str, tgt_lang: str, weights: str | None) -> dict | None:
    """The levels for a language pair (its primary language codes, in either order): ``mean``
    for both sides' words together and ``each`` for each side's own; ``None`` where the levels
    were not read off the map weights ``weights`` (their signature) or the pair was never measured."""
    table = _levels()
    if weights is None or table.get("weights") != weights:
        return None
    key = "-".join(sorted(code.split("-")[0].split("_")[0].lower() for code in (src_lang, tgt_lang)))
    level = table.get("levels", {}).get(key)
    return {"mean": float(level["mean"]), "each": float(level["each"])} if level is not None else None


@lru_cache(maxsize=1)
def _levels() -> dict:
    try:
        return json.loads(LEVELS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
