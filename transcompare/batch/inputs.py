"""What a batch runs: the pairs of a manifest (CSV or JSONL), or of two folders paired by file name.

A row that cannot become a pair (no source field, a duplicate id, a broken JSON line) is kept as a
pair with an ``error``: the batch records it as failed and goes on, so nothing is lost silently.
Files of two folders that have no partner are listed in ``unpaired``.
"""
from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

import regex as re

from ..errors import InputError
from ..read.fetch import is_url

FIELDS = ("source", "translation", "id", "source_lang", "target_lang")
# a language tag at the end of a file stem: "story.en", "story_vi", "story-zh-Hans", "story.pt-BR"
_LANG_TAG = re.compile(r"[._-](?:[a-z]{2,3}(?:[-_](?:[A-Z][a-z]{3}|[A-Z]{2}))?)$")


@dataclass(frozen=True)
class PairJob:
    """One pair to compare. Paths are as the user gave them, resolved against the manifest's folder."""

    id: str
    source: str
    translation: str
    source_lang: str | None = None
    target_lang: str | None = None
    #: why this row cannot be compared (set while reading the input); ``None`` for a good row
    error: str | None = None


@dataclass(frozen=True)
class BatchInput:
    pairs: tuple[PairJob, ...]
    origin: str  # the manifest, or "SRC_DIR + TGT_DIR"
    #: files of two folders with no partner on the other side
    unpaired: tuple[str, ...] = ()


def _resolve(base: Path, value: str) -> str:
    if is_url(value):  # an http(s) address is fetched as it is
        return value
    p = Path(os.path.expanduser(value))
    return str(p if p.is_absolute() else base / p)


def _default_id(base: Path, translation: str) -> str:
    """The translation's path relative to the manifest, without its extension: one translation
    file is one pair, so it names the pair ("en-vi-flood/translation.vi"). An address gives
    its host and path ("example.org/news/story.vi")."""
    if is_url(translation):
        rest = translation.split("://", 1)[1].split("?", 1)[0].split("#", 1)[0].rstrip("/")
        return os.path.splitext(rest)[0] if "/" in rest else rest
    p = Path(translation)
    try:
        p = p.relative_to(base)
    except ValueError:
        pass
    return p.with_suffix("").as_posix()


