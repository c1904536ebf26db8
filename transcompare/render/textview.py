"""The side-by-side text view of a comparison for the terminal, and the bead list of an
alignment."""
from __future__ import annotations

import os
import textwrap
import unicodedata

from ..model import BitextAlignment, Comparison


_STYLE = {"dropped": ("red", "-"), "added": ("green", "+"), "altered": ("yellow", "~"), "moved": ("cyan", ">")}


def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _width(s: str) -> int:
    if s.isascii():
        return len(s)
    return sum(_char_width(ch) for ch in s)


def _wrap(text: str, width: int) -> list[str]:
    """Wrap by display width; CJK text has no spaces, so break it anywhere."""
    if not text:
        return [""]
    lines: list[str] = []
    for para in textwrap.wrap(text, width=max(8, width), break_long_words=False) or [""]:
        if _width(para) <= width:
            lines.append(para)
            continue
        cur, w = "", 0
        for ch in para:
            cw = _char_width(ch)
            if w + cw > width:
                lines.append(cur)
                cur, w = "", 0
            cur += ch
            w += cw
        lines.append(cur)
    return lines


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - _width(s))


def _styler(color: bool):
    def style(s, **kw):
        if not color:
            return s
        import click

        return click.style(s, **kw)
    return style


def to_text(c: Comparison, color: bool = False, width: int | None = None, flagged_only: bool = False) -> str:
    """The two texts side by side, a row per bead, each flag under its row with its evidence,
    then a summary. ``width``: the terminal's (default ``$COLUMNS``, else 120)."""
    style = _styler(color)
    width = width or int(os.environ.get("COLUMNS", 0) or 0) or 120
    width = max(60, min(width, 200))
    col = (width - 15) // 2
    src, tgt = c.source, c.target
    out = [style(f"{src.path} ({src.lang}) -> {tgt.path} ({tgt.lang})", bold=True)]
    warning = verdict_warning(c)
    if warning:
        out.append(style(f"WARNING: {warning}", fg="red", bold=True))
    for side, doc in (("source", src), ("translation", tgt)):
        about = ", ".join(f"{k} {v}" for k, v in doc.meta.items() if k in _SHOWN_META)
        if about:
            out.append(f"  {side}: {about}")
    out.append("")
    flags: dict[tuple, list] = {}
    for f in c.flags:
        flags.setdefault((f.source, f.target), []).append(f)
    header = f"{'  #':7}{_pad('SOURCE', col)} | {_pad('TRANSLATION', col)}  sim"
    rule = "-" * min(width, len(header) + 2)
    out += [style(header, bold=True), rule]
    for bead, sc in zip(c.alignment.beads, c.scores):
        fl = flags.get((bead.source, bead.target), [])
        if flagged_only and not fl:
            continue
        out += _bead_rows(c, bead, sc, fl, col, style)
    out.append(rule)
    out += _summary(c, style)
    return "\n".join(out) + "\n"


def _bead_rows(c: Comparison, bead, sc, fl: list, col: int, style) -> list[str]:
    """One bead: its texts wrapped side by side, its cue times, and its flags with evidence."""
    src, tgt = c.source, c.target
    out = []
    left = _mark(" ".join(src.sentences[i].text for i in bead.source), fl, "source")
    right = _mark(" ".join(tgt.sentences[j].text for j in bead.target), fl, "target")
    lw, rw = _wrap(left, col), _wrap(right, col)
    if style("x", underline=True) != "x":  # in colour the marks become underlines
        lw, rw = [_underline(x) for x in lw], [_underline(x) for x in rw]
    mark = " "
    fg = None
    if fl:
        fg, mark = _STYLE[fl[0].kind]
    boiler = all(not src.sentences[i].is_statement for i in bead.source) and \
        all(not tgt.sentences[j].is_statement for j in bead.target)
    if boiler and not fl:
        mark = "\u00b7"
    ids = (f"{bead.source[0]}" if len(bead.source) == 1 else
           f"{bead.source[0]}-{bead.source[-1]}" if bead.source else "-")
    sim = "" if sc.similarity is None else f"{sc.similarity:.2f}"
    for k in range(max(len(lw), len(rw))):
        l_txt = lw[k] if k < len(lw) else ""
        r_txt = rw[k] if k < len(rw) else ""
        prefix = f"{mark} {ids:>4} " if k == 0 else ""
        line = f"{prefix:7}{_pad(l_txt, col)} | {_pad(r_txt, col)}  {sim if k == 0 else ''}"
        out.append(style(line, fg=fg, dim=boiler and not fl) if (fg or boiler) else line)
    times = [span_time(src, bead.source), span_time(tgt, bead.target)]
    if any(times):
        out.append(style(f"{'':7}{_pad(times[0], col)} | {_pad(times[1], col)}", dim=True))
    for f in fl:
        tag = f.kind.upper() + (f"({','.join(f.reasons)})" if f.reasons else "")
        out.append(style(f"       {mark} {tag} [{f.severity}, confidence {f.confidence:.2f}] {f.message}  #{f.id}",
                         fg=_STYLE[f.kind][0], bold=True))
        for e in f.evidence:
            if e.label in ("dropped", "added", "low similarity"):
                continue
            snippet = e.text if len(e.text) <= 80 else e.text[:77] + "..."
            out.append(style(f"         {e.side} {e.start}-{e.end}: \u201c{snippet}\u201d", fg=_STYLE[f.kind][0]))
    return out


