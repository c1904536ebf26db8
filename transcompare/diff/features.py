"""What the difference map knows of each word: how well the other side's words match it, in its
own bead and around it, whether that match is mutual, how its neighbours fare, how its sentence
fares as a whole, and what kind of word it is.

Everything comes from the word vectors of :mod:`transcompare.text.words` (the encoder's token
states) and the
alignment; nothing is encoded here. A bead's "other side" is the counterpart sentences the
aligner paired with it; its "window" adds the sentences next to them, so that a word whose
counterpart the aligner put in the neighbouring bead is still found.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import regex as re

from ..text.lexicon import fold, zipf
from ..text.words import SentenceWords

#: the feature names, in the order of the columns :func:`side_features` returns
FEATURES = (
    # how badly the bead's other side matches the word (DiffAlign within the bead), around it,
    # on average in its sentence, and against the window of sentences next to the counterpart
    "miss", "miss_w1", "miss_w2", "miss_w4", "miss_mean", "miss_rel", "miss_win",
    # whether its best match takes it as its own best match, around it and in its sentence;
    # whether any word of the other side takes it as its best; the margin of its best match
    "unmatched", "unmatched_w1", "unmatched_w2", "unmatched_w4", "unmatched_mean", "chosen", "gap",
    # the sentence: left out, its bead's similarity (raw and against the document), the bead's
    # size, its length, whether it ends as a sentence does, how many of its words are capitals
    "unaligned", "bead_sim", "bead_z", "bead_size", "sentence_words", "terminal", "capitals",
    # the word: a number (and kept), a word the other side spells alike, a capital, how common,
    # how long, where in its sentence
    "number", "number_kept", "same_word", "capital", "zipf", "length", "position",
)
#: how far a word's match is searched beyond its bead: the sentences next to the counterpart
WINDOW = 1
_HAS_DIGIT = re.compile(r"\p{N}")
_NUMBER = re.compile(r"\p{N}+(?:[.,'’\u00a0\u202f ]\p{N}{3})*(?:[.,]\p{N}+)?")


@dataclass(frozen=True, eq=False)
class Side:
    """One document as the map sees it: per sentence its words, its text; per sentence the ids
    of its counterpart sentences (empty: left out), its bead's similarity and that similarity's
    z-score within the document."""

    words: tuple[SentenceWords, ...]
    texts: tuple[str, ...]
    lang: str
    counterpart: tuple[tuple[int, ...], ...]
    bead_sim: tuple[float, ...]
    bead_z: tuple[float, ...]


def _smooth(v: np.ndarray, w: int) -> np.ndarray:
    pad = np.pad(v, w, mode="edge")
    return np.convolve(pad, np.ones(2 * w + 1) / (2 * w + 1), mode="valid")


def _stack(words: tuple[SentenceWords, ...], ids) -> tuple[np.ndarray, list[int]]:
    """The word vectors of sentences ``ids`` in one matrix, and where each sentence starts."""
    mats, starts, at = [], [], 0
    for i in ids:
        starts.append(at)
        mats.append(words[i].vectors)
        at += len(words[i])
    dim = words[0].vectors.shape[1] if words and words[0].vectors.ndim == 2 else 0
    return (np.concatenate(mats) if mats else np.zeros((0, dim), dtype=np.float32)), starts


def side_features(own: Side, other: Side) -> list[np.ndarray]:
    """Per sentence of ``own``, a matrix (n_words, len(FEATURES))."""
    col = {name: k for k, name in enumerate(FEATURES)}
    out = []
    for i, sw in enumerate(own.words):
        n = len(sw)
        F = np.zeros((n, len(FEATURES)))
        if n:
            _matches(F, col, i, own, other)
            _sentence(F, col, i, own, other)
            _word_kinds(F, col, sw, own.texts[i], own.lang, [other.texts[c] for c in own.counterpart[i]])
        out.append(F)
    return out


def _matches(F: np.ndarray, col: dict, i: int, own: Side, other: Side) -> None:
    """The features of how the other side's words match sentence ``i``'s words."""
    sw, cp = own.words[i], own.counterpart[i]
    n = len(sw)
    O, _ = _stack(other.words, cp)
    if cp and len(O):
        S = sw.vectors @ O.T
        miss = 1.0 - S.max(1)
        # a mutual best match: the other word's best match among the words of this side of the
        # bead is this word
        own_ids = sorted({x for c in cp for x in other.counterpart[c]} | {i})
        M, own_starts = _stack(own.words, own_ids)
        back = (O @ M.T).argmax(1)
        off = own_starts[own_ids.index(i)]
        unmatched = (back[S.argmax(1)] != off + np.arange(n)).astype(float)
        chosen = np.isin(off + np.arange(n), back).astype(float)
        top = np.sort(S, 1)
        gap = top[:, -1] - (top[:, -2] if S.shape[1] > 1 else 0.0)
    else:
        miss, unmatched, chosen, gap = np.ones(n), np.ones(n), np.zeros(n), np.zeros(n)
    win = sorted({x for c in cp for x in range(c - WINDOW, c + WINDOW + 1) if 0 <= x < len(other.words)})
    W, _ = _stack(other.words, win)
    F[:, col["miss_win"]] = 1.0 - (sw.vectors @ W.T).max(1) if len(W) else 1.0
    for name, v in (("miss", miss), ("unmatched", unmatched)):
        F[:, col[name]] = v
        for w in (1, 2, 4):
            F[:, col[f"{name}_w{w}"]] = _smooth(v, w)
        F[:, col[f"{name}_mean"]] = v.mean()
    F[:, col["miss_rel"]] = miss - miss.mean()
    F[:, col["chosen"]] = chosen
    F[:, col["gap"]] = gap


def _sentence(F: np.ndarray, col: dict, i: int, own: Side, other: Side) -> None:
    """The features of sentence ``i`` as a whole, the same for each of its words."""
    cp, sw, text = own.counterpart[i], own.words[i], own.texts[i]
    F[:, col["unaligned"]] = 0.0 if cp else 1.0
    F[:, col["bead_sim"]] = own.bead_sim[i]
    F[:, col["bead_z"]] = own.bead_z[i]
    F[:, col["bead_size"]] = len(cp) + len({x for c in cp for x in other.counterpart[c]} | {i}) if cp else 1
    F[:, col["sentence_words"]] = len(sw)
    F[:, col["terminal"]] = float(text.rstrip()[-1:] in ".!?:;。！？：；")
    F[:, col["capitals"]] = float(np.mean([text[a:a + 1].isupper() for a, _ in sw.spans]))
    F[:, col["position"]] = np.arange(len(sw)) / max(1, len(sw) - 1)


def _word_kinds(F: np.ndarray, col: dict, sw: SentenceWords, text: str, lang: str, other_texts: list[str]) -> None:
    """The word's own kind: a number (and whether the other side writes it), a word the other
    side spells alike, a capital, how common it is in its language, its length."""
    other = " ".join(other_texts)
    other_words = {fold(w) for w in re.findall(r"[\p{L}\p{M}\p{N}]+", other)}
    # the other side's numbers as digits alone ("1,700", "1.700" and "1 700" are all 1700)
    other_numbers = {re.sub(r"\D", "", m) for m in _NUMBER.findall(other)}
    for k, (a, b) in enumerate(sw.spans):
        w = text[a:b]
        if _HAS_DIGIT.search(w):
            F[k, col["number"]] = 1.0
            F[k, col["number_kept"]] = float(re.sub(r"\D", "", w) in other_numbers)
        folded = fold(w)
        F[k, col["same_word"]] = float(len(folded) > 2 and folded in other_words)
        F[k, col["capital"]] = float(w[:1].isupper())
        F[k, col["zipf"]] = zipf(w.lower(), lang)
        F[k, col["length"]] = min(len(w), 20) / 20
