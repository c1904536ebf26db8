"""Aligning two documents from their features: the DP (or beads given by a translation memory),
the second pass, the search for moved statements, and the real similarity of every bead."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Sequence

import numpy as np

from ..errors import UsageError
from ..model import Alignment, Bead, Document
from ..text.segment import joiner
from ..text.words import SentenceWords
from .coverage import Coverage
from .dp import AlignParams, AlignStats, BandMatrix, SideFeatures, align, similarity_stats
from .merge import merge_neighbours
from .moved import find_moved
from .pieces import PieceTest
from .refine import refine

Embed = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class AlignedPair:
    """What aligning two documents produced, for the checks, the scores and the renderers."""

    src: SideFeatures
    tgt: SideFeatures
    stats: AlignStats
    matrix: BandMatrix | None
    alignment: Alignment
    #: per bead: the cosine of its two sides' vectors (of the real concatenation for a
    #: many-to-many bead); NaN for a sentence left out
    sims: tuple[float, ...]
    params: AlignParams
    #: each sentence's words with their vectors (``None`` with an encoder that keeps no token
    #: states): what the second pass's content test and the difference map compare
    words_s: tuple[SentenceWords, ...] | None = None
    words_t: tuple[SentenceWords, ...] | None = None

    @property
    def beads(self) -> tuple[Bead, ...]:
        return self.alignment.beads

    @cached_property
    def best_q(self) -> tuple[np.ndarray, np.ndarray]:
        """The best normalised match of every source and every target sentence within the
        aligner's band (-1 where it has none), for the confidence of dropped and added flags."""
        return best_matches(self.matrix, self.stats, len(self.src.tokens), len(self.tgt.tokens))


def default_params(neighbour_cosine: float, length_prior: float) -> AlignParams:
    """The aligner's settings for an encoder: its typical near-topic cosine and its log length
    ratio for the language pair."""
    return AlignParams(neighbour_prior=neighbour_cosine, length_prior=length_prior)


def align_pair(source: Document, target: Document, fs: SideFeatures, ft: SideFeatures, params: AlignParams,
               embed: Embed, given: Sequence[Bead] | None = None,
               words: tuple[Sequence[SentenceWords], Sequence[SentenceWords]] | None = None) -> AlignedPair:
    """Align two documents whose features are ``fs`` and ``ft``. ``embed`` encodes the few texts
    the second pass and the bead similarities need (concatenations, sentence parts).
    ``given`` beads (a translation memory's units) are taken as they are: no DP, no second
    pass. ``words``: both documents' words with vectors, for the second pass's content test
    (:mod:`.coverage`; without them the second pass has none)."""
    src_texts = [s.text for s in source.sentences]
    tgt_texts = [s.text for s in target.sentences]
    joiner_s, joiner_t = joiner(source.lang), joiner(target.lang)

    def embed_pair(b: Bead) -> float:
        a = joiner_s.join(src_texts[i] for i in b.source)
        c = joiner_t.join(tgt_texts[j] for j in b.target)
        v = embed([a, c])
        return float(v[0] @ v[1])

    if given is None:
        alignment, stats, M = align(fs, ft, params)
        piece_test = PieceTest(src_texts, tgt_texts, source.lang, target.lang, fs, ft, stats, embed, words)
        coverage = (Coverage(words[0], words[1], src_texts, tgt_texts, source.lang, target.lang, alignment.beads)
                    if words is not None else None)
        beads = refine(list(alignment.beads), fs, ft, stats, M, params, embed_pair=embed_pair, piece_test=piece_test,
                       coverage=coverage)
        beads = merge_neighbours(beads, fs, ft, stats, lambda b: _similarity(b, fs, ft, embed_pair))
        beads = find_moved(beads, fs, ft, stats, M, params)
        alignment = Alignment(tuple(beads), alignment.method)
    else:  # pre-aligned input (a translation memory): its units are the beads, no DP
        check_given(given, len(src_texts), len(tgt_texts))
        stats, M = similarity_stats(fs, ft, params)
        alignment = Alignment(tuple(given), "given")
    sims = tuple(_similarity(b, fs, ft, embed_pair) for b in alignment.beads)
    w_s, w_t = (tuple(words[0]), tuple(words[1])) if words is not None else (None, None)
    return AlignedPair(fs, ft, stats, M, alignment, sims, params, w_s, w_t)


def _similarity(b: Bead, fs: SideFeatures, ft: SideFeatures, embed_pair: Callable[[Bead], float]) -> float:
    """The real similarity of a bead: its sentences' cosine, or for a many-to-many bead that of
    the concatenations (few per document)."""
    if not b.source or not b.target:
        return float("nan")
    if len(b.source) == 1 and len(b.target) == 1:
        return float(fs.vectors[b.source[0]] @ ft.vectors[b.target[0]])
    return embed_pair(b)


def check_given(beads: Sequence[Bead], n_src: int, n_tgt: int) -> None:
    """Given beads must cover each sentence once, in range."""
    seen_s = [i for b in beads for i in b.source]
    seen_t = [j for b in beads for j in b.target]
    if sorted(seen_s) != list(range(n_src)) or sorted(seen_t) != list(range(n_tgt)):
        raise UsageError("the given beads must cover every sentence of both documents exactly once")


def best_matches(M: BandMatrix | None, stats: AlignStats, n_src: int, n_tgt: int) -> tuple[np.ndarray, np.ndarray]:
    """See :attr:`AlignedPair.best_q`."""
    best_q_src = np.full(n_src, -1.0)
    best_q_tgt = np.full(n_tgt, -1.0)
    if M is None:
        return best_q_src, best_q_tgt
    for i in range(n_src):
        a, b = int(M.lo[i]), int(M.hi[i])
        if b <= a:
            continue
        row = M.data[i, : b - a].astype(np.float64)
        base = (stats.base_s[i] + stats.base_t[a:b]) / 2
        q = (row - base) / np.maximum(1e-6, 1 - base)
        best_q_src[i] = max(best_q_src[i], float(np.max(q)))
        np.maximum.at(best_q_tgt, np.arange(a, b), q)
    return best_q_src, best_q_tgt
