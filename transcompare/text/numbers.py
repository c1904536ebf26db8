"""Numbers in running text, read by locale, so the same quantity matches across languages.

``extract(text, lang)`` returns :class:`NumberAtom` s. Each atom keeps every reading its surface
allows (``1.700`` is 1700 in German and 1.7 in English; ``4,5 tỷ`` is 4.5 and 4.5e9), so two
atoms match when their readings meet. Digits are *required* atoms: a required atom without a
counterpart is a mismatch. Number words ("two", "hai", "zwei"), month names and CJK numerals are
*optional*: they can be the counterpart of a digit, but a translation may drop them without blame
("one of the..." becomes "một trong những...", "a million" becomes "1 triệu").
"""
from __future__ import annotations

from dataclasses import dataclass

import regex as re

_SEP = r"[.,\u00a0\u202f\u2009 '’\u066c\u060c]"
_NUM = re.compile(
    r"(?<![\p{Latin}\p{Cyrillic}\p{Greek}\d.,\u066b\u066c]|(?<=م)(?=[23](?!\d)))"
    r"(\d{1,3}(?:(" + _SEP + r")\d{3})(?:\2\d{3})*(?:[.,\u066b]\d+)?|\d+(?:[.,\u066b]\d+)?)"
    r"(?![\d])"
)
_TIME_AFTER = re.compile(r"^\s*(?:uhr|h\b|giờ|heures?|hrs?\b|hours?|a\.?m\.?|p\.?m\.?|o'clock|utc|gmt|点|時)", re.I)
_TIME_BEFORE = re.compile(r"(?:\bat|\bum|\bgegen|\bà|\bvers|\blas|\blúc|\baround|\babout|\bbis|\bab)\s*$", re.I)
_PM = re.compile(r"^\s*(p\.?\s?m\.?|pm\b|chiều|tối|下午|晚上)", re.I)
_PM_BEFORE = re.compile(r"(下午|晚上|chiều|tối)\s*$")

