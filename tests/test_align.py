"""The aligner: every sentence in exactly one bead, beads in order, deterministic; band = full on easy input."""
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transcompare.align import AlignParams, SideFeatures, align
from transcompare.align.refine import MAX_BEAD, refine


def side(vectors, rng, anchors=None):
    n = len(vectors)
    return SideFeatures(
        vectors=vectors,
        tokens=rng.integers(5, 40, n).astype(float),
        anchors=anchors or [frozenset() for _ in range(n)],
        paragraphs=np.arange(n) // 3,
        statement=np.ones(n, dtype=bool),
    )


def unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def make_pair(seed, n, m, noise=0.6):
    """A synthetic document pair: m target sentences, most of them noisy copies of source sentences."""
    rng = np.random.default_rng(seed)
    d = 32
    base = rng.normal(size=(n, d)) + 3.0  # a shared offset makes unrelated cosines high, as with e5
    S = unit(base + rng.normal(scale=0.2, size=(n, d)))
    idx = np.sort(rng.choice(n, size=min(n, m), replace=False)) if n else np.array([], dtype=int)
    T = base[idx] + rng.normal(scale=noise, size=(len(idx), d)) if len(idx) else np.zeros((0, d))
    if m > len(idx):
        T = np.vstack([T, rng.normal(size=(m - len(idx), d)) + 3.0]) if len(T) else rng.normal(size=(m, d)) + 3.0
    T = unit(T) if len(T) else T
    return side(S, rng), side(T, rng)


def check_partition(beads, n, m):
    src = [i for b in beads for i in b.source]
    tgt = [j for b in beads for j in b.target]
    assert sorted(src) == list(range(n)), "every source sentence in exactly one bead"
    assert sorted(tgt) == list(range(m)), "every target sentence in exactly one bead"
    assert src == sorted(src) and tgt == sorted(tgt), "beads are in order"
    for b in beads:
        assert b.source or b.target
        # the DP builds beads of up to 4 sentences; the second pass may join up to MAX_BEAD
        assert len(b.source) + len(b.target) <= MAX_BEAD
        assert list(b.source) == list(range(b.source[0], b.source[0] + len(b.source))) if b.source else True
        assert list(b.target) == list(range(b.target[0], b.target[0] + len(b.target))) if b.target else True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(0, 25), m=st.integers(0, 25))
