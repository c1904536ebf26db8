"""Partial omission: the counterpart covers clearly less than the source statement."""
from __future__ import annotations

import math

import numpy as np
import regex as re

from .base import Evidence, Finding, PairView, _conf, _logistic

_CLAUSE = re.compile(r"[,;:—–()]|\s(?:and|but|while|which|who|whose|including|although|because|as well as|"
                     r"after|before|when|where|và|nhưng|trong khi|bao gồm|und|aber|während|einschließlich|"
                     r"et|mais|dont|y|pero|mientras|incluidos|incluidas)\s|，|；|、|：")


def _clauses(text: str) -> list[tuple[int, int]]:
    cuts = [0] + [m.start() for m in _CLAUSE.finditer(text)] + [len(text)]
    spans = []
    for a, b in zip(cuts[:-1], cuts[1:]):
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip(" ,;:—–()，；、："))
        if b - a - lead > 0:
            spans.append((a + lead, b))
    return spans


def check_partial_omission(p: PairView) -> list[Finding]:
    ctx = p.ctx
    if not p.source or not p.target or ctx.embed is None or ctx.src_tokens is None:
        return []
    ts = float(sum(ctx.src_tokens[i] for i in p.source))
    tt = float(sum(ctx.tgt_tokens[j] for j in p.target))
    if ts < 12:
        return []
    z = (math.log((tt + 1) / (ts + 1)) - ctx.length_mu) / ctx.length_sigma
    if z > -1.5:
        return []
    # which part of the source does the translation not cover? Leave out one clause (or a run
    # of two or three) and see whether the rest matches the translation better; and embed each
    # left-out part alone to see how little of it the translation carries.
    tv = np.sum([ctx.tgt_vectors[j] * ctx.tgt_tokens[j] for j in p.target], axis=0)
    tv = tv / (np.linalg.norm(tv) + 1e-12)
    best = None
    for i in p.source:
        text = ctx.src_sentences[i].text
        spans = _clauses(text)
        if len(spans) < 2:
            continue
        cands = []
        for k in range(len(spans)):
            for r in (1, 2, 3):
                if k + r > len(spans) or r >= len(spans):
                    continue
                a, b = spans[k][0], spans[k + r - 1][1]
                if (b - a) < 0.2 * len(text) or (b - a) > 0.7 * len(text):
                    continue
                if len(re.findall(r"\w+", text[a:b])) < 3:
                    continue  # "of course", "however": too little to be a statement
                rest = (text[:a] + text[b:]).strip(" ,;")
                cands.append((a, b, rest))
        if not cands:
            continue
        others = " ".join(ctx.src_sentences[x].text for x in p.source if x != i)
        # the left-out parts are short and cheap to embed; the rest (long) only for the two
        # parts the translation covers least
        part_sims = ctx.embed([text[a:b] for a, b, _ in cands]) @ tv
        order = [int(k) for k in np.argsort(part_sims)[:2]]
        rest_sims = np.full(len(cands), -np.inf)
        rest_sims[order] = ctx.embed([(others + " " + cands[k][2]).strip() for k in order]) @ tv
        for k in order:
            gain = float(rest_sims[k] - p.similarity)
            # the kept part must be covered: how much better the rest matches than the part
            contrast = float(rest_sims[k] - part_sims[k])
            key = (gain, contrast)
            if best is None or key > best[0]:
                best = (key, i, cands[k][0], cands[k][1])
    if best is None:
        return []
    (gain, contrast), i, a, b = best
    spread = ctx.sim_spread
    # the left-out part must be clearly less covered than the rest (contrast), and either the
    # rest matches the translation better than the whole does (gain), or the translation is far
    # shorter than this document's own ratio and the whole does no better than the rest
    if not ((gain > 0.3 * spread and contrast > 5.0 * spread)
            or (z < -2.3 and contrast > 3.5 * spread and gain > -0.2 * spread)):
        return []
    conf = _conf(_logistic(-z - 2.0) * 0.5 + min(0.45, max(gain, contrast / 4) * 10))
    text = ctx.src_sentences[i].text
    span = text[a:b].strip()
    msg = f"partial omission: the translation leaves out \u201c{span[:120]}\u201d"
    return [Finding("partial_omission", "major", conf, msg, (Evidence("source", i, a, b, "uncovered"),))]
