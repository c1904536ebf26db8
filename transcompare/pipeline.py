"""The public pipeline: read, segment, embed, align, score, flag."""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import regex as re

from . import __version__
from . import calibration
from . import names as names_mod
from . import numbers as numbers_mod
from .align import AlignParams, AlignStats, BandMatrix, Bead, SideFeatures, align, similarity_stats
from .moved import find_moved
from .pieces import PieceTest
from .refine import median_spread, refine
from .checks import CHECKS, DEFAULT_CHECKS, DocContext
from .encoders import DEFAULT_ENCODER, Encoder, get_encoder
from .errors import UsageError
from .flags import build_flags
from .mt import Translator, get_translator
from .langid import DEFAULT_CANDIDATES, detect
from .model import Alignment, BitextAlignment, Comparison, Document, PairScore
from .readers import RawDocument, parse_text, read_file
from .scores import pair_metrics, corpus_metrics, tokenizer_for
from .segment import joiner, segment, segment_lines



@dataclass(frozen=True)
class Settings:
    encoder: str = DEFAULT_ENCODER
    checks: tuple[str, ...] = DEFAULT_CHECKS
    candidates: tuple[str, ...] = DEFAULT_CANDIDATES


def _pkg_version(name: str) -> str:
    from .versions import dist_version

    return dist_version(name)


def load_document(path: str | Path, lang: str | None = None, fmt: str | None = None,
                  candidates: Sequence[str] | None = None, split: str = "sentences") -> Document:
    """Read, detect the language of (unless given) and segment one file. ``split="lines"`` takes
    each line as one sentence, as given (pre-segmented bitext)."""
    raw = read_file(str(path), fmt)
    return document_from_raw(raw, lang, candidates, split)


def document_from_text(text: str, lang: str | None = None, path: str = "<text>", fmt: str = "text",
                       candidates: Sequence[str] | None = None) -> Document:
    return document_from_raw(parse_text(text, path, fmt), lang, candidates)


def document_from_raw(raw: RawDocument, lang: str | None, candidates: Sequence[str] | None = None,
                      split: str = "sentences") -> Document:
    detected = lang is None
    if lang is None:
        sample = " ".join(raw.text[b.start:b.end] for b in raw.blocks[:200])
        lang, _ = detect(sample, tuple(candidates) if candidates else None, raw.path)
    lang = lang.strip().lower().replace("_", "-")
    if split == "lines":
        sentences = segment_lines(raw)
    elif split == "sentences":
        sentences = segment(raw, lang)
    else:
        raise UsageError(f"unknown split {split!r} (sentences or lines)")
    if not sentences:
        from .errors import InputError

        raise InputError("no sentences found", raw.path)
    return Document(raw.path, raw.text, lang, sentences, raw.encoding, detected, raw.format, dict(raw.meta))


def signature(settings: Settings, encoder: Encoder, src_lang: str, tgt_lang: str, mt_id: str | None = None) -> str:
    parts = [
        f"transcompare:{__version__}",
        f"encoder:{encoder.id}",
        "align:bead-dp-v3+margin+anchors+length+moved+headings",
        f"checks:{','.join(settings.checks)}",
        f"seg:sentencex-{_pkg_version('sentencex')}",
        f"langs:{src_lang}-{tgt_lang}",
    ]
    if settings.checks:
        parts.insert(4, f"conf:{calibration.signature()}")
    if src_lang.split("-")[0] == tgt_lang.split("-")[0]:
        parts.append(f"sacrebleu:{_pkg_version('sacrebleu')}|tok:{tokenizer_for(src_lang)}")
    elif mt_id:
        parts.append(f"mt:{mt_id}|sacrebleu:{_pkg_version('sacrebleu')}|tok:{tokenizer_for(src_lang)}")
    return "|".join(parts)