def test_partition_order_and_determinism(seed, n, m):
    s, t = make_pair(seed, n, m)
    a1, stats, M = align(s, t)
    a2, _, _ = align(s, t)
    check_partition(a1.beads, n, m)
    assert a1.beads == a2.beads
    if n and m:
        r1 = refine(list(a1.beads), s, t, stats, M)
        r2 = refine(list(a1.beads), s, t, stats, M)
        check_partition(r1, n, m)
        assert r1 == r2


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(30, 120))
def test_band_mode_partitions_long_documents(seed, n):
    s, t = make_pair(seed, n, n - n // 10)
    a, _, _ = align(s, t, AlignParams(full_limit=100, band=8))
    assert a.method == "dp-band"
    check_partition(a.beads, n, n - n // 10)


def test_band_equals_full_on_a_clean_pair():
    s, t = make_pair(7, 150, 150, noise=0.25)
    full, _, _ = align(s, t)
    band, _, _ = align(s, t, AlignParams(full_limit=100, band=10))
    assert full.method == "dp-full" and band.method == "dp-band"
    assert full.beads == band.beads
    assert sum(1 for b in full.beads if b.kind == "1-1") >= 140


def test_recovers_a_deletion_and_an_insertion():
    rng = np.random.default_rng(3)
    base = unit(rng.normal(size=(12, 32)) + 3.0)
    S = base
    T = np.vstack([base[:4], base[5:9], unit(rng.normal(size=(1, 32)) + 3.0), base[9:]])
    T = unit(T + rng.normal(scale=0.05, size=T.shape))
    s, t = side(S, rng), side(T, rng)
    a, stats, M = align(s, t)
    beads = refine(list(a.beads), s, t, stats, M)
    assert (4,) in [b.source for b in beads if not b.target]
    assert (8,) in [b.target for b in beads if not b.source]


def test_gap_pairs_are_in_order_and_above_the_threshold():
    from transcompare.align.refine import monotone_pairs

    # repeated sentences (equal scores) pair in order instead of competing for one partner
    assert monotone_pairs(np.array([[0.5, 0.51], [0.5, 0.51]]), 0.3) == [(0, 0), (1, 1)]
    # a crossing pair cannot be taken together with the in-order one
    assert monotone_pairs(np.array([[0.1, 0.6], [0.5, 0.1]]), 0.3) == [(0, 1)]
    # a skipped sentence on either side
    assert monotone_pairs(np.array([[0.6, 0.1, 0.1], [0.1, 0.1, 0.5]]), 0.3) == [(0, 0), (1, 2)]
    # nothing above the threshold, nothing paired
    assert monotone_pairs(np.array([[0.2, 0.1], [0.1, 0.25]]), 0.3) == []


def test_pieces_that_carry_on_a_statement_are_marked_and_join_their_neighbour():
    from transcompare import document_from_text, get_encoder
    from transcompare.align.features import side_features
    from transcompare.align.refine import piece_of
    from transcompare.model import Bead

    doc = document_from_text("Le sommet fut atteint le 9 mai ;\ndepuis quatre ans ils luttaient .\n"
                             "Le temps resta mauvais .\nmais personne ne renonça .\nFin .\n", "fr", fmt="text")
    texts = [s.text for s in doc.sentences]
    assert len(texts) == 5
    enc = get_encoder()
    f = side_features(doc, enc.embed(texts), enc.count_tokens, [set() for _ in texts])
    assert f.continues.tolist() == [False, True, False, True, False]
    src = f  # the same features serve as either side here
    assert piece_of(Bead((), (1,)), Bead((0,), (0,)), src, f)       # after "…9 mai ;"
    assert piece_of(Bead((), (3,)), Bead((2,), (2,)), src, f)       # "mais …" opens in lower case
    assert not piece_of(Bead((), (2,)), Bead((1,), (1,)), src, f)   # a new statement
    assert not piece_of(Bead((), (4,)), Bead((1,), (1,)), src, f)   # not adjacent


def test_a_line_cut_after_an_initial_or_inside_a_quotationcarries_on():
    from transcompare.align import carries_on

    assert carries_on("7. Kangchendzönga , ca. 8597 m , Leiter Ch .", "Evans , Gipfelmannschaften")
    assert carries_on("Erstersteigung 1933 durch B.M .", "Abalakow , seitdem wiederholt besucht .")
    assert carries_on("mit dem Schlachtruf « Bär !", "» und mit ein paar Bemerkungen")
    assert carries_on("Alpine Journal , Nov .", "1956 , S. 340-343 ) .")  # an abbreviation, then a figure
    assert carries_on("Literatur : ?", ", .")
    assert not carries_on("Das Wetter war gut .", "Evans kam am Abend .")
    assert not carries_on("Er kam im Mai .", "Danach blieb er .")


def _moved_pair(seed, n, block, frm, to, noise=0.02):
    """A pair whose translation takes ``block`` sentences from position ``frm`` to ``to``."""
    rng = np.random.default_rng(seed)
    base = unit(rng.normal(size=(n, 32)) + 3.0)
    order = list(range(n))
    moved = order[frm:frm + block]
    rest = order[:frm] + order[frm + block:]
    order = rest[:to] + moved + rest[to:]
    T = unit(base[order] + rng.normal(scale=noise, size=(n, 32)))
    src, tgt = side(base, rng), side(T, rng)
    # statements, not scraps (a moved bead must be at least half a typical sentence long), and a
    # translation keeps the lengths
    src = replace(src, tokens=rng.integers(20, 40, n).astype(float))
    tgt = replace(tgt, tokens=src.tokens[order] + rng.integers(-2, 3, n))
    return src, tgt, order


def check_moved_partition(beads, n, m):
    src = [i for b in beads for i in b.source]
    tgt = [j for b in beads for j in b.target]
    assert sorted(src) == list(range(n)) and sorted(tgt) == list(range(m))
    assert src == sorted(src), "beads stand where their source sentences are"
    in_place = [j for b in beads if not b.moved for j in b.target]
    assert in_place == sorted(in_place), "in order apart from moved beads"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(12, 40), block=st.integers(1, 3), data=st.data())
def test_a_moved_block_is_paired_again_and_the_rest_stays_in_order(seed, n, block, data):
    from transcompare.align.moved import find_moved

    frm = data.draw(st.integers(0, n - block))
    to = data.draw(st.integers(0, n - block))
    s, t, order = _moved_pair(seed, n, block, frm, to)
    a, stats, M = align(s, t)
    beads = find_moved(refine(list(a.beads), s, t, stats, M), s, t, stats, M)
    check_moved_partition(beads, n, n)
    # every source sentence ends up with its own translation, in place or as a move (two
    # neighbours that swapped places may also come out as one 2-2 bead)
    pos = {src: k for k, src in enumerate(order)}
    for b in beads:
        assert b.source and b.target, b
        assert sorted(pos[i] for i in b.source) == list(b.target), b
    # a move is reported only where the order really changed
    if frm == to:
        assert not any(b.moved for b in beads)


def test_left_out_sentences_that_match_nothing_are_not_moved():
    from transcompare.align.moved import find_moved

    rng = np.random.default_rng(5)
    base = unit(rng.normal(size=(20, 32)) + 3.0)
    # target: sentence 3 dropped, an unrelated sentence added at the end
    T = unit(np.vstack([base[:3], base[4:], rng.normal(size=(1, 32)) + 3.0]) + rng.normal(scale=0.05, size=(20, 32)))
    s, t = side(base, rng), side(T, rng)
    a, stats, M = align(s, t)
    beads = find_moved(refine(list(a.beads), s, t, stats, M), s, t, stats, M)
    assert not any(b.moved for b in beads)
    assert (3,) in [b.source for b in beads if not b.target]
    assert (19,) in [b.target for b in beads if not b.source]


def test_neighbouring_pairs_whose_figures_cross_the_boundary_become_one_bead():
    from transcompare.model import Bead
    from transcompare.align.refine import join_crossed

    rng = np.random.default_rng(0)
    v = unit(rng.normal(size=(4, 8)))
    n28, n89, y = ("n", 28.0), ("n", 89.0), ("n", 1956.0)
    # source 0 gives 28, source 1 gives 89; the translation moved 28 into its second sentence
    src = side(v, rng, [frozenset({n28}), frozenset({n89}), frozenset(), frozenset()])
    tgt = side(v, rng, [frozenset(), frozenset({n28, n89}), frozenset(), frozenset()])
    beads = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2,)), Bead((3,), (3,))]
    assert join_crossed(beads, src, tgt) == [Bead((0, 1), (0, 1)), Bead((2,), (2,)), Bead((3,), (3,))]
    # each figure stays with its own pair: nothing crosses
    tgt = side(v, rng, [frozenset({n28}), frozenset({n89}), frozenset(), frozenset()])
    assert join_crossed(beads, src, tgt) == beads
    # the same crossing twice over: a name that recurs marks no place, a figure may recur a little
    for key, joined in ((("w", "armenia"), False), (y, True)):
        src = side(v, rng, [frozenset({key}), frozenset(), frozenset({key}), frozenset()])
        tgt = side(v, rng, [frozenset(), frozenset({key}), frozenset(), frozenset({key})])
        out = join_crossed(beads, src, tgt)
        assert out == ([Bead((0, 1), (0, 1)), Bead((2, 3), (2, 3))] if joined else beads)


