"""Word documents (.docx): paragraphs and tables in order, headings by style, then footnotes.

python-docx reads the body. Footnotes live in their own part (``word/footnotes.xml``), which
python-docx does not expose, so they are read from the package with lxml and follow the body as
blocks of their own, numbered as Word shows them. A password-protected .docx is not a zip at
all but an OLE container holding an ``EncryptedPackage``; that, a legacy .doc, and a broken zip
each get their own one-line error.

Nothing is parsed before the package is measured: the XML parts' unpacked sizes, as the zip
declares them (a part can never yield more than its declared size: the zip reader stops there
and checks the CRC), and the body's paragraph count, counted in the raw bytes. Past either
budget (:data:`~.base.MAX_DOCX_XML_BYTES`, :data:`~.base.MAX_DOCX_PARAGRAPHS`) the file is refused
with one line, so a few hundred kilobytes that unpack to gigabytes cannot take the memory.
"""
from __future__ import annotations

import io
import zipfile

import regex as re

from ..errors import InputError
from ..model import Block
from .base import MAX_DOCX_PARAGRAPHS, MAX_DOCX_XML_BYTES, OLE_MAGIC, Parsed, collapse_spaces


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING = re.compile(r"^(heading|title|subtitle|überschrift|titre|título|titolo|заголовок)", re.I)


def ole_problem(data: bytes) -> str:
    """Why an OLE (compound) file is not a .docx we can read."""
    if "EncryptedPackage".encode("utf-16-le") in data[:1_000_000] or b"EncryptedPackage" in data[:1_000_000]:
        return "is password-protected (an encrypted Office file); save an unprotected copy as .docx"
    return "is a legacy binary Office file (.doc or .xls), not .docx; save it as .docx"


def _body(document) -> list[tuple[str, str]]:
    """(kind, text) of each paragraph and table cell of the body, in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[tuple[str, str]] = []
    # style names by id, looked up once (python-docx resolves ``p.style`` by a scan per paragraph)
    names = {s.style_id: s.name or "" for s in document.styles}

    def paragraph(p, in_cell: bool = False) -> None:
        text = collapse_spaces(p.text)
        if not text:
            return
        style = names.get(p._p.style or "", "")
        if in_cell:
            kind = "cell"
        elif _HEADING.match(style):
            kind = "heading"
        elif p._p.pPr is not None and p._p.pPr.numPr is not None or style.lower().startswith("list"):
            kind = "item"
        else:
            kind = "paragraph"
        out.append((kind, text))

    def table(t) -> None:
        for row in t.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                    continue
                seen.add(id(cell._tc))
                for p in cell.paragraphs:
                    paragraph(p, in_cell=True)
                for inner in cell.tables:
                    table(inner)

    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            paragraph(item)
        elif isinstance(item, Table):
            table(item)
    return out


def _footnotes(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    from lxml import etree

    try:
        xml = zf.read("word/footnotes.xml")
    except KeyError:
        return []
    root = etree.fromstring(xml)
    out = []
    for fn in root.iter(f"{_W}footnote"):
        if fn.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        paras = [collapse_spaces("".join(t.text or "" for t in p.iter(f"{_W}t"))) for p in fn.iter(f"{_W}p")]
        text = " ".join(p for p in paras if p)
        if text:
            out.append((fn.get(f"{_W}id", "?"), text))
    return out


def _within_budget(zf: zipfile.ZipFile, path: str) -> None:
    """Refuse a package whose XML unpacks past :data:`~.base.MAX_DOCX_XML_BYTES` or whose body
    holds more than :data:`~.base.MAX_DOCX_PARAGRAPHS` paragraphs (see the module's docstring)."""
    xml = [i for i in zf.infolist() if i.filename.endswith((".xml", ".rels"))]
    unpacked = sum(i.file_size for i in xml)
    if unpacked > MAX_DOCX_XML_BYTES:
        raise InputError(f"unpacks to {unpacked / 1e6:,.0f} MB of XML; the limit is "
                         f"{MAX_DOCX_XML_BYTES // 1_000_000} MB (a .docx this large is not an article)", path)
    try:
        body = zf.read("word/document.xml")  # (within the size budget just checked)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(f"is not a valid .docx: the package is damaged ({exc})", path) from None
    if body.count(b"<w:p>") + body.count(b"<w:p ") > MAX_DOCX_PARAGRAPHS:
        raise InputError(f"has more than {MAX_DOCX_PARAGRAPHS:,} paragraphs (the limit for one document)", path)


def read_docx(data: bytes, path: str) -> Parsed:
    """Text, blocks and metadata of a .docx given as bytes."""
    if data.startswith(OLE_MAGIC):
        raise InputError(ole_problem(data), path)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError("is not a valid .docx: the file is damaged (not a readable zip package)", path) from None
    if "word/document.xml" not in names:
        raise InputError("is a zip package but not a Word document (no word/document.xml)", path)
    _within_budget(zf, path)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _body(document)
        notes = _footnotes(zf)
        core = document.core_properties
        meta = {k: collapse_spaces(str(v)) for k, v in (("title", core.title), ("author", core.author)) if v}
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"is not a valid .docx: the package is damaged ({type(exc).__name__})", path) from None
    except Exception as exc:  # noqa: BLE001 - a broken part inside the package (bad XML)
        if type(exc).__module__.startswith(("lxml", "docx")):
            raise InputError(f"is not a valid .docx: a part of it cannot be read ({exc})", path) from None
        raise
    if notes:
        meta["footnotes"] = str(len(notes))
    parts, out, at = [], [], 0
    # a footnote shows its number in the text, outside the block the sentences come from
    for kind, mark, text in [(k, "", t) for k, t in blocks] + [("footnote", f"[{n}] ", t) for n, t in notes]:
        out.append(Block(at + len(mark), at + len(mark) + len(text), kind))
        parts.append(mark + text)
        at += len(mark) + len(text) + 2
    if not out:
        raise InputError("has no text (the .docx holds no paragraphs with words)", path)
    return Parsed("\n\n".join(parts) + "\n", out, meta)
