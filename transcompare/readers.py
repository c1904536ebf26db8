"""Reading input files into text plus blocks (paragraphs, headings, list items).

One small interface: a reader takes the decoded text and returns :class:`Block` ranges; the
segmenter splits blocks into sentences. Readers for HTML, .docx and subtitles plug into
``READERS`` the same way.
"""
from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from typing import Callable

from .errors import InputError

MAX_LINE_CHARS = 200_000  # a "line" longer than this is a data dump, not running text
MAX_FILE_BYTES = 50_000_000


@dataclass(frozen=True)
class Block:
    """A run of text that sentences never cross: a paragraph, heading or list item.

    ``start``/``end`` delimit the content (markers such as ``# `` or ``- `` excluded).
    """

    start: int
    end: int
    kind: str = "paragraph"  # paragraph | heading | item | line


@dataclass(frozen=True)
class RawDocument:
    path: str
    text: str
    encoding: str
    format: str
    blocks: tuple[Block, ...]


# ---------------------------------------------------------------- decoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: text in Latin scripts has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(2, len(sample) // 100)


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Bytes to text. UTF-8 first; BOMs and BOM-less UTF-16; then legacy encodings by detection."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise InputError(f"starts with a {enc} byte-order mark but is not valid {enc} "
                                 f"(byte {exc.start})", path) from None
    enc16 = _sniff_utf16(data)
    if enc16:
        try:
            return data.decode(enc16), enc16
        except UnicodeDecodeError:
            pass
    if _looks_binary(data):
        raise InputError("looks like a binary file, not text (it contains NUL or control bytes)", path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        bad = exc.start
    lenient = data.decode("utf-8", errors="replace")
    valid_multibyte = sum(1 for ch in lenient if ord(ch) > 127 and ch != "\ufffd")
    if valid_multibyte >= 3:
        raise InputError(f"is mostly UTF-8 but has invalid bytes (first at offset {bad}); it may mix "
                         "encodings: convert it to UTF-8", path)
    best = _guess_legacy(data)
    if best is not None:
        return best
    raise InputError(f"is not UTF-8 (invalid byte at offset {bad}) and no other encoding fits; "
                     "convert it to UTF-8", path)


# legacy encodings people still have files in, most common first
LEGACY = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1256", "cp1257", "cp1258", "gb18030",
          "big5", "shift_jis", "euc-kr", "koi8-r", "iso-8859-8")


def _guess_legacy(data: bytes) -> tuple[str, str] | None:
    """Decode with each legacy encoding that accepts the bytes and keep the one whose text reads
    most like a language (language-ID confidence), penalising control and private-use characters."""
    import unicodedata

    from .errors import LanguageError
    from .langid import detect

    sample = data[:20000]
    best = None
    for enc in LEGACY:
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        odd = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\r\t")
        if odd > len(text) * 0.01:
            continue
        try:
            _, prob = detect(text)
        except LanguageError:
            prob = 0.0
        score = prob - odd / max(1, len(text))
        if best is None or score > best[0] + 1e-9:
            best = (score, enc)
    if best is None or best[0] < 0.5:
        return None
    try:
        return data.decode(best[1]), best[1]
    except UnicodeDecodeError:
        return None


# ---------------------------------------------------------------- block readers

_TERMINAL = re.compile(r"[.!?。！？…:;»”\"')\]]\s*$")
_BULLET = re.compile(r"^(\s*)([-*+•]|\d{1,3}[.)])\s+")
_MD_HEADING = re.compile(r"^(\s{0,3})(#{1,6})\s+")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_HRULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")


def _lines(text: str):
    """Yield (start, end) of each line, without its line break."""
    pos = 0
    for m in re.finditer(r"\r\n|\n|\r", text):
        yield pos, m.start()
        pos = m.end()
    if pos <= len(text):
        yield pos, len(text)


def _soft_wrapped(prev: str, nxt: str) -> bool:
    """A line break inside a paragraph that only wraps text (the next line continues the sentence)."""
    if not prev or not nxt:
        return False
    if _TERMINAL.search(prev):
        return False
    first = nxt.lstrip()[:1]
    return bool(first) and (first.islower() or first.isdigit() or first in ",;(")


def text_blocks(text: str) -> list[Block]:
    """Plain text: blank lines separate paragraphs; inside one, each line is its own block
    unless it merely wraps the previous one."""
    blocks: list[Block] = []
    cur: list[int] | None = None  # [start, end]
    prev_line = ""
    for s, e in _lines(text):
        line = text[s:e]
        if not line.strip():
            if cur:
                blocks.append(Block(cur[0], cur[1], "paragraph"))
            cur, prev_line = None, ""
            continue
        ls = s + (len(line) - len(line.lstrip()))
        le = s + len(line.rstrip())
        if cur and _soft_wrapped(prev_line, line):
            cur[1] = le
        else:
            if cur:
                blocks.append(Block(cur[0], cur[1], "paragraph"))
            cur = [ls, le]
        prev_line = line.strip()
    if cur:
        blocks.append(Block(cur[0], cur[1], "paragraph"))
    return blocks