def test_a_two_two_bead_whose_halves_line_up_splits_in_two():
    from transcompare.align import AlignStats
    from transcompare.model import Bead
    from transcompare.align.refine import join_crossed

    rng = np.random.default_rng(1)
    v = unit(rng.normal(size=(2, 8)))
    empty = [frozenset(), frozenset()]
    stats = AlignStats(0.1, 0.0, 0.2, np.zeros(2), np.zeros(2), "dp-full")
    src, tgt = side(v, rng, empty), side(v, rng, empty)
    src = replace(src, tokens=np.array([20.0, 30.0]))
    bead = [Bead((0, 1), (0, 1))]
    tgt = replace(tgt, tokens=np.array([21.0, 29.0]))  # each half in the usual ratio: two pairs, one by one
    assert join_crossed(bead, src, tgt, stats) == [Bead((0,), (0,)), Bead((1,), (1,))]
    tgt = replace(tgt, tokens=np.array([35.0, 15.0]))  # the translation moved words across the cut: one bead
    assert join_crossed(bead, src, tgt, stats) == bead
    tgt = replace(tgt, tokens=np.array([21.0, 29.0]))  # lengths line up, but a figure crosses: one bead
    src = replace(src, anchors=[frozenset({("n", 7.0)}), frozenset()])
    tgt = replace(tgt, anchors=[frozenset(), frozenset({("n", 7.0)})])
    assert join_crossed(bead, src, tgt, stats) == bead


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_block_gains_equal_scoring_one_row_and_type_at_a_time_to_the_bit(seed, monkeypatch):
    # the DP scores blocks of rows at once (align/gains.py); the row-by-row, type-by-type form it
    # replaced (tests/align_reference.py) must give the same gains, bit for bit, with anchors,
    # paragraphs and headings on both sides, so the beads cannot change
    from align_reference import RowSums, anchor_rows, gain_one_type

    from transcompare.align import dp
    from transcompare.align.gains import SCORED

    rng = np.random.default_rng(seed)
    n, m, d = 60, 70, 16

    def side(k):
        v = rng.standard_normal((k, d))
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        keys = [frozenset({f"n{x}" for x in rng.integers(0, 40, size=rng.integers(0, 3))}) for _ in range(k)]
        return SideFeatures(v, rng.integers(5, 40, size=k).astype(float), keys, np.sort(rng.integers(0, 12, size=k)),
                            np.ones(k, dtype=bool), None, rng.random(k) < 0.3)

    src, tgt = side(n), side(m)
    vec = np.vstack([src.vectors, tgt.vectors[:m - n]]) + 0.1 * rng.standard_normal((m, d))
    tgt = SideFeatures(vec / np.linalg.norm(vec, axis=1, keepdims=True), tgt.tokens, tgt.anchors, tgt.paragraphs,
                       tgt.statement, None, tgt.heading)
    real = dp.block_gains
    compared = []

    def both(rows, cl, ch, M, ls, lt, ns, nt, cum_lt, cum_btw, cum_na_t, src_f, index, para_t, tau, mu, sigma,
             params, type_offset, cum_src, head_t=None):
        got = real(rows, cl, ch, M, ls, lt, ns, nt, cum_lt, cum_btw, cum_na_t, src_f, index, para_t, tau, mu,
                   sigma, params, type_offset, cum_src, head_t)
        sums = RowSums(M, lt, anchor_rows(src_f.anchors, tgt.anchors, len(lt)))
        for r, i in enumerate(rows):
            js = np.arange(cl[i], ch[i] + 1)
            lo_col = max(0, int(cl[i]) - 3)
            for t, (a, b) in enumerate(SCORED):
                if i - a < 0:
                    continue
                want = gain_one_type(i, a, b, js, lambda p: sums(p, lo_col, int(ch[i])), ls, lt, ns, nt, None,
                                     cum_lt, cum_btw, cum_na_t, src_f, para_t, tau, mu, sigma, params, type_offset,
                                     cum_src, head_t)
                assert np.array_equal(got[r, t, :len(js)], want), (i, a, b)
                compared.append((a, b))
        return got

    monkeypatch.setattr(dp, "block_gains", both)
    monkeypatch.setattr(dp, "GAIN_BLOCK", 7)  # several blocks, one of them short
    align(src, tgt, AlignParams(full_limit=0, band=6))  # the banded DP
    align(src, tgt, AlignParams())  # the full one
    assert len(compared) > 500 and len(set(compared)) == 6


