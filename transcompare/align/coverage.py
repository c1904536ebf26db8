"""Whether the words of some sentences are found among the words of others: the content test of
the aligner's second pass.

A sentence vector says how alike two texts are as a whole; it cannot say whether every part of
one is in the other. The word vectors the encoder's pass kept can (:mod:`transcompare.text.words`):
a word is found on the other side as well as its best cosine with the other side's words, and a
sentence is *covered* when its words, on average, are found there about as well as the words of
this document's own aligned pairs are, rather than as (badly) as the words of neighbouring
sentences that do not translate each other. The level between the two is read off each
document, so it holds for close and loose translations and for any encoder.

The second pass (:mod:`.refine`) asks it before it lets a sentence into a many-to-many bead:
an unrelated sentence next to a bead, or a dropped one, must not hide in it. Where the test is
sharp (the document's pairs share their very words, as in a same-language copy with cuts) it
decides alone. Word vectors of the bundled encoder are weak across
scripts (a Vietnamese half-sentence can score as badly as an unrelated one), so there a sentence
that is not covered is still let in when the sentence-level tests find it a part of the bead's
sentence or its real concatenation matches better: the word test vetoes only what nothing else
supports.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..model import Bead
from ..text.clauses import FUNCTION_ZIPF
from ..text.lexicon import zipf
from ..text.words import SentenceWords

#: how far (in robust spreads of the document's own aligned pairs) above their typical miss a
#: sentence's miss must be before it counts as not covered; and the least spread assumed (the
#: pairs of a short document, or of a same-language rewrite, can be nearly all alike)
SPREADS, MIN_SPREAD = 3.0, 0.03
#: the match level at or below which the word test is trusted on its own: the document's pairs
#: share their very words (a same-language copy or light edit: a word is there or it is not)
VERBATIM = 0.05
#: a sentence with fewer content words than this says too little to veto a join
MIN_WORDS = 3
#: the encoder's typical levels (mean miss of a sentence's content words) for a document with
#: no aligned pair to learn its own: pairs that translate each other, and near-topic sentences
#: that do not (medians over FLORES dev en-vi, en-de, en-zh, layer 8 of the bundled encoder)
DEFAULT_MATCH, DEFAULT_NOISE = 0.30, 0.60


class Coverage:
    """The content test over the words of both documents (see the module's docstring)."""

    def __init__(self, words_s: Sequence[SentenceWords], words_t: Sequence[SentenceWords],
                 texts_s: Sequence[str], texts_t: Sequence[str], lang_s: str, lang_t: str,
                 beads: Sequence[Bead]) -> None:
        self.words = {"source": list(words_s), "target": list(words_t)}
        self.content = {"source": [_content(w, t, lang_s) for w, t in zip(words_s, texts_s)],
                        "target": [_content(w, t, lang_t) for w, t in zip(words_t, texts_t)]}
        ones = [(b.source[0], b.target[0]) for b in beads if len(b.source) == 1 and len(b.target) == 1]
        self.level, self.reliable = {}, {}
        for side, pairs in (("source", ones), ("target", [(j, i) for i, j in ones])):
            self.level[side], self.reliable[side] = self._level(side, pairs)

    def _level(self, side: str, pairs: list[tuple[int, int]]) -> tuple[float, bool]:
        """The miss above which ``side``'s sentences are not covered: :data:`SPREADS` robust
        spreads above the median miss of the document's 1-1 pairs, but never above the median
        miss of those sentences against sentences half the document away from their
        counterparts (then the two cannot be told apart, and only a miss as bad as an unrelated
        sentence's counts); the encoder's typical values stand in for a document with no pair.
        Also whether the word test can be trusted alone: the match level is :data:`VERBATIM`.
        Then the level is halfway between match and noise instead: verbatim pairs miss by almost
        nothing and spread by less, but the same words in new company (a sentence merged into
        another) miss by about 0.1, and spreads of the pairs would wrongly veto that join."""
        other = "target" if side == "source" else "source"
        n = len(self.words[other])
        match = [m for m in (self.miss(side, (i,), (j,)) for i, j in pairs) if m is not None]
        noise = [m for m in (self.miss(side, (i,), ((j + max(1, n // 2)) % n,)) for i, j in pairs if n > 1)
                 if m is not None]
        lo = float(np.median(match)) if match else DEFAULT_MATCH
        spread = max(MIN_SPREAD, float(np.median(np.abs(np.array(match) - lo))) * 1.4826 if len(match) >= 3 else
                     (DEFAULT_NOISE - DEFAULT_MATCH) / SPREADS)
        hi = float(np.median(noise)) if noise else DEFAULT_NOISE
        reliable = len(match) >= 3 and lo <= VERBATIM < hi
        if reliable:
            return (lo + hi) / 2, True
        return min(lo + SPREADS * spread, max(hi, lo + MIN_SPREAD)), False

    def _vectors(self, side: str, ids: Sequence[int], content: bool) -> np.ndarray:
        mats = [self.words[side][i].vectors[self.content[side][i]] if content else self.words[side][i].vectors
                for i in ids]
        mats = [m for m in mats if len(m)]
        return np.concatenate(mats) if mats else np.zeros((0, 1), dtype=np.float32)

    def miss(self, side: str, ids: Sequence[int], other_ids: Sequence[int]) -> float | None:
        """The mean over the content words of sentences ``ids`` of ``side`` of one minus their
        best cosine with the words of sentences ``other_ids`` of the other side; ``None`` when
        either has no words."""
        other = "target" if side == "source" else "source"
        if any(not 0 <= j < len(self.words[other]) for j in other_ids):
            return None
        A = self._vectors(side, ids, True)
        B = self._vectors(other, other_ids, False)
        if not len(A) or not len(B) or A.shape[1] != B.shape[1]:
            return None
        return float(np.mean(1.0 - (A @ B.T).max(1)))

    def content_words(self, side: str, ids: Sequence[int]) -> int:
        return int(sum(self.content[side][i].sum() for i in ids))

    def covered(self, side: str, ids: Sequence[int], other_ids: Sequence[int]) -> bool:
        """Whether the words of ``ids`` are found among those of ``other_ids``."""
        m = self.miss(side, ids, other_ids)
        return m is not None and m <= self.level[side]

    def uncovered(self, side: str, ids: Sequence[int], other_ids: Sequence[int]) -> bool:
        """Whether ``ids`` says enough (:data:`MIN_WORDS` content words) and is clearly not
        covered by ``other_ids``: the veto on a join."""
        m = self.miss(side, ids, other_ids)
        return m is not None and self.content_words(side, ids) >= MIN_WORDS and m > self.level[side]

def _content(words: SentenceWords, text: str, lang: str) -> np.ndarray:
    """Which words of a sentence carry content: not among the language's most frequent words
    (all of them when the sentence has no other)."""
    mask = np.array([zipf(text[a:b].lower(), lang) < FUNCTION_ZIPF for a, b in words.spans], dtype=bool)
    return mask if mask.any() else np.ones(len(words.spans), dtype=bool)