def read_manifest(path: str, source_lang: str | None = None, target_lang: str | None = None) -> BatchInput:
    """Read a manifest: CSV (with a header) or JSONL, with ``source``, ``translation`` and optional
    ``id``, ``source_lang``, ``target_lang``. ``source_lang``/``target_lang`` are the defaults for
    rows that do not say."""
    if not os.path.exists(path):
        raise InputError("no such file", path)
    if os.path.isdir(path):
        raise InputError("is a folder; give a manifest (CSV or JSONL), or two folders to pair by file name", path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text; a manifest is a CSV or JSONL file", path) from None
    if not text.strip():
        raise InputError("is empty; a manifest lists pairs (CSV with a header, or JSONL)", path)
    ext = os.path.splitext(path)[1].lower()
    jsonl = ext in (".jsonl", ".ndjson") or (ext not in (".csv", ".tsv") and text.lstrip().startswith("{"))
    rows = _jsonl_rows(text) if jsonl else _csv_rows(text, path, "\t" if ext == ".tsv" else ",")
    base = Path(path).parent
    pairs: list[PairJob] = []
    seen: dict[str, str] = {}
    for where, row, problem in rows:
        src = str(row.get("source") or "").strip() if row else ""
        tgt = str(row.get("translation") or "").strip() if row else ""
        given = str(row.get("id") or "").strip() if row else ""
        if problem is None and (not src or not tgt):
            missing = " and ".join(f for f, v in (("source", src), ("translation", tgt)) if not v)
            problem = f"{where} of {path} has no {missing}"
        src_p = _resolve(base, src) if src else ""
        tgt_p = _resolve(base, tgt) if tgt else ""
        pid = given or (_default_id(base, tgt_p) if tgt_p else where.replace(" ", "-"))
        if problem is None and pid in seen:
            problem = f"{where} of {path} repeats the id {pid!r} of {seen[pid]}"
            pid = f"{pid}#{where.replace(' ', '-')}"
        seen.setdefault(pid, where)
        sl = (str(row.get("source_lang") or "").strip() or None) if row else None
        tl = (str(row.get("target_lang") or "").strip() or None) if row else None
        pairs.append(PairJob(pid, src_p, tgt_p, sl or source_lang, tl or target_lang, problem))
    if not pairs:
        raise InputError("lists no pairs", path)
    return BatchInput(tuple(pairs), path)


def _csv_rows(text: str, path: str, delimiter: str):
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [f for f in ("source", "translation") if f not in header]
    if missing:
        raise InputError(f"the header ({', '.join(header) or 'empty'}) has no {' or '.join(missing)} column; "
                         f"a manifest needs source and translation (and may have {', '.join(FIELDS[2:])})", path)
    reader.fieldnames = header
    for row in reader:
        if not any((v or "").strip() for k, v in row.items() if k is not None and isinstance(v, str)):
            continue  # a line of empty fields
        yield f"line {reader.line_num}", row, None


def _jsonl_rows(text: str):
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield f"line {n}", None, f"line {n} is not JSON ({exc.msg})"
            continue
        if not isinstance(row, dict):
            yield f"line {n}", None, f"line {n} is not a JSON object"
            continue
        yield f"line {n}", {k.strip().lower(): v for k, v in row.items()}, None


def _files(folder: Path) -> list[str]:
    out = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                out.append((Path(root) / name).relative_to(folder).as_posix())
    return out


def pair_key(rel: str) -> str:
    """A file's name with its extension and a trailing language tag taken off:
    ``news/story.en.txt`` and ``news/story.vi.txt`` both give ``news/story``."""
    p = Path(rel)
    root, ext = os.path.splitext(p.name)
    stem = root if root else p.name
    m = _LANG_TAG.search(stem)
    if m and m.start() > 0:
        stem = stem[:m.start()]
    return (p.parent / stem).as_posix() if str(p.parent) != "." else stem


def pair_folders(source_dir: str, target_dir: str, source_lang: str | None = None,
                 target_lang: str | None = None) -> BatchInput:
    """Pair the files of two folders (and their subfolders) by name: the same relative path, or
    the same name once the extension and a language tag are taken off (``story.en.txt`` with
    ``story.vi.txt``). Files with no partner, or with several, are listed in ``unpaired``."""
    for d in (source_dir, target_dir):
        if not os.path.exists(d):
            raise InputError("no such folder", d)
        if not os.path.isdir(d):
            raise InputError("is a file; give two folders, or one manifest", d)
    a, b = Path(source_dir), Path(target_dir)
    fa, fb = _files(a), _files(b)
    if not fa:
        raise InputError("has no files", source_dir)
    if not fb:
        raise InputError("has no files", target_dir)
    pairs: list[tuple[str, str, str]] = []
    exact = sorted(set(fa) & set(fb))
    for rel in exact:
        pairs.append((pair_key(rel), rel, rel))
    rest_a = [f for f in fa if f not in set(exact)]
    rest_b = [f for f in fb if f not in set(exact)]
    by_a: dict[str, list[str]] = {}
    by_b: dict[str, list[str]] = {}
    for f in rest_a:
        by_a.setdefault(pair_key(f), []).append(f)
    for f in rest_b:
        by_b.setdefault(pair_key(f), []).append(f)
    unpaired: list[str] = []
    for key, files in by_a.items():
        other = by_b.get(key, [])
        if len(files) == 1 and len(other) == 1:
            pairs.append((key, files[0], other[0]))
        else:
            unpaired.extend(str(a / f) for f in files)
    for key, files in by_b.items():
        if not (len(files) == 1 and len(by_a.get(key, [])) == 1):
            unpaired.extend(str(b / f) for f in files)
    # ids must be unique: two exact matches can share a key ("x.txt", "x.md")
    counts: dict[str, int] = {}
    for key, _, _ in pairs:
        counts[key] = counts.get(key, 0) + 1
    jobs = [PairJob(key if counts[key] == 1 else ra, str(a / ra), str(b / rb), source_lang, target_lang)
            for key, ra, rb in sorted(pairs)]
    if not jobs:
        raise InputError(f"no file of {source_dir} has a partner of the same name in {target_dir} "
                         f"(paired by name without extension and language tag, e.g. story.en.txt with story.vi.txt)",
                         source_dir)
    return BatchInput(tuple(jobs), f"{source_dir} + {target_dir}", tuple(sorted(unpaired)))
