#!/usr/bin/env python3
"""Check that a change of code leaves every result as it was.

Writes the output of every bundled corpus pair (JSON, text, TSV, HTML, TMX, XLIFF of ``compare``;
beads and JSON of ``align``) and of the FLORES-200 dev comparisons (each English document against
its translation in seven languages, JSON) into a folder; with ``--against`` it then compares that
folder with one written before the change and names every file that differs and the first place
where it does. Run it on the tree before a refactor and after it:

    python scripts/same_results.py --out /tmp/before            # on the old tree
    python scripts/same_results.py --out /tmp/after --against /tmp/before

Only the public API is used (``transcompare.compare``, ``align_files``, ``compare_documents``,
``document_from_text``, ``transcompare.render``), so the same script runs on both trees. The
on-disk vector cache is left alone (``cache=False``) and the HTML report's random nonce is
blanked; nothing else is normalised. Exit code 1 when anything differs.
"""
from __future__ import annotations

import argparse
import csv
import difflib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from flores_docs import DEFAULT_DATA, load_docs  # noqa: E402

FLORES = {"vie_Latn": "vi", "deu_Latn": "de", "fra_Latn": "fr", "spa_Latn": "es", "zho_Hans": "zh",
          "rus_Cyrl": "ru", "arb_Arab": "ar"}


def _outputs(c) -> dict[str, str]:
    """Every output format of one comparison, through whichever render API the tree has."""
    import regex as re

    from transcompare import render as r

    if hasattr(r, "render"):  # the registry
        out = {fmt: r.render(c, fmt) for fmt in ("json", "text", "tsv", "html", "tmx", "xliff")}
    else:
        from transcompare import exchange
        from transcompare.render_html import to_html

        sims = [s.similarity for s in c.scores]
        beads = c.alignment.beads
        out = {"json": r.to_json(c), "text": r.to_text(c), "tsv": r.to_tsv(c), "html": to_html(c),
               "tmx": exchange.to_tmx(c.source, c.target, beads, sims, c.flags, c.signature),
               "xliff": exchange.to_xliff(c.source, c.target, beads, sims, c.flags, c.signature)}
    out["html"] = re.sub(r'nonce(=|-)"?[A-Za-z0-9_\-+/=]+', r"nonce\1NONCE", out["html"])
    out["text_flagged"] = (r.render(c, "text", flagged_only=True) if hasattr(r, "render")
                           else r.to_text(c, flagged_only=True))
    return out


def _align_outputs(a) -> dict[str, str]:
    from transcompare import render as r

    if hasattr(r, "render"):
        return {fmt: r.render(a, fmt) for fmt in ("beads", "json", "tsv", "tmx", "xliff")}
    from transcompare import exchange

    return {"beads": r.align_to_beads(a), "json": r.align_to_json(a), "tsv": r.align_to_tsv(a),
            "tmx": exchange.to_tmx(a.source, a.target, a.alignment.beads, a.similarities, (), a.signature),
            "xliff": exchange.to_xliff(a.source, a.target, a.alignment.beads, a.similarities, (), a.signature)}


def write_corpora(out: Path, enc) -> int:
    from transcompare import align_files, compare

    n = 0
    with open(Path("corpora") / "pairs.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        base = Path("corpora")  # relative: the outputs name the files as given
        kw = dict(source_lang=row["source_lang"] or None, target_lang=row["target_lang"] or None, encoder=enc)
        c = compare(base / row["source"], base / row["translation"], **kw)
        for fmt, text in _outputs(c).items():
            (out / f"corpus-{row['id']}.compare.{fmt}").write_text(text, encoding="utf-8")
            n += 1
        a = align_files(base / row["source"], base / row["translation"], **kw)
        for fmt, text in _align_outputs(a).items():
            (out / f"corpus-{row['id']}.align.{fmt}").write_text(text, encoding="utf-8")
            n += 1
    return n


def write_textberg(out: Path, enc, data: str) -> int:
    from transcompare import align_files

    folder = Path(data) / "alignment" / "textberg-dev"
    if not (folder / "dev.de").exists():
        print(f"skipped: {folder} not found")
        return 0
    a = align_files(folder / "dev.de", folder / "dev.fr", source_lang="de", target_lang="fr", encoder=enc,
                    split="lines")
    (out / "textberg-dev.align.beads").write_text(_align_outputs(a)["beads"], encoding="utf-8")
    return 1


def write_flores(out: Path, enc, data: str, limit: int) -> int:
    from transcompare import compare_documents, document_from_text
    from transcompare import render as r

    loaded = load_docs(data, limit)
    if loaded is None:
        return 0
    docs, order = loaded
    n = 0
    for code, lang in FLORES.items():
        joiner = "" if lang == "zh" else " "
        lines = []
        for d in order:
            sents = docs[d]
            src = document_from_text(" ".join(x["eng_Latn"] for x in sents), "en", f"flores-{d}.en")
            tgt = document_from_text(joiner.join(x[code] for x in sents), lang, f"flores-{d}.{lang}")
            c = compare_documents(src, tgt, enc)
            lines.append(r.render(c, "json", indent=None) if hasattr(r, "render") else r.to_json(c, indent=None))
        (out / f"flores-en-{lang}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        n += 1
    return n


def _first_difference(a: str, b: str, name: str) -> str:
    diff = difflib.unified_diff(a.splitlines(), b.splitlines(), "before/" + name, "after/" + name, n=1, lineterm="")
    return "\n".join(list(diff)[:12])


def compare_folders(before: Path, after: Path, skipped: tuple[str, ...] = ()) -> int:
    """Every file of both folders must be in the other and the same; files of a group this run
    skipped (``skipped``: name prefixes) are left out."""
    names_b = {p.name for p in before.iterdir() if not p.name.startswith(skipped or ("\0",))}
    names_a = {p.name for p in after.iterdir()}
    bad = 0
    for name in sorted(names_b ^ names_a):
        print(f"only in {'before' if name in names_b else 'after'}: {name}")
        bad += 1
    for name in sorted(names_b & names_a):
        a = (before / name).read_text(encoding="utf-8")
        b = (after / name).read_text(encoding="utf-8")
        if a != b:
            bad += 1
            print(f"DIFFERS: {name}")
            print(_first_difference(a, b, name))
    print(f"{len(names_b & names_a)} files compared, {bad} differ")
    return 1 if bad else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="folder to write the outputs into")
    ap.add_argument("--against", help="a folder written before the change: compare with it")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--flores-limit", type=int, default=0, help="only the first N FLORES documents (0: all)")
    ap.add_argument("--skip-flores", action="store_true")
    args = ap.parse_args(argv)
    try:  # the tree after the restructuring keeps its backends under transcompare.backends
        from transcompare.backends.encoders import get_encoder
    except ImportError:
        from transcompare.backends.encoders import get_encoder
    out = Path(args.out).resolve()
    data = str(Path(args.data).resolve())
    os.chdir(ROOT)
    out.mkdir(parents=True, exist_ok=True)
    enc = get_encoder(cache=False)
    t0 = time.time()
    n = write_corpora(out, enc)
    n += write_textberg(out, enc, data)
    if not args.skip_flores:
        n += write_flores(out, enc, data, args.flores_limit)
    print(f"{n} files written to {out} in {time.time() - t0:.0f} s")
    if args.against:
        return compare_folders(Path(args.against), out, ("flores-",) if args.skip_flores else ())
    return 0


if __name__ == "__main__":
    sys.exit(main())
