"""The values checks share: what a check sees (:class:`PairView`, :class:`DocContext`) and what it
returns (:class:`Finding` with :class:`Evidence` spans on both sides)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import regex as re


@dataclass(frozen=True)
class Evidence:
    side: str  # source | target
    sentence: int  # sentence id
    start: int  # offsets into that sentence's text
    end: int
    label: str = ""


@dataclass(frozen=True)
class Finding:
    reason: str
    severity: str
    confidence: float
    message: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class DocContext:
    """What checks may read besides the pair itself (built by :func:`.context.build_context`)."""

    src_lang: str
    tgt_lang: str
    src_sentences: tuple
    tgt_sentences: tuple
    src_numbers: tuple  # per sentence: list[NumberAtom]
    tgt_numbers: tuple
    src_names: tuple  # per sentence: list[Name]
    tgt_names: tuple
    length_mu: float  # the document's typical log token ratio (target / source) and its spread
    length_sigma: float
    sim_median: float  # the document's typical pair similarity and its robust spread
    sim_spread: float
    tau: float  # the aligner's deletion threshold
    embed: Callable[[list[str]], np.ndarray] | None = None
    tgt_vectors: np.ndarray | None = None
    src_tokens: np.ndarray | None = None
    tgt_tokens: np.ndarray | None = None
    tgt_words: frozenset = frozenset()  # folded words of the whole translation
    src_lower: frozenset = frozenset()  # folded words each side writes in lower case
    tgt_lower: frozenset = frozenset()
    beads: tuple = ()  # the final alignment, for checks that look at a pair's neighbours
    #: whether a text's vector is at hand without encoding (lets the flag builder batch the
    #: checks' texts before they run, see :func:`.flags.build_flags`)
    known: Callable[[str], bool] | None = None
    #: the word-level difference map (a :class:`~transcompare.model.DiffMap`; None without one),
    #: and each side's word and gap levels in this document (:func:`.spans.levels`)
    diff: object = None
    diff_levels: tuple = ((1.0, 1.0), (1.0, 1.0))
    #: each side's median word score and its robust spread (:func:`.spans.centre`)
    diff_centre: tuple = ((0.0, 1.0), (0.0, 1.0))
    #: the signature of the map's weights (:func:`transcompare.diff.weights_signature`)
    map_weights: str | None = None
    #: whether the pairs were given (a translation memory's units), not found by the aligner
    given: bool = False


@dataclass(frozen=True)
class PairView:
    source: tuple[int, ...]
    target: tuple[int, ...]
    similarity: float
    ctx: DocContext

    def src_text(self) -> str:
        return " ".join(self.ctx.src_sentences[i].text for i in self.source)

    def tgt_text(self) -> str:
        return " ".join(self.ctx.tgt_sentences[j].text for j in self.target)


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def as_confidence(x: float) -> float:
    """A raw confidence as flags show it: two decimals, within [0.01, 0.99]."""
    return round(min(0.99, max(0.01, x)), 2)


def cut_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` taken out, spaces tidied."""
    out, pos = [], 0
    for a, b in sorted(spans):
        out.append(text[pos:a])
        pos = b
    out.append(text[pos:])
    return re.sub(r"\s{2,}", " ", "".join(out)).strip()
