"""Scores of each aligned pair (similarity, length ratio, sacreBLEU) and the document's summary
metrics (coverage, mean similarity, counts of beads, flags and reasons)."""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..align.pair import AlignedPair
from ..model import Document, Flag, PairScore
from ..text.segment import joiner
from .bleu import corpus_metrics, pair_metrics
from .verdict import verdict


def same_language(src_lang: str, tgt_lang: str) -> bool:
    return src_lang.split("-")[0] == tgt_lang.split("-")[0]


def hypotheses(source: Document, target: Document, run: AlignedPair, translator=None) -> list[str] | None:
    """What the sacreBLEU metrics compare with the source, per target sentence: the translation
    itself when both sides share a language, else its back-translation by ``translator`` (only
    of the sentences in aligned beads), else nothing (``None``: no metrics)."""
    tgt_texts = [s.text for s in target.sentences]
    if same_language(source.lang, target.lang):
        return tgt_texts
    if translator is None:
        return None
    needed = sorted({j for b in run.beads if b.source for j in b.target})
    hyp = [""] * len(tgt_texts)
    for j, text in zip(needed, translator.translate([tgt_texts[j] for j in needed], target.lang, source.lang)):
        hyp[j] = text
    return hyp


def pair_scores(source: Document, run: AlignedPair, hyp: Sequence[str] | None,
                back_translated: bool) -> tuple[tuple[PairScore, ...], list[tuple[str, str]]]:
    """One score per bead, and the (source, hypothesis) text of each aligned bead for the corpus
    metrics. The length ratio is the bead's token ratio over the document's typical one."""
    src_texts = [s.text for s in source.sentences]
    join_s = joiner(source.lang)
    fs, ft, mu = run.src, run.tgt, run.stats.length_mu
    scores, pairs = [], []
    for b, s in zip(run.beads, run.sims):
        if not (b.source and b.target):
            scores.append(PairScore(None, None))
            continue
        ratio = float(fs.tokens[list(b.source)].sum() / max(1.0, ft.tokens[list(b.target)].sum()))
        ratio = (1.0 / ratio) / math.exp(mu)
        extra = {}
        if hyp is not None:
            pair = (join_s.join(src_texts[i] for i in b.source), join_s.join(hyp[j] for j in b.target))
            pairs.append(pair)
            extra = pair_metrics(*pair, source.lang)
            if back_translated:
                extra["back_translation"] = pair[1]
        scores.append(PairScore(round(s, 4), round(ratio, 3), **extra))
    return tuple(scores), pairs


def document_metrics(source: Document, target: Document, run: AlignedPair, flags: Sequence[Flag],
                     pairs: list[tuple[str, str]], via: str | None = None,
                     shares: tuple[float, float] = (1.0, 1.0), match_level: float | None = None) -> dict:
    """The summary of a comparison (``metrics`` in the JSON, docs/json.md). ``shares``: the
    confident shares of both sides, for the verdict, and ``match_level`` the similarity above
    which a pair stands out from the document pair's non-matching ones (:mod:`.verdict`)."""
    beads, sims = run.beads, run.sims
    src_stat = [s.is_statement for s in source.sentences]
    tgt_stat = [s.is_statement for s in target.sentences]
    covered_s = set()
    covered_t = set()
    for b in beads:
        if b.source and b.target:
            covered_s.update(b.source)
            covered_t.update(b.target)
    n_s = sum(src_stat)
    n_t = sum(tgt_stat)
    cov = sum(1 for i in covered_s if src_stat[i]) / n_s if n_s else 1.0
    cov_t = sum(1 for j in covered_t if tgt_stat[j]) / n_t if n_t else 1.0
    aligned = [s for b, s in zip(beads, sims) if b.source and b.target and np.isfinite(s)]
    kinds: dict[str, int] = {}
    for b in beads:
        kinds[b.kind] = kinds.get(b.kind, 0) + 1
    per_kind: dict[str, int] = {"dropped": 0, "added": 0, "altered": 0, "moved": 0}
    per_reason: dict[str, int] = {}
    for f in flags:
        per_kind[f.kind] = per_kind.get(f.kind, 0) + 1
        for r in f.reasons:
            per_reason[r] = per_reason.get(r, 0) + 1
    metrics = {
        "source_sentences": len(source.sentences),
        "target_sentences": len(target.sentences),
        "source_statements": n_s,
        "target_statements": n_t,
        "coverage": round(cov, 4),
        "target_coverage": round(cov_t, 4),
        "mean_similarity": round(float(np.mean(aligned)), 4) if aligned else None,
        "beads": kinds,
        "flags": per_kind,
        "reasons": per_reason,
        "deletion_threshold": round(run.stats.tau, 4),
    }
    metrics.update(verdict=verdict(*shares), confident_source=round(shares[0], 4),
                   confident_target=round(shares[1], 4))
    if match_level is not None:
        metrics["match_level"] = round(float(match_level), 4)
    if pairs:
        metrics.update(corpus_metrics([p[0] for p in pairs], [p[1] for p in pairs], source.lang, via=via))
    return metrics
