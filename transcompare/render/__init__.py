"""Stage 8, rendering: a :class:`~transcompare.model.Comparison` (or the
:class:`~transcompare.model.BitextAlignment` of ``transcompare align``) as text for people or
programs. One function, :func:`render`, picks the writer from a registry; each format lives in
its own module (:mod:`.textview`, :mod:`.json`, :mod:`.tsv`, :mod:`.html`, :mod:`.exchange` for TMX
and XLIFF), imported when first used, so that Jinja2 and lxml load only for the pages and
memories that need them.

>>> from transcompare.render import render
>>> render(comparison, "json")  # doctest: +SKIP
"""
from __future__ import annotations

import importlib

from ..errors import UsageError
from ..model import BitextAlignment, Comparison

_TEXT_OPTIONS = ("color", "width", "flagged_only")
#: format -> ("module:function" of the writer of a comparison, the options it takes)
COMPARISON_WRITERS = {
    "text": ("textview:to_text", _TEXT_OPTIONS),
    "json": ("json:to_json", ("indent",)),
    "tsv": ("tsv:to_tsv", ()),
    "html": ("html:to_html", ()),
    "tmx": ("exchange:to_tmx", ()),
    "xliff": ("exchange:to_xliff", ()),
}
#: format -> ("module:function" of the writer of an alignment without checks, its options)
ALIGNMENT_WRITERS = {
    "beads": ("textview:align_to_beads", ()),
    "json": ("json:align_to_json", ("indent",)),
    "tsv": ("tsv:align_to_tsv", ()),
    "tmx": ("exchange:to_tmx", ()),
    "xliff": ("exchange:to_xliff", ()),
}
FORMATS = tuple(COMPARISON_WRITERS)
ALIGN_FORMATS = tuple(ALIGNMENT_WRITERS)


def _entry(result: Comparison | BitextAlignment, fmt: str) -> tuple[str, tuple[str, ...]]:
    table = COMPARISON_WRITERS if isinstance(result, Comparison) else ALIGNMENT_WRITERS
    if not isinstance(result, (Comparison, BitextAlignment)):
        raise UsageError(f"cannot render a {type(result).__name__} (a Comparison or a BitextAlignment)")
    if fmt not in table:
        what = "a comparison" if table is COMPARISON_WRITERS else "an alignment"
        raise UsageError(f"unknown format {fmt!r} for {what} (known: {', '.join(table)})")
    return table[fmt]


def writer(result: Comparison | BitextAlignment, fmt: str):
    """The function that writes ``result`` in format ``fmt``."""
    module, func = _entry(result, fmt)[0].split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), func)


def render(result: Comparison | BitextAlignment, fmt: str = "text", **options) -> str:
    """``result`` in format ``fmt`` (see :data:`FORMATS` and :data:`ALIGN_FORMATS`). ``options``
    go to the format's writer: ``color``, ``width`` and ``flagged_only`` for text, ``indent`` for
    JSON; an option the format does not take is a :class:`~transcompare.errors.UsageError`."""
    taken = _entry(result, fmt)[1]
    unknown = sorted(set(options) - set(taken))
    if unknown:
        raise UsageError(f"format {fmt!r} takes no option {', '.join(unknown)}"
                         + (f" (it takes {', '.join(taken)})" if taken else ""))
    return writer(result, fmt)(result, **options)


__all__ = ["ALIGN_FORMATS", "FORMATS", "render", "writer"]
