"""The DP as transcompare.align.dp had it before it scored blocks of rows at once: row by row,
one bead type at a time, each bead's gain from its member rows' running sums over the row's
window. Kept as the reference the faster DP must match: its gains to the bit, its beads exactly
(tests/test_align.py)."""
import numpy as np

from transcompare.align.dp import BEAD_TYPES, DEFAULT_TYPE_OFFSET, AlignStats, cell_band, trace_back
from transcompare.align.gains import NEG, TYPE_PRIOR


def _q(cos, base):
    return (cos - base) / np.maximum(1e-6, 1.0 - base)


def gain_one_type(i, a, b, js, row_cums, ls, lt, ns, nt, bs, cum_lt, cum_btw, cum_na_t, src, para_t,
          tau, mu, sigma, params, type_offset, cum_src, head_t=None) -> np.ndarray:
    """Gain of the bead (source i-a..i-1, target j-b..j-1) for every j in ``js``."""
    m = len(lt)
    width = len(js)
    valid = js - b >= 0
    num = np.zeros(width)
    shared = np.zeros(width)
    members = range(i - a, i)
    # js lies within 0..m and row_cums covers every column from b targets before js[0] to js[-1],
    # so only the start of a bead (j - b) can fall below zero (those j are not valid anyway)
    jv = js
    jbv = np.maximum(js - b, 0)
    for p in members:
        base_col, cs, ca = row_cums(p)
        jj = js - base_col
        jb = np.maximum(jj - b, 0)
        num += ls[p] * (cs[jj] - cs[jb])
        shared += ca[jj] - ca[jb]
    cos = num / (ns[a][i] * nt[b][jv])
    cum_ls, cum_lsbs, cum_nas = cum_src
    wsum_s = cum_ls[i] - cum_ls[i - a]
    base_s = (cum_lsbs[i] - cum_lsbs[i - a]) / wsum_s
    wsum_t = cum_lt[jv] - cum_lt[jbv]
    base_t = (cum_btw[jv] - cum_btw[jbv]) / np.maximum(wsum_t, 1e-9)
    q = _q(cos, (base_s + base_t) / 2 + type_offset.get((a, b), 0.0))
    gain = (a + b) * (q - tau) + TYPE_PRIOR[(a, b)]
    # anchors: shared numbers, names, rare identical words
    tot_s = float(cum_nas[i] - cum_nas[i - a])
    tot_t = cum_na_t[jv] - cum_na_t[jbv]
    both = (tot_s > 0) & (tot_t > 0)
    jac = shared / np.maximum(1.0, tot_s + tot_t - shared)
    gain += np.where(both, params.anchor_weight * (2 * np.minimum(jac, 1.0) - 1), 0.0)
    # length prior learned from the document
    r = (np.log((wsum_t + 1) / (wsum_s + 1)) - mu) / sigma
    gain -= params.length_weight * np.minimum(r * r, 9.0)
    # paragraphs are soft boundaries
    if a > 1 and src.paragraphs[i - 1] != src.paragraphs[i - a]:
        gain -= params.paragraph_penalty
    if b > 1:
        pt_first = para_t[np.minimum(np.maximum(js - b, 0), m - 1)]
        pt_last = para_t[np.minimum(np.maximum(js - 1, 0), m - 1)]
        gain -= np.where(pt_first != pt_last, params.paragraph_penalty, 0.0)
    if a > 1 and src.heading is not None:
        h = int(src.heading[i - a:i].sum())
        if 0 < h < a:
            gain -= params.heading_penalty
    if b > 1 and head_t is not None:
        h = head_t[jv] - head_t[jbv]
        gain -= np.where((h > 0) & (h < b), params.heading_penalty, 0.0)
    gain = np.where(valid & np.isfinite(gain), gain, NEG)
    return gain


def _cum(x):
    return np.concatenate([[0.0], np.cumsum(x, dtype=np.float64)])


def anchor_rows(anch_s: list[frozenset], anch_t: list[frozenset], m: int):
    index: dict = {}
    for q, keys in enumerate(anch_t):
        for k in keys:
            index.setdefault(k, []).append(q)

    def row(p: int, a: int = 0, b: int = m) -> np.ndarray:
        """Shared anchors of source ``p`` with targets ``a..b-1``."""
        r = np.zeros(max(0, b - a), dtype=np.float64)
        for k in anch_s[p]:
            for q in index.get(k, ()):
                if a <= q < b:
                    r[q - a] += 1.0
        return r

    return row


