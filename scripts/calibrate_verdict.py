#!/usr/bin/env python3
"""The document verdict on FLORES-200 dev: real translations, unrelated pairs, partial ones.

For each English FLORES document: against its translation (``translation``); against the
translation of the document half the set away (``unrelated``: another article, often on a near
topic, in the same language); against the first half of its translation's sentences, and the
first half of it against its whole translation (``partial``, documents of four sentences or
more). Prints the confident shares (``transcompare.score.verdict``) per kind and the verdict
table, for documents 0-139 (where the shares were chosen) and 140-280 (held out).

    python scripts/calibrate_verdict.py [--data ../shared/data] [--langs vie_Latn,deu_Latn,...]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from flores_docs import DEFAULT_DATA, TRANSLATION_LANGS, load_docs  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--langs", default=",".join(TRANSLATION_LANGS))
    args = ap.parse_args(argv)
    loaded = load_docs(args.data)
    if loaded is None:
        return 0
    docs, order = loaded
    from transcompare import compare_documents, document_from_text, get_encoder

    enc = get_encoder()
    rows = []
    for code in args.langs.split(","):
        lang, joiner = TRANSLATION_LANGS[code], "" if code == "zho_Hans" else " "
        for k, d in enumerate(order):
            en = [r["eng_Latn"] for r in docs[d]]
            tx = [r[code] for r in docs[d]]
            other = [r[code] for r in docs[order[(k + len(order) // 2) % len(order)]]]
            cases = [("translation", en, tx), ("unrelated", en, other)]
            if len(en) >= 4:
                half = len(en) // 2
                cases += [("partial", en, tx[:half]), ("partial", en[:half], tx)]
            for kind, a, b in cases:
                c = compare_documents(document_from_text(" ".join(a), "en"),
                                      document_from_text(joiner.join(b), lang), enc, checks=())
                m = c.metrics
                rows.append((lang, d, k < 140, kind, m["verdict"], m["confident_source"], m["confident_target"]))
    for part, name in ((True, "documents 0-139 (calibration)"), (False, "documents 140-280 (held out)")):
        print(f"\n{name}: verdict by kind (rows: true kind; columns: verdict)")
        table = Counter((r[3], r[4]) for r in rows if r[2] == part)
        kinds = ("translation", "partial", "unrelated")
        print(f"{'':12} " + " ".join(f"{k:>12}" for k in kinds))
        for t in kinds:
            n = sum(table[(t, v)] for v in kinds)
            print(f"{t:12} " + " ".join(f"{table[(t, v)]:>5} ({table[(t, v)] / max(1, n):4.0%})" for v in kinds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
