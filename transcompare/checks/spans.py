"""Checks on the difference map: what one side says that the other does not, found word by word.

The map (:mod:`transcompare.diff`) scores every word of a pair by how likely its content is
absent from the other side. A *gap* is a run of neighbouring words that score high, with at
least :data:`MIN_CONTENT` content words among them: a clause, a phrase, a qualifier. What a pair
has of them decides the reason:

- a gap on the source side only: ``partial_omission`` (the translation left that part out);
- a gap on the translation side only: ``addition`` (it says something the source never said);
- gaps on both sides: ``meaning`` (one claim stands where another stood: "there is still a way
  to achieve X" against "still believes it").

A one-sided gap needs the pair's lengths to agree (content left out makes the translation shorter
than this document's translations typically are, content added longer), and a gap whose content
words stand, as they are, in a sentence of the other side next to the pair's is content moved
across a sentence boundary, not missing or new.

What is high is read off each document: a word belongs to a gap when it scores
:data:`WORD_SPREADS` robust spreads above the median of the document's words (those of its
aligned pairs, each side apart), and a gap counts when its words' mean stands :data:`GAP_SPREADS`
spreads above it and the pair's side has a word scoring at least :data:`FLOOR` (a probability:
nothing in a faithful document reaches it). The levels were chosen on planted partial omissions
and untouched documents in FLORES-200 dev documents 0-99, at most 0.3 false gaps per 100
sentences, and checked on documents 100-199 (``scripts/calibrate_gaps.py``, docs/benchmarks.md):
the map finds about a quarter of the planted omissions on its own, the clause tests of
:mod:`.partial_omission` most of the rest.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import regex as re

from ..text.clauses import FUNCTION_ZIPF
from ..text.lexicon import fold, zipf
from ..text.words import word_spans
from .base import Evidence, Finding, PairView, as_confidence

#: how far above the document's median word score (in robust spreads) a word of a gap stands
WORD_SPREADS = 5.0
#: and the mean of a gap's words
GAP_SPREADS = 7.0
#: the score a word of the pair's side must reach for it to have a gap at all
FLOOR = 0.55
#: the least robust spread assumed (a short document's words can score nearly alike)
MIN_SPREAD = 0.02
#: the content words (not among the language's most frequent) a gap must hold; a single Han
#: character counts as half a word (a word of Chinese is one to three of them)
MIN_CONTENT = 2
_HAN = re.compile(r"\p{Han}")
#: how many sentences either side of a pair's counterparts are searched for a gap's words
NEARBY = 2
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


def centre(scores) -> tuple[float, float]:
    """The median of one side's word scores and their robust spread (at least
    :data:`MIN_SPREAD`); a side without words stands at the floor."""
    if not len(scores):
        return FLOOR, MIN_SPREAD
    med = float(np.median(scores))
    return med, max(MIN_SPREAD, float(np.median(np.abs(np.asarray(scores) - med))) * 1.4826)


def levels(scores) -> tuple[float, float]:
    """The word and gap levels of one side of a document, from its words' scores."""
    if not len(scores):
        return FLOOR, FLOOR
    med, spread = centre(scores)
    return med + WORD_SPREADS * spread, med + GAP_SPREADS * spread


def gaps(words, text: str, lang: str, sentence: int, level: float, gap_level: float) -> list[Gap]:
    """The gaps of one sentence (``words``: its side of the map, ``(start, end, score)``): runs
    of words at ``level`` or more whose mean reaches ``gap_level``."""
    out: list[Gap] = []
    run: list[tuple[int, int, float, bool]] = []

    def close():
        while run and not run[-1][3] and run[-1][2] < level:
            run.pop()  # a run does not end on a bridging function word
        content = sum(c for *_, c in run)
        score = float(np.mean([s for _, _, s, _ in run])) if run else 0.0
        if content >= MIN_CONTENT and score >= gap_level:
            out.append(Gap(sentence, run[0][0], run[-1][1], score, content))
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
    out = []
    for side, ids, sents, lang, lv in (
            (ctx.diff.source, p.source, ctx.src_sentences, ctx.src_lang, ctx.diff_levels[0]),
            (ctx.diff.target, p.target, ctx.tgt_sentences, ctx.tgt_lang, ctx.diff_levels[1])):
        if not any(sc >= FLOOR for i in ids for *_, sc in side[i]):
            out.append([])
            continue
        found = [g for i in ids for g in gaps(side[i], sents[i].text, lang.split("-")[0], i, *lv)]
        out.append([g for g in found if not _found_nearby(g, p, sents is ctx.src_sentences)])
    return out[0], out[1]


