#!/usr/bin/env python3
"""Check the transformers backends on a CUDA GPU, and measure them: run by scripts/gpu_check.sh.

1. The hf encoder on the GPU in float16 (and bfloat16) against the same model in float32 on the
   CPU: every sentence's vector must agree to a cosine of at least 0.999 (0.99 in bfloat16), so
   the GPU path gives the CPU's answers, not just some answers.
2. Throughput (sentences and tokens per second) of the real encoder on the GPU and on this
   machine's CPU, on the same sentences: FLORES dev when ``--data`` has it, else every sentence
   of the bundled corpora paired with its neighbours (distinct texts of article length).
3. Throughput of an encoder shaped like multilingual-e5-large (24 layers, 1024 wide, random
   weights: the cost of the model is in its shape, not its values) on the GPU.
4. Back-translation on the GPU with a tiny Marian model built on the spot (tests/tiny_models.py),
   greedy, against the same on the CPU.

Exits non-zero when torch sees no CUDA device or a check fails.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def corpus_sentences(data: Path | None, n: int) -> tuple[list[str], str]:
    flores = data / "flores200-dev" if data else None
    if flores and flores.exists():
        langs = ("eng_Latn", "vie_Latn", "deu_Latn", "fra_Latn", "spa_Latn", "zho_Hans", "rus_Cyrl", "arb_Arab")
        per = n // len(langs)
        texts = [t for c in langs for t in (flores / f"{c}.dev").read_text(encoding="utf-8").splitlines()[:per]]
        return texts, f"{len(texts)} FLORES dev sentences"
    import regex

    sents = []
    for p in sorted((ROOT / "corpora").glob("*/*.txt")):
        for line in p.read_text(encoding="utf-8").splitlines():
            sents += [s.strip() for s in regex.split(r"(?<=[.!?。])\s+", line) if len(s.strip()) > 20]
    # distinct texts of article length: each sentence followed by another, in a fixed order
    texts = []
    L = len(sents)
    for k in range(min(n, L * (L - 1))):
        a, b = k % L, (k % L + 1 + k // L) % L
        texts.append(sents[a] + " " + sents[b])
    return texts, f"{len(texts)} corpora sentence pairs"


def timed(enc, texts) -> tuple[np.ndarray, float]:
    import torch

    enc._cache.clear()
    if enc.device.type == "cuda":
        torch.cuda.synchronize()
    t = time.perf_counter()
    v = enc.embed(texts)
    if enc.device.type == "cuda":
        torch.cuda.synchronize()
    return v, time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True, help="folder of a sentence encoder (e.g. MiniLM's)")
    ap.add_argument("--data", default=None, help="folder holding flores200-dev (optional)")
    ap.add_argument("-n", type=int, default=2000)
    ap.add_argument("--gpu", default="cuda", help="the device under test (cpu: a dry run of this script)")
    args = ap.parse_args()
    dev = args.gpu

    import torch
    import transformers

    from transcompare.backends.encoders.hf_backend import HFEncoder
    from transcompare.backends.mt.hf_backend import HFTranslator

    if dev.startswith("cuda") and not torch.cuda.is_available():
        print(f"FAIL: torch {torch.__version__} sees no CUDA device")
        return 1
    name = torch.cuda.get_device_name(0) if dev.startswith("cuda") else "dry run on the CPU"
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, {name}, {os.cpu_count()} CPUs")
    texts, what = corpus_sentences(Path(args.data) if args.data else None, args.n)
    warm = texts[:64]
    ok = True

    # 1-2: the real encoder, GPU fp16 / bf16 against CPU fp32
    os.environ.pop("TRANSCOMPARE_HF_DTYPE", None)
    cpu = HFEncoder(args.model, device="cpu")
    if not dev.startswith("cuda"):
        os.environ["TRANSCOMPARE_HF_DTYPE"] = "float16"
    gpu = HFEncoder(args.model, device=dev)
    os.environ["TRANSCOMPARE_HF_DTYPE"] = "bfloat16"
    gpu_bf = HFEncoder(args.model, device=dev)
    os.environ.pop("TRANSCOMPARE_HF_DTYPE")
    tokens = sum(cpu.count_tokens(t) for t in texts)
    print(f"\nencoder {gpu.id} on {what} ({tokens} tokens)")
    rows = []
    for enc in (cpu, gpu, gpu_bf):
        enc.embed(warm)
        v, dt = timed(enc, texts)
        rows.append((enc, v, dt))
    ref = rows[0][1]
    print(f"{'device':8} {'dtype':6} {'sent/s':>9} {'tok/s':>10} {'min cos vs CPU fp32':>20}")
    for enc, v, dt in rows:
        cos = float(np.min(np.einsum("ij,ij->i", v, ref)))
        label = str(enc.id.rsplit("/", 1)[-1])
        print(f"{enc.device.type:8} {label:6} {len(texts) / dt:9.1f} {tokens / dt:10.0f} {cos:20.5f}")
        # bfloat16 keeps 8 bits of mantissa to float16's 11: a looser bound
        bound = 0.99 if label == "bf16" else 0.999
        if cos < bound:
            print(f"FAIL: {enc.device.type} {label} vectors differ from the CPU's (cosine {cos:.5f} < {bound})")
            ok = False
    for budget in (4096, 65536):
        gpu.batch_tokens = budget
        _, dt = timed(gpu, texts)
        print(f"{dev} fp16, batch_tokens={budget}: {len(texts) / dt:.1f} sent/s")
    gpu.batch_tokens = 16384
    # the cost of batch shapes seen for the first time: fresh texts, cold then warm
    fresh, _ = corpus_sentences(None, args.n + 1800)
    fresh = fresh[-1800:]  # texts not timed before
    sets = [fresh[k * 600:(k + 1) * 600] for k in range(3)]
    print("cold shapes (600 new texts), then the same texts again:")
    import transcompare.backends.hub as hfhub

    shipped = hfhub.attention_context
    for label, setup, chunk in (("as shipped", lambda: None, sets[0]),
                                ("pad to x64", lambda: setattr(gpu, "pad_multiple", 64), sets[1]),
                                ("cudnn sdpa on", lambda: (setattr(gpu, "pad_multiple", None),
                                                           setattr(hfhub, "attention_context",
                                                                   lambda d: __import__("contextlib").nullcontext())),
                                 sets[2])):
        setup()
        _, cold = timed(gpu, chunk)
        _, warm_ = timed(gpu, chunk)
        print(f"  {label:15} cold {len(chunk) / cold:8.1f} sent/s   warm {len(chunk) / warm_:8.1f} sent/s")
    hfhub.attention_context = shipped

    # 3: an e5-large-shaped encoder (random weights) on the GPU
    from transformers import XLMRobertaConfig, XLMRobertaModel

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "e5-large-shape"
        cfg = XLMRobertaConfig(vocab_size=250002, hidden_size=1024, num_hidden_layers=24, num_attention_heads=16,
                               intermediate_size=4096, max_position_embeddings=514, pad_token_id=0)
        torch.manual_seed(0)
        XLMRobertaModel(cfg).half().save_pretrained(big)
        # its tokenizer: MiniLM's (what matters for cost is the token count, printed)
        from transformers import AutoTokenizer

        AutoTokenizer.from_pretrained(args.model).save_pretrained(big)
        large = HFEncoder(str(big), device=dev)
        large.embed(warm)
        _, dt = timed(large, texts)
        _, dt2 = timed(large, texts)
        print(f"\ne5-large-shaped encoder (560M parameters, random weights) {large.id.rsplit('/', 1)[-1]}: "
              f"{len(texts) / dt:.1f} sent/s, {tokens / dt:.0f} tok/s on the GPU "
              f"(the same texts again: {len(texts) / dt2:.1f} sent/s)")

    # 4: back-translation on the GPU with a tiny Marian model
    from tiny_models import build_marian, train_spm

    with tempfile.TemporaryDirectory() as tmp:
        mt_dir = build_marian(Path(tmp) / "mt", train_spm(Path(tmp) / "spm"))
        src = texts[:200]
        outs = {}
        trs = {}
        os.environ["TRANSCOMPARE_HF_DTYPE"] = "float32"
        for where in ("cpu", dev):
            trs[where] = tr = HFTranslator(str(mt_dir), device=where)
            t = time.perf_counter()
            outs[where] = tr.translate(src, "vi", "en")
            print(f"tiny Marian on {where}: {len(src) / (time.perf_counter() - t):.1f} sent/s")
        os.environ.pop("TRANSCOMPARE_HF_DTYPE")
        same = sum(a == b for a, b in zip(outs["cpu"], outs[dev])) / len(src)
        print(f"back-translations identical on GPU and CPU (greedy, fp32, random weights): {same:.1%}")
        # random weights make near-ties everywhere, so compare what the model computes: the
        # decoder's log-probabilities of the CPU's outputs, teacher-forced, on both devices
        cpu_tr, dev_tr = trs["cpu"], trs[dev]
        enc_in = cpu_tr.tok(src[:32], text_target=outs["cpu"][:32], return_tensors="pt", padding=True,
                            truncation=True, max_length=cpu_tr.max_length)
        lp = []
        for tr in (cpu_tr, dev_tr):
            with torch.inference_mode():
                logits = tr.model(**{k: v.to(tr.device) for k, v in enc_in.items()}).logits
            lp.append(torch.log_softmax(logits.float(), -1).cpu().numpy())
        diff = float(np.max(np.abs(lp[0] - lp[1])))
        print(f"teacher-forced log-probabilities, GPU vs CPU (fp32): max difference {diff:.2e}")
        if diff > 1e-3:
            print("FAIL: the translation model computes something else on the GPU")
            ok = False
    print("\nGPU check:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
