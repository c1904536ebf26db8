"""Bytes to text: byte-order marks, BOM-less UTF-16, UTF-8, a page's declared charset, and legacy
encodings told apart by how much their text reads like a language.

A legacy encoding is never a silent guess. charset-normalizer proposes the encodings that decode
the bytes into text that is not a mess (its chaos measure, with its own default ceiling); each
proposal then has to read as a language: language ID must name one, and the letters outside
ASCII must be ones that language's common words are written with (the characters of its 20,000
most frequent words in wordfreq). The best proposal that passes wins. Bytes that are not UTF-8
and that no proposal reads as a language are an error naming the first invalid byte: "rose \xff\xfe
quickly" read as cp1251 is "rose яю quickly", English with two Cyrillic letters, and is refused.
"""
from __future__ import annotations

import codecs
import re
from functools import lru_cache

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
    best = _guess_legacy(data)
    if best is not None:
        return best
    lenient = data.decode("utf-8", errors="replace")
    valid_multibyte = sum(1 for ch in lenient if ord(ch) > 127 and ch != "\ufffd")
    if valid_multibyte >= 3:
        raise InputError(f"is mostly UTF-8 but has invalid bytes (first at offset {bad}); it may mix "
                         "encodings: convert it to UTF-8", path)
    raise InputError(f"is not UTF-8 (invalid byte at offset {bad}) and no other encoding reads as a "
                     "language; convert it to UTF-8", path)


# legacy encodings people still have files in
LEGACY = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1256", "cp1257", "cp1258", "gb18030",
          "big5", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949", "koi8_r", "koi8_u", "iso8859_8")
#: the least language-ID confidence, and the least share of a text's non-ASCII letters found in
#: its language's common words, for a legacy decoding to be believed
MIN_LANGUAGE, MIN_KNOWN_CHARS = 0.5, 0.95
#: bytes of a file the detection reads
SAMPLE = 20000


def _guess_legacy(data: bytes) -> tuple[str, str] | None:
    """The legacy encoding whose text reads as a language (see the module's docstring), or None."""
    from charset_normalizer import from_bytes

    from ..errors import LanguageError
    from ..text.langid import detect

    sample = data[:SAMPLE]
    if len(data) > SAMPLE and b"\n" in sample[SAMPLE // 2:]:
        sample = sample[:sample.rfind(b"\n")]  # do not cut a multi-byte character in two
    best = None
    for match in from_bytes(sample, cp_isolation=list(LEGACY)):
        text = str(match)
        try:
            lang, prob = detect(text)
            langs = [lang]
        except LanguageError:
            # too little text for language ID (a one-line file): the languages written in the
            # script of its letters outside ASCII, with a middling confidence; their letters decide
            langs, prob = _script_languages(text), MIN_LANGUAGE
        known = max((_known_share(text, lang) for lang in langs), default=0.0)
        if prob < MIN_LANGUAGE or known < MIN_KNOWN_CHARS:
            continue
        # ties (cp1252 and cp1250 read "café" alike) go to the encoding listed first
        score = (round(prob * known - match.chaos, 6), -LEGACY.index(match.encoding) if match.encoding in LEGACY else -99)
        if best is None or score > best[0]:
            best = (score, match.encoding)
    if best is None:
        return None
    try:
        return data.decode(best[1]), best[1]
    except UnicodeDecodeError:
        return None


def _known_share(text: str, lang: str) -> float:
    """The share of ``text``'s non-ASCII letters that ``lang``'s common words are written with
    (1.0 without any; 0.0 for a language wordfreq has no list of)."""
    letters = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    if not letters:
        return 1.0
    alphabet = _alphabet(lang)
    return sum(1 for ch in letters if ch.lower() in alphabet) / len(letters)


@lru_cache(maxsize=16)
def _alphabet(lang: str) -> frozenset:
    """The characters of ``lang``'s 20,000 most frequent words (wordfreq), lower case. wordfreq
    keeps Chinese in simplified characters; a traditional character counts when its simplified
    form is there (wordfreq's own mapping)."""
    from wordfreq import available_languages, get_frequency_dict

    if lang not in available_languages():
        return frozenset()
    freq = get_frequency_dict(lang)
    top = sorted(freq, key=freq.get, reverse=True)[:20000]
    chars = set("".join(top).lower())
    if lang == "zh":
        chars |= {t for t, simple in _simplified().items() if len(t) == 1 and simple in chars}
    return frozenset(chars)


def _simplified() -> dict:
    """wordfreq's traditional-to-simplified character map (empty when it is not there)."""
    import gzip
    from pathlib import Path

    import wordfreq

    path = Path(wordfreq.__file__).parent / "data" / "_chinese_mapping.msgpack.gz"
    try:
        import msgpack

        with gzip.open(path) as fh:
            table = msgpack.load(fh, raw=False, strict_map_key=False)
    except (OSError, ImportError, ValueError):
        return {}
    return {chr(k) if isinstance(k, int) else k: chr(v) if isinstance(v, int) else v for k, v in table.items()}


#: the languages to try for a script when the text is too short for language ID
_SCRIPTS = {"CYRILLIC": ("ru", "uk", "bg", "mk"), "GREEK": ("el",), "ARABIC": ("ar", "fa", "ur"),
            "HEBREW": ("he",), "HANGUL": ("ko",), "HIRAGANA": ("ja",), "KATAKANA": ("ja",),
            "CJK": ("zh", "ja"), "THAI": (), "LATIN": ("fr", "de", "es", "pt", "it", "pl", "cs", "tr", "vi")}


def _script_languages(text: str) -> list[str]:
    """The languages written in the most frequent script of ``text``'s non-ASCII letters."""
    import unicodedata
    from collections import Counter

    scripts = Counter(unicodedata.name(ch, "?").split(" ")[0] for ch in text if ord(ch) > 127 and ch.isalpha())
    if not scripts:
        return []
    top = scripts.most_common(1)[0][0]
    if top == "CJK" and (scripts["HIRAGANA"] or scripts["KATAKANA"]):
        return ["ja"]
    return list(_SCRIPTS.get(top, ()))


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

