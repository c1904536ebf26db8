"""The aligner's second pass: decisions the DP's averaged vectors cannot settle.

See :func:`refine`. Real concatenations are embedded only where they change a decision.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .coverage import MIN_WORDS, Coverage
from .dp import AlignParams, AlignStats, BandMatrix, SideFeatures
from .gains import TYPE_PRIOR
from .members import member_z, member_zs
from ..model import Bead


def bead_cosine(bead: Bead, src: SideFeatures, tgt: SideFeatures) -> float:
    """Cosine of the token-weighted average vectors of the bead's two sides."""
    if not bead.source or not bead.target:
        return float("nan")
    vs = sum(src.tokens[p] * src.vectors[p] for p in bead.source)
    vt = sum(tgt.tokens[q] * tgt.vectors[q] for q in bead.target)
    return float(vs @ vt / (np.sqrt(vs.dot(vs)) * np.sqrt(vt.dot(vt)) + 1e-12))  # (np.linalg.norm's own steps)


def bead_cosines(beads: Sequence[Bead], src: SideFeatures, tgt: SideFeatures) -> np.ndarray:
    """:func:`bead_cosine` of many beads (each with both sides) at once: the 1-1 beads as one
    array (the same value up to rounding), the others one at a time."""
    out = np.empty(len(beads))
    ones = [k for k, b in enumerate(beads) if len(b.source) == 1 and len(b.target) == 1]
    for c in range(0, len(ones), 8192):  # (in blocks: a weighted copy of every vector is large)
        at = ones[c:c + 8192]
        i = np.array([beads[k].source[0] for k in at])
        j = np.array([beads[k].target[0] for k in at])
        vs = src.tokens[i, None] * src.vectors[i]
        vt = tgt.tokens[j, None] * tgt.vectors[j]
        dots = np.einsum("ij,ij->i", vs, vt)
        out[at] = dots / (np.sqrt(np.einsum("ij,ij->i", vs, vs)) * np.sqrt(np.einsum("ij,ij->i", vt, vt)) + 1e-12)
    done = set(ones)
    for k, b in enumerate(beads):
        if k not in done:
            out[k] = bead_cosine(b, src, tgt)
    return out


def _pair_q(M: BandMatrix, stats: AlignStats, i: int, j: int) -> float:
    c = float(M.row(i, j, j + 1)[0]) if M is not None else float("-inf")
    if not np.isfinite(c):
        return float("-inf")
    base = (stats.base_s[i] + stats.base_t[j]) / 2
    return (c - base) / max(1e-6, 1 - base)


def _segments(beads: Sequence[Bead]):
    """Yield ``(bead, None)`` for aligned beads and ``(None, run)`` for each maximal run of
    left-out sentences between them, in order."""
    k = 0
    while k < len(beads):
        if beads[k].source and beads[k].target:
            yield beads[k], None
            k += 1
            continue
        run = []
        while k < len(beads) and not (beads[k].source and beads[k].target):
            run.append(beads[k])
            k += 1
        yield None, run


def median_spread(sims: Sequence[float]) -> tuple[float, float]:
    """Median and robust spread (MAD x 1.4826, at least 0.015) of bead similarities."""
    med = float(np.median(sims))
    return med, max(0.015, float(np.median(np.abs(np.array(sims) - med))) * 1.4826)


def _avg_gain(b: Bead, src: SideFeatures, tgt: SideFeatures, stats: AlignStats) -> float:
    """The DP's similarity gain for bead ``b`` (token-weighted average vectors)."""
    cos = bead_cosine(b, src, tgt)
    base = (np.mean([stats.base_s[p] for p in b.source]) + np.mean([stats.base_t[q] for q in b.target])) / 2
    base += stats.type_offset.get((len(b.source), len(b.target)), 0.0)
    q = (cos - base) / max(1e-6, 1 - base)
    return (len(b.source) + len(b.target)) * (q - stats.tau) + TYPE_PRIOR.get((len(b.source), len(b.target)), 0.0)


def dp_gain(b: Bead, src: SideFeatures, tgt: SideFeatures, stats: AlignStats, params: AlignParams) -> float:
    """:func:`_avg_gain` with the DP's length term: what the first pass would score the bead."""
    z = _length_z(b, src, tgt, stats)
    return _avg_gain(b, src, tgt, stats) - params.length_weight * min(z * z, 9.0)