def _loops(request, monkeypatch, compiled: bool):
    """The aligner's compiled loops (transcompare/align/cloops.c, built by the install; the
    ``compiled_loops`` fixture), or the array forms they replace."""
    from transcompare.align import native

    if compiled:
        request.getfixturevalue("compiled_loops")
    else:
        monkeypatch.setattr(native, "LOOPS", None)


@pytest.mark.parametrize("compiled", [True, False])
@pytest.mark.parametrize("seed", [3, 4])
def test_the_dp_gives_the_beads_of_the_row_by_row_dp(seed, compiled, monkeypatch, request):
    # the DP that scores blocks of rows and every bead type of a row at once gives the beads of
    # the row-by-row, type-by-type DP it replaced (tests/align_reference.py), banded and full;
    # so does the compiled form of its rows
    import align_reference

    from transcompare.align import dp

    _loops(request, monkeypatch, compiled)

    rng = np.random.default_rng(seed)
    n, m, d = 150, 160, 16
    v = rng.standard_normal((n, d))
    w = np.vstack([v[:40], rng.standard_normal((10, d)), v[45:], v[40:45]])[:m] + 0.3 * rng.standard_normal((m, d))
    norm = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)  # noqa: E731
    keys = lambda k: [frozenset({f"n{x}" for x in rng.integers(0, 60, size=rng.integers(0, 3))}) for _ in range(k)]  # noqa: E731
    src = SideFeatures(norm(v), rng.integers(5, 40, size=n).astype(float), keys(n), np.sort(rng.integers(0, 30, size=n)),
                       np.ones(n, dtype=bool), None, rng.random(n) < 0.1)
    tgt = SideFeatures(norm(w), rng.integers(5, 40, size=m).astype(float), keys(m), np.sort(rng.integers(0, 30, size=m)),
                       np.ones(m, dtype=bool), None, rng.random(m) < 0.1)
    # and a document of repeated sentences and equal lengths, where types tie: the first type in
    # BEAD_TYPES order wins a tie, as it did
    rep = norm(rng.standard_normal((4, d)))
    same = SideFeatures(rep[np.arange(n) % 4], np.full(n, 10.0), [frozenset()] * n, np.zeros(n, dtype=int),
                        np.ones(n, dtype=bool))
    twin = SideFeatures(rep[np.arange(m) % 4], np.full(m, 10.0), [frozenset()] * m, np.zeros(m, dtype=int),
                        np.ones(m, dtype=bool))
    kinds = set()
    for s_f, t_f in ((src, tgt), (same, twin)):
        for params in (AlignParams(full_limit=0, band=8), AlignParams()):
            _, stats, M = align(s_f, t_f, params)
            got = dp.dp_beads(M, s_f, t_f, stats, params)
            assert got == align_reference.dp_beads(M, s_f, t_f, stats, params)
            kinds |= {(len(b.source), len(b.target)) for b in got}
    assert len(kinds) >= 3  # beads of several kinds, not only 1-1


