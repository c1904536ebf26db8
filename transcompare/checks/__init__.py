"""Stage 6, checks: what changed in each aligned pair, with evidence.

A check (one module each, named as the check: :mod:`.number`, :mod:`.name`, :mod:`.negation`,
:mod:`.quote` (with attribution), :mod:`.partial_omission`, :mod:`.meaning`) gets a :class:`PairView` (the bead's sentences, its
similarity, and the document-level :class:`DocContext` that :mod:`.context` builds) and returns
a list of :class:`Finding`. :mod:`.registry` lists them by name; :mod:`.flags` runs them and
turns beads and findings into flags, whose confidences :mod:`.calibration` reads through the
table fitted on the dev data.
"""
from __future__ import annotations

from .base import DocContext, Evidence, Finding, PairView
from .context import build_context
from .flags import build_flags
from .registry import CHECKS, DEFAULT_CHECKS

__all__ = ["CHECKS", "DEFAULT_CHECKS", "DocContext", "Evidence", "Finding", "PairView", "build_context",
           "build_flags"]
