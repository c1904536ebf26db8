#!/usr/bin/env python3
"""Alignment time and memory at scale, with precomputed embeddings.

Synthetic long documents: FLORES-200 dev sentences (English as the source, another language as
the translation) drawn with repetition in shuffled order until each side has N sentences; about
2 % of sentences are dropped from the translation and 2 % of translation sentences are inserted
from elsewhere, so the aligner has deletions and insertions to find. Sentence vectors are encoded
once (the encoder is not what this measures) and the aligner (DP in a band around an anchor
path, the second pass without real concatenations, and the search for moved statements) runs on
them.

    python scripts/bench_align.py [--sizes 10000,30000x43000,100000] [--lang vie_Latn] [--data ../shared/data]

A size ``NxM`` gives the translation about M sentences by rendering some source sentences as two:
each translation sentence is also cut in two at the word space nearest its middle and both halves
encoded, and a 1-2 bead takes the two halves' vectors (30000x43000 is the shape of Bible 006,
the case Vecalign and Bertalign were timed on).

Reports wall time (each document aligned ``--repeat`` times, 3 by default, from new side
objects: the fastest, and the median, since this machine's timings of one run vary by a second
or more), growth of the resident-memory high-water mark (over the first run), and the share of
true 1-1 pairs found; every run must give the same beads. Run one size per process for clean
memory figures (the high-water mark only rises).

Then, end to end (skipped with ``--no-end-to-end`` or without the data): Text+Berg dev as
`transcompare align --split lines` runs it, the model loaded but nothing encoded kept and the
vector cache off, so the time holds reading, encoding every sentence and what the second pass and
the merge step embed, and aligning; with the texts encoded per sentence and strict F1.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import time
import resource
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,30000x43000,100000")
    ap.add_argument("--lang", default="vie_Latn")
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-compiled", dest="compiled", action="store_false",
                    help="the array forms of the aligner's loops, as an install without a C compiler runs them")
    ap.add_argument("--repeat", type=int, default=3,
                    help="align each document this many times; the fastest is reported, with the median")
    ap.add_argument("--no-end-to-end", dest="end_to_end", action="store_false",
                    help="skip the end-to-end run on Text+Berg dev")
    args = ap.parse_args()
    fl = Path(args.data) / "flores200-dev"
    en = (fl / "eng_Latn.dev").read_text(encoding="utf-8").splitlines()
    tx = (fl / f"{args.lang}.dev").read_text(encoding="utf-8").splitlines()
    from transcompare.align import AlignParams, SideFeatures, align
    from transcompare.backends.encoders import get_encoder
    from transcompare.align.moved import find_moved
    from transcompare.align.refine import refine
    from transcompare.align import native

    if not args.compiled:
        native.LOOPS = None
    print(f"the aligner's loops: {'compiled (align/cloops.c)' if native.compiled() else 'array forms'}")
    enc = get_encoder(cache=False)  # measure encoding, not the vector cache
    t = time.perf_counter()
    E, T = enc.embed(en), enc.embed(tx)
    le = np.array([enc.count_tokens(s) for s in en], dtype=np.float64)
    lt = np.array([enc.count_tokens(s) for s in tx], dtype=np.float64)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"encoded {len(en) + len(tx)} FLORES sentences once in {time.perf_counter() - t:.1f} s")
    params = AlignParams(neighbour_prior=enc.neighbour_cosine)
    rng = np.random.default_rng(args.seed)
    results = []
    halves = None
    for size in args.sizes.split(","):
        n, _, m_want = size.partition("x")
        n = int(n)
        split_p = max(0.0, (int(m_want) - n) / n) if m_want else 0.0
        if split_p and halves is None:
            halves = _halves(tx, enc)
        idx = rng.integers(0, len(en), size=n)
        keep = rng.random(n) >= 0.02  # dropped from the translation
        # each translation sentence: its vector, its tokens, the FLORES line it renders
        tv, tl, line, truth, n_split = [], [], [], [], 0
        for k, i in enumerate(idx):
            if rng.random() < 0.02:  # an inserted sentence from elsewhere
                x = int(rng.integers(0, len(tx)))
                tv.append(T[x])
                tl.append(lt[x])
                line.append(x)
            if not keep[k]:
                continue
            if split_p and rng.random() < split_p and halves[i] is not None:
                n_split += 1
                for vec, tokens in halves[i]:  # rendered as two sentences
                    tv.append(vec)
                    tl.append(tokens)
                    line.append(int(i))
                continue
            truth.append((k, len(tv)))
            tv.append(T[i])
            tl.append(lt[i])
            line.append(int(i))
        m = len(tv)
        t_idx = np.array(line)
        zeros = lambda k: np.zeros(k, dtype=np.int64)  # noqa: E731
        fs = SideFeatures(E[idx], le[idx], [frozenset()] * n, zeros(n), np.ones(n, dtype=bool))
        ft = SideFeatures(np.array(tv), np.array(tl, dtype=np.float64), [frozenset()] * m, zeros(m),
                          np.ones(m, dtype=bool))
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        times, peak, seen = [], 0, set()
        for r in range(args.repeat):
            # new side objects each time: nothing the last run kept on them (cached lengths,
            # the member test's pools) carries over
            a, b = (SideFeatures(x.vectors, x.tokens, x.anchors, x.paragraphs, x.statement) for x in (fs, ft))
            t = time.perf_counter()
            alignment, stats, M = align(a, b, params)
            beads = refine(list(alignment.beads), a, b, stats, M, params)
            beads = find_moved(beads, a, b, stats, M, params)
            times.append(time.perf_counter() - t)
            if r == 0:  # growth of the process's resident high-water mark (KiB on Linux): what aligning added
                peak = max(0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) * 1024
            seen.add(tuple(beads))
            method = alignment.method
            del alignment, stats, M
        assert len(seen) == 1, "the runs gave different beads"
        secs = min(times)
        found = {(b.source[0], b.target[0]) for b in beads if len(b.source) == 1 and len(b.target) == 1}
        right = sum(1 for p in truth if p in found) / max(1, len(truth))
        twos = [b for b in beads if len(b.source) == 1 and len(b.target) == 2]
        twos_right = sum(1 for b in twos if t_idx[b.target[0]] == t_idx[b.target[1]] == idx[b.source[0]])
        results.append((n, secs, peak))
        # sentences repeat in these documents, so a dropped sentence may well have a copy
        # inserted elsewhere: a moved bead is right when both sides are the same FLORES line
        moved = [b for b in beads if b.moved]
        same = sum(1 for b in moved if {int(idx[i]) for i in b.source} == {int(t_idx[j]) for j in b.target})
        spread = f" (fastest of {len(times)}; median {np.median(times):.1f} s)" if len(times) > 1 else ""
        print(f"{n:>7} x {len(t_idx):>7} sentences ({method}): {secs:.1f} s{spread}, +{peak / 2**20:.0f} MiB peak RSS, "
              f"{right:.1%} of true 1-1 pairs found; {len(moved)} moved beads, {same} of them pair copies "
              f"of the same sentence" + (f"; {twos_right} of {n_split} 1-2 renderings found whole"
                                         if split_p else ""))
        digest = hashlib.md5(repr([(b.source, b.target, b.moved) for b in beads]).encode()).hexdigest()[:12]
        print(f"        beads {digest} (the same digest: the same beads)")
    if len(results) > 1:
        (n0, s0, _), (n1, s1, _) = results[0], results[-1]
        print(f"{n1 // n0}x the sentences: {s1 / s0:.1f}x the time")
    if args.end_to_end:
        end_to_end(Path(args.data))
    return 0


def end_to_end(data: Path) -> None:
    """Text+Berg dev aligned from its files, the encoder loaded anew and nothing cached."""
    import sys

    tb = data / "alignment" / "textberg-dev"
    if not tb.exists():
        print(f"end to end: skipped ({tb} not found)")
        return
    os.environ["TRANSCOMPARE_CACHE"] = "off"
    sys.path.insert(0, str(ROOT / "scripts"))
    from eval_align import read_beads, score

    from transcompare import align_files
    from transcompare.backends.encoders import get_encoder

    enc = get_encoder(cache=False)
    enc.forget()  # the model stays loaded; nothing it encoded before is kept
    t = time.perf_counter()
    r = align_files(tb / "dev.de", tb / "dev.fr", split="lines", encoder=enc)
    secs = time.perf_counter() - t
    f1 = score([(b.source, b.target) for b in r.alignment.beads], read_beads(tb / "dev.defr"))["strict"][2]
    print(f"end to end, Text+Berg dev ({len(r.source.sentences)} x {len(r.target.sentences)} sentences, reading, "
          f"encoding and alignment): {secs:.1f} s, {r.settings['texts_per_sentence']:.2f} texts encoded per "
          f"sentence, strict F1 {f1:.3f}")


def _halves(lines: list[str], enc) -> list:
    """Each line cut in two at the word space nearest its middle, as ``((vector, tokens), (vector,
    tokens))``; ``None`` for a line with no space to cut at."""
    cuts = []
    for text in lines:
        spaces = [k for k, ch in enumerate(text) if ch == " "]
        k = min(spaces, key=lambda x: abs(x - len(text) / 2)) if spaces else None
        cuts.append(None if k is None else (text[:k], text[k + 1:]))
    parts = [p for c in cuts if c for p in c]
    vecs = enc.embed(parts)
    out, at = [], 0
    for c in cuts:
        if c is None:
            out.append(None)
            continue
        out.append(tuple((vecs[at + h], float(enc.count_tokens(c[h]))) for h in (0, 1)))
        at += 2
    return out


if __name__ == "__main__":
    raise SystemExit(main())
