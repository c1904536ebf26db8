"""Acceptance: on every bundled pair, every planted change is flagged with the right kind and
reason, and at most one flag per pair falls on a benign difference or a clean sentence."""
import pytest

from corpora_eval import evaluate, load_expected, pairs
from transcompare import compare

PAIRS = pairs()


REORDERED = "en-de-tunnel"  # the pair whose translation moves paragraphs


# pairs that repeat another pair's story in another input format (web pages): the same planted
# changes must be found through the reader
OTHER_FORMATS = {"en-vi-flood-web": "en-vi-flood"}
# pairs written for the cases real articles showed (issue 24): a clause cut, a weakened claim, a
# changed quote, an absorbed unrelated sentence; sentences cut from a same-language copy
REAL_CASES = {"en-vi-detained", "en-en-cuts"}


def test_corpora_has_the_pairs_the_issue_asks_for():
    langs = sorted(load_expected(p)["target_lang"] for p in PAIRS
                   if p.name != REORDERED and p.name not in OTHER_FORMATS and p.name not in REAL_CASES)
    assert langs == ["de", "en", "es", "fr", "vi", "zh"]
    for name, twin in OTHER_FORMATS.items():
        a, b = load_expected(PAIRS[0].parent / name), load_expected(PAIRS[0].parent / twin)
        assert a["planted"] == b["planted"] and a["source"].endswith(".html")
    for p in PAIRS:
        exp = load_expected(p)
        kinds = {(i["kind"], i.get("reason")) for i in exp["planted"]}
        if p.name in REAL_CASES:
            continue
        if p.name == REORDERED:
            assert {("moved", None), ("dropped", None), ("added", None)} <= kinds
            assert {b["what"] for b in exp["benign"]} >= {"merge", "boilerplate"}
            continue
        assert {("dropped", None), ("added", None), ("altered", "number"), ("altered", "name"),
                ("altered", "negation"), ("altered", "partial_omission")} <= kinds, p.name
        assert {b["what"] for b in exp["benign"]} >= {"merge", "split", "boilerplate"}


def test_reordered_paragraphs_are_moved_not_dropped_and_added(results):
    from corpora_eval import sentence_of

    comparison, exp = results[REORDERED]
    moved_src = {sentence_of(comparison.source, i["source"]) for i in exp["planted"] if i["kind"] == "moved"}
    moved_tgt = {sentence_of(comparison.target, i["target"]) for i in exp["planted"] if i["kind"] == "moved"}
    for f in comparison.flags:
        if f.kind in ("dropped", "added"):
            assert not (set(f.source) & moved_src) and not (set(f.target) & moved_tgt), f
    flagged = [f for f in comparison.flags if f.kind == "moved"]
    assert {i for f in flagged for i in f.source} == moved_src
    assert {j for f in flagged for j in f.target} == moved_tgt
    assert all(f.severity == "minor" for f in flagged)
    # beads stay a partition, in order apart from the moved ones
    beads = comparison.alignment.beads
    assert sorted(i for b in beads for i in b.source) == list(range(len(comparison.source)))
    assert sorted(j for b in beads for j in b.target) == list(range(len(comparison.target)))
    in_order = [b for b in beads if not b.moved]
    src_ids = [i for b in in_order for i in b.source]
    tgt_ids = [j for b in in_order for j in b.target]
    assert src_ids == sorted(src_ids) and tgt_ids == sorted(tgt_ids)
    assert [i for b in beads for i in b.source] == sorted(i for b in beads for i in b.source)
    assert comparison.metrics["flags"]["moved"] == len(flagged)


@pytest.fixture(scope="module")
def results(encoder):
    out = {}
    for p in PAIRS:
        exp = load_expected(p)
        out[p.name] = (compare(p / exp["source"], p / exp["translation"], encoder=encoder), exp)
    return out


@pytest.mark.parametrize("name", [p.name for p in PAIRS])
def test_planted_changes_are_flagged(results, name):
    comparison, exp = results[name]
    r = evaluate(comparison, exp)
    assert not r["missed"], [(m["kind"], m.get("reason"), m.get("source", m.get("target"))) for m in r["missed"]]
    assert len(r["spurious"]) <= 1, [(f.kind, f.reasons, f.message) for f in r["spurious"]]


@pytest.mark.parametrize("name", [p.name for p in PAIRS])
def test_languages_are_detected(results, name):
    comparison, exp = results[name]
    assert comparison.source.lang == exp["source_lang"]
    assert comparison.target.lang == exp["target_lang"]


@pytest.mark.parametrize("name", [p.name for p in PAIRS])
def test_benign_merges_and_splits_are_aligned(results, name):
    from corpora_eval import sentence_of

    comparison, exp = results[name]
    beads = comparison.alignment.beads
    for b in exp["benign"]:
        if b["what"] not in ("merge", "split"):
            continue
        s_ids = {sentence_of(comparison.source, x) for x in b["source"]}
        t_ids = {sentence_of(comparison.target, x) for x in b["target"]}
        bead = next(x for x in beads if s_ids & set(x.source))
        assert s_ids <= set(bead.source) and t_ids <= set(bead.target), (b, bead)


@pytest.mark.parametrize("name", [p.name for p in PAIRS])
def test_boilerplate_is_never_flagged(results, name):
    from corpora_eval import sentence_of

    comparison, exp = results[name]
    for b in exp["benign"]:
        if b["what"] != "boilerplate":
            continue
        s_ids = {sentence_of(comparison.source, x) for x in b["source"]}
        t_ids = {sentence_of(comparison.target, x) for x in b["target"]}
        for f in comparison.flags:
            assert not (set(f.source) & s_ids) and not (set(f.target) & t_ids), f