class RowSums:
    """Running sums, over target columns a..b-1, of source p's length-weighted cosines (-1e9
    outside its band) and of its shared anchors; computed once per DP row (the last few kept)."""

    def __init__(self, M, lt: np.ndarray, anchor_row) -> None:
        self.M, self.lt, self.anchor_row = M, lt, anchor_row
        self.cache: dict[int, tuple[int, int, np.ndarray, np.ndarray]] = {}

    def __call__(self, p: int, a: int, b: int):
        key = self.cache.get(p)
        if key is None or key[0] != a or key[1] != b:
            c = self.M.row(p, a, b).astype(np.float64)
            an = self.anchor_row(p, a, b)
            cs = _cum(np.where(np.isfinite(c), c * self.lt[a:b], -1e9))
            self.cache[p] = (a, b, cs, _cum(an))
            if len(self.cache) > 8:
                self.cache.pop(min(self.cache))
        return a, self.cache[p][2], self.cache[p][3]


def dp_beads(M, src, tgt, stats, params):
    """The DP as it was: one row, and one bead type of it, at a time."""
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
    anchor_row = anchor_rows(src.anchors, tgt.anchors, m)
    tau, mu, sigma = stats.tau, stats.length_mu, stats.length_sigma

    cl, ch = cell_band(M, n, m)

    prev_rows: dict[int, tuple[int, np.ndarray]] = {}
    back: list[tuple[int, np.ndarray]] = []
    max_b = max(b for _, b in BEAD_TYPES)
    # running sums over source sentences: lengths, length-weighted baselines, anchor counts
    cum_src = (_cum(ls), _cum(ls * bs), _cum(np.array([len(x) for x in src.anchors], dtype=np.float64)))
    row_cums = RowSums(M, lt, anchor_row)

    for i in range(n + 1):
        a_i, b_i = int(cl[i]), int(ch[i])
        js = np.arange(a_i, b_i + 1)
        width = len(js)
        best = np.full(width, NEG)
        bp = np.full(width, -1, dtype=np.int8)
        if i == 0:
            best[js == 0] = 0.0
        for t, (a, b) in enumerate(BEAD_TYPES):
            if a == 0:
                continue  # 0-1 beads are handled by the running scan below
            if i - a < 0:
                continue
            prow = prev_rows.get(i - a)
            if prow is None:
                continue
            p_lo, p_vals = prow
            # predecessor value D[i-a][j-b]
            jp = js - b
            ok = (jp >= p_lo) & (jp < p_lo + len(p_vals))
            if not ok.any():
                continue
            pred = np.full(width, NEG)
            pred[ok] = p_vals[jp[ok] - p_lo]
            if b == 0:
                gain = np.zeros(width)
            else:
                lo_col = max(0, a_i - max_b)
                gain = gain_one_type(i, a, b, js, lambda p: row_cums(p, lo_col, b_i), ls, lt, ns, nt, bs, cum_lt,
                             cum_btw, cum_na_t, src, para_t, tau, mu, sigma, params, stats.type_offset,
                             cum_src, head_t)
            cand = pred + gain
            upd = (cand > best) & ok & (pred > NEG / 2)
            best[upd] = cand[upd]
            bp[upd] = t
        # 0-1 beads: D[i][j] = max(D[i][j], D[i][j-1]) — a running maximum along the row
        run = np.maximum.accumulate(best)
        bp[run > best] = BEAD_TYPES.index((0, 1))
        best = run
        prev_rows[i] = (a_i, best)
        prev_rows.pop(i - 4, None)
        back.append((a_i, bp))

    return trace_back(back, n, m)


