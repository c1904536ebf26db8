"""What the aligner knows of each sentence besides its vector: its length in tokens, its anchors
(numbers, names and rare words that the other side should share), its paragraph and role, and
whether it carries on the sentence before it."""
from __future__ import annotations

from typing import Callable

import numpy as np
import regex as re

from ..model import Document
from ..text.annotate import Annotations
from ..text.lexicon import fold
from .dp import SideFeatures

# a line cut after an initial or a short abbreviation ("Ch .", "B.M .", "J.") or inside a quotation
_CUT_AFTER = re.compile(r"(?:^|[\s(,-])(?:\p{Lu}\p{Ll}?|(?:\p{Lu}\.)+\p{Lu})\s?\.$")
# "Nov . | 1956 , S. 340": a short abbreviation and a figure that carries on after it
_ABBREV_END = re.compile(r"(?:^|[\s(,-])\p{L}{1,3}\s?\.$")


def carries_on(prev: str, text: str) -> bool:
    """Whether ``text`` carries on the statement of ``prev``: after ; or :, opening in lower
    case or with a closing quote or bracket, or after a cut at an initial."""
    p, t = prev.rstrip(), text.lstrip()
    if not p or not t:
        return False
    return (p[-1] in ";:" or t[0].islower() or t[0] in "»)]”,.;:" or bool(_CUT_AFTER.search(p))
            or (t[0].isdigit() and bool(_ABBREV_END.search(p))))


def anchors(ann: Annotations) -> list[set]:
    """Per sentence, the numbers a translation must carry (``("n", value)``) and the names of
    three letters or more (``("w", folded name)``)."""
    out = []
    for nums, names in zip(ann.numbers, ann.names):
        keys = set()
        for a in nums:
            if a.required:
                keys.update(("n", v) for v in a.values)
        for nm in names:
            if len(nm.key) >= 3:
                keys.add(("w", nm.key))
        out.append(keys)
    return out


def add_shared_rare_words(src: Document, tgt: Document, anchors_s: list[set], anchors_t: list[set]) -> None:
    """Add words of 5+ letters spelled identically on both sides and rare in each as anchors
    (cognates, names in lowercase text, codes)."""
    def words(doc):
        per = [{fold(w) for w in re.findall(r"[\p{L}\p{N}]{5,}", s.text)} for s in doc.sentences]
        freq: dict = {}
        for ws in per:
            for w in ws:
                freq[w] = freq.get(w, 0) + 1
        return per, freq

    ps, fqs = words(src)
    pt, fqt = words(tgt)
    common = {w for w in fqs if w in fqt and fqs[w] <= 3 and fqt[w] <= 3 and not w.isdigit()}
    if not common:
        return
    for k, ws in enumerate(ps):
        anchors_s[k] |= {("w", w) for w in ws & common}
    for k, ws in enumerate(pt):
        anchors_t[k] |= {("w", w) for w in ws & common}


def side_features(doc: Document, vectors: np.ndarray, count_tokens: Callable[[str], int],
                  anchor_sets: list[set]) -> SideFeatures:
    """The aligner's view of one document."""
    tokens = np.array([count_tokens(s.text) for s in doc.sentences], dtype=np.float64)
    texts = [s.text for s in doc.sentences]
    continues = np.array([k > 0 and carries_on(texts[k - 1], texts[k]) for k in range(len(texts))], dtype=bool)
    return SideFeatures(vectors, tokens, tuple(frozenset(a) for a in anchor_sets),
                        np.array([s.paragraph for s in doc.sentences]),
                        np.array([s.is_statement for s in doc.sentences]), continues,
                        np.array([s.role == "heading" for s in doc.sentences], dtype=bool))


def both_sides(source: Document, target: Document, vectors: np.ndarray, count_tokens: Callable[[str], int],
               ann_s: Annotations, ann_t: Annotations) -> tuple[SideFeatures, SideFeatures]:
    """Both documents' features from the vectors of their sentences (source rows first), with
    the rare words they share as extra anchors."""
    n = len(source.sentences)
    anchors_s, anchors_t = anchors(ann_s), anchors(ann_t)
    add_shared_rare_words(source, target, anchors_s, anchors_t)
    return (side_features(source, vectors[:n], count_tokens, anchors_s),
            side_features(target, vectors[n:], count_tokens, anchors_t))
