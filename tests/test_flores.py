"""Unperturbed human translations (FLORES-200 dev, in ../shared/data) should raise few flags.

The full figure per language comes from scripts/flores_flags.py (docs/benchmarks.md); this test
runs a slice of the documents for two languages so the suite stays fast, and checks the rate
stays within the bar the project holds itself to, with every flag well-formed.
"""
import json
from collections import defaultdict

import pytest

from transcompare.compare import compare_documents, document_from_text

BAR = 3.0  # flags per 100 source sentences on this slice


@pytest.fixture(scope="module")
def docs(shared_data):
    path = shared_data / "flores200-dev" / "flores200_dev_8lang_with_docs.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not found")
    out = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        out[row["doc_index"]].append(row)
    return out


@pytest.mark.parametrize("code,lang", [("vie_Latn", "vi"), ("zho_Hans", "zh")])
def test_few_flags_on_human_translations(docs, encoder, code, lang):
    joiner = "" if lang == "zh" else " "
    n_sent = n_flags = 0
    for d in sorted(docs)[:60]:
        rows = docs[d]
        src = document_from_text(" ".join(r["eng_Latn"] for r in rows), "en")
        tgt = document_from_text(joiner.join(r[code] for r in rows), lang)
        c = compare_documents(src, tgt, encoder)
        n_sent += len(rows)
        n_flags += len(c.flags)
        for f in c.flags:
            assert f.message and 0 <= f.confidence <= 1
    assert n_sent > 150
    assert 100 * n_flags / n_sent <= BAR, f"{n_flags} flags on {n_sent} sentences"
