"""Whether two documents are a translation of each other at all: the document verdict.

The aligner pairs sentences of any two texts, translations or not: in two unrelated articles on
near topics it still finds pairs, and its thresholds, read off each document, adapt to them. The
verdict asks instead how many statements sit in a pair that stands out from this document
pair's own noise: the similarities of its sentences with the sentences they were *not* paired
with (near-topic non-matches, since the aligner's band follows the diagonal). A pair is
*confident* when its similarity is above the noise's high end (:data:`NOISE_QUANTILE`), and
never below the encoder's own level for near-topic non-matches
(:attr:`~transcompare.backends.encoders.base.Encoder.neighbour_cosine`), which also stands in
for a document too short to measure its noise.

- ``unrelated``: at most :data:`UNRELATED` of either side's statements are in confident pairs;
- ``partial``: one side has less than :data:`PARTIAL` of its statements in confident pairs (a
  translation of part of the other, or a text that holds much more);
- ``translation``: otherwise.

The two shares are calibrated on FLORES-200 dev documents (``scripts/calibrate_verdict.py``):
real translations, a document against another document, and a document against half of its
translation.
"""
from __future__ import annotations

import numpy as np

from ..align.pair import AlignedPair
from ..model import Document

#: the quantile of a document pair's non-matching similarities above which a pair is confident
NOISE_QUANTILE = 0.99
#: the share of confident statements at or below which two documents are unrelated
UNRELATED = 0.25
#: the share of confident statements below which one side is only partly the other's translation
PARTIAL = 0.6
#: fewer non-matching cells than this do not measure a document pair's noise
MIN_NOISE_CELLS = 20
VERDICTS = ("translation", "partial", "unrelated")


def confident_level(run: AlignedPair, prior: float) -> float:
    """The similarity a pair must exceed to stand out: the high end of this document pair's
    similarities between sentences the aligner did not pair, and at least ``prior``."""
    M = run.matrix
    if M is None:
        return prior
    paired = {(i, j) for b in run.beads for i in b.source for j in b.target}
    values = []
    for i in range(M.data.shape[0]):
        a, b = int(M.lo[i]), int(M.hi[i])
        for j in range(a, b):
            if (i, j) not in paired:
                values.append(float(M.data[i, j - a]))
    if len(values) < MIN_NOISE_CELLS:
        return prior
    return max(prior, float(np.quantile(values, NOISE_QUANTILE)))


def confident_shares(source: Document, target: Document, run: AlignedPair, prior: float) -> tuple[float, float]:
    """The share of each side's statements that sit in a confident pair."""
    level = confident_level(run, prior)
    conf_s, conf_t = set(), set()
    for b, sim in zip(run.beads, run.sims):
        if b.source and b.target and np.isfinite(sim) and sim > level:
            conf_s.update(b.source)
            conf_t.update(b.target)
    st_s = [s.id for s in source.sentences if s.is_statement]
    st_t = [s.id for s in target.sentences if s.is_statement]
    share_s = sum(1 for i in st_s if i in conf_s) / len(st_s) if st_s else 1.0
    share_t = sum(1 for j in st_t if j in conf_t) / len(st_t) if st_t else 1.0
    return share_s, share_t


def verdict(share_s: float, share_t: float) -> str:
    if max(share_s, share_t) <= UNRELATED:
        return "unrelated"
    if min(share_s, share_t) < PARTIAL:
        return "partial"
    return "translation"
