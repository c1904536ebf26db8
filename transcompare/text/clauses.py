"""Where a sentence can be cut: clause boundaries (punctuation, conjunctions) and phrase
boundaries (a frequent word's start), for the checks and the aligner that look at parts of a
sentence."""
from __future__ import annotations

import regex as re

from .lexicon import zipf

_CLAUSE_MARK = re.compile(r"[,;:—–()]|\s(?:and|but|while|which|who|whose|including|although|because|as well as|"
                          r"after|before|when|where|và|nhưng|trong khi|bao gồm|und|aber|während|einschließlich|"
                          r"et|mais|dont|y|pero|mientras|incluidos|incluidas)\s|，|；|、|：")


#: what a clause or phrase does not begin or end with
TRIM = " ,;:—–()，；、："


def clauses(text: str) -> list[tuple[int, int]]:
    """The clauses of ``text`` as (start, end) spans, boundary marks trimmed off their start."""
    cuts = [0] + [m.start() for m in _CLAUSE_MARK.finditer(text)] + [len(text)]
    spans = []
    for a, b in zip(cuts[:-1], cuts[1:]):
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip(TRIM))
        if b - a - lead > 0:
            spans.append((a + lead, b))
    return spans


#: a word at least this common in its language (wordfreq Zipf: "that", "with", "to", "said")
#: starts a phrase: where a clearly short translation may have lost a part that no punctuation or
#: conjunction marks off ("… determined [that they had found enough ambiguity] to …")
FUNCTION_ZIPF = 5.5


def phrases(text: str, lang: str) -> list[tuple[int, int]]:
    """Spans between phrase boundaries: clause marks, a frequent word's start, the ends. A
    phrase does not end on a function word ("with explosives into")."""
    cuts = {0, len(text)}
    for a, b in clauses(text):
        cuts |= {a, b}
    ends = set()
    for m in re.finditer(r"\w+", text):
        if zipf(m.group().lower(), lang) >= FUNCTION_ZIPF:
            cuts.add(m.start())
        else:
            ends.add(m.end())
    cuts = sorted(cuts)
    out = []
    for x, a in enumerate(cuts):
        for b in cuts[x + 1:]:
            seg = text[a:b]
            lead, tail = len(seg) - len(seg.lstrip(TRIM)), len(seg) - len(seg.rstrip(TRIM))
            if b - tail > a + lead and (b - tail in ends or not text[b - tail - 1].isalnum()):
                out.append((a + lead, b - tail))
    return out
