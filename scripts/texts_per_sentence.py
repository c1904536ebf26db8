#!/usr/bin/env python3
"""Texts the default `compare` encodes per sentence, on untouched human translations (FLORES-200 dev).

Each FLORES dev document is written in English and in each other language, one line a paragraph
(as `scripts/bench_batch.py` builds them), and every English/translation pair is compared cold:
the vector cache off and the encoder's memory emptied before each pair, so
``settings.texts_per_sentence`` counts everything the pair needs (its sentences, both sides,
and whatever the aligner and the checks embed besides). Printed per language and in all, with
the share of the encoded texts that are not sentences.

    python scripts/texts_per_sentence.py [--docs 15] [--skip 0] [--data ../shared/data]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from flores_docs import DEFAULT_DATA, TRANSLATION_LANGS, load_docs  # noqa: E402



def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=15)
    ap.add_argument("--skip", type=int, default=0)
    ap.add_argument("--data", default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    got = load_docs(args.data, args.docs, args.skip)
    if got is None:
        return 0
    from transcompare import compare
    from transcompare.backends.encoders import get_encoder

    docs, order = got
    enc = get_encoder(cache=False)
    totals: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for d in order:
            src = folder / f"{d}.en.txt"
            src.write_text("\n\n".join(r["eng_Latn"] for r in docs[d]) + "\n", encoding="utf-8")
            for code, short in TRANSLATION_LANGS.items():
                tgt = folder / f"{d}.{short}.txt"
                tgt.write_text("\n\n".join(r[code] for r in docs[d]) + "\n", encoding="utf-8")
                enc.forget()
                c = compare(src, tgt, source_lang="en", target_lang=short, encoder=enc)
                t = totals.setdefault(short, [0, 0])
                t[0] += c.settings["sentences_encoded"]
                t[1] += len(c.source.sentences) + len(c.target.sentences)
    print(f"FLORES-200 dev documents {args.skip}-{args.skip + len(order) - 1}, each pair cold")
    print(f"{'lang':5} {'sentences':>9} {'encoded':>8} {'texts/sent':>10}")
    for short, (encoded, sents) in totals.items():
        print(f"{short:5} {sents:9d} {encoded:8d} {encoded / max(1, sents):10.3f}")
    encoded, sents = (sum(t[k] for t in totals.values()) for k in (0, 1))
    print(f"{'all':5} {sents:9d} {encoded:8d} {encoded / max(1, sents):10.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
