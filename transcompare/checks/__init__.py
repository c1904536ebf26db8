"""Checks on aligned pairs: each a small function that returns findings with evidence.

A check gets a :class:`PairView` (the bead's sentences, texts, scores, and the document-level
context) and returns a list of :class:`Finding`. ``CHECKS`` lists them by name; the flag
builder turns findings into ``altered`` flags.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .base import DocContext, Evidence, Finding, PairView, _conf, _logistic
from .names import check_names
from .negation import check_negation
from .numbers import check_numbers
from .partial import check_partial_omission
from .quotes import check_attribution, check_quotes

__all__ = ["CHECKS", "DEFAULT_CHECKS", "DocContext", "Evidence", "Finding", "PairView"]


def check_meaning(p: PairView) -> list[Finding]:
    ctx = p.ctx
    if not p.source or not p.target or not np.isfinite(p.similarity):
        return []
    z = (p.similarity - ctx.sim_median) / ctx.sim_spread
    if z > -5.0:
        return []
    msg = (f"meaning differs: similarity {p.similarity:.2f} is far below this document's typical "
           f"{ctx.sim_median:.2f}")
    ev = tuple(Evidence("source", i, 0, len(ctx.src_sentences[i].text), "low similarity") for i in p.source)
    ev += tuple(Evidence("target", j, 0, len(ctx.tgt_sentences[j].text), "low similarity") for j in p.target)
    return [Finding("meaning", "major" if z < -7 else "minor", _conf(_logistic(-z - 5.5)), msg, ev)]


Check = Callable[[PairView], list]

CHECKS: dict[str, tuple[Check, str]] = {
    "number": (check_numbers, "numbers, percentages and amounts that differ after locale normalisation (number words and magnitudes: en, vi, de, fr, es, zh, ru, ar)"),
    "name": (check_names, "a proper name dropped, swapped for another, or added by the translation (Latin-script names, any language)"),
    "negation": (check_negation, "a statement negated on one side only, or more often on one side (en, vi, de, fr, es, it, pt, zh, ru, ar)"),
    "attribution": (check_attribution, "a statement the translation puts in another named person's mouth (speakers in en, vi, de, fr, es, it, pt)"),
    "quote": (check_quotes, "quoted words changed while the statement around them is kept (any language's quotation marks)"),
    "partial_omission": (check_partial_omission, "the counterpart covers clearly less than the source statement (a clause, a phrase, a qualifier, a quote)"),
    "meaning": (check_meaning, "similarity far below the document's own distribution"),
}
DEFAULT_CHECKS = tuple(CHECKS)
