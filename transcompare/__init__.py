"""transcompare: compare a translation with its source, statement by statement.

>>> from transcompare import compare
>>> from transcompare.render import render
>>> result = compare("source.en.txt", "translation.vi.txt")  # doctest: +SKIP
>>> [(f.kind, f.reasons, f.message) for f in result.flags]  # doctest: +SKIP
>>> print(render(result, "json"))  # doctest: +SKIP

The stages live in folders, in the order the data flows: ``read`` (files to documents),
``text`` (sentences, numbers, names), ``align`` (beads), ``checks`` (flags), ``score`` (pair
scores, metrics), ``render`` (text, JSON, TSV, HTML, TMX, XLIFF); ``backends`` holds the models
and their cache, ``batch`` and ``review`` consume comparisons. :mod:`transcompare.pipeline`
only orchestrates.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .errors import BackendError, InputError, LanguageError, TranscompareError, UsageError  # noqa: E402
from .model import (Alignment, Bead, BitextAlignment, Comparison, Document, Flag, PairScore,  # noqa: E402
                    Sentence, Span)

#: the public functions, by the module that defines them; each is imported when first asked for,
#: so that ``import transcompare`` stays cheap (no numpy, no encoder)
_LAZY = {
    "compare": "pipeline",
    "compare_documents": "pipeline",
    "compare_bitext": "pipeline",
    "align_files": "pipeline",
    "align_documents": "pipeline",
    "load_document": "read.document",
    "document_from_text": "read.document",
    "read_bitext": "read.bitext",
    "get_encoder": "backends.encoders",
    "get_translator": "backends.mt",
}


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # next time, no __getattr__
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    *_LAZY,
    "Alignment", "Bead", "BitextAlignment", "Comparison", "Document", "Flag", "PairScore", "Sentence", "Span",
    "TranscompareError", "InputError", "LanguageError", "BackendError", "UsageError", "__version__",
]
