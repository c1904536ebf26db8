"""Where the aligner looks: the band of target sentences each source sentence is compared with.

A full similarity matrix of two long documents does not fit (100,000 sentences a side is 40 GB
in float32), so the DP runs in a band around a path of anchors: sentence pairs that are each
other's best match, in the order of both documents (the longest chain increasing on both sides).
The anchors are searched in a first, wider band around the diagonal; where the documents' lengths
differ by too much for a diagonal band of bounded size to hold the path, the path is first
traced on the documents averaged over blocks of sentences (coarse to fine, as Vecalign does),
and the wider band follows that path instead of the diagonal.
"""
from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

import numpy as np

from .gains import normalised
from .native import compiled

if TYPE_CHECKING:
    from .dp import AlignParams, SideFeatures

#: the most cells (source sentences times band width) the first band around the diagonal may
#: have (about 200 MB of float32 cosines); past it, the band follows a path traced on block averages
FIRST_BAND_CELLS = 50_000_000
#: the half width of the first band: around the diagonal, at least this; around a coarse path,
#: this beyond two blocks
FIRST_BAND = 60
#: the coarse documents of the block averages have at most this many blocks a side
COARSE_BLOCKS = 2000


class BandMatrix:
    """Cosines of source rows against a monotone band of target columns: row i holds [lo_i, hi_i)."""

    def __init__(self, S: np.ndarray, T: np.ndarray, lo: np.ndarray, hi: np.ndarray):
        self.lo, self.hi = lo.astype(np.int64), hi.astype(np.int64)
        self.width = int((self.hi - self.lo).max()) if len(lo) else 0
        self.m = T.shape[0]
        n = S.shape[0]
        self.data = np.full((n, max(1, self.width)), -np.inf, dtype=np.float32)
        if n and self.m:
            if int(self.lo.min()) == 0 and int(self.hi.max()) == self.m and self.width == self.m:
                self.data[:, :] = S @ T.T
            else:
                for i in range(n):
                    a, b = self.lo[i], self.hi[i]
                    if b > a:
                        self.data[i, : b - a] = S[i] @ T[a:b].T

    def row(self, i: int, a: int, b: int) -> np.ndarray:
        """Cosines of source ``i`` with targets ``a..b-1`` (-inf outside the band)."""
        out = np.full(b - a, -np.inf, dtype=np.float32)
        lo, hi = self.lo[i], self.hi[i]
        x, y = max(a, lo), min(b, hi)
        if y > x:
            out[x - a: y - a] = self.data[i, x - lo: y - lo]
        return out

    def knn_means(self, k: int, prior: float) -> tuple[np.ndarray, np.ndarray]:
        """Mean of the k highest cosines of every source row and every target column.

        Rows or columns with fewer than k candidates (short documents) are filled up with
        ``prior``, the encoder's typical cosine between a sentence and a near-topic non-match,
        so one-sentence documents are scored like long ones.
        """
        n = self.data.shape[0]

        def topk_mean(rows: np.ndarray) -> np.ndarray:
            vals = np.where(np.isfinite(rows), rows, -np.inf)
            kk = min(k, vals.shape[1])
            top = -np.partition(-vals, kk - 1, axis=1)[:, :kk] if kk else np.zeros((len(vals), 0))
            top = np.where(np.isfinite(top), top, prior)
            if kk < k:
                top = np.concatenate([top, np.full((len(top), k - kk), prior)], axis=1)
            return top.mean(axis=1)

        bs = topk_mean(self.data) if n else np.zeros(0)
        best = self._column_best(k)
        bt = np.where(np.isfinite(best), best, prior).mean(axis=1) if self.m else np.zeros(0)
        return bs.astype(np.float64), bt.astype(np.float64)

    def columns(self, js: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """For each target column of ``js`` (all by default), the first source row whose band
        holds it and the row after the last: the bands are monotone (both edges never move
        left), so a column's rows are a run."""
        js = np.arange(self.m) if js is None else js
        return np.searchsorted(self.hi, js, side="right"), np.searchsorted(self.lo, js, side="right")

    def _column_best(self, k: int, chunk: int = 16384) -> np.ndarray:
        """The k highest cosines of every target column over the rows whose band holds it (-inf
        where a column has fewer). Each column keeps k slots; the rows' values arrive in row
        order, and one that beats a column's lowest slot (the first of equal ones) takes it: all
        columns of a block step through their rows together. The slots' order is the one the
        row-by-row form gave, so their mean is too, to the bit."""
        best = np.full((self.m, k), -np.inf, dtype=np.float32)
        if not self.m or not len(self.lo):
            return best
        r0, r1 = self.columns()
        loops = compiled()
        if loops is not None:  # the same steps, column by column, compiled
            loops.column_slots(self.data, self.lo, r0, r1, best)
            return best
        count = np.maximum(r1 - r0, 0)
        last = self.data.shape[1] - 1
        for c0 in range(0, self.m, chunk):
            c1 = min(self.m, c0 + chunk)
            h = int(count[c0:c1].max())
            step = np.arange(h)
            held = step[None, :] < count[c0:c1, None]
            rows = np.where(held, r0[c0:c1, None] + step[None, :], 0)
            at = np.clip(np.arange(c0, c1)[:, None] - self.lo[rows], 0, last)
            vals = np.where(held, self.data[rows, at], -np.inf)
            slots = best[c0:c1]
            every = np.arange(c1 - c0)
            for t in range(h):
                worst = slots.argmin(axis=1)
                up = np.nonzero(vals[:, t] > slots[every, worst])[0]
                slots[up, worst[up]] = vals[up, t]
        return best


def longest_chain(points: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Longest chain strictly increasing in both coordinates (points sorted by i)."""
    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(points)
    for k, (_, j, _) in enumerate(points):
        pos = bisect.bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tails_idx.append(k)
        else:
            tails[pos] = j
            tails_idx[pos] = k
        prev[k] = tails_idx[pos - 1] if pos > 0 else -1
    out = []
    k = tails_idx[-1] if tails_idx else -1
    while k >= 0:
        out.append(points[k])
        k = prev[k]
    return out[::-1]


def band_from_anchors(anchors: list[tuple[int, int, float]], n: int, m: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Each source row's band of target columns, ``[lo, hi)``: around the straight line between
    the anchors before and after it (from (0, 0) to (n, m)), ``w`` and half the segment's length
    difference either side; made monotone."""
    pts = np.array([(0, 0)] + [(i, j) for i, j, _ in anchors] + [(n, m)], dtype=np.int64)
    i0, j0, i1, j1 = pts[:-1, 0], pts[:-1, 1], pts[1:, 0], pts[1:, 1]
    # each row on the straight line between the two points around it (where two segments meet,
    # the later one's), half a band and half the segment's length difference either side
    rows = np.arange(n)
    seg = np.searchsorted(i0, rows, side="right") - 1
    i0, j0, di, dj = i0[seg], j0[seg], (i1 - i0)[seg], (j1 - j0)[seg]
    centre = (j0 + (rows - i0) / np.maximum(1, di) * dj).astype(np.int64)
    spread = w + np.abs(dj - di) // 2 + 2
    lo = np.maximum(0, centre - spread)
    hi = np.minimum(m, centre + spread + 1)
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    return lo, hi


# ----------------------------------------------------------------- the aligner


def banded_matrix(src: SideFeatures, tgt: SideFeatures, params: AlignParams) -> BandMatrix:
    """The band the DP runs in: around the anchor path, :attr:`AlignParams.band` either side."""
    n, m = len(src.tokens), len(tgt.tokens)
    w0 = max(FIRST_BAND, abs(n - m) + 40)
    if n * (2 * w0 + 1) <= FIRST_BAND_CELLS:
        diag = (np.arange(n) * (m / max(1, n))).astype(np.int64)
        lo = np.clip(diag - w0, 0, m)
        hi = np.clip(diag + w0 + 1, 0, m)
        hi = np.maximum.accumulate(hi)
    else:
        lo, hi = coarse_band(src, tgt, params)
    anchors = anchor_path(BandMatrix(src.vectors, tgt.vectors, lo, hi), params)
    lo2, hi2 = band_from_anchors(anchors, n, m, params.band)
    return BandMatrix(src.vectors, tgt.vectors, lo2, hi2)


def anchor_path(M: BandMatrix, params: AlignParams) -> list[tuple[int, int, float]]:
    """The anchors in ``M``'s band: mutual best matches (normalised against both sides'
    neighbours), the weakest 30 % left out, in the longest chain that keeps both documents' order."""
    bs, bt = M.knn_means(params.knn, params.neighbour_prior)
    mutual = mutual_best(M, bs, bt)
    if mutual:
        cut = np.percentile([s for _, _, s in mutual], 30)
        mutual = [c for c in mutual if c[2] >= cut]
    return longest_chain(sorted(mutual))


def coarse_band(src: SideFeatures, tgt: SideFeatures, params: AlignParams) -> tuple[np.ndarray, np.ndarray]:
    """A first band that follows the documents' path rather than their diagonal: both documents
    averaged over blocks of ``f`` sentences (at most :data:`COARSE_BLOCKS` blocks a side), the
    blocks' anchor path found as the sentences' is (:func:`anchor_path`), and a band of
    two blocks and :data:`FIRST_BAND` sentences either side of it."""
    n, m = len(src.tokens), len(tgt.tokens)
    f = max(1, -(-max(n, m) // COARSE_BLOCKS))
    S, T = _block_means(src.vectors, f), _block_means(tgt.vectors, f)
    path = anchor_path(BandMatrix(S, T, np.zeros(len(S), dtype=np.int64), np.full(len(S), len(T))), params)
    centre = f // 2
    anchors = [(min(n - 1, a * f + centre), min(m - 1, b * f + centre), q) for a, b, q in path]
    return band_from_anchors(longest_chain(anchors), n, m, 2 * f + FIRST_BAND)


def _block_means(V: np.ndarray, f: int) -> np.ndarray:
    """The unit-length mean vector of each run of ``f`` rows of ``V`` (the last run may be shorter)."""
    n = len(V)
    sums = np.add.reduceat(V.astype(np.float32), np.arange(0, n, f), axis=0)
    return sums / (np.linalg.norm(sums, axis=1, keepdims=True) + 1e-12)


def mutual_best(M: BandMatrix, bs: np.ndarray, bt: np.ndarray, chunk: int = 8192) -> list[tuple[int, int, float]]:
    """Each source row's best target in its band (normalised against both sides' neighbour
    means), ``(i, j, q)``, where that row is also the best of the rows that rank ``j`` among their
    three best (ties: the first row), in row order. A block of rows at a time."""
    n, m = M.data.shape[0], M.m
    rows_all, cols_all, q_all, best_j, best_q = [], [], [], np.full(n, -1), np.zeros(n)
    for r0 in range(0, n, chunk):
        r1 = min(n, r0 + chunk)
        lo, width = M.lo[r0:r1], (M.hi - M.lo)[r0:r1]
        step = np.arange(M.data.shape[1])
        held = step[None, :] < width[:, None]
        cols = np.minimum(lo[:, None] + step[None, :], max(0, m - 1))
        q = normalised(M.data[r0:r1].astype(np.float64), (bs[r0:r1, None] + bt[cols]) / 2)
        q = np.where(held, q, -np.inf)
        some = width > 0
        jb = np.argmax(q, axis=1)
        best_j[r0:r1] = np.where(some, lo + jb, -1)
        best_q[r0:r1] = q[np.arange(r1 - r0), jb]
        top = np.argsort(-q, axis=1)[:, :3]
        keep = np.take_along_axis(held, top, axis=1) & some[:, None]
        rows_all.append(np.broadcast_to(np.arange(r0, r1)[:, None], top.shape)[keep])
        cols_all.append((lo[:, None] + top)[keep])
        q_all.append(np.take_along_axis(q, top, axis=1)[keep])
    rows, cols, qs = (np.concatenate(x) if x else np.zeros(0) for x in (rows_all, cols_all, q_all))
    # per target column, the row with the highest q among those ranking it (the first on a tie)
    order = np.lexsort((rows, -qs, cols))
    first = np.ones(len(order), dtype=bool)
    first[1:] = cols[order][1:] != cols[order][:-1]
    owner = np.full(m, -1)
    owner[cols[order][first]] = rows[order][first]
    rows = np.flatnonzero((best_j >= 0) & (owner[np.maximum(best_j, 0)] == np.arange(n)))
    return list(zip(rows.tolist(), best_j[rows].tolist(), best_q[rows].tolist()))
