"""Meaning check: a pair whose similarity falls far below the document's own distribution; and,
in a translation memory, a unit whose words mostly have no counterpart on the other side."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from .base import Evidence, Finding, PairView, as_confidence, logistic

#: per language pair, the mean map score of a unit's words that human translations reach at
#: most once in 200 (``scripts/calibrate_unit_levels.py``), with the map weights it holds for
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
    language pair reach once in 200: the two sides say different things. A document's own
    distribution cannot tell this in a memory of mined pairs, where most units may differ."""
    ctx = p.ctx
    if not ctx.given or ctx.diff is None:
        return []
    level = unit_level(ctx.src_lang, ctx.tgt_lang, ctx.map_weights)
    mean = unit_mean(ctx.diff, p.source, p.target)
    if level is None or mean is None or mean < level:
        return []
    msg = (f"meaning differs: most of this unit's words, on both sides, have no counterpart on the other side "
           f"(mean word score {mean:.2f} or more; translations between these languages stay below {level:.2f})")
    ev = tuple(Evidence("source", i, 0, len(ctx.src_sentences[i].text), "no counterpart") for i in p.source)
    ev += tuple(Evidence("target", j, 0, len(ctx.tgt_sentences[j].text), "no counterpart") for j in p.target)
    return [Finding("meaning", "major", as_confidence(logistic(20 * (mean - level))), msg, ev)]


def unit_mean(diff, source, target) -> float | None:
    """The lower of a pair's two sides' mean map scores (``None`` where a side has no scored
    word): how much of *each* side's content is absent from the other. Both must be high for
    the sides to say different things; a translation that leaves a clause out (or adds one)
    raises one side's mean only, and the partial omission and addition checks speak for it."""
    if diff is None:
        return None
    s = [x for i in source for *_, x in diff.source[i]]
    t = [x for j in target for *_, x in diff.target[j]]
    return min(float(np.mean(s)), float(np.mean(t))) if s and t else None


def unit_level(src_lang: str, tgt_lang: str, weights: str | None) -> float | None:
    """The level for a language pair (its primary language codes, in either order), when the
    levels were read off the map weights ``weights`` (their signature); ``None`` otherwise."""
    table = _levels()
    if weights is None or table.get("weights") != weights:
        return None
    key = "-".join(sorted(code.split("-")[0].split("_")[0].lower() for code in (src_lang, tgt_lang)))
    level = table.get("levels", {}).get(key)
    return float(level) if level is not None else None


@lru_cache(maxsize=1)
def _levels() -> dict:
    try:
        return json.loads(LEVELS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