def _features(doc: Document, vectors: np.ndarray, encoder: Encoder, numbers, names_) -> SideFeatures:
    tokens = np.array([encoder.count_tokens(s.text) for s in doc.sentences], dtype=np.float64)
    anchors = []
    for k, s in enumerate(doc.sentences):
        keys = set()
        for a in numbers[k]:
            if a.required:
                keys.update(("n", v) for v in a.values)
        for nm in names_[k]:
            if len(nm.key) >= 3:
                keys.add(("w", nm.key))
        anchors.append(keys)
    texts = [s.text for s in doc.sentences]
    continues = np.array([k > 0 and _carries_on(texts[k - 1], texts[k]) for k in range(len(texts))], dtype=bool)
    return SideFeatures(vectors, tokens, anchors,
                        np.array([s.paragraph for s in doc.sentences]),
                        np.array([s.is_statement for s in doc.sentences]), continues,
                        np.array([s.role == "heading" for s in doc.sentences], dtype=bool))


# a line cut after an initial or a short abbreviation ("Ch .", "B.M .", "J.") or inside a quotation
_CUT_AFTER = re.compile(r"(?:^|[\s(,-])(?:\p{Lu}\p{Ll}?|(?:\p{Lu}\.)+\p{Lu})\s?\.$")
# "Nov . | 1956 , S. 340": a short abbreviation and a figure that carries on after it
_ABBREV_END = re.compile(r"(?:^|[\s(,-])\p{L}{1,3}\s?\.$")


def _carries_on(prev: str, text: str) -> bool:
    """Whether ``text`` carries on the statement of ``prev``: after ; or :, opening in lower
    case or with a closing quote or bracket, or after a cut at an initial."""
    p, t = prev.rstrip(), text.lstrip()
    if not p or not t:
        return False
    return (p[-1] in ";:" or t[0].islower() or t[0] in "»)]”,.;:" or bool(_CUT_AFTER.search(p))
            or (t[0].isdigit() and bool(_ABBREV_END.search(p))))


def _word_set(texts: list[str]) -> set:

    return {names_mod.fold(w) for t in texts for w in names_mod.WORD.findall(t)}


def _shared_rare_words(src: Document, tgt: Document, fs: SideFeatures, ft: SideFeatures) -> None:
    """Add words of 5+ letters spelled identically on both sides and rare in each as anchors
    (cognates, names in lowercase text, codes)."""
    import regex as re

    def words(doc):
        per = [{names_mod.fold(w) for w in re.findall(r"[\p{L}\p{N}]{5,}", s.text)} for s in doc.sentences]
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
        fs.anchors[k] |= {("w", w) for w in ws & common}
    for k, ws in enumerate(pt):
        ft.anchors[k] |= {("w", w) for w in ws & common}


@dataclass
class _AlignRun:
    """What aligning two documents produced, for the checks and the renderers."""

    enc: Encoder
    fs: SideFeatures
    ft: SideFeatures
    S: np.ndarray
    T: np.ndarray
    stats: AlignStats
    M: BandMatrix | None
    alignment: Alignment
    sims: list
    num_s: list
    num_t: list
    nm_s: list
    nm_t: list
    params: AlignParams


#: how many pairs' worth of weight the encoder's typical spread of length ratios gets against
#: the document's own, for the checks
LENGTH_PRIOR_PAIRS = 10


def _checks_length(beads, sims, fs, ft, med: float, spread: float, params: AlignParams) -> tuple[float, float]:
    """The typical log token ratio (target / source) of this document's clear beads, and its
    spread, for the checks. Learned from the final beads, so that a merge or a split counts as
    one pair (the aligner's first estimate pairs each sentence with its best match, which a merge
    makes twice as long). A handful of pairs is itself noisy (five sentences gave spreads of
    0.28-0.43 where the encoder's typical one is 0.2): both are shrunk towards the encoder's
    figures for the language pair, as if those had been seen LENGTH_PRIOR_PAIRS times."""
    ratios = [math.log((float(ft.tokens[list(b.target)].sum()) + 1) / (float(fs.tokens[list(b.source)].sum()) + 1))
              for b, s in zip(beads, sims) if b.source and b.target and np.isfinite(s) and s >= med - spread]
    k, prior_mu, prior_sigma = LENGTH_PRIOR_PAIRS, params.length_prior, params.length_prior_sigma
    n = len(ratios)
    if n == 0:
        return prior_mu, prior_sigma
    mu_doc = float(np.median(ratios))
    sigma_doc = max(0.12, float(np.median(np.abs(np.array(ratios) - mu_doc))) * 1.4826) if n >= 3 else prior_sigma
    mu = (n * mu_doc + k * prior_mu) / (n + k)
    sigma = math.sqrt((n * sigma_doc ** 2 + k * prior_sigma ** 2) / (n + k))
    return mu, sigma


