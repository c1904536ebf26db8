"""Saved web pages: the article body, its blocks and its metadata.

trafilatura finds the main text and leaves out navigation, comments, share bars and related
links; its XML output keeps headings, paragraphs, list items, quotes and table cells apart,
which become the blocks sentences never cross. When it finds nothing (a page laid out in ways
its rules miss), the readability algorithm that ships with trafilatura picks the densest block
of the page instead. The page's title leads the text as a heading (the body often starts below
it); author, date, site and address are kept as metadata and never compared.
"""
from __future__ import annotations

from functools import lru_cache

import regex as re

from ..errors import InputError
from ..model import Block
from .base import Parsed, collapse_spaces, soft_wrapped

#: extracted block elements of trafilatura's XML, and what kind of block each becomes
_BLOCKS = {"head": "heading", "p": "paragraph", "item": "item", "cell": "cell", "quote": "paragraph",
           "code": "paragraph"}
_META = ("title", "author", "date", "sitename", "url", "description")
#: fewer characters than this is not an article body (a cookie banner, a "page not found")
MIN_BODY_CHARS = 40


def _collect(elem, out: list[tuple[str, str]]) -> None:
    """Block texts in document order: a block element's whole text, containers descended into."""
    for child in elem:
        tag = child.tag if isinstance(child.tag, str) else ""
        kind = _BLOCKS.get(tag)
        if tag == "item" and any(c.tag == "list" for c in child):
            # an item with a list inside: its own words, then the inner list's items
            own = [child.text or ""] + [t for c in child if c.tag != "list" for t in (*c.itertext(), c.tail or "")]
            own += [c.tail or "" for c in child if c.tag == "list"]
            text = collapse_spaces(" ".join(own))
            if text:
                out.append((kind, text))
            for c in child:
                if c.tag == "list":
                    _collect(c, out)
        elif kind and not (tag == "quote" and any(c.tag in _BLOCKS for c in child)):
            for text in _lines(child):
                out.append((kind, text))
        else:
            _collect(child, out)


def _lines(elem) -> list[str]:
    """A block's text, cut at its line breaks (``<br>``, ``<lb/>`` in trafilatura's XML) the way
    a plain-text line is read: a page that lays out its article with ``<br><br>`` instead of
    paragraphs, or ends it with "Source: Reuters<br>Comments (0)", gets one block per line, so
    such lines are recognised as boilerplate. A break that only wraps a sentence (the next line
    goes on in lower case) joins the lines again."""
    lines = [elem.text or ""]
    for c in elem:
        if c.tag == "lb":
            lines.append(c.tail or "")
        else:
            lines[-1] += " ".join(c.itertext()) + (c.tail or "")
    out: list[str] = []
    for line in (collapse_spaces(x) for x in lines):
        if not line:
            continue
        if out and soft_wrapped(out[-1], line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


@lru_cache(maxsize=1)
def _config():
    """trafilatura's settings, but a short article (a news brief of two paragraphs) is still an
    article: below its default of 250 characters it falls back to joining all of the page's text
    into one paragraph, byline and share bar included."""
    from trafilatura.settings import use_config

    cfg = use_config()
    cfg.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_BODY_CHARS))
    return cfg


def _trafilatura(html: str) -> tuple[list[tuple[str, str]], dict[str, str]]:
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(html, output_format="xml", with_metadata=True, include_comments=False, config=_config(),
                              include_tables=True, include_links=False, include_images=False, deduplicate=False,
                              date_extraction_params={"extensive_search": False, "original_date": True})
    if not xml:
        return [], {}
    root = etree.fromstring(xml.encode("utf-8"))
    meta = {k: collapse_spaces(root.get(k)) for k in _META if root.get(k)}
    main = root.find("main")
    blocks: list[tuple[str, str]] = []
    if main is not None:
        _collect(main, blocks)
    return blocks, meta


def _readability(html: str) -> list[tuple[str, str]]:
    """The fallback: readability's densest content block, read as headings, paragraphs and items."""
    import lxml.html
    from trafilatura.readability_lxml import Document as Readability

    try:
        summary = Readability(lxml.html.fromstring(html)).summary()
    except Exception:  # noqa: BLE001 - readability gives up on some pages; then there is no body
        return []
    if not summary or not summary.strip():
        return []
    tree = lxml.html.fromstring(summary)
    out = []
    for el in tree.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "td", "pre"):
        if any(a.tag in ("p", "li", "blockquote", "td") for a in el.iterancestors()):
            continue
        text = collapse_spaces(el.text_content())
        if text:
            out.append(("heading" if el.tag.startswith("h") else "item" if el.tag == "li" else "paragraph", text))
    return out


