"""Subtitles (.srt, .vtt): each cue is one segment, its time range kept.

A cue's lines are joined into one line; formatting tags (``<i>``, ``<c.yellow>``, ``<v Anna>``,
``{\\an8}``) are dropped and a WebVTT voice tag's speaker is kept in front of the text ("Anna:
..."), since who says a line is part of what a translation must carry. The text handed on is
the cues, one a paragraph, so offsets point into it and each sentence carries its cue's time.
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


def _clock(t: str) -> str:
    """hh:mm:ss.mmm, whatever the file wrote ("1:02,5" -> "00:01:02.500")."""
    t = t.replace(",", ".")
    main, frac = t.split(".")
    parts = [int(p) for p in main.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    h, m, s = parts
    return f"{h:02d}:{m:02d}:{s:02d}.{frac.ljust(3, '0')[:3]}"


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
    if vtt:
        if not lines or not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
            raise InputError("is not a WebVTT file (its first line must be WEBVTT)", path)
        lines = lines[1:]
    out: list[tuple[str, str]] = []
    k = 0
    while k < len(lines):
        m = _TIMING.match(lines[k])
        if not m:
            if vtt and lines[k].strip().split(" ")[0] in ("NOTE", "STYLE", "REGION"):
                while k < len(lines) and lines[k].strip():  # a comment or style block: skip it
                    k += 1
            k += 1
            continue
        start, end = _clock(m.group(1)), _clock(m.group(2))
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
