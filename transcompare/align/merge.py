"""Neighbouring beads that divide one passage differently on the two sides.

A translator may cut a passage into sentences at other places than the author did ("A, B. C."
against "A. B, C."). The DP then pairs the pieces one by one, each pair holding part of the
other's content: the pairs match a little worse than the document's pairs do, and their lengths
disagree in opposite directions (one translation piece too long, the next too short). The
passage as a whole, two beads written as one, matches better and has the length this document's
translations have.

So two neighbouring beads are merged when, together, they are clearly better than apart, on the
two things a bead is scored on, each measured against this document's own distribution:

* the similarity of the real concatenations (the encoder reads the whole passage) gains more
  over the two beads' mean than neighbouring beads of this document gain when they are merged
  (median and robust spread of that gain over a sample of the document's neighbouring beads);
* the merged bead's length ratio is more typical than the worse of the two (in the document's
  spreads of log length ratios, as the DP scores length).

The sum of the two, in spreads, must reach :data:`MERGE_SPREADS`. Only pairs whose lengths
gain at least :data:`LENGTH_GAIN` are embedded, besides the sample; a document with fewer than
:data:`MIN_PAIRS` pairs of neighbouring beads (a short article) is left as it is, since the
sample would cost it too much.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from ..model import Bead
from .dp import AlignStats, SideFeatures

#: how many spreads (similarity gain plus length gain) a merge must stand above the document's
#: typical neighbouring beads
MERGE_SPREADS = 5.0
#: the least length gain (in spreads of log length ratios) for a pair to be looked at
LENGTH_GAIN = 1.0
#: neighbouring beads sampled to learn what merging gains where it should not
SAMPLE = 24
#: the fewest pairs of neighbouring beads a document needs for the step: the sample costs two
#: texts a pair, which only a long document pays for in passing (a short news article's
#: sentences would be encoded half as many times again)
MIN_PAIRS = 2 * SAMPLE
#: the most sentences a merged bead may hold (the DP's own limit on a side is 3 or 4)
MAX_SIDE = 5
#: the least robust spread of the similarity gain assumed
MIN_SPREAD = 0.004


def merge_neighbours(beads: Sequence[Bead], src: SideFeatures, tgt: SideFeatures, stats: AlignStats,
                     similarity: Callable[[Bead], float]) -> list[Bead]:
    """``beads`` with neighbours merged where they divide one passage differently (module
    docstring). ``similarity(bead)`` is a bead's real similarity (its sentences' cosine, or the
    cosine of its real concatenations)."""
    out = list(beads)
    pairs = [k for k in range(len(out) - 1) if _mergeable(out[k], out[k + 1], src, tgt)]
    if len(pairs) < MIN_PAIRS or stats.length_sigma <= 0:
        return out
    lz = {}

    def length_z(b: Bead) -> float:
        if b not in lz:
            ts = float(src.tokens[list(b.source)].sum())
            tt = float(tgt.tokens[list(b.target)].sum())
            lz[b] = abs((np.log((tt + 1) / (ts + 1)) - stats.length_mu) / stats.length_sigma)
        return lz[b]

    def gain(k: int) -> float:
        a, b = out[k], out[k + 1]
        return similarity(_union(a, b)) - (similarity(a) + similarity(b)) / 2

    length_gain = {k: max(length_z(out[k]), length_z(out[k + 1])) - length_z(_union(out[k], out[k + 1]))
                   for k in pairs}
    if not any(g >= LENGTH_GAIN for g in length_gain.values()):
        return out  # nothing to look at: nothing embedded
    step = max(1, len(pairs) // SAMPLE)
    sample = np.array([gain(k) for k in pairs[::step][:SAMPLE]])
    med = float(np.median(sample))
    spread = max(MIN_SPREAD, float(np.median(np.abs(sample - med))) * 1.4826)
    scores = {k: (gain(k) - med) / spread + length_gain[k] for k in pairs if length_gain[k] >= LENGTH_GAIN}
    taken: set[int] = set()
    for k in sorted(scores, key=lambda k: -scores[k]):
        if scores[k] < MERGE_SPREADS or k in taken or k + 1 in taken:
            continue
        taken.update((k, k + 1))
    merged, k = [], 0
    while k < len(out):
        if k in taken:
            merged.append(_union(out[k], out[k + 1]))
            k += 2
        else:
            merged.append(out[k])
            k += 1
    return merged


def _union(a: Bead, b: Bead) -> Bead:
    return Bead(tuple(a.source) + tuple(b.source), tuple(a.target) + tuple(b.target))


def _mergeable(a: Bead, b: Bead, src: SideFeatures, tgt: SideFeatures) -> bool:
    """Both beads pair sentences, neither is moved, the two are in document order on both sides,
    hold statements only (no heading, byline or other boilerplate), and together stay small."""
    if not (a.source and a.target and b.source and b.target) or a.moved or b.moved:
        return False
    if a.source[-1] + 1 != b.source[0] or a.target[-1] + 1 != b.target[0]:
        return False
    if len(a.source) + len(b.source) > MAX_SIDE or len(a.target) + len(b.target) > MAX_SIDE:
        return False
    for side, ids in ((src, list(a.source + b.source)), (tgt, list(a.target + b.target))):
        if not bool(np.all(side.statement[ids])) or (side.heading is not None and bool(np.any(side.heading[ids]))):
            return False
    return True