def _gains(merged: Bead, nb: Bead, src: SideFeatures, tgt: SideFeatures, stats: AlignStats,
           params: AlignParams) -> bool:
    """For documents too short for :func:`member_z`: whether the bead gains by the sentence both
    in raw similarity (not the DP's gain, which grows with the bead's size, so that a short
    dropped sentence that hardly lowers its neighbour's similarity would always join; nor the
    normalised similarity, whose type offset splits real merges) and with
    the DP's length term (a dropped statement's neighbour matches a little
    better with it in a same-language pair, but the lengths say no; an unrelated sentence may fix
    the lengths of a bead that is short for another reason, but the similarity says no)."""
    return (bead_cosine(merged, src, tgt) > bead_cosine(nb, src, tgt)
            and dp_gain(merged, src, tgt, stats, params) > dp_gain(nb, src, tgt, stats, params))


def _rare_anchors(src: SideFeatures, tgt: SideFeatures) -> set:
    """Anchors that mark a place: a figure found in four sentences at most, both sides together,
    a word or name in two (one a side)."""
    freq = Counter(k for a in src.anchors for k in a) + Counter(k for a in tgt.anchors for k in a)
    return {k for k, c in freq.items() if c <= (4 if k[0] == "n" else 2)}


def refine(beads: Sequence[Bead], src: SideFeatures, tgt: SideFeatures, stats: AlignStats, M: BandMatrix,
           params: AlignParams = AlignParams(), join_z: float = 2.0, keep_z: float = 1.0,
           embed_pair: Callable[[Bead], float] | None = None,
           piece_test: Callable[[Bead, Bead], bool] | None = None,
           coverage: Coverage | None = None) -> list[Bead]:
    """Second pass over the DP's beads.

    A sentence belongs in a many-to-many bead when it completes the bead's other side clearly
    better than the document's other sentences would (:func:`member_z`), a test that is
    relative to each document, so it holds for close and loose translations alike.

    1. Gaps: where the DP left sentences out on both sides between the same two beads, a pair
       that is mutual best and above the midpoint of this document's noise level and deletion
       threshold is a (possibly altered) translation, not a drop plus an addition.
    2. Many-to-many beads: a first or last member below ``keep_z`` is split off as 1-0 / 0-1.
    3. A left-out sentence next to a bead joins it when its z is at least ``join_z``, or when
       ``piece_test`` (:class:`transcompare.align.pieces.PieceTest`) finds it translates a part of the
       bead's sentence on the other side.
    4. What is still left out on both sides of the same gap (at most four sentences in all) is
       embedded as two concatenations; if they match as well as this document's aligned pairs
       typically do (and above the encoder's near-topic level), or one sentence splits into the
       other two (``piece_test.split_across``), the gap is one bead.

    Content decides too, with ``coverage`` (:class:`transcompare.align.coverage.Coverage`): a
    sentence whose words the other side does not cover joins no bead unless the split test
    finds it a part of the bead's sentence or the real concatenation matches better than the
    bead alone; and a member of a bead the DP built whose words are not covered, and whose bead
    matches no worse without it, is split off.
    """
    sims = bead_cosines([b for b in beads if b.source and b.target], src, tgt)
    tolerance = 0.5 * median_spread(sims)[1] if len(sims) else 0.0075
    out = _fill_gaps(list(beads), M, stats)
    split, short_doc = _split_weak_members(out, src, tgt, stats, params, keep_z, coverage)
    # in a short document, members split off on both sides of the same place may be each
    # other's translation, when they match above the deletion threshold (the DP had them in
    # beads, not in a gap)
    out = _fill_gaps(split, M, stats, stats.tau) if short_doc else split
    if coverage is not None:
        out = _pair_covered(out, src, tgt, coverage)
    out = _join_left_out(out, _Joining(src, tgt, stats, M, params, join_z, embed_pair, piece_test, coverage,
                                       tolerance))
    if embed_pair is not None:
        out = _join_gaps(out, src, tgt, params, embed_pair, piece_test)
    out = join_crossed(out, src, tgt, stats)
    return out


