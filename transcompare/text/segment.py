"""Sentence splitting for any language, with character offsets into the original text.

sentencex does the splitting; this module fixes its known misses (abbreviations such as U.S.,
Mr., D.C., Vietnamese TP./TS./PGS., German ordinals "5. Januar", a CJK quote followed by
"他说。"), cleans Markdown inline markup, and marks lines that carry no statement (bylines,
"Source: ...", "Comment (0)") as boilerplate.
"""
from __future__ import annotations

import regex as re

from ..model import BOILERPLATE, HEADING, STATEMENT, Sentence
from ..model import RawDocument

# Abbreviations after which a period does not end a sentence (lowercase, without the final dot).
ABBREVIATIONS: dict[str, set[str]] = {
    "en": {"mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "capt", "sgt",
           "st", "jr", "sr", "inc", "corp", "co", "ltd", "vs", "no", "nos", "jan", "feb", "mar", "apr",
           "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "d.c", "e.g",
           "i.e", "a.m", "p.m", "approx", "dept", "est", "fig", "mt", "ft", "rev", "pres", "adm",
           "u.s.a", "e.u", "ph.d", "univ", "assn", "bros", "messrs", "assoc", "asst", "supt", "dist"},
    "vi": {"tp", "ts", "pgs", "gs", "ths", "bs", "ks", "ls", "q", "p", "nxb", "tt", "ubnd", "hđnd",
           "tw", "th.s", "cn", "ncs", "bsck", "đ/c", "đc", "tx", "h", "x"},
    "de": {"dr", "prof", "nr", "z.b", "bzw", "ca", "st", "usw", "vgl", "evtl", "ggf", "inkl", "sog",
           "u.a", "d.h", "z.t", "hr", "fr", "str", "abs", "bzw", "mio", "mrd", "jh", "jhd", "v.chr",
           "n.chr", "s", "dipl", "ing", "gmbh", "e.v"},
    "fr": {"m", "mm", "mme", "mmes", "mlle", "dr", "pr", "st", "ste", "av", "bd", "n°", "no", "p",
           "cf", "env", "etc", "j.-c", "vol", "éd"},
    "es": {"sr", "sra", "srta", "dr", "dra", "ud", "uds", "lic", "ing", "prof", "ee.uu", "uu",
           "núm", "no", "pág", "av", "avda", "etc", "aprox", "d.c", "a.c", "cía", "s.a"},
    "it": {"sig", "sig.ra", "dott", "prof", "ing", "avv", "on", "pag", "ecc"},
    "pt": {"sr", "sra", "dr", "dra", "prof", "av", "pág", "etc"},
    "nl": {"dhr", "mevr", "dr", "prof", "ir", "mr", "blz", "nr", "o.a", "m.b.t"},
    "ru": {"г", "гг", "ул", "т.е", "т.д", "т.п", "др", "им", "проф", "акад", "млн", "млрд", "тыс",
           "руб", "долл"},
}
_TITLES = {"assoc", "asst", "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "capt", "sgt",
           "st", "rev", "pres", "adm", "messrs", "no", "nos", "fig", "vs", "m", "mme", "mlle", "sr",
           "sra", "srta", "dra", "hr", "nr", "tp", "ts", "pgs", "gs", "ths", "bs"}
_MAY_END = {"etc", "usw", "u.a", "inc", "corp", "co", "ltd", "uu", "ee.uu", "gmbh", "e.v", "cía", "s.a"}
# languages that write ordinal numbers with a dot ("5. Januar", "3. Etage")
ORDINAL_DOT = {"de", "da", "no", "nb", "nn", "fi", "cs", "sk", "pl", "hu", "sl", "hr", "sr", "bs",
               "et", "lv", "is", "tr", "lt"}
