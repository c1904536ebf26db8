"""Neighbouring beads that divide one passage differently (align/merge.py): merged when together
they match clearly better and their length is more typical; never otherwise."""
from pathlib import Path

import numpy as np

from transcompare import compare
from transcompare.align.dp import AlignStats, SideFeatures
from transcompare.align.merge import SAMPLE, merge_neighbours
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


def setting(n=12, split_at=5, gain=0.05):
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
    out = merge_neighbours(one_to_one(12), src, tgt, stats(), similarity)
    assert out == one_to_one(5) + [Bead((5, 6), (5, 6))] + [Bead((k,), (k,)) for k in range(7, 12)]


def test_no_merge_without_a_clear_gain_in_similarity():
    src, tgt, similarity, _ = setting(gain=0.0)
    assert merge_neighbours(one_to_one(12), src, tgt, stats(), similarity) == one_to_one(12)


def test_no_merge_when_the_lengths_already_agree():
    _, _, similarity, calls = setting(n=40)
    src, tgt = features([20.0] * 40), features([20.0] * 40)
    assert merge_neighbours(one_to_one(40), src, tgt, stats(), similarity) == one_to_one(40)
    # of the 39 neighbouring pairs only the sample the document's typical gain is learned from
    # was embedded: no pair's length gains, so none is a candidate
    assert len({b for b in calls if b.kind == "2-2"}) == SAMPLE


def test_boilerplate_headings_moved_and_left_out_sentences_are_never_merged():
    src, tgt, similarity, _ = setting()
    beads = one_to_one(12)
    for variant in (
            dict(src=features(src.tokens, statement=[k != 6 for k in range(12)]), tgt=tgt),
            dict(src=src, tgt=features(tgt.tokens, heading=[k == 5 for k in range(12)]))):
        assert merge_neighbours(beads, variant["src"], variant["tgt"], stats(), similarity) == beads
    moved = beads[:6] + [Bead((6,), (6,), moved=True)] + beads[7:]
    assert merge_neighbours(moved, src, tgt, stats(), similarity) == moved
    gap = beads[:6] + [Bead((6,), ()), Bead((), (6,))] + beads[7:]
    assert merge_neighbours(gap, src, tgt, stats(), similarity) == gap


def test_the_merge_needs_the_stated_number_of_spreads(monkeypatch):
    import transcompare.align.merge as merge

    src, tgt, similarity, _ = setting(gain=0.05)
    assert len(merge_neighbours(one_to_one(12), src, tgt, stats(), similarity)) == 11
    # the gain is 0.05 over a typical gain of about 0.004 with a spread of about 0.003, plus
    # the length gain (about 5 spreads): some 20 spreads in all
    monkeypatch.setattr(merge, "MERGE_SPREADS", 40.0)
    assert merge_neighbours(one_to_one(12), src, tgt, stats(), similarity) == one_to_one(12)
    monkeypatch.setattr(merge, "MERGE_SPREADS", 15.0)
    assert len(merge_neighbours(one_to_one(12), src, tgt, stats(), similarity)) == 11


def test_faithful_corpus_pairs_keep_their_beads(encoder):
    """On real translations the step leaves alone what the rest of the aligner paired (the
    FLORES figures are in docs/benchmarks.md): the paraphrased benign pairs of the bundled
    news story stay 1-1."""
    c = compare(CORPORA / "en-vi-detained" / "source.en.txt", CORPORA / "en-vi-detained" / "translation.vi.txt",
                encoder=encoder)
    kinds = [b.kind for b in c.alignment.beads if b.source and b.target]
    assert kinds.count("2-2") == 0 and kinds.count("1-1") >= 9
