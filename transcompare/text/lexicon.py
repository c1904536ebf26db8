"""Proper names in Latin script, folded so that Hà Nội = Hanoi and Qatars ~ Qatar.

Names are runs of capitalised words (and all-caps acronyms). A sentence-initial word counts only
if the document also writes it capitalised in mid-sentence. Country names in any language come
from babel's locale data (CLDR), so "Germany" finds "Deutschland", "Đức" or "Allemagne".
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import regex as re

# words for matching names: Latin (with marks), digits, and other alphabets; Han, kana and the
# like are left out (they have no word spaces, and names in them are not spelled in Latin)
WORD = re.compile(r"[\p{Latin}\p{M}]+|\p{N}+|\p{Cyrillic}+|\p{Greek}+|\p{Arabic}+|\p{Hebrew}+")
# Latin-script words only, so that a name written against Chinese characters ("Twitter服务")
# is still a word of its own
_CAP = re.compile(r"(?<![\p{Latin}\p{N}])(\p{Lu}[\p{Latin}\p{M}'’\-]*\p{Latin}|\p{Lu}{2,}|\p{Lu})(?![\p{Latin}\p{N}])")
# capitalised words that are not names (titles, calendar words, sentence-initial function words)
STOP = {
    "en": {"mr", "mrs", "ms", "dr", "prof", "assoc", "sen", "rep", "gov", "president", "minister",
           "prime", "deputy", "chairman", "chairwoman", "chancellor", "secretary", "director", "chief",
           "general", "governor", "mayor", "king", "queen", "prince", "pope", "senator", "judge",
           "professor", "doctor", "officer", "ceo", "monday", "tuesday", "wednesday", "thursday",
           "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
           "july", "august", "september", "october", "november", "december", "jan", "feb", "mar",
           "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "the", "a", "an", "i",
           "he", "she", "it", "we", "they", "in", "on", "at", "but", "and", "this", "that", "his",
           "her", "their", "our", "its", "after", "before", "when", "while", "if", "as", "for",
           "according", "some", "many", "most", "all", "there", "officials", "state", "federal",
           "national", "international", "department", "ministry", "committee", "council", "court",
           "university", "north", "south", "east", "west", "northern", "southern", "eastern",
           "western", "central", "new", "old", "great", "first", "last", "street", "river", "lake",
           "mount", "sea", "ocean", "province", "city", "county", "district", "region", "republic",
           "kingdom", "union", "party", "army", "navy", "force", "police", "bank", "group", "inc",
           "corp", "co", "ltd", "st", "jr", "sr", "ii", "iii", "iv", "ok", "tv", "am", "pm", "no",
           "yes", "not"},
    "vi": {"ông", "bà", "anh", "chị", "tp", "ts", "pgs", "gs", "ths", "thủ", "tướng", "chủ", "tịch",
           "bộ", "trưởng", "phó", "tổng", "thống", "thứ", "tháng", "ngày", "năm", "hai", "ba", "tư",
           "sáu", "bảy", "chủ nhật", "theo", "tại", "trong", "khi", "sau", "các", "những", "một",
           "tỉnh", "thành", "phố", "huyện", "xã", "sông", "hồ", "núi", "viện", "trường", "đại", "học",
           "hội", "ban", "ủy", "nhân", "dân", "quốc", "gia", "nhà", "nước", "chính", "phủ", "ubnd",
           "và", "nhưng", "cơ", "quan", "công", "ty", "ngân", "hàng", "liên", "đoàn"},
    "de": {"herr", "frau", "dr", "prof", "der", "die", "das", "ein", "eine", "er", "sie", "es", "wir",
           "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "januar",
           "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "dezember", "präsident", "minister", "ministerin", "kanzler", "bundeskanzler",
           "im", "am", "vom", "zum", "zur", "beim", "ins", "in", "an", "auf", "aus", "bei", "mit",
           "nach", "seit", "von", "zu", "für", "über", "unter", "vor", "durch", "gegen", "ohne",
           "um", "und", "oder", "aber", "als", "wenn", "dass", "wie", "auch", "nur", "diese",
           "dieser", "dieses", "den", "dem", "des", "einem", "einen", "einer", "ihr", "ihre", "sein",
           "seine", "laut", "nachdem", "während", "doch", "so", "da", "es", "man"},
    "fr": {"m", "mme", "mlle", "le", "la", "les", "un", "une", "il", "elle", "lundi", "mardi",
           "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "janvier", "février", "mars", "avril",
           "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
           "président", "présidente", "ministre", "selon", "premier"},
    "es": {"sr", "sra", "el", "la", "los", "las", "un", "una", "lunes", "martes", "miércoles",
           "jueves", "viernes", "sábado", "domingo", "enero", "febrero", "marzo", "abril", "mayo",
           "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre", "presidente",
           "presidenta", "ministro", "ministra", "según"},
}
_ALL_STOP = set().union(*STOP.values())
#: languages written in Latin script: elsewhere a Latin-script word is a name (or a brand) even
#: at the start of a sentence
LATIN_SCRIPT_LANGS = frozenset({
    "en", "vi", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sk", "sv", "da", "no", "nb", "fi",
    "hu", "ro", "tr", "id", "ms", "tl", "ca", "hr", "sl", "lt", "lv", "et", "sq", "sw", "af", "ga",
    "eu", "gl", "is", "mt", "cy", "lb"})


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Lowercase, strip diacritics and everything that is not a letter or digit: 'Hà Nội' -> 'hanoi'."""
    s = s.replace("đ", "d").replace("Đ", "D").replace("ß", "ss").replace("ø", "o").replace("Ø", "O")
    s = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in s if ch.isalnum() and not unicodedata.combining(ch)).lower()