# magnitude words after a number, per language family (lowercase, matched as prefixes of a word)
_MAGNITUDES = {
    "en": {"thousand": 1e3, "million": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12},
    "de": {"tausend": 1e3, "tsd": 1e3, "mio": 1e6, "million": 1e6, "mrd": 1e9, "milliarde": 1e9, "billion": 1e12, "bio": 1e12},
    "fr": {"mille": 1e3, "million": 1e6, "millions": 1e6, "md": 1e9, "mrd": 1e9, "milliard": 1e9, "billion": 1e12},
    "es": {"mil": 1e3, "millón": 1e6, "millon": 1e6, "millones": 1e6, "mill": 1e6, "mil millones": 1e9, "billón": 1e12, "billones": 1e12},
    "vi": {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9, "nghìn tỷ": 1e12},
    "ru": {"тыс": 1e3, "тысяч": 1e3, "млн": 1e6, "миллион": 1e6, "млрд": 1e9, "миллиард": 1e9, "трлн": 1e12, "триллион": 1e12},
    "ar": {"ألف": 1e3, "آلاف": 1e3, "مليون": 1e6, "ملايين": 1e6, "مليار": 1e9, "مليارات": 1e9},
    "pt": {"mil": 1e3, "milhão": 1e6, "milhões": 1e6, "bilhão": 1e9, "bilhões": 1e9},
    "it": {"mila": 1e3, "milione": 1e6, "milioni": 1e6, "miliardo": 1e9, "miliardi": 1e9},
}
_CJK_MAG = {"千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "兆": 1e12, "百": 1e2}

_WORDS = {
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
           "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
           "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
           "hundred": 100, "thousand": 1000, "million": 1e6, "billion": 1e9, "dozen": 12,
           "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
           "eighth": 8, "ninth": 9, "tenth": 10, "half": 0.5, "quarter": 0.25, "twice": 2, "double": 2, "triple": 3,
           "once": 1, "single": 1, "both": 2, "pair": 2, "decade": 10, "decades": 10, "century": 100,
           "dozens": 12, "hundreds": 100, "thousands": 1000},
    "de": {"ein": 1, "eine": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7,
           "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30,
           "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
           "hundert": 100, "tausend": 1000, "erste": 1, "ersten": 1,
           "zweite": 2, "zweiten": 2, "dritte": 3, "dritten": 3, "vierte": 4, "vierten": 4, "fünfte": 5,
           "fünften": 5, "sechste": 6, "siebte": 7, "achte": 8, "neunte": 9, "zehnte": 10, "halb": 0.5, "hälfte": 0.5,
           "beide": 2, "beiden": 2, "doppelt": 2, "dutzend": 12, "anderthalb": 1.5, "eineinhalb": 1.5},
    "fr": {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
           "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "vingt": 20, "trente": 30, "quarante": 40,
           "cinquante": 50, "cent": 100, "mille": 1000, "premier": 1, "première": 1, "deuxième": 2,
           "second": 2, "seconde": 2, "troisième": 3, "moitié": 0.5, "demi": 0.5, "deux fois": 2,
           "douzaine": 12, "dizaine": 10, "centaine": 100, "quatrième": 4, "cinquième": 5, "sixième": 6,
           "septième": 7, "huitième": 8, "neuvième": 9, "dixième": 10, "onzième": 11, "douzième": 12,
           "vingtaine": 20, "trentaine": 30, "quarantaine": 40, "cinquantaine": 50},
    "es": {"un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
           "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "veinte": 20, "treinta": 30,
           "cuarenta": 40, "cincuenta": 50, "cien": 100, "ciento": 100, "mil": 1000, "primer": 1,
           "primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercer": 3, "tercero": 3,
           "tercera": 3, "mitad": 0.5, "medio": 0.5, "ambos": 2, "ambas": 2, "doble": 2, "docena": 12,
           "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6, "séptimo": 7,
           "séptima": 7, "octavo": 8, "octava": 8, "noveno": 9, "novena": 9, "décimo": 10, "décima": 10,
           "undécimo": 11, "undécima": 11, "undécimos": 11, "duodécimo": 12},
    "vi": {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
           "mười": 10, "mươi": 10, "trăm": 100, "nghìn": 1000, "ngàn": 1000, "nhất": 1, "nhì": 2,
           "nửa": 0.5, "rưỡi": 0.5, "đôi": 2, "chục": 10, "tá": 12},
    "ru": {"один": 1, "одна": 1, "одно": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5,
           "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10, "двадцать": 20, "сто": 100,
           "тысяча": 1000, "первый": 1, "второй": 2, "третий": 3, "половина": 0.5, "оба": 2, "обе": 2,
           "двух": 2, "двум": 2, "двое": 2, "трех": 3, "трёх": 3, "трое": 3, "четырех": 4, "четырёх": 4,
           "пяти": 5, "шести": 6, "семи": 7, "восьми": 8, "девяти": 9, "десяти": 10, "двадцати": 20,
           "тридцати": 30, "сорока": 40, "пятидесяти": 50, "ста": 100, "сотни": 100, "тысячи": 1000,
           "четвертый": 4, "четвёртый": 4, "пятый": 5, "шестой": 6, "седьмой": 7, "восьмой": 8,
           "девятый": 9, "десятый": 10, "одну": 1, "одного": 1, "одной": 1, "одним": 1, "одном": 1,
           "двумя": 2, "тремя": 3, "полтора": 1.5, "полторы": 1.5, "тридцать": 30, "сорок": 40},
    "ar": {"واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتين": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4,
           "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8,
           "تسعة": 9, "تسع": 9, "عشرة": 10, "عشر": 10, "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "أربعين": 40,
           "خمسين": 50, "مئة": 100, "مائة": 100, "ألف": 1000, "نصف": 0.5, "أول": 1, "أولى": 1,
           "ثاني": 2, "ثالث": 3, "رابع": 4, "خامس": 5, "سادس": 6, "سابع": 7, "ثامن": 8, "تاسع": 9, "عاشر": 10,
           "ثلاثون": 30, "أربعون": 40, "خمسون": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
           "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90, "عشرينيات": 20, "ثلاثينيات": 30,
           "أربعينيات": 40, "خمسينيات": 50, "ستينيات": 60, "سبعينيات": 70, "ثمانينيات": 80, "تسعينيات": 90,
           "عشرينات": 20, "ثلاثينات": 30, "أربعينات": 40, "خمسينات": 50, "ستينات": 60, "سبعينات": 70,
           "ثمانينات": 80, "تسعينات": 90, "حادي": 1, "حادية": 1,
           # duals: "two hours", "two days", "two years", "two months", "twice", "two minutes", "two weeks"
           "ساعتين": 2, "ساعتان": 2, "يومين": 2, "يومان": 2, "سنتين": 2, "عامين": 2, "عامان": 2,
           "شهرين": 2, "مرتين": 2, "دقيقتين": 2, "أسبوعين": 2},
}
_MONTHS = {
    "en": ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"],
    "de": ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
           "oktober", "november", "dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"],
    "ru": ["январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр",
           "ноябр", "декабр"],
}
_CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6,
               "七": 7, "八": 8, "九": 9, "十": 10, "百": 100, "千": 1000, "万": 1e4, "亿": 1e8, "半": 0.5}
