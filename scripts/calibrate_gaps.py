#!/usr/bin/env python3
"""Choose the levels of the map's gaps (transcompare/checks/spans.py) on planted changes.

The planted partial omissions of ``scripts/eval_checks.py`` (a clause of 30-60 % of a line cut
from the translation) and the same FLORES-200 dev documents untouched, in all seven languages:
every aligned pair's words and map scores are recorded once (``--record``), then levels are
tried without comparing again. A level is judged by the planted omissions it finds as a gap on
the changed source line (recall) and by the gaps it raises on untouched documents (false flags
per 100 source sentences: every gap there is wrong, whichever side). Record documents 0-99 to
choose, 100-199 to check:

    python scripts/calibrate_gaps.py --record /tmp/gaps-train.jsonl --limit 100
    python scripts/calibrate_gaps.py --record /tmp/gaps-val.jsonl --skip 100 --limit 100
    python scripts/calibrate_gaps.py --choose /tmp/gaps-train.jsonl --check /tmp/gaps-val.jsonl
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_checks import LANGS, planted_case, sentences_over  # noqa: E402
from flores_docs import DEFAULT_DATA, load_docs  # noqa: E402


def record(args) -> None:
    from transcompare import compare_documents, get_encoder

    loaded = load_docs(args.data, args.limit, args.skip)
    if loaded is None:
        return
    docs, order = loaded
    enc = get_encoder()
    with open(args.record, "w", encoding="utf-8") as out:
        for code, lang in LANGS.items():
            if code == "eng_Latn":
                continue
            for change in ("partial", "clean"):
                for d in order:
                    rows = docs[d]
                    src_lines = [r["eng_Latn"] for r in rows]
                    lines = [r[code] for r in rows]
                    rng = random.Random(f"{args.seed}-{code}-{change}-{d}")
                    case = planted_case(change, src_lines, lines, lang, d, rng, [], [])
                    if case is None:
                        continue
                    src, tgt, src_spans, _, _, sk = case
                    c = compare_documents(src, tgt, enc, checks=())
                    changed = sentences_over(src, src_spans[sk]) if sk is not None else set()
                    for b in c.alignment.beads:
                        if not (b.source and b.target):
                            continue
                        words = {"source": [[s.text[a:e], sc] for i in b.source for s in [src.sentences[i]]
                                            for a, e, sc in c.diff.source[i]],
                                 "target": [[s.text[a:e], sc] for j in b.target for s in [tgt.sentences[j]]
                                            for a, e, sc in c.diff.target[j]]}
                        out.write(json.dumps({"lang": lang, "change": change, "doc": d, "planted": bool(set(b.source) & changed),
                                              "n_source": len(b.source), "words": words}, ensure_ascii=False) + "\n")
                    out.write(json.dumps({"lang": lang, "change": change, "doc": d, "sentences": len(src.sentences)}) + "\n")
            print(f"recorded {lang}", file=sys.stderr)


def _load(path: str):
    """The recorded pairs, the sentences of each untouched document, and each document side's
    levels as the package computes them for given spreads (see :func:`judge`)."""
    pairs, sentences = [], {}
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        if "sentences" in r:
            sentences[(r["lang"], r["change"], r["doc"])] = r["sentences"]
        else:
            pairs.append(r)
    return pairs, sentences


def judge(pairs, sentences, word_spreads: float, gap_spreads: float, floor: float) -> dict:
    """Recall on planted omissions (a gap on the changed source line), false gaps (any, either
    side) per 100 sentences of untouched documents, with the package's own gap logic."""
    from collections import defaultdict

    from transcompare.checks import spans

    old = spans.WORD_SPREADS, spans.GAP_SPREADS, spans.FLOOR
    spans.WORD_SPREADS, spans.GAP_SPREADS, spans.FLOOR = word_spreads, gap_spreads, floor
    try:
        scores = defaultdict(lambda: {"source": [], "target": []})
        for r in pairs:
            for side in ("source", "target"):
                scores[(r["lang"], r["change"], r["doc"])][side] += [sc for _, sc in r["words"][side]]
        lv = {k: {side: spans.levels(v[side]) for side in v} for k, v in scores.items()}
        found = cases = false = 0
        for r in pairs:
            k = (r["lang"], r["change"], r["doc"])
            got = {}
            for side in ("source", "target"):
                words, text, pos = [], "", 0
                for w, sc in r["words"][side]:
                    words.append((pos, pos + len(w), sc))
                    text += w + " "
                    pos += len(w) + 1
                has_floor = any(sc >= floor for *_, sc in words)
                lang = "en" if side == "source" else r["lang"]
                got[side] = spans.gaps(words, text, lang, 0, *lv[k][side]) if has_floor else []
            if r["change"] == "partial" and r["planted"]:
                cases += 1
                found += bool(got["source"])
            elif r["change"] == "clean":
                false += bool(got["source"] or got["target"])
    finally:
        spans.WORD_SPREADS, spans.GAP_SPREADS, spans.FLOOR = old
    clean = sum(n for (_, change, _), n in sentences.items() if change == "clean")
    return {"recall": found / max(1, cases), "cases": cases, "false_per_100": 100 * false / max(1, clean)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--record")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--skip", type=int, default=0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--choose", help="a recording to choose the levels on")
    ap.add_argument("--check", help="a recording to check the chosen levels on")
    ap.add_argument("--max-false", type=float, default=0.3, help="false gaps per 100 clean sentences allowed")
    args = ap.parse_args(argv)
    if args.record:
        record(args)
    if args.choose:
        pairs, sentences = _load(args.choose)
        best = None
        print(f"{'word':>5} {'gap':>5} {'floor':>6} {'recall':>7} {'false/100':>9}")
        for ws in (3.0, 4.0, 5.0):
            for gs in (6.0, 7.0, 8.0, 9.0):
                for floor in (0.4, 0.45, 0.5, 0.55):
                    r = judge(pairs, sentences, ws, gs, floor)
                    print(f"{ws:5.1f} {gs:5.1f} {floor:6.2f} {r['recall']:7.3f} {r['false_per_100']:9.2f}")
                    if r["false_per_100"] <= args.max_false and (best is None or r["recall"] > best[0]["recall"]):
                        best = (r, (ws, gs, floor))
        if best:
            print(f"chosen: word {best[1][0]} spreads, gap {best[1][1]} spreads, floor {best[1][2]}: recall "
                  f"{best[0]['recall']:.3f}, false {best[0]['false_per_100']:.2f} per 100 ({best[0]['cases']} planted)")
            if args.check:
                r = judge(*_load(args.check), *best[1])
                print(f"checked: recall {r['recall']:.3f}, false {r['false_per_100']:.2f} per 100 "
                      f"({r['cases']} planted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
