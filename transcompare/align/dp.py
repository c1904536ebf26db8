"""Sentence alignment: monotonic dynamic programming over beads.

A bead joins up to four sentences (1-1, 1-2, 2-1, 1-3, 3-1, 2-2) or leaves one out (1-0, 0-1).
The score of a bead comes from the sentence vectors alone: the vector of several sentences is
the token-weighted average of their vectors (the encoder mean-pools, so that is close to the
vector of their concatenation), and its cosine is normalised against each sentence's nearest
neighbours in the other document. A length prior and shared anchors (numbers, names, rare words
identical on both sides) adjust it. Every threshold is read off the document's own score
distribution. Short documents get an exact DP over the whole matrix; long ones a band around a
path through confident anchors, so time and memory grow linearly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Sequence

import numpy as np

from ..model import Alignment, Bead
from .band import BandMatrix, banded_matrix
from .native import compiled
from .gains import NEG, SCORED, TYPE_PRIOR, anchor_index, block_gains, normalised

BEAD_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (3, 1), (1, 3), (2, 2))
#: how many DP rows have their bead gains computed together (block_gains)
GAIN_BLOCK = 512
#: the bead types scored at a cell (0-1 is the running scan along the row), in BEAD_TYPES order:
#: their index there, sizes, and which rows of block_gains' SCORED they take
_ENDING = [(t, a, b) for t, (a, b) in enumerate(BEAD_TYPES) if a]
_ENDING_T = np.array([t for t, _, _ in _ENDING], dtype=np.int8)
_ENDING_A = np.array([a for _, a, _ in _ENDING])
_ENDING_B = np.array([b for _, _, b in _ENDING])
_ENDING_SCORED = np.array([k for k, (_, a, b) in enumerate(_ENDING) if b])
_ENDING_UNSCORED = [k for k, (_, a, b) in enumerate(_ENDING) if not b]
MAX_A, MAX_B = int(_ENDING_A.max()), int(_ENDING_B.max())
#: where in the ring of D's last rows (see dp_beads) each type's predecessor row i - a is
_ENDING_BACK = -_ENDING_A[:, None]
assert [(a, b) for _, a, b in _ENDING if b] == list(SCORED)  # block_gains' rows, in the same order
# a small prior against many-to-many beads, in units of bead gain
DEFAULT_TYPE_OFFSET = {(1, 1): 0.0, (2, 1): 0.04, (1, 2): 0.035, (2, 2): 0.07, (3, 1): 0.055, (1, 3): 0.05}


@dataclass(frozen=True)
class AlignParams:
    knn: int = 4  # neighbours for the margin normalisation
    # the encoder's typical cosine between a sentence and a near-topic sentence that does not
    # translate it; fills in for missing neighbours in very short documents
    neighbour_prior: float = 0.80
    full_limit: int = 360_000  # exact DP when n*m is at most this
    band: int = 20  # half width of the band around the anchor path
    tau_alpha: float = 0.3  # where the deletion threshold sits between noise and matches
    anchor_weight: float = 0.12
    length_weight: float = 0.08
    paragraph_penalty: float = 0.03
    # a bead that pools a heading with body text (or boilerplate) on one side: headings are
    # titles, translated as titles; this all but forbids it
    heading_penalty: float = 1.0
    # log token ratio (target / source) typical of the language pair, and its spread: the length
    # prior of documents too short to learn their own (Encoder.log_length_ratio)
    length_prior: float = 0.0
    length_prior_sigma: float = 0.2


@dataclass(frozen=True, eq=False)
class SideFeatures:
    """One document as the aligner sees it (built by :func:`transcompare.align.features.both_sides`)."""

    vectors: np.ndarray  # (n, d), normalised
    tokens: np.ndarray  # (n,) token counts
    anchors: Sequence[frozenset]  # per sentence
    paragraphs: np.ndarray  # (n,) paragraph index
    statement: np.ndarray  # (n,) bool: False for boilerplate
    #: (n,) bool: sentence i carries on sentence i-1 (which ends in ; or :, or this one opens in
    #: lower case): a piece of one statement that the segmentation or the line breaks cut
    continues: np.ndarray | None = None
    #: (n,) bool: the sentence is a heading (a title block)
    heading: np.ndarray | None = None

    @cached_property
    def statement_ids(self) -> np.ndarray:
        """The ids of the sentences that are statements (not boilerplate), in order."""
        return np.flatnonzero(self.statement)

    @cached_property
    def square_norms(self) -> np.ndarray:
        """Each sentence vector's squared length, in float64 (1 up to rounding); a block of rows
        at a time (the same values), so that no float64 copy of a long document's vectors is made."""
        blocks = (self.vectors[k:k + 2048].astype(np.float64) for k in range(0, len(self.vectors), 2048))
        return np.concatenate([np.einsum("ij,ij->i", v, v) for v in blocks] or [np.zeros(0)])


