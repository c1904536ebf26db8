#!/usr/bin/env python3
"""Which of the aligner's steps pay for themselves on documents they were not developed on.

Each step of the second pass (and the DP's anchor and length terms, and the moved search) is
turned off in turn, and strict F1 (scripts/eval_align.py's score: exact beads, 1-0 and 0-1 left
out) is measured on three kinds of documents:

* Text+Berg dev (de-fr, 468 x 554 sentences): the document the steps were developed on;
* FLORES-200 dev, English against each of seven languages, chained into documents of --length (120)
  sentences with synthetic many-to-many structure on known places: two neighbouring
  translation sentences written as one (a 2-1 bead), two neighbouring English sentences as one
  (1-2), two translation sentences re-divided at another place (2-2), a translation sentence
  dropped (1-0) and an unrelated sentence of the same language from far away in the set
  inserted (0-1), each with its own rate (--seed);
* the same FLORES documents untouched (all 1-1): a step must not invent structure.

No setting is tuned here. A step earns its place when turning it off costs F1 on the documents
it was not developed on (FLORES, both kinds); the table says which do.

    python scripts/ablate_align.py [--data ../shared/data] [--length 120] [--seed 7] [--only full,no-refine]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from eval_align import read_beads, score  # noqa: E402
from flores_docs import TRANSLATION_LANGS, load_docs  # noqa: E402

#: rates of the synthetic structure, per English sentence
MERGE_T, MERGE_S, DROP, INSERT, RESPLIT = 0.10, 0.06, 0.04, 0.04, 0.06


def resplit(a: str, b: str, rng: random.Random, sep: str) -> tuple[str, str] | None:
    """Two neighbouring sentences written as one and cut again elsewhere (at least a quarter of
    the shorter one away from the old boundary), as translators re-divide sentences: neither
    new piece translates either old sentence, only the two together do (a 2-2 bead)."""
    units_a = a.split(" ") if sep else list(a)
    units_b = b.split(" ") if sep else list(b)
    units = units_a + units_b
    old = len(units_a)
    least = max(3 if sep else 8, min(len(units_a), len(units_b)) // 4)
    cuts = [k for k in range(max(1, int(0.25 * len(units))), int(0.75 * len(units)) + 1) if abs(k - old) >= least]
    if not cuts:
        return None
    k = rng.choice(cuts)
    join = " " if sep else ""
    return join.join(units[:k]), join.join(units[k:])


def build_doc(en: list[str], xx: list[str], pool: list[str], rng: random.Random, sep: str):
    """English and translation lines with m:n structure, and the gold beads."""
    src, tgt, gold = [], [], []
    k = 0
    while k < len(en):
        r = rng.random()
        if r < MERGE_T and k + 1 < len(en):  # two translation sentences written as one: 2-1
            gold.append(((len(src), len(src) + 1), (len(tgt),)))
            src += [en[k], en[k + 1]]
            tgt.append(xx[k] + sep + xx[k + 1])
            k += 2
        elif r < MERGE_T + MERGE_S and k + 1 < len(en):  # two English sentences as one: 1-2
            gold.append(((len(src),), (len(tgt), len(tgt) + 1)))
            src.append(en[k] + " " + en[k + 1])
            tgt += [xx[k], xx[k + 1]]
            k += 2
        elif r < MERGE_T + MERGE_S + RESPLIT and k + 1 < len(en) and (cut := resplit(xx[k], xx[k + 1], rng, sep)):
            gold.append(((len(src), len(src) + 1), (len(tgt), len(tgt) + 1)))  # re-divided: 2-2
            src += [en[k], en[k + 1]]
            tgt += list(cut)
            k += 2
        elif r < MERGE_T + MERGE_S + RESPLIT + DROP:  # dropped by the translation: 1-0
            gold.append(((len(src),), ()))
            src.append(en[k])
            k += 1
        else:
            gold.append(((len(src),), (len(tgt),)))
            src.append(en[k])
            tgt.append(xx[k])
            k += 1
        if rng.random() < INSERT:  # an unrelated sentence: 0-1
            gold.append(((), (len(tgt),)))
            tgt.append(rng.choice(pool))
    return src, tgt, gold


def flores_docs(data: str, length: int, seed: int, perturb: bool):
    """(name, src lines, tgt lines, gold, lang) per chained FLORES document and language."""
    got = load_docs(data)
    if got is None:
        return []
    docs, order = got
    rows = [r for d in order for r in docs[d]]
    out = []
    for code, short in TRANSLATION_LANGS.items():
        rng = random.Random(f"{seed}-{short}")
        sep = "" if short == "zh" else " "
        for start in range(0, len(rows) - length + 1, length):
            part = rows[start:start + length]
            en = [r["eng_Latn"] for r in part]
            xx = [r[code] for r in part]
            if perturb:
                far = rows[(start + len(rows) // 2) % len(rows):] + rows[:(start + len(rows) // 2) % len(rows)]
                pool = [r[code] for r in far[:200]]
                src, tgt, gold = build_doc(en, xx, pool, rng, sep)
            else:
                src, tgt, gold = en, xx, [((i,), (i,)) for i in range(len(en))]
            out.append((f"{short}-{start // length:02d}", src, tgt, gold, short))
    return out


def textberg_docs(data: str) -> list:
    """Text+Berg dev as one (name, de lines, fr lines, gold, lang) document; empty when absent."""
    tb = Path(data) / "alignment" / "textberg-dev"
    if not tb.exists():
        return []
    de = tb.joinpath("dev.de").read_text(encoding="utf-8").splitlines()
    fr = tb.joinpath("dev.fr").read_text(encoding="utf-8").splitlines()
    return [("textberg", de, fr, read_beads(tb / "dev.defr"), "fr")]


def _identity_first(x, *a, **k):
    return x


@contextmanager
def step_off(name: str):
    """The aligner with one step turned off (``full``: as it is)."""
    from importlib import import_module

    # (the package re-exports functions named like its modules: import the modules themselves)
    pair, refine, pipeline = (import_module(f"transcompare.{m}") for m in ("align.pair", "align.refine", "pipeline"))

    saved = []

    def patch(mod, attr, value):
        saved.append((mod, attr, getattr(mod, attr)))
        setattr(mod, attr, value)

    if name == "no-refine":
        patch(pair, "refine", lambda beads, *a, **k: list(beads))
    elif name == "no-moved":
        patch(pair, "find_moved", _identity_first)
    elif name == "no-merge":
        patch(pair, "merge_neighbours", _identity_first)
    elif name == "no-coverage":
        patch(pair, "Coverage", lambda *a, **k: None)
    elif name == "no-piece-test":
        patch(pair, "PieceTest", lambda *a, **k: None)
    elif name in ("no-anchors", "no-length"):
        field = "anchor_weight" if name == "no-anchors" else "length_weight"
        base = pipeline.default_params
        patch(pipeline, "default_params", lambda *a, **k: replace(base(*a, **k), **{field: 0.0}))
    elif name == "no-split-weak":
        patch(refine, "_split_weak_members", lambda beads, *a, **k: (beads, False))
    elif name != "full":
        fn = {"no-fill-gaps": "_fill_gaps", "no-pair-covered": "_pair_covered", "no-join-left-out": "_join_left_out",
              "no-join-gaps": "_join_gaps", "no-join-crossed": "join_crossed"}[name]
        patch(refine, fn, _identity_first)
    try:
        yield
    finally:
        for mod, attr, value in reversed(saved):
            setattr(mod, attr, value)


VARIANTS = ("full", "no-merge", "no-refine", "no-fill-gaps", "no-split-weak", "no-pair-covered", "no-join-left-out",
            "no-join-gaps", "no-join-crossed", "no-coverage", "no-piece-test", "no-moved",
            "no-anchors", "no-length")


def run_set(docs, folder: Path, enc) -> tuple[dict, float]:
    """Pooled scores over ``docs``, and the texts encoded per sentence (0 where the vector cache
    already held them: not a cost figure here)."""
    from transcompare import align_files

    preds, golds, off_s, off_t, texts, sents = [], [], 0, 0, 0.0, 0
    for name, src, tgt, gold, lang in docs:
        fs, ft = folder / f"{name}.src", folder / f"{name}.tgt"
        if not fs.exists():
            fs.write_text("\n".join(src) + "\n", encoding="utf-8")
            ft.write_text("\n".join(tgt) + "\n", encoding="utf-8")
        r = align_files(fs, ft, source_lang=src_lang(name), target_lang=lang, encoder=enc, split="lines")
        n = len(r.source.sentences) + len(r.target.sentences)
        texts += r.settings["texts_per_sentence"] * n
        sents += n
        preds += [(tuple(i + off_s for i in b.source), tuple(j + off_t for j in b.target)) for b in r.alignment.beads]
        golds += [(tuple(i + off_s for i in a), tuple(j + off_t for j in b)) for a, b in gold]
        off_s += len(src)
        off_t += len(tgt)
    return score(preds, golds), texts / max(1, sents)


def src_lang(name: str) -> str:
    return "de" if name == "textberg" else "en"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--length", type=int, default=120, help="sentences per chained FLORES document")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--only", default="", help="comma list of variants (default: all)")
    args = ap.parse_args()
    from transcompare.backends.encoders import get_encoder

    enc = get_encoder(None)
    sets = {}
    tb = textberg_docs(args.data)
    if tb:
        sets["Text+Berg dev"] = tb
    syn = flores_docs(args.data, args.length, args.seed, True)
    if syn:
        sets["FLORES m:n (synthetic)"] = syn
        sets["FLORES 1-1 (untouched)"] = flores_docs(args.data, args.length, args.seed, False)
    if not sets:
        print("skipped: no alignment data")
        return 0
    variants = [v for v in args.only.split(",") if v] or list(VARIANTS)
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k, docs in enumerate(sets.values()):
            (Path(tmp) / str(k)).mkdir()
        for v in variants:
            t = time.perf_counter()
            with step_off(v):
                rows[v] = [run_set(docs, Path(tmp) / str(k), enc) for k, docs in enumerate(sets.values())]
            print(f"{v}: {time.perf_counter() - t:.0f} s "
                  + "  ".join(f"{s['strict'][2]:.4f}" for s, _ in rows[v]), file=sys.stderr)
    names = list(sets)
    print("| step turned off | " + " | ".join(f"{n} strict F1 (Δ)" for n in names) + " |")
    print("|---|" + "---:|" * len(names))
    full = rows.get("full")
    for v in variants:
        cells = []
        for k, (s, _) in enumerate(rows[v]):
            f1 = s["strict"][2]
            delta = f" ({f1 - full[k][0]['strict'][2]:+.4f})" if full and v != "full" else ""
            cells.append(f"{f1:.4f}{delta}")
        print(f"| {v} | " + " | ".join(cells) + " |")
    counts = {n: (sum(len(d[1]) for d in docs), sum(len(d[2]) for d in docs), len(docs)) for n, docs in sets.items()}
    print("\n" + "; ".join(f"{n}: {c[2]} documents, {c[0]} x {c[1]} sentences" for n, c in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
