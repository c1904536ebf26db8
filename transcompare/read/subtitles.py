"""Subtitles (.srt, .vtt): each cue is one segment, its time range kept.

A cue's lines are joined into one line; formatting tags (``<i>``, ``<c.yellow>``, ``<v Anna>``,
``{\\an8}``) are dropped and a WebVTT voice tag's speaker is kept in front of the text ("Anna:
..."), since who says a line is part of what a translation must carry. The text handed on is
the cues, one a paragraph, so offsets point into it and each sentence carries its cue's time.

Nothing is dropped without a word, since a comparison that silently loses source text would
report omissions that are not there: a timing line that cannot be read, text that belongs to no
cue (a cue whose timing line is missing), minutes or seconds past 59, and a cue that ends before
it starts are each an error naming the line. A block that holds only a cue number holds no text
and is passed over. Within :func:`lenient_subtitles` (``--lenient``) such a cue is skipped
instead, and what was skipped, line by line, is handed back for a warning.
"""
from __future__ import annotations

import html
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

import regex as re

from ..errors import InputError
from ..model import Block
from .base import Parsed, collapse_spaces

_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}"
_TIMING = re.compile(rf"^\s*({_TIME})\s*-->\s*({_TIME})(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d{1,2}:\d{2}[^>]*>|\{\\[^}]*\}")


#: set by :func:`lenient_subtitles`: the list the cues skipped are noted in
_SKIPPED: ContextVar[list | None] = ContextVar("transcompare_subtitles_skipped", default=None)


@contextmanager
def lenient_subtitles() -> Iterator[list[str]]:
    """Within it, a subtitle cue that cannot be read is skipped rather than an error; the list it
    yields fills with what was skipped ("FILE: line N: why")."""
    skipped: list[str] = []
    token = _SKIPPED.set(skipped)
    try:
        yield skipped
    finally:
        _SKIPPED.reset(token)


class _BadCue(Exception):
    """A cue that cannot be read: its line and why."""


def _clock(t: str, line: int) -> tuple[str, float]:
    """hh:mm:ss.mmm, whatever the file wrote ("1:02,5" -> "00:01:02.500"), and the time in
    seconds; minutes or seconds past 59 are an error naming ``line``."""
    t = t.replace(",", ".")
    main, frac = t.split(".")
    parts = [int(p) for p in main.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    h, m, s = parts
    if m > 59 or s > 59:
        raise _BadCue(f"line {line}: the time {t} is out of range (minutes and seconds run to 59)")
    ms = frac.ljust(3, "0")[:3]
    return f"{h:02d}:{m:02d}:{s:02d}.{ms}", h * 3600 + m * 60 + s + int(ms) / 1000


def _cue_text(lines: list[str]) -> str:
    text = " ".join(x.strip() for x in lines if x.strip())
    speakers = _VOICE.findall(text)
    text = _TAG.sub("", _VOICE.sub("", text))
    text = collapse_spaces(html.unescape(text))
    if speakers and text:
        text = f"{speakers[0].strip()}: {text}"
    return text


def _cues(text: str, path: str, vtt: bool) -> list[tuple[str, str]]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    k = 0
    if vtt:
        if not lines or not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
            raise InputError("is not a WebVTT file (its first line must be WEBVTT)", path)
        while k < len(lines) and lines[k].strip():  # the header: WEBVTT and its settings
            k += 1
    out: list[tuple[str, str]] = []
    skipped = _SKIPPED.get()
    while k < len(lines):
        if not lines[k].strip():
            k += 1
            continue
        try:
            k, cue = _cue(lines, k, vtt)
        except _BadCue as exc:
            if skipped is None:
                raise InputError(str(exc), path) from None
            skipped.append(f"{path}: {exc}")
            while k < len(lines) and lines[k].strip():  # the rest of the block
                k += 1
            continue
        if cue is not None:
            out.append(cue)
    return out


def _cue(lines: list[str], k: int, vtt: bool) -> tuple[int, tuple[str, str] | None]:
    """The block that starts at line ``k``: where the next one starts, and its cue (time range
    and text; ``None`` for a block without text). A block: [a cue number or identifier], a timing
    line, the cue's text; in WebVTT also a comment or style block."""
    first = k
    if vtt and lines[k].strip().split(" ")[0] in ("NOTE", "STYLE", "REGION"):
        while k < len(lines) and lines[k].strip():
            k += 1
        return k, None
    if not _TIMING.match(lines[k]) and "-->" not in lines[k]:
        k += 1  # a cue number or identifier
        if k >= len(lines) or not lines[k].strip():
            if vtt or not lines[first].strip().isdigit():
                raise _BadCue(f"line {first + 1}: text outside any cue ({lines[first].strip()[:60]!r}); "
                              "each cue needs a timing line such as 00:00:01,000 --> 00:00:02,000")
            return k, None  # a cue number alone: no text to lose
    m = _TIMING.match(lines[k])
    if not m:
        what = "cannot read the cue's timing" if "-->" in lines[k] else "a cue has no timing line before its text"
        raise _BadCue(f"line {k + 1}: {what} ({lines[k].strip()[:60]!r}); a timing line reads "
                      "00:00:01,000 --> 00:00:02,000")
    (start, t0), (end, t1) = _clock(m.group(1), k + 1), _clock(m.group(2), k + 1)
    if t1 < t0:
        raise _BadCue(f"line {k + 1}: the cue ends ({end}) before it starts ({start})")
    k += 1
    body = []
    while k < len(lines) and lines[k].strip() and not _TIMING.match(lines[k]):
        body.append(lines[k])
        k += 1
    # an .srt cue's number sits on the line before the next timing: do not read it as text
    if not vtt and body and k < len(lines) and _TIMING.match(lines[k]) and body[-1].strip().isdigit():
        body.pop()
    cue = _cue_text(body)
    return k, ((f"{start} --> {end}", cue) if cue else None)


def _read(text: str, path: str, vtt: bool) -> Parsed:
    cues = _cues(text, path, vtt)
    if not cues:
        raise InputError(f"has no subtitle cues (no '00:00:01{'.' if vtt else ','}000 --> ...' timing "
                         "followed by text)", path)
    parts, blocks, at = [], [], 0
    for time, cue in cues:
        blocks.append(Block(at, at + len(cue), "cue", time))
        parts.append(cue)
        at += len(cue) + 2
    return Parsed("\n\n".join(parts) + "\n", blocks, {"cues": str(len(cues))})


def read_srt(text: str, path: str) -> Parsed:
    return _read(text, path, vtt=False)


def read_vtt(text: str, path: str) -> Parsed:
    return _read(text, path, vtt=True)