def _split_weak_members(beads: list[Bead], src: SideFeatures, tgt: SideFeatures, stats: AlignStats,
                        params: AlignParams, keep_z: float,
                        coverage: Coverage | None = None) -> tuple[list[Bead], bool]:
    """Step 2 of :func:`refine`: each many-to-many bead sheds its first or last members while the
    weakest of them scores below ``keep_z``. Also says whether a document was too short for
    :func:`member_z` (its test then was whether the bead gains by the member)."""
    split: list[Bead] = []
    short_doc = False
    for bead in beads:
        cur = bead
        before: list[Bead] = []
        after: list[Bead] = []
        changed = True
        while changed and len(cur.source) + len(cur.target) > 2:
            changed = False
            worst = None
            for side in ("source", "target"):
                ids = getattr(cur, side)
                if len(ids) < 2:
                    continue
                own, other = (src, tgt) if side == "source" else (tgt, src)
                other_ids = cur.target if side == "source" else cur.source
                tries = [(ids[1:], ids[0]), (ids[:-1], ids[-1])]
                asked = [k for k in (0, 1) if own.statement[tries[k][1]]]
                zs = dict(zip(asked, member_zs(own, other, [tries[k] for k in asked], other_ids))) if asked else {}
                for k, first in enumerate((True, False)):
                    keep, drop = tries[k]
                    nb = Bead(keep, cur.target) if side == "source" else Bead(cur.source, keep)
                    z = zs[k] if own.statement[drop] else -1e9
                    if z is None:  # short document: does the bead gain by it, as a join would?
                        z = keep_z if _gains(cur, nb, src, tgt, stats, params) else -1.0
                        short_doc = True
                    if (coverage is not None and z >= keep_z and own.statement[drop]
                            and coverage.uncovered(side, (drop,), other_ids)
                            and (coverage.reliable[side] or bead_cosine(nb, src, tgt) >= bead_cosine(cur, src, tgt))):
                        z = -1e9  # neither its words nor the bead's vector say it belongs

                    if z < keep_z and (worst is None or z < worst[0]):
                        worst = (z, side, drop, keep, first)
            if worst is not None:
                _, side, drop, keep, first = worst
                lone = Bead((drop,), ()) if side == "source" else Bead((), (drop,))
                cur = Bead(keep, cur.target) if side == "source" else Bead(cur.source, keep)
                (before if first else after).append(lone)
                changed = True
        split.extend(before + [cur] + after[::-1])
    return split, short_doc


def _pair_covered(beads: list[Bead], src: SideFeatures, tgt: SideFeatures, coverage: Coverage) -> list[Bead]:
    """A sentence left out on one side next to one left out on the other, whose words (at least
    :data:`~.coverage.MIN_WORDS` content words) the other covers, is a shortened or lengthened
    translation of it: one altered pair (whose checks then say what is missing or new), not a
    drop beside an addition."""
    out: list[Bead] = []
    k = 0
    while k < len(beads):
        a = beads[k]
        b = beads[k + 1] if k + 1 < len(beads) else None
        if b is not None and _lone(a) and _lone(b) and bool(a.source) != bool(b.source):
            i, j = (a.source or b.source)[0], (a.target or b.target)[0]
            if src.statement[i] and tgt.statement[j] and any(
                    coverage.content_words(side, x) >= MIN_WORDS and coverage.covered(side, x, y)
                    for side, x, y in (("target", (j,), (i,)), ("source", (i,), (j,)))):
                out.append(Bead((i,), (j,)))
                k += 2
                continue
        out.append(a)
        k += 1
    return out


def _lone(b: Bead) -> bool:
    return len(b.source) + len(b.target) == 1


@dataclass(frozen=True)
class _Joining:
    """What step 3 of :func:`refine` (joining left-out sentences) works with."""

    src: SideFeatures
    tgt: SideFeatures
    stats: AlignStats
    M: BandMatrix
    params: AlignParams
    join_z: float
    embed_pair: Callable[[Bead], float] | None
    piece_test: Callable[[Bead, Bead], bool] | None
    coverage: Coverage | None
    #: the slack a join gets on the real similarity: half this document's spread of similarities
    tolerance: float


