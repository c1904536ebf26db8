"""Which checks work with less in a language: those that read words of a language need its list."""
from __future__ import annotations

from ..text.lexicon import wordfreq_languages
from ..text.numbers import word_languages
from .negation import cue_languages
from .quote import speaker_languages


def less_support(lang: str) -> tuple[str, ...]:
    """What the checks lack for ``lang``, one phrase per check (empty: full support)."""
    base = lang.split("-")[0]
    out = []
    if base not in cue_languages():
        out.append("negation (no list of negation words)")
    if base not in speaker_languages():
        out.append("attribution (no verbs of saying)")
    if base not in word_languages():
        out.append("number (figures only, no number words)")
    if base not in wordfreq_languages():
        out.append("name and partial_omission (no word frequencies)")
    return tuple(out)
