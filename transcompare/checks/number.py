"""Number check: figures, dates and amounts that differ after locale normalisation."""
from __future__ import annotations

import regex as re

from ..text import numbers as numbers_mod
from .base import Evidence, Finding, PairView, as_confidence

_CONVERSION_GAP = re.compile(r"^[^\S\n]*[\p{L}°%./²³$€£¥ \-]{0,24}\(\s*(?:about|approx\.?|ca\.?|environ|etwa|khoảng|约)?\s*[$€£¥]?$")


def _drop_conversions(missing, atoms, sentences):
    """Leave out missing figures that stand in a "figure (converted figure)" pair whose other
    figure was matched."""
    if not missing:
        return missing
    keep = []
    miss_ids = {id(a) for a in missing}
    for a in missing:
        sent = next(i for i, x in atoms if x is a)
        text = sentences[sent].text
        paired = False
        for i, b in atoms:
            if i != sent or b is a or id(b) in miss_ids or not b.required:
                continue
            first, second = (a, b) if a.start < b.start else (b, a)
            if _CONVERSION_GAP.match(text[first.end:second.start]):
                paired = True
                break
        if not paired:
            keep.append(a)
    return keep


def _neighbour_numbers(ids: tuple[int, ...], numbers: list) -> list:
    return [a for k in (min(ids) - 1, max(ids) + 1) if 0 <= k < len(numbers) for a in numbers[k]]


def check_numbers(p: PairView) -> list[Finding]:
    ctx = p.ctx
    src = [(i, a) for i in p.source for a in ctx.src_numbers[i]]
    tgt = [(j, b) for j in p.target for b in ctx.tgt_numbers[j]]
    if not any(a.required for _, a in src) and not any(b.required for _, b in tgt):
        return []
    miss_s, miss_t = numbers_mod.match([a for _, a in src], [b for _, b in tgt])
    if not miss_s and not miss_t:
        return []
    # "100 feet (30 m)": a conversion in brackets may keep only one of the two figures
    miss_s = _drop_conversions(miss_s, src, ctx.src_sentences)
    miss_t = _drop_conversions(miss_t, tgt, ctx.tgt_sentences)
    if not miss_s and not miss_t:
        return []
    # a headline may take its figures from anywhere in the article
    if all(ctx.src_sentences[i].role == "heading" for i in p.source):
        every_t = [b for nums in ctx.tgt_numbers for b in nums]
        every_s = [a for nums in ctx.src_numbers for a in nums]
        miss_s = [a for a in miss_s if not any(a.values & b.values for b in every_t)]
        miss_t = [b for b in miss_t if not any(a.values & b.values for a in every_s)]
        if not miss_s and not miss_t:
            return []
    # a figure found in the sentence just before or after the other side's sentences is one
    # sentence off (a boundary the alignment drew differently, a clause moved across it), not changed
    near_s = _neighbour_numbers(p.source, ctx.src_numbers)
    near_t = _neighbour_numbers(p.target, ctx.tgt_numbers)
    miss_s = [a for a in miss_s if not any(a.values & b.values for b in near_t)]
    miss_t = [b for b in miss_t if not any(a.values & b.values for a in near_s)]
    if not miss_s and not miss_t:
        return []
    where_s = {id(a): i for i, a in src}
    where_t = {id(b): j for j, b in tgt}
    ev = [Evidence("source", where_s[id(a)], a.start, a.end, "number") for a in miss_s]
    ev += [Evidence("target", where_t[id(b)], b.start, b.end, "number") for b in miss_t]
    if miss_s and miss_t:
        msg = (f"number changed: {', '.join(a.text for a in miss_s)} in the source, "
               f"{', '.join(b.text for b in miss_t)} in the translation")
        conf = 0.95
    elif miss_s:
        msg = f"number {', '.join(a.text for a in miss_s)} of the source is missing from the translation"
        conf = 0.8
    else:
        msg = f"number {', '.join(b.text for b in miss_t)} in the translation is not in the source"
        conf = 0.8
    # a weak pair makes a number mismatch less telling (it may be the alignment)
    if p.similarity < ctx.sim_median - 3 * ctx.sim_spread:
        conf *= 0.7
    return [Finding("number", "major", as_confidence(conf), msg, tuple(ev))]
