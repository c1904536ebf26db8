"""Text to a :class:`~transcompare.model.Document`: read a file, tell its language (unless
given), and cut it into sentences."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..errors import InputError, LanguageError, UsageError
from ..model import Document, RawDocument
from ..text.langcodes import normalise
from ..text.langid import detect
from ..text.segment import segment, segment_lines
from .registry import parse_text, read_file


def load_document(path: str | Path, lang: str | None = None, fmt: str | None = None,
                  candidates: Sequence[str] | None = None, split: str = "sentences") -> Document:
    """Read, detect the language of (unless given) and segment one file. ``split="lines"`` takes
    each line as one sentence, as given (pre-segmented bitext)."""
    raw = read_file(str(path), fmt)
    return document_from_raw(raw, lang, candidates, split)


def document_from_text(text: str, lang: str | None = None, path: str = "<text>", fmt: str = "text",
                       candidates: Sequence[str] | None = None) -> Document:
    """A document from text in memory (``path`` names it in errors and reports)."""
    return document_from_raw(parse_text(text, path, fmt), lang, candidates)


def document_from_raw(raw: RawDocument, lang: str | None, candidates: Sequence[str] | None = None,
                      split: str = "sentences") -> Document:
    """Segment what a reader made of a file, detecting its language when ``lang`` is not given."""
    detected = lang is None
    if lang is None:
        sample = " ".join(raw.text[b.start:b.end] for b in raw.blocks[:200])
        lang, _ = detect(sample, tuple(candidates) if candidates else None, raw.path)
    else:
        try:
            lang = normalise(lang).code
        except UsageError as exc:  # a language tag of the file's own (TMX, XLIFF), or of a caller
            raise LanguageError(exc.message, raw.path) from None
    if split == "lines":
        sentences = segment_lines(raw)
    elif split == "sentences":
        sentences = segment(raw, lang)
    else:
        raise UsageError(f"unknown split {split!r} (sentences or lines)")
    if not sentences:
        raise InputError("no sentences found", raw.path)
    return Document(raw.path, raw.text, lang, sentences, raw.encoding, detected, raw.format, dict(raw.meta))
