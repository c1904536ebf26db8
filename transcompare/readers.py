"""Reading input files into text plus blocks (paragraphs, headings, list items, cues).

One small interface: a reader takes the decoded text and returns a :class:`Parsed` (the text
the sentences point into, its :class:`Block` ranges, metadata); the segmenter splits blocks into
sentences. The format is chosen by content first and by extension second (:func:`detect_format`):
plain text and Markdown here; web pages (:mod:`.webpage`), subtitles (:mod:`.subtitles`) and
.docx (:mod:`.officedoc`, which reads bytes) in their own modules, imported when needed.
TMX and XLIFF files hold both sides and are read by :mod:`.exchange`. ``http(s)://`` addresses
are fetched (:func:`load_bytes`).
"""
from __future__ import annotations

import codecs
import importlib
import os
import re
from dataclasses import dataclass
from typing import Callable, NamedTuple

from .errors import InputError

MAX_LINE_CHARS = 200_000  # a "line" longer than this is a data dump, not running text
MAX_FILE_BYTES = 50_000_000
#: a saved article page is well under this (news pages run 0.1-3 MB with their scripts); a
#: bigger one is a data dump or a whole site in one file
MAX_PAGE_BYTES = 10_000_000
FETCH_TIMEOUT_S = 30


@dataclass(frozen=True)
class Block:
    """A run of text that sentences never cross: a paragraph, heading or list item.

    ``start``/``end`` delimit the content (markers such as ``# `` or ``- `` excluded).
    """

    start: int
    end: int
    kind: str = "paragraph"  # paragraph | heading | item | cell | cue | footnote
    time: str = ""  # a subtitle cue's "hh:mm:ss.mmm --> hh:mm:ss.mmm"


@dataclass(frozen=True)
class RawDocument:
    path: str
    text: str
    encoding: str
    format: str
    blocks: tuple[Block, ...]
    meta: tuple[tuple[str, str], ...] = ()


class Parsed(NamedTuple):
    """What a reader returns: the text sentences point into, its blocks, and metadata."""

    text: str
    blocks: list[Block]
    meta: dict[str, str]


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
        if cur and soft_wrapped(prev_line, line):
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
        if cur and soft_wrapped(prev_line, stripped):
            cur[1] = le
        else:
            flush()
            cur = [ls, le, "paragraph"]
        prev_line = stripped.strip()
    flush()
    return blocks


Reader = Callable[[str, str], Parsed]


def _plain(blocks: Callable[[str], list[Block]]) -> Reader:
    def read(text: str, path: str) -> Parsed:
        _check_lines(text, path)
        return Parsed(text, blocks(text), {})
    return read


#: format -> reader of decoded text, or "module:function" imported on first use
READERS: dict[str, Reader | str] = {
    "text": _plain(text_blocks),
    "markdown": _plain(markdown_blocks),
    "html": "transcompare.webpage:read_html",
    "srt": "transcompare.subtitles:read_srt",
    "vtt": "transcompare.subtitles:read_vtt",
}
#: formats read from bytes, not text
BINARY_READERS = {"docx": "transcompare.officedoc:read_docx"}
#: formats that hold both sides of a translation (read with :func:`transcompare.exchange.read_bitext`)
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
    return EXTENSIONS.get(os.path.splitext(_url_path(path))[1].lower(), "text")


def _url_path(path: str) -> str:
    if is_url(path):
        from urllib.parse import urlsplit

        return urlsplit(path).path
    return path


#: the start of an OLE compound file: a password-protected Office file, or a legacy .doc/.xls
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
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
    for bom, enc in _BOMS:
        if head.startswith(bom):
            text = head.decode(enc, errors="ignore")
            break
    else:
        enc16 = _sniff_utf16(head)
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
    ext = os.path.splitext(_url_path(path))[1].lower()
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


def is_url(path: str) -> bool:
    return str(path).startswith(("http://", "https://"))


def read_file(path: str, fmt: str | None = None) -> RawDocument:
    """Read and decode ``path`` (a file or an http(s) address); raise :class:`InputError` with a
    one-line reason when it is not usable."""
    return read_bytes(load_bytes(path), str(path), fmt)


def fetch_url(url: str) -> bytes:
    """The body of an http(s) address, or an :class:`InputError` saying why not."""
    import urllib.error
    import urllib.request

    from . import __version__

    req = urllib.request.Request(url, headers={"User-Agent": f"transcompare/{__version__}",
                                               "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(req, timeout=FETCH_TIMEOUT_S) as resp:
            data = resp.read(MAX_FILE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise InputError(f"cannot be fetched: HTTP {exc.code} {exc.reason}", url) from None
    except urllib.error.URLError as exc:
        raise InputError(f"cannot be fetched: {exc.reason}", url) from None
    except (TimeoutError, OSError, ValueError) as exc:
        raise InputError(f"cannot be fetched: {exc}", url) from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"is over {MAX_FILE_BYTES // 1_000_000} MB; the limit for one document", url)
    return data


def load_bytes(path: str) -> bytes:
    """The bytes of ``path`` (a file, or an http(s) address fetched), or an :class:`InputError`
    saying why not (missing, a folder, too big, unreadable). Decoding is :func:`read_bytes`'s job."""
    display = str(path)
    if is_url(display):
        return fetch_url(display)
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
    declared = _declared_charset(data) if fmt in ("html", "tmx", "xliff") else None
    if declared:
        text, encoding = data.decode(declared), declared
    else:
        text, encoding = decode(data, path)
    return parse_text(text, path, fmt, encoding)


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._-]+)""",
                      re.I)


def _declared_charset(data: bytes) -> str | None:
    """The encoding a page or XML file declares in its head, when its bytes are not UTF-8 and
    the declaration decodes them (a page saved from a site still in windows-1252 or GB2312)."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(data[:4096])
    if not m:
        return None
    name = (m.group(1) or m.group(2)).decode("ascii").lower()
    try:
        codec = codecs.lookup({"gb2312": "gb18030", "gbk": "gb18030", "iso-8859-1": "cp1252",
                               "latin1": "cp1252", "us-ascii": "cp1252"}.get(name, name)).name
        data.decode(codec)
    except (LookupError, UnicodeDecodeError):
        return None
    return codec


def _check_lines(text: str, path: str) -> None:
    longest, at = 0, 0
    for n, (s, e) in enumerate(_lines(text), 1):
        if e - s > longest:
            longest, at = e - s, n
    if longest > MAX_LINE_CHARS:
        raise InputError(f"line {at} is {longest:,} characters long; that is not running text "
                         f"(limit {MAX_LINE_CHARS:,} per line/paragraph)", path)


def _finish(parsed: Parsed, path: str, fmt: str, encoding: str) -> RawDocument:
    text = parsed.text
    blocks = tuple(b for b in parsed.blocks if text[b.start:b.end].strip())
    if not blocks:
        raise InputError("has no text to compare (only markup or code)", path)
    return RawDocument(path, text, encoding, fmt, blocks, tuple(parsed.meta.items()))


def parse_text(text: str, path: str = "<text>", fmt: str = "text", encoding: str = "utf-8") -> RawDocument:
    if not text.strip():
        raise InputError("contains only whitespace", path)
    if fmt not in READERS:
        raise InputError(f"unknown format {fmt!r} (known: {', '.join(KNOWN_FORMATS)})", path)
    return _finish(_resolve(READERS[fmt])(text, path), path, fmt, encoding)
