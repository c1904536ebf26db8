#!/usr/bin/env python3
"""The word-level difference map against human labels: SwissGov-RSD (Wastl et al. 2025).

Each document pair (an English page of a Swiss federal office and its German, French or Italian
version) is compared as transcompare compares any pair: segmented, embedded, aligned; the map
then scores every word on both sides. A dataset token takes the score of the word it overlaps
(punctuation has none, and is mostly unlabelled). The metric is the benchmark's: the global
Spearman correlation between scores and labels over all tokens of a split, labels of -1 left
out, per language.

    python scripts/eval_diff.py                      # the shipped map on val (and train), with baselines
    python scripts/eval_diff.py --fit                # fit the map's weights on train, write them, report val
    python scripts/eval_diff.py --probe --train-docs 70  # richer models than the shipped one, on val
    python scripts/eval_diff.py --fit --encoder hf:NAME  # weights for another encoder's token states

Weights for the bundled encoder are written into the package (``transcompare/diff/weights.json``);
weights for any other encoder into the cache folder (``diff-weights/``), where ``compare`` finds
them for that encoder: it then has a map too.

Baselines, on the same encoder and words: DiffAlign (Vamvas & Sennrich 2023: one minus a word's
best cosine with the other side's words, over the whole other document, and within its bead) and
DiffDel (how much the bead's similarity rises when the word is deleted and the sentence
encoded again; val only, as it encodes each sentence once per word). Features per document are
cached under --cache, so that fitting again reads them.
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = str(HERE.parent.parent / "shared" / "data")
LANGS = ("de", "fr", "it")


def rankdata(x: np.ndarray) -> np.ndarray:
    """Ranks with ties averaged (1-based)."""
    order = np.argsort(x, kind="mergesort")
    ranks = np.empty(len(x))
    xs = x[order]
    i = 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[j + 1] == xs[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(x, y) -> float:
    x, y = rankdata(np.asarray(x, float)), rankdata(np.asarray(y, float))
    x, y = x - x.mean(), y - y.mean()
    d = np.sqrt((x * x).sum() * (y * y).sum())
    return float((x * y).sum() / d) if d else 0.0


def token_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for t in text.split(" "):
        spans.append((pos, pos + len(t)))
        pos += len(t) + 1
    return spans


def docs(data: str, split: str, lang: str) -> list[dict]:
    path = Path(data) / "swissgov-rsd-dev" / split / f"gold_admin_{lang}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def analyse(row: dict, lang: str, enc):
    """Everything the map and the baselines need of one document pair."""
    from transcompare import document_from_text
    from transcompare.align import align_pair, both_sides, default_params
    from transcompare.diff import map_features, sides
    from transcompare.text import annotate
    from transcompare.text.words import pool_words

    src = document_from_text(row["text_a"], "en", "a.en")
    tgt = document_from_text(row["text_b"], lang, f"b.{lang}")
    texts_s = [s.text for s in src.sentences]
    texts_t = [s.text for s in tgt.sentences]
    vectors = enc.embed(texts_s + texts_t)
    fs, ft = both_sides(src, tgt, vectors, enc.count_tokens, annotate(src), annotate(tgt))
    params = default_params(enc.neighbour_cosine, enc.log_length_ratio("en", lang))
    words = tuple([pool_words(s.text, ts.spans, ts.states) for s, ts in zip(doc.sentences, enc.token_states(texts))]
                  for doc, texts in ((src, texts_s), (tgt, texts_t)))
    run = align_pair(src, tgt, fs, ft, params, enc.embed, None, words)
    side_s, side_t = sides(src, tgt, run)
    feat_s, feat_t = map_features(side_s, side_t)
    return src, tgt, side_s, side_t, feat_s, feat_t


def token_rows(doc, side, feats, text: str):
    """For each dataset token of ``text``: its word's feature row (or None), and where the
    word is (sentence, word index)."""
    where = {}
    for i, (s, sw) in enumerate(zip(doc.sentences, side.words)):
        for k, (a, b) in enumerate(sw.spans):
            for c in range(s.start + a, s.start + b):
                where.setdefault(c, (i, k))
    rows = []
    for a, b in token_spans(text):
        hit = next((where[c] for c in range(a, b) if c in where), None)
        rows.append(hit)
    return rows


def collect(data: str, split: str, lang: str, enc, cache: Path, limit: int = 0) -> list[tuple]:
    """Per document (the first ``limit`` only, if given): labels, feature rows and the
    DiffAlign baseline of both sides, cached."""
    from transcompare.diff import FEATURES

    path = cache / f"{split}_{lang}{f'_first{limit}' if limit else ''}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = []
    t0 = time.time()
    rows = docs(data, split, lang)
    for row in rows[:limit] if limit else rows:
        src, tgt, side_s, side_t, feat_s, feat_t = analyse(row, lang, enc)
        for doc, side, other, feats, text, labels in ((src, side_s, side_t, feat_s, row["text_a"], row["labels_a"]),
                                                       (tgt, side_t, side_s, feat_t, row["text_b"], row["labels_b"])):
            where = token_rows(doc, side, feats, text)
            doc_other = np.concatenate([w.vectors for w in other.words if len(w)]) if other.words else None
            X = np.full((len(where), len(FEATURES)), np.nan)
            align_doc = np.zeros(len(where))
            for k, hit in enumerate(where):
                if hit is None:
                    continue
                i, j = hit
                X[k] = feats[i][j]
                if doc_other is not None and len(doc_other):
                    align_doc[k] = 1.0 - float((side.words[i].vectors[j] @ doc_other.T).max())
            out.append({"id": row["id"], "labels": np.array(labels, float), "X": X, "diffalign_doc": align_doc,
                        "where": where, "sentences": [s.text for s in doc.sentences],
                        "counterpart": side.counterpart, "other": [s for s in other.texts]})
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    print(f"{split} {lang}: {len(out) // 2} documents in {time.time() - t0:.0f} s", file=sys.stderr)
    return out


def stack(items: list[dict], aligned_only: bool = False):
    """Features and labels of all tokens of ``items``; which to use (labelled, with a word; with
    ``aligned_only``, only words of sentences the aligner paired)."""
    from transcompare.diff import FEATURES

    X = np.concatenate([d["X"] for d in items])
    y = np.concatenate([d["labels"] for d in items])
    keep = (y >= 0) & ~np.isnan(X).any(1)
    if aligned_only:
        keep &= np.nan_to_num(X[:, FEATURES.index("unaligned")], nan=1.0) == 0
    return X, y, keep


def diffdel(items: list[dict], enc) -> np.ndarray:
    """DiffDel (Vamvas & Sennrich 2023) for every token of ``items``: how much the similarity of
    a word's sentence with its bead's other side rises when the word is deleted and the sentence
    encoded again (1 for a sentence left out, as the map scores it; 0 for a token with no word)."""
    from transcompare.text.words import word_spans

    out = []
    for d in items:
        texts, cp, other = d["sentences"], d["counterpart"], d["other"]
        scores: dict[tuple[int, int], float] = {}
        for i in sorted({hit[0] for hit in d["where"] if hit is not None}):
            if not cp[i]:
                continue
            spans = word_spans(texts[i])
            variants = [texts[i]] + [(texts[i][:a] + texts[i][b:]).strip() for a, b in spans]
            v = enc.embed(variants)
            o = enc.embed([" ".join(other[c] for c in cp[i])])[0]
            sims = v @ o
            for k in range(len(spans)):
                scores[(i, k)] = float(sims[k + 1] - sims[0])
        out.append(np.array([0.0 if hit is None else 1.0 if not cp[hit[0]] else scores.get(hit, 0.0)
                             for hit in d["where"]]))
    return np.concatenate(out) if out else np.zeros(0)


def _logistic_fit(Z: np.ndarray, y: np.ndarray, l2: float = 1.0):
    """A standardised logistic regression (Newton's method), as a scoring function."""
    mu, sd = Z.mean(0), Z.std(0) + 1e-9
    A = np.c_[np.ones(len(Z)), (Z - mu) / sd]
    w = np.zeros(A.shape[1])
    P = l2 * np.diag(np.r_[0.0, np.ones(A.shape[1] - 1)])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(A @ w)))
        step = np.linalg.solve((A * (p * (1 - p))[:, None]).T @ A + P, A.T @ (p - y) + P @ w)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return lambda Q: 1.0 / (1.0 + np.exp(-(np.c_[np.ones(len(Q)), (Q - mu) / sd] @ w)))


