#!/usr/bin/env python3
"""A batch on GPU workers: the Dask path of `transcompare batch` with an hf encoder on CUDA.

Builds a tiny XLM-R encoder (tests/tiny_models.py: random weights, so its flags mean nothing;
what runs is real: loading, tokenising, pooling on the GPU), then runs the bundled text pairs of
corpora/ three ways and checks them against each other:

1. in this process on the CPU (float32);
2. in this process on the GPU (--device cuda: float16);
3. on a local Dask cluster of 2 worker processes, each loading the encoder on the GPU through
   the batch's worker plugin.

Checks: every pair is compared in every run; the GPU runs' encoder ids say float16 (the vectors
came from the GPU); the two GPU runs give identical comparisons (in-process and on Dask workers);
the GPU's sentence similarities stay within 0.01 of the CPU's. Exits non-zero on a failed check.

    python scripts/gpu_batch_check.py [--device cuda]   (--device cpu: a dry run of the script itself)
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def pairs_json(out: Path) -> dict[str, dict]:
    res = {}
    for f in sorted((out / "pairs").glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        d.pop("settings", None)
        res[f.stem] = d
    return res


def main() -> int:
    os.environ["TRANSCOMPARE_CACHE"] = "off"
    gpu = sys.argv[sys.argv.index("--device") + 1] if "--device" in sys.argv else "cuda"
    import torch

    if gpu == "cuda" and not torch.cuda.is_available():
        print("no CUDA device")
        return 1
    print(f"torch {torch.__version__}, {torch.cuda.get_device_name(0) if gpu == 'cuda' else 'CPU dry run'}")
    from tiny_models import build_encoder, train_spm

    from transcompare.batch import BatchSettings, read_manifest, run_batch

    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        model = build_encoder(tmp / "encoder", train_spm(tmp / "spm"))
        rows = ["id,source,translation"]
        for exp in sorted((ROOT / "corpora").glob("*/expected.json")):
            e = json.loads(exp.read_text(encoding="utf-8"))
            if e["source"].endswith((".txt", ".md")):
                rows.append(f"{exp.parent.name},{exp.parent / e['source']},{exp.parent / e['translation']}")
        (tmp / "pairs.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        inp = read_manifest(str(tmp / "pairs.csv"))
        runs = {}
        for name, device, workers in (("cpu", "cpu", 0), ("gpu", gpu, 0), ("gpu-dask", gpu, 2)):
            settings = BatchSettings(encoder=f"hf:{model}", device=device, cache=False)
            t = time.perf_counter()
            s = run_batch(inp, str(tmp / name), settings, workers=workers, report=True)
            wall = time.perf_counter() - t
            runs[name] = pairs_json(tmp / name)
            ids = {d["signature"].split("encoder:")[1].split("|")[0] for d in runs[name].values()}
            print(f"{name}: {s.computed} of {len(inp.pairs)} pairs compared, {len(s.failed)} failed, "
                  f"{wall:.1f} s wall (cluster start included), encoder {', '.join(sorted(ids))}")
            if s.computed != len(inp.pairs) or s.failed:
                failures.append(f"{name}: not every pair compared ({s.failed})")
            if device == "cuda" and gpu == "cuda" and not all(i.endswith("/fp16") or i.endswith("/bf16") for i in ids):
                failures.append(f"{name}: encoder id does not say a GPU precision: {ids}")
        if runs["gpu"] != runs["gpu-dask"]:
            differ = [k for k in runs["gpu"] if runs["gpu"][k] != runs["gpu-dask"].get(k)]
            failures.append(f"GPU in-process and GPU on Dask workers differ in {differ}")
        else:
            print(f"GPU in-process and on 2 Dask GPU workers: identical in all {len(runs['gpu'])} pairs")
        worst = 0.0
        same_beads = 0
        for k, c in runs["cpu"].items():
            g = runs["gpu"][k]
            same_beads += [p["source"] for p in c["pairs"]] == [p["source"] for p in g["pairs"]] and \
                [p["target"] for p in c["pairs"]] == [p["target"] for p in g["pairs"]]
            for pc, pg in zip(c["pairs"], g["pairs"]):
                if pc["similarity"] is not None and pg["similarity"] is not None and \
                        pc["source"] == pg["source"] and pc["target"] == pg["target"]:
                    worst = max(worst, abs(pc["similarity"] - pg["similarity"]))
        print(f"CPU float32 against GPU float16: same beads in {same_beads} of {len(runs['cpu'])} pairs; "
              f"largest similarity difference on a shared bead {worst:.4f}")
        if worst > 0.01:
            failures.append(f"GPU similarities differ from the CPU's by {worst:.4f}")
    for f in failures:
        print("FAILED:", f)
    print("all checks passed" if not failures else f"{len(failures)} check(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
