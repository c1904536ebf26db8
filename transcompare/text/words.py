"""The words of a sentence, the units the difference map scores, and their vectors.

A word is a run of letters, marks and digits, with the apostrophes and hyphens inside it ("l'Open"
is one word, as are "COVID-19" and "long-term"); a number keeps its separators ("1,700", "3.2").
In scripts written without spaces each Han character is a word, and each run of kana: the map
then underlines characters rather than whole sentences. Punctuation is no word: it carries no
content to find on the other side.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import regex as re

_WORD = re.compile(
    r"\p{N}+(?:[.,'’\u00a0\u202f]\p{N}+)*"  # a number with its separators
    r"|\p{Han}"  # one Han character
    r"|[\p{Hiragana}\p{Katakana}ー]+"  # a run of kana
    r"|[\p{L}\p{M}\p{N}--\p{Han}\p{Hiragana}\p{Katakana}]+(?:['’\-][\p{L}\p{M}\p{N}--\p{Han}\p{Hiragana}\p{Katakana}]+)*",
    re.V1)


def word_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) character spans of the words of ``text``, in order."""
    return [m.span() for m in _WORD.finditer(text)]


@dataclass(frozen=True, eq=False)
class SentenceWords:
    """The words of one sentence: their spans in its text and a unit vector each (the mean of
    the states of the tokens that overlap the word)."""

    spans: tuple[tuple[int, int], ...]
    vectors: np.ndarray  # (n_words, dim) float32, unit length

    def __len__(self) -> int:
        return len(self.spans)


def pool_words(text: str, token_spans, token_states: np.ndarray) -> SentenceWords:
    """Pool a sentence's token states (one row per token, ``token_spans`` their character spans
    in ``text``) into its words: each word takes the mean state of the tokens whose spans overlap
    it (a token shared by two words, as in scripts without spaces, counts for both)."""
    spans = word_spans(text)
    dim = token_states.shape[1] if token_states.ndim == 2 else 0
    if not spans or not len(token_spans):
        return SentenceWords(tuple(spans), np.zeros((len(spans), dim), dtype=np.float32))
    starts = np.array([a for a, _ in token_spans])
    ends = np.array([b for _, b in token_spans])
    states = token_states.astype(np.float32)
    out = np.zeros((len(spans), states.shape[1]), dtype=np.float32)
    for k, (a, b) in enumerate(spans):
        hit = (starts < b) & (ends > a) & (ends > starts)
        if hit.any():
            out[k] = states[hit].mean(0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return SentenceWords(tuple(spans), out / np.maximum(norms, 1e-9))