def _smooth(v: np.ndarray, w: int) -> np.ndarray:
    pad = np.pad(v, w, mode="edge")
    return np.convolve(pad, np.ones(2 * w + 1) / (2 * w + 1), mode="valid")


def _with_document(d: dict, cols: list[int]) -> np.ndarray:
    """One document side's features, and what the document says as a whole: its words' mean
    miss and mismatch, its median bead similarity, its share of words left out, each
    sentence's length against the document's typical ratio, the document's length ratio."""
    from transcompare.diff import FEATURES

    X = np.nan_to_num(d["X"])
    ok = ~np.isnan(d["X"]).any(1)
    left = X[:, FEATURES.index("unaligned")] == 1
    paired = ok & ~left
    extra = np.zeros((len(X), 6))
    if paired.any():
        extra[:, 0] = X[paired, FEATURES.index("miss")].mean()
        extra[:, 1] = X[paired, FEATURES.index("unmatched")].mean()
        extra[:, 2] = np.median(X[paired, FEATURES.index("bead_sim")])
    extra[:, 3] = left[ok].mean() if ok.any() else 0.0
    own = np.array([len(t) for t in d["sentences"]], float)
    other = np.array([len(t) for t in d["other"]], float)
    ratio = np.array([np.log(own[i] + 1) - np.log(other[list(cp)].sum() + 1) if cp else 0.0
                      for i, cp in enumerate(d["counterpart"])])
    typical = np.median([r for r, cp in zip(ratio, d["counterpart"]) if cp]) if any(d["counterpart"]) else 0.0
    sent = np.array([hit[0] if hit is not None else -1 for hit in d["where"]])
    extra[:, 4] = np.where(sent >= 0, ratio[np.maximum(sent, 0)] - typical, 0.0)
    extra[:, 5] = np.log(own.sum() + 1) - np.log(other.sum() + 1)
    return np.c_[X[:, cols], extra]