def _align(source: Document, target: Document, encoder: Encoder | str | None,
           params: AlignParams | None, given: Sequence[Bead] | None = None) -> _AlignRun:
    enc = encoder if isinstance(encoder, Encoder) else get_encoder(encoder)
    if params is None:
        params = AlignParams(neighbour_prior=enc.neighbour_cosine,
                             length_prior=enc.log_length_ratio(source.lang, target.lang))
    src_texts = [s.text for s in source.sentences]
    tgt_texts = [s.text for s in target.sentences]
    vecs = enc.embed(src_texts + tgt_texts)
    S, T = vecs[: len(src_texts)], vecs[len(src_texts):]
    sl, tl = source.lang, target.lang
    num_s = [numbers_mod.extract(t, sl) for t in src_texts]
    num_t = [numbers_mod.extract(t, tl) for t in tgt_texts]
    cap_s = names_mod.doc_capitalised(src_texts)
    cap_t = names_mod.doc_capitalised(tgt_texts)
    nm_s = [names_mod.extract(t, sl, cap_s) for t in src_texts]
    nm_t = [names_mod.extract(t, tl, cap_t) for t in tgt_texts]
    fs = _features(source, S, enc, num_s, nm_s)
    ft = _features(target, T, enc, num_t, nm_t)
    _shared_rare_words(source, target, fs, ft)
    fs.anchors = [frozenset(a) for a in fs.anchors]
    ft.anchors = [frozenset(a) for a in ft.anchors]

    if given is None:
        alignment, stats, M = align(fs, ft, params)
    else:  # pre-aligned input (a translation memory): its units are the beads, no DP
        _check_given(given, len(src_texts), len(tgt_texts))
        stats, M = similarity_stats(fs, ft, params)
        alignment = Alignment(tuple(given), "given")
    joiner_s, joiner_t = joiner(sl), joiner(tl)

    def embed_pair(b: Bead) -> float:
        a = joiner_s.join(src_texts[i] for i in b.source)
        c = joiner_t.join(tgt_texts[j] for j in b.target)
        v = enc.embed([a, c])
        return float(v[0] @ v[1])

    if given is None:
        piece_test = PieceTest(src_texts, tgt_texts, sl, tl, fs, ft, stats, enc.embed)
        beads = refine(list(alignment.beads), fs, ft, stats, M, params, embed_pair=embed_pair, piece_test=piece_test)
        beads = find_moved(beads, fs, ft, stats, M, params)
        alignment = Alignment(tuple(beads), alignment.method)
    beads = list(alignment.beads)
    # the real similarity of many-to-many beads: embed the concatenations (few per document)
    sims = []
    for b in beads:
        if not b.source or not b.target:
            sims.append(float("nan"))
        elif len(b.source) == 1 and len(b.target) == 1:
            sims.append(float(S[b.source[0]] @ T[b.target[0]]))
        else:
            sims.append(embed_pair(b))
    return _AlignRun(enc, fs, ft, S, T, stats, M, alignment, sims, num_s, num_t, nm_s, nm_t, params)


def _check_given(beads: Sequence[Bead], n_src: int, n_tgt: int) -> None:
    """Given beads must cover each sentence once, in range."""
    seen_s = [i for b in beads for i in b.source]
    seen_t = [j for b in beads for j in b.target]
    if sorted(seen_s) != list(range(n_src)) or sorted(seen_t) != list(range(n_tgt)):
        raise UsageError("the given beads must cover every sentence of both documents exactly once")


def align_documents(source: Document, target: Document, encoder: Encoder | str | None = None,
                    params: AlignParams | None = None) -> BitextAlignment:
    """Align two segmented documents (no checks): beads and the similarity of each."""
    run = _align(source, target, encoder, params)
    settings = Settings(run.enc.id, ())
    sims = tuple(None if not np.isfinite(x) else round(float(x), 4) for x in run.sims)
    return BitextAlignment(source, target, run.alignment, sims, signature(settings, run.enc, source.lang, target.lang))