@dataclass(frozen=True, eq=False)
class AlignStats:
    """What the aligner learned from the document; later stages reuse it."""

    tau: float
    length_mu: float
    length_sigma: float
    base_s: np.ndarray
    base_t: np.ndarray
    method: str
    match_q: float = 0.0
    noise_q: float = 0.0
    # how much higher the cosine of unrelated a-b beads runs than that of unrelated 1-1 pairs
    # (averaging vectors cancels noise, so averages look more alike)
    type_offset: dict = field(default_factory=dict)


# ----------------------------------------------------------------- helpers


def window_norms(V: np.ndarray, w: np.ndarray, maxk: int = 3) -> list[np.ndarray]:
    """norms[k][j] = |sum_{q=j-k}^{j-1} w_q V_q| for k = 1..maxk (index 0 unused).

    The squared norm of a window is its weights' squares plus twice each neighbouring pair's
    (one and two apart) weighted cosine, added in that order for every window at once (the order
    the row-by-row form of tests/align_reference.py adds them in, so the norms are the same to the bit)."""
    n = V.shape[0]
    w = np.asarray(w, dtype=np.float64)
    g1 = np.einsum("ij,ij->i", V[:-1], V[1:]) if n > 1 else np.zeros(0)
    g2 = np.einsum("ij,ij->i", V[:-2], V[2:]) if n > 2 else np.zeros(0)
    out = [np.zeros(n + 1)]
    for k in range(1, maxk + 1):
        arr = np.full(n + 1, np.nan)
        if n >= k:
            first = np.arange(0, n - k + 1)  # the window's first sentence, for j = first + k
            s = np.zeros(len(first))
            for d in range(k):
                s = s + w[first + d] * w[first + d]
            for d in range(k):
                p = first + d
                if d + 1 < k:
                    s = s + 2 * w[p] * w[p + 1] * g1[p]
                if d + 2 < k:
                    s = s + 2 * w[p] * w[p + 2] * g2[p]
            arr[k:] = np.sqrt(np.maximum(s, 1e-12))
        out.append(arr)
    return out


def _cum(x: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(x, dtype=np.float64)])


def estimate_stats(M: BandMatrix, src: SideFeatures, tgt: SideFeatures, params: AlignParams, method: str) -> AlignStats:
    bs, bt = M.knn_means(params.knn, params.neighbour_prior)
    # every row's band at once: each row's normalised cosines, its best (the first highest, as
    # argmax takes it), and the rest of its band as the document's noise
    lengths = M.hi - M.lo
    rows = np.flatnonzero(lengths > 0)
    W = M.data.shape[1]
    cols = np.arange(W)[None, :]
    inside = cols < lengths[rows, None]
    tcol = np.minimum(M.lo[rows, None] + cols, max(0, len(bt) - 1))
    with np.errstate(invalid="ignore"):
        qm = normalised(M.data[rows].astype(np.float64), (bs[rows, None] + bt[tcol]) / 2) if len(rows) and len(bt) \
            else np.zeros((0, W))
    qm = np.where(inside, qm, -np.inf)
    jb = np.argmax(qm, axis=1)
    qs = qm[np.arange(len(rows)), jb]
    rest = inside.copy()
    rest[np.arange(len(rows)), jb] = False
    noise = qm[rest]
    best_t = M.lo[rows] + jb
    ratios = list(zip(qs, np.log((tgt.tokens[best_t] + 1) / (src.tokens[rows] + 1)))) if len(rows) else []
    if len(qs) >= 3 and len(noise) >= 3:
        match_q = float(np.median(qs))
        noise_q = float(np.percentile(noise, 95))
        tau = noise_q + params.tau_alpha * (match_q - noise_q)
        tau = float(min(max(tau, 0.02), 0.6))
    else:
        match_q, noise_q, tau = 0.5, 0.0, 0.15
    good = [r for qq, r in ratios if qq >= max(tau, match_q * 0.7)]
    if len(good) >= 3:
        mu = float(np.median(good))
        mad = float(np.median(np.abs(np.array(good) - mu))) * 1.4826
        sigma = max(0.12, mad)
    else:
        # too few clear pairs to learn from (a short document): the encoder's ratio for this
        # language pair. The document's total ratio would absorb what the translation left out.
        mu, sigma = params.length_prior, params.length_prior_sigma
    offsets = _type_offsets(src, tgt)
    return AlignStats(tau, mu, sigma, bs, bt, method, match_q, noise_q, offsets)