_CJK_RUN = re.compile(r"[零〇一二两兩三四五六七八九十百千万亿半]+")
_CJK_NOT_NUMBER = re.compile(r"^(一些|一直|一起|一样|一般|一切|一定|一旦|一边|一致|一方面|一度|一再|一同|一道|"
                             r"一向|一律|一下|一点|一家|一带|一线|之一|万一|一体|统一|唯一|第一时间|千万|一行)")
_WORD_RE = re.compile(r"[\p{L}]+")
# "<number word> <unit> and a half": French, Spanish, Italian, Portuguese, Vietnamese, Arabic, Russian
_AND_A_HALF = re.compile(r"^\s+\p{L}+\s+(?:et\s+demie?|y\s+medi[ao]|e\s+mezz[ao]|e\s+meia|rưỡi|ونصف|с\s+половиной)\b")


# "4x4", "6×6": a drive configuration unless a unit follows (a 6x6 cm format is a size)
_DRIVE = re.compile(r"(?<!\d)([2-8])\s?[x×]\s?\1(?!\d)(?!\s*(?:cm|mm|m|km|in|ft|inch|meter|metre|px)\b)", re.I)
_AR_ONE_AND_A_HALF = re.compile(r"(?:ساعة|يوم|سنة|عام|شهر|ميل|كيلومتر|متر)\s+ونصف")


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one insertion, deletion, substitution or swap ("Novemeber")."""
    if a == b:
        return True
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    if len(a) > len(b):
        a, b = b, a
    return any(a == b[:k] + b[k + 1:] for k in range(len(b)))


@dataclass(frozen=True)
class NumberAtom:
    start: int
    end: int
    text: str
    values: frozenset  # every reading, rounded
    required: bool


def _round(v: float) -> float:
    return float(f"{v:.6g}")


def _readings(tok: str, lang: str) -> set[float]:
    """All values a digit string can mean, given where separators stand."""
    t = (tok.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ").replace("’", "'")
         .replace("\u066c", ",").replace("\u060c", ",").replace("\u066b", "."))
    out: set[float] = set()
    groups = re.fullmatch(r"(\d{1,3})((?:[., ']\d{3})+)([.,]\d+)?", t)
    if groups:
        seps = {c for c in groups.group(2) if not c.isdigit()}
        digits = re.sub(r"\D", "", groups.group(1) + groups.group(2))
        dec = groups.group(3)
        if len(seps) == 1:
            sep = seps.pop()
            if dec is None or dec[0] != sep:
                whole = float(digits)
                out.add(whole + (float("0." + dec[1:]) if dec else 0.0))
            if dec is None and groups.group(2).count(sep) == 1 and sep in ".,":
                # "1.700" / "1,700": thousands or a decimal with three places
                out.add(float(t.replace(sep, ".")))
    if not out:
        if re.fullmatch(r"\d+[.,]\d+", t):
            out.add(float(t.replace(",", ".")))
        elif re.fullmatch(r"\d+", t):
            out.add(float(t))
        else:
            try:
                out.add(float(re.sub(r"[^\d]", "", t)))
            except ValueError:
                pass
    return out


def _magnitude(after: str, lang: str) -> float | None:
    m = re.match(r"\s*([\p{L}.]+(?:\s+[\p{L}]+)?)", after)
    if not m:
        return None
    words = m.group(1).lower().rstrip(".")
    table = _MAGNITUDES.get(lang, {})
    best = None
    for key, val in list(table.items()) + list(_MAGNITUDES["en"].items() if lang != "en" else []):
        if len(key) == 1:  # "$5m", "$3b": only glued to the number
            if re.match(r"^" + key + r"\b", after.lower()):
                best = best or val
            continue
        if words == key or words.startswith(key + " ") or (words.startswith(key) and len(key) >= 3):
            if best is None or len(key) > 3:
                best = val if best is None or val > best else best
    return best


def extract(text: str, lang: str) -> list[NumberAtom]:
    """The numbers of ``text`` in ``lang``: figures (with their magnitudes, "3.2 million",
    "5 万"), number words and month names, Roman numerals and Chinese numerals, in text order."""
    base = lang.split("-")[0].lower()
    atoms, taken = _figures(text, base)
    atoms += _number_words(text, base)
    atoms += _other_numerals(text, base, taken)
    atoms.sort(key=lambda a: a.start)
    return atoms


def _figures(original: str, base: str) -> tuple[list[NumberAtom], list[bool]]:
    """The atoms of the figures written in digits, and which characters they take."""
    atoms: list[NumberAtom] = []
    taken = [False] * (len(original) + 1)
    # "36x24 mm", "6 × 6 cm": the x separates two figures (same length, so offsets hold)
    text = re.sub(r"(?<=\d)\s*[x×]\s*(?=\d)", lambda m: " " * len(m.group(0)), original)
    drives = [(d.start(), d.end()) for d in _DRIVE.finditer(original)]
    for m in _NUM.finditer(text):
        found = _figure(m, text, original, base, drives)
        if found is None:
            continue
        new, end = found
        atoms += new
        for i in range(m.start(), end):
            taken[i] = True
    return atoms, taken


def _figure(m, text: str, original: str, base: str, drives: list) -> tuple[list[NumberAtom], int] | None:
    """The atoms one figure gives (its value, and the readings a decade, a fraction or a time
    adds), and where it ends (after a magnitude such as 万)."""
    tok = m.group(1)
    vals = _readings(tok, base)
    if not vals:
        return None
    vals, after, end = _magnified(vals, text, m.end(), base)
    atoms = []
    if _PM.match(after) or _PM_BEFORE.search(text[max(0, m.start() - 4):m.start()]):
        vals = vals | {v + 12 for v in vals if v < 12}
    if re.match(r"(?:'|’)?s\b", text[m.end():m.end() + 3]) and re.fullmatch(r"\d{3}0", tok):
        # "the 1960s" -> "les années 60"; "20 世纪 60 年代" also names the century
        vals = vals | {float(tok[2:])}
        atoms.append(NumberAtom(m.start(), end, original[m.start():end],
                                frozenset({float(int(tok[:2]) + 1)}), False))
    # a figure glued to a word by a hyphen is part of a name ("COVID-19", "Il-76", "Formel-1"),
    # and a superscript is an exponent (km<sup>2</sup>): they may match, nothing demands it
    glued = (m.start() >= 2 and text[m.start() - 1] in "-‐" and text[m.start() - 2].isalpha()) or \
        text[max(0, m.start() - 5):m.start()].lower() == "<sup>"
    yr = re.search(r"(\d\d)\d\d\s?[-–]\s?$", text[max(0, m.start() - 7):m.start()])
    if yr and re.fullmatch(r"\d\d", tok):
        vals = vals | {float(yr.group(1) + tok)}  # "1995-96" = 1995-1996
    fraction, in_fraction = _fraction(m, text, original, tok, end)
    if fraction is not None:
        atoms.append(fraction)
    if in_fraction:
        glued = True
    if any(a <= m.start() < b for a, b in drives):
        glued = True  # "a 4x4" is a kind of vehicle ("Allradantrieb", "四驱"), not a quantity
    required = any(v != 0 for v in vals) and not glued
    times = _time_atoms(m, tok, text, original, end)
    if times:
        required = False  # its hour and minutes carry the match
        atoms += times
    atoms.append(NumberAtom(m.start(), end, original[m.start():end], frozenset(_round(v) for v in vals), required))
    return atoms, end


def _magnified(vals: set[float], text: str, end: int, base: str) -> tuple[set[float], str, int]:
    """A figure's values with the magnitude after it ("3 million", "5 万", "2 tỷ") as readings
    too; the text after it, and where it ends."""
    after = text[end:end + 24]
    if after[:1] == " " and after[1:2] in _CJK_MAG and after[1:2] != "百":
        after = after[1:]
        end += 1
    if after[:1] in _CJK_MAG:
        k = 1
        mag = 1.0
        while k <= len(after) and after[k - 1] in _CJK_MAG:
            mag *= _CJK_MAG[after[k - 1]]
            k += 1
        vals = vals | {v * mag for v in vals}
        end += k - 1
    else:
        mag = _magnitude(after, base)
        if mag:
            vals = vals | {v * mag for v in vals}
    return vals, after, end


def _fraction(m, text: str, original: str, tok: str, end: int) -> tuple[NumberAtom | None, bool]:
    """A figure that is a fraction's numerator ("1/4": an atom for a quarter) or its
    denominator; the bool says it is part of one (so its digits need no counterpart)."""
    fr = re.match(r"/(\d{1,2})(?![\d/])", text[end:end + 4]) if re.fullmatch(r"\d{1,2}", tok) else None
    if fr and int(tok) < int(fr.group(1)) <= 10 and not re.search(r"\d/$", text[max(0, m.start() - 3):m.start()]):
        # "1/4" is a quarter: its value matches "quarter", its digits need no counterpart
        return NumberAtom(m.start(), end + len(fr.group(0)), original[m.start():end + len(fr.group(0))],
                          frozenset({_round(int(tok) / int(fr.group(1)))}), True), True
    if re.search(r"(?<!\d)\d{1,2}/$", text[max(0, m.start() - 3):m.start()]) and re.fullmatch(r"\d{1,2}", tok) \
            and not re.match(r"/\d", text[end:end + 2]):
        prev = re.search(r"(\d{1,2})/$", text[max(0, m.start() - 3):m.start()])
        if prev and int(prev.group(1)) < int(tok) <= 10:
            return None, True  # the denominator of a fraction read above
    return None, False


def _time_atoms(m, tok: str, text: str, original: str, end: int) -> list[NumberAtom]:
    """A figure that is a time of day ("11.29 Uhr", "0930 GMT"): its hour and its minutes, each
    an atom that can match "11:29"."""
    hm = re.fullmatch(r"(\d{1,2})[.:h](\d{2})", tok) or (
        re.fullmatch(r"([01]\d|2[0-3])([0-5]\d)", tok) if re.match(r"\s*(?:UTC|GMT|Z\b|hrs?\b|hours\b)", text[end:end + 6]) else None)
    timeish = hm and (len(tok) == 4 and tok.isdigit() or _TIME_AFTER.match(text[end:end + 10])
                      or _TIME_BEFORE.search(text[max(0, m.start() - 12):m.start()]))
    if not (hm and timeish and int(hm.group(1)) < 24 and int(hm.group(2)) < 60):
        return []
    return [NumberAtom(m.start(), end, original[m.start():end], frozenset({float(hm.group(g))}), False)
            for g in (1, 2)]


def _word_value(found: list, k: int, text: str, base: str, words: dict, months: list) -> float | None:
    """The value of the ``k``-th word of ``text`` if it is a number word (also opening a compound,
    or in Arabic with its article and prefixes) or a month's name."""
    w = found[k]
    lw = w.group(0).lower()
    val = words.get(lw)
    if val is None and base in ("de", "nl", "sv", "da", "no", "ru") and len(lw) > 6:
        # "zweistündigen", "Neunzigfache", "dreijährige": a number word opening a compound
        for word, v in sorted(words.items(), key=lambda kv: -len(kv[0])):
            if len(word) >= 4 and lw.startswith(word) and v >= 2:
                val = v
                break
    if val is None and base == "ar":
        stem = lw[1:] if lw.startswith("و") and len(lw) > 3 and words.get(lw) is None else lw  # "والثالثة"
        stem = stem[2:] if stem.startswith("ال") else stem
        val = words.get(stem)
        if val is None and stem.endswith("ة"):
            val = words.get(stem[:-1])  # feminine ordinals: الخامسة
        if val is not None and val < 10 and k + 1 < len(found) and found[k + 1].group(0) in ("عشر", "عشرة"):
            val += 10  # "خمسة عشر" = 15
    if val is None and months:
        abbrev = text[w.end():w.end() + 1] == "."
        for i, name in enumerate(months):
            if lw == name or (base == "ru" and lw.startswith(name) and len(name) >= 3) or (
                    abbrev and len(lw) >= 3 and name.startswith(lw)) or (
                    len(name) >= 6 and abs(len(lw) - len(name)) <= 1 and _one_edit(lw, name)):
                val = i + 1
                break
    return val


