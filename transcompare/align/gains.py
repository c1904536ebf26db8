"""The gains of the DP's beads, for a block of DP rows at once.

The band DP (:func:`transcompare.align.dp.dp_beads`) scores every bead type (source i-a..i-1
against target j-b..j-1) at every cell of its band. Scored row by row, that is a few dozen small
numpy operations a row; here a block of rows is scored together, as (rows, types, columns)
arrays. Every element goes through the same operations, in the same order, as the row-by-row
form (``tests/align_reference.py`` holds it, one type at a time; ``tests/test_align.py``
compares the two bit for bit): the running sums over a row's window start at the same column,
and the members of a bead are summed in the same order, from zero.
"""
from __future__ import annotations

import numpy as np

#: the bead types scored with a gain (1-0 has none; 0-1 is the DP's running scan), their prior
#: against many-to-many beads, in units of bead gain
SCORED = ((1, 1), (2, 1), (1, 2), (3, 1), (1, 3), (2, 2))
TYPE_PRIOR = {(1, 1): 0.0, (2, 1): -0.04, (1, 2): -0.04, (2, 2): -0.12, (3, 1): -0.1, (1, 3): -0.1}
NEG = -1e18
#: the most source (and target) sentences a bead holds
MAX_SIDE = 3


def normalised(cos, base):
    """A cosine against a baseline, on the aligner's scale: 0 at the baseline, 1 at a cosine of 1."""
    return (cos - base) / np.maximum(1e-6, 1.0 - base)


def anchor_index(tgt_anchors) -> dict:
    """Each anchor of the target side, with the sentences that hold it."""
    index: dict = {}
    for q, keys in enumerate(tgt_anchors):
        for key in keys:
            index.setdefault(key, []).append(q)
    return index


def _window_sums(M, lt, index, src_anchors, rows, lo_col, hi_col, length):
    """For each DP row of ``rows`` and each of the three source rows before it (member k: row
    i-3+k), the running sums over target columns lo_col..hi_col-1 of the member's
    length-weighted cosines (-1e9 outside its band) and of its shared anchors, from zero."""
    R = len(rows)
    cols = lo_col[:, None] + np.arange(length)[None, :]  # (R, L)
    inside = np.arange(length)[None, :] < (hi_col - lo_col)[:, None]
    m = len(lt)
    cs = np.zeros((MAX_SIDE, R, length + 1))
    ca = np.zeros((MAX_SIDE, R, length + 1))
    width = M.data.shape[1]
    for k in range(MAX_SIDE):
        p = rows - MAX_SIDE + k
        ok = p >= 0
        pc = np.where(ok, p, 0)
        lo_p, hi_p = M.lo[pc][:, None], M.hi[pc][:, None]
        band = (cols >= lo_p) & (cols < hi_p) & inside & ok[:, None]
        c = np.where(band, M.data[pc[:, None], np.clip(cols - lo_p, 0, width - 1)], -np.inf).astype(np.float64)
        x = np.where(np.isfinite(c), c * lt[np.minimum(cols, m - 1)], -1e9)
        np.cumsum(x, axis=1, out=cs[k, :, 1:])
        an = np.zeros((R, length))
        for r in np.flatnonzero(ok):
            for key in src_anchors[p[r]]:
                for q in index.get(key, ()):
                    if lo_col[r] <= q < hi_col[r]:
                        an[r, q - lo_col[r]] += 1.0
        np.cumsum(an, axis=1, out=ca[k, :, 1:])
    return cs, ca


