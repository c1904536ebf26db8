"""Writing files so that nothing is ever half-written, opening the SQLite files the tool keeps
(the vector cache, a batch's index, the review decisions) the same way, and the cells of the
CSV and TSV files it writes, which spreadsheets open."""
from __future__ import annotations

import os
import sqlite3
import re
from pathlib import Path
from typing import BinaryIO, Callable, Iterable


def write_atomic(path: str | os.PathLike, content: str | bytes | Callable[[BinaryIO], None], *,
                 durable: bool = False) -> None:
    """Write ``content`` (text as UTF-8, bytes, or a function that writes into the open file) to
    a temporary name beside ``path`` and rename it into place: a reader, or a process killed
    meanwhile, sees the old file or the new one, never half of one. ``durable`` also flushes it
    to disk before the rename (against power loss). On failure the temporary file is removed and
    the ``OSError`` raised."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            if isinstance(content, str):
                fh.write(content.encode("utf-8"))
            elif isinstance(content, bytes):
                fh.write(content)
            else:
                content(fh)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def open_sqlite(path: str | os.PathLike, *, timeout: float = 30, durable: bool = False,
                threads: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are begun explicitly) with a write-ahead
    log, so that readers never block the writer and several processes can share the file.
    ``durable`` syncs every commit to disk (``synchronous=FULL``: an acknowledged write survives
    a power cut); otherwise commits are synced at checkpoints (``NORMAL``: safe against a killed
    process). ``threads`` lets the connection be used from threads other than its own (the
    caller serialises them)."""
    db = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=not threads)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
    return db


#: what a spreadsheet may read as a formula when a cell starts with it (OWASP, "CSV Injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def sheet_cell(value):
    """A cell of a CSV or TSV file, safe to open in a spreadsheet: text that starts with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``, so that the program shows
    it rather than evaluating it (a sentence of a hostile document may read ``=HYPERLINK(...)``).
    Numbers, negative ones included, stay as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def sheet_row(values: Iterable) -> list:
    """:func:`sheet_cell` of each value of a row."""
    return [sheet_cell(v) for v in values]