def _found_nearby(g: Gap, p: PairView, in_source: bool) -> bool:
    """Whether every content word of a gap is written, as it stands, in a sentence of the other
    side next to the pair's: content moved across a sentence boundary (a speaker named in the
    next sentence because the one that named her was cut) is neither missing nor new there."""
    ctx = p.ctx
    own, lang = (ctx.src_sentences, ctx.src_lang) if in_source else (ctx.tgt_sentences, ctx.tgt_lang)
    other_ids, other = (p.target, ctx.tgt_sentences) if in_source else (p.source, ctx.src_sentences)
    text = own[g.sentence].text[g.start:g.end]
    words = {fold(text[a:b]) for a, b in word_spans(text)
             if zipf(text[a:b].lower(), lang.split("-")[0]) < FUNCTION_ZIPF} - {""}
    if not words or not other_ids:
        return False
    near = [k for k in range(min(other_ids) - NEARBY, max(other_ids) + NEARBY + 1)
            if 0 <= k < len(other) and k not in other_ids]
    there = {fold(other[k].text[a:b]) for k in near for a, b in word_spans(other[k].text)}
    return words <= there


def _evidence(side: str, found: list[Gap], label: str) -> tuple[Evidence, ...]:
    return tuple(Evidence(side, g.sentence, g.start, g.end, label) for g in found)


def _confidence(found: list[Gap]) -> float:
    """The strongest gap's mean score (the calibration table turns it into the share right)."""
    return as_confidence(max(g.score for g in found))


def _quoted(p: PairView, found: list[Gap], side: str) -> str:
    sents = p.ctx.src_sentences if side == "source" else p.ctx.tgt_sentences
    return "; ".join(f"\u201c{sents[g.sentence].text[g.start:g.end]}\u201d" for g in found)


def part_score(ctx, side: str, i: int, a: int, b: int) -> float | None:
    """The mean map score of the words within ``[a, b)`` of sentence ``i`` of ``side``
    (``"source"`` or ``"target"``); ``None`` without a map or without words there."""
    diff = ctx.diff
    rows = None if diff is None else (diff.source if side == "source" else diff.target)
    if rows is None or i >= len(rows):
        return None
    inside = [sc for x, y, sc in rows[i] if a <= x and y <= b]
    return float(np.mean(inside)) if inside else None


def map_agrees(ctx, side: str, i: int, a: int, b: int, spreads: float) -> bool:
    """Whether the map scores the words within ``[a, b)`` of sentence ``i`` of ``side``, on
    average, ``spreads`` robust spreads or more above the median of that side's words in the
    document: whether it leans towards "not carried over" (always, without a map)."""
    score = part_score(ctx, side, i, a, b)
    med, spread = ctx.diff_centre[0 if side == "source" else 1]
    return score is None or score >= med + spreads * spread


def length_z(p: PairView) -> float | None:
    """How much longer than this document's typical translation the pair's translation side is,
    in the document's spreads of log token ratios (``None`` without token counts)."""
    ctx = p.ctx
    if ctx.src_tokens is None or ctx.tgt_tokens is None or not ctx.length_sigma:
        return None
    ts = float(sum(ctx.src_tokens[i] for i in p.source))
    tt = float(sum(ctx.tgt_tokens[j] for j in p.target))
    return (math.log((tt + 1) / (ts + 1)) - ctx.length_mu) / ctx.length_sigma


def _one_sided(p: PairView, side: str) -> list[Gap]:
    """The pair's gaps on ``side`` when the other side has none and the pair's lengths agree:
    content left out makes a translation shorter than this document's translations typically
    are, content added longer."""
    src, tgt = pair_gaps(p)
    found, other = (src, tgt) if side == "source" else (tgt, src)
    z = length_z(p)
    if not found or other or (z is not None and (z >= 0 if side == "source" else z <= 0)):
        return []
    return found


def check_gap_omission(p: PairView) -> list[Finding]:
    """Source words the translation does not carry, the rest of the pair matching."""
    src = _one_sided(p, "source")
    return [Finding("partial_omission", "major", _confidence(src),
                    f"partial omission: the translation does not carry {_quoted(p, src, 'source')}",
                    _evidence("source", src, "not in the translation"))] if src else []


def check_addition(p: PairView) -> list[Finding]:
    """Translation words the source does not say, the rest of the pair matching."""
    tgt = _one_sided(p, "target")
    return [Finding("addition", "minor", _confidence(tgt),
                    f"addition: the source does not say {_quoted(p, tgt, 'target')}",
                    _evidence("target", tgt, "not in the source"))] if tgt else []


def check_gap_meaning(p: PairView) -> list[Finding]:
    """A part of the source replaced by something else in the translation."""
    src, tgt = pair_gaps(p)
    if not src or not tgt:
        return []
    return [Finding("meaning", "major", _confidence(src + tgt),
                    f"meaning changed: {_quoted(p, src, 'source')} in the source, "
                    f"{_quoted(p, tgt, 'target')} in the translation",
                    _evidence("source", src, "changed") + _evidence("target", tgt, "changed"))]
