"""The JSON of a comparison (schema ``transcompare.comparison/1``) and of an alignment
(``transcompare.alignment/1``): documented contracts, ``docs/json.md``."""
from __future__ import annotations

import json
import math
from dataclasses import asdict

from ..model import BitextAlignment, Comparison, Document
from ..text.segment import file_spans

SCHEMA = "transcompare.comparison/1"
ALIGN_SCHEMA = "transcompare.alignment/1"


def number(x):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return None
    return x


def _diff(doc: Document, i: int, words) -> list:
    """A sentence's map as ``[start, end, score]`` per word, offsets into the document's text."""
    s = doc.sentences[i]
    spans = file_spans(doc.text, s, [(a, b) for a, b, _ in words], doc.format == "markdown")
    return [[a, b, score] for (a, b), (_, _, score) in zip(spans, words)]


def doc_dict(doc: Document, diff=None) -> dict:
    """A document; ``diff``: its side of the difference map, given to each sentence."""
    return {
        "path": doc.path,
        "lang": doc.lang,
        "lang_detected": doc.lang_detected,
        "encoding": doc.encoding,
        "format": doc.format,
        "meta": dict(doc.meta),
        # offsets of a page, .docx, subtitle or memory point into the text read out of it, given here
        **({"text": doc.text} if doc.format not in ("text", "markdown") else {}),
        "sentences": [{"id": s.id, "text": s.text, "start": s.start, "end": s.end,
                       "paragraph": s.paragraph, "role": s.role, **({"time": s.time} if s.time else {}),
                       **({"diff": _diff(doc, s.id, diff[s.id])} if diff is not None else {})}
                      for s in doc.sentences],
    }


def to_dict(c: Comparison) -> dict:
    by_bead: dict[tuple, list[str]] = {}
    for f in c.flags:
        by_bead.setdefault((f.source, f.target), []).append(f.id)
    pairs = []
    for bead, sc in zip(c.alignment.beads, c.scores):
        pairs.append({
            "source": list(bead.source),
            "target": list(bead.target),
            "kind": bead.kind,
            "moved": bead.moved,
            "similarity": number(sc.similarity),
            "length_ratio": number(sc.length_ratio),
            "chrf": number(sc.chrf),
            "bleu": number(sc.bleu),
            "ter": number(sc.ter),
            "back_translation": sc.back_translation,
            "flags": by_bead.get((bead.source, bead.target), []),
        })
    flags = []
    for f in c.flags:
        flags.append({
            "id": f.id, "kind": f.kind, "reasons": list(f.reasons), "source": list(f.source),
            "target": list(f.target), "severity": f.severity, "confidence": f.confidence,
            "message": f.message, "evidence": [asdict(e) for e in f.evidence],
        })
    return {
        "schema": SCHEMA,
        "signature": c.signature,
        "settings": c.settings,
        "source": doc_dict(c.source, c.diff.source if c.diff is not None else None),
        "target": doc_dict(c.target, c.diff.target if c.diff is not None else None),
        "alignment": {"method": c.alignment.method},
        "pairs": pairs,
        "flags": flags,
        "metrics": c.metrics,
    }


def to_json(c: Comparison, indent: int | None = 2) -> str:
    return json.dumps(to_dict(c), ensure_ascii=False, indent=indent) + "\n"


def align_to_dict(a: BitextAlignment) -> dict:
    return {
        "schema": ALIGN_SCHEMA,
        "signature": a.signature,
        "settings": dict(a.settings),
        "source": doc_dict(a.source),
        "target": doc_dict(a.target),
        "method": a.alignment.method,
        "beads": [{"source": list(b.source), "target": list(b.target), "kind": b.kind,
                   "moved": b.moved, "similarity": number(s)}
                  for b, s in zip(a.alignment.beads, a.similarities)],
    }


def align_to_json(a: BitextAlignment, indent: int | None = 2) -> str:
    return json.dumps(align_to_dict(a), ensure_ascii=False, indent=indent) + "\n"