def _join_left_out(out: list[Bead], jn: _Joining) -> list[Bead]:
    """Step 3 of :func:`refine`: one left-out sentence at a time, joined to the neighbouring bead
    that scores it best at ``join_z`` or more; after a join, look again just before the grown
    bead."""
    src, tgt = jn.src, jn.tgt
    k = 0
    while k < len(out):
        bead = out[k]
        if bead.source and bead.target:
            k += 1
            continue
        if (bead.source and not src.statement[bead.source[0]]) or (bead.target and not tgt.statement[bead.target[0]]):
            k += 1
            continue  # boilerplate stays on its own
        best = None
        for nk in (k - 1, k + 1):
            scored = _join_score(out, k, nk, jn)
            if scored is None:
                continue
            z, merged = scored
            if z >= jn.join_z and (best is None or z > best[0]):
                best = (z, nk, merged)
        if best is not None:
            _, nk, merged = best
            lo, hi = min(k, nk), max(k, nk)
            out[lo:hi + 1] = [merged]
            k = max(0, lo - 1)  # the grown bead may now take the sentence before it
            continue
        k += 1
    return out


def _join_score(out: list[Bead], k: int, nk: int, jn: _Joining) -> tuple[float, Bead] | None:
    """How clearly the left-out sentence at ``k`` belongs in the bead at ``nk`` (``join_z`` or
    more: it does), with the bead it would make; ``None`` when that bead cannot take it."""
    bead = out[k]
    if not 0 <= nk < len(out):
        return None
    nb = out[nk]
    if not (nb.source and nb.target) or len(nb.source) + len(nb.target) >= MAX_BEAD:
        return None
    if len(nb.source if bead.source else nb.target) >= MAX_SIDE:
        return None
    src, tgt, stats, join_z = jn.src, jn.tgt, jn.stats, jn.join_z
    if bead.source:
        z = member_z(src, tgt, nb.source, bead.source[0], nb.target)
        merged = Bead(tuple(sorted(nb.source + bead.source)), nb.target)
    else:
        z = member_z(tgt, src, nb.target, bead.target[0], nb.source)
        merged = Bead(nb.source, tuple(sorted(nb.target + bead.target)))
    if z is None:
        z = join_z if _gains(merged, nb, src, tgt, stats, jn.params) else 0.0
    # a sentence that makes up the length the bead lacks on its side: a short piece
    # split off a statement adds little the encoder can see
    z_now, z_merged = _length_z(nb, src, tgt, stats), _length_z(merged, src, tgt, stats)
    short = z_now < -_SHORT_Z if bead.target else z_now > _SHORT_Z
    completes = short and abs(z_merged) < abs(z_now)
    # a piece that carries on its neighbour's statement (after ";" or ":", opening in
    # lower case...) belongs to that bead (the nearer one if it carries on both ways),
    # whatever its best match elsewhere; with length evidence, a translation sentence
    # may join the nearer of its two neighbours in order
    other = 2 * k - nk  # the neighbour on the other side
    both_ways = 0 <= other < len(out) and piece_of(bead, out[other], src, tgt)
    piece = piece_of(bead, nb, src, tgt) and (
        not both_ways or nk == _closer_neighbour(bead, out, k, src, tgt))
    attached = (_attached(bead, nb, jn.M, jn.tolerance if completes else 0.0) or piece
                or (completes and bead.target and nk == _closer_neighbour(bead, out, k, src, tgt)))
    if z < join_z and piece:
        z = join_z  # a piece of the bead's own statement: the text says so, not the encoder
    z = _second_looks(z, bead, nb, merged, _Lengths(z_now, z_merged, completes), piece, attached, jn)
    if z >= join_z and _no_content(bead, nb, merged, jn):
        z = 0.0  # neither its words nor the concatenation are on the bead's other side
    return z, merged


def _no_content(lone: Bead, nb: Bead, merged: Bead, jn: _Joining) -> bool:
    """Whether nothing says the lone sentence's content is on the bead's other side: its words
    are not covered there (:mod:`.coverage`) and, unless the word test is sharp enough to
    decide alone, the split test does not find it a part of the bead's sentence and the real
    concatenation matches no better than the bead alone."""
    if jn.coverage is None or jn.embed_pair is None:
        return False
    side, x, other_ids = ("source", lone.source, nb.target) if lone.source else ("target", lone.target, nb.source)
    if not jn.coverage.uncovered(side, x, other_ids):
        return False
    if jn.coverage.reliable[side]:
        return True
    if jn.piece_test is not None and jn.piece_test(lone, nb):
        return False
    return jn.embed_pair(merged) <= _real_cos(nb, jn.src, jn.tgt, jn.embed_pair)


