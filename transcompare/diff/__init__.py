"""Stage 5, the difference map: for every word on both sides of a comparison, how likely its
content is absent from the other side.

The encoder pass that embeds each sentence also keeps its token states
(:meth:`~transcompare.backends.encoders.base.Encoder.token_states`); :mod:`transcompare.text.words`
pools them into words; :mod:`.features` compares each word with the words of its bead's other side and
around it (the unsupervised recognisers of Vamvas & Sennrich 2023, DiffAlign, and what the
alignment and the sentence say); :mod:`.model` combines those features with weights fitted on
real documents labelled by people (SwissGov-RSD train). Nothing is encoded for the map.
"""
from __future__ import annotations

import numpy as np

from ..align.pair import AlignedPair
from ..align.refine import median_spread
from ..model import DiffMap, Document
from ..text.words import SentenceWords
from .features import FEATURES, Side, side_features
from .model import DiffModel, default_model, model_for, weights_signature

__all__ = ["FEATURES", "DiffModel", "SentenceWords", "default_model", "difference_map", "map_features",
           "model_for", "sides", "weights_signature"]

#: the bead z-score of a sentence left out (no bead similarity): far below any aligned pair
LEFT_OUT_Z = -6.0


def sides(source: Document, target: Document, run: AlignedPair) -> tuple[Side, Side]:
    """Both documents as the map sees them: words with vectors (those the alignment compared),
    counterparts, bead similarities and their z-scores."""
    cp_s: list[tuple[int, ...]] = [()] * len(source.sentences)
    cp_t: list[tuple[int, ...]] = [()] * len(target.sentences)
    sim_s = [None] * len(source.sentences)
    sim_t = [None] * len(target.sentences)
    for b, sim in zip(run.beads, run.sims):
        if b.source and b.target:
            for i in b.source:
                cp_s[i], sim_s[i] = tuple(b.target), sim
            for j in b.target:
                cp_t[j], sim_t[j] = tuple(b.source), sim
    aligned = [s for b, s in zip(run.beads, run.sims) if b.source and b.target and np.isfinite(s)]
    med, spread = median_spread(aligned) if aligned else (0.0, 0.05)

    def z(sims):
        return tuple(LEFT_OUT_Z if s is None or not np.isfinite(s) else (s - med) / spread for s in sims)

    def raw(sims):
        return tuple(0.0 if s is None or not np.isfinite(s) else float(s) for s in sims)

    return (Side(run.words_s, tuple(s.text for s in source.sentences), source.lang, tuple(cp_s), raw(sim_s), z(sim_s)),
            Side(run.words_t, tuple(s.text for s in target.sentences), target.lang, tuple(cp_t), raw(sim_t), z(sim_t)))


def map_features(src: Side, tgt: Side) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The feature matrices of every sentence of both sides (for the model, or to fit it)."""
    return side_features(src, tgt), side_features(tgt, src)


def difference_map(source: Document, target: Document, run: AlignedPair, model: DiffModel | None = None) -> DiffMap:
    """The map of a comparison, from its alignment and the words it compared."""
    model = model or default_model()
    src, tgt = sides(source, target, run)
    fs, ft = map_features(src, tgt)
    return DiffMap(_scored(src, fs, model), _scored(tgt, ft, model))


def _scored(side: Side, feats: list[np.ndarray], model: DiffModel):
    """Each sentence's words with their scores: the model's for a sentence in a pair, 1 for each
    word of a sentence left out (its content is not on the other side, as far as the alignment
    can tell)."""
    out = []
    for sw, F, cp in zip(side.words, feats, side.counterpart):
        scores = (model.score(F) if cp else np.ones(len(F))) if len(F) else np.zeros(0)
        out.append(tuple((a, b, round(float(p), 3)) for (a, b), p in zip(sw.spans, scores)))
    return tuple(out)