def _number_words(text: str, base: str) -> list[NumberAtom]:
    """Number words ("three", "hai triệu", "une heure et demie") and month names."""
    words = _WORDS.get(base, {})
    months = _MONTHS.get(base, [])
    atoms: list[NumberAtom] = []
    if not (words or months):
        return atoms
    found = list(_WORD_RE.finditer(text))
    for k, w in enumerate(found):
        val = _word_value(found, k, text, base, words, months)
        if val is None:
            continue
        vals = {val}
        if _AND_A_HALF.match(text[w.end():w.end() + 40]) and val == int(val):
            vals.add(val + 0.5)  # "une heure et demie", "una hora y media"
        mag = _magnitude(text[w.end():w.end() + 24], base) if val < 1000 else None
        if mag and mag != val:
            vals.add(val * mag)  # "ten million", "hai triệu"
        if k + 1 < len(found) and val < 100 and text[w.end():found[k + 1].start()].strip() in ("", "-"):
            nxt = words.get(found[k + 1].group(0).lower().rstrip("s"))
            if nxt in (10, 12, 100, 1000):  # "two decades", "three dozen", "two hundred"
                vals.add(val * nxt)
        atoms.append(NumberAtom(w.start(), w.end(), w.group(0), frozenset(_round(v) for v in vals), False))
    return atoms


