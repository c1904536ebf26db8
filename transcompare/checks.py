"""Checks on aligned pairs: each a small function that returns findings with evidence.

A check gets a :class:`PairView` (the bead's sentences, texts, scores, and the document-level
context) and returns a list of :class:`Finding`. ``CHECKS`` lists them by name; the flag
builder turns findings into ``altered`` flags. Later checks plug in the same way.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import regex as re

from . import names as names_mod
from . import numbers as numbers_mod


@dataclass(frozen=True)
class Evidence:
    side: str  # source | target
    sentence: int  # sentence id
    start: int  # offsets into that sentence's text
    end: int
    label: str = ""


@dataclass(frozen=True)
class Finding:
    reason: str
    severity: str
    confidence: float
    message: str
    evidence: tuple[Evidence, ...] = ()


@dataclass
class DocContext:
    """What checks may read besides the pair itself."""

    src_lang: str
    tgt_lang: str
    src_sentences: tuple
    tgt_sentences: tuple
    src_numbers: list  # per sentence: list[NumberAtom]
    tgt_numbers: list
    src_names: list  # per sentence: list[Name]
    tgt_names: list
    length_mu: float  # the document's typical log token ratio (target / source) and its spread
    length_sigma: float
    sim_median: float  # the document's typical pair similarity and its robust spread
    sim_spread: float
    tau: float  # the aligner's deletion threshold
    embed: Callable[[list[str]], np.ndarray] | None = None
    tgt_vectors: np.ndarray | None = None
    src_tokens: np.ndarray | None = None
    tgt_tokens: np.ndarray | None = None
    tgt_words: set = field(default_factory=set)  # folded words of the whole translation
    src_lower: set = field(default_factory=set)  # folded words each side writes in lower case
    tgt_lower: set = field(default_factory=set)


@dataclass
class PairView:
    source: tuple[int, ...]
    target: tuple[int, ...]
    similarity: float
    ctx: DocContext

    def src_text(self) -> str:
        return " ".join(self.ctx.src_sentences[i].text for i in self.source)

    def tgt_text(self) -> str:
        return " ".join(self.ctx.tgt_sentences[j].text for j in self.target)


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _conf(x: float) -> float:
    return round(min(0.99, max(0.01, x)), 2)


# ------------------------------------------------------------------ number


_CONVERSION_GAP = re.compile(r"^[^\S\n]*[\p{L}°%./²³$€£¥ \-]{0,24}\(\s*(?:about|approx\.?|ca\.?|environ|etwa|khoảng|约)?\s*[$€£¥]?$")


def _drop_conversions(missing, atoms, sentences):
    """Leave out missing figures that stand in a "figure (converted figure)" pair whose other
    figure was matched."""
    if not missing:
        return missing
    keep = []
    miss_ids = {id(a) for a in missing}
    for a in missing:
        sent = next(i for i, x in atoms if x is a)
        text = sentences[sent].text
        paired = False
        for i, b in atoms:
            if i != sent or b is a or id(b) in miss_ids or not b.required:
                continue
            first, second = (a, b) if a.start < b.start else (b, a)
            if _CONVERSION_GAP.match(text[first.end:second.start]):
                paired = True
                break
        if not paired:
            keep.append(a)
    return keep


def _neighbour_numbers(ids: tuple[int, ...], numbers: list) -> list:
    return [a for k in (min(ids) - 1, max(ids) + 1) if 0 <= k < len(numbers) for a in numbers[k]]


def check_numbers(p: PairView) -> list[Finding]:
    ctx = p.ctx
    src = [(i, a) for i in p.source for a in ctx.src_numbers[i]]
    tgt = [(j, b) for j in p.target for b in ctx.tgt_numbers[j]]
    if not any(a.required for _, a in src) and not any(b.required for _, b in tgt):
        return []
    miss_s, miss_t = numbers_mod.match([a for _, a in src], [b for _, b in tgt])
    if not miss_s and not miss_t:
        return []
    # "100 feet (30 m)": a conversion in brackets may keep only one of the two figures
    miss_s = _drop_conversions(miss_s, src, ctx.src_sentences)
    miss_t = _drop_conversions(miss_t, tgt, ctx.tgt_sentences)
    if not miss_s and not miss_t:
        return []
    # a headline may take its figures from anywhere in the article
    if all(ctx.src_sentences[i].role == "heading" for i in p.source):
        every_t = [b for nums in ctx.tgt_numbers for b in nums]
        every_s = [a for nums in ctx.src_numbers for a in nums]
        miss_s = [a for a in miss_s if not any(a.values & b.values for b in every_t)]
        miss_t = [b for b in miss_t if not any(a.values & b.values for a in every_s)]
        if not miss_s and not miss_t:
            return []
    # a figure found in the sentence just before or after the other side's sentences is one
    # sentence off (a boundary the alignment drew differently, a clause moved across it), not changed
    near_s = _neighbour_numbers(p.source, ctx.src_numbers)
    near_t = _neighbour_numbers(p.target, ctx.tgt_numbers)
    miss_s = [a for a in miss_s if not any(a.values & b.values for b in near_t)]
    miss_t = [b for b in miss_t if not any(a.values & b.values for a in near_s)]
    if not miss_s and not miss_t:
        return []
    where_s = {id(a): i for i, a in src}
    where_t = {id(b): j for j, b in tgt}
    ev = [Evidence("source", where_s[id(a)], a.start, a.end, "number") for a in miss_s]
    ev += [Evidence("target", where_t[id(b)], b.start, b.end, "number") for b in miss_t]
    if miss_s and miss_t:
        msg = (f"number changed: {', '.join(a.text for a in miss_s)} in the source, "
               f"{', '.join(b.text for b in miss_t)} in the translation")
        conf = 0.95
    elif miss_s:
        msg = f"number {', '.join(a.text for a in miss_s)} of the source is missing from the translation"
        conf = 0.8
    else:
        msg = f"number {', '.join(b.text for b in miss_t)} in the translation is not in the source"
        conf = 0.8
    # a weak pair makes a number mismatch less telling (it may be the alignment)
    if p.similarity < ctx.sim_median - 3 * ctx.sim_spread:
        conf *= 0.7
    return [Finding("number", "major", _conf(conf), msg, tuple(ev))]


# ------------------------------------------------------------------ name

_LATIN_SCRIPT_LANGS = names_mod.LATIN_SCRIPT_LANGS

_DEMONYMS = {
    "american", "british", "english", "french", "german", "chinese", "japanese", "korean", "russian",
    "european", "african", "asian", "vietnamese", "spanish", "italian", "indian", "iranian", "israeli",
    "palestinian", "ukrainian", "mexican", "canadian", "australian", "brazilian", "dutch", "swiss",
    "turkish", "arab", "arabic", "muslim", "christian", "jewish", "catholic", "scottish", "irish",
    "welsh", "polish", "swedish", "norwegian", "danish", "finnish", "greek", "portuguese", "belgian",
    "austrian", "czech", "hungarian", "romanian", "thai", "indonesian", "filipino", "pakistani",
    "egyptian", "saudi", "syrian", "iraqi", "afghan", "nigerian", "kenyan", "peruvian", "chilean",
    "argentine", "colombian", "cuban", "venezuelan", "western", "eastern", "northern", "southern",
    "latin", "nordic", "baltic", "balkan", "pacific", "atlantic", "mediterranean",
}


_TITLE_BEFORE = re.compile(
    r"(?:\b(?:mr|mrs|ms|miss|dr|prof|sen|rep|gov|gen|det|insp|supt|sgt|capt|lt|col|cmdr|adm|rev|sir|dame|"
    r"lord|lady|president|minister|chancellor|secretary|senator|governor|mayor|judge|justice|professor|"
    r"spokesman|spokeswoman|spokesperson|director|chairman|chairwoman|chair|ceo|founder|coach|"
    r"said|says|told|by|according to|ông|bà|anh|chị|herr|frau|m|mme|mlle|sr|sra|srta|señor|señora|"
    r"sagte|sagt|erklärte|a déclaré|a dit|selon|dijo|afirmó|según|declaró|cho biết|nói)\.?\s+"
    r"(?:\p{Lu}[\p{L}.]*\.?\s+){0,3})$", re.I)
_NOUN_CAPITALS = {"de", "lb"}
_TITLE_ONLY = re.compile(
    r"\b(?:mr|mrs|ms|miss|dr|prof|sen|rep|gov|gen|det|insp|supt|sgt|capt|lt|col|cmdr|adm|rev|sir|dame|"
    r"herr|frau|m|mme|mlle|sr|sra|srta|señor|señora|ông|bà|anh|chị|president|minister|senator|governor|mayor|"
    r"judge|professor|chancellor)\.?\s+$", re.I)
_CUE_AFTER = re.compile(r"^(?:\s+(?:said|says|told|added|explained|wrote|sagte|sagt|a déclaré|a dit|dijo|nói|cho biết)\b"
                        r"|\s*,\s*(?:a|an|the|who|whose|one of|its|his|her|chief|head|director|president|"
                        r"spokes\w+|minister|der|die|le|la|l'|el|un|una|người|ông|bà|que|qui|quien)\b)", re.I)


def _person_cue(nm: names_mod.Name, text: str) -> bool:
    """Whether ``nm`` is used as a person's name: a title or speech verb before it, or a speech
    verb or an apposition ("X, a spokeswoman") after it. Persons keep their names in Latin-script
    translations; institutions and places are often translated."""
    return bool(_TITLE_BEFORE.search(text[max(0, nm.start - 60):nm.start])) or bool(
        _CUE_AFTER.match(text[nm.end:nm.end + 40]))


def _is_place_or_demonym(nm: names_mod.Name, table: dict) -> bool:
    if nm.key in _DEMONYMS or all(t in _DEMONYMS for t in nm.tokens):
        return True
    if nm.key in table:
        return True
    # "German" ~ "Germany", "Americans" ~ "America"
    return any(len(nm.key) >= 5 and (k.startswith(nm.key[:-1]) and abs(len(k) - len(nm.key)) <= 3)
               for k in table if k[:3] == nm.key[:3])


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for a, b in sorted(spans):
        out.append(text[pos:a])
        pos = b
    out.append(text[pos:])
    return re.sub(r"\s{2,}", " ", "".join(out)).strip()


#: a word this much more common (Zipf units) in its own language than in the other is a word
#: of that language, not a name kept as it is
_WORD_SPECIFIC = 1.5
#: Zipf frequency from which a word is known in a language's word list at all
_ATTESTED = 1.0
#: how much more common in the other language a common word of a German text must be to be
#: taken for a name written as it is there
_FOREIGN_IN_GERMAN = -0.5


#: how much (in the document's spreads) taking both names out must raise the match to count as
#: a swap (-0.5 found more swaps on FLORES's news documents, and flagged localised names in its
#: travel and history documents: "Caspian" / "Caspio", "Black Sea" / "Mar Negro")
SWAP_MARGIN = 0.0


_ROMAN = re.compile(r"[IVXLCDM]+")


def _cognate(a: names_mod.Name, b: names_mod.Name) -> bool:
    """The same name in another language's spelling: Alexander / Alejandro, Caspian / Caspio,
    Pole Traverse / Polo: two different words share a beginning of three letters or more (a
    word both spell alike is no evidence: "Rosa Quispe" and "Rosa Mamani" are two people)."""
    return any(x != y and len(x) >= 3 and len(y) >= 3 and x[:3] == y[:3]
               for x in a.tokens for y in b.tokens)


def _compound_noun(word: str, lang: str) -> bool:
    """Whether the word ends in a common noun of the language: "Selbstmordattentate"."""
    return any(names_mod.zipf(word[k:].capitalize(), lang) >= names_mod.COMMON_ZIPF
               for k in range(3, len(word) - 3))


def _german_name_word(word: str, lang: str, other: str) -> bool:
    """A capitalised word of a German text that can be a name: not a common German noun, even
    where English has the word too ("Land", "Problem"), unless it is clearly more common in
    the other language (a name written as it is there: "Washington", "Atlanta"); and a rarer
    word only if the other language knows it too, or it is no German word at all
    ("Kechagioglou"; not "Haftanstalt", nor a compound ending in a common noun,
    "Gerichtskommissar")."""
    z_own, z_other = names_mod.zipf(word, lang), names_mod.zipf(word, other)
    if z_own >= names_mod.COMMON_ZIPF:
        return z_own - z_other <= _FOREIGN_IN_GERMAN
    if z_other < _ATTESTED:
        return z_own == 0 and not _compound_noun(word, lang)
    return True


def _name_like(nm: names_mod.Name, lower: set, lang: str, other: str | None,
               limit: float = _WORD_SPECIFIC) -> bool:
    """Whether a capitalised run can be a name, as one half of a swap: not a word the document
    also writes in lower case ("Muy" at the head of a quote), not a short word or a two-letter
    abbreviation ("Je", "UU"), and not made of words common in its own language only (a
    translated title, "Chambre" for "House", or the capitalised first syllable of a
    Vietnamese title, "Giải vô địch")."""
    word = nm.text
    if word.isupper():
        return len(word) >= 3
    if len(nm.tokens) == 1 and (len(nm.key) < 4 or nm.key in lower):
        return False
    if lang == "vi" and re.fullmatch(r"(?:\w{1,4}-)+\w{1,4}", word):
        return False  # a name spelled out in Vietnamese syllables: "Ai-xơ-len" for Iceland
    if other is None:  # against a language in another script, capitals are all there is
        return True
    if lang in _NOUN_CAPITALS:
        # German capitalises every noun: at least one word must pass for a name
        words = [w for w in re.findall(r"[\p{L}\p{M}]+", word) if len(w) >= 3]
        if not any(_german_name_word(w, lang, other) for w in words):
            return False
    spec = names_mod.specificity(nm, lang, other)
    return spec is not None and spec < limit


def _other_first_name(nm: names_mod.Name, text: str, folded: str, lang: str) -> bool:
    """Whether a name of several words is found only by its last word, and each time that word
    follows another capitalised word: "Brisbane Open" against "Sydney Open", "Ali Khamenei"
    against "Athens Khamenei" ("Mr. Sullivan" still finds "Jake Sullivan")."""
    if len(nm.tokens) < 2 or nm.key in folded:
        return False
    last = nm.text.split()[-1]
    hits = list(re.finditer(rf"(?<![\p{{L}}\p{{M}}])(\p{{Lu}}[\p{{L}}\p{{M}}'’\-]*)\s+{re.escape(last)}", text))
    if not hits or re.search(rf"(?<![\p{{L}}\p{{M}}])(?<!\p{{Lu}}[\p{{L}}\p{{M}}'’\-]*\s){re.escape(last)}", text):
        return False  # the last word also stands on its own (or is not there as written)
    stop = names_mod.STOP.get(lang, set()) | names_mod.STOP["en"]
    return all(names_mod.fold(h.group(1)) not in nm.tokens and h.group(1).lower() not in stop for h in hits)


def check_names(p: PairView) -> list[Finding]:
    """A name of the source that the translation does not carry, or carries as another name.

    Candidates are names not found in the counterpart (folded, inflected, as initials, or as a
    country's name in the target language). The encoder then decides between "translated" and
    "gone": taking a name out of the source (dS) or out of the translation (dT) changes how well
    the two match. A name that was translated ("Red Cross" -> "Chữ thập đỏ") takes matching
    meaning with it, so similarity drops; a swapped name (Sullivan -> Blinken) was a mismatch,
    so taking both out raises it (dS + dT > 0).
    """
    ctx = p.ctx
    sl, tl = ctx.src_lang.split("-")[0], ctx.tgt_lang.split("-")[0]
    tgt_text = p.tgt_text()
    src_text = p.src_text()
    tgt_f = names_mod.fold(tgt_text)
    src_f = names_mod.fold(src_text)
    tgt_words = {names_mod.fold(w) for w in names_mod.WORD.findall(tgt_text)}
    src_words = {names_mod.fold(w) for w in names_mod.WORD.findall(src_text)}
    table = names_mod.exonyms(sl, tl)
    back = names_mod.exonyms(tl, sl)
    src_places = names_mod.exonyms(sl, sl)
    tgt_places = names_mod.exonyms(tl, tl)
    latin_target = tl in _LATIN_SCRIPT_LANGS
    # in these languages a capital in mid-sentence marks a name (German capitalises every noun)
    # where the source marks names with capitals, a name of the source that the translation
    # lacks, with another name in its place, is a swap: in a Latin-script translation that name
    # must look like one (_name_like), in any other script a Latin-script name stands out
    swaps = sl in _LATIN_SCRIPT_LANGS
    same_lang = sl == tl
    swap_only: set = set()
    cands = []
    for i in p.source:
        for nm in ctx.src_names[i]:
            if names_mod.found_in(nm, tgt_f, tgt_words, table) and not _other_first_name(nm, tgt_text, tgt_f, tl):
                continue
            place = _is_place_or_demonym(nm, src_places)
            if place and not swaps:
                continue
            # written the same way elsewhere in the translation, word for word
            elsewhere = bool(nm.tokens) and all(t in ctx.tgt_words for t in nm.tokens)
            text = ctx.src_sentences[i].text
            if nm.text.isupper() and any(
                    t.text.isupper() and sorted(t.text) == sorted(nm.text) for j in p.target for t in ctx.tgt_names[j]):
                continue  # the acronym in the translation's own word order: IOC / CIO / COI
            if nm.text.isupper():
                # an acronym the translation uses elsewhere, replaced here by another acronym
                # (translations spell acronyms out or refer back to them in other words)
                keep = elsewhere and any(
                    t.text.isupper() and t.text not in src_text for j in p.target for t in ctx.tgt_names[j])
            elif len(nm.tokens) == 1:
                # a one-word name counts after a title ("Mr. Lambert"); otherwise alone it is too
                # often a translated word ("Falls", "Sanskrit", "Hall"), so it counts only as one
                # half of a swap: where both languages keep capitals for names, the translation
                # holds a capitalised word of its own in its place (checked below)
                titled = latin_target and bool(_TITLE_ONLY.search(text[max(0, nm.start - 30):nm.start]))
                keep = titled
            else:
                keep = elsewhere or (latin_target and _person_cue(nm, text))
            if _ROMAN.fullmatch(nm.text):
                continue  # a century or a king's number, written in figures by many translations
            if place or (not keep and swaps and (same_lang or not nm.text.isupper())
                         and _name_like(nm, ctx.src_lower, sl, None)):
                # where both languages keep capitals for names, any other name (a place
                # included) counts as one half of a swap: the translation must hold a name of
                # its own in its place (checked below)
                keep = True
                swap_only.add((i, nm))
            if keep:
                cands.append((i, nm, elsewhere))
    if ctx.embed is None or not (cands or swaps):
        return []
    extras = []
    for j in p.target:
        for nm in ctx.tgt_names[j]:
            if (names_mod.found_in(nm, src_f, src_words, back) and not _other_first_name(nm, src_text, src_f, sl)) or (
                    not swaps and _is_place_or_demonym(nm, tgt_places)):
                continue
            if len(nm.tokens) < 2 and not nm.text.isupper() and not swaps:
                continue  # one capitalised word is no evidence of a swap
            if _ROMAN.fullmatch(nm.text):
                continue
            if swaps and not _name_like(nm, ctx.tgt_lower, tl, sl if latin_target else None):
                continue
            if not latin_target and not nm.text.isascii():
                continue
            extras.append((j, nm))

    if not cands and not extras:
        return []

    def joined(ids, sents, drop=None):
        parts = []
        for x in ids:
            t = sents[x].text
            if drop is not None and drop[0] == x:
                t = _without(t, [(drop[1].start, drop[1].end)])
            parts.append(t)
        return " ".join(parts)

    texts = [joined(p.source, ctx.src_sentences), joined(p.target, ctx.tgt_sentences)]
    texts += [joined(p.source, ctx.src_sentences, (i, nm)) for i, nm, _ in cands]
    texts += [joined(p.target, ctx.tgt_sentences, (j, nm)) for j, nm in extras]
    vecs = ctx.embed(texts)
    sv, tv = vecs[0], vecs[1]
    base = float(sv @ tv)
    d_s = [float(v @ tv) - base for v in vecs[2:2 + len(cands)]]
    d_t = [float(sv @ v) - base for v in vecs[2 + len(cands):]]
    spread = ctx.sim_spread
    missing, swapped_to = [], []
    for (i, nm, elsewhere), ds in zip(cands, d_s):
        partners = [k for k in range(len(extras)) if same_lang or (
            not _cognate(nm, extras[k][1]) and extras[k][1].text.isupper() == nm.text.isupper())]
        pair = max(partners, key=lambda k: d_t[k], default=None)
        one_word = len(nm.tokens) < 2 and not nm.text.isupper()
        # within one language a name for another is a swap as it stands, and so is a Latin
        # name for another in a translation written in another script (where the encoder
        # makes little of them); between Latin-script languages the encoder must agree: both
        # sides match about as well or better without the two names
        plain = same_lang or (swaps and not latin_target)
        if pair is not None and (plain or ds + d_t[pair] > SWAP_MARGIN * spread) and (not one_word or swaps):
            missing.append((i, nm, ds))
            if extras[pair] not in swapped_to:
                swapped_to.append(extras[pair])
            continue
        # one capitalised word is often part of a translated title ("Ministry of Health"):
        # it needs the translation to match clearly better without it, and a word that is
        # a name only by its capital, a full spread better
        need = -0.2 * spread if (len(nm.tokens) > 1 or nm.text.isupper()) else 0.2 * spread
        if (i, nm) in swap_only:
            if not same_lang:
                # a translation spells names anew, renders them in its own words ("the Korean
                # alphabet" for "Hangeul") or refers back to them ("after his death"): only a
                # swap counts
                continue
            need = max(need, spread)
        if ds > need:
            missing.append((i, nm, ds))
    # a name of the translation with no counterpart in the source, where capitals mark names
    # on both sides: the source matches clearly better without it
    added = [(j, nm, dt) for (j, nm), dt in zip(extras, d_t)
             if same_lang and (j, nm) not in swapped_to and dt > 0.2 * spread
             and not (tl in _NOUN_CAPITALS and len(nm.tokens) == 1)]  # "Podium", "Tore": nouns
    if not missing and not added:
        return []
    ev = [Evidence("source", i, nm.start, nm.end, "name") for i, nm, _ in missing]
    ev += [Evidence("target", j, nm.start, nm.end, "name") for j, nm in swapped_to]
    ev += [Evidence("target", j, nm.start, nm.end, "name") for j, nm, _ in added]
    gone = ", ".join(nm.text for _, nm, _ in missing)
    new_names = ", ".join(nm.text for _, nm, _ in added)
    top = max(d for *_, d in missing + added)
    if swapped_to:
        msg = f"name changed: {gone} in the source, {', '.join(nm.text for _, nm in swapped_to)} in the translation"
        conf = 0.8 + min(0.15, max(0.0, top) * 10)
    elif missing:
        msg = f"name {gone} of the source is not in the translation"
        conf = 0.6 + min(0.3, max(0.0, top) * 10)
    else:
        msg = f"name {new_names} of the translation is not in the source"
        conf = 0.5 + min(0.3, max(0.0, top) * 10)
    if missing and added:
        msg += f"; {new_names} of the translation is not in the source"
    return [Finding("name", "major", _conf(conf), msg, tuple(ev))]


# ------------------------------------------------------------------ negation

# per language: (strong cues, exclusions, weak cues). Strong cues are grammatical negation; weak
# cues are words that carry a negation in their meaning ("unknown", "failed", "thiếu", "ohne").
# A flag needs a strong cue on one side and neither kind on the other, so a translation that
# renders "unnecessary" as "không cần thiết" is not flagged.
NEGATION = {
    "en": (r"\b(not|never|no|nobody|nothing|none|neither|nor|cannot|nowhere)\b|n't\b",
           r"\bnot only\b|\bno doubt\b|\bno\.\s*\d|\b(?:don't|do not|never) forget\b|\bnot least\b|"
           r"\bnothing but\b|\bno sooner\b|\bnone the less\b|\bwhether or not\b|\bor not\b|"
           r"(?:\b\w+n't|\bnot|\bnever)\b[^.;]{0,60}\b(?:without|unless)\b",  # litotes: "won't ... without"
           r"\b(un(?!der|til|ion|it|iv|iq|if|an|less)\w{4,}|without|little|few|fail\w*|lack\w*|absen\w+|"
           r"refus\w+|den(?:y|ied|ies)|prevent\w*|avoid\w*|abort\w*|devoid|rarely|seldom|hardly|barely|"
           r"instead|except|impossib\w+|inevitabl\w+|insufficient\w*|incomplete|invisible|illegal\w*|"
           r"irrelevant|dis(?:agree|approv|allow|continu|miss|pute)\w*|non-?\w+|stop\w*|halt\w*|ban\w*|"
           r"free of|lost|lose|loss|miss\w*|neglect\w*|ignor\w+|cancel\w*|reject\w*|only|less|false|"
           r"hesitat\w*|doubt\w*|unable|neither|either|unless|sure|remember|forget\w*|zero|far from|"
           r"deficient|rather than|clos(?:e|ed|es|ing|ure)|for granted|new to|than (?:necessary|needed)|"
           r"(?:be|is|are|was|were|been|being) out)\b"),
    "vi": (r"(?<![\p{L}])(không|chẳng|chưa|chả|đừng|chớ)(?![\p{L}])",
           r"không (chỉ|khí|gian|quân|phận|lâu|ngừng|ít|những|trung|lưu|người lái|hẹn trước)|nếu không|"
           r"chẳng hạn|chưa (đầy|tới|đến)|không qua khỏi|không[^.;]{0,80}(?:nếu không|mà không)|"
           r"có [^.?!]{0,40} không\s*\?|hay không|hoặc không|không\s*\?",
           r"(?<![\p{L}])(thiếu|mất|hủy|huỷ|từ chối|ngăn|tránh|ít|vô|bất|phi|trừ|thay vì|khó|hiếm|"
           r"thất bại|cấm|dừng|ngừng|bỏ|mới chỉ|chỉ)(?![\p{L}])"),
    "de": (r"\b(nicht|kein|keine|keinen|keinem|keiner|keines|nie|niemals|niemand|nichts|weder|nirgends)\b",
           r"\bnicht nur\b|\bnicht vergessen\b|\bvergessen sie nicht\b|\bnichtsdestotrotz\b|"
           r"\b(?:nicht|kein\w*)\b[^.;]{0,80}\bohne\b",
           r"\b(un(?!d\b|ter|s\b|ser|ten|ion|ivers|gefähr)\w{3,}|ohne|kaum|wenig\w*|fehl\w*|verweiger\w*|statt|"
           r"anstatt|außer|nur|miss\w+|verhinder\w*|vermied\w*|vermeid\w*|abgesagt|gescheitert|stopp\w*|verbot\w*)\b"),
    "fr": (r"\b(ne|jamais|aucun|aucune|ni|nullement|pas)\b|(?<![\p{L}])n['’]",
           # "ne ... que" is "only", unless a second particle comes first ("n'a pas dit que")
           r"\bnon seulement\b|(?:\bne\b|\bn['’])(?:(?!\b(?:pas|plus|jamais|rien|personne|aucune?|guère|point)\b)[^.;,]){0,30}\bque\b|"
           r"\bn['’]oubliez pas\b|"
           r"\bnéanmoins\b|\bpas mal\b|(?:\bne\b|(?<![\p{L}])n['’])[^.;]{0,80}\bsans\b|"
           # "ne" with no second particle is the literary expletive ("craignait qu'il ne déverse")
           r"(?:\bne\b|(?<![\p{L}])n['’])(?![^.;,]{0,40}\b(?:pas|plus|jamais|rien|personne|aucune?|guère|point|ni|nulle?)\b)",
           r"\b(sans|peu|manqu\w+|refus\w+|échou\w+|impossib\w+|inconnu\w*|in\w{5,}|im\w{5,}|il\w{5,}|"
           r"dés\w+|non|sauf|seul\w*|uniquement|empêch\w+|évit\w+|annul\w+|arrêt\w*|interdi\w+|faute)\b"),
    "es": (r"\b(no|nunca|jamás|ningún|ninguna|ninguno|nadie|nada|ni|tampoco)\b",
           r"\bno solo\b|\bno sólo\b|\bno obstante\b|\bno dude\b|\bno olvide\b|"
           r"\bno\b[^.;]{0,100}\bsino (?:hasta|que|cuando|después)\b|"  # "no ... sino hasta 1839": only in 1839
           r"\bno\b[^.;]{0,80}\b(?:si no|sin)\b",  # "no encontrará ... si no viaja": litotes
           r"\b(sin|poco\w*|falt\w+|fracas\w+|rechaz\w+|imposib\w+|desconocid\w*|in\w{5,}|im\w{5,}|"
           r"des\w{4,}|excepto|salvo|solo|sólo|únicamente|evit\w+|imped\w+|cancel\w+|prohib\w+|deten\w+)\b"),
    "it": (r"\b(non|mai|nessun|nessuno|nessuna|niente|nulla|né)\b", r"\bnon solo\b", r"\b(senza|poco|in\w{5,})\b"),
    "pt": (r"\b(não|nunca|jamais|nenhum|nenhuma|ninguém|nada|nem)\b", r"\bnão só\b|\bnão apenas\b",
           r"\b(sem|pouco|in\w{5,}|des\w{4,})\b"),
    # Chinese negates with 不/无/未 inside countless words (不丹, 不等, 无人机, 不明显 for "mild"):
    # only negated verbs and auxiliaries are strong cues; the bare characters are weak ones
    "zh": (r"没有|沒有|没|沒|未能|并未|尚未|从未|从不|不会|不能|不是|不要|不得|不再|无法|並不|并不|不可|不愿|不肯|"
           r"不敢|绝不|毫不|决不|不曾|不必|不应|不该|别再",
           r"不仅|不但|不过|不断|不同|不少|不久|不管|不论|不如|不禁|不免|不时|不已|不得不|不光|无论|无数|无线|"
           r"无人机|非常|非洲|是非|未来|特别|分别|区别|级别|类别|告别|个别|识别|别的|别人|莫斯科|除非|并非|无疑|"
           r"毫无疑问|难免|差不多|不错|了不起|不远|不料|不可思议|不得了|不能不|不会不",
           r"不|無|无|未|非|否|缺|失败|拒绝|难以|几乎|很少|避免|防止|禁止|取消|否认|仅|只|除了|停止|失去|丢失|"
           r"勿|莫|别"),
    "ru": (r"(?<![\p{L}])(не|нет|ни|никогда|никто|ничего|ничто|нигде)(?![\p{L}])",
           r"(?<![\p{L}])(?:не только|тем не менее|не забудьте|не забывайте|не[^.;]{0,80}без)(?![\p{L}])",
           r"(?<![\p{L}])(без|мало|отказ\w*|не\w{3,}|без\w{3,}|лиш\w+|кроме|только)(?![\p{L}])"),
    "ar": (r"(?<![\p{L}])(لا|لم|لن|ليس|ليست|ليسوا|لست|لسنا)(?![\p{L}])",
           r"(?<![\p{L}])(?:لا سيما|ما لم|لا تنس|لا شك)(?![\p{L}])",
           # "بعدم", "وغير": the negating nouns take the prefixes bi-, wa-, li-, fa-
           r"(?<![\p{L}])([وبلف]?(?:عدم|غير|دون)|ما|بدون|فشل|رفض|قليل|نقص|إلا|فقط)(?![\p{L}])"),
}


def _negation_cues(text: str, lang: str, weak: bool = False) -> list[tuple[int, int]]:
    spec = NEGATION.get(lang.split("-")[0])
    if spec is None:
        return []
    cue, excl, weak_cue = spec
    blocked = [(m.start(), m.end()) for m in re.finditer(excl, text, flags=re.I)]
    out = []
    for m in re.finditer(weak_cue if weak else cue, text, flags=re.I):
        if any(a <= m.start() < b for a, b in blocked):
            continue
        out.append((m.start(), m.end()))
    return out


#: how much better (in the document's spreads) the negated side must match without its negation
#: when the other side holds a weak cue
WEAK_NEED = 1.0


def _text_without(sents, ids, cues: list) -> str:
    """The sentences ``ids`` joined, with the cue spans ``(sentence, (start, end))`` taken out."""
    return " ".join(_without(sents[x].text, [c for y, c in cues if y == x]) for x in ids)


def _events(cues: list, sents) -> list[list]:
    """Cues that make one negation: "ne ... pas", "no ... nada", "никогда не" (close together,
    no clause break between them)."""
    out: list[list] = []
    for x, (a, b) in cues:
        if out and out[-1][-1][0] == x:
            gap = sents[x].text[out[-1][-1][1][1]:a]
            if len(gap) <= _CONCORD_GAP and not re.search(r"[,;:()\u3001\uff0c\u060c]", gap):
                out[-1].append((x, (a, b)))
                continue
        out.append([(x, (a, b))])
    return out


_COORDINATE = {"ni", "nor", "neither", "weder", "noch", "ни", "né", "nem"}
#: characters between two cues of one negation at most ("n'a jamais rien dit")
_CONCORD_GAP = 20
#: how much better (in spreads) one side must match with one of its negations taken out, when
#: both sides negate and one negates more often
EXTRA_NEED = 0.25


def _extra_negation(p: PairView, cs: list, ct: list) -> list[Finding]:
    """Both sides negate, one more often than the other: a negation added to (or dropped from)
    a statement that has another one. The side with more negations must match the other clearly
    better with one of them taken out; that one is the evidence."""
    ctx = p.ctx
    if ctx.embed is None:
        return []
    # "ni ... ni", "neither ... nor", "ни ... ни": one negation however far apart its parts are
    def main(cues, sents):
        return [(x, c) for x, c in cues if sents[x].text[c[0]:c[1]].lower() not in _COORDINATE]

    es, et = _events(main(cs, ctx.src_sentences), ctx.src_sentences), _events(main(ct, ctx.tgt_sentences), ctx.tgt_sentences)
    if not es or not et:
        return []
    if len(es) == len(et):
        return []
    if len(es) > len(et):
        side, events, sents, ids, other = "source", es, ctx.src_sentences, p.source, p.tgt_text()
    else:
        side, events, sents, ids, other = "target", et, ctx.tgt_sentences, p.target, p.src_text()
    plain = " ".join(sents[x].text for x in ids)
    v = ctx.embed([plain, other] + [_text_without(sents, ids, ev) for ev in events])
    base = float(v[0] @ v[1])
    gains = [float(r @ v[1]) - base for r in v[2:]]
    k = int(np.argmax(gains))
    if gains[k] <= EXTRA_NEED * ctx.sim_spread:  # the extra one: taking it out clearly helps
        return []
    ev = events[k]
    words = " … ".join(sents[x].text[a:b] for x, (a, b) in ev)
    evidence = tuple(Evidence(side, x, a, b, "negation") for x, (a, b) in ev)
    if side == "source":
        msg = f"negation lost: the source says \u201c{words}\u201d here, the translation does not negate it"
    else:
        msg = f"negation added: the translation says \u201c{words}\u201d here, the source does not negate it"
    return [Finding("negation", "major", _conf(0.6 + min(0.3, gains[k] * 10)), msg, evidence)]


def check_negation(p: PairView) -> list[Finding]:
    """A statement negated on one side only.

    A strong cue (not, không, nicht, ne, no, 不...) on one side and no cue at all on the other,
    strong or weak. Then the encoder confirms: with the negation taken out, the negated side
    must match the other side better (the other side really says the positive).
    """
    ctx = p.ctx
    if ctx.src_lang.split("-")[0] not in NEGATION or ctx.tgt_lang.split("-")[0] not in NEGATION:
        return []
    cs = [(i, c) for i in p.source for c in _negation_cues(ctx.src_sentences[i].text, ctx.src_lang)]
    ct = [(j, c) for j in p.target for c in _negation_cues(ctx.tgt_sentences[j].text, ctx.tgt_lang)]
    if cs and ct:
        return _extra_negation(p, cs, ct)
    if bool(cs) == bool(ct):
        return []
    if cs:
        weak = any(_negation_cues(ctx.tgt_sentences[j].text, ctx.tgt_lang, weak=True) for j in p.target)
        side, cues, sents = "source", cs, ctx.src_sentences
    else:
        weak = any(_negation_cues(ctx.src_sentences[i].text, ctx.src_lang, weak=True) for i in p.source)
        side, cues, sents = "target", ct, ctx.tgt_sentences
    if weak and ctx.embed is None:
        return []
    # a word that carries a negation in its meaning on the other side ("lost", "only", "thiếu")
    # may be where the negation went: then the encoder must show a clear gain, not just any
    need = WEAK_NEED * ctx.sim_spread if weak else 0.1 * ctx.sim_spread
    delta = None
    if ctx.embed is not None:
        ids = p.source if side == "source" else p.target
        plain = " ".join(sents[x].text for x in ids)
        other = p.tgt_text() if side == "source" else p.src_text()
        v = ctx.embed([plain, _text_without(sents, ids, cues), other])
        delta = float(v[1] @ v[2] - v[0] @ v[2])
        if delta <= need:
            return []
    words = ", ".join(sents[x].text[a:b] for x, (a, b) in cues)
    ev = tuple(Evidence(side, x, a, b, "negation") for x, (a, b) in cues)
    if side == "source":
        msg = f"negation lost: the source says \u201c{words}\u201d, the translation has no negation"
    else:
        msg = f"negation added: the translation says \u201c{words}\u201d, the source has no negation"
    conf = 0.6 + (min(0.35, delta * 10) if delta is not None else 0.0)
    return [Finding("negation", "major", _conf(conf), msg, ev)]


# ------------------------------------------------------------------ partial omission

_CLAUSE = re.compile(r"[,;:—–()]|\s(?:and|but|while|which|who|whose|including|although|because|as well as|"
                     r"after|before|when|where|và|nhưng|trong khi|bao gồm|und|aber|während|einschließlich|"
                     r"et|mais|dont|y|pero|mientras|incluidos|incluidas)\s|，|；|、|：")


def _clauses(text: str) -> list[tuple[int, int]]:
    cuts = [0] + [m.start() for m in _CLAUSE.finditer(text)] + [len(text)]
    spans = []
    for a, b in zip(cuts[:-1], cuts[1:]):
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip(" ,;:—–()，；、："))
        if b - a - lead > 0:
            spans.append((a + lead, b))
    return spans


def check_partial_omission(p: PairView) -> list[Finding]:
    ctx = p.ctx
    if not p.source or not p.target or ctx.embed is None or ctx.src_tokens is None:
        return []
    ts = float(sum(ctx.src_tokens[i] for i in p.source))
    tt = float(sum(ctx.tgt_tokens[j] for j in p.target))
    if ts < 12:
        return []
    z = (math.log((tt + 1) / (ts + 1)) - ctx.length_mu) / ctx.length_sigma
    if z > -1.5:
        return []
    # which part of the source does the translation not cover? Leave out one clause (or a run
    # of two or three) and see whether the rest matches the translation better; and embed each
    # left-out part alone to see how little of it the translation carries.
    tv = np.sum([ctx.tgt_vectors[j] * ctx.tgt_tokens[j] for j in p.target], axis=0)
    tv = tv / (np.linalg.norm(tv) + 1e-12)
    best = None
    for i in p.source:
        text = ctx.src_sentences[i].text
        spans = _clauses(text)
        if len(spans) < 2:
            continue
        cands = []
        for k in range(len(spans)):
            for r in (1, 2, 3):
                if k + r > len(spans) or r >= len(spans):
                    continue
                a, b = spans[k][0], spans[k + r - 1][1]
                if (b - a) < 0.2 * len(text) or (b - a) > 0.7 * len(text):
                    continue
                if len(re.findall(r"\w+", text[a:b])) < 3:
                    continue  # "of course", "however": too little to be a statement
                rest = (text[:a] + text[b:]).strip(" ,;")
                cands.append((a, b, rest))
        if not cands:
            continue
        others = " ".join(ctx.src_sentences[x].text for x in p.source if x != i)
        # the left-out parts are short and cheap to embed; the rest (long) only for the two
        # parts the translation covers least
        part_sims = ctx.embed([text[a:b] for a, b, _ in cands]) @ tv
        order = [int(k) for k in np.argsort(part_sims)[:2]]
        rest_sims = np.full(len(cands), -np.inf)
        rest_sims[order] = ctx.embed([(others + " " + cands[k][2]).strip() for k in order]) @ tv
        for k in order:
            gain = float(rest_sims[k] - p.similarity)
            # the kept part must be covered: how much better the rest matches than the part
            contrast = float(rest_sims[k] - part_sims[k])
            key = (gain, contrast)
            if best is None or key > best[0]:
                best = (key, i, cands[k][0], cands[k][1])
    if best is None:
        return []
    (gain, contrast), i, a, b = best
    spread = ctx.sim_spread
    # the left-out part must be clearly less covered than the rest (contrast), and either the
    # rest matches the translation better than the whole does (gain), or the translation is far
    # shorter than this document's own ratio and the whole does no better than the rest
    if not ((gain > 0.3 * spread and contrast > 5.0 * spread)
            or (z < -2.3 and contrast > 3.5 * spread and gain > -0.2 * spread)):
        return []
    conf = _conf(_logistic(-z - 2.0) * 0.5 + min(0.45, max(gain, contrast / 4) * 10))
    text = ctx.src_sentences[i].text
    span = text[a:b].strip()
    msg = f"partial omission: the translation leaves out \u201c{span[:120]}\u201d"
    return [Finding("partial_omission", "major", conf, msg, (Evidence("source", i, a, b, "uncovered"),))]


# ------------------------------------------------------------------ meaning


def check_meaning(p: PairView) -> list[Finding]:
    ctx = p.ctx
    if not p.source or not p.target or not np.isfinite(p.similarity):
        return []
    z = (p.similarity - ctx.sim_median) / ctx.sim_spread
    if z > -5.0:
        return []
    msg = (f"meaning differs: similarity {p.similarity:.2f} is far below this document's typical "
           f"{ctx.sim_median:.2f}")
    ev = tuple(Evidence("source", i, 0, len(ctx.src_sentences[i].text), "low similarity") for i in p.source)
    ev += tuple(Evidence("target", j, 0, len(ctx.tgt_sentences[j].text), "low similarity") for j in p.target)
    return [Finding("meaning", "major" if z < -7 else "minor", _conf(_logistic(-z - 5.5)), msg, ev)]


Check = Callable[[PairView], list]

CHECKS: dict[str, tuple[Check, str]] = {
    "number": (check_numbers, "numbers, percentages and amounts that differ after locale normalisation"),
    "name": (check_names, "a proper name dropped, swapped for another, or added by the translation"),
    "negation": (check_negation, "a statement negated on one side only"),
    "partial_omission": (check_partial_omission, "the counterpart covers clearly less than the source statement"),
    "meaning": (check_meaning, "similarity far below the document's own distribution"),
}
DEFAULT_CHECKS = tuple(CHECKS)
