"""Meaning check: a pair whose similarity falls far below the document's own distribution."""
from __future__ import annotations

import numpy as np

from .base import Evidence, Finding, PairView, as_confidence, logistic


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
    return [Finding("meaning", "major" if z < -7 else "minor", as_confidence(logistic(-z - 5.5)), msg, ev)]
