"""What every reader shares: the value a reader returns, the limits of one document, and the
text helpers of the readers of markup."""
from __future__ import annotations

import re
from typing import Callable, NamedTuple

from ..errors import InputError
from ..model import Block

MAX_LINE_CHARS = 200_000  # a "line" longer than this is a data dump, not running text
MAX_FILE_BYTES = 50_000_000
#: a saved article page is well under this (news pages run 0.1-3 MB with their scripts); a
#: bigger one is a data dump or a whole site in one file
MAX_PAGE_BYTES = 10_000_000
#: lines of one text document (subtitles: about four a cue): a 300-page book has about 10,000;
#: past this, millions of tiny lines would become millions of blocks and sentences
MAX_LINES = 500_000
#: elements of a TMX or XLIFF file: a unit with its two segments and notes is about ten, so this
#: is some 100,000 units, a memory far beyond one document pair
MAX_XML_ELEMENTS = 1_000_000
#: elements of a web page: a news page with its navigation and scripts has a few thousand; the
#: article extraction spends about 0.2 ms on each (a page of 170,000 paragraphs took 37 s)
MAX_PAGE_ELEMENTS = 100_000


def count_elements(data: bytes) -> int:
    """About how many elements a markup file opens, counted in its raw bytes (start tags: every
    ``<`` that does not close a tag, open a comment, a doctype or a processing instruction)."""
    return data.count(b"<") - data.count(b"</") - data.count(b"<!") - data.count(b"<?")
FETCH_TIMEOUT_S = 30
#: a .docx's XML parts, unpacked (its images and fonts aside): a 300-page book's body is about
#: 5 MB; past this a file is a data dump or a zip bomb (a few hundred KB can unpack to gigabytes),
#: and the parsed tree would take about ten times its size in memory
MAX_DOCX_XML_BYTES = 32_000_000
#: paragraphs of a .docx body: a 300-page book has about 5,000; python-docx spends some tens of
#: microseconds on each, so this bounds a read to a few seconds
MAX_DOCX_PARAGRAPHS = 100_000


class Parsed(NamedTuple):
    """What a reader returns: the text sentences point into, its blocks, and metadata."""

    text: str
    blocks: list[Block]
    meta: dict[str, str]


Reader = Callable[[str, str], Parsed]
#: the start of an OLE compound file: a password-protected Office file, or a legacy .doc/.xls
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_TERMINAL = re.compile(r"[.!?。！？…:;»”\"')\]]\s*$")


def line_spans(text: str):
    """Yield (start, end) of each line, without its line break."""
    pos = 0
    for m in re.finditer(r"\r\n|\n|\r", text):
        yield pos, m.start()
        pos = m.end()
    if pos <= len(text):
        yield pos, len(text)


_SPACE_RUN = re.compile(r"\s+")


def collapse_spaces(s: str) -> str:
    """Runs of whitespace (line breaks included) as one space, ends trimmed: text read out of
    markup (pages, .docx, subtitles, memories)."""
    return _SPACE_RUN.sub(" ", s).strip()


def soft_wrapped(prev: str, nxt: str) -> bool:
    """A line break inside a paragraph that only wraps text (the next line continues the sentence)."""
    if not prev or not nxt:
        return False
    if _TERMINAL.search(prev):
        return False
    first = nxt.lstrip()[:1]
    return bool(first) and (first.islower() or first.isdigit() or first in ",;(")


def check_lines(text: str, path: str) -> None:
    longest, at = 0, 0
    for n, (s, e) in enumerate(line_spans(text), 1):
        if e - s > longest:
            longest, at = e - s, n
    if longest > MAX_LINE_CHARS:
        raise InputError(f"line {at} is {longest:,} characters long; that is not running text "
                         f"(limit {MAX_LINE_CHARS:,} per line/paragraph)", path)

