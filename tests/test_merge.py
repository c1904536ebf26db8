"""Neighbouring beads that divide one passage differently (align/merge.py): merged when together
they match clearly better and their length is more typical; never otherwise."""
from pathlib import Path

import numpy as np
import pytest

from transcompare import compare
from transcompare.align.dp import AlignStats, SideFeatures
from transcompare.align.merge import MIN_PAIRS, SAMPLE, merge_neighbours
from transcompare.model import Bead

CORPORA = Path(__file__).resolve().parent.parent / "corpora"


def features(tokens, statement=None, heading=None):
    n = len(tokens)
    return SideFeatures(vectors=np.eye(n, 8, dtype=np.float32), tokens=np.asarray(tokens, float),
                        anchors=[frozenset()] * n, paragraphs=np.arange(n),
                        statement=np.ones(n, bool) if statement is None else np.asarray(statement),
                        heading=None if heading is None else np.asarray(heading))


def stats():
    return AlignStats(tau=0.0, length_mu=0.0, length_sigma=0.2, base_s=np.zeros(1), base_t=np.zeros(1), method="test")


def one_to_one(n):
    return [Bead((k,), (k,)) for k in range(n)]


def setting(n=60, split_at=5, gain=0.05):
    """n 1-1 beads of equal lengths, except that beads ``split_at`` and ``split_at + 1`` divide one
    passage differently: the first translation piece twice as long as its source, the second
    half as long, and the passage as a whole ``gain`` more alike than its two beads."""
    ts, tt = [20.0] * n, [20.0] * n
    tt[split_at], tt[split_at + 1] = 40.0, 10.0
    ts[split_at + 1] = 30.0
    calls = []

    def similarity(b: Bead) -> float:
        calls.append(b)
        if b == Bead((split_at, split_at + 1), (split_at, split_at + 1)):
            return 0.80 + gain
        if b.kind == "2-2":  # any other two neighbours: a little above their mean, with some spread
            return 0.80 + 0.002 * ((b.source[0] * 7) % 5)
        return 0.80
    return features(ts), features(tt), similarity, calls


def test_a_passage_divided_differently_is_merged_and_nothing_else():
    src, tgt, similarity, _ = setting()
    out = merge_neighbours(one_to_one(60), src, tgt, stats(), similarity)
    assert out == one_to_one(5) + [Bead((5, 6), (5, 6))] + [Bead((k,), (k,)) for k in range(7, 60)]


def test_a_short_document_is_left_as_it_is_and_nothing_is_embedded():
    src, tgt, similarity, calls = setting(n=MIN_PAIRS)  # one pair of neighbours too few
    assert merge_neighbours(one_to_one(MIN_PAIRS), src, tgt, stats(), similarity) == one_to_one(MIN_PAIRS)
    assert calls == []


def test_no_merge_without_a_clear_gain_in_similarity():
    src, tgt, similarity, _ = setting(gain=0.0)
    assert merge_neighbours(one_to_one(60), src, tgt, stats(), similarity) == one_to_one(60)


def test_no_merge_when_the_lengths_already_agree():
    _, _, similarity, calls = setting(n=80)
    src, tgt = features([20.0] * 80), features([20.0] * 80)
    assert merge_neighbours(one_to_one(80), src, tgt, stats(), similarity) == one_to_one(80)
    assert calls == []  # no pair's length gains: none is a candidate, and no sample is taken


def test_only_the_sample_and_the_candidates_are_embedded():
    src, tgt, similarity, calls = setting(n=80)
    merge_neighbours(one_to_one(80), src, tgt, stats(), similarity)
    # of the 79 pairs of neighbours: the sample the document's typical gain is learned from,
    # and the pairs whose lengths gain (here the two around the re-divided passage, and it)
    assert SAMPLE <= len({b for b in calls if b.kind == "2-2"}) <= SAMPLE + 3


def test_boilerplate_headings_moved_and_left_out_sentences_are_never_merged():
    src, tgt, similarity, _ = setting()
    beads = one_to_one(60)
    for variant in (
            dict(src=features(src.tokens, statement=[k != 6 for k in range(60)]), tgt=tgt),
            dict(src=src, tgt=features(tgt.tokens, heading=[k == 5 for k in range(60)]))):
        assert merge_neighbours(beads, variant["src"], variant["tgt"], stats(), similarity) == beads
    moved = beads[:6] + [Bead((6,), (6,), moved=True)] + beads[7:]
    assert merge_neighbours(moved, src, tgt, stats(), similarity) == moved
    gap = beads[:6] + [Bead((6,), ()), Bead((), (6,))] + beads[7:]
    assert merge_neighbours(gap, src, tgt, stats(), similarity) == gap


def test_the_merge_needs_the_stated_number_of_spreads(monkeypatch):
    import transcompare.align.merge as merge

    src, tgt, similarity, _ = setting(gain=0.05)
    assert len(merge_neighbours(one_to_one(60), src, tgt, stats(), similarity)) == 59
    # the gain is 0.05 over a typical gain of about 0.004 with a spread of about 0.003, plus
    # the length gain (about 5 spreads): some 20 spreads in all
    monkeypatch.setattr(merge, "MERGE_SPREADS", 40.0)
    assert merge_neighbours(one_to_one(60), src, tgt, stats(), similarity) == one_to_one(60)
    monkeypatch.setattr(merge, "MERGE_SPREADS", 15.0)
    assert len(merge_neighbours(one_to_one(60), src, tgt, stats(), similarity)) == 59


def test_a_short_article_is_left_to_the_rest_of_the_aligner(encoder, monkeypatch):
    """The bundled news story has far fewer than MIN_PAIRS pairs of neighbours: the step
    embeds nothing there and the beads are the aligner's without it."""
    import importlib

    pair = importlib.import_module("transcompare.align.pair")
    seen = []
    real = pair.merge_neighbours

    def noting(beads, *args):
        out = real(beads, *args)
        seen.append((list(beads), out))
        return out
    monkeypatch.setattr(pair, "merge_neighbours", noting)
    compare(CORPORA / "en-vi-detained" / "source.en.txt", CORPORA / "en-vi-detained" / "translation.vi.txt",
            encoder=encoder)
    assert len(seen) == 1 and seen[0][0] == seen[0][1]


@pytest.mark.slow
def test_text_berg_dev_gains_from_the_step(shared_data, encoder, monkeypatch):
    """On the long Text+Berg dev document the step merges passages the DP divided, and its
    strict F1 rises (0.911 -> 0.928, docs/benchmarks.md; the levels were chosen on it)."""
    import importlib

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent / "scripts"))
    from eval_align import read_beads, score

    from transcompare import align_files

    tb = shared_data / "alignment" / "textberg-dev"  # part of the dev data (its README)
    gold = read_beads(tb / "dev.defr")

    def strict():
        r = align_files(tb / "dev.de", tb / "dev.fr", split="lines", encoder=encoder)
        return score([(b.source, b.target) for b in r.alignment.beads], gold)["strict"][2]
    with_step = strict()
    monkeypatch.setattr(importlib.import_module("transcompare.align.pair"), "merge_neighbours",
                        lambda beads, *a: list(beads))
    without = strict()
    assert with_step >= 0.92 and with_step > without + 0.01
