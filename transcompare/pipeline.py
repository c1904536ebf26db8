"""The public pipeline. It only orchestrates; each stage's work lives in its folder:

``read`` (file -> Document) -> ``text`` (numbers, names) -> embed (the encoder) -> ``align``
(beads) -> ``diff`` (the word-level difference map) -> ``checks`` (context, flags) -> ``score``
(pair scores, metrics) -> Comparison.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .align import AlignedPair, AlignParams, align_pair, both_sides, default_params
from .backends.encoders import Encoder, get_encoder
from .backends.mt import Translator, get_translator
from .checks import CHECKS, DEFAULT_CHECKS, build_context, build_flags
from .diff import DiffModel, difference_map, model_for, weights_signature
from .errors import UsageError
from .model import Bead, BitextAlignment, Comparison, DiffMap, Document
from .read import load_document, read_bitext
from .score import confident_level, confident_shares, document_metrics, hypotheses, pair_scores, same_language, verdict
from .signature import signature
from .text import Annotations, annotate
from .text.words import SentenceWords, pool_words


def compare_documents(source: Document, target: Document, encoder: Encoder | str | None = None,
                      checks: Sequence[str] | None = None, params: AlignParams | None = None,
                      mt: Translator | str | None = None, beads: Sequence[Bead] | None = None,
                      progress: Callable[[str], None] | None = None) -> Comparison:
    """Align and compare two segmented documents. ``mt`` (a translation model, see
    :func:`transcompare.backends.mt.get_translator`) back-translates the translation into the
    source language for the sacreBLEU metrics when the two languages differ. ``beads`` gives the
    alignment instead of computing it (pre-aligned input such as a translation memory).
    ``progress(stage)`` is told each stage as it begins (a line such as "checking 20 pairs")."""
    step = progress or (lambda stage: None)
    checks = _known_checks(checks)
    enc = encoder if isinstance(encoder, Encoder) else get_encoder(encoder)
    encoded_before = enc.encoded
    ann_s, ann_t = annotate(source), annotate(target)
    step(f"encoding and aligning {len(source.sentences)} + {len(target.sentences)} sentences")
    run = _align(source, target, enc, ann_s, ann_t, params, beads)
    model = model_for(enc.states_id) if enc.states_layer is not None else None
    diff = _difference_map(source, target, run, model)
    level = confident_level(run, enc.neighbour_cosine)
    shares = confident_shares(source, target, run, level)
    if verdict(*shares) == "unrelated":
        flags = []  # not a translation: its sentences' differences are not a translation's flags
    else:
        step(f"checking {len(run.beads)} pairs")
        ctx = build_context(source, target, run, ann_s, ann_t, enc.embed, enc.has, diff,
                            weights_signature(model) if diff is not None else None)
        flags = build_flags(source, target, list(run.beads), list(run.sims), ctx, checks, *run.best_q)
    # the sacreBLEU metrics compare the translation itself, or its back-translation
    translator = None
    if mt is not None and not same_language(source.lang, target.lang):
        translator = mt if isinstance(mt, Translator) else get_translator(mt)
    step("scoring" + (" (back-translating)" if translator is not None else ""))
    hyp = hypotheses(source, target, run, translator)
    scores, pairs = pair_scores(source, run, hyp, back_translated=translator is not None)
    via = translator.id if translator is not None else None
    metrics = document_metrics(source, target, run, flags, pairs, via, shares, level)
    encoded = enc.encoded - encoded_before
    settings = {"encoder": enc.id, "checks": list(checks), "tau": round(run.stats.tau, 4),
                "length_mu": round(run.stats.length_mu, 4), "length_sigma": round(run.stats.length_sigma, 4),
                "align_method": run.alignment.method, "sentences_encoded": encoded,
                "texts_per_sentence": round(encoded / max(1, len(source.sentences) + len(target.sentences)), 3),
                "diff_map": diff is not None, "mt": via}
    sig = signature(enc.id, checks, source.lang, target.lang, via,
                    diff=weights_signature(model) if diff is not None else None)
    return Comparison(source, target, run.alignment, scores, tuple(flags), metrics, sig, settings, diff)


def align_documents(source: Document, target: Document, encoder: Encoder | str | None = None,
                    params: AlignParams | None = None) -> BitextAlignment:
    """Align two segmented documents (no checks): beads and the similarity of each."""
    enc = encoder if isinstance(encoder, Encoder) else get_encoder(encoder)
    encoded_before = enc.encoded
    run = _align(source, target, enc, annotate(source), annotate(target), params)
    sims = tuple(None if not np.isfinite(x) else round(float(x), 4) for x in run.sims)
    encoded = enc.encoded - encoded_before
    settings = {"encoder": enc.id, "align_method": run.alignment.method, "sentences_encoded": encoded,
                "texts_per_sentence": round(encoded / max(1, len(source.sentences) + len(target.sentences)), 3)}
    return BitextAlignment(source, target, run.alignment, sims, signature(enc.id, (), source.lang, target.lang),
                           settings)


def compare(source: str | Path, target: str | Path, *, source_lang: str | None = None,
            target_lang: str | None = None, encoder: Encoder | str | None = None,
            checks: Sequence[str] | None = None, candidates: Sequence[str] | None = None,
            mt: Translator | str | None = None, progress: Callable[[str], None] | None = None) -> Comparison:
    """Compare a translation file with its source file (``progress``: as for :func:`compare_documents`).

    >>> c = compare("corpora/en-vi-flood/source.en.txt", "corpora/en-vi-flood/translation.vi.txt")
    >>> [f.kind for f in c.flags]  # doctest: +SKIP
    """
    if progress is not None:
        progress("reading")
    src = load_document(source, source_lang, candidates=candidates)
    tgt = load_document(target, target_lang, candidates=candidates)
    return compare_documents(src, tgt, encoder, checks, mt=mt, progress=progress)


def compare_bitext(path: str | Path, *, source_lang: str | None = None, target_lang: str | None = None,
                   encoder: Encoder | str | None = None, checks: Sequence[str] | None = None,
                   candidates: Sequence[str] | None = None, mt: Translator | str | None = None) -> Comparison:
    """Re-score a translation memory (TMX, or XLIFF 2.x/1.2): each unit is one bead, scored and
    checked as given (never re-aligned); a unit with one side empty is a dropped or added statement."""
    src, tgt, beads = read_bitext(str(path), source_lang, target_lang, candidates)
    return compare_documents(src, tgt, encoder, checks, mt=mt, beads=beads)


def align_files(source: str | Path, target: str | Path, *, source_lang: str | None = None,
                target_lang: str | None = None, encoder: Encoder | str | None = None,
                split: str = "sentences", candidates: Sequence[str] | None = None) -> BitextAlignment:
    """Align a translation file with its source file, without checks.

    ``split="lines"`` takes one sentence per line as given, so bead ids are 0-based line numbers
    (the form of the Text+Berg, Vecalign and Bertalign benchmarks).
    """
    src = load_document(source, source_lang, candidates=candidates, split=split)
    tgt = load_document(target, target_lang, candidates=candidates, split=split)
    return align_documents(src, tgt, encoder)


def _align(source: Document, target: Document, enc: Encoder, ann_s: Annotations, ann_t: Annotations,
           params: AlignParams | None, given: Sequence[Bead] | None = None) -> AlignedPair:
    """Embed both documents' sentences (one encoder pass) and align them."""
    if params is None:
        params = default_params(enc.neighbour_cosine, enc.log_length_ratio(source.lang, target.lang))
    vectors = enc.embed(_texts(source) + _texts(target))
    fs, ft = both_sides(source, target, vectors, enc.count_tokens, ann_s, ann_t)
    words = (_words(source, enc), _words(target, enc)) if enc.states_layer is not None else None
    return align_pair(source, target, fs, ft, params, enc.embed, given, words)


def _words(doc: Document, enc: Encoder) -> list[SentenceWords]:
    """Each sentence's words with vectors, from the token states its encoder pass kept."""
    return [pool_words(s.text, ts.spans, ts.states) for s, ts in zip(doc.sentences, enc.token_states(_texts(doc)))]


def _difference_map(source: Document, target: Document, run: AlignedPair, model: DiffModel | None) -> DiffMap | None:
    """The word-level map, from the words the alignment compared; ``None`` with an encoder that
    keeps no token states, or with no weights fitted on its states (``model`` is ``None``:
    :func:`~.diff.model_for`)."""
    if run.words_s is None or run.words_t is None or model is None:
        return None
    return difference_map(source, target, run, model)


def _texts(doc: Document) -> list[str]:
    return [s.text for s in doc.sentences]


def _known_checks(checks: Sequence[str] | None) -> tuple[str, ...]:
    checks = tuple(checks) if checks is not None else DEFAULT_CHECKS
    unknown = [c for c in checks if c not in CHECKS]
    if unknown:
        raise UsageError(f"unknown check(s) {', '.join(unknown)} (known: {', '.join(CHECKS)})")
    return checks