@dataclass(frozen=True)
class _Lengths:
    """A bead's length evidence about a left-out neighbour: its side's length z-score without
    the sentence and with it, and whether the sentence completes a side that falls short."""

    now: float
    merged: float
    completes: bool


def _second_looks(z: float, bead: Bead, nb: Bead, merged: Bead, lengths: _Lengths, piece: bool,
                  attached: bool, jn: _Joining) -> float:
    """The evidence beyond :func:`member_z` that decides a join: the real concatenation, the
    split-sentence test, and the lengths."""
    src, tgt, stats, M, join_z, embed_pair = jn.src, jn.tgt, jn.stats, jn.M, jn.join_z, jn.embed_pair
    z_now, z_merged, completes = lengths.now, lengths.merged, lengths.completes
    if z < join_z and embed_pair is not None and attached:
        # join when the real concatenation matches better than the bead alone; a
        # translation that splits a statement in two may lose a little similarity
        # per half: a translation sentence that matches the bead's source above the
        # deletion threshold by itself gets half this document's spread as slack
        # (a left-out source sentence never does)
        slack = 0.0
        if bead.target and max(_pair_q(M, stats, i, bead.target[0]) for i in nb.source) > stats.tau:
            slack = jn.tolerance
        # so does one that completes the bead's length (above)
        if completes:
            slack = jn.tolerance
        if embed_pair(merged) > _real_cos(nb, src, tgt, embed_pair) - slack:
            z = join_z
        elif completes and _lone_q(bead, nb, M, stats) > (stats.noise_q + stats.tau) / 2:
            # the encoder loses similarity on some concatenations it should gain
            # on; when the lengths call for the sentence and it matches the bead's
            # other side above this document's noise, the lengths decide
            z = join_z
    if z < join_z and jn.piece_test is not None and jn.piece_test(bead, nb):
        z = join_z  # the translation of a part of the bead's sentence (pieces.py)
    if z < join_z and attached and abs(z_now) >= _FAR_Z and abs(z_merged) < 1.0 and (
            z_now > 0 if bead.source else z_now < 0):
        # the bead's side is far too long (or short) by itself and exactly right with
        # the sentence, whose best match is in the bead: a merge or a split, however the
        # encoder scores the concatenation (it loses similarity on some long ones)
        z = join_z
    if (z < join_z and embed_pair is not None and completes and not attached
            and embed_pair(merged) > _real_cos(nb, src, tgt, embed_pair)):
        # the lengths call for the sentence and the real concatenation matches better,
        # though the sentence alone matches something else best
        z = join_z
    if (z >= join_z and not piece and abs(z_now) < 1.0 and abs(z_merged) - abs(z_now) >= _FAR_Z
            and embed_pair is not None and embed_pair(merged) <= _real_cos(nb, src, tgt, embed_pair)):
        # the sentence suits the bead's topic better than the document's other sentences
        # do (in a short document, a weak test), but the bead's lengths are right
        # without it and off by two spreads more with it, and the real concatenation
        # matches no better: left out
        z = 0.0
    return z


def join_crossed(beads: list[Bead], src: SideFeatures, tgt: SideFeatures,
                  stats: AlignStats | None = None) -> list[Bead]:
    """Two neighbouring 1-1 beads become one 2-2 bead when an anchor (a number, a name, a rare
    word spelled alike) of one source sentence turns up in the other bead's translation and not
    in its own: the translation moved words across the sentence boundary.

    The other way round, a 2-2 bead splits into its two in-order pairs when no anchor crosses and
    both pairs have the document's usual length ratio (within one robust deviation): the lengths
    line up at the inner boundary, as they do for two sentences translated one by one (and the
    in-order pairs match better than the crossed ones: a swap stays one bead)."""
    rare = _rare_anchors(src, tgt)

    def crossed(i0, i1, j0, j1) -> bool:
        a_i0, a_i1, a_j0, a_j1 = src.anchors[i0], src.anchors[i1], tgt.anchors[j0], tgt.anchors[j1]
        return bool((((a_i0 & a_j1) - a_j0 - a_i1) & rare) or (((a_i1 & a_j0) - a_j1 - a_i0) & rare))

    out: list[Bead] = []
    for b in beads:
        if stats is not None and len(b.source) == len(b.target) == 2 and not b.moved and not crossed(*b.source, *b.target):
            halves = [Bead((b.source[0],), (b.target[0],)), Bead((b.source[1],), (b.target[1],))]
            (i0, i1), (j0, j1) = b.source, b.target
            cos = lambda i, j: float(src.vectors[i] @ tgt.vectors[j])  # noqa: E731
            in_order = cos(i0, j0) + cos(i1, j1) > cos(i0, j1) + cos(i1, j0)  # not a swapped pair
            if in_order and all(abs(_length_z(h, src, tgt, stats)) < 1.0 for h in halves):
                out.extend(halves)
                continue
        prev = out[-1] if out else None
        if (prev is not None and len(prev.source) == len(prev.target) == len(b.source) == len(b.target) == 1
                and not prev.moved and not b.moved):
            i0, i1, j0, j1 = prev.source[0], b.source[0], prev.target[0], b.target[0]
            if crossed(i0, i1, j0, j1):
                out[-1] = Bead((i0, i1), (j0, j1))
                continue
        out.append(b)
    return out


