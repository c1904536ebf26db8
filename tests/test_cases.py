"""The cases real articles showed (issue 24), on pairs written for them (corpora/README.md): a
sentence cut from a same-language copy never hides in its neighbour's bead, and an unrelated
sentence appended to a translation is reported as added."""
from pathlib import Path

import pytest

from corpora_eval import load_expected, sentence_of
from transcompare import compare

CORPORA = Path(__file__).resolve().parent.parent / "corpora"


@pytest.fixture(scope="module")
def cuts(encoder):
    exp = load_expected(CORPORA / "en-en-cuts")
    return compare(CORPORA / "en-en-cuts" / exp["source"], CORPORA / "en-en-cuts" / exp["translation"],
                   source_lang="en", target_lang="en", encoder=encoder), exp


@pytest.fixture(scope="module")
def detained(encoder):
    exp = load_expected(CORPORA / "en-vi-detained")
    return compare(CORPORA / "en-vi-detained" / exp["source"], CORPORA / "en-vi-detained" / exp["translation"],
                   encoder=encoder), exp


def test_every_cut_sentence_is_dropped_on_its_own(cuts):
    c, exp = cuts
    cut = {sentence_of(c.source, i["source"]) for i in exp["planted"]}
    dropped = {i for f in c.flags if f.kind == "dropped" for i in f.source}
    assert dropped == cut
    for b in c.alignment.beads:
        if set(b.source) & cut:
            assert b.target == () and len(b.source) == 1, b  # not in a 2-1 bead with its neighbour


def test_the_rest_of_a_copy_raises_nothing(cuts):
    c, exp = cuts
    cut = {sentence_of(c.source, i["source"]) for i in exp["planted"]}
    assert [f for f in c.flags if not set(f.source) <= cut or f.kind != "dropped"] == []
    assert c.metrics["verdict"] == "translation"  # six sentences of 32 cut: still a translation


def test_an_unrelated_sentence_appended_to_a_translation_is_added(detained):
    c, exp = detained
    market = sentence_of(c.target, "Chỉ số VN-Index tăng 12 điểm")
    added = [f for f in c.flags if f.kind == "added"]
    assert [f.target for f in added] == [(market,)]
    bead = next(b for b in c.alignment.beads if market in b.target)
    assert bead.source == ()  # not absorbed into the sentence before it


def test_faithful_sentences_of_the_rendering_raise_nothing(detained):
    c, exp = detained
    for b in exp["benign"]:
        s_ids = {sentence_of(c.source, x) for x in b["source"]}
        assert not [f for f in c.flags if set(f.source) & s_ids], b
