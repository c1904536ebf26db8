"""A sentence left out next to a bead that is a piece of the bead's statement.

Translators split a long sentence in two and merge two short ones. When a split-off half says
too little for the aligner to tie it to the whole sentence on the other side, it is left out
and reported as added, and the half left in the bead is reported as a partial omission. The
test here settles it the way a reviewer would: cut the other side's sentence at a clause
boundary, and see whether the part next to the lone sentence is its translation (it matches
the lone sentence nearly as well as this document's aligned pairs match, and better than any
other sentence does) while the rest matches the bead's own side better than the whole sentence did.

Only a few sentences per document are left out. Where the encoder kept the words' vectors
(:mod:`transcompare.text.words`), they first say whether any part of the sentence is, word for
word, closer to the lone sentence than to the bead's own (:data:`PIECE_LEAN`); a left-out
sentence that no part leans towards is no piece, and nothing is embedded. Then they choose
where to cut before anything is encoded: each word
of the cut sentence is found better in one of the two sentences its parts should match, and the
boundaries that best divide the words between them (:data:`CUTS_TRIED`) are the only ones whose
parts are embedded. Without word vectors every boundary is tried.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import regex as re

from .dp import AlignStats, SideFeatures
from ..text.clauses import FUNCTION_ZIPF, clauses
from ..model import Bead
from ..text.words import SentenceWords

#: what a part cut before a clause boundary does not end with (the boundary's punctuation)
_PART_END = " ,;:，；、："
#: each part of a cut sentence holds at least this share of its characters
MIN_PART = 0.15
#: how well a part must match its counterpart: this share of the way from the document's noise
#: level to its typical match (normalised similarities). Logged on planted changes (`docs/
#: benchmarks.md`): split halves 0.32-10.6, median 1.02; inserted or dropped sentences that
#: passed every other test here, at most 0.56
PIECE_LEVEL = 0.65
#: how many cut points, chosen by the words (see the module's docstring), have their parts embedded
CUTS_TRIED = 3
#: how far the words of the part next to the lone sentence may lean, on average, towards the
#: bead's own sentence rather than the lone one (difference of best cosines) for the part to be
#: embedded at all. The split halves the test accepts on Text+Berg dev lean -0.12 at the least
#: (median 0.10); the left-out sentences it rejects there lean below -0.15 in 52 of 81 cases
PIECE_LEAN = -0.15


def cuts(text: str, lang: str) -> list[int]:
    """Clause boundaries of ``text``, and the starts of its most frequent words (a translator
    may split "… landforms [called lobate scarps that …]" where the source has no comma), that
    leave a part of at least two words (or, in scripts without spaces, a few characters) and
    ``MIN_PART`` of the sentence on each side."""
    from ..text.lexicon import zipf

    points = {a for a, _ in clauses(text)[1:]}
    # (after a space: not "s" in "moon's")
    points |= {m.start() for m in re.finditer(r"\w+", text) if m.start() > 0 and text[m.start() - 1].isspace()
               and zipf(m.group().lower(), lang) >= FUNCTION_ZIPF}
    out = []
    for a in sorted(points):
        left, right = text[:a].rstrip(), text[a:].strip()
        if min(len(left), len(right)) < MIN_PART * len(text):
            continue
        if min(len(re.findall(r"\w+", left)), len(re.findall(r"\w+", right))) < 2 and \
                min(len(left), len(right)) < 8:
            continue
        out.append(a)
    return out


class PieceTest:
    """Whether a left-out sentence is the translation of a part of a neighbouring bead's
    single sentence on the other side (see the module's docstring)."""

    def __init__(self, src_texts: Sequence[str], tgt_texts: Sequence[str], src_lang: str, tgt_lang: str,
                 src: SideFeatures,
                 tgt: SideFeatures, stats: AlignStats, embed: Callable[[list[str]], np.ndarray],
                 words: tuple[Sequence[SentenceWords], Sequence[SentenceWords]] | None = None):
        self.words = {"source": list(words[0]), "target": list(words[1])} if words is not None else None
        self.texts = {"source": list(src_texts), "target": list(tgt_texts)}
        self.langs = {"source": src_lang.split("-")[0], "target": tgt_lang.split("-")[0]}
        self.feats = {"source": src, "target": tgt}
        self.stats = stats
        self.level = stats.noise_q + PIECE_LEVEL * (stats.match_q - stats.noise_q)
        self.embed = embed

    def __call__(self, lone: Bead, bead: Bead) -> bool:
        if self.stats.match_q <= self.stats.noise_q:
            return False  # the document's matches do not stand out from its noise: no level
        # the lone sentence's side, and the side whose single sentence is cut
        if lone.target:
            own, other, x, whole_ids, kept_ids = "target", "source", lone.target[0], bead.source, bead.target
        else:
            own, other, x, whole_ids, kept_ids = "source", "target", lone.source[0], bead.target, bead.source
        if len(whole_ids) != 1:
            return False
        w = whole_ids[0]
        text = self.texts[other][w]
        after = x > max(kept_ids)  # the lone sentence follows the bead: its part ends the sentence
        kept = max(kept_ids) if after else min(kept_ids)
        # the words before the cut should be found in the kept sentence (in the lone one when
        # the lone sentence comes first), the words after it in the other
        first, second = ((own, kept), (own, x)) if after else ((own, x), (own, kept))
        points = cuts(text, self.langs[other])
        if not points or self.lone_lean(other, w, points, first, second, after) < PIECE_LEAN:
            return False  # no part of the sentence is, word for word, the lone sentence's
        points = self.chosen_cuts(other, w, points, first, second)
        parts = [(text[a:].strip(), text[:a].rstrip(_PART_END)) if after else
                 (text[:a].rstrip(_PART_END), text[a:].strip()) for a in points]
        fo, fw = self.feats[own], self.feats[other]
        vecs = self.embed([p for pair in parts for p in pair])
        piece_v, rest_v = vecs[0::2], vecs[1::2]
        lone_v = fo.vectors[x]
        # the bead's sentence next to the lone one, and how well the whole sentence matches it
        # (the bead's other sentences, if any, may belong elsewhere: the aligner's averages
        # are what went wrong here)
        kept_v = fo.vectors[kept]
        whole_sim = float(fw.vectors[w] @ kept_v)
        # the lone sentence's best match among the other side's sentences, the cut one aside
        others = np.delete(fw.vectors, w, axis=0) @ lone_v if len(fw.vectors) > 1 else np.array([-1.0])
        # ... and the whole cut sentence: the part must beat both
        bar = max(float(others.max()), float(fw.vectors[w] @ lone_v))
        for k in range(len(parts)):
            sim = float(piece_v[k] @ lone_v)
            if sim <= bar or self._q(own, x, piece_v[k], sim) < self.level:
                continue
            if float(rest_v[k] @ kept_v) > whole_sim:
                return True
        return False

    def _lean(self, side: str, w: int, first: tuple[str, int], second: tuple[str, int]):
        """For each word of sentence ``w`` of ``side``, how much better its best cosine with the
        words of sentence ``second`` is than with those of ``first``, and the words' starts;
        ``None`` without word vectors."""
        if self.words is None:
            return None
        ws = self.words[side][w]
        a, b = self.words[first[0]][first[1]], self.words[second[0]][second[1]]
        if not len(ws) or not len(a) or not len(b) or ws.vectors.shape[1] != a.vectors.shape[1]:
            return None
        lean = (ws.vectors @ b.vectors.T).max(1) - (ws.vectors @ a.vectors.T).max(1)  # > 0: the second's
        return lean, np.array([s for s, _ in ws.spans])

    def lone_lean(self, side: str, w: int, points: list[int], first: tuple[str, int], second: tuple[str, int],
                  after: bool) -> float:
        """The most, over the cut points, that the words of the part next to the lone sentence
        lean towards it on average (the part after the cut when ``after``, which the lone
        sentence is then as ``second``; else the part before it, as ``first``); +inf without
        word vectors (nothing to tell)."""
        got = self._lean(side, w, first, second)
        if got is None:
            return float("inf")
        lean, starts = got
        parts = [lean[starts >= p] if after else -lean[starts < p] for p in points]
        return max((float(x.mean()) for x in parts if len(x)), default=float("inf"))

    def chosen_cuts(self, side: str, w: int, points: list[int], first: tuple[str, int],
                second: tuple[str, int]) -> list[int]:
        """The :data:`CUTS_TRIED` cut points of sentence ``w`` of ``side`` that best divide its
        words between sentence ``first`` (the words before the cut) and ``second`` (those
        after): each word counts by how much better its best cosine with the one is than with
        the other. All points, in order, without word vectors."""
        got = self._lean(side, w, first, second) if len(points) > CUTS_TRIED else None
        if got is None:
            return points
        lean, starts = got
        total = float(lean.sum())
        # words before the cut count against the second sentence, those after it for it
        score = {p: total - 2.0 * float(lean[starts < p].sum()) for p in points}
        best = sorted(points, key=lambda p: -score[p])[:CUTS_TRIED]
        return sorted(best)

    def _q(self, own: str, x: int, part_v: np.ndarray, sim: float) -> float:
        """A part's similarity to sentence ``x`` of side ``own``, normalised as the aligner's
        pairs are: against the mean of the two baselines (the part's median similarity to the
        side's sentences, and the sentence's own)."""
        fo = self.feats[own]
        base_x = (self.stats.base_t if own == "target" else self.stats.base_s)[x]
        base = (float(np.median(fo.vectors @ part_v)) + base_x) / 2
        return (sim - base) / max(1e-6, 1 - base)

    def split_across(self, gap: Bead) -> bool:
        """Whether a gap of one sentence on one side and two on the other (all left out) is a
        split: the single sentence cuts (see :func:`cuts`) into two parts, each matching its
        sentence in order (at ``PIECE_LEVEL``) and better than it matches the other."""
        if sorted((len(gap.source), len(gap.target))) != [1, 2] or self.stats.match_q <= self.stats.noise_q:
            return False
        if len(gap.source) == 1:
            whole, w, own, (x1, x2) = "source", gap.source[0], "target", gap.target
        else:
            whole, w, own, (x1, x2) = "target", gap.target[0], "source", gap.source
        text = self.texts[whole][w]
        points = self.chosen_cuts(whole, w, cuts(text, self.langs[whole]), (own, x1), (own, x2))
        if not points:
            return False
        vecs = self.embed([p for a in points for p in (text[:a].rstrip(_PART_END), text[a:].strip())])
        fo = self.feats[own]
        v1, v2 = fo.vectors[x1], fo.vectors[x2]
        for a_v, b_v in zip(vecs[0::2], vecs[1::2]):
            s1, s2 = float(a_v @ v1), float(b_v @ v2)
            if s1 > float(a_v @ v2) and s2 > float(b_v @ v1) and \
                    min(self._q(own, x1, a_v, s1), self._q(own, x2, b_v, s2)) >= self.level:
                return True
        return False