#: how far (in the document's own spread of length ratios) a bead's side must fall short before
#: a neighbouring sentence that completes it gets the benefit of the doubt
_SHORT_Z = 0.75
#: how far off its typical length a bead's side must be for the lengths alone (with the lone
#: sentence's best match in the bead) to decide a join
_FAR_Z = 2.0
#: the largest bead the second pass builds by joining left-out sentences (sentences in all, and on one side)
MAX_BEAD = 6
MAX_SIDE = 5


def _length_z(b: Bead, src: SideFeatures, tgt: SideFeatures, stats: AlignStats) -> float:
    ts = float(sum(src.tokens[i] for i in b.source))
    tt = float(sum(tgt.tokens[j] for j in b.target))
    return (np.log((tt + 1) / (ts + 1)) - stats.length_mu) / max(stats.length_sigma, 1e-6)


def piece_of(lone: Bead, bead: Bead, src: SideFeatures, tgt: SideFeatures) -> bool:
    """Whether the lone sentence and the bead's nearest sentence on the same side are two pieces
    of one statement."""
    own, ids, x = (src, bead.source, lone.source[0]) if lone.source else (tgt, bead.target, lone.target[0])
    if own.continues is None or not ids:
        return False
    if x == max(ids) + 1:
        return bool(own.continues[x])
    if x == min(ids) - 1:
        return bool(own.continues[min(ids)])
    return False


def _closer_neighbour(lone: Bead, beads: list[Bead], k: int, src: SideFeatures, tgt: SideFeatures) -> int | None:
    """Of the aligned beads just before and after the left-out sentence at ``k``, the one whose
    other side it matches best: order allows it no other place (a short fragment's best match
    over the whole document is often noise)."""
    best, arg = -np.inf, None
    for nk in (k - 1, k + 1):
        if not 0 <= nk < len(beads) or not (beads[nk].source and beads[nk].target):
            continue
        if lone.source:
            c = max(float(src.vectors[lone.source[0]] @ tgt.vectors[j]) for j in beads[nk].target)
        else:
            c = max(float(tgt.vectors[lone.target[0]] @ src.vectors[i]) for i in beads[nk].source)
        if c > best:
            best, arg = c, nk
    return arg


def _lone_q(lone: Bead, bead: Bead, M: BandMatrix, stats: AlignStats) -> float:
    if lone.source:
        return max(_pair_q(M, stats, lone.source[0], j) for j in bead.target)
    return max(_pair_q(M, stats, i, lone.target[0]) for i in bead.source)


def _attached(lone: Bead, bead: Bead, M: BandMatrix, slack: float = 0.0) -> bool:
    """Whether the best match of the lone sentence lies inside ``bead``'s other side (or a match
    there comes within ``slack`` of it)."""
    if M is None:
        return False
    if lone.source:
        i = lone.source[0]
        a, b = int(M.lo[i]), int(M.hi[i])
        if b <= a:
            return False
        row = M.data[i, : b - a]
        inside = [row[j - a] for j in bead.target if a <= j < b]
        return bool(inside) and max(inside) >= row.max() - slack
    j = lone.target[0]
    first, end = (int(x[0]) for x in M.columns(np.array([j])))  # the rows whose band holds j (a run)
    if end <= first:
        return False
    col = M.data[np.arange(first, end), j - M.lo[first:end]]
    inside = [col[i - first] for i in bead.source if first <= i < end]
    return bool(inside) and max(inside) >= col.max() - slack