def _type_offsets(src: SideFeatures, tgt: SideFeatures, samples: int = 256) -> dict:
    """Median cosine of random a-b beads minus that of random 1-1 pairs, per bead type."""
    n, m = len(src.tokens), len(tgt.tokens)
    rng = np.random.default_rng(12345)  # fixed: the result must be deterministic
    out = {(1, 1): 0.0}
    if n < 8 or m < 8:
        # too few sentences to sample unrelated beads: typical values of the bundled encoder
        # (medians over FLORES dev documents, scripts/calibrate_encoder.py)
        return dict(DEFAULT_TYPE_OFFSET)
    def weighted(side, idx):  # the sampled sentences' vectors times their token counts
        return side.vectors[idx] * side.tokens[idx][:, None]

    def med(a, b):
        if n < a or m < b:
            return None
        i = rng.integers(0, n - a + 1, samples)
        j = rng.integers(0, m - b + 1, samples)
        vs = sum(weighted(src, i + k) for k in range(a))
        vt = sum(weighted(tgt, j + k) for k in range(b))
        c = np.einsum("ij,ij->i", vs, vt) / (np.linalg.norm(vs, axis=1) * np.linalg.norm(vt, axis=1) + 1e-12)
        return float(np.median(c))

    base = med(1, 1)
    for t in TYPE_PRIOR:
        if t == (1, 1):
            continue
        v = med(*t)
        out[t] = max(0.0, v - base) if v is not None and base is not None else 0.0
    return out


