"""The HTML report of one comparison: one self-contained file, the two texts side by side.

A pure function ``Comparison -> str`` (``to_html``) over a Jinja2 template with autoescaping:
every piece of input text reaches the page escaped. The page loads nothing: CSS, script and SVG
are inline, and a Content-Security-Policy forbids any other source, inline event handlers and
any script without the page's nonce, so even markup that slipped through escaping could not run.
"""
from __future__ import annotations

import difflib
import secrets
from dataclasses import dataclass
from functools import lru_cache
from html import escape

import regex as re

from ..model import Comparison, Document, Flag
from ..text.segment import file_spans
from .textview import span_time, verdict_warning

#: scripts written right to left (a cell of such a language gets dir="rtl")
RTL = {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ku", "arc", "syr"}
#: whole-sentence evidence: the row already shows it; not highlighted word by word
_WHOLE = {"dropped", "added", "low similarity"}
KINDS = ("dropped", "added", "altered", "moved")
#: map scores from which a word is underlined lightly, clearly, strongly
MAP_LEVELS = (0.3, 0.5, 0.7)


@dataclass(frozen=True)
class Piece:
    """A run of text in a cell: plain, or evidence of a flag (``kind`` and ``flag`` set)."""

    text: str
    kind: str = ""
    flag: str = ""
    label: str = ""
    #: the difference map's score of the word this piece is (None: not a word, or no map)
    score: float | None = None

    @property
    def level(self) -> int:
        """How strongly the map marks it: 0 (not), 1, 2 or 3 (see :data:`MAP_LEVELS`)."""
        if self.score is None:
            return 0
        return sum(self.score >= x for x in MAP_LEVELS)


def direction(lang: str) -> str:
    """The text direction of a language: "rtl" for a right-to-left script, else "ltr"."""
    return "rtl" if lang.split("-")[0] in RTL else "ltr"


def _pieces(doc: Document, side: str, ids: tuple[int, ...], flags: list[Flag], diff=None) -> list[list[Piece]]:
    """For each sentence ``ids`` of ``doc``: its text as read, cut where a flag's evidence or a
    word of the difference map (``diff``: the document's side of it) starts and ends; evidence
    pieces marked, words carrying their map score."""
    out = []
    spans = [(e.start, e.end, f, e.label) for f in flags for e in f.evidence
             if e.side == side and e.label not in _WHOLE and e.end > e.start]
    for i in ids:
        s = doc.sentences[i]
        raw = doc.text[s.start:s.end]
        mine = sorted((max(a, s.start) - s.start, min(b, s.end) - s.start, f, label)
                      for a, b, f, label in spans if a < s.end and b > s.start)
        words = []
        if diff is not None and diff[i]:
            located = file_spans(doc.text, s, [(a, b) for a, b, _ in diff[i]], doc.format == "markdown")
            words = [(a - s.start, b - s.start, score) for (a, b), (_, _, score) in zip(located, diff[i])]
        cuts = sorted({0, len(raw), *(a for a, _, _, _ in mine), *(b for _, b, _, _ in mine),
                       *(a for a, _, _ in words), *(b for _, b, _ in words)})
        pieces = []
        for a, b in zip(cuts, cuts[1:]):
            cover = next(((f, label) for x, y, f, label in mine if x <= a and b <= y), None)
            score = next((sc for x, y, sc in words if x <= a and b <= y), None)
            if cover:
                pieces.append(Piece(raw[a:b], cover[0].kind, cover[0].id, cover[1], score))
            else:
                pieces.append(Piece(raw[a:b], score=score))
        out.append(pieces)
    return out


_WORD = re.compile(r"\w+|[^\w\s]")


def word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """A word-level diff of two texts in one language: (op, text) with op "=", "-" or "+"."""
    wa, wb = _WORD.findall(a), _WORD.findall(b)
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("=", " ".join(wa[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", " ".join(wa[i1:i2])))
        if j2 > j1:
            out.append(("+", " ".join(wb[j1:j2])))
    return out


def _strip(c: Comparison, rows: list[dict]) -> str:
    """An SVG strip of similarity along the document: one bar per aligned pair (its height the
    cosine), a coloured tick above each flagged pair; every bar links to its row."""
    n = max(1, len(rows))
    width, height, top = 1000, 64, 14
    bw = width / n
    parts = [f'<svg role="img" class="strip" viewBox="0 0 {width} {height}" preserveAspectRatio="none" '
             f'aria-label="similarity along the document, flags marked">']
    colors = {"dropped": "#c0392b", "added": "#2e7d32", "altered": "#b7791f", "moved": "#2b6cb0"}
    for k, r in enumerate(rows):
        x = k * bw
        sim = r["similarity"]
        h = (height - top) * (sim if sim is not None and sim > 0 else 0.0)
        title = f"pair {k + 1}: " + (f"similarity {sim:.2f}" if sim is not None else "left out")
        if r["flags"]:
            title += "; " + ", ".join(f.kind + (f" ({', '.join(f.reasons)})" if f.reasons else "") for f in r["flags"])
        parts.append(f'<a href="#bead-{k}"><title>{escape(title)}</title>')
        parts.append(f'<rect x="{x:.2f}" y="{height - h:.2f}" width="{max(bw - 0.3, 0.3):.2f}" height="{h:.2f}" '
                     f'fill="#9db4d3"/>')
        if r["flags"]:
            parts.append(f'<rect x="{x:.2f}" y="0" width="{max(bw - 0.3, 1.0):.2f}" height="{top - 4}" '
                         f'fill="{colors[r["flags"][0].kind]}"/>')
        parts.append("</a>")
    parts.append("</svg>")
    return "".join(parts)


def _rows(c: Comparison) -> list[dict]:
    by_bead: dict[tuple, list[Flag]] = {}
    for f in c.flags:
        by_bead.setdefault((f.source, f.target), []).append(f)
    same_lang = c.source.lang.split("-")[0] == c.target.lang.split("-")[0]
    rows = []
    for k, (bead, sc) in enumerate(zip(c.alignment.beads, c.scores)):
        flags = by_bead.get((bead.source, bead.target), [])
        src = _pieces(c.source, "source", bead.source, flags, c.diff.source if c.diff is not None else None)
        tgt = _pieces(c.target, "target", bead.target, flags, c.diff.target if c.diff is not None else None)
        diff = None
        if same_lang and flags and bead.source and bead.target:
            diff = word_diff(" ".join(c.source.sentences[i].text for i in bead.source),
                             " ".join(c.target.sentences[j].text for j in bead.target))
        boiler = (all(not c.source.sentences[i].is_statement for i in bead.source)
                  and all(not c.target.sentences[j].is_statement for j in bead.target))
        rows.append({"k": k, "bead": bead, "similarity": sc.similarity, "score": sc, "flags": flags,
                     "src_time": span_time(c.source, bead.source), "tgt_time": span_time(c.target, bead.target),
                     "src": src, "tgt": tgt, "diff": diff, "boilerplate": boiler and not flags,
                     "kinds": " ".join(sorted({f.kind for f in flags})),
                     "reasons": " ".join(sorted({r for f in flags for r in f.reasons})),
                     "severities": " ".join(sorted({f.severity for f in flags}))})
    return rows


@lru_cache(maxsize=1)
def environment():
    """The Jinja2 environment of every page transcompare writes (this report, the batch report,
    the review app): ``templates/``, autoescaping on. One per process, so each template is
    parsed and compiled once (a batch renders a page per pair)."""
    import jinja2

    # the templates ship with the package: no stat of the file at every render to see if it changed
    return jinja2.Environment(loader=jinja2.PackageLoader("transcompare.render", "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True, auto_reload=False)


def to_html(c: Comparison) -> str:
    """The comparison as one self-contained HTML page."""
    rows = _rows(c)
    reasons = sorted({r for f in c.flags for r in f.reasons})
    return environment().get_template("comparison.html").render(
        c=c, m=c.metrics, rows=rows, strip=_strip(c, rows), kinds=KINDS, reasons=reasons,
        warning=verdict_warning(c),
        src_dir=direction(c.source.lang), tgt_dir=direction(c.target.lang),
        nonce=secrets.token_urlsafe(16), counts={k: sum(1 for f in c.flags if f.kind == k) for k in KINDS})