def estimate_stats(M, src, tgt, params, method):
    """The document's statistics as they were computed: row by row."""
    bs, bt = M.knn_means(params.knn, params.neighbour_prior)
    n = M.data.shape[0]
    qs, noise = [], []
    ratios = []
    for i in range(n):
        a, b = int(M.lo[i]), int(M.hi[i])
        if b <= a:
            continue
        row = M.data[i, : b - a].astype(np.float64)
        qrow = _q(row, (bs[i] + bt[a:b]) / 2)
        jb = int(np.argmax(qrow))
        qs.append(qrow[jb])
        if b - a > 1:
            noise.extend(np.delete(qrow, jb).tolist())
        ratios.append((qrow[jb], np.log((tgt.tokens[a + jb] + 1) / (src.tokens[i] + 1))))
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
    offsets = type_offsets(src, tgt)
    return AlignStats(tau, mu, sigma, bs, bt, method, match_q, noise_q, offsets)


def type_offsets(src, tgt, samples=256):
    """Median cosine of random a-b beads minus that of random 1-1 pairs, per bead type."""
    n, m = len(src.tokens), len(tgt.tokens)
    rng = np.random.default_rng(12345)  # fixed: the result must be deterministic
    out = {(1, 1): 0.0}
    if n < 8 or m < 8:
        # too few sentences to sample unrelated beads: typical values of the bundled encoder
        # (medians over FLORES dev documents, scripts/calibrate_encoder.py)
        return dict(DEFAULT_TYPE_OFFSET)
    Vs = src.vectors * src.tokens[:, None]
    Vt = tgt.vectors * tgt.tokens[:, None]

    def med(a, b):
        if n < a or m < b:
            return None
        i = rng.integers(0, n - a + 1, samples)
        j = rng.integers(0, m - b + 1, samples)
        vs = sum(Vs[i + k] for k in range(a))
        vt = sum(Vt[j + k] for k in range(b))
        c = np.einsum("ij,ij->i", vs, vt) / (np.linalg.norm(vs, axis=1) * np.linalg.norm(vt, axis=1) + 1e-12)
        return float(np.median(c))

    base = med(1, 1)
    for t in TYPE_PRIOR:
        if t == (1, 1):
            continue
        v = med(*t)
        out[t] = max(0.0, v - base) if v is not None and base is not None else 0.0
    return out


def window_norms(V: np.ndarray, w: np.ndarray, maxk: int = 3) -> list[np.ndarray]:
    """The window norms one window at a time, as transcompare.align.dp had them."""
    n = V.shape[0]
    g1 = np.einsum("ij,ij->i", V[:-1], V[1:]) if n > 1 else np.zeros(0)
    g2 = np.einsum("ij,ij->i", V[:-2], V[2:]) if n > 2 else np.zeros(0)
    out = [np.zeros(n + 1)]
    for k in range(1, maxk + 1):
        arr = np.full(n + 1, np.nan)
        for j in range(k, n + 1):
            s = 0.0
            for p in range(j - k, j):
                s += w[p] * w[p]
            for p in range(j - k, j):
                if p + 1 < j:
                    s += 2 * w[p] * w[p + 1] * g1[p]
                if p + 2 < j:
                    s += 2 * w[p] * w[p + 2] * g2[p]
            arr[j] = np.sqrt(max(s, 1e-12))
        out.append(arr)
    return out


def column_knn_means(M, k: int, prior: float) -> np.ndarray:
    """The target columns' k-nearest means, one source row at a time (as BandMatrix.knn_means
    had them): each row's band values replace the column's lowest kept value where higher."""
    best = np.full((M.m, k), -np.inf, dtype=np.float32)
    for i in range(M.data.shape[0]):
        a, b = M.lo[i], M.hi[i]
        if b <= a:
            continue
        vals = M.data[i, : b - a]
        block = best[a:b]
        worst = block.argmin(axis=1)
        wv = block[np.arange(b - a), worst]
        upd = vals > wv
        if upd.any():
            idx = np.nonzero(upd)[0]
            block[idx, worst[idx]] = vals[idx]
    return np.where(np.isfinite(best), best, prior).mean(axis=1).astype(np.float64) if M.m else np.zeros(0)


