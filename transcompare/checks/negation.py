"""Negation check: a statement negated on one side only, or more often on one side."""
from __future__ import annotations

import numpy as np
import regex as re

from ..text import lexicon
from .base import Evidence, Finding, PairView, as_confidence, cut_spans

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
           r"irrelevant|dis(?:agree|approv|allow|continu|miss|pute)\w*|non-?\w+|stop\w*|halt\w*|ban(?:s|ned|ning)?|"
           r"free of|lost|lose|loss|miss(?:es|ed|ing)?|neglect\w*|ignor\w+|cancel\w*|reject\w*|only|less|false|"
           r"hesitat\w*|doubt\w*|unable|neither|either|unless|sure|remember|forget\w*|zero|far from|"
           r"deficient|rather than|clos(?:e|ed|es|ing|ure)|for granted|new to|than (?:necessary|needed)|"
           r"(?:be|is|are|was|were|been|being) out)\b"),
    "vi": (r"(?<![\p{L}\p{M}])(không|chẳng|chưa|chả|đừng|chớ)(?![\p{L}\p{M}])",
           r"không (chỉ|khí|gian|quân|phận|lâu|ngừng|ít|những|trung|lưu|người lái|hẹn trước)|nếu không|"
           r"chẳng hạn|chưa (đầy|tới|đến)|không qua khỏi|không[^.;]{0,80}(?:nếu không|mà không)|"
           r"có [^.?!]{0,40} không\s*\?|hay không|hoặc không|không\s*\?",
           # (not the same syllables in "vô địch" champion, "bất ngờ" surprise, "châu Phi", "phi công"
           # pilot, "bỏ phiếu" vote, "địa chỉ" address, "ít nhất" at least)
           r"(?<![\p{L}\p{M}])(thiếu|mất|hủy|huỷ|từ chối|ngăn|tránh|ít(?! nhất)|vô(?! (?:địch|cùng|số|tuyến))|"
           r"bất(?! (?:ngờ|kỳ|kể|cứ|động sản))|(?<!(?:châu|Châu) )phi(?! (?:công|hành|cơ|trường|đội))|trừ|"
           r"thay vì|khó|hiếm|thất bại|cấm|dừng|ngừng|bỏ(?! phiếu)|mới chỉ|"
           r"(?<!(?:địa|Địa) )chỉ(?! (?:huy|số|đạo|trích|ra|định|thị|tiêu)))(?![\p{L}\p{M}])"),
    "de": (r"\b(nicht|kein|keine|keinen|keinem|keiner|keines|nie|niemals|niemand|nichts|weder|nirgends)\b",
           r"\bnicht nur\b|\bnicht vergessen\b|\bvergessen sie nicht\b|\bnichtsdestotrotz\b|"
           r"\b(?:nicht|kein\w*)\b[^.;]{0,80}\bohne\b",
           r"\b(un(?!d\b|ter|s\b|ser|ten|ion|ivers|gefähr)\w{3,}|ohne|kaum|wenig\w*|fehl\w*|verweiger\w*|statt|"
           r"anstatt|außer|nur|miss\w+|verhinder\w*|vermied\w*|vermeid\w*|abgesagt|gescheitert|stopp\w*|verbot\w*)\b"),
    "fr": (r"\b(ne|jamais|aucun|aucune|ni|nullement|pas)\b|(?<![\p{L}\p{M}])n['’]",
           # "ne ... que" is "only", unless a second particle comes first ("n'a pas dit que")
           r"\bnon seulement\b|(?:\bne\b|\bn['’])(?:(?!\b(?:pas|plus|jamais|rien|personne|aucune?|guère|point)\b)[^.;,]){0,30}\bque\b|"
           r"\bn['’]oubliez pas\b|"
           r"\bnéanmoins\b|\bpas mal\b|(?:\bne\b|(?<![\p{L}\p{M}])n['’])[^.;]{0,80}\bsans\b|"
           # "ne" with no second particle is the literary expletive ("craignait qu'il ne déverse")
           r"(?:\bne\b|(?<![\p{L}\p{M}])n['’])(?![^.;,]{0,40}\b(?:pas|plus|jamais|rien|personne|aucune?|guère|point|ni|nulle?)\b)",
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
           r"不敢|绝不|毫不|决不|不曾|不必|不应|不该|别再|并非",
           r"不仅|不但|不过|不断|不同|不少|不久|不管|不论|不如|不禁|不免|不时|不已|不得不|不光|无论|无数|无线|"
           r"无人机|非常|非洲|是非|未来|特别|分别|区别|级别|类别|告别|个别|识别|别的|别人|莫斯科|除非|无疑|"
           r"毫无疑问|难免|差不多|不错|了不起|不远|不料|不可思议|不得了|不能不|不会不",
           r"不|無|无|未|非|否|缺|失败|拒绝|难以|几乎|很少|避免|防止|禁止|取消|否认|仅|只|除了|停止|失去|丢失|"
           r"勿|莫|别"),
    "ru": (r"(?<![\p{L}\p{M}])(не|нет|ни|никогда|никто|ничего|ничто|нигде)(?![\p{L}\p{M}])",
           r"(?<![\p{L}\p{M}])(?:не только|тем не менее|не забудьте|не забывайте|не[^.;]{0,80}без)(?![\p{L}\p{M}])",
           r"(?<![\p{L}\p{M}])(без|мало|отказ\w*|не\w{3,}|без\w{3,}|лиш\w+|кроме|только)(?![\p{L}\p{M}])"),
    "ar": (r"(?<![\p{L}\p{M}])(لا|لم|لن|ليس|ليست|ليسوا|لست|لسنا)(?![\p{L}\p{M}])",
           r"(?<![\p{L}\p{M}])(?:لا سيما|ما لم|لا تنس|لا شك)(?![\p{L}\p{M}])",
           # "بعدم", "وغير": the negating nouns take the prefixes bi-, wa-, li-, fa-
           r"(?<![\p{L}\p{M}])([وبلف]?(?:عدم|غير|دون)|ما|بدون|فشل|رفض|قليل|نقص|إلا|فقط)(?![\p{L}\p{M}])"),
}


