"""The checks by name, each with what it looks for (``transcompare checks`` lists them)."""
from __future__ import annotations

from typing import Callable

from .base import Finding, PairView
from .meaning import check_meaning
from .name import check_names
from .negation import check_negation
from .number import check_numbers
from .partial_omission import check_partial_omission
from .quote import check_attribution, check_quotes
from .spans import check_addition, check_gap_meaning, check_gap_omission


def check_omission(p: PairView) -> list[Finding]:
    """A part of the source the translation does not carry: the clause and phrase tests, else
    a gap in the difference map."""
    return check_partial_omission(p) or check_gap_omission(p)


def check_meaning_change(p: PairView) -> list[Finding]:
    """A pair far less alike than the document's pairs, else a part of the source replaced by
    something else (gaps on both sides of the map)."""
    return check_meaning(p) or check_gap_meaning(p)

Check = Callable[[PairView], list[Finding]]

CHECKS: dict[str, tuple[Check, str]] = {
    "number": (check_numbers, "numbers, percentages and amounts that differ after locale normalisation (number words and magnitudes: en, vi, de, fr, es, zh, ru, ar)"),
    "name": (check_names, "a proper name dropped, swapped for another, or added by the translation (Latin-script names, any language)"),
    "negation": (check_negation, "a statement negated on one side only, or more often on one side (en, vi, de, fr, es, it, pt, zh, ru, ar)"),
    "attribution": (check_attribution, "a statement the translation puts in another named person's mouth (speakers in en, vi, de, fr, es, it, pt)"),
    "quote": (check_quotes, "quoted words changed while the statement around them is kept (any language's quotation marks)"),
    "partial_omission": (check_omission, "the counterpart covers clearly less than the source statement (a clause, a phrase, a qualifier, a quote): by clause tests, or a run of source words the difference map finds missing"),
    "addition": (check_addition, "the translation says something the source does not: a run of its words the difference map finds nowhere in the source"),
    "meaning": (check_meaning_change, "similarity far below the document's own distribution, or a part of the source replaced by different words (missing runs on both sides of the map)"),
}
DEFAULT_CHECKS = tuple(CHECKS)
