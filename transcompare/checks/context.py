"""The document-level context every check reads besides its pair (:class:`DocContext`), built
from the documents, their annotations and the alignment."""
from __future__ import annotations

import math

import numpy as np

from ..align.dp import AlignParams, SideFeatures
from ..align.pair import AlignedPair, Embed
from ..align.refine import median_spread
from ..model import DiffMap, Document
from ..text import lexicon
from ..text.annotate import Annotations
from .base import DocContext
from .spans import centre, levels

#: how many pairs' worth of weight the encoder's typical spread of length ratios gets against
#: the document's own, for the checks
LENGTH_PRIOR_PAIRS = 10


def build_context(source: Document, target: Document, run: AlignedPair, ann_s: Annotations, ann_t: Annotations,
                  embed: Embed | None, known=None, diff: DiffMap | None = None,
                  map_weights: str | None = None) -> DocContext:
    """``embed`` encodes the texts the checks ask for (parts of sentences, sentences without a
    name); ``known`` tells whether a text's vector is at hand without encoding; ``diff`` is the
    word-level difference map, for the checks that read it (:mod:`.spans`), and ``map_weights``
    the signature of the weights that made it."""
    beads, sims = run.beads, run.sims
    aligned = [s for b, s in zip(beads, sims) if b.source and b.target and np.isfinite(s)
               and any(source.sentences[i].is_statement for i in b.source)]
    med, spread = median_spread(aligned) if aligned else (0.0, 0.05)
    length_mu, sigma = checks_length(beads, sims, run.src, run.tgt, med, spread, run.params)
    src_texts = [s.text for s in source.sentences]
    tgt_texts = [s.text for s in target.sentences]
    return DocContext(
        source.lang, target.lang, source.sentences, target.sentences, ann_s.numbers, ann_t.numbers,
        ann_s.names, ann_t.names, length_mu, sigma, med, spread, run.stats.tau, embed=embed,
        tgt_vectors=run.tgt.vectors, src_tokens=run.src.tokens, tgt_tokens=run.tgt.tokens,
        tgt_words=frozenset(lexicon.fold(w) for t in tgt_texts for w in lexicon.WORD.findall(t)),
        src_lower=frozenset(lexicon.lowercase_words(src_texts)),
        tgt_lower=frozenset(lexicon.lowercase_words(tgt_texts)), beads=tuple(beads), known=known,
        diff=diff, map_weights=map_weights, given=run.alignment.method == "given", **_diff_levels(beads, diff))


def _diff_levels(beads, diff: DiffMap | None) -> dict:
    """Each side's word and gap levels, and the median and spread they stand on, from the map's
    scores of the words of its aligned pairs."""
    if diff is None:
        return {}
    paired = [b for b in beads if b.source and b.target]
    src = [sc for b in paired for i in b.source for *_, sc in diff.source[i]]
    tgt = [sc for b in paired for j in b.target for *_, sc in diff.target[j]]
    return {"diff_levels": (levels(src), levels(tgt)), "diff_centre": (centre(src), centre(tgt))}


def checks_length(beads, sims, fs: SideFeatures, ft: SideFeatures, med: float, spread: float,
                  params: AlignParams) -> tuple[float, float]:
    """The typical log token ratio (target / source) of this document's clear beads, and its
    spread, for the checks. Learned from the final beads, so that a merge or a split counts as
    one pair (the aligner's first estimate pairs each sentence with its best match, which a merge
    makes twice as long). A handful of pairs is itself noisy (five sentences gave spreads of
    0.28-0.43 where the encoder's typical one is 0.2): both are shrunk towards the encoder's
    figures for the language pair, as if those had been seen LENGTH_PRIOR_PAIRS times."""
    ratios = [math.log((float(ft.tokens[list(b.target)].sum()) + 1) / (float(fs.tokens[list(b.source)].sum()) + 1))
              for b, s in zip(beads, sims) if b.source and b.target and np.isfinite(s) and s >= med - spread]
    k, prior_mu, prior_sigma = LENGTH_PRIOR_PAIRS, params.length_prior, params.length_prior_sigma
    n = len(ratios)
    if n == 0:
        return prior_mu, prior_sigma
    mu_doc = float(np.median(ratios))
    sigma_doc = max(0.12, float(np.median(np.abs(np.array(ratios) - mu_doc))) * 1.4826) if n >= 3 else prior_sigma
    mu = (n * mu_doc + k * prior_mu) / (n + k)
    sigma = math.sqrt((n * sigma_doc ** 2 + k * prior_sigma ** 2) / (n + k))
    return mu, sigma
