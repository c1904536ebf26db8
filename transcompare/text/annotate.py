"""What the text stage finds in each sentence of a document: its numbers and its names. The
aligner takes them as anchors and the checks compare them."""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Document
from .lexicon import Name, doc_capitalised
from .lexicon import extract as extract_names
from .numbers import NumberAtom
from .numbers import extract as extract_numbers


@dataclass(frozen=True)
class Annotations:
    """Per sentence of one document, in sentence order."""

    numbers: tuple[list[NumberAtom], ...]
    names: tuple[list[Name], ...]


def annotate(doc: Document) -> Annotations:
    """The numbers and names of every sentence of ``doc`` (a sentence-initial capitalised word
    counts as a name only where the document also capitalises it elsewhere)."""
    texts = [s.text for s in doc.sentences]
    capitalised = doc_capitalised(texts)
    return Annotations(tuple(extract_numbers(t, doc.lang) for t in texts),
                       tuple(extract_names(t, doc.lang, capitalised) for t in texts))