@pytest.mark.parametrize("n,m", [(6, 7), (40, 45), (400, 380)])
def test_the_document_statistics_equal_those_computed_row_by_row(n, m):
    # estimate_stats reads every row's band at once; the row-by-row form it replaced
    # (tests/align_reference.py) gives the same statistics, to the bit
    import align_reference

    from transcompare.align import dp

    rng = np.random.default_rng(n)
    v, w = rng.standard_normal((n, 16)), rng.standard_normal((m, 16))
    w[:min(n, m)] += v[:min(n, m)]
    norm = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)  # noqa: E731
    src = SideFeatures(norm(v), rng.integers(5, 40, n).astype(float), [frozenset()] * n, np.zeros(n, int),
                       np.ones(n, bool))
    tgt = SideFeatures(norm(w), rng.integers(5, 40, m).astype(float), [frozenset()] * m, np.zeros(m, int),
                       np.ones(m, bool))
    for params in (AlignParams(), AlignParams(full_limit=0, band=10)):
        _, _, M = align(src, tgt, params)
        got = dp.estimate_stats(M, src, tgt, params, "x")
        want = align_reference.estimate_stats(M, src, tgt, params, "x")
        for f in ("tau", "length_mu", "length_sigma", "match_q", "noise_q", "type_offset"):
            assert getattr(got, f) == getattr(want, f), f
        assert np.array_equal(got.base_s, want.base_s) and np.array_equal(got.base_t, want.base_t)


