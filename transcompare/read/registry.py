"""Reading an input into text plus blocks (paragraphs, headings, list items, cues).

One small interface: a reader takes the decoded text and returns a :class:`~.base.Parsed` (the
text the sentences point into, its blocks, metadata); the segmenter (:mod:`transcompare.text`)
splits blocks into sentences. The format is chosen by content first and by extension second
(:func:`detect_format`). Plain text and Markdown are read by :mod:`.plain`; web pages
(:mod:`.webpage`), subtitles (:mod:`.subtitles`) and .docx (:mod:`.docx`, which reads bytes) by
modules imported when needed. TMX and XLIFF files hold both sides and are read by
:mod:`.bitext`. ``http(s)://`` addresses are fetched (:mod:`.fetch`).
"""
from __future__ import annotations

import importlib
import os
import re
from typing import Callable

from ..errors import InputError
from ..model import RawDocument
from .base import (MAX_FILE_BYTES, MAX_LINES, MAX_PAGE_BYTES, MAX_PAGE_ELEMENTS, OLE_MAGIC, Parsed, Reader,
                   count_elements)
from .decode import BOMS, declared_charset, decode, sniff_utf16
from .fetch import load_bytes, url_path
from .plain import read_markdown, read_text

#: format -> reader of decoded text, or "module:function" imported on first use
READERS: dict[str, Reader | str] = {
    "text": read_text,
    "markdown": read_markdown,
    "html": "transcompare.read.webpage:read_html",
    "srt": "transcompare.read.subtitles:read_srt",
    "vtt": "transcompare.read.subtitles:read_vtt",
}
#: formats read from bytes, not text
BINARY_READERS = {"docx": "transcompare.read.docx:read_docx"}
#: formats that hold both sides of a translation (read with :func:`transcompare.read.bitext.read_bitext`)
BITEXT_FORMATS = {"tmx": "a TMX translation memory", "xliff": "an XLIFF file"}
EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".txt": "text",
              ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html", ".docx": "docx",
              ".srt": "srt", ".vtt": "vtt", ".webvtt": "vtt", ".tmx": "tmx", ".xlf": "xliff", ".xliff": "xliff"}
#: extensions of formats transcompare does not read, and what to do instead
UNSUPPORTED = {".pdf": "a PDF", ".doc": "a legacy Word .doc", ".odt": "an OpenDocument text", ".rtf": "an RTF file",
               ".pages": "a Pages document", ".epub": "an EPUB book", ".xlsx": "a spreadsheet",
               ".pptx": "a presentation", ".zip": "a zip archive"}
KNOWN_FORMATS = tuple(sorted(set(READERS) | set(BINARY_READERS) | set(BITEXT_FORMATS)))


def guess_format(path: str) -> str:
    """The format an extension names (plain text when it names none we know)."""
    return EXTENSIONS.get(os.path.splitext(url_path(path))[1].lower(), "text")


_SRT_START = re.compile(r"^\s*\d+\s*\r?\n\s*(\d{1,2}:)?\d{1,2}:\d{2}[,.]\d{1,3}\s*-->")
_HTML_START = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*)*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta[\s>])",
                         re.I | re.S)
_XML_ROOT = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<(tmx|xliff)[\s>]", re.I | re.S)


def sniff(data: bytes) -> str | None:
    """The format the content shows, if it shows one: "docx" for any zip or OLE container
    (read_docx says what is wrong with it), "pdf", or a text format."""
    head = data[:4096]
    if head.startswith(b"PK\x03\x04") or head.startswith(OLE_MAGIC):
        return "docx"
    if head.startswith(b"%PDF"):
        return "pdf"
    for bom, enc in BOMS:
        if head.startswith(bom):
            text = head.decode(enc, errors="ignore")
            break
    else:
        enc16 = sniff_utf16(head)
        text = head.decode(enc16 or "utf-8", errors="ignore")
    text = text.lstrip("\ufeff")
    if text.lstrip().startswith("WEBVTT"):
        return "vtt"
    if _SRT_START.match(text):
        return "srt"
    m = _XML_ROOT.match(text)
    if m:
        return m.group(3).lower()
    if _HTML_START.match(text):
        return "html"
    return None


