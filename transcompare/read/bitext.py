"""Exchange formats translators use, read: TMX and XLIFF (2.x, 1.2) as pre-aligned input.

:func:`read_bitext` takes such a file (a translation memory, or one transcompare wrote with
:mod:`transcompare.render.exchange`): each unit's two sides are segmented, and the unit becomes
one bead that is scored and checked as given, never re-aligned. That re-scores an existing
translation memory.
"""
from __future__ import annotations

from typing import Sequence

import regex as re

from ..errors import InputError
from ..model import Bead, Block, Document, RawDocument
from .base import MAX_XML_ELEMENTS, collapse_spaces, count_elements
from .document import document_from_raw
from .fetch import load_bytes
from .registry import detect_format

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"


#: TMX elements that hold native codes (formatting of the tool that made them), not text
_TMX_CODES = {"bpt", "ept", "it", "ph", "ut"}
_XLIFF12_CODES = {"bpt", "ept", "it", "ph", "x", "bx", "ex"}


def _text(elem, codes: set[str]) -> str:
    """The text of a segment without its inline codes (their tails are text)."""
    out = [elem.text or ""]
    for child in elem:
        tag = _local(child.tag)
        if tag == "cp" and child.get("hex"):
            try:
                out.append(chr(int(child.get("hex"), 16)))
            except ValueError:
                pass
        elif tag not in codes:
            out.append(_text(child, codes))
        out.append(child.tail or "")
    return collapse_spaces("".join(out))


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _same_lang(a: str, b: str) -> bool:
    a, b = a.lower().replace("_", "-"), b.lower().replace("_", "-")
    return a == b or a.split("-")[0] == b.split("-")[0]


def _parse(data: bytes, path: str):
    from lxml import etree

    # elements, counted in the raw bytes before the tree is built (lxml takes several times the
    # file's size in memory): a memory of a few hundred thousand tiny elements is a bomb, not a job
    elements = count_elements(data)
    if elements > MAX_XML_ELEMENTS:
        raise InputError(f"has about {elements:,} XML elements; the limit for one memory is {MAX_XML_ELEMENTS:,}",
                         path)

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"is not well-formed XML ({exc})", path) from None


def _ids_key(value: str | None) -> int | None:
    """The first sentence id of "3,4" (what transcompare writes), or None."""
    try:
        return int(value.split(",")[0]) if value else None
    except ValueError:
        return None


def _tmx_units(root, path: str, source_lang: str | None, target_lang: str | None):
    header = root.find("header")
    srclang = source_lang or (header.get("srclang") if header is not None else None)
    tus = []
    langs: dict[str, None] = {}
    for tu in root.iter("tu"):
        tuvs = []
        for tuv in tu.findall("tuv"):
            lang = tuv.get(f"{{{XML_NS}}}lang") or tuv.get("lang") or ""
            seg = tuv.find("seg")
            tuvs.append((lang, _text(seg, _TMX_CODES) if seg is not None else ""))
            langs.setdefault(lang, None)
        props = {p.get("type"): (p.text or "").strip() for p in tu.findall("prop")}
        hint = (_ids_key(props.get("x-source-sentences")), _ids_key(props.get("x-target-sentences")),
                props.get("x-moved") == "yes")
        tus.append((tuvs, hint))
    if not srclang or srclang == "*all*":
        srclang = next(iter(langs), None)
    if srclang is None:
        raise InputError("has no translation units (<tu> with <tuv xml:lang=...>)", path)
    others = [lang for lang in langs if not _same_lang(lang, srclang)]
    if target_lang:
        others = [lang for lang in others if _same_lang(lang, target_lang)]
    if not others and (not target_lang or _same_lang(target_lang, srclang)):
        # both sides in one language (a rewrite): the first <tuv> is the source, the second the
        # target; a unit with one side says which it is in transcompare's sentence props
        units = []
        for tuvs, hint in tus:
            texts = [t for _, t in tuvs]
            if len(texts) >= 2:
                units.append((texts[0], texts[1], hint))
            elif texts and hint[0] is None and hint[1] is not None:
                units.append(("", texts[0], hint))
            elif texts:
                units.append((texts[0], "", hint))
        return srclang, target_lang or srclang, units
    if len({o.lower() for o in others}) != 1:
        found = ", ".join(others) or "none"
        raise InputError(f"needs one target language besides {srclang} (found: {found}); "
                         "choose one with --target-lang", path)
    tgtlang = others[0]

    def side(tuvs, lang):
        return next((t for k, t in tuvs if k.lower() == lang.lower()), None) \
            or next((t for k, t in tuvs if _same_lang(k, lang)), "")
    return srclang, tgtlang, [(side(tuvs, srclang), side(tuvs, tgtlang), hint) for tuvs, hint in tus]