@dataclass(frozen=True)
class Name:
    start: int
    end: int
    text: str
    key: str  # folded
    tokens: tuple[str, ...]  # folded tokens


def doc_capitalised(texts: list[str]) -> set[str]:
    """Words a document writes capitalised somewhere other than at the start of a sentence."""
    seen: set[str] = set()
    for t in texts:
        for m in _CAP.finditer(t):
            if m.start() > 0 and not re.match(r"^\W*$", t[:m.start()]):
                seen.add(m.group(0))
    return seen


def lowercase_words(texts: list[str]) -> set[str]:
    """Folded words a document writes in lower case somewhere: "Muy" or "Cuando" at the head
    of a quoted clause is the word "muy", not a name."""
    return {fold(m.group(0)) for t in texts for m in WORD.finditer(t) if m.group(0)[:1].islower()}


#: Zipf frequency (about once per million words) from which a word counts as common
COMMON_ZIPF = 3.0


def specificity(name: Name, own: str, other: str) -> float | None:
    """How much more common the name's words are in its own language than in the other one,
    in Zipf units (wordfreq): a name kept as it is across languages ("Somalia") is about as
    common in both (< 1.5), a translated title ("Chambre", "Facultad de Artes", "Giải") is a
    common word of its own language (2-4), and a rare word ("Raonic") counts 0. The largest
    over the words of three letters or more; ``None`` where wordfreq has no list for a
    language."""
    langs = wordfreq_languages()
    if own not in langs or other not in langs:
        return None
    words = [t for t in re.findall(r"[\p{L}\p{M}]+", name.text) if len(t) >= 3]
    if not words:
        return None

    def spec(w: str) -> float:
        z = zipf(w, own)
        # a word rare in its own language says nothing (a name, or a word too rare to matter);
        # absent from the other language's list, it is no more a word of its own for that
        return z - zipf(w, other) if z >= COMMON_ZIPF else 0.0

    return max(spec(w) for w in words)