def verdict_warning(c: Comparison) -> str:
    """One line for a comparison whose texts are not (wholly) translations of each other."""
    m = c.metrics
    share = f"{m.get('confident_source', 0):.0%} of the source and {m.get('confident_target', 0):.0%} of the translation"
    if m.get("verdict") == "unrelated":
        return (f"these texts are not translations of each other: only {share} are in pairs that match "
                "better than unrelated sentences do; no sentence flags are raised")
    if m.get("verdict") == "partial":
        return f"only part of one text is a translation of the other: {share} are in clearly matching pairs"
    return ""


#: what marks a flag's evidence in the side-by-side text (underlined instead, in colour)
MARK_OPEN, MARK_CLOSE = "\u27e6", "\u27e7"
#: evidence that is the whole sentence is not marked inside it
_WHOLE = {"dropped", "added", "low similarity", "moved from", "moved to"}


def _mark(text: str, flags: list, side: str) -> str:
    """``text`` with each evidence span of ``flags`` on ``side`` found in it put between marks."""
    spans = []
    for f in flags:
        for e in f.evidence:
            needle = " ".join(e.text.split())
            if e.side != side or e.label in _WHOLE or not needle:
                continue
            at = text.find(needle)
            if at >= 0 and not any(a < at + len(needle) and at < b for a, b in spans):
                spans.append((at, at + len(needle)))
    for a, b in sorted(spans, reverse=True):
        text = text[:a] + MARK_OPEN + text[a:b] + MARK_CLOSE + text[b:]
    return text


def _underline(line: str) -> str:
    """A wrapped line's marks as terminal underlines (a mark left open at the line's end closes)."""
    if MARK_OPEN not in line and MARK_CLOSE not in line:
        return line
    out = line.replace(MARK_OPEN, "\x1b[4m").replace(MARK_CLOSE, "\x1b[24m")
    return out + "\x1b[24m"


def _summary(c: Comparison, style) -> list[str]:
    m = c.metrics
    fk = m.get("flags", {})
    out = [style("Summary", bold=True)]
    out.append(f"  sentences      {m['source_sentences']} source, {m['target_sentences']} translation "
               f"({m['source_statements']} / {m['target_statements']} statements)")
    out.append(f"  coverage       {m['coverage']:.1%} of source statements have a counterpart; "
               f"{m['target_coverage']:.1%} of translation statements")
    if m.get("mean_similarity") is not None:
        out.append(f"  similarity     {m['mean_similarity']:.3f} mean over aligned pairs")
    if m.get("match_level") is not None:
        out.append(f"  sim            cosine of sentence vectors; here sentences that do not match reach "
                   f"{m['match_level']:.2f}: only a pair above it clearly matches")
    if "verdict" in m:
        out.append(f"  verdict        {m['verdict']} ({m['confident_source']:.0%} of source and "
                   f"{m['confident_target']:.0%} of translation statements in clearly matching pairs)")
    if "chrf" in m:
        how = ("direct" if m.get("metrics_direct", True)
               else f"on the back-translation by {m.get('metrics_via')}")
        out.append(f"  sacreBLEU      chrF {m['chrf']}  BLEU {m['bleu']}  TER {m['ter']} "
                   f"({how}, tokenizer {m['metrics_tokenizer']})")
    beads = ", ".join(f"{k}: {v}" for k, v in sorted(m.get("beads", {}).items()))
    out.append(f"  beads          {beads}")
    out.append(f"  flags          {fk.get('dropped', 0)} dropped, {fk.get('added', 0)} added, "
               f"{fk.get('moved', 0)} moved, {fk.get('altered', 0)} altered" +
               (f" ({', '.join(f'{k}: {v}' for k, v in sorted(m.get('reasons', {}).items()))})" if m.get("reasons") else ""))
    if any(e.label not in _WHOLE for f in c.flags for e in f.evidence):
        out.append(f"  {MARK_OPEN} {MARK_CLOSE}            a flag's evidence in the text (underlined in colour)")
    if any(not s.is_statement for d in (c.source, c.target) for s in d.sentences):
        out.append("  \u00b7              boilerplate (bylines, sources, share and comment lines, sound cues): "
                   "shown, never flagged")
    out.append(f"  signature      {c.signature}")
    return out


#: metadata a reader found that the text view shows under the file names
_SHOWN_META = ("title", "author", "date", "sitename", "url")


def span_time(doc, ids) -> str:
    """The time range of subtitle cues ``ids`` ("00:00:01.000 --> 00:00:06.000"), or ""."""
    times = [doc.sentences[i].time for i in ids if doc.sentences[i].time]
    if not times:
        return ""
    return f"{times[0].split(' --> ')[0]} --> {times[-1].split(' --> ')[-1]}"


def align_to_beads(a: BitextAlignment) -> str:
    """One bead a line in the ``[0]:[0, 1]`` form of the Bleualign/Vecalign/Bertalign benchmarks
    (0-based sentence ids; an empty side for 1-0 and 0-1 beads)."""
    return "".join(f"[{', '.join(map(str, b.source))}]:[{', '.join(map(str, b.target))}]\n"
                   for b in a.alignment.beads)