def markdown_blocks(text: str) -> list[Block]:
    """Markdown: headings, list items and paragraphs; code fences, front matter and rules skipped."""
    blocks: list[Block] = []
    cur: list | None = None
    in_fence = False
    prev_line = ""
    lines = list(_lines(text))
    i = 0
    # YAML front matter
    if lines and text[lines[0][0]:lines[0][1]].strip() == "---":
        for j in range(1, len(lines)):
            if text[lines[j][0]:lines[j][1]].strip() in ("---", "..."):
                i = j + 1
                break

    def flush():
        nonlocal cur
        if cur:
            blocks.append(Block(cur[0], cur[1], cur[2]))
        cur = None

    while i < len(lines):
        s, e = lines[i]
        line = text[s:e]
        i += 1
        if _FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if not line.strip() or _HRULE.match(line):
            flush()
            prev_line = ""
            continue
        if _SETEXT.match(line) and cur and cur[2] == "paragraph":
            cur[2] = "heading"
            flush()
            continue
        m = _MD_HEADING.match(line)
        if m:
            flush()
            body = line[m.end():].rstrip().rstrip("#").rstrip()
            if body:
                blocks.append(Block(s + m.end(), s + m.end() + len(body), "heading"))
            prev_line = ""
            continue
        m = _BULLET.match(line)
        if m:
            flush()
            cur = [s + m.end(), s + len(line.rstrip()), "item"]
            prev_line = line.strip()
            continue
        stripped = line.lstrip(" >")  # block quotes: keep the content
        ls = s + (len(line) - len(stripped))
        le = s + len(line.rstrip())
        if cur and _soft_wrapped(prev_line, stripped):
            cur[1] = le
        else:
            flush()
            cur = [ls, le, "paragraph"]
        prev_line = stripped.strip()
    flush()
    return blocks


Reader = Callable[[str], list]

READERS: dict[str, Reader] = {"text": text_blocks, "markdown": markdown_blocks}
EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".txt": "text"}


def guess_format(path: str) -> str:
    return EXTENSIONS.get(os.path.splitext(path)[1].lower(), "text")


def read_file(path: str, fmt: str | None = None) -> RawDocument:
    """Read and decode ``path``; raise :class:`InputError` with a one-line reason when it is not usable."""
    return read_bytes(load_bytes(path), str(path), fmt)


def load_bytes(path: str) -> bytes:
    """The bytes of ``path``, or an :class:`InputError` saying why not (missing, a folder, too big,
    unreadable). Decoding is :func:`read_bytes`'s job."""
    display = str(path)
    if not os.path.exists(path):
        raise InputError("no such file", display)
    if os.path.isdir(path):
        raise InputError("is a directory, not a file", display)
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise InputError(f"is {size / 1e6:.0f} MB; the limit for one document is "
                             f"{MAX_FILE_BYTES // 1_000_000} MB", display)
        with open(path, "rb") as fh:
            return fh.read()
    except PermissionError:
        raise InputError("permission denied", display) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", display) from None


def read_bytes(data: bytes, path: str, fmt: str | None = None) -> RawDocument:
    """Decode and parse the bytes of a file already read (a batch sends them to its workers);
    ``path`` names it in errors and in the report."""
    if not data:
        raise InputError("is empty", path)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"is {len(data) / 1e6:.0f} MB; the limit for one document is "
                         f"{MAX_FILE_BYTES // 1_000_000} MB", path)
    text, encoding = decode(data, path)
    return parse_text(text, path, fmt or guess_format(path), encoding)


def parse_text(text: str, path: str = "<text>", fmt: str = "text", encoding: str = "utf-8") -> RawDocument:
    if not text.strip():
        raise InputError("contains only whitespace", path)
    longest, at = 0, 0
    for n, (s, e) in enumerate(_lines(text), 1):
        if e - s > longest:
            longest, at = e - s, n
    if longest > MAX_LINE_CHARS:
        raise InputError(f"line {at} is {longest:,} characters long; that is not running text "
                         f"(limit {MAX_LINE_CHARS:,} per line/paragraph)", path)
    if fmt not in READERS:
        raise InputError(f"unknown format {fmt!r} (known: {', '.join(sorted(READERS))})", path)
    blocks = tuple(b for b in READERS[fmt](text) if text[b.start:b.end].strip())
    if not blocks:
        raise InputError("has no text to compare (only markup or code)", path)
    return RawDocument(path, text, encoding, fmt, blocks)