#: class names news sites give the lead (standfirst, "sapo" in Vietnamese and French sites) that
#: many print between the headline and the article element, where body extraction misses it
_LEAD_CLASS = re.compile(r"(?:^|[-_\s])(?:description|sapo|lead|lede|standfirst|summary|intro|teaser|chapo|chapeau|"
                         r"dek|deck|subtitle|subheadline|excerpt)(?:$|[-_\s])", re.I)
_NOT_LEAD = re.compile(r"comment|related|share|social|footer|nav|menu|sidebar|promo|newsletter|cookie", re.I)
#: containers a lead is never in (layout classes such as "sidebar-1" can hold the main column)
_OUTSIDE = re.compile(r"comment|related|footer", re.I)
#: a lead is a sentence or two, not a word and not a whole article
LEAD_CHARS = (40, 800)


def _squash(s: str) -> str:
    return re.sub(r"\W+", "", s).casefold()


def _already_in(lead: str, blocks: list[tuple[str, str]]) -> bool:
    """Whether the body already holds the lead, word for word or nearly (a dateline or a
    site's name in front of it)."""
    import difflib

    want = _squash(lead)
    if want in _squash(" ".join(t for _, t in blocks)):
        return True
    for _, t in blocks[:5]:
        have = _squash(t)
        m = difflib.SequenceMatcher(None, want, have, autojunk=False).find_longest_match(0, len(want), 0, len(have))
        if m.size >= 0.8 * len(want):
            return True
    return False


def _lead(html: str, first_body: str = "") -> str:
    """The page's lead paragraph when it is marked as one (by class) outside navigation,
    comments and related links, and stands before the article's first paragraph
    (``first_body``: a "teaser" after it is another story's); "" when there is none."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001 - a page lxml cannot parse has no lead to offer
        return ""
    start = _squash(first_body)[:40]
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if start and el.tag in ("p", "div", "li", "td") and _squash(el.text or "").startswith(start):
            return ""  # reached the body: a lead comes before it
        if el.tag not in ("p", "div", "h2", "span", "section"):
            continue
        cls = el.get("class") or ""
        if not _LEAD_CLASS.search(cls) or _NOT_LEAD.search(cls):
            continue
        if any(a.tag in ("nav", "footer", "aside", "a") or _OUTSIDE.search(a.get("class") or "")
               for a in el.iterancestors()):
            continue
        text = collapse_spaces(el.text_content())
        if LEAD_CHARS[0] <= len(text) <= LEAD_CHARS[1]:
            return text
    return ""


def _page_title(html: str) -> str:
    m = re.search(r"<title[^>]*>(.*?)</title>", html, re.S | re.I)
    if not m:
        return ""
    import html as html_mod

    return collapse_spaces(html_mod.unescape(re.sub(r"<[^>]+>", "", m.group(1))))


def read_html(text: str, path: str) -> Parsed:
    """The article of a web page as text (blocks separated by blank lines) with its blocks."""
    if "<" not in text:
        raise InputError("is not an HTML page (no markup in it)", path)
    try:
        blocks, meta = _trafilatura(text)
    except Exception as exc:  # noqa: BLE001 - lxml/trafilatura errors on a broken page: one line
        blocks, meta = [], {}
        error = f"{type(exc).__name__}: {exc}"
    else:
        error = ""
    method = "trafilatura"
    if sum(len(t) for _, t in blocks) < MIN_BODY_CHARS:
        blocks, method = _readability(text), "readability"
    if sum(len(t) for _, t in blocks) < MIN_BODY_CHARS:
        why = f" (the parser said {error})" if error else ""
        raise InputError("has no article body: neither trafilatura nor the readability fallback found running "
                         f"text in the page{why}", path)
    lead = _lead(text, next((t for k, t in blocks if k != "heading"), ""))
    if lead and not _already_in(lead, blocks):
        blocks.insert(0, ("paragraph", lead))
        meta["lead"] = "outside the article body, added"
    title = meta.get("title") or _page_title(text)
    if title:
        meta["title"] = title
        first = blocks[0][1].casefold()
        if not (first == title.casefold() or first in title.casefold() or title.casefold() in first):
            blocks.insert(0, ("heading", title))
    meta["extracted_by"] = method
    parts, out_blocks, at = [], [], 0
    for kind, t in blocks:
        out_blocks.append(Block(at, at + len(t), kind))
        parts.append(t)
        at += len(t) + 2
    return Parsed("\n\n".join(parts) + "\n", out_blocks, meta)
