"""Stage 2, text: sentences and what they contain.

:mod:`.segment` cuts blocks into sentences and tells statements from headings and boilerplate;
:mod:`.langid` tells a text's language; :mod:`.numbers` reads numbers, amounts and dates in any
of the supported languages; :mod:`.lexicon` finds proper names and knows word frequencies and
place names; :mod:`.clauses` finds where a sentence can be cut; :mod:`.annotate` runs numbers and
names over a whole document.
"""
from __future__ import annotations

from .annotate import Annotations, annotate

__all__ = ["Annotations", "annotate"]