def compare_documents(source: Document, target: Document, encoder: Encoder | str | None = None,
                      checks: Sequence[str] | None = None, params: AlignParams | None = None,
                      mt: Translator | str | None = None, beads: Sequence[Bead] | None = None) -> Comparison:
    """Align and compare two segmented documents. ``mt`` (a translation model, see
    :func:`transcompare.mt.get_translator`) back-translates the translation into the source
    language for the sacreBLEU metrics when the two languages differ. ``beads`` gives the
    alignment instead of computing it (pre-aligned input such as a translation memory)."""
    checks = tuple(checks) if checks is not None else DEFAULT_CHECKS
    unknown = [c for c in checks if c not in CHECKS]
    if unknown:
        raise UsageError(f"unknown check(s) {', '.join(unknown)} (known: {', '.join(CHECKS)})")
    run = _align(source, target, encoder, params, beads)
    enc, fs, ft, T, stats, M = run.enc, run.fs, run.ft, run.T, run.stats, run.M
    num_s, num_t, nm_s, nm_t = run.num_s, run.num_t, run.nm_s, run.nm_t
    alignment, sims = run.alignment, run.sims
    beads = list(alignment.beads)
    settings = Settings(enc.id, checks)
    src_texts = [s.text for s in source.sentences]
    tgt_texts = [s.text for s in target.sentences]
    sl, tl = source.lang, target.lang

    # best normalised match of every sentence, for the confidence of dropped/added flags
    best_q_src = np.full(len(src_texts), -1.0)
    best_q_tgt = np.full(len(tgt_texts), -1.0)
    if M is not None:
        for i in range(len(src_texts)):
            a, b = int(M.lo[i]), int(M.hi[i])
            if b <= a:
                continue
            row = M.data[i, : b - a].astype(np.float64)
            base = (stats.base_s[i] + stats.base_t[a:b]) / 2
            q = (row - base) / np.maximum(1e-6, 1 - base)
            best_q_src[i] = max(best_q_src[i], float(np.max(q)))
            np.maximum.at(best_q_tgt, np.arange(a, b), q)

    aligned = [s for b, s in zip(beads, sims) if b.source and b.target and np.isfinite(s)
               and any(source.sentences[i].is_statement for i in b.source)]
    med, spread = median_spread(aligned) if aligned else (0.0, 0.05)
    length_mu, sigma = _checks_length(beads, sims, fs, ft, med, spread, run.params)
    ctx = DocContext(
        sl, tl, source.sentences, target.sentences, num_s, num_t, nm_s, nm_t, length_mu,
        sigma, med, spread, stats.tau, embed=enc.embed, tgt_vectors=T,
        src_tokens=fs.tokens, tgt_tokens=ft.tokens, tgt_words=_word_set(tgt_texts),
        src_lower=names_mod.lowercase_words([s.text for s in source.sentences]),
        tgt_lower=names_mod.lowercase_words(tgt_texts), beads=tuple(beads), known=enc.has)
    flags = build_flags(source, target, beads, sims, ctx, checks, best_q_src, best_q_tgt)

    same_lang = sl.split("-")[0] == tl.split("-")[0]
    # the texts the sacreBLEU metrics compare: the translation itself, or its back-translation
    translator = None
    if same_lang:
        hyp = tgt_texts
    elif mt is not None:
        translator = mt if isinstance(mt, Translator) else get_translator(mt)
        needed = sorted({j for b in beads if b.source for j in b.target})
        hyp = [""] * len(tgt_texts)
        for j, text in zip(needed, translator.translate([tgt_texts[j] for j in needed], tl, sl)):
            hyp[j] = text
    else:
        hyp = None
    join_s = joiner(sl)
    scores = []
    pairs = []
    mu = stats.length_mu
    for b, s in zip(beads, sims):
        if b.source and b.target:
            ratio = float(fs.tokens[list(b.source)].sum() / max(1.0, ft.tokens[list(b.target)].sum()))
            ratio = (1.0 / ratio) / math.exp(mu)
            extra = {}
            if hyp is not None:
                pair = (join_s.join(src_texts[i] for i in b.source), join_s.join(hyp[j] for j in b.target))
                pairs.append(pair)
                extra = pair_metrics(*pair, sl)
                if translator is not None:
                    extra["back_translation"] = pair[1]
            scores.append(PairScore(round(s, 4), round(ratio, 3), **extra))
        else:
            scores.append(PairScore(None, None))
    metrics = _metrics(source, target, beads, sims, flags, stats)
    if pairs:
        metrics.update(corpus_metrics([p[0] for p in pairs], [p[1] for p in pairs], sl,
                                      via=translator.id if translator is not None else None))
    sig = signature(settings, enc, sl, tl, translator.id if translator is not None else None)
    return Comparison(source, target, alignment, tuple(scores), tuple(flags), metrics, sig,
                      {"encoder": enc.id, "checks": list(checks), "tau": round(stats.tau, 4),
                       "length_mu": round(stats.length_mu, 4), "length_sigma": round(stats.length_sigma, 4),
                       "align_method": alignment.method, "sentences_encoded": enc.encoded,
                       "mt": translator.id if translator is not None else None})


