"""transcompare: compare a translation with its source, statement by statement.

>>> from transcompare import compare
>>> result = compare("source.en.txt", "translation.vi.txt")  # doctest: +SKIP
>>> [(f.kind, f.reasons, f.message) for f in result.flags]  # doctest: +SKIP
"""
from __future__ import annotations

__version__ = "0.1.0"

from .errors import BackendError, InputError, LanguageError, TranscompareError, UsageError  # noqa: E402
from .model import (Alignment, Bead, BitextAlignment, Comparison, Document, Flag, PairScore,  # noqa: E402
                    Sentence, Span)


def __getattr__(name):  # lazy: importing the package stays cheap
    if name in ("compare", "compare_documents", "load_document", "document_from_text", "align_files",
                "align_documents"):
        import importlib

        # the pipeline lives in transcompare.pipeline; import it only when asked for
        return getattr(importlib.import_module(".pipeline", __name__), name)
    raise AttributeError(name)


__all__ = [
    "compare", "compare_documents", "load_document", "document_from_text", "align_files", "align_documents",
    "BitextAlignment", "Alignment", "Bead",
    "Comparison", "Document", "Flag", "PairScore", "Sentence", "Span", "TranscompareError",
    "InputError", "LanguageError", "BackendError", "UsageError", "__version__",
]
