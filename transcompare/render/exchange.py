"""Exchange formats translators use, written: TMX 1.4b and XLIFF 2.1.

An alignment (``align``) or a comparison (``compare``, with its flags) becomes one translation
unit per bead: the bead's sentences joined as one segment on each side, its similarity and its
flags as notes (TMX ``<prop>``/``<note>``, XLIFF ``<notes>``). A dropped statement is a unit with
a source and no target; an added one has an empty source. :mod:`transcompare.read.bitext` reads
such files back.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import regex as re

from .. import __version__
from ..model import Bead, BitextAlignment, Comparison, Document, Flag
from ..read.bitext import XLIFF_NS, XML_NS
from ..text.segment import joiner

TMX_VERSION = "1.4"
# characters XML 1.0 cannot hold, even escaped
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(s: str) -> str:
    return _NOT_XML.sub("", s)


def _units(src: Document, tgt: Document, beads: Sequence[Bead], sims: Sequence[float | None],
           flags: Iterable[Flag]):
    """(bead, source text, target text, similarity, flags of the bead) per bead."""
    by_bead: dict[tuple, list[Flag]] = {}
    for f in flags:
        by_bead.setdefault((tuple(f.source), tuple(f.target)), []).append(f)
    js, jt = joiner(src.lang), joiner(tgt.lang)
    for b, sim in zip(beads, sims):
        s = js.join(src.sentences[i].text for i in b.source)
        t = jt.join(tgt.sentences[j].text for j in b.target)
        yield b, _clean(s), _clean(t), sim, by_bead.get((tuple(b.source), tuple(b.target)), [])


def _ids(xs: Sequence[int]) -> str:
    return ",".join(str(x) for x in xs)


def _flag_note(f: Flag) -> str:
    return _clean(f"{f.kind} ({f.severity}, confidence {f.confidence:.2f}): {f.message}")


def _parts(result: Comparison | BitextAlignment):
    """The documents, beads, bead similarities, flags and signature of a comparison, or of an
    alignment (which has no flags)."""
    if isinstance(result, Comparison):
        sims = [s.similarity for s in result.scores]
        return result.source, result.target, result.alignment.beads, sims, result.flags, result.signature
    return result.source, result.target, result.alignment.beads, result.similarities, (), result.signature


def to_tmx(result: Comparison | BitextAlignment) -> str:
    """TMX 1.4b: one ``<tu>`` per bead, the similarity and flags as ``<prop>`` and ``<note>``."""
    from lxml import etree

    src, tgt, beads, sims, flags, signature = _parts(result)
    root = etree.Element("tmx", version=TMX_VERSION)
    header = etree.SubElement(root, "header", {
        "creationtool": "transcompare", "creationtoolversion": __version__, "segtype": "sentence",
        "o-tmf": "transcompare", "adminlang": "en", "srclang": src.lang, "datatype": "plaintext"})
    for key, value in (("x-transcompare-signature", signature), ("x-source-file", src.path),
                       ("x-target-file", tgt.path)):
        if value:
            etree.SubElement(header, "prop", type=key).text = _clean(value)
    body = etree.SubElement(root, "body")
    for k, (b, s, t, sim, fl) in enumerate(_units(src, tgt, beads, sims, flags), 1):
        tu = etree.SubElement(body, "tu", tuid=str(k))
        for f in fl:
            etree.SubElement(tu, "note").text = _flag_note(f)
        props = [("x-bead", b.kind), ("x-source-sentences", _ids(b.source)), ("x-target-sentences", _ids(b.target))]
        if sim is not None:
            props.append(("x-similarity", f"{sim:.4f}"))
        if b.moved:
            props.append(("x-moved", "yes"))
        for key, value in props:
            if value:
                etree.SubElement(tu, "prop", type=key).text = value
        for lang, text in ((src.lang, s), (tgt.lang, t)):
            if text:
                tuv = etree.SubElement(tu, "tuv")
                tuv.set(f"{{{XML_NS}}}lang", lang)
                etree.SubElement(tuv, "seg").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


def to_xliff(result: Comparison | BitextAlignment) -> str:
    """XLIFF 2.1: one ``<unit>`` of one ``<segment>`` per bead; flags and similarity as notes."""
    from lxml import etree

    src, tgt, beads, sims, flags, signature = _parts(result)
    x = f"{{{XLIFF_NS}}}"
    root = etree.Element(f"{x}xliff", {"version": "2.1", "srcLang": src.lang, "trgLang": tgt.lang},
                         nsmap={None: XLIFF_NS})
    file_ = etree.SubElement(root, f"{x}file", id="f1", original=_clean(src.path))
    if signature:
        notes = etree.SubElement(file_, f"{x}notes")
        etree.SubElement(notes, f"{x}note", category="transcompare-signature").text = _clean(signature)
    for k, (b, s, t, sim, fl) in enumerate(_units(src, tgt, beads, sims, flags), 1):
        unit = etree.SubElement(file_, f"{x}unit", id=f"u{k}", name=f"bead {b.kind}")
        notes = etree.SubElement(unit, f"{x}notes")
        for f in fl:
            etree.SubElement(notes, f"{x}note", {
                "category": f"transcompare-{f.kind}", "priority": "1" if f.severity == "major" else "5",
                "appliesTo": "source" if f.kind == "dropped" else "target"}).text = _flag_note(f)
        etree.SubElement(notes, f"{x}note", category="transcompare-sentences").text = \
            f"source {_ids(b.source) or '-'}; target {_ids(b.target) or '-'}" + ("; moved" if b.moved else "")
        if sim is not None:
            etree.SubElement(notes, f"{x}note", category="transcompare-similarity").text = f"{sim:.4f}"
        seg = etree.SubElement(unit, f"{x}segment", id=f"s{k}")
        if t:
            seg.set("state", "translated")
        etree.SubElement(seg, f"{x}source").text = s
        if t:
            etree.SubElement(seg, f"{x}target").text = t
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")


