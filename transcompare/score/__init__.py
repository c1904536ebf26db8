"""Stage 7, scores: each aligned pair's similarity, length ratio and sacreBLEU figures
(:mod:`.bleu`; on a back-translation when the languages differ), and the document's summary
(:mod:`.summary`)."""
from __future__ import annotations

from .summary import document_metrics, hypotheses, pair_scores, same_language
from .verdict import VERDICTS, confident_level, confident_shares, verdict

__all__ = ["VERDICTS", "confident_level", "confident_shares", "document_metrics", "hypotheses", "pair_scores", "same_language",
           "verdict"]
