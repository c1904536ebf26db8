"""Statements the translation moved: left out in place, clearly matched elsewhere.

The aligner is monotonic, so a paragraph that a rewrite moves up or down comes out of it as
source sentences with no counterpart (1-0 beads) and, far away, translation sentences with no
counterpart (0-1 beads). :func:`find_moved` pairs them again:

1. every left-out source statement is scored against every left-out translation statement with
   the aligner's normalised score (cosine against both sentences' nearest neighbours); the first
   and last sentences of many-sentence beads take part too, since the aligner may have tucked a
   moved sentence into a neighbour's bead (such a link must raise the aligner's own score: the
   pair gains more than the bead loses);
2. a pair is a *link* when each is the other's best left-out match, nothing in place matches
   either of them better (the band of the aligner's matrix), and its score is closer to the
   median score of the document's own 1-1 beads than to the deletion threshold;
   both sides must be statements of some length, in the document's usual length ratio;
3. the runs of left-out sentences around each link are aligned with the same DP as the whole
   document (so a moved paragraph may also merge or split sentences), and the beads it finds
   become ``moved`` beads. Sentences of the runs that match nothing stay dropped or added.

A moved bead takes the place of its first source sentence; its translation sentences leave the
place where they were. A pair that fits in order where it stands was only missed by the aligner,
and becomes an ordinary bead. Every sentence stays in exactly one bead, and the beads are in
order apart from the moved ones.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np

from .dp import AlignParams, AlignStats, BandMatrix, SideFeatures, dp_beads
from .gains import normalised
from ..model import Bead
from .refine import dp_gain


def in_place_best(M: BandMatrix | None, stats: AlignStats, rows: Sequence[int],
                  cols: Sequence[int], chunk: int = 8192) -> tuple[np.ndarray, np.ndarray]:
    """Best normalised score of each of the given source rows and of each of the target columns
    within the aligner's band (-inf where there is none; the band's edges never decrease, so the
    rows holding a column are one run), a block of rows (and of columns) at a time."""
    rs, js = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    best_s, best_t = np.full(len(rs), -np.inf), np.full(len(js), -np.inf)
    if M is None:
        return best_s, best_t
    width = M.data.shape[1]
    for c in range(0, len(rs), chunk):
        r = rs[c:c + chunk]
        lo, n_in = M.lo[r], (M.hi - M.lo)[r]
        held = np.arange(width)[None, :] < n_in[:, None]
        cols_at = np.minimum(lo[:, None] + np.arange(width)[None, :], max(0, M.m - 1))
        q = normalised(M.data[r].astype(np.float64), (stats.base_s[r][:, None] + stats.base_t[cols_at]) / 2)
        if width:
            best_s[c:c + chunk] = np.where(held, q, -np.inf).max(axis=1)
    r0, r1 = M.columns(js)
    count = np.maximum(r1 - r0, 0)
    for c in range(0, len(js), chunk):
        j, start, n_in = js[c:c + chunk], r0[c:c + chunk], count[c:c + chunk]
        h = int(n_in.max()) if len(n_in) else 0
        if h == 0:
            continue
        held = np.arange(h)[None, :] < n_in[:, None]
        r = np.where(held, start[:, None] + np.arange(h)[None, :], 0)
        vals = M.data[r, np.clip(j[:, None] - M.lo[r], 0, width - 1)].astype(np.float64)
        q = normalised(vals, (stats.base_s[r] + stats.base_t[j][:, None]) / 2)
        best_t[c:c + chunk] = np.where(held, q, -np.inf).max(axis=1)  # -inf for a column no band holds
    return best_s, best_t


def mutual_best_q(cos: np.ndarray, base_s: np.ndarray, base_t: np.ndarray, block: int = 64):
    """Of ``q = normalised(cos, (base_s[:, None] + base_t[None, :]) / 2)``: each row's best
    column and its value, and each column's best row (the first on ties, as ``np.argmax``), a
    block of rows at a time: the same values, without a float64 matrix of every candidate pair
    (25,000 edge sentences of a long document's beads make that some 130 MB, three times over)."""
    rows, cols = cos.shape
    row_best = np.zeros(rows, dtype=np.int64)
    row_val = np.full(rows, -np.inf)
    col_best = np.zeros(cols, dtype=np.int64)
    col_val = np.full(cols, -np.inf)
    at = np.arange(cols)
    for s in range(0, rows, block):
        q = normalised(cos[s:s + block], (base_s[s:s + block, None] + base_t[None, :]) / 2)
        rb = np.argmax(q, axis=1)
        row_best[s:s + block] = rb
        row_val[s:s + block] = q[np.arange(len(rb)), rb]
        cb = np.argmax(q, axis=0)
        cv = q[cb, at]
        better = cv > col_val  # an earlier block keeps a tie, as np.argmax keeps the first
        col_best[better] = cb[better] + s
        col_val[better] = cv[better]
    return row_best, row_val, col_best


def _runs(ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
    """Map each id to the maximal run of consecutive ids it belongs to."""
    out: dict[int, tuple[int, ...]] = {}
    run: list[int] = []
    for x in sorted(ids):
        if run and x != run[-1] + 1:
            for y in run:
                out[y] = tuple(run)
            run = []
        run.append(x)
    for y in run:
        out[y] = tuple(run)
    return out


def _subset(side: SideFeatures, ids: Sequence[int]) -> SideFeatures:
    idx = np.asarray(ids, dtype=np.int64)
    cont = side.continues[idx].copy() if side.continues is not None else None
    if cont is not None and len(cont):
        cont[0] = False
    return SideFeatures(side.vectors[idx], side.tokens[idx], [side.anchors[k] for k in ids],
                        side.paragraphs[idx], side.statement[idx], cont,
                        side.heading[idx] if side.heading is not None else None)


def _edge_members(beads: Sequence[Bead], side: str) -> dict[int, Bead]:
    """First and last sentences of the many-sentence sides of aligned beads, with their bead: the
    aligner may have tucked a moved sentence into a neighbour's bead."""
    out = {}
    for b in beads:
        ids = b.source if side == "source" else b.target
        if b.source and b.target and len(ids) > 1:
            out[ids[0]] = out[ids[-1]] = b
    return out


def _without(b: Bead, side: str, x: int) -> Bead:
    if side == "source":
        return Bead(tuple(i for i in b.source if i != x), b.target)
    return Bead(b.source, tuple(j for j in b.target if j != x))


def find_moved(beads: Sequence[Bead], src: SideFeatures, tgt: SideFeatures, stats: AlignStats,
               M: BandMatrix | None, params: AlignParams = AlignParams(), rounds: int = 3) -> list[Bead]:
    """Return ``beads`` with moved statements paired up as ``Bead(..., moved=True)``.

    Taking a moved sentence out of a bead can show the next one (a bead that held two misplaced
    sentences), so the search runs again, a few rounds at most, while it finds something."""
    beads = list(beads)
    for _ in range(rounds):
        new = _find_once(beads, src, tgt, stats, M, params)
        if new == beads:
            break
        beads = new
    return beads


def _find_once(beads: list[Bead], src: SideFeatures, tgt: SideFeatures, stats: AlignStats,
               M: BandMatrix | None, params: AlignParams) -> list[Bead]:
    drop = [b.source[0] for b in beads if b.source and not b.target and src.statement[b.source[0]]]
    add = [b.target[0] for b in beads if b.target and not b.source and tgt.statement[b.target[0]]]
    if len(stats.base_s) != len(src.tokens):
        return beads
    links = _links(beads, drop, add, src, tgt, stats, M, params)
    if not links:
        return beads
    moved, used_s, used_t = _moved_beads(links, drop, add, src, tgt, stats, params)
    return _assemble(beads, moved, used_s, used_t)


def _links(beads: list[Bead], drop: list[int], add: list[int], src: SideFeatures, tgt: SideFeatures,
           stats: AlignStats, M: BandMatrix | None, params: AlignParams) -> list[tuple[int, int]]:
    """The (source, target) pairs of left-out (or bead-edge) statements that are each other's
    clear best match, and better than anything in place (steps 1 and 2 of the module's doc)."""
    home_s = _edge_members(beads, "source")
    home_t = _edge_members(beads, "target")
    cand_s = drop + [x for x in home_s if src.statement[x]]
    cand_t = add + [y for y in home_t if tgt.statement[y]]
    if not cand_s or not cand_t:
        return []
    ones = [(b.source[0], b.target[0]) for b in beads if len(b.source) == 1 and len(b.target) == 1]
    if len(ones) < 3:
        return []  # too little of the document aligned to tell what a clear match scores
    oi, oj = np.array(ones).T
    one_q = normalised(np.einsum("ij,ij->i", src.vectors[oi], tgt.vectors[oj]), (stats.base_s[oi] + stats.base_t[oj]) / 2)
    # closer to the document's typical in-place pair than to the deletion threshold: among many
    # left-out sentences, the best of unrelated candidates clears the threshold by chance
    bar = max(stats.tau, (stats.tau + float(np.median(one_q))) / 2)

    d, a = np.array(cand_s), np.array(cand_t)
    row_best, row_val, col_best = mutual_best_q(src.vectors[d] @ tgt.vectors[a].T, stats.base_s[d], stats.base_t[a])
    # each other's best, above the bar, and nothing in place matches either sentence better (the
    # band holds float32 cosines)
    in_s, in_t = in_place_best(M, stats, cand_s, cand_t)
    in_t = in_t[row_best]
    clear = ((col_best[row_best] == np.arange(len(cand_s))) & ~(row_val < bar)
             & ~(row_val + 1e-4 < in_s) & ~(row_val + 1e-4 < in_t))
    links, where_s, where_t = [], None, None
    for r in np.flatnonzero(clear).tolist():
        i, j = cand_s[r], cand_t[int(row_best[r])]
        # a sentence taken out of a bead must leave the aligner's own score better off: the
        # pair gains more than the bead loses without it (a sentence a translation merged or
        # split stays in its bead)
        if i in home_s or j in home_t:
            if where_s is None:  # which bead holds each sentence (asked for here only)
                where_s = {x: k for k, b in enumerate(beads) for x in b.source}
                where_t = {y: k for k, b in enumerate(beads) for y in b.target}
            if abs(where_s[i] - where_t[j]) < 2:
                continue  # next door: how to split neighbouring beads is the aligner's call
            change = dp_gain(Bead((i,), (j,)), src, tgt, stats, params)
            for x, home, side in ((i, home_s, "source"), (j, home_t, "target")):
                if x in home:
                    change += (dp_gain(_without(home[x], side, x), src, tgt, stats, params)
                               - dp_gain(home[x], src, tgt, stats, params))
            if change <= 0:
                continue
        links.append((i, j))
    return links


def _moved_beads(links: list[tuple[int, int]], drop: list[int], add: list[int], src: SideFeatures,
                 tgt: SideFeatures, stats: AlignStats,
                 params: AlignParams) -> tuple[list[Bead], set[int], set[int]]:
    """Step 3 of the module's doc: the moved beads around each link, and the sentences they use."""
    # a statement, not a scrap: at least half the typical length of a sentence on its side, and
    # the two sides in the document's usual length ratio (within three robust deviations, and
    # never stricter than "at most twice as long or as short as usual")
    min_s = 0.5 * float(np.median(src.tokens[src.statement])) if src.statement.any() else 0.0
    min_t = 0.5 * float(np.median(tgt.tokens[tgt.statement])) if tgt.statement.any() else 0.0

    def fits(b: Bead) -> bool:
        ls, lt = float(src.tokens[list(b.source)].sum()), float(tgt.tokens[list(b.target)].sum())
        off = abs(np.log((lt + 1) / (ls + 1)) - stats.length_mu)
        return ls >= min_s and lt >= min_t and off <= max(3.0 * stats.length_sigma, np.log(2.0))

    src_run, tgt_run = _runs(drop), _runs(add)
    used_s: set[int] = set()
    used_t: set[int] = set()
    moved: list[Bead] = []
    for i, j in links:
        if i in used_s or j in used_t:
            continue
        rs = [x for x in src_run.get(i, (i,)) if x not in used_s]
        rt = [y for y in tgt_run.get(j, (j,)) if y not in used_t]
        sub_s, sub_t = _subset(src, rs), _subset(tgt, rt)
        sub_stats = replace(stats, base_s=stats.base_s[rs], base_t=stats.base_t[rt])
        sub_M = BandMatrix(sub_s.vectors, sub_t.vectors, np.zeros(len(rs)), np.full(len(rs), len(rt)))
        found = [Bead(tuple(rs[p] for p in b.source), tuple(rt[p] for p in b.target), moved=True)
                 for b in dp_beads(sub_M, sub_s, sub_t, sub_stats, params) if b.source and b.target]
        if not any(i in b.source and j in b.target for b in found):
            found = [Bead((i,), (j,), moved=True)]  # the DP chose otherwise: keep the clear link alone
        found = [b for b in found if fits(b)]
        for b in found:
            used_s.update(b.source)
            used_t.update(b.target)
        moved.extend(found)
    return moved, used_s, used_t


def _assemble(beads: list[Bead], moved: list[Bead], used_s: set[int], used_t: set[int]) -> list[Bead]:
    """Take the moved sentences out of their old beads and put each moved bead where its first
    source sentence stood."""
    at = {b.source[0]: b for b in moved}
    out: list[Bead] = []
    for b in beads:
        if used_s.isdisjoint(b.source) and used_t.isdisjoint(b.target):
            out.append(b)
            continue
        rest_s = tuple(x for x in b.source if x not in used_s)
        rest_t = tuple(y for y in b.target if y not in used_t)
        if rest_s and rest_t:
            pieces = [Bead(rest_s, rest_t, b.moved)]
        else:  # a bead that lost one side entirely leaves its other sentences out, one by one
            pieces = [Bead((x,), ()) for x in rest_s] + [Bead((), (y,)) for y in rest_t]
        pieces += [at[x] for x in b.source if x in at]
        out.extend(sorted(pieces, key=lambda z: z.source[0] if z.source else -1))
    return _in_place(out)


def _in_place(beads: list[Bead]) -> list[Bead]:
    """A pair that fits between its neighbours in order was only missed in place, not moved."""
    big = 1 << 62
    after = [big] * (len(beads) + 1)  # smallest target id of the in-order beads from k on
    for k in range(len(beads) - 1, -1, -1):
        b = beads[k]
        after[k] = min(after[k + 1], b.target[0]) if (b.target and not b.moved) else after[k + 1]
    out, before = [], -1
    for k, b in enumerate(beads):
        if b.moved and before < b.target[0] and b.target[-1] < after[k + 1]:
            b = Bead(b.source, b.target)
        if b.target and not b.moved:
            before = max(before, b.target[-1])
        out.append(b)
    return out