def zipf(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency of a word (0 where unknown, or the language has no list)."""
    if lang not in wordfreq_languages():
        return 0.0
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


@lru_cache(maxsize=1)
def wordfreq_languages() -> frozenset:
    """The languages wordfreq has word lists for (those the name checks can use)."""
    from wordfreq import available_languages

    # Chinese and Japanese lists need a word segmenter (jieba, MeCab) we do not install; the
    # names looked up here are Latin-script words, which those lists barely hold anyway
    return frozenset(available_languages()) - {"zh", "ja"}


#: particles that join the words of one name ("Ludwig van Beethoven", "Osama bin Laden")
CONNECTORS = ("van", "von", "der", "de", "da", "del", "di", "la", "le", "bin", "al")


def extract(text: str, lang: str, capitalised: set[str] | None = None) -> list[Name]:
    """Runs of capitalised Latin-script words in ``text``; function words and titles left out."""
    base = lang.split("-")[0].lower()
    stop = STOP.get(base, set()) | STOP["en"]
    runs: list[list[re.Match]] = []
    prev_end = -10
    lead = re.match(r"^[\W\d_]*", text).end()
    # words that start a sentence inside this one (after ". " or a quote) are not names either
    starts = {m.end() for m in re.finditer(r"[.!?:]['\"”’»]?\s+['\"“‘«]?|^['\"“‘«(]+", text)}
    for m in _CAP.finditer(text):
        word = m.group(0)
        if not re.match(r"\p{Latin}", word):
            prev_end = -10
            continue
        low = word.lower().strip("'’-")
        initial = (m.start() <= lead or m.start() in starts) and base in LATIN_SCRIPT_LANGS
        if low in stop or (len(word) == 1) or (initial and capitalised is not None
                                                  and word not in capitalised and not word.isupper()):
            prev_end = -10
            continue
        gap = text[prev_end:m.start()] if prev_end >= 0 else None
        if runs and gap is not None and re.fullmatch(r"[ \-]|\s(?:" + "|".join(CONNECTORS) + r")\s", gap):
            runs[-1].append(m)
        else:
            runs.append([m])
        # a possessive ends a name: "Richard Branson's Virgin Group" is two
        prev_end = -10 if re.search(r"['’]s$", word) else m.end()
    out = []
    for r in runs:
        s, e = r[0].start(), r[-1].end()
        toks = tuple(fold(x.group(0)) for x in r)
        out.append(Name(s, e, text[s:e], "".join(toks), toks))
    return out


def unshared(name: Name, text: str, other_words: set[str]) -> Name:
    """The part of a name the other side does not write: where a name shares some of its words
    with the other side ("Abu Ghraib" against "Abu Colbert Report"), the longest run of its
    words that are not there ("Ghraib"); the name as it is where it shares none or all."""
    parts = [m for m in _CAP.finditer(name.text) if re.match(r"\p{Latin}", m.group(0))]
    shared = [all(fold(w) in other_words for w in WORD.findall(m.group(0))) for m in parts]
    if len(parts) < 2 or not any(shared) or all(shared):
        return name
    runs, run = [], []
    for m, sh in zip(parts, shared):
        if sh:
            run = []
            continue
        if not run:
            runs.append(run)
        run.append(m)
    best = max(runs, key=lambda r: r[-1].end() - r[0].start())
    a, b = name.start + best[0].start(), name.start + best[-1].end()
    toks = tuple(fold(m.group(0)) for m in best)
    return Name(a, b, text[a:b], "".join(toks), toks)


@lru_cache(maxsize=64)
def exonyms(src_lang: str, tgt_lang: str) -> dict[str, set[str]]:
    """Folded country/region names in ``src_lang`` -> folded names of the same place in ``tgt_lang``."""
    try:
        from babel import Locale
    except ImportError:  # pragma: no cover
        return {}
    try:
        s = Locale.parse(src_lang.split("-")[0]).territories
        t = Locale.parse(tgt_lang.split("-")[0]).territories
    except Exception:
        return {}
    out: dict[str, set[str]] = {}
    for code, name in s.items():
        if code in t:
            out.setdefault(fold(name), set()).add(fold(t[code]))
    if src_lang.startswith("en") and tgt_lang.split("-")[0] in ("en",):
        pass
    return out


@lru_cache(maxsize=32)
def place_names(lang: str) -> frozenset:
    """Folded names of countries and territories in ``lang`` (CLDR, through babel; not the
    numbered regions such as "Welt" or "Afrika")."""
    try:
        from babel import Locale

        names = Locale.parse(lang.split("-")[0]).territories
    except Exception:
        return frozenset()
    return frozenset(fold(n) for code, n in names.items() if code.isalpha())


def found_in(name: Name, target_text_folded: str, target_words: set[str],
             table: dict[str, set[str]]) -> bool:
    """Whether ``name`` appears in a target text: folded, as any of its words, inflected, or as its exonym."""
    if len(name.key) >= 2 and name.key in target_text_folded:
        return True
    # a person is found by the surname ("Jake Sullivan" -> "Sullivan"), not by a shared first
    # name ("Graham Hollis" is not "Graham Lawson"); one-word names by themselves
    tok = name.tokens[-1] if name.tokens else ""
    if len(tok) >= 3:
        if len(tok) >= 4 and tok in target_text_folded:
            return True
        for w in target_words:
            # inflection: Qatars / Qatar, Merkels / Merkel, Putina / Putin
            if len(w) >= 4 and (w.startswith(tok) and len(w) - len(tok) <= 3 or
                                tok.startswith(w) and len(tok) - len(w) <= 2):
                return True
    if len(tok) >= 5:
        # the same name spelled another way: Valetta / Valletta, Missouri / Misuri, Hanover /
        # Hannover (a swap to a name this close would be missed; spelling variants are common)
        for w in target_words:
            if len(w) >= 5 and w[0] == tok[0] and abs(len(w) - len(tok)) <= 2 and \
                    SequenceMatcher(None, tok, w).ratio() >= 0.8:
                return True
    if len(name.tokens) >= 2:
        initials = "".join(t[0] for t in name.tokens if t)
        if initials in target_words:  # "Ho Chi Minh" -> "HCM"
            return True
    for alt in table.get(name.key, ()):
        if alt and alt in target_text_folded:
            return True
    return False