def align(src: SideFeatures, tgt: SideFeatures, params: AlignParams = AlignParams()) -> tuple[Alignment, AlignStats, BandMatrix]:
    n, m = len(src.tokens), len(tgt.tokens)
    if n == 0 or m == 0:
        beads = [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
        return Alignment(tuple(beads), "trivial"), *similarity_stats(src, tgt, params)
    stats, M = similarity_stats(src, tgt, params)
    beads = dp_beads(M, src, tgt, stats, params)
    return Alignment(tuple(beads), stats.method), stats, M


def similarity_stats(src: SideFeatures, tgt: SideFeatures,
                     params: AlignParams = AlignParams()) -> tuple[AlignStats, BandMatrix | None]:
    """The document's own score statistics (deletion threshold, length prior, noise level) and
    the similarity matrix they come from, without the DP: all that pre-aligned input (a
    translation memory, whose units are the beads) needs for its checks."""
    n, m = len(src.tokens), len(tgt.tokens)
    if n == 0 or m == 0:
        empty = np.zeros(0)
        return AlignStats(0.15, 0.0, 0.3, empty, empty, "trivial"), None
    if n * m <= params.full_limit:
        method = "dp-full"
        M = BandMatrix(src.vectors, tgt.vectors, np.zeros(n), np.full(n, m))
    else:
        method = "dp-band"
        M = banded_matrix(src, tgt, params)
    return estimate_stats(M, src, tgt, params, method), M


def dp_beads(M: BandMatrix, src: SideFeatures, tgt: SideFeatures, stats: AlignStats, params: AlignParams) -> list[Bead]:
    n, m = len(src.tokens), len(tgt.tokens)
    ls = src.tokens.astype(np.float64)
    lt = tgt.tokens.astype(np.float64)
    ns = window_norms(src.vectors, ls)
    nt = window_norms(tgt.vectors, lt)
    bs, bt = stats.base_s, stats.base_t
    cum_lt = _cum(lt)
    cum_btw = _cum(lt * bt)
    na_t = np.array([len(a) for a in tgt.anchors], dtype=np.float64)
    cum_na_t = _cum(na_t)
    para_t = tgt.paragraphs
    head_t = _cum(tgt.heading.astype(np.float64)) if tgt.heading is not None else None
    tau, mu, sigma = stats.tau, stats.length_mu, stats.length_sigma
    # running sums over source sentences: lengths, length-weighted baselines, anchor counts
    cum_src = (_cum(ls), _cum(ls * bs), _cum(np.array([len(x) for x in src.anchors], dtype=np.float64)))
    index = anchor_index(tgt.anchors)
    cl, ch = cell_band(M, n, m)
    width = int((ch - cl).max()) + 1

    # the last rows of D over every target column, in turn (-inf outside each row's band and
    # where a cell is not reachable, i.e. at or below NEG / 2; MAX_B columns of -inf before the
    # first, so that no predecessor column is negative): the predecessors D[i-a][j-b] of row i,
    # for every bead type, are one gather from it
    ring = np.full((MAX_A + 1, m + 1 + MAX_B), -np.inf)
    spans = np.array([(0, -1)] * (MAX_A + 1), dtype=np.int64)
    row = _Row(width)
    loops = compiled()
    back: list[tuple[int, np.ndarray]] = []
    for b0 in range(0, n + 1, GAIN_BLOCK):
        b1 = min(n + 1, b0 + GAIN_BLOCK)
        # the gains of a block of rows, with a row of zeros for the 1-0 bead (it has no gain)
        # where _ENDING has it
        block = np.insert(block_gains(np.arange(b0, b1), cl, ch, M, ls, lt, ns, nt, cum_lt, cum_btw, cum_na_t,
                                      src, index, para_t, tau, mu, sigma, params, stats.type_offset, cum_src,
                                      head_t), _ENDING_UNSCORED, 0.0, axis=1)
        if loops is not None:  # the same steps, compiled
            bp = np.empty((b1 - b0, width), dtype=np.int8)
            loops.dp_rows(b0, b1, np.ascontiguousarray(block), ring, spans, cl, ch, _ENDING_T, _ENDING_A, _ENDING_B, MAX_A, MAX_B,
                           row.scan, NEG, bp, row.run_of)
            back.extend((int(cl[i]), bp[i - b0, :int(ch[i] - cl[i]) + 1]) for i in range(b0, b1))
        else:
            back.extend(row.step(i, block[i - b0], ring, spans, int(cl[i]), int(ch[i])) for i in range(b0, b1))
    return trace_back(back, n, m)


class _Row:
    """One row of the DP, every cell at once. Where the C extension was built, its ``dp_rows``
    (:mod:`.native`) takes the same steps cell by cell instead."""

    def __init__(self, width: int):
        # per ring slot of row i, each type's predecessor row; per type, its predecessor's
        # column (in the ring's shifted columns) at the row's first cell
        self.ring_rows = [((r - _ENDING_A) % (MAX_A + 1))[:, None] for r in range(MAX_A + 1)]
        self.columns = np.arange(width)
        self.shift = (MAX_B - _ENDING_B)[:, None] + self.columns[None, :]
        self.scan = BEAD_TYPES.index((0, 1))
        self.run_of = np.empty(width)  # the compiled loop's scratch row

    def step(self, i: int, gains: np.ndarray, ring: np.ndarray, spans: np.ndarray, a_i: int, b_i: int):
        """Row ``i`` (cells ``a_i..b_i``) from the ring of the rows before it, which it then
        joins; its back pointers."""
        width = b_i - a_i + 1
        # every bead type ending at each cell of the row, at once: its predecessor D[i-a][j-b]
        # (-inf where there is none) plus its gain; the first type (in BEAD_TYPES order) with
        # the highest value wins where it beats the cell (NEG), as updating type by type on
        # "greater" would
        cand = ring[self.ring_rows[i % (MAX_A + 1)], self.shift[:, :width] + a_i] + gains[:, :width]
        k = np.argmax(cand, axis=0)
        top = cand[k, self.columns[:width]]
        best = np.maximum(top, NEG)
        if i == 0:
            best[0] = max(best[0], 0.0)
        bp = np.where(top > NEG, _ENDING_T[k], np.int8(-1))
        if i == 0 and top[0] <= 0.0:
            bp[0] = -1
        # 0-1 beads: D[i][j] = max(D[i][j], D[i][j-1]) — a running maximum along the row
        run = np.maximum.accumulate(best)
        bp[run > best] = self.scan
        slot = i % (MAX_A + 1)
        lo, hi = spans[slot]
        ring[slot, lo + MAX_B:hi + 1 + MAX_B] = -np.inf  # the row MAX_A + 1 back: no longer a predecessor
        ring[slot, a_i + MAX_B:b_i + 1 + MAX_B] = np.where(run > NEG / 2, run, -np.inf)
        spans[slot] = (a_i, b_i)
        return a_i, bp


def cell_band(M: BandMatrix, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The DP's cells, row by row: cell (i, j) = i source and j target sentences consumed, for
    j in [cl[i], ch[i]] (the matrix band of the rows around i, monotone)."""
    big = np.iinfo(np.int64).max
    lo, hi = M.lo[:n].astype(np.int64), M.hi[:n].astype(np.int64)
    # the lowest and highest column of rows i - 1 and i, where they exist
    cl = np.minimum(np.r_[big, lo], np.r_[lo, big])
    ch = np.maximum(np.r_[-big, hi], np.r_[hi, -big])
    cl[0], ch[n] = 0, m
    cl = np.ascontiguousarray(np.minimum.accumulate(cl[::-1])[::-1])
    ch = np.maximum.accumulate(ch)
    return cl, ch


def trace_back(back: list[tuple[int, np.ndarray]], n: int, m: int) -> list[Bead]:
    """The beads of the best path, from the back pointers of every row, traced from (n, m)."""
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        a_i, bp = back[i]
        t = int(bp[j - a_i])
        if t < 0:
            raise RuntimeError("alignment DP found no path")  # cannot happen: 1-0/0-1 always connect
        a, b = BEAD_TYPES[t]
        beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    beads.reverse()
    return beads


