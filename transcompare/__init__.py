"""transcompare: compare a translation with its source, statement by statement.

>>> from transcompare import compare
>>> result = compare("source.en.txt", "translation.vi.txt")  # doctest: +SKIP
>>> [(f.kind, f.reasons, f.message) for f in result.flags]  # doctest: +SKIP
"""
from __future__ import annotations

__version__ = "0.1.0"

from .errors import BackendError, InputError, LanguageError, TranscompareError, UsageError  # noqa: E402
from .model import Alignment, Bead, Comparison, Document, Flag, PairScore, Sentence, Span  # noqa: E402


def __getattr__(name):  # lazy: importing the package stays cheap
    if name in ("compare", "compare_documents", "load_document", "document_from_text"):
        from . import compare as _c

        return getattr(_c, name)
    raise AttributeError(name)


__all__ = [
    "compare", "compare_documents", "load_document", "document_from_text", "Alignment", "Bead",
    "Comparison", "Document", "Flag", "PairScore", "Sentence", "Span", "TranscompareError",
    "InputError", "LanguageError", "BackendError", "UsageError", "__version__",
]