def _metrics(source, target, beads, sims, flags, stats) -> dict:
    src_stat = [s.is_statement for s in source.sentences]
    tgt_stat = [s.is_statement for s in target.sentences]
    covered_s = set()
    covered_t = set()
    for b in beads:
        if b.source and b.target:
            covered_s.update(b.source)
            covered_t.update(b.target)
    n_s = sum(src_stat)
    n_t = sum(tgt_stat)
    cov = sum(1 for i in covered_s if src_stat[i]) / n_s if n_s else 1.0
    cov_t = sum(1 for j in covered_t if tgt_stat[j]) / n_t if n_t else 1.0
    aligned = [s for b, s in zip(beads, sims) if b.source and b.target and np.isfinite(s)]
    kinds: dict[str, int] = {}
    for b in beads:
        kinds[b.kind] = kinds.get(b.kind, 0) + 1
    per_kind: dict[str, int] = {"dropped": 0, "added": 0, "altered": 0, "moved": 0}
    per_reason: dict[str, int] = {}
    for f in flags:
        per_kind[f.kind] = per_kind.get(f.kind, 0) + 1
        for r in f.reasons:
            per_reason[r] = per_reason.get(r, 0) + 1
    m = {
        "source_sentences": len(source.sentences),
        "target_sentences": len(target.sentences),
        "source_statements": n_s,
        "target_statements": n_t,
        "coverage": round(cov, 4),
        "target_coverage": round(cov_t, 4),
        "mean_similarity": round(float(np.mean(aligned)), 4) if aligned else None,
        "beads": kinds,
        "flags": per_kind,
        "reasons": per_reason,
        "deletion_threshold": round(stats.tau, 4),
    }
    return m


def compare(source: str | Path, target: str | Path, *, source_lang: str | None = None,
            target_lang: str | None = None, encoder: Encoder | str | None = None,
            checks: Sequence[str] | None = None, candidates: Sequence[str] | None = None,
            mt: Translator | str | None = None) -> Comparison:
    """Compare a translation file with its source file.

    >>> c = compare("corpora/en-vi-flood/source.en.txt", "corpora/en-vi-flood/translation.vi.txt")
    >>> [f.kind for f in c.flags]  # doctest: +SKIP
    """
    src = load_document(source, source_lang, candidates=candidates)
    tgt = load_document(target, target_lang, candidates=candidates)
    return compare_documents(src, tgt, encoder, checks, mt=mt)


def compare_bitext(path: str | Path, *, source_lang: str | None = None, target_lang: str | None = None,
                   encoder: Encoder | str | None = None, checks: Sequence[str] | None = None,
                   candidates: Sequence[str] | None = None, mt: Translator | str | None = None) -> Comparison:
    """Re-score a translation memory (TMX, or XLIFF 2.x/1.2): each unit is one bead, scored and
    checked as given (never re-aligned); a unit with one side empty is a dropped or added statement."""
    from .exchange import read_bitext

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
