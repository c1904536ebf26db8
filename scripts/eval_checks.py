#!/usr/bin/env python3
"""How well the checks catch planted changes: synthetic perturbations of FLORES-200 dev documents.

Every FLORES document (consecutive lines sharing a doc_index) is written as one paragraph in
English and in each other language (and English against English). One change at a time is made
to the translation, at a line chosen by a seeded random draw, and the pair is compared:

  dropped    a translation line taken out            -> a `dropped` flag on that source line (where
             the source runs that line into a neighbour with no sentence end between them, it
             is part of a source sentence: a partial omission of that sentence counts too)
  added      a line of another document put in       -> an `added` flag on that line
  number     a figure of the line changed            -> `altered` (number) on that line
  name       a Latin-script name of the line swapped for a name of another document
                                                     -> `altered` (name)
  negation   the line's main verb negated (per-language patterns; not every line has one)
                                                     -> `altered` (negation)
  partial    a clause of 30-60 % of the line cut out (not the first: it holds the subject)
                                                     -> `altered` (partial_omission)
  attribution  a line's speaker ("..., Keller said") replaced by another person the document
             names: a speaker elsewhere, or a name of two words (Latin-script translations only)
                                                     -> `altered` (attribution)
  quote      the words inside a line's quotation marks (a quote of at most 70 % of the line)
             replaced by as many words of a line of another document
                                                     -> `altered` (quote)
  merge      two neighbouring lines joined with ";"  -> nothing flagged
  split      a line cut in two at a comma            -> nothing flagged
  clean      no change                               -> nothing flagged

For each change: recall (the change was flagged with the right kind and reason on the changed
line), precision (the share of flags of that kind and reason in the changed documents that sit
on the changed line), F1. For merge and split, and for the documents before any change (clean),
flags per 100 source sentences.

    python scripts/eval_checks.py [--langs vie_Latn,deu_Latn] [--limit 100] [--skip 0] [--data ../shared/data]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict

from flores_docs import DEFAULT_DATA, load_docs

import regex as re

from transcompare.text import lexicon as names_mod
from transcompare.checks.quote import quote_spans, speakers

LANGS = {"eng_Latn": "en", "vie_Latn": "vi", "deu_Latn": "de", "fra_Latn": "fr", "spa_Latn": "es",
         "zho_Hans": "zh", "rus_Cyrl": "ru", "arb_Arab": "ar"}
CHANGES = ("dropped", "added", "number", "name", "negation", "partial", "attribution", "quote", "merge", "split",
           "clean")
EXPECT = {"dropped": ("dropped", None), "added": ("added", None), "number": ("altered", "number"),
          "name": ("altered", "name"), "negation": ("altered", "negation"),
          "partial": ("altered", "partial_omission"), "attribution": ("altered", "attribution"),
          "quote": ("altered", "quote")}

# negating the first matching auxiliary or copula of a line: (pattern, replacement) per language
NEGATE = {
    "en": [(r"\b(is|are|was|were|will|would|can|could|should|has|have|had|must|may)\b(?! not)", r"\1 not")],
    "de": [(r"\b(ist|sind|war|waren|wird|werden|wurde|wurden|hat|haben|hatte|hatten|kann|können|konnte|muss)\b(?! nicht)",
            r"\1 nicht")],
    # not after an elided pronoun ("s'est", "l'a") or in "il y a"; "ne" elides before a vowel
    "fr": [(r"(?<![’'\w])(?<!y )(est|était|étaient|a|ont|avait|avaient)\b", r"n'\1 pas"),
           (r"(?<![’'\w])(sont|sera|seront|peut|peuvent|doit)\b", r"ne \1 pas")],
    # not where the verb is already negated ("no no era") or has a clitic before it ("se no ha")
    "es": [(r"(?<!\b(?:no|se|lo|la|le|les|los|las|me|te|nos|ya) )"
            r"\b(es|son|era|eran|fue|fueron|está|están|estaba|ha|han|había|habían|puede|pueden|será)\b", r"no \1")],
    # never where the line already negates ("không không") or inside a word
    "vi": [(r"(?<!\S)(?<!(?:không|chưa|chẳng|phải) )(là)(?!\S)", r"không phải là"),
           (r"(?<!\S)(?<!(?:không|chưa|chẳng) )(đã|sẽ|có thể)(?!\S)(?! (?:không|chưa|chẳng)(?!\S))", r"\1 không"),
           (r"(?<!\S)(?<!(?:không|chưa|chẳng) )(được)(?!\S)", r"không \1")],
    # Chinese: the verb, not the same character inside a word (社会, 可能, 所有, 但是)
    "zh": [(r"(?<![但就于还只可总或要凡正真倒硬不没别])是(?![否])", "不是"),
           (r"(?<![所没拥具含国私只占享未])有(?![关些点的效限时名趣利力史])", "没有"),
           (r"(?<![社机大协学委国议都聚约宴晚峰运博展理年不员转])会(?![议员长谈见场面计费])", "不会"),
           (r"(?<![可功技性智核才本体阳不未只])能(?![源力量否])", "不能")],
    "ru": [(r"(?<!\S)(является|являются|был|была|было|были|будет|может|могут|есть)(?!\S)", r"не \1")],
    "ar": [(r"(?<!\S)(هو|هي)(?!\S)", r"\1 ليس")],
}
CLAUSE = re.compile(r"[,，;；:：](?!\d)")  # not inside a figure ("17,1")
NUMBER = re.compile(r"(?<![\p{L}\p{N}.,])\p{N}+(?:[.,]\p{N}+)?(?![\p{L}\p{N}])")
NAME = re.compile(r"(?<=\S\s)\p{Lu}\p{Ll}{3,}(?:\s\p{Lu}\p{Ll}{2,})?")


def join_lines(lines: list[str], lang: str) -> tuple[str, list[tuple[int, int]]]:
    sep = "" if lang == "zh" else " "
    text, spans = "", []
    for k, line in enumerate(lines):
        if k:
            text += sep
        spans.append((len(text), len(text) + len(line)))
        text += line
    return text, spans


def perturb(change: str, lines: list[str], src_lines: list[str], lang: str, rng: random.Random,
             other_lines: list[str], other_names: list[str]):
    """Return (new translation lines, index of the changed line in them, index of its source
    line) or None when the change does not apply to this document."""
    n = len(lines)
    if change == "clean":
        return list(lines), None, None
    order = list(range(n))
    rng.shuffle(order)
    if change == "dropped":
        if n < 2:
            return None
        k = order[0]
        return lines[:k] + lines[k + 1:], None, k
    if change == "added":
        k = rng.randrange(n + 1)
        return lines[:k] + [rng.choice(other_lines)] + lines[k:], k, None
    for k in order:
        line = lines[k]
        if change == "number":
            nums = [m for m in NUMBER.finditer(line)]
            if not nums:
                continue
            m = rng.choice(nums)
            digits = m.group()
            # change one digit that is not a leading digit, so the size of the figure stays
            pos = [i for i, ch in enumerate(digits) if ch.isdigit()]
            i = pos[-1] if len(pos) > 1 else pos[0]
            new_digit = str((int(digits[i]) + rng.randint(1, 8)) % 10)
            if len(pos) == 1 and new_digit == "0":
                new_digit = "9"
            new = digits[:i] + new_digit + digits[i + 1:]
            return lines[:k] + [line[:m.start()] + new + line[m.end():]] + lines[k + 1:], k, k
        if change == "name":
            src = src_lines[k]
            cands = [m for m in NAME.finditer(line) if m.group() in src]
            if not cands or not other_names:
                continue
            m = rng.choice(cands)
            swap = [x for x in other_names if x != m.group() and x not in src and x not in line]
            if not swap:
                continue
            return lines[:k] + [line[:m.start()] + rng.choice(swap) + line[m.end():]] + lines[k + 1:], k, k
        if change == "negation":
            for pat, rep in NEGATE.get(lang, []):
                new, count = re.subn(pat, rep, line, count=1)
                if count:
                    return lines[:k] + [new] + lines[k + 1:], k, k
            continue
        if change == "partial":
            cuts = [m.start() for m in CLAUSE.finditer(line)]
            if not cuts:
                continue
            bounds = [0] + [c + 1 for c in cuts] + [len(line)]
            pieces = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
            # the longest clause after the first (the first holds the subject) that is at least
            # 30 % of the line and leaves most of it: a cut, not the whole statement gone
            fit = [p for p in pieces[1:] if 0.3 * len(line) <= p[1] - p[0] <= 0.6 * len(line)]
            if not fit:
                continue
            a, b = max(fit, key=lambda p: p[1] - p[0])
            new = (line[:a].rstrip(",，;；:： ") + line[b:]) if b < len(line) else line[:a].rstrip(",，;；:： ") + "."
            if lang == "zh" and b >= len(line):
                new = new[:-1] + "。"
            return lines[:k] + [new] + lines[k + 1:], k, k
        if change == "attribution":
            cap_s, cap_t = names_mod.doc_capitalised(src_lines), names_mod.doc_capitalised(lines)
            said = speakers(line, lang, names_mod.extract(line, lang, cap_t))
            src_said = speakers(src_lines[k], "en", names_mod.extract(src_lines[k], "en", cap_s))
            if not said or not src_said or said[0].key != src_said[0].key:
                continue
            # another person of this document, spelled alike on both sides, named in another line
            # a person: a speaker somewhere in the document, or a name of two words or more
            persons = {nm.text for other in lines
                       for nm in speakers(other, lang, names_mod.extract(other, lang, cap_t))}
            others = sorted({nm.text for kk, other in enumerate(lines) if kk != k
                             for nm in names_mod.extract(other, lang, cap_t)
                             if nm.text in " ".join(src_lines) and len(nm.tokens[-1]) >= 3
                             and (len(nm.tokens) >= 2 or nm.text in persons)
                             and nm.tokens[-1] not in said[0].tokens and nm.text not in line})
            if not others:
                continue
            t = said[0]
            return lines[:k] + [line[:t.start] + rng.choice(others) + line[t.end:]] + lines[k + 1:], k, k
        if change == "quote":
            # a quote with words around it (who said it), of at most 70 % of the line
            spans = [(a, b) for a, b in quote_spans(line) if (len(line[a:b].split()) >= 3 or
                     (lang == "zh" and b - a >= 6)) and b - a <= 0.7 * len(line)]
            if not spans:
                continue
            a, b = max(spans, key=lambda x: x[1] - x[0])
            # in its place, as many words (characters in Chinese) of a line of another document
            filler = rng.choice(other_lines).rstrip(" .。!?！？")
            filler = filler[:b - a] if lang == "zh" else " ".join(filler.split()[:len(line[a:b].split())])
            return lines[:k] + [line[:a] + filler + line[b:]] + lines[k + 1:], k, k
        if change == "merge":
            if k + 1 >= n:
                continue
            left = line.rstrip()
            end = left[-1:] if left[-1:] in ".。!?！？" else ""
            left = left[:-1] if end else left
            joined = left + ("；" if lang == "zh" else "; ") + lines[k + 1]
            return lines[:k] + [joined] + lines[k + 2:], k, k
        if change == "split":
            cuts = [m.start() for m in CLAUSE.finditer(line) if 0.3 * len(line) < m.start() < 0.7 * len(line)]
            if not cuts:
                continue
            c = cuts[0]
            head, tail = line[:c], line[c + 1:].lstrip()
            if not tail:
                continue
            tail = tail[0].upper() + tail[1:]
            return lines[:k] + [head + ("。" if lang == "zh" else "."), tail] + lines[k + 1:], k, k
    return None


def planted_case(change: str, src_lines: list[str], lines: list[str], lang: str, d: int,
                 rng: random.Random, other: list[str], names: list[str]):
    """One FLORES document with ``change`` planted in its translation, as two documents: the
    source and the changed translation, each line's span in them, and which line was changed on
    each side (``None``: none); ``None`` when the change does not apply to this document."""
    from transcompare import document_from_text

    out = perturb(change, lines, src_lines, lang, rng, other, names)
    if out is None:
        return None
    new_lines, tk, sk = out
    src_text, src_spans = join_lines(src_lines, "en")
    tgt_text, tgt_spans = join_lines(new_lines, lang)
    return (document_from_text(src_text, "en", f"flores-{d}.en"),
            document_from_text(tgt_text, lang, f"flores-{d}.{lang}"), src_spans, tgt_spans, tk, sk)


def sentences_over(doc, span: tuple[int, int]) -> set[int]:
    a, b = span
    return {s.id for s in doc.sentences if s.start < b and a < s.end}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--langs", default=",".join(LANGS))
    ap.add_argument("--changes", default=",".join(CHANGES))
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents")
    ap.add_argument("--skip", type=int, default=0, help="leave out the first N documents (--skip 100 --limit 100: "
                    "documents the rules were not tuned on)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--misses", action="store_true", help="print every missed change and wrong flag")
    ap.add_argument("--dump", default=None, help="write every flag raised, one JSON line each, with whether it is right "
                    "(the input of scripts/calibrate_confidence.py)")
    args = ap.parse_args(argv)
    loaded = load_docs(args.data, args.limit, args.skip)
    if loaded is None:
        return 0
    docs, order = loaded
    from transcompare.backends.encoders import get_encoder
    from transcompare import compare_documents

    enc = get_encoder(cache=False)  # measure encoding, not the vector cache
    changes = args.changes.split(",")
    unknown = [c for c in changes if c not in CHANGES]
    if unknown:
        ap.error(f"unknown change(s) {', '.join(unknown)} (choose from {', '.join(CHANGES)})")
    print(f"{'lang':5} {'change':9} {'cases':>5} {'found':>5} {'P':>6} {'R':>6} {'F1':>6}  flags/100 sents  secs")
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    # every flag raised, as (confidence, right): right when it is the planted change (its kind,
    # on its line); every flag on a benign change or an untouched document is wrong
    reliability: list[tuple[float, bool]] = []
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None
    if dump:
        from transcompare.checks import calibration

        calibration.DISABLED = True  # record the checks' raw confidences, the table's input

    def record(f, right: bool, lang: str, change: str, d: int) -> None:
        reliability.append((f.confidence, right))
        if dump:
            dump.write(json.dumps({"lang": lang, "change": change, "doc": d, "kind": f.kind, "reasons": list(f.reasons),
                                   "severity": f.severity, "confidence": f.confidence,
                                   "message": f.message, "right": right}) + "\n")
    for code in args.langs.split(","):
        lang = LANGS[code]
        # names that both sides of a document spell alike: the pool a swapped name comes from
        pool_names = sorted({m.group() for d in order for r in docs[d] for m in NAME.finditer(r[code])
                             if m.group() in r["eng_Latn"]})
        for change in changes:
            t0 = time.time()
            cases = found = flags_kind = flags_right = 0
            n_src = n_flags = 0
            for d in order:
                rows = docs[d]
                src_lines = [r["eng_Latn"] for r in rows]
                lines = [r[code] for r in rows]
                rng = random.Random(f"{args.seed}-{code}-{change}-{d}")
                other = [r[code] for dd in (order[(order.index(d) + 7) % len(order)],) for r in docs[dd]]
                names_here = {m.group() for r in rows for m in NAME.finditer(r[code])}
                case = planted_case(change, src_lines, lines, lang, d, rng, other,
                                    [x for x in pool_names if x not in names_here])
                if case is None:
                    continue
                src, tgt, src_spans, tgt_spans, tk, sk = case
                c = compare_documents(src, tgt, enc)
                n_src += len(src.sentences)
                if change in ("merge", "split", "clean"):
                    cases += 1
                    n_flags += len(c.flags)
                    for f in c.flags:
                        record(f, False, lang, change, d)
                    if args.misses:
                        for f in c.flags:
                            print(f"  [{lang} {change} doc {d}] flag {f.kind} {f.reasons}: {f.message[:140]}")
                    continue
                kind, reason = EXPECT[change]
                want_s = sentences_over(src, src_spans[sk]) if sk is not None else set()
                want_t = sentences_over(tgt, tgt_spans[tk]) if tk is not None else set()
                cases += 1
                hit = False
                # a dropped line the source runs into a neighbour (no sentence end between them)
                # is part of a source sentence: what the translation lost is a partial omission
                part_of = kind == "dropped" and any(
                    s.start < src_spans[sk][0] or s.end > src_spans[sk][1] for s in src.sentences if s.id in want_s)
                for f in c.flags:
                    on = (set(f.source) & want_s) if kind == "dropped" else (set(f.target) & want_t)
                    right = (f.kind == kind and (not reason or reason in f.reasons)) or (
                        part_of and f.kind == "altered" and "partial_omission" in f.reasons)
                    record(f, bool(right and on), lang, change, d)
                    if not right:
                        continue
                    flags_kind += 1
                    if on:
                        flags_right += 1
                        hit = True
                    elif args.misses:
                        print(f"  [{lang} {change} doc {d}] wrong flag: {f.message[:160]}")
                found += hit
                if not hit and args.misses:
                    line = tgt.text[slice(*tgt_spans[tk])] if tk is not None else lines[sk]
                    print(f"  [{lang} {change} doc {d}] missed: {line[:160]}")
            secs = time.time() - t0
            if change in ("merge", "split", "clean"):
                per = 100.0 * n_flags / max(1, n_src)
                print(f"{lang:5} {change:9} {cases:5d} {'':>5} {'':>6} {'':>6} {'':>6}  {per:6.2f}           {secs:5.0f}", flush=True)
                continue
            p = flags_right / flags_kind if flags_kind else 0.0
            r = found / cases if cases else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            t = totals[change]
            t[0] += cases
            t[1] += found
            t[2] += flags_kind - flags_right
            print(f"{lang:5} {change:9} {cases:5d} {found:5d} {p:6.3f} {r:6.3f} {f1:6.3f}                   {secs:5.0f}", flush=True)
    print("all languages:")
    for change, (cases, found, wrong) in totals.items():
        p = found / (found + wrong) if found + wrong else 0.0
        r = found / cases if cases else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {change:9} cases {cases:5d}  P {p:.3f}  R {r:.3f}  F1 {f1:.3f}")
    if dump:
        dump.close()
    if reliability:
        print("confidence against the share of flags that are right:")
        edges = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]
        for lo, hi in zip(edges[:-1], edges[1:]):
            got = [ok for conf, ok in reliability if lo <= conf < hi]
            if got:
                print(f"  {lo:.1f}-{min(hi, 1.0):.1f}  flags {len(got):5d}  right {sum(got) / len(got):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