def _second_stage(d: dict, first) -> np.ndarray:
    """The first model's scores of a document side, smoothed within each sentence (one and three
    words either side), the sentence's mean and highest score, and the document's mean."""
    p = first(d)
    sent = np.array([hit[0] if hit is not None else -1 for hit in d["where"]])
    Z = np.zeros((len(p), 6))
    Z[:, 0] = p
    for s in np.unique(sent):
        at = np.flatnonzero(sent == s)
        Z[at, 1], Z[at, 2] = _smooth(p[at], 1), _smooth(p[at], 3)
        Z[at, 3], Z[at, 4] = p[at].mean(), p[at].max()
    Z[:, 5] = p.mean()
    return Z


def probe(train: dict, val: dict) -> None:
    """Richer models than the shipped one, fitted on the same train documents and scored on val:
    what the document says as a whole, and a second model over the first one's smoothed scores."""
    from transcompare.diff import FEATURES
    from transcompare.diff.model import MODEL_FEATURES

    cols = [FEATURES.index(f) for f in MODEL_FEATURES]
    left = FEATURES.index("unaligned")

    def rows(items, make):
        Z = np.concatenate([make(d) for d in items])
        X = np.concatenate([d["X"] for d in items])
        y = np.concatenate([d["labels"] for d in items])
        ok = ~np.isnan(X).any(1)
        return Z, y, (y >= 0) & ok, np.nan_to_num(X[:, left]) == 1

    def report(name, make):
        Z, y, keep, out = rows([d for lang in LANGS for d in train[lang]], make)
        model = _logistic_fit(Z[keep & ~out], (y[keep & ~out] > 0).astype(float))
        got = []
        for lang in LANGS:
            Zv, yv, _, outv = rows(val[lang], make)
            p = model(Zv)
            p[outv] = 1.0  # as the map scores a sentence left out
            labelled = yv >= 0
            got.append(spearman(p[labelled], yv[labelled]))
        print(f"{name:44} " + " ".join(f"{r:6.3f}" for r in got) + f"   mean {np.mean(got):.3f}")
        return model

    print(f"\n{'model (fitted on train, scored on val)':44} {'de':>6} {'fr':>6} {'it':>6}")
    base = report("the map's features (as shipped)", lambda d: np.nan_to_num(d["X"])[:, cols])
    report("+ what the document says as a whole", lambda d: _with_document(d, cols))
    first = lambda d: base(np.nan_to_num(d["X"])[:, cols])  # noqa: E731
    report("a second model over the first one's scores", lambda d: _second_stage(d, first))
    # where the room is: each word ranked by a share of the labels people gave (oracles, not
    # models), and by the map's own mean over its sentence
    print(f"{'reference (not a model)':44} {'de':>6} {'fr':>6} {'it':>6}")
    for name, how in (("its sentence's share of marked words (oracle)", "sentence"),
                      ("its document's share of marked words (oracle)", "document"),
                      ("the map's mean over its sentence", "map")):
        got = []
        for lang in LANGS:
            ys, ps = [], []
            for d in val[lang]:
                y, keep = d["labels"], d["labels"] >= 0
                sent = np.array([hit[0] if hit is not None else -1 for hit in d["where"]])
                value = (y > 0).astype(float) if how != "map" else first(d)
                if how == "map":
                    value[np.nan_to_num(d["X"][:, left]) == 1] = 1.0
                score = np.zeros(len(y))
                for sid in np.unique(sent):
                    at = np.flatnonzero((sent == sid) & keep) if how != "document" else np.flatnonzero(keep)
                    if len(at):
                        score[sent == sid] = value[at].mean()
                ys.append(y[keep])
                ps.append(score[keep])
            got.append(spearman(np.concatenate(ps), np.concatenate(ys)))
        print(f"{name:44} " + " ".join(f"{r:6.3f}" for r in got))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "transcompare-eval" / "swissgov"))
    ap.add_argument("--fit", action="store_true", help="fit the map's weights on train and write them")
    ap.add_argument("--encoder", default=None, help="an encoder with token states (default: the bundled one)")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--train-docs", type=int, default=0, help="fit on the first N train documents per language (0: all)")
    ap.add_argument("--probe", action="store_true",
                    help="also fit richer models on the train documents (document-level features, a second "
                         "model over the first one's smoothed scores) and score them on val")
    ap.add_argument("--diffdel", type=int, default=0, metavar="N",
                    help="also score DiffDel on the first N val documents a language (it encodes each sentence once per word)")
    args = ap.parse_args(argv)
    if not (Path(args.data) / "swissgov-rsd-dev").exists():
        print(f"skipped: {args.data}/swissgov-rsd-dev not found")
        return 0
    from transcompare import get_encoder
    from transcompare.diff import FEATURES, default_model, model_for
    from transcompare.diff.model import MODEL_FEATURES, WEIGHTS, fit, user_weights

    enc = get_encoder(args.encoder)
    if enc.states_layer is None:
        print(f"{enc.id}: this encoder keeps no token states, so it can have no map", file=sys.stderr)
        return 2
    bundled = default_model().fits(enc.states_id)
    cache = Path(args.cache) / enc.states_id.replace("/", "_").replace("|", "_")
    val = {lang: collect(args.data, "val", lang, enc, cache) for lang in LANGS}
    if args.fit:
        train = {lang: collect(args.data, "train", lang, enc, cache, args.train_docs) for lang in LANGS}
        # the model scores words of paired sentences: a sentence left out scores all its words 1
        # (SwissGov's annotators left the unpaired page furniture unmarked, which a model would learn)
        X, y, keep = stack([d for lang in LANGS for d in train[lang]], aligned_only=True)
        n_docs = len(train[LANGS[0]]) // 2
        model = fit(X[keep], (y[keep] > 0).astype(float), MODEL_FEATURES, args.l2,
                    about=f"SwissGov-RSD train ({n_docs} documents a language in de, fr, it; {int(keep.sum())} "
                          f"labelled tokens), {enc.states_id}",
                    encoder=enc.states_id.split("/", 1)[-1] if bundled else enc.states_id)
        out = WEIGHTS if bundled else user_weights(enc.states_id)
        if out is None:
            print("the cache is off (TRANSCOMPARE_CACHE=off): nowhere to keep the weights", file=sys.stderr)
            return 2
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out}")
    else:
        model = model_for(enc.states_id)
        if model is None:
            print(f"no weights for {enc.states_id}: fit them with --fit --encoder {args.encoder}", file=sys.stderr)
            return 2
    print(f"{'lang':5} {'map':>7} {'DiffAlign doc':>14} {'DiffAlign bead':>15}")
    means = []
    for lang in LANGS:
        X, y, keep = stack(val[lang])
        p = model.score(np.nan_to_num(X))
        p[np.nan_to_num(X[:, FEATURES.index("unaligned")]) == 1] = 1.0  # as the map scores a sentence left out
        da_doc = np.concatenate([d["diffalign_doc"] for d in val[lang]])
        da_bead = X[:, FEATURES.index("miss")]
        r = [spearman(p[keep], y[keep]), spearman(da_doc[keep], y[keep]), spearman(np.nan_to_num(da_bead)[keep], y[keep])]
        means.append(r)
        print(f"{lang:5} {r[0]:7.3f} {r[1]:14.3f} {r[2]:15.3f}")
    m = np.mean(means, 0)
    print(f"{'mean':5} {m[0]:7.3f} {m[1]:14.3f} {m[2]:15.3f}   (SwissGov-RSD val, Spearman)")
    if args.probe:
        probe({lang: collect(args.data, "train", lang, enc, cache, args.train_docs) for lang in LANGS}, val)
    if args.diffdel:
        print(f"\nthe first {args.diffdel} val documents a language: map against DiffDel")
        print(f"{'lang':5} {'map':>7} {'DiffDel':>8} {'DiffAlign bead':>15}")
        rows = []
        for lang in LANGS:
            items = [d for d in val[lang][:2 * args.diffdel]]  # two entries (sides) per document
            X, y, keep = stack(items)
            p = model.score(np.nan_to_num(X))
            p[np.nan_to_num(X[:, FEATURES.index("unaligned")]) == 1] = 1.0
            dd = diffdel(items, enc)
            r = [spearman(p[keep], y[keep]), spearman(dd[keep], y[keep]),
                 spearman(np.nan_to_num(X[:, FEATURES.index("miss")])[keep], y[keep])]
            rows.append(r)
            print(f"{lang:5} {r[0]:7.3f} {r[1]:8.3f} {r[2]:15.3f}")
        m = np.mean(rows, 0)
        print(f"{'mean':5} {m[0]:7.3f} {m[1]:8.3f} {m[2]:15.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