def negation_cues(text: str, lang: str, weak: bool = False) -> list[tuple[int, int]]:
    spec = NEGATION.get(lang.split("-")[0])
    if spec is None:
        return []
    cue, excl, weak_cue = spec
    blocked = [(m.start(), m.end()) for m in re.finditer(excl, text, flags=re.I)]
    out = []
    for m in re.finditer(weak_cue if weak else cue, text, flags=re.I):
        if any(a <= m.start() < b for a, b in blocked):
            continue
        if weak and not _negated_word(m.group(), lang.split("-")[0]):
            continue
        out.append((m.start(), m.end()))
    return out


#: negating prefixes that the weak cues match by pattern ("in\\w{5,}"), not as listed words
_PREFIXES = {"en": ("un",), "es": ("des", "in", "im"),
             "fr": ("dés", "in", "im", "il", "ir"), "it": ("in", "dis"), "pt": ("des", "in", "im"),
             "ru": ("без", "не"), "de": ("un",)}


#: how much more common (Zipf) than the prefixed word its stem must be: negated forms are
#: rarer than their bases ("imposible" 5.0, "posible" 5.4), while "information" (5.0) is a
#: word of its own beside "formation" (5.1)
_STEM_MARGIN = 0.2


def _negated_word(word: str, lang: str) -> bool:
    """Whether a word that starts with a negating prefix is the negated form of a word: its stem
    is a word clearly more common than itself ("imposible": "posible"; not "información",
    "importante", "несколько"). Other weak cues pass as they are."""
    w = word.lower()
    for p in _PREFIXES.get(lang, ()):
        if w.startswith(p) and len(w) - len(p) >= 3 and " " not in w:
            if lang not in lexicon.wordfreq_languages():  # no word list: keep the cue
                return True
            z_word, z_stem = lexicon.zipf(w, lang), lexicon.zipf(w[len(p):], lang)
            return z_stem >= 3.0 and z_stem >= z_word + _STEM_MARGIN
    return True


#: how much better (in the document's spreads) the negated side must match without its negation
#: when the other side holds a weak cue where the negation is
WEAK_NEED = 1.0
#: "where the negation is": within this share of the statement's length of the same relative
#: place (word order differs between languages, so the window is wide); a weak cue further away
#: ("only" in another clause) cannot be where the negation went, and the bar is EXTRA_NEED
WEAK_WINDOW = 0.2


def _places(sents, ids, cues: list) -> list[float]:
    """Where each cue ``(sentence, (start, end))`` starts, as a share of the sentences ``ids``
    joined."""
    total = sum(len(sents[x].text) + 1 for x in ids) or 1
    return [(sum(len(sents[y].text) + 1 for y in ids if y < x) + a) / total for x, (a, _) in cues]


#: Chinese negated verbs and auxiliaries that say the positive with their negating character
#: taken out ("不是" is not / "是" is, "没有" / "有", "不会" / "会"); the other cues go whole
_ZH_KEEP_VERB = {"不是", "不会", "不能", "不要", "不可", "不愿", "不肯", "不敢", "不必", "不应", "不该",
                 "没有", "沒有", "未能"}


def _positive_cut(text: str, lang: str, a: int, b: int) -> tuple[int, int]:
    """The part of the cue at ``text[a:b]`` to take out so that the rest says the positive.
    Vietnamese "không phải là" (is not) loses "không phải", not "không" alone, which leaves
    "phải là" (must be); Chinese "不是" loses "不" and keeps "是" (see ``_ZH_KEEP_VERB``)."""
    if lang == "vi":
        m = re.match(r"\s+phải(?=\s+là(?![\p{L}\p{M}]))", text[b:])
        if m:
            return a, b + m.end()
    elif lang == "zh" and text[a:b] in _ZH_KEEP_VERB:
        return a, a + 1
    return a, b