def mutual_best(M, bs, bt) -> list:
    """Each row's best target where the row is also that target's best among the rows that rank
    it in their three best, one row at a time (as the banded matrix's anchor search had it)."""
    from transcompare.align.gains import normalised

    cand, col_best = [], {}
    for i in range(M.data.shape[0]):
        a, b = int(M.lo[i]), int(M.hi[i])
        if b <= a:
            continue
        q = normalised(M.data[i, : b - a].astype(np.float64), (bs[i] + bt[a:b]) / 2)
        jb = int(np.argmax(q))
        cand.append((i, a + jb, float(q[jb])))
        for k in np.argsort(-q)[:3]:
            j = a + int(k)
            if j not in col_best or q[k] > col_best[j][0]:
                col_best[j] = (float(q[k]), i)
    return [(i, j, s) for i, j, s in cand if col_best.get(j, (0, -1))[1] == i]


def statement_pool(own, excluded, max_pool: int) -> list:
    """The refine pass's pool of statements other than ``excluded`` (an even spread beyond
    ``max_pool``), one pick at a time, as transcompare.align.refine had it."""
    statements = own.statement_ids
    pos = np.searchsorted(statements, excluded)
    ok = pos < len(statements)
    gone = sorted(set(pos[ok][statements[pos[ok]] == np.asarray(excluded)[ok]].tolist()))
    size = len(statements) - len(gone)
    if size <= max_pool:
        keep = np.ones(len(statements), dtype=bool)
        keep[gone] = False
        return statements[keep].tolist()
    step = size / max_pool
    out = []
    for k in range(max_pool):
        p = int(k * step)
        for g in gone:
            if g <= p:
                p += 1
        out.append(int(statements[p]))
    return out


def member_z(own, other, members, cand, other_ids, max_pool: int = 200):
    """The refine pass's member test with every candidate bead's vector formed, as
    transcompare.align.refine had it."""
    tv = sum(other.tokens[j] * other.vectors[j] for j in other_ids)
    tv = tv / (np.linalg.norm(tv) + 1e-12)
    base = sum(own.tokens[i] * own.vectors[i] for i in members) if members else np.zeros_like(tv)
    pool = statement_pool(own, list(members) + [cand], max_pool)
    if len(pool) < 3:
        return None
    X = base[None, :] + own.tokens[pool, None] * own.vectors[pool]
    vals = (X @ tv) / (np.linalg.norm(X, axis=1) + 1e-12)
    mine = base + own.tokens[cand] * own.vectors[cand]
    val = float(mine @ tv / (np.linalg.norm(mine) + 1e-12))
    return (val - float(np.median(vals))) / (float(np.std(vals)) + 1e-9)


def in_place_best(M, stats, rows, cols):
    """The moved search's best in-band scores of rows and columns, one at a time (as
    transcompare.align.moved had them)."""
    from transcompare.align.gains import normalised

    best_s = {i: -np.inf for i in rows}
    best_t = {j: -np.inf for j in cols}
    for i in best_s:
        a, b = int(M.lo[i]), int(M.hi[i])
        if b > a:
            q = normalised(M.data[i, : b - a].astype(np.float64), (stats.base_s[i] + stats.base_t[a:b]) / 2)
            best_s[i] = float(q.max())
    for j in best_t:
        r0, r1 = int(np.searchsorted(M.hi, j, "right")), int(np.searchsorted(M.lo, j, "right"))
        if r1 > r0:
            r = np.arange(r0, r1)
            vals = M.data[r, j - M.lo[r]].astype(np.float64)
            best_t[j] = float(normalised(vals, (stats.base_s[r] + stats.base_t[j]) / 2).max())
    return best_s, best_t


def band_from_anchors(anchors, n: int, m: int, w: int):
    """The DP's band around an anchor path, one row at a time (as transcompare.align.band had it)."""
    pts = [(0, 0)] + [(i, j) for i, j, _ in anchors] + [(n, m)]
    lo = np.zeros(n, dtype=np.int64)
    hi = np.zeros(n, dtype=np.int64)
    for (i0, j0), (i1, j1) in zip(pts[:-1], pts[1:]):
        for i in range(i0, min(i1 + 1, n)):
            t = (i - i0) / max(1, i1 - i0)
            jc = j0 + t * (j1 - j0)
            spread = w + abs((j1 - j0) - (i1 - i0)) // 2 + 2
            lo[i] = max(0, int(jc) - spread)
            hi[i] = min(m, int(jc) + spread + 1)
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    return lo, hi
