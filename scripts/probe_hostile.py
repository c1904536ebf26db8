#!/usr/bin/env python3
"""Hostile inputs against their budgets: each probe is compared in a fresh process, timed, with
its own peak memory (VmHWM), and what it printed.

    python scripts/probe_hostile.py

Probes: a .docx of 5,000,000 tiny paragraphs (about 0.5 MB, 175 MB unpacked), one of 101,000
paragraphs (under the size budget, over the paragraph count), a text file of 500,001 one-letter
lines, a TMX of 200,001 tiny units, a web page of 100,001 paragraphs, and, for scale, the
bundled sample pair.
"""
from __future__ import annotations

import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_hostile_inputs import docx_of, peak_of_compare  # noqa: E402


def main() -> int:
    from transcompare.read.base import MAX_DOCX_PARAGRAPHS, MAX_LINES, MAX_PAGE_ELEMENTS, MAX_XML_ELEMENTS

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        lines = tmp / "lines.txt"
        lines.write_bytes(b"a\n" * (MAX_LINES + 1))
        tmx = tmp / "memory.tmx"
        unit = b'<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="fr"><seg>a</seg></tuv></tu>\n'
        tmx.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en"/><body>\n'
                        + unit * (MAX_XML_ELEMENTS // 5 + 1) + b"</body></tmx>\n")
        page = tmp / "page.html"
        page.write_text("<html><body><article>" + "<p>The river rose.</p>\n" * (MAX_PAGE_ELEMENTS + 1)
                        + "</article></body></html>", encoding="utf-8")
        probes = [("docx, 5,000,000 tiny paragraphs", docx_of(tmp / "bomb.docx", 5_000_000)),
                  (f"docx, {MAX_DOCX_PARAGRAPHS + 1000:,} tiny paragraphs", docx_of(tmp / "many.docx", MAX_DOCX_PARAGRAPHS + 1000)),
                  (f"text, {MAX_LINES + 1:,} one-letter lines", lines),
                  (f"TMX, {MAX_XML_ELEMENTS // 5 + 1:,} tiny units", tmx),
                  (f"web page, {MAX_PAGE_ELEMENTS + 1:,} paragraphs", page)]
        sample = (ROOT / "corpora" / "en-vi-flood" / "source.en.txt", ROOT / "corpora" / "en-vi-flood" / "translation.vi.txt")
        print(f"machine: {platform.machine()}, Python {platform.python_version()}\n")
        print("| probe | file size | exit | wall s | peak MiB | message |")
        print("|---|---:|---:|---:|---:|---|")
        for name, path in probes:
            t = time.perf_counter()
            rc, peak, said = peak_of_compare(path) if path.suffix == ".tmx" else peak_of_compare(path, path)
            print(f"| {name} | {path.stat().st_size / 1e6:.2f} MB | {rc} | {time.perf_counter() - t:.2f} | {peak} | "
                  f"{said.split(str(path) + ': ', 1)[-1][:90]} |")
        t = time.perf_counter()
        rc, peak, _ = peak_of_compare(*sample)
        print(f"| the bundled sample (for scale) | {sample[0].stat().st_size / 1e3:.1f} KB | {rc} | "
              f"{time.perf_counter() - t:.2f} | {peak} | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
