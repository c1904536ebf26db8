"""Stage 1, reading: bytes (a file or an http(s) address) to text plus blocks, then to a
segmented :class:`~transcompare.model.Document`.

:mod:`.registry` picks the reader by content and extension; :mod:`.decode` turns bytes into text;
:mod:`.fetch` gets the bytes; :mod:`.plain`, :mod:`.webpage`, :mod:`.docx` and :mod:`.subtitles`
read one format each; :mod:`.bitext` reads TMX and XLIFF as pre-aligned pairs; :mod:`.document`
segments the text into a Document. Readers of pages, .docx and memories load their libraries (trafilatura, python-docx, lxml)
only when used.
"""
from __future__ import annotations

from .base import Parsed
from .bitext import read_bitext
from .document import document_from_raw, document_from_text, load_document
from .fetch import is_url, load_bytes
from .registry import KNOWN_FORMATS, detect_format, parse_text, read_bytes, read_file
from .subtitles import lenient_subtitles

__all__ = ["Parsed", "KNOWN_FORMATS", "detect_format", "document_from_raw", "document_from_text", "is_url",
           "lenient_subtitles", "load_bytes", "load_document", "parse_text", "read_bytes", "read_file", "read_bitext"]