def detect_format(data: bytes, path: str) -> str:
    """Content first, extension second. A content the extension contradicts in a way that would
    read garbage (a .docx that is plain text, a PDF named .txt) is an error, not a guess."""
    ext = os.path.splitext(url_path(path))[1].lower()
    named = EXTENSIONS.get(ext)
    seen = sniff(data)
    if seen == "pdf":
        raise InputError("is a PDF; transcompare reads text, Markdown, web pages, .docx, .srt/.vtt, TMX "
                         "and XLIFF: save its text or export it as .docx first", path)
    if named == "docx" and seen != "docx":
        what = {None: "plain text"}.get(seen, seen)
        raise InputError(f"is named {ext} but is not a Word document (its content looks like {what}); "
                         "rename it to match its content", path)
    if seen is None and ext in UNSUPPORTED:
        raise InputError(f"is {UNSUPPORTED[ext]}, which transcompare does not read; save it as .docx, "
                         ".html or plain text", path)
    if seen is not None:
        return seen
    return named or "text"


def read_file(path: str, fmt: str | None = None) -> RawDocument:
    """Read and decode ``path`` (a file or an http(s) address); raise :class:`InputError` with a
    one-line reason when it is not usable."""
    return read_bytes(load_bytes(path), str(path), fmt)


def _resolve(target: Reader | str) -> Callable:
    if isinstance(target, str):
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)
    return target


def read_bytes(data: bytes, path: str, fmt: str | None = None) -> RawDocument:
    """Decode and parse the bytes of a file already read (a batch sends them to its workers);
    ``path`` names it in errors and in the report. ``fmt`` overrides :func:`detect_format`."""
    if not data:
        raise InputError("is empty", path)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"is {len(data) / 1e6:.0f} MB; the limit for one document is "
                         f"{MAX_FILE_BYTES // 1_000_000} MB", path)
    fmt = fmt or detect_format(data, path)
    if fmt in BITEXT_FORMATS:
        raise InputError(f"is {BITEXT_FORMATS[fmt]}, which holds both sides: give it alone "
                         "(transcompare compare FILE) to re-score it", path)
    if fmt in BINARY_READERS:
        return _finish(_resolve(BINARY_READERS[fmt])(data, path), path, fmt, "utf-8")
    if fmt == "html" and len(data) > MAX_PAGE_BYTES:
        raise InputError(f"is a {len(data) / 1e6:.0f} MB web page; an article page is under "
                         f"{MAX_PAGE_BYTES // 1_000_000} MB (save the article alone, or its text)", path)
    elements = count_elements(data) if fmt == "html" else 0
    if elements > MAX_PAGE_ELEMENTS:
        raise InputError(f"is a web page of about {elements:,} elements; an article page has far "
                         f"fewer than {MAX_PAGE_ELEMENTS:,} (save the article alone, or its text)", path)
    declared = declared_charset(data) if fmt in ("html", "tmx", "xliff") else None
    if declared:
        text, encoding = data.decode(declared), declared
    else:
        text, encoding = decode(data, path)
    return parse_text(text, path, fmt, encoding)


def _finish(parsed: Parsed, path: str, fmt: str, encoding: str) -> RawDocument:
    text = parsed.text
    blocks = tuple(b for b in parsed.blocks if text[b.start:b.end].strip())
    if not blocks:
        raise InputError("has no text to compare (only markup or code)", path)
    return RawDocument(path, text, encoding, fmt, blocks, tuple(parsed.meta.items()))


def parse_text(text: str, path: str = "<text>", fmt: str = "text", encoding: str = "utf-8") -> RawDocument:
    if not text.strip():
        raise InputError("contains only whitespace", path)
    lines = text.count("\n")
    if lines > MAX_LINES:
        # counted before parsing: millions of one-character lines would become millions of
        # blocks and sentences (a subtitle file's cues are its lines too)
        raise InputError(f"has {lines:,} lines; the limit for one document is {MAX_LINES:,}", path)
    if fmt not in READERS:
        raise InputError(f"unknown format {fmt!r} (known: {', '.join(KNOWN_FORMATS)})", path)
    return _finish(_resolve(READERS[fmt])(text, path), path, fmt, encoding)