_SENTENCES_NOTE = re.compile(r"source ([\d,]+|-); target ([\d,]+|-)(; moved)?")


def _xliff_hint(container, ns: str):
    """The bead a unit came from, from the note transcompare writes ("source 3,4; target 2; moved")."""
    for note in container.iter(f"{{{ns}}}note"):
        if note.get("category") == "transcompare-sentences":
            m = _SENTENCES_NOTE.fullmatch((note.text or "").strip())
            if m:
                return (_ids_key(m.group(1).replace("-", "")), _ids_key(m.group(2).replace("-", "")),
                        bool(m.group(3)))
    return (None, None, False)


def _xliff_units(root, path: str, source_lang: str | None, target_lang: str | None):
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    units = []
    if ns == XLIFF_NS:
        srclang, tgtlang = root.get("srcLang"), root.get("trgLang")
        for unit in root.iter(f"{{{ns}}}unit"):
            hint = _xliff_hint(unit, ns)
            for seg in unit.iter(f"{{{ns}}}segment"):
                s, t = seg.find(f"{{{ns}}}source"), seg.find(f"{{{ns}}}target")
                units.append((_text(s, set()) if s is not None else "", _text(t, set()) if t is not None else "",
                              hint))
    elif ns == XLIFF12_NS:
        file_ = root.find(f"{{{ns}}}file")
        srclang = file_.get("source-language") if file_ is not None else None
        tgtlang = file_.get("target-language") if file_ is not None else None
        for tu in root.iter(f"{{{ns}}}trans-unit"):
            s, t = tu.find(f"{{{ns}}}source"), tu.find(f"{{{ns}}}target")
            units.append((_text(s, _XLIFF12_CODES) if s is not None else "",
                          _text(t, _XLIFF12_CODES) if t is not None else "", (None, None, False)))
    else:
        raise InputError(f"is an XLIFF file of a version this reader does not know (namespace {ns or 'none'}); "
                         "XLIFF 2.x and 1.2 are read", path)
    return source_lang or srclang, target_lang or tgtlang, units


def _side(path: str, fmt: str, texts: list[str], lang: str | None, candidates,
          order: list[int] | None = None) -> tuple[Document, list[list[int]]]:
    """One side as a document whose blocks are the units' segments, in ``order`` (unit indices;
    default: unit order); the sentence ids of each unit."""
    parts, blocks, unit_of_block, at = [], [], [], 0
    for k in order if order is not None else range(len(texts)):
        t = texts[k]
        if not t:
            continue
        blocks.append(Block(at, at + len(t), "paragraph"))
        unit_of_block.append(k)
        parts.append(t)
        at += len(t) + 2
    if not blocks:
        raise InputError("has no text on one of its sides", path)
    raw = RawDocument(path, "\n\n".join(parts) + "\n", "utf-8", fmt, tuple(blocks))
    doc = document_from_raw(raw, lang, candidates)
    ids: list[list[int]] = [[] for _ in texts]
    for s in doc.sentences:
        ids[unit_of_block[s.paragraph]].append(s.id)
    return doc, ids


def read_bitext(path: str, source_lang: str | None = None, target_lang: str | None = None,
                candidates: Sequence[str] | None = None) -> tuple[Document, Document, list[Bead]]:
    """A TMX or XLIFF file as two documents and the beads its units give."""
    data = load_bytes(path)
    if not data:
        raise InputError("is empty", path)
    fmt = detect_format(data, path)
    if fmt not in ("tmx", "xliff"):
        raise InputError("is not a TMX or XLIFF file; give a source and a translation to compare two documents", path)
    root = _parse(data, path)
    if fmt == "tmx":
        sl, tl, units = _tmx_units(root, path, source_lang, target_lang)
    else:
        sl, tl, units = _xliff_units(root, path, source_lang, target_lang)
    units = [u for u in units if u[0] or u[1]]
    if not units:
        raise InputError("has no translation units with text", path)
    # a memory transcompare wrote says where each unit's target sentences stood, so a statement
    # the translation moved comes back in its place, as a moved pair; otherwise units are in order
    tgt_order = None
    with_target = [k for k, u in enumerate(units) if u[1]]
    if with_target and all(units[k][2][1] is not None for k in with_target):
        tgt_order = sorted(with_target, key=lambda k: (units[k][2][1], k))
    src, src_ids = _side(path, fmt, [u[0] for u in units], sl, candidates)
    tgt, tgt_ids = _side(path, fmt, [u[1] for u in units], tl, candidates, tgt_order)
    beads = [Bead(tuple(a), tuple(b), moved=bool(u[2][2] and a and b and tgt_order is not None))
             for a, b, u in zip(src_ids, tgt_ids, units) if a or b]
    return src, tgt, beads
