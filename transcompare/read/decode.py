"""Bytes to text: byte-order marks, BOM-less UTF-16, UTF-8, a page's declared charset, and legacy
encodings told apart by how much their text reads like a language."""
from __future__ import annotations

import codecs
import re

from ..errors import InputError

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def sniff_utf16(data: bytes) -> str | None:
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
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise InputError(f"starts with a {enc} byte-order mark but is not valid {enc} "
                                 f"(byte {exc.start})", path) from None
    enc16 = sniff_utf16(data)
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

    from ..errors import LanguageError
    from ..text.langid import detect

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


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._-]+)""",
                      re.I)


def declared_charset(data: bytes) -> str | None:
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

