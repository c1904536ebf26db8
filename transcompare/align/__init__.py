"""Stage 4, alignment: which sentences of the translation render which of the source.

:mod:`.features` gives each sentence its length, anchors and role; :mod:`.dp` scores beads from
the sentence vectors and finds the best monotonic path (exactly, or in a band for long
documents); :mod:`.refine` settles what the averaged vectors cannot (gaps, bead members, split
sentences, with the content test of :mod:`.coverage`); :mod:`.moved` pairs statements the
translation moved; :mod:`.pair` runs all of it over two documents.
"""
from __future__ import annotations

from .dp import AlignParams, AlignStats, BandMatrix, SideFeatures, align, similarity_stats
from .features import both_sides, carries_on
from .moved import find_moved
from .pair import AlignedPair, align_pair, default_params
from .refine import median_spread, refine

__all__ = ["AlignParams", "AlignStats", "AlignedPair", "BandMatrix", "SideFeatures", "align", "align_pair",
           "both_sides", "carries_on", "default_params", "find_moved", "median_spread", "refine",
           "similarity_stats"]
