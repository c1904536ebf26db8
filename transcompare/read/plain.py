"""Plain text and Markdown: their blocks (paragraphs, headings, list items)."""
from __future__ import annotations

import re

from ..model import Block
from .base import Parsed, check_lines, line_spans, soft_wrapped

_BULLET = re.compile(r"^(\s*)([-*+•]|\d{1,3}[.)])\s+")
_MD_HEADING = re.compile(r"^(\s{0,3})(#{1,6})\s+")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_HRULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")


def text_blocks(text: str) -> list[Block]:
    """Plain text: blank lines separate paragraphs; inside one, each line is its own block
    unless it merely wraps the previous one."""
    blocks: list[Block] = []
    cur: list[int] | None = None  # [start, end]
    prev_line = ""
    for s, e in line_spans(text):
        line = text[s:e]
        if not line.strip():
            if cur:
                blocks.append(Block(cur[0], cur[1], "paragraph"))
            cur, prev_line = None, ""
            continue
        ls = s + (len(line) - len(line.lstrip()))
        le = s + len(line.rstrip())
        if cur and soft_wrapped(prev_line, line):
            cur[1] = le
        else:
            if cur:
                blocks.append(Block(cur[0], cur[1], "paragraph"))
            cur = [ls, le]
        prev_line = line.strip()
    if cur:
        blocks.append(Block(cur[0], cur[1], "paragraph"))
    return blocks


def markdown_blocks(text: str) -> list[Block]:
    """Markdown: headings, list items and paragraphs; code fences, front matter and rules skipped."""
    blocks: list[Block] = []
    cur: list | None = None
    in_fence = False
    prev_line = ""
    lines = list(line_spans(text))
    i = 0
    # YAML front matter
    if lines and text[lines[0][0]:lines[0][1]].strip() == "---":
        for j in range(1, len(lines)):
            if text[lines[j][0]:lines[j][1]].strip() in ("---", "..."):
                i = j + 1
                break

    def flush():
        nonlocal cur
        if cur:
            blocks.append(Block(cur[0], cur[1], cur[2]))
        cur = None

    while i < len(lines):
        s, e = lines[i]
        line = text[s:e]
        i += 1
        if _FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if not line.strip() or _HRULE.match(line):
            flush()
            prev_line = ""
            continue
        if _SETEXT.match(line) and cur and cur[2] == "paragraph":
            cur[2] = "heading"
            flush()
            continue
        m = _MD_HEADING.match(line)
        if m:
            flush()
            body = line[m.end():].rstrip().rstrip("#").rstrip()
            if body:
                blocks.append(Block(s + m.end(), s + m.end() + len(body), "heading"))
            prev_line = ""
            continue
        m = _BULLET.match(line)
        if m:
            flush()
            cur = [s + m.end(), s + len(line.rstrip()), "item"]
            prev_line = line.strip()
            continue
        stripped = line.lstrip(" >")  # block quotes: keep the content
        ls = s + (len(line) - len(stripped))
        le = s + len(line.rstrip())
        if cur and soft_wrapped(prev_line, stripped):
            cur[1] = le
        else:
            flush()
            cur = [ls, le, "paragraph"]
        prev_line = stripped.strip()
    flush()
    return blocks


def read_text(text: str, path: str) -> Parsed:
    """The reader of plain text."""
    check_lines(text, path)
    return Parsed(text, text_blocks(text), {})


def read_markdown(text: str, path: str) -> Parsed:
    """The reader of Markdown."""
    check_lines(text, path)
    return Parsed(text, markdown_blocks(text), {})
