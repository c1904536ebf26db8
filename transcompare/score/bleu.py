"""sacreBLEU metrics: on the texts themselves when both sides share a language, else on a
back-translation of the translation into the source language (``--mt``).

sacrebleu is imported only when a comparison needs it.
"""
from __future__ import annotations

from functools import lru_cache


def tokenizer_for(lang: str) -> str:
    """The sacreBLEU tokenizer right for ``lang``: zh and ja/ko need their own."""
    base = lang.split("-")[0]
    if base == "zh":
        return "zh"
    if base == "ja":
        try:
            import MeCab  # noqa: F401
            import ipadic  # noqa: F401

            return "ja-mecab"
        except ImportError:
            return "char"
    if base == "ko":
        try:
            import mecab_ko  # noqa: F401

            return "ko-mecab"
        except ImportError:
            return "char"
    if base in ("th", "lo", "km", "my"):
        return "char"
    return "13a"


@lru_cache(maxsize=8)
def _metrics(lang: str):
    from sacrebleu.metrics import BLEU, CHRF, TER

    tok = tokenizer_for(lang)
    asian = lang.split("-")[0] in ("zh", "ja", "ko")
    return (BLEU(tokenize=tok, effective_order=True), CHRF(), TER(asian_support=asian),
            BLEU(tokenize=tok))


def pair_metrics(src: str, tgt: str, lang: str) -> dict:
    """Sentence chrF, BLEU and TER of ``tgt`` against ``src`` as the reference."""
    bleu, chrf, ter, _ = _metrics(lang)
    return {
        "chrf": round(chrf.sentence_score(tgt, [src]).score, 2),
        "bleu": round(bleu.sentence_score(tgt, [src]).score, 2),
        "ter": round(ter.sentence_score(tgt, [src]).score, 2),
    }


def corpus_metrics(srcs: list[str], tgts: list[str], lang: str, via: str | None = None) -> dict:
    """Corpus chrF, BLEU and TER of ``tgts`` against ``srcs``, in ``lang``. ``via`` names the
    translation model when ``tgts`` are back-translations (then ``metrics_direct`` is false)."""
    if not srcs:
        return {}
    _, chrf, ter, bleu = _metrics(lang)
    out = {
        "chrf": round(chrf.corpus_score(tgts, [srcs]).score, 2),
        "bleu": round(bleu.corpus_score(tgts, [srcs]).score, 2),
        "ter": round(ter.corpus_score(tgts, [srcs]).score, 2),
        "metrics_direct": via is None,
        "metrics_tokenizer": tokenizer_for(lang),
    }
    if via is not None:
        out["metrics_via"] = via
    return out