# words that begin a new sentence; after "U.S." or "12." they mean the period did end one
_SENTENCE_STARTERS = {
    "en": {"the", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these", "those",
           "there", "but", "and", "in", "on", "at", "a", "an", "his", "her", "their", "its", "our",
           "officials", "however", "meanwhile", "after", "before", "when", "if", "as"},
    "de": {"der", "die", "das", "er", "sie", "es", "wir", "ich", "ihr", "man", "dies", "diese",
           "dieser", "doch", "aber", "und", "in", "im", "am", "auf", "ein", "eine", "nach", "vor",
           "als", "wenn", "damit", "dann", "so", "auch"},
    "es": {"el", "la", "los", "las", "él", "ella", "ellos", "pero", "y", "en", "un", "una", "este",
           "esta", "según", "sin", "con", "tras"},
    "fr": {"le", "la", "les", "il", "elle", "ils", "elles", "mais", "et", "en", "un", "une", "ce",
           "cette", "selon", "après", "avant", "nous", "on"},
}
# a sentence that ends inside a bracket of several words, before a capital: "(storyboarding,
# audio and video editing, etc.) Interactive design requires ..." (sentencex reads "etc." as
# an abbreviation and goes on); a bracket of one word stays ("(U.S.) Army")
_BRACKET_END = re.compile(r"[(\[][^()\[\]]*\s[^()\[\]]*[.!?][)\]]\s+(?=[\"“«]?\p{Lu})")
# a sentence that ends on a day and an abbreviated month before a capitalised word: "... becomes
# available on 1 Jan. Space for the most popular areas ..." (not "Jan. 5", nor "1 Jan. 2024")
_DAY_MONTH = r"\b\d{1,2}\s(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\."
_DAY_MONTH_END = re.compile(_DAY_MONTH + r"\s+(?=\p{Lu}\p{Ll})")
# a temperature ("90 degrees F.", "90 độ F.", "32 °C.") before a capitalised word: the letter is
# a unit, not an initial, and the sentence ends there
_TEMPERATURE_END = re.compile(r"\d\s?(?:°|º|(?i:degrees?|độ|grad|grados?|degrés?|градус\w*|درجة)\s)\s?[CFK]\.\s+(?=\p{Lu})")
_SPEECH_TAIL_ZH = re.compile(r"^[\p{Han}\p{Latin}·\s]{0,24}?(说|表示|称|指出|强调|道|问|写道|补充说|透露|介绍)[。，,！]?$")
_CLOSE_QUOTE = "”」』\"'»›"
_OPEN_QUOTE = "“「『«‹"

_WORD = re.compile(r"[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*")
_TERMINAL = re.compile(r"[.!?。！？…:：;]['\"”’»)\]]*\s*$")
_BOILER = re.compile(
    r"""^\s*(
        (by|von|par|por|theo|bởi|bài|tin|ảnh|photo|foto|fotos|text|texte|autor|auteur|author|
           reporting\ by|editing\ by|written\ by|作者|记者|文|图|编辑|责任编辑|автор|фото)\b\s*[:：|]?\s*\S.{0,60}$
      | [\p{Lu}][\p{L}\s.]{0,40}\((theo|nguồn|via|source|quelle|fuente|according\ to|d'après|selon|来源)\b[^)]{0,60}\)
      | (staff|wire|agency|news\ agency)(\ and\ [\p{L}]+)?\ reports?
      | (source|sources|nguồn|quelle|quellen|fuente|fuentes|来源|出处|источник|المصدر|fonte)\s*[:：]?.{0,80}$
      | (comments?|bình\s+luận|kommentare?|commentaires?|comentarios?|评论|комментари\w*|تعليقات?)\s*[\(\[]?\s*\d*\s*[\)\]]?\s*$
      | (share|chia\s+sẻ|teilen|partager|compartir|分享|поделиться|xem\s+thêm|tin\s+liên\s+quan|related|
           lesen\ sie\ auch|à\ lire\ aussi|lee\ también|leer\ más|相关阅读|相关新闻|read\ more|advertisement|
           anzeige|publicité|publicidad|quảng\ cáo|广告)\b.{0,60}$
    )""", re.X | re.I)
_DATE_ONLY = re.compile(r"^[\d\s/.,:\-–—()年月日号時时分hH]*(?:[\p{L}]+[\s,.]*){0,3}[\d\s/.,:\-–—()年月日号時时分hH]*$")