def text_without(sents, ids, cues: list, lang: str = "") -> str:
    """The sentences ``ids`` joined, with the cue spans ``(sentence, (start, end))`` taken out
    (as much of each as ``_positive_cut`` says, for ``lang``)."""
    lang = lang.split("-")[0]
    return " ".join(cut_spans(sents[x].text, [_positive_cut(sents[x].text, lang, *c) for y, c in cues if y == x])
                    for x in ids)


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
        side, events, sents, ids, other, lang = "source", es, ctx.src_sentences, p.source, p.tgt_text(), ctx.src_lang
    else:
        side, events, sents, ids, other, lang = "target", et, ctx.tgt_sentences, p.target, p.src_text(), ctx.tgt_lang
    plain = " ".join(sents[x].text for x in ids)
    v = ctx.embed([plain, other] + [text_without(sents, ids, ev, lang) for ev in events])
    base = float(v[0] @ v[1])
    gains = [float(r @ v[1]) - base for r in v[2:]]
    k = int(np.argmax(gains))
    if gains[k] <= EXTRA_NEED * ctx.sim_spread:  # the extra one: taking it out clearly helps
        return []
    return [_finding(side, sents, events[k], " … ", "here", "does not negate it", 0.6 + min(0.3, gains[k] * 10))]


def check_negation(p: PairView) -> list[Finding]:
    """A statement negated on one side only.

    A strong cue (not, không, nicht, ne, no, 不...) on one side and no cue at all on the other,
    strong or weak. Then the encoder confirms: with the negation taken out, the negated side
    must match the other side better (the other side really says the positive): by a tenth of
    the document's spread; by a full spread where the other side has a weak cue at about the same
    place in the statement (the negation may have gone into a word: "lost" / "n'a pas gagné"); by
    a quarter spread where its weak cues are elsewhere.
    """
    ctx = p.ctx
    if ctx.src_lang.split("-")[0] not in NEGATION or ctx.tgt_lang.split("-")[0] not in NEGATION:
        return []
    cs = [(i, c) for i in p.source for c in negation_cues(ctx.src_sentences[i].text, ctx.src_lang)]
    ct = [(j, c) for j in p.target for c in negation_cues(ctx.tgt_sentences[j].text, ctx.tgt_lang)]
    if cs and ct:
        return _extra_negation(p, cs, ct)
    if bool(cs) == bool(ct):
        return []
    if cs:
        weak = [(j, c) for j in p.target for c in negation_cues(ctx.tgt_sentences[j].text, ctx.tgt_lang, weak=True)]
        side, cues, sents, ids = "source", cs, ctx.src_sentences, p.source
        weak_at = _places(ctx.tgt_sentences, p.target, weak)
    else:
        weak = [(i, c) for i in p.source for c in negation_cues(ctx.src_sentences[i].text, ctx.src_lang, weak=True)]
        side, cues, sents, ids = "target", ct, ctx.tgt_sentences, p.target
        weak_at = _places(ctx.src_sentences, p.source, weak)
    if weak and ctx.embed is None:
        return []
    # a word that carries a negation in its meaning on the other side ("lost", "only", "thiếu")
    # may be where the negation went: then the encoder must show a clear gain, not just any;
    # a weak cue elsewhere in the statement still asks for a gain that is more than noise
    # (Chinese, Japanese and Korean put conditions and adverbials before the verb: "without warm
    # clothing" / "如果没有保暖的衣服" opens the sentence there, so places do not correspond)
    window = 1.0 if {ctx.src_lang.split("-")[0], ctx.tgt_lang.split("-")[0]} & {"zh", "ja", "ko"} else WEAK_WINDOW
    near = any(abs(w - c) <= window for w in weak_at for c in _places(sents, ids, cues))
    need = (WEAK_NEED if near else EXTRA_NEED if weak else 0.1) * ctx.sim_spread
    delta = None
    if ctx.embed is not None:
        plain = " ".join(sents[x].text for x in ids)
        other = p.tgt_text() if side == "source" else p.src_text()
        lang = ctx.src_lang if side == "source" else ctx.tgt_lang
        v = ctx.embed([plain, text_without(sents, ids, cues, lang), other])
        delta = float(v[1] @ v[2] - v[0] @ v[2])
        if delta <= need:
            return []
    conf = 0.6 + (min(0.35, delta * 10) if delta is not None else 0.0)
    return [_finding(side, sents, cues, ", ", "", "has no negation", conf)]


def _finding(side: str, sents, cues: list, sep: str, where: str, lacks: str, conf: float) -> Finding:
    """The finding for negation cues ``(sentence, (start, end))`` found on ``side`` only."""
    words = sep.join(sents[x].text[a:b] for x, (a, b) in cues)
    said = f"says \u201c{words}\u201d" + (f" {where}" if where else "")
    if side == "source":
        msg = f"negation lost: the source {said}, the translation {lacks}"
    else:
        msg = f"negation added: the translation {said}, the source {lacks}"
    ev = tuple(Evidence(side, x, a, b, "negation") for x, (a, b) in cues)
    return Finding("negation", "major", as_confidence(conf), msg, ev)


def cue_languages() -> frozenset:
    """The languages with a list of negation cues (elsewhere the check has none to look for)."""
    return frozenset(NEGATION)