def _real_cos(b: Bead, src: SideFeatures, tgt: SideFeatures, embed_pair) -> float:
    if len(b.source) == 1 and len(b.target) == 1:
        return float(src.vectors[b.source[0]] @ tgt.vectors[b.target[0]])
    return embed_pair(b)


def _join_gaps(beads: list[Bead], src: SideFeatures, tgt: SideFeatures, params: AlignParams,
               embed_pair: Callable[[Bead], float], piece_test=None) -> list[Bead]:
    sims = [bead_cosine(b, src, tgt) for b in beads if b.source and b.target]
    if sims:
        med, spread = median_spread(sims)
        floor = max(params.neighbour_prior, med - 5 * spread)
    else:
        floor = params.neighbour_prior + 0.03
    out: list[Bead] = []
    for bead, run in _segments(beads):
        if bead is not None:
            out.append(bead)
            continue
        srcs = tuple(sorted(i for b in run for i in b.source if src.statement[i]))
        tgts = tuple(sorted(j for b in run for j in b.target if tgt.statement[j]))
        if srcs and tgts and len(srcs) + len(tgts) <= 4 and len(srcs) <= 3 and len(tgts) <= 3:
            cand = Bead(srcs, tgts)
            if embed_pair(cand) >= floor or (piece_test is not None and piece_test.split_across(cand)):
                rest = [b for b in run if not (set(b.source) & set(srcs) or set(b.target) & set(tgts))]
                # keep document order: boilerplate before the joined bead stays before it
                first = min(srcs[0], 10 ** 9)
                out.extend(b for b in rest if b.source and b.source[0] < first)
                out.append(cand)
                out.extend(b for b in rest if not (b.source and b.source[0] < first))
                continue
        out.extend(run)
    return out


def _fill_gaps(beads: list[Bead], M: BandMatrix, stats: AlignStats, threshold: float | None = None) -> list[Bead]:
    out: list[Bead] = []
    for bead, run in _segments(beads):
        if bead is not None:
            out.append(bead)
            continue
        srcs = sorted(i for b in run for i in b.source)
        tgts = sorted(j for b in run for j in b.target)
        if not srcs or not tgts or M is None:
            out.extend(run)
            continue
        q = np.array([[_pair_q(M, stats, i, j) for j in tgts] for i in srcs])
        mono = monotone_pairs(q, (stats.noise_q + stats.tau) / 2 if threshold is None else threshold)
        if not mono:
            out.extend(run)
            continue
        ia = ib = 0
        for a, b in mono:
            while ia < a:
                out.append(Bead((srcs[ia],), ()))
                ia += 1
            while ib < b:
                out.append(Bead((), (tgts[ib],)))
                ib += 1
            out.append(Bead((srcs[a],), (tgts[b],)))
            ia, ib = a + 1, b + 1
        out.extend(Bead((srcs[x],), ()) for x in range(ia, len(srcs)))
        out.extend(Bead((), (tgts[x],)) for x in range(ib, len(tgts)))
    return out


def monotone_pairs(q: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """In-order 1-1 pairs above ``threshold`` with the largest total margin over it.

    A pair must also be the best match of its row or of its column among the gap's sentences, so
    a sentence is not paired with its neighbour's translation just because order allows it;
    ties (repeated sentences, near-identical paraphrases) are resolved by order.
    """
    n, m = q.shape
    gain = q - threshold
    ok = (gain > 0) & ((q >= q.max(axis=1, keepdims=True)) | (q >= q.max(axis=0, keepdims=True)))
    best = np.zeros((n + 1, m + 1))
    for a in range(n - 1, -1, -1):
        for b in range(m - 1, -1, -1):
            take = gain[a, b] + best[a + 1, b + 1] if ok[a, b] else -np.inf
            best[a, b] = max(take, best[a + 1, b], best[a, b + 1])
    pairs, a, b = [], 0, 0
    while a < n and b < m:
        if ok[a, b] and best[a, b] == gain[a, b] + best[a + 1, b + 1]:
            pairs.append((a, b))
            a, b = a + 1, b + 1
        elif best[a, b] == best[a + 1, b]:
            a += 1
        else:
            b += 1
    return pairs