def _unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize("compiled", [True, False])
def test_the_array_forms_of_the_band_search_equal_the_row_by_row_forms(compiled, monkeypatch, request):
    # the window norms, the columns' nearest-neighbour means, the mutual best matches of the
    # first band, the moved search's best in-band scores and mutual bests, and the refine pass's
    # statement pool are computed for all rows at once (or a block of rows at a time); the
    # row-by-row forms they replaced (tests/align_reference.py) give the same values, to the bit
    import align_reference

    from transcompare.align.band import BandMatrix, band_from_anchors, longest_chain, mutual_best
    from transcompare.align.dp import window_norms
    from transcompare.align.dp import AlignStats
    from transcompare.align.gains import normalised
    from transcompare.align.moved import in_place_best, mutual_best_q
    from transcompare.align.members import statement_pool

    _loops(request, monkeypatch, compiled)
    rng = np.random.default_rng(11)
    checked = 0
    for t in range(40):
        n, m = int(rng.integers(1, 300)), int(rng.integers(1, 300))
        S = _unit(rng.standard_normal((n, 8))).astype(np.float32)
        T = _unit(rng.standard_normal((m, 8))).astype(np.float32)
        T[: min(n, m) // 2] = S[: min(n, m) // 2]  # exact ties between columns and rows too
        w = rng.integers(1, 40, n).astype(float)
        assert all(np.array_equal(a, b, equal_nan=True)
                   for a, b in zip(window_norms(S, w), align_reference.window_norms(S, w)))
        diag = (np.arange(n) * (m / n)).astype(int)
        half = int(rng.integers(1, 30))
        lo, hi = np.clip(diag - half, 0, m), np.maximum.accumulate(np.clip(diag + half + 1, 0, m))
        if t % 4 == 0:
            lo, hi = np.zeros(n, int), np.full(n, m)
        M = BandMatrix(S, T, lo, hi)
        for k in (1, 4, 7):
            bs, bt = M.knn_means(k, 0.3)
            assert np.array_equal(bt, align_reference.column_knn_means(M, k, 0.3))
        assert mutual_best(M, bs, bt, chunk=13) == align_reference.mutual_best(M, bs, bt)
        # the band around an anchor path (one at the first row too, and none)
        points = sorted({(int(i), int(j)) for i, j in zip(rng.integers(0, n, 12), rng.integers(0, m, 12))})
        path = longest_chain([(i, j, 0.0) for i, j in points])
        for anchors in (path, [(0, path[0][1] if path else 0, 0.0)] + [a for a in path if a[0] > 0], []):
            half = int(rng.integers(0, 9))
            got, want = band_from_anchors(anchors, n, m, half), align_reference.band_from_anchors(anchors, n, m, half)
            assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
        stats = AlignStats(0.2, 0.0, 0.2, rng.uniform(0.5, 0.9, n), rng.uniform(0.5, 0.9, m), "x")
        rows, cols = list(rng.choice(n, size=min(n, 20), replace=False)), list(rng.choice(m, size=min(m, 20), replace=False))
        best_s, best_t = in_place_best(M, stats, rows, cols, chunk=7)
        assert (dict(zip(rows, best_s.tolist())), dict(zip(cols, best_t.tolist()))) == align_reference.in_place_best(M, stats, rows, cols)
        own = SideFeatures(S, w, [frozenset()] * n, np.zeros(n, int), rng.random(n) < 0.9)
        excluded = list(rng.choice(n, size=min(n, 4), replace=False)) + [n + 5]
        for max_pool in (3, 50, 200):
            assert statement_pool(own, excluded, max_pool) == align_reference.statement_pool(own, excluded, max_pool)
        # the moved search's mutual bests over every candidate pair, a block of rows at a time
        # (every row twice, with its baseline: each column's best is tied, and the first wins)
        cos, base = np.repeat(S, 2, axis=0) @ T.T, np.repeat(stats.base_s, 2)
        q = normalised(cos, (base[:, None] + stats.base_t[None, :]) / 2)
        rb, rv, cb = mutual_best_q(cos, base, stats.base_t, block=int(rng.integers(1, 40)))
        assert np.array_equal(rb, np.argmax(q, axis=1)) and np.array_equal(cb, np.argmax(q, axis=0))
        assert np.array_equal(rv, q[np.arange(2 * n), np.argmax(q, axis=1)])
        checked += 1
    assert checked == 40


def test_documents_of_very_different_lengths_are_aligned_in_a_bounded_band(monkeypatch):
    # where a diagonal band wide enough for the length difference would be too large, the first
    # band follows a path traced on block averages: nearly the beads of the wide diagonal band
    # (whose neighbour means differ a little), in a band a fraction of its size (the translation splits sentences in its first half only,
    # so the path leaves the diagonal)
    from transcompare.align import band

    rng = np.random.default_rng(5)
    n, d = 1200, 32
    src_v = _unit(rng.standard_normal((n, d)))
    src_len = rng.integers(8, 30, n).astype(float)
    tgt_v, tgt_len, truth = [], [], []
    for i in range(n):
        if i < n // 2 and rng.random() < 0.8:  # rendered as two sentences (in the first half only)
            tgt_v += list(_unit(src_v[i] + 0.3 * rng.standard_normal((2, d))))
            tgt_len += [src_len[i] // 2, src_len[i] - src_len[i] // 2]
        else:
            truth.append((i, len(tgt_v)))
            tgt_v.append(_unit((src_v[i] + 0.15 * rng.standard_normal(d))[None])[0])
            tgt_len.append(src_len[i])
    m = len(tgt_v)
    src = SideFeatures(src_v, src_len, [frozenset()] * n, np.zeros(n, int), np.ones(n, bool))
    tgt = SideFeatures(np.array(tgt_v), np.array(tgt_len), [frozenset()] * m, np.zeros(m, int), np.ones(m, bool))
    params = AlignParams(full_limit=0)
    monkeypatch.setattr(band, "FIRST_BAND_CELLS", 10_000)
    monkeypatch.setattr(band, "COARSE_BLOCKS", 100)
    seen = {}
    real = band.coarse_band
    monkeypatch.setattr(band, "coarse_band", lambda *a: seen.setdefault("band", real(*a)))
    beads = align(src, tgt, params)[0].beads
    lo, hi = seen["band"]
    assert (hi - lo).max() < 0.5 * (2 * (abs(n - m) + 40) + 1)  # a fraction of the diagonal band
    assert sum(lo[i] <= j < hi[i] for i, j in truth) >= 0.99 * len(truth)  # and it holds the path,
    diag = np.arange(n) * m / n  # where a diagonal band as wide would not
    assert sum(abs(j - diag[i]) <= (hi - lo).max() / 2 for i, j in truth) < 0.9 * len(truth)
    together = {(i, j) for b in beads for i in b.source for j in b.target}
    assert sum(p in together for p in truth) >= 0.95 * len(truth)  # each pair in one bead
    monkeypatch.undo()
    assert band.FIRST_BAND_CELLS > n * m  # (the wide band, as a reference)
    wide = set(align(src, tgt, params)[0].beads)
    assert len(set(beads) & wide) >= 0.97 * len(wide)  # nearly all the wide band's beads


def test_the_member_test_equals_the_one_that_formed_every_candidate():
    # the refine pass's member z-score takes each candidate bead's dot product and length from
    # the candidate's own (no vector of the bead is formed): the same z as forming them, up to
    # rounding, and the same beads from refine
    import align_reference

    from transcompare.align.members import member_z, member_zs

    rng = np.random.default_rng(2)
    n, m, d = 400, 420, 24
    S = _unit(rng.standard_normal((n, d))).astype(np.float32)
    T = _unit(S[np.minimum(np.arange(m), n - 1)] + 0.5 * rng.standard_normal((m, d))).astype(np.float32)
    own = SideFeatures(S, rng.integers(5, 40, n).astype(float), [frozenset()] * n, np.zeros(n, int), rng.random(n) < 0.95)
    other = SideFeatures(T, rng.integers(5, 40, m).astype(float), [frozenset()] * m, np.zeros(m, int), np.ones(m, bool))
    worst = 0.0
    for _ in range(300):
        k = int(rng.integers(0, 3))
        members = [int(x) for x in rng.choice(n, size=k, replace=False)]
        cand = int(rng.integers(0, n))
        other_ids = [int(x) for x in rng.choice(m, size=int(rng.integers(1, 3)), replace=False)]
        for max_pool in (200, 20):
            got = member_z(own, other, members, cand, other_ids, max_pool)
            want = align_reference.member_z(own, other, members, cand, other_ids, max_pool)
            worst = max(worst, abs(got - want))
        ids = [int(x) for x in rng.choice(n, size=3, replace=False)]
        tries = [(ids[1:], ids[0]), (ids[:-1], ids[-1])]  # a bead's first and last member, at once
        for (members, cand), got in zip(tries, member_zs(own, other, tries, other_ids)):
            worst = max(worst, abs(got - align_reference.member_z(own, other, members, cand, other_ids)))
    assert worst < 1e-9
    # the pools' rows are kept for the pools used last: beads along the document share most
    # pools, and the kept rows give the values read afresh (a new side object keeps nothing)
    from transcompare.align import members as members_module

    same_pool = 0
    for i in range(0, n - 3, 2):
        tries = [([i + 1], i), ([i], i + 1)]
        kept = member_zs(own, other, tries, [i], 20)
        fresh = SideFeatures(own.vectors, own.tokens, own.anchors, own.paragraphs, own.statement)
        assert kept == member_zs(fresh, other, tries, [i], 20)
        same_pool += members_module.pool_ids(own, [i + 1, i], 20).tolist() == members_module.pool_ids(own, [i + 3, i + 2], 20).tolist()
    assert same_pool > 50  # (the kept rows were used)


def test_bead_cosines_at_once_equal_one_at_a_time():
    from transcompare.align.refine import bead_cosine, bead_cosines
    from transcompare.model import Bead

    rng = np.random.default_rng(8)
    n, m = 60, 70
    src = SideFeatures(_unit(rng.standard_normal((n, 16))).astype(np.float32), rng.integers(3, 30, n).astype(float),
                       [frozenset()] * n, np.zeros(n, int), np.ones(n, bool))
    tgt = SideFeatures(_unit(rng.standard_normal((m, 16))).astype(np.float32), rng.integers(3, 30, m).astype(float),
                       [frozenset()] * m, np.zeros(m, int), np.ones(m, bool))
    beads = [Bead((i,), (i,)) for i in range(40)] + [Bead((40, 41), (45,)), Bead((50,), (51, 52, 53))]
    got = bead_cosines(beads, src, tgt)
    want = np.array([bead_cosine(b, src, tgt) for b in beads])
    assert np.abs(got - want).max() < 1e-12 and len(got) == len(beads)


def test_square_norms_a_block_at_a_time_equal_the_whole_array():
    rng = np.random.default_rng(5)
    for n in (0, 1, 2047, 2048, 5000):
        v = rng.standard_normal((n, 16)).astype(np.float32)
        f = SideFeatures(v, np.ones(n), [frozenset()] * n, np.zeros(n, int), np.ones(n, bool))
        whole = v.astype(np.float64)
        assert np.array_equal(f.square_norms, np.einsum("ij,ij->i", whole, whole))


def test_the_compiled_loops_refuse_arrays_that_do_not_fit(compiled_loops):
    # the C loops check every shape and index before they read or write (a wrong call raises,
    # it does not reach outside an array)
    from transcompare.align import dp

    loops = compiled_loops
    data = np.arange(6, dtype=np.float32).reshape(3, 2)
    lo = np.array([0, 1, 2])
    best = np.full((3, 2), -np.inf, dtype=np.float32)
    loops.column_slots(data, lo, np.array([0, 0, 1]), np.array([1, 2, 3]), best)  # rows in each band: fits
    assert best.tolist() == [[0, -np.inf], [1, 2], [3, 4]]
    with pytest.raises(ValueError):  # column 3's rows start at row 0, whose band ends at column 1
        loops.column_slots(data, lo, np.array([0, 0, 1, 0]), np.array([1, 2, 3, 3]), np.zeros((4, 2), np.float32))
    with pytest.raises(ValueError):  # float64 values where float32 is read
        loops.column_slots(data.astype(np.float64), lo, np.array([0, 0, 1]), np.array([1, 2, 3]), best)
    types = len(dp.BEAD_TYPES) - 1  # the types that end at a row (all but 0-1)
    cl, ch = np.array([0, 0]), np.array([2, 9])  # row 1's band is wider than the ring
    ring = np.full((dp.MAX_A + 1, 3 + dp.MAX_B), -np.inf)
    with pytest.raises(ValueError):
        loops.dp_rows(0, 2, np.zeros((2, types, 10)), ring, np.array([(0, -1)] * (dp.MAX_A + 1)), cl, ch,
                      np.zeros(types, np.int8), np.ones(types, np.int64), np.zeros(types, np.int64), dp.MAX_A,
                      dp.MAX_B, 2, dp.NEG, np.zeros((2, 10), np.int8), np.zeros(10))
    pool = np.ones(5)
    with pytest.raises(ValueError):  # two tries, but products for one
        loops.member_zs(pool, pool, pool, np.ones((5, 2)), np.ones(2), np.ones(2), np.ones(2))
    assert len(loops.member_zs(pool, pool, pool, np.ones((5, 3)), np.ones(2), np.ones(2), np.ones(2))) == 2


@pytest.mark.parametrize("n,max_pool", [(6, 200), (12, 200), (140, 200), (400, 200), (400, 151), (3000, 1000)])
def test_the_compiled_member_test_gives_the_array_forms_z_scores(n, max_pool, monkeypatch, compiled_loops):
    # the member test's z-scores, compiled (a pool's median as an order statistic, its mean and
    # spread summed as numpy sums: pairwise, in blocks of eight), equal the array forms' to the
    # bit: pools of fewer than 8 values, of 8 to 128, longer (halves summed apart), odd and even
    # sizes, and repeated sentences (tied values)
    from transcompare.align import native
    from transcompare.align.members import member_zs

    loops = compiled_loops
    rng = np.random.default_rng(n + max_pool)
    d = 24
    S = _unit(rng.standard_normal((n, d))).astype(np.float32)
    S[n // 2:n // 2 + n // 5] = S[: n // 5]  # repeated sentences
    T = _unit(S[rng.integers(0, n, n)] + 0.4 * rng.standard_normal((n, d))).astype(np.float32)
    side = lambda V: SideFeatures(V, rng.integers(3, 40, len(V)).astype(float), [frozenset()] * len(V),  # noqa: E731
                                  np.zeros(len(V), int), rng.random(len(V)) < 0.9)
    own, other = side(S), side(T)
    compared = 0
    for _ in range(60):
        ids = sorted(int(x) for x in rng.choice(n, size=3, replace=False))
        tries = [(ids[1:], ids[0]), (ids[:-1], ids[-1])]
        other_ids = [int(x) for x in rng.choice(n, size=int(rng.integers(1, 3)), replace=False)]
        got = member_zs(own, other, tries, other_ids, max_pool)
        monkeypatch.setattr(native, "LOOPS", None)
        want = member_zs(own, other, tries, other_ids, max_pool)
        monkeypatch.setattr(native, "LOOPS", loops)
        assert got == want
        compared += got[0] is not None
    assert compared == 60 or n < 8