_MD_MARKUP = re.compile(
    r"(?P<img>!\[[^\]]*\]\([^)]*\))"
    r"|(?P<lopen>\[)(?=[^\]]+\]\([^)]*\))|(?<=\[[^\]]+)(?P<lclose>\]\([^)]*\))"
    r"|(?P<reflink>\]\[[^\]]*\])"
    r"|(?P<autolink><https?://[^>]+>)"
    r"|(?P<tag></?[A-Za-z][^>]*>)"
    r"|(?P<strong>\*\*|__)(?=\S)|(?<=\S)(?P<strong2>\*\*|__)"
    r"|(?<![\w*\\])(?P<em>\*)(?=\S)|(?<=\S)(?P<em2>\*)(?![\w*])"
    r"|(?P<code>`)"
    r"|(?P<esc>\\)(?=[\\`*_{}\[\]()#+\-.!])"
)


def clean_with_map(piece: str, markdown: bool) -> tuple[str, list[int]]:
    """Text without Markdown markup and with whitespace collapsed, plus, for every character
    of the result, its index in ``piece``."""
    keep = [True] * len(piece)
    if markdown:
        for m in _MD_MARKUP.finditer(piece):
            for k in range(m.start(), m.end()):
                keep[k] = False
    chars: list[str] = []
    index: list[int] = []
    space = False
    for k, ch in enumerate(piece):
        if not keep[k]:
            continue
        if ch.isspace():
            if chars and not space:
                chars.append(" ")
                index.append(k)
            space = True
            continue
        space = False
        chars.append(ch)
        index.append(k)
    while chars and chars[-1] == " ":
        chars.pop()
        index.pop()
    return "".join(chars), index


def clean_markdown(s: str) -> str:
    return clean_with_map(s, True)[0]


def file_span(doc_text: str, sentence: Sentence, start: int, end: int, markdown: bool) -> tuple[int, int]:
    """Offsets in the file of characters ``start:end`` of ``sentence.text``."""
    return file_spans(doc_text, sentence, [(start, end)], markdown)[0]


def file_spans(doc_text: str, sentence: Sentence, spans, markdown: bool) -> list[tuple[int, int]]:
    """:func:`file_span` of each ``(start, end)`` of ``spans`` (the sentence is cleaned once)."""
    _, index = clean_with_map(doc_text[sentence.start:sentence.end], markdown)
    if not index:
        return [(sentence.start, sentence.end) for _ in spans]
    out = []
    for start, end in spans:
        start = min(max(0, start), len(index) - 1)
        end = min(max(start + 1, end), len(index))
        out.append((sentence.start + index[start], sentence.start + index[end - 1] + 1))
    return out


#: languages written without spaces between words, whose sentences join with nothing between them
NO_SPACE_LANGS = {"zh", "ja", "ko", "th", "yue", "wuu", "lo", "km", "my"}


def joiner(lang: str) -> str:
    """What goes between two sentences of ``lang`` joined into one text: a space, or nothing."""
    return "" if lang.split("-")[0] in NO_SPACE_LANGS else " "