def _other_numerals(text: str, base: str, taken: list[bool]) -> list[NumberAtom]:
    """Arabic "an hour and a half", Roman numerals, and Chinese numerals not inside a figure."""
    atoms: list[NumberAtom] = []
    if base == "ar":
        for r in _AR_ONE_AND_A_HALF.finditer(text):  # "ساعة ونصف": an hour and a half
            atoms.append(NumberAtom(r.start(), r.end(), r.group(0), frozenset({1.5}), False))
    for r in _ROMAN_RE.finditer(text):
        val = _roman(r.group(0))
        if val:
            atoms.append(NumberAtom(r.start(), r.end(), r.group(0), frozenset({float(val)}), False))
    if base in ("zh", "ja", "yue") or any("\u4e00" <= ch <= "\u9fff" for ch in text[:200]):
        for r in _CJK_RUN.finditer(text):
            if taken[r.start()] or _CJK_NOT_NUMBER.match(text[r.start():r.start() + 4]):
                continue
            if r.start() > 0 and text[r.start() - 1] in "统唯万之第" and r.group(0) == "一":
                continue
            val = _cjk_value(r.group(0))
            if val is not None:
                atoms.append(NumberAtom(r.start(), r.end(), r.group(0), frozenset({_round(val)}), False))
    return atoms


