"""Checks on the difference map: what one side says that the other does not, found word by word.

The map (:mod:`transcompare.diff`) scores every word of a pair by how likely its content is
absent from the other side. A *gap* is a run of neighbouring words that score high, with at
least :data:`MIN_CONTENT` content words among them: a clause, a phrase, a qualifier. What a pair
has of them decides the reason:

- a gap on the source side only: ``partial_omission`` (the translation left that part out);
- a gap on the translation side only: ``addition`` (it says something the source never said);
- gaps on both sides: ``meaning`` (one claim stands where another stood: "there is still a way
  to achieve X" against "still believes it").

A word scores high when it is above the document's own high end of word scores in aligned pairs
(:data:`DOC_QUANTILE`) and above an absolute floor (:data:`FLOOR`: below it, the model's
reviewers marked next to nothing); both were chosen on planted changes in FLORES-200 dev
documents 0-99 and checked on documents 100-199 (``scripts/eval_checks.py``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import regex as re

from ..text.clauses import FUNCTION_ZIPF
from ..text.lexicon import zipf
from .base import Evidence, Finding, PairView, as_confidence

#: the quantile of the document's word scores (aligned statement pairs) a word must exceed
DOC_QUANTILE = 0.95
#: and the score it must exceed in any document
FLOOR = 0.5
#: the content words (not among the language's most frequent) a gap must hold; a single Han
#: character counts as half a word (a word of Chinese is one to three of them)
MIN_CONTENT = 2
_HAN = re.compile(r"\p{Han}")
#: a word below the level may sit inside a gap (a function word between two uncovered words)
#: when it is not a content word
BRIDGE_FUNCTION_WORDS = True


@dataclass(frozen=True)
class Gap:
    """A run of uncovered words in one sentence: its span in the sentence's text, its words'
    mean score, and how many content words it holds."""

    sentence: int
    start: int
    end: int
    score: float
    content: float


def document_level(scores: list[float]) -> float:
    """The word score above which a word counts as uncovered in this document."""
    if not scores:
        return FLOOR
    return max(FLOOR, float(np.quantile(scores, DOC_QUANTILE)))


def gaps(words, text: str, lang: str, level: float, sentence: int) -> list[Gap]:
    """The gaps of one sentence (``words``: its side of the map, ``(start, end, score)``)."""
    out: list[Gap] = []
    run: list[tuple[int, int, float, bool]] = []

    def close():
        while run and not run[-1][3] and run[-1][2] < level:
            run.pop()  # a run does not end on a bridging function word
        content = sum(c for *_, c in run)
        if content >= MIN_CONTENT:
            out.append(Gap(sentence, run[0][0], run[-1][1], float(np.mean([s for _, _, s, _ in run])), content))
        run.clear()

    for a, b, score in words:
        word = text[a:b]
        content = 0.0 if zipf(word.lower(), lang) >= FUNCTION_ZIPF else 0.5 if _HAN.fullmatch(word) else 1.0
        if score >= level:
            run.append((a, b, score, content))
        elif run and BRIDGE_FUNCTION_WORDS and not content:
            run.append((a, b, score, content))
        else:
            close()
    close()
    return out


def pair_gaps(p: PairView) -> tuple[list[Gap], list[Gap]]:
    """The gaps of a pair's source sentences and of its translation sentences."""
    ctx = p.ctx
    if ctx.diff is None:
        return [], []
    src = [g for i in p.source
           for g in gaps(ctx.diff.source[i], ctx.src_sentences[i].text, ctx.src_lang.split("-")[0], ctx.diff_level, i)]
    tgt = [g for j in p.target
           for g in gaps(ctx.diff.target[j], ctx.tgt_sentences[j].text, ctx.tgt_lang.split("-")[0], ctx.diff_level, j)]
    return src, tgt


def _evidence(side: str, found: list[Gap], label: str) -> tuple[Evidence, ...]:
    return tuple(Evidence(side, g.sentence, g.start, g.end, label) for g in found)


def _confidence(found: list[Gap]) -> float:
    return as_confidence(1.0 - float(np.prod([1.0 - g.score for g in found])))


def _quoted(p: PairView, found: list[Gap], side: str) -> str:
    sents = p.ctx.src_sentences if side == "source" else p.ctx.tgt_sentences
    return "; ".join(f"\u201c{sents[g.sentence].text[g.start:g.end]}\u201d" for g in found)


def check_gap_omission(p: PairView) -> list[Finding]:
    """Source words the translation does not carry, the rest of the pair matching."""
    src, tgt = pair_gaps(p)
    if not src or tgt:
        return []
    return [Finding("partial_omission", "major", _confidence(src),
                    f"partial omission: the translation does not carry {_quoted(p, src, 'source')}",
                    _evidence("source", src, "not in the translation"))]


def check_addition(p: PairView) -> list[Finding]:
    """Translation words the source does not say, the rest of the pair matching."""
    src, tgt = pair_gaps(p)
    if not tgt or src:
        return []
    return [Finding("addition", "minor", _confidence(tgt),
                    f"addition: the source does not say {_quoted(p, tgt, 'target')}",
                    _evidence("target", tgt, "not in the source"))]


def check_gap_meaning(p: PairView) -> list[Finding]:
    """A part of the source replaced by something else in the translation."""
    src, tgt = pair_gaps(p)
    if not src or not tgt:
        return []
    return [Finding("meaning", "major", _confidence(src + tgt),
                    f"meaning changed: {_quoted(p, src, 'source')} in the source, "
                    f"{_quoted(p, tgt, 'target')} in the translation",
                    _evidence("source", src, "changed") + _evidence("target", tgt, "changed"))]
