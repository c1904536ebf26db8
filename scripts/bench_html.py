#!/usr/bin/env python3
"""How the HTML report of a long comparison behaves: render time, size, and in headless Chromium
the load time, moving between flags with j, and applying a filter.

The comparison is FLORES dev English + Spanish (as the source, 2,000 sentences) against
Vietnamese + French (as the translation), with every 25th translation sentence taken out, so
that there are flags all along. The vector cache is on (the first run encodes, later ones read).

    python scripts/bench_html.py [--data ../shared/data] [--chromium /usr/bin/chromium]
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def flores(data: Path, code: str) -> list[str] | None:
    p = data / "flores200-dev" / f"{code}.dev"
    return p.read_text(encoding="utf-8").splitlines() if p.exists() else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    langs = [flores(Path(args.data), c) for c in ("eng_Latn", "spa_Latn", "vie_Latn", "fra_Latn")]
    if not all(langs):
        print("skipped: FLORES dev not found in", args.data)
        return 0
    from transcompare import compare_documents, document_from_text
    from transcompare.render.html import to_html

    s_lines = langs[0] + langs[1]
    t_lines = [x for k, x in enumerate(langs[2] + langs[3]) if k % 25 != 24]
    s_text = "\n\n".join(" ".join(s_lines[i:i + 4]) for i in range(0, len(s_lines), 4))
    t_text = "\n\n".join(" ".join(t_lines[i:i + 4]) for i in range(0, len(t_lines), 4))
    t = time.perf_counter()
    c = compare_documents(document_from_text(s_text, "en", "flores-en+es"),
                          document_from_text(t_text, "vi", "flores-vi+fr"))
    print(f"comparison: {len(c.source)} / {len(c.target)} sentences, {len(c.alignment.beads)} pairs, "
          f"{len(c.flags)} flags ({time.perf_counter() - t:.1f} s)")
    renders = []
    for _ in range(args.runs):
        t = time.perf_counter()
        page_html = to_html(c)
        renders.append(time.perf_counter() - t)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("| what | result |\n|---|---|")
    print(f"| to_html (median of {args.runs}) | {statistics.median(renders):.3f} s |")
    print(f"| page size | {len(page_html.encode('utf-8')) / 1e6:.2f} MB |")
    if not args.chromium:
        print("| browser | skipped: no chromium |")
        return 0
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.html"
        path.write_text(page_html, encoding="utf-8")
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
            loads, jumps, filters = [], [], []
            for _ in range(args.runs):
                page = b.new_page(viewport={"width": 1300, "height": 900})
                page.goto(path.as_uri())
                loads.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000)
                t = time.perf_counter()
                for _ in range(50):
                    page.keyboard.press("j")
                page.locator(".flag.current").wait_for()
                jumps.append((time.perf_counter() - t) / 50)
                t = time.perf_counter()
                page.select_option("#f-kind", "dropped")
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
                filters.append(time.perf_counter() - t)
                page.close()
            b.close()
    print(f"| load in Chromium, to the load event (median) | {statistics.median(loads):.3f} s |")
    print(f"| j: move to the next flag and scroll to it (median per press) | {statistics.median(jumps) * 1000:.1f} ms |")
    print(f"| filter by kind, to the next frame (median) | {statistics.median(filters) * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