_ROMAN_RE = re.compile(
    r"(?<![\p{L}\d])(?=[MDCLXVI]{2,}(?![\p{L}\d])|[MDCLXVI]+(?:e|er|ème|eme|º|ª|o)\b)"
    r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?=e|er|ème|eme|º|ª|o\b|(?![\p{L}\d]))")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def _roman(s: str) -> int:
    """Value of an upper-case Roman numeral of two or more letters ("XIX", "XVII"); 0 if none."""
    if not s:
        return 0
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = _ROMAN[a]
        total += -v if b != " " and _ROMAN.get(b, 0) > v else v
    return total


def _cjk_value(s: str) -> float | None:
    if s == "半":
        return 0.5
    if all(ch in "百千万亿" for ch in s):
        return None
    total, section, digit = 0.0, 0.0, 0.0
    for ch in s:
        v = _CJK_DIGITS.get(ch)
        if v is None:
            return None
        if v in (1e4, 1e8):
            total += (section + digit) * v
            section, digit = 0.0, 0.0
        elif v >= 10:
            section += (digit or 1) * v
            digit = 0.0
        elif v == 0.5:
            return None
        else:
            digit = digit * 10 + v if digit else v
    return total + section + digit


def match(src: list[NumberAtom], tgt: list[NumberAtom]) -> tuple[list[NumberAtom], list[NumberAtom]]:
    """Pair atoms whose readings meet. Returns the required atoms left without a counterpart,
    on each side. Digits pair with digits first; words and month names only fill in after."""
    used_s = [False] * len(src)
    used_t = [False] * len(tgt)

    def pair(s_req: bool | None, t_req: bool | None, from_source: bool) -> None:
        outer, inner = (src, tgt) if from_source else (tgt, src)
        used_o, used_i = (used_s, used_t) if from_source else (used_t, used_s)
        want_o, want_i = (s_req, t_req) if from_source else (t_req, s_req)
        # first pairs whose largest readings agree ("9,000" with "9000", not with the 9 of
        # "9 月"), then any shared reading
        for strict in (True, False):
            for i, a in enumerate(outer):
                if used_o[i] or (want_o is not None and a.required != want_o):
                    continue
                for j, b in enumerate(inner):
                    if used_i[j] or (want_i is not None and b.required != want_i):
                        continue
                    if (max(a.values) == max(b.values)) if strict else bool(a.values & b.values):
                        used_o[i] = used_i[j] = True
                        break

    pair(True, True, True)  # digits with digits
    pair(True, None, True)  # a source digit with a word on the other side
    pair(None, True, False)  # a target digit with a word in the source
    miss_s = [a for i, a in enumerate(src) if not used_s[i] and a.required]
    miss_t = [b for j, b in enumerate(tgt) if not used_t[j] and b.required]
    # a figure mentioned once more on one side ("since 1995-96 ... in 1995-96") is a repeat,
    # not a change, when nothing on the other side is left over
    if not miss_s:
        miss_t = [b for b in miss_t if not any(b.values & c.values for j, c in enumerate(tgt) if used_t[j])]
    if not miss_t:
        miss_s = [a for a in miss_s if not any(a.values & c.values for i, c in enumerate(src) if used_s[i])]
    return miss_s, miss_t


def word_languages() -> frozenset:
    """The languages whose number words ("three", "million") are read besides figures."""
    return frozenset(_WORDS)