def _base_lang(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


def _ends_with_abbreviation(seg: str, lang: str) -> bool:
    m = re.search(r"(?:^|[\s(\"“«])([\p{L}][\p{L}.°/]*)\.\s*$", seg)
    if not m:
        return False
    word = m.group(1).lower()
    if word in ABBREVIATIONS.get(lang, ()) or (lang != "en" and word in {"dr", "prof", "st"}):
        return True
    # initials and dotted acronyms: "John F.", "U.S.", "D.C.", "EE. UU."; a plain "USD." ends a sentence
    w = m.group(1)
    # (an initial is a plain A-Z letter: Vietnamese "Ý." is the word Italy, not an initial)
    return bool(re.fullmatch(r"[A-Z]", w)) or bool(re.fullmatch(r"\p{Lu}{1,2}(?:\.\p{Lu}{1,2}){1,3}", w))


def _next_starts_sentence(nxt: str, lang: str) -> bool:
    m = _WORD.match(nxt.lstrip(" \"“«'‘("))
    if not m:
        return True
    w = m.group(0)
    return w.lower() in _SENTENCE_STARTERS.get(lang, _SENTENCE_STARTERS["en"]) and w[0].isupper()


def _should_merge(prev: str, nxt: str, lang: str) -> bool:
    p = prev.rstrip()
    n = nxt.lstrip()
    if not p or not n:
        return True
    first = n[0]
    if lang in ("zh", "ja", "yue", "wuu"):
        if p[-1] in _CLOSE_QUOTE and len(p) > 1 and p[-2] in "。！？!?.":
            if lang == "ja" and n[0] in "とっ、":
                return True
            if _SPEECH_TAIL_ZH.match(n):
                return True
        return False
    if re.search(r"(?:^|[\s(])\p{Ll}\.$", p):
        return True  # "Roe v. Wade", "c. 1500": a lone lower-case letter is an abbreviation
    if first.islower() and p[-1] == ".":
        # "Mr. smith" never happens, but "e.g. the" and "approx. five" do
        return True
    if lang == "en" and re.search(_DAY_MONTH + "$", p) and re.match(r"\p{Lu}\p{Ll}", n):
        return False  # "on 1 Jan." before a capitalised word ends the sentence
    if _TEMPERATURE_END.search(p + " " + n[:1]):
        return False
    if _ends_with_abbreviation(p, lang):
        # titles never end a sentence; "U.S.", "p.m.", "Inc." can ("... in the U.S. The ...")
        word = re.search(r"(\S+)\.\s*$", p).group(1).lower().lstrip("(\"“«")
        if word in _TITLES or (lang != "en" and word in ABBREVIATIONS.get(lang, ())
                               and word not in _MAY_END):
            return True
        return not _next_starts_sentence(n, lang)
    if lang in ORDINAL_DOT and re.search(r"(?:^|[\s(])\d{1,2}\.\s*$", p) and first.isalpha():
        return not _next_starts_sentence(n, lang)
    return False


def _role(text: str, block_kind: str, is_whole_block: bool, block_index: int) -> str:
    if not _WORD.search(text):
        return BOILERPLATE  # quotes or dashes alone carry no statement
    if block_kind == "heading":
        return HEADING
    if not is_whole_block:
        return STATEMENT
    t = text.strip()
    if _BOILER.match(t) and not (len(t) > 60 and _TERMINAL.search(t)):
        return BOILERPLATE
    if block_kind == "cell":  # a table cell ("Deaths: 5") is data, however short
        return STATEMENT
    words = _WORD.findall(t)
    cjk = sum(1 for ch in t if "\u3040" <= ch <= "\u9fff")
    if not words:
        return BOILERPLATE
    if not _TERMINAL.search(t):
        if _DATE_ONLY.match(t) and any(ch.isdigit() for ch in t):
            return BOILERPLATE
        small = (len(words) <= 3) if cjk < 4 else (cjk <= 6)
        if small and block_index > 0:
            return BOILERPLATE
        if block_index == 0 or not small:
            return HEADING if block_kind != "item" else STATEMENT
    return STATEMENT


_QUOTES = "\"“”«»„"
# a sentence end inside quotation marks: sentencex keeps a quote that runs over several
# sentences in one piece ("It will behave like water. It is transparent ..." said Stofan), while
# a translation usually splits it; abbreviations are merged back by _should_merge
_SHORT_CAPITAL = re.compile(r"(?:^|[\s(\"“«„-])(?:\p{Lu}\p{Ll}{0,3}|(?:\p{L}\.)+\p{L})\.[\"”’»]?$")
_QUOTED_END = re.compile(r"(?<=[.!?…؟][\"”’»]?)\s+(?=[\"“«„]?[\p{Lu}\p{Lo}])")


def _split_in_quotes(text: str, s: int, e: int) -> list[tuple[int, int]]:
    piece = text[s:e]
    if not any(q in piece for q in _QUOTES):
        return [(s, e)]
    out, at = [], s
    for m in _QUOTED_END.finditer(piece):
        if _SHORT_CAPITAL.search(piece, 0, m.start()):
            continue  # "Det. Insp. Graham", "J. R. R.", "U.S.": leave these to sentencex
        out.append((at, s + m.start()))
        at = s + m.end()
    out.append((at, e))
    return out


def _split_at(pattern, text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The range split after each match of ``pattern`` (a sentence end sentencex missed)."""
    out, at = [], s
    for m in pattern.finditer(text, s, e):
        end = m.end() - (len(m.group()) - len(m.group().rstrip()))
        out.append((at, end))
        at = m.end()
    out.append((at, e))
    return out


def split_block(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence ranges (start, end) inside ``text``, whitespace trimmed."""
    import sentencex

    lang = _base_lang(lang)
    try:
        bounds = sentencex.get_sentence_boundaries(lang, text)
        raw = [(b["start_index"], b["end_index"]) for b in bounds]
    except Exception:  # unknown language code: sentencex's generic rules
        raw = [(b["start_index"], b["end_index"]) for b in sentencex.get_sentence_boundaries("en", text)]
    if lang in ("zh", "ja", "yue", "wuu"):
        # sentencex does not end a sentence at "。" when a figure follows ("看守。11:00 刚过")
        split = []
        for s, e in raw:
            cuts = [m.end() for m in re.finditer(r"[。！？](?=[0-9０-９])", text[s:e])]
            for c in cuts:
                split.append((s, s + c))
                s = s + c
            split.append((s, e))
        raw = split
    else:
        if any(q in text for q in _QUOTES):
            raw = [r for s, e in raw for r in _split_in_quotes(text, s, e)]
        if ".)" in text or ".]" in text:
            raw = [r for s, e in raw for r in _split_at(_BRACKET_END, text, s, e)]
        if _TEMPERATURE_END.search(text):
            raw = [r for s, e in raw for r in _split_at(_TEMPERATURE_END, text, s, e)]
        if lang == "en" and _DAY_MONTH_END.search(text):
            raw = [r for s, e in raw for r in _split_at(_DAY_MONTH_END, text, s, e)]
    merged: list[list[int]] = []
    for s, e in raw:
        if not text[s:e].strip():
            continue
        glued = merged and s == merged[-1][1] and text[s - 1] == "." and text[s].isalpha()  # "non-U.|S."
        if merged and (glued or _should_merge(text[merged[-1][0]:merged[-1][1]], text[s:e], lang)):
            merged[-1][1] = e
        else:
            merged.append([s, e])
    out = []
    for s, e in merged:
        seg = text[s:e]
        s2 = s + (len(seg) - len(seg.lstrip()))
        e2 = s + len(seg.rstrip())
        if e2 > s2:
            out.append((s2, e2))
    return out


def segment(raw: RawDocument, lang: str) -> tuple[Sentence, ...]:
    """Split every block of ``raw`` into sentences with offsets into ``raw.text``."""
    sentences: list[Sentence] = []
    md = raw.format == "markdown"
    for bi, block in enumerate(raw.blocks):
        btext = raw.text[block.start:block.end]
        if block.kind == "cue":  # a subtitle cue is one segment, as timed
            clean, _ = clean_with_map(btext, False)
            if clean:
                role = BOILERPLATE if _SOUND_CUE.match(clean) or not _WORD.search(clean) else STATEMENT
                sentences.append(Sentence(len(sentences), clean, block.start, block.end, bi, role, block.time or None))
            continue
        ranges = split_block(btext, lang)
        for s, e in ranges:
            clean, _ = clean_with_map(btext[s:e], md)
            if not clean:
                continue
            role = _role(clean, block.kind, len(ranges) == 1, bi)
            sentences.append(Sentence(len(sentences), clean, block.start + s, block.start + e, bi, role))
    return tuple(sentences)


# a cue that only describes a sound or music ("[Music]", "(laughs)", "♪ ... ♪"): not a statement
_SOUND_CUE = re.compile(r"^\s*(\[[^\]]*\]|\([^)]*\)|♪[^♪]*♪?|[♪♫\s]+)\s*$")


def segment_lines(raw: RawDocument) -> tuple[Sentence, ...]:
    """One sentence per line, as given (pre-segmented bitext). A blank line (or one of spaces) is
    no sentence; a final line break ends the last line rather than opening an empty one.
    Sentence ids count the non-blank lines from 0 (the line numbers, in a file without blank
    lines: the form of the Text+Berg, Vecalign and Bertalign benchmarks)."""
    text = raw.text
    spans = []
    pos = 0
    for m in re.finditer(r"\r\n|\n|\r", text):
        spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        line = text[s:e]
        clean = line.strip()
        if not clean:
            continue
        s2 = s + (len(line) - len(line.lstrip()))
        role = STATEMENT if _WORD.search(clean) else BOILERPLATE
        out.append(Sentence(len(out), clean, s2, s2 + len(clean), len(out), role))
    return tuple(out)
