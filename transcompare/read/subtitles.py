"""Subtitles (.srt, .vtt): each cue is one segment, its time range kept.

A cue's lines are joined into one line; formatting tags (``<i>``, ``<c.yellow>``, ``<v Anna>``,
``{\\an8}``) are dropped and a WebVTT voice tag's speaker is kept in front of the text ("Anna:
..."), since who says a line is part of what a translation must carry. The text handed on is
the cues, one a paragraph, so offsets point into it and each sentence carries its cue's time.

Nothing is dropped without a word, since a comparison that silently loses source text would
report omissions that are not there: a timing line that cannot be read, text that belongs to no
cue (a cue whose timing line is missing), minutes or seconds past 59, and a cue that ends before
it starts are each an error naming the line. A block that holds only a cue number holds no text
and is passed over.
"""
from __future__ import annotations

import html

import regex as re

from ..errors import InputError
from ..model import Block
from .base import Parsed, collapse_spaces

_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}"
_TIMING = re.compile(rf"^\s*({_TIME})\s*-->\s*({_TIME})(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d{1,2}:\d{2}[^>]*>|\{\\[^}]*\}")


def _clock(t: str, path: str, line: int) -> tuple[str, float]:
    """hh:mm:ss.mmm, whatever the file wrote ("1:02,5" -> "00:01:02.500"), and the time in
    seconds; minutes or seconds past 59 are an error naming ``line``."""
    t = t.replace(",", ".")
    main, frac = t.split(".")
    parts = [int(p) for p in main.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    h, m, s = parts
    if m > 59 or s > 59:
        raise InputError(f"line {line}: the time {t} is out of range (minutes and seconds run to 59)", path)
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
    while k < len(lines):
        if not lines[k].strip():
            k += 1
            continue
        # a block: [a cue number or identifier], a timing line, the cue's text
        first = k
        if vtt and lines[k].strip().split(" ")[0] in ("NOTE", "STYLE", "REGION"):
            while k < len(lines) and lines[k].strip():  # a comment or style block: skip it
                k += 1
            continue
        if not _TIMING.match(lines[k]) and "-->" not in lines[k]:
            k += 1  # a cue number or identifier
            if k >= len(lines) or not lines[k].strip():
                if vtt or not lines[first].strip().isdigit():
                    raise InputError(f"line {first + 1}: text outside any cue ({lines[first].strip()[:60]!r}); "
                                     "each cue needs a timing line such as 00:00:01,000 --> 00:00:02,000", path)
                continue  # a cue number alone: no text to lose
        m = _TIMING.match(lines[k])
        if not m:
            what = "cannot read the cue's timing" if "-->" in lines[k] else "a cue has no timing line before its text"
            raise InputError(f"line {k + 1}: {what} ({lines[k].strip()[:60]!r}); a timing line reads "
                             "00:00:01,000 --> 00:00:02,000", path)
        (start, t0), (end, t1) = _clock(m.group(1), path, k + 1), _clock(m.group(2), path, k + 1)
        if t1 < t0:
            raise InputError(f"line {k + 1}: the cue ends ({end}) before it starts ({start})", path)
        k += 1
        body = []
        while k < len(lines) and lines[k].strip() and not _TIMING.match(lines[k]):
            body.append(lines[k])
            k += 1
        # an .srt cue's number sits on the line before the next timing: do not read it as text
        if not vtt and body and k < len(lines) and _TIMING.match(lines[k]) and body[-1].strip().isdigit():
            body.pop()
        cue = _cue_text(body)
        if cue:
            out.append((f"{start} --> {end}", cue))
    return out


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
