#!/usr/bin/env python3
"""The checks against human annotations: MQM (TED talks) and WMT21 critical errors.

- ``../shared/data/mqm-ted``: every system's translation of a TED talk is compared with the
  talk, one segment a line (``--split lines``). Each segment gets three scores from the tool, and
  ROC AUC says how well each ranks the segments that raters marked with an error of that
  category above those marked error-free:
    omission        2 x (a dropped or partial-omission flag) + shortfall in length + (1 - similarity)
    addition        2 x (an added flag on the segment) + excess in length + (1 - similarity)
    mistranslation  2 x (an altered flag) + (1 - similarity)
  (the length terms are ``max(0, -ln r)`` and ``max(0, ln r)`` of the pair's length ratio against
  the document's typical ratio).
- ``../shared/data/wmt21-ced``: each sentence pair is compared on its own; "critical error"
  is predicted when a major flag is raised. Reported: Matthews correlation (MCC) with the
  majority label, precision and recall.

    python scripts/eval_real.py [--data ../shared/data] [--limit-docs N] [--limit-pairs N]
"""
from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from collections import defaultdict
from pathlib import Path


def auc(pos: list[float], neg: list[float]) -> float:
    """ROC AUC by the Mann-Whitney statistic (ties count one half)."""
    if not pos or not neg:
        return float("nan")
    allv = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    rank_sum, k = 0.0, 0
    while k < len(allv):
        j = k
        while j < len(allv) and allv[j][0] == allv[k][0]:
            j += 1
        mid = (k + j + 1) / 2  # average 1-based rank of the tie group
        rank_sum += mid * sum(1 for x in allv[k:j] if x[1] == 1)
        k = j
    n1, n0 = len(pos), len(neg)
    return (rank_sum - n1 * (n1 + 1) / 2) / (n1 * n0)


def mcc(tp: int, fp: int, fn: int, tn: int) -> float:
    den = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / den if den else 0.0


def _doc(lines: list[str], lang: str, name: str):
    from transcompare.read import document_from_raw
    from transcompare.read import parse_text

    return document_from_raw(parse_text("\n".join(lines) + "\n", name), lang, split="lines")


def eval_mqm(data: Path, enc, limit_docs: int) -> None:
    for pair, sl, tl in (("ende", "en", "de"), ("zhen", "zh", "en")):
        path = data / "mqm-ted" / pair / f"mqm_ted_{pair}.tsv"
        if not path.exists():
            print(f"skipped: {path} not found")
            continue
        t0 = time.time()
        segs: dict[tuple, dict] = {}
        with path.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                key = (r["system"], r["doc_id"], int(r["seg_id"]))
                s = segs.setdefault(key, {"source": r["source"], "target": r["target"].replace("<v>", "").replace("</v>", ""),
                                          "cats": set()})
                s["cats"].add(r["category"])
        by_doc: dict[tuple, list] = defaultdict(list)
        for (system, doc, seg), s in segs.items():
            by_doc[(system, doc)].append((seg, s))
        keys = sorted(by_doc)
        if limit_docs:
            keys = keys[:limit_docs]
        scores = {"omission": ([], []), "addition": ([], []), "mistranslation": ([], [])}
        wanted = {"omission": "Accuracy/Omission", "addition": "Accuracy/Addition",
                  "mistranslation": "Accuracy/Mistranslation"}
        from transcompare import compare_documents

        for system, doc in keys:
            items = sorted(by_doc[(system, doc)], key=lambda x: x[0])
            src = _doc([s["source"] for _, s in items], sl, f"{doc}.{sl}")
            tgt = _doc([s["target"] for _, s in items], tl, f"{system}.{doc}.{tl}")
            c = compare_documents(src, tgt, enc)
            bead_of = {}
            for b, sc in zip(c.alignment.beads, c.scores):
                for j in b.target:
                    bead_of[j] = (b, sc)
                for i in b.source:
                    bead_of.setdefault(("s", i), (b, sc))
            for k, (_, s) in enumerate(items):
                b, sc = bead_of.get(k) or bead_of.get(("s", k))
                fl = [f for f in c.flags if (k in f.target) or (k in f.source)]
                sim = sc.similarity if sc.similarity is not None else 0.0
                ratio = sc.length_ratio if sc.length_ratio else 1.0
                om = 2.0 * any(f.kind == "dropped" or "partial_omission" in f.reasons for f in fl)
                ad = 2.0 * any(f.kind == "added" for f in fl)
                mt = 2.0 * any(f.kind == "altered" for f in fl)
                val = {"omission": om + max(0.0, -math.log(ratio)) + (1 - sim),
                       "addition": ad + max(0.0, math.log(ratio)) + (1 - sim),
                       "mistranslation": mt + (1 - sim)}
                clean = s["cats"] == {"No-error"}
                for cat in scores:
                    if wanted[cat] in s["cats"]:
                        scores[cat][0].append(val[cat])
                    elif clean:
                        scores[cat][1].append(val[cat])
        print(f"MQM {pair}: {len(keys)} system-talk documents, {time.time() - t0:.0f} s")
        for cat, (pos, neg) in scores.items():
            print(f"  {cat:15} ROC AUC {auc(pos, neg):.3f}  ({len(pos)} segments with the error, {len(neg)} error-free)")


def eval_ced(data: Path, enc, limit_pairs: int) -> None:
    from transcompare import compare_documents, document_from_text

    for pair, sl, tl in (("ende", "en", "de"), ("enzh", "en", "zh")):
        path = data / "wmt21-ced" / f"{pair}_majority_dev.tsv"
        if not path.exists():
            print(f"skipped: {path} not found")
            continue
        t0 = time.time()
        tp = fp = fn = tn = 0
        with path.open(encoding="utf-8") as fh:
            rows = [r for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]
        if limit_pairs:
            rows = rows[:limit_pairs]
        for r in rows:
            src_text, tgt_text, label = r[1], r[2], r[4].strip()
            if not src_text.strip() or not tgt_text.strip():
                continue
            c = compare_documents(document_from_text(src_text, sl), document_from_text(tgt_text, tl), enc)
            pred = any(f.severity == "major" for f in c.flags)
            gold = label == "ERR"
            tp += pred and gold
            fp += pred and not gold
            fn += (not pred) and gold
            tn += (not pred) and (not gold)
        p = tp / (tp + fp) if tp + fp else 0.0
        r_ = tp / (tp + fn) if tp + fn else 0.0
        print(f"WMT21 critical errors {pair}: {len(rows)} pairs, MCC {mcc(tp, fp, fn, tn):.3f}, "
              f"precision {p:.3f}, recall {r_:.3f} ({tp + fn} ERR), {time.time() - t0:.0f} s")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "data"))
    ap.add_argument("--limit-docs", type=int, default=0, help="MQM: only the first N system-talk documents")
    ap.add_argument("--limit-pairs", type=int, default=0, help="WMT21: only the first N pairs")
    ap.add_argument("--only", choices=["mqm", "ced"], default=None)
    args = ap.parse_args(argv)
    from transcompare.backends.encoders import get_encoder

    enc = get_encoder(cache=False)  # measure encoding, not the vector cache
    data = Path(args.data)
    if args.only in (None, "mqm"):
        eval_mqm(data, enc, args.limit_docs)
    if args.only in (None, "ced"):
        eval_ced(data, enc, args.limit_pairs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