def block_gains(rows, cl, ch, M, ls, lt, ns, nt, cum_lt, cum_btw, cum_na_t, src, index, para_t, tau, mu,
                sigma, params, type_offset, cum_src, head_t=None):
    """The gains of DP rows ``rows`` (consecutive), for the columns cl[i]..ch[i] of each: an
    array (rows, types of :data:`SCORED`, columns from cl[i]), ``NEG`` where a bead cannot end.
    ``index``: the target side's :func:`anchor_index`, made once for all blocks."""
    rows = np.asarray(rows, dtype=np.int64)
    R, T, m = len(rows), len(SCORED), len(lt)
    if m == 0 or R == 0:  # nothing to pair with: every bead that holds a target cannot end
        return np.full((R, T, int((ch[rows] - cl[rows]).max(initial=0)) + 1), NEG)
    A = np.array([a for a, _ in SCORED])[None, :, None]
    B = np.array([b for _, b in SCORED])[None, :, None]
    a_i, b_i = cl[rows], ch[rows]
    W = int((b_i - a_i).max()) + 1
    js2 = a_i[:, None] + np.arange(W)[None, :]  # (R, W)
    in_row = js2 <= b_i[:, None]
    js2 = np.minimum(js2, b_i[:, None])  # (padding: a real column, its result unused)
    js = js2[:, None, :]
    lo_col = np.maximum(0, a_i - MAX_SIDE)
    cs, ca = _window_sums(M, lt, index, src.anchors, rows, lo_col, b_i, int((b_i - lo_col).max()))
    jj = js2 - lo_col[:, None]
    at = np.arange(R)[:, None]
    # each member's running sums at the bead's last column (the same for every b), then less
    # those b columns back
    cs_end = [cs[k][at, jj] for k in range(MAX_SIDE)]
    ca_end = [ca[k][at, jj] for k in range(MAX_SIDE)]
    terms, shares = {}, {}
    for b in range(1, MAX_SIDE + 1):
        jb = np.maximum(jj - b, 0)
        for k in range(MAX_SIDE):
            p = np.maximum(rows - MAX_SIDE + k, 0)
            terms[k, b] = ls[p][:, None] * (cs_end[k] - cs[k][at, jb])
            shares[k, b] = ca_end[k] - ca[k][at, jb]
    num = np.zeros((R, T, W))
    shared = np.zeros((R, T, W))
    for t, (a, b) in enumerate(SCORED):
        for k in range(MAX_SIDE - a, MAX_SIDE):
            num[:, t] += terms[k, b]
            shared[:, t] += shares[k, b]
    with np.errstate(all="ignore"):
        ia = np.maximum(rows[:, None] - A[:, :, 0], 0)  # (R, T): i - a (clipped; such types are masked)
        i_ = rows[:, None]
        col = lambda x: x[:, :, None]  # noqa: E731 - one value a row and type
        ns_ai = np.stack([ns[a][rows] for a, _ in SCORED], axis=1)
        nt_b = np.stack([nt[b][js2] for _, b in SCORED], axis=1)
        cos = num / (col(ns_ai) * nt_b)
        cum_ls, cum_lsbs, cum_nas = cum_src
        wsum_s = col(cum_ls[i_] - cum_ls[ia])
        base_s = col((cum_lsbs[i_] - cum_lsbs[ia]) / (cum_ls[i_] - cum_ls[ia]))
        jb_all = np.maximum(js - B, 0)
        wsum_t = cum_lt[js] - cum_lt[jb_all]
        base_t = (cum_btw[js] - cum_btw[jb_all]) / np.maximum(wsum_t, 1e-9)
        offset = np.array([type_offset.get(t, 0.0) for t in SCORED], dtype=np.float64)[None, :, None]
        q = normalised(cos, (base_s + base_t) / 2 + offset)
        prior = np.array([TYPE_PRIOR[t] for t in SCORED], dtype=np.float64)[None, :, None]
        gain = (A + B).astype(np.float64) * (q - tau) + prior
        tot_s = col((cum_nas[i_] - cum_nas[ia]).astype(np.float64))
        tot_t = cum_na_t[js] - cum_na_t[jb_all]
        both = (tot_s > 0) & (tot_t > 0)
        jac = shared / np.maximum(1.0, tot_s + tot_t - shared)
        gain += np.where(both, params.anchor_weight * (2 * np.minimum(jac, 1.0) - 1), 0.0)
        r = (np.log((wsum_t + 1) / (wsum_s + 1)) - mu) / sigma
        gain -= params.length_weight * np.minimum(r * r, 9.0)
        # paragraphs are soft boundaries, headings all but hard ones (0.0 where a type spans one
        # sentence on that side: x - 0.0 is x)
        paras = src.paragraphs
        split_s = (A[:, :, 0] > 1) & (paras[np.maximum(i_ - 1, 0)] != paras[ia])
        gain -= col(np.where(split_s, params.paragraph_penalty, 0.0))
        multi_t = B > 1
        pt_first = para_t[np.minimum(jb_all, m - 1)]
        pt_last = para_t[np.minimum(np.maximum(js - 1, 0), m - 1)]
        gain -= np.where(multi_t & (pt_first != pt_last), params.paragraph_penalty, 0.0)
        if src.heading is not None:
            heads = np.concatenate([[0], np.cumsum(src.heading.astype(np.int64))])
            h = heads[i_] - heads[ia]
            gain -= col(np.where((A[:, :, 0] > 1) & (h > 0) & (h < A[:, :, 0]), params.heading_penalty, 0.0))
        if head_t is not None:
            h = head_t[js] - head_t[jb_all]
            gain -= np.where(multi_t & (h > 0) & (h < B), params.heading_penalty, 0.0)
        valid = (js - B >= 0) & col(rows[:, None] - A[:, :, 0] >= 0) & in_row[:, None, :]
        return np.where(valid & np.isfinite(gain), gain, NEG)
