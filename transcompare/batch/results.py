"""A batch's output folder: one comparison per pair and an SQLite index of them.

Layout of ``OUTDIR``::

    index.sqlite          one row per pair id: status, content key, summary, file names
    pairs/<name>.json     the comparison (the ``transcompare.comparison/1`` contract, docs/json.md)
    pairs/<name>.html     the same comparison as a page (render/html.py), linked from report.html
    pairs/<name>.txt      and as side-by-side text
    report.json, flags.tsv, report.html   written at the end of each run (report.py)

A pair's files are written to a temporary name and renamed into place, and only then is its
index row committed, in one transaction. A batch killed at any moment therefore leaves every
committed pair whole; a pair whose files were written but whose row was not is simply redone on
the next run, and its files replaced. The id is the table's key, so no pair is ever listed twice.

One batch writes a folder at a time: the store holds an exclusive lock on ``OUTDIR/.lock`` while
it is open, and a second batch on the same folder stops at once with a message naming the first
one's process. Holding the lock, the store removes the temporary files a killed run left behind,
and closes the rows of runs that never finished (their finish time is that of their last pair).
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time

try:
    import fcntl
except ImportError:  # Windows: no advisory locks here; one batch per folder is then the user's care
    fcntl = None  # type: ignore[assignment]
from dataclasses import dataclass, field
from pathlib import Path

import regex as re

from ..errors import InputError
from ..files import open_sqlite, write_atomic

INDEX = "index.sqlite"
PAIRS = "pairs"
_APP = "transcompare.batch/1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pairs (
    id TEXT PRIMARY KEY,
    key TEXT,
    status TEXT NOT NULL,
    error TEXT,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    source_lang TEXT,
    target_lang TEXT,
    file TEXT,
    summary TEXT,
    run INTEGER NOT NULL,
    seconds REAL,
    worker TEXT,
    finished REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    run INTEGER PRIMARY KEY,
    started REAL NOT NULL,
    finished REAL,
    settings TEXT NOT NULL,
    counts TEXT
);
"""


@dataclass(frozen=True)
class PairOutcome:
    """What one pair came to: a comparison (``status="ok"``) or an error, with its content key."""

    id: str
    status: str  # "ok" or "error"
    source: str
    translation: str
    key: str | None = None
    error: str | None = None
    source_lang: str | None = None
    target_lang: str | None = None
    summary: dict = field(default_factory=dict, hash=False)
    comparison_json: str | None = None
    text_view: str | None = None
    html_view: str | None = None
    seconds: float | None = None
    worker: str | None = None


def file_stem(pair_id: str) -> str:
    """A file name for a pair id: the id itself when it is a safe name, else a cleaned form with
    a short hash of the id, so that two ids never share files."""
    safe = re.sub(r"[^\w.\-]+", "_", pair_id).strip("._")[:80]
    if safe == pair_id and safe:
        return safe
    return f"{safe or 'pair'}-{hashlib.blake2b(pair_id.encode('utf-8', 'surrogatepass'), digest_size=4).hexdigest()}"


class ResultStore:
    """The output folder of a batch. One process (the batch's client) writes it."""

    def __init__(self, outdir: str | os.PathLike) -> None:
        self.root = Path(outdir)
        if self.root.exists() and not self.root.is_dir():
            raise InputError("exists and is not a folder; the batch output needs a folder", str(outdir))
        try:
            (self.root / PAIRS).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot be created ({exc.strerror or exc})", str(outdir)) from None
        self._lock = self._take_lock()
        self._remove_stale_temporaries()
        self.index_path = self.root / INDEX
        try:
            self.db = open_sqlite(self.index_path, timeout=60, durable=True)
            tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if tables and "meta" not in tables:
                raise InputError("is not a transcompare batch index (another program's database); "
                                 "choose another output folder", str(self.index_path))
            self.db.executescript(_SCHEMA)
            app = self.db.execute("SELECT v FROM meta WHERE k='app'").fetchone()
            if app is None:
                self.db.execute("INSERT INTO meta VALUES ('app', ?)", (_APP,))
            elif app[0] != _APP:
                raise InputError(f"was written by {app[0]}, which this version cannot read; "
                                 "choose another output folder", str(self.index_path))
        except sqlite3.DatabaseError as exc:
            raise InputError(f"is not a readable batch index ({exc}); move it away or choose another "
                             "output folder", str(self.index_path)) from None

    def _take_lock(self):
        """The folder's lock (see the module's docstring); an :class:`InputError` when another
        batch holds it."""
        if fcntl is None:
            return None
        fh = open(self.root / ".lock", "a+", encoding="utf-8")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            fh.close()
            raise InputError(f"another batch is writing to this folder (process {holder}); wait for it to "
                             "finish or choose another output folder", str(self.root)) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        return fh

    def _remove_stale_temporaries(self) -> None:
        """Temporary files of a killed run (``.NAME.tmp-PID``, see :func:`~transcompare.files.write_atomic`):
        no other batch writes here while this store holds the lock."""
        for folder in (self.root, self.root / PAIRS):
            for tmp in folder.glob(".*.tmp-*"):
                try:
                    tmp.unlink()
                except OSError:
                    pass

    # ------------------------------------------------------------------ runs

    def begin_run(self, settings: dict) -> int:
        # runs that never finished (killed): closed at the time of their last recorded pair
        self.db.execute("UPDATE runs SET finished=COALESCE((SELECT MAX(p.finished) FROM pairs p WHERE p.run=runs.run), "
                        "started), counts='{\"interrupted\": true}' WHERE finished IS NULL")
        cur = self.db.execute("INSERT INTO runs (started, settings) VALUES (?, ?)",
                              (time.time(), json.dumps(settings, sort_keys=True)))
        return int(cur.lastrowid)

    def end_run(self, run: int, counts: dict) -> None:
        self.db.execute("UPDATE runs SET finished=?, counts=? WHERE run=?", (time.time(), json.dumps(counts), run))

    # ------------------------------------------------------------------ pairs

    def finished(self) -> dict[str, str]:
        """id -> content key of every pair compared without error whose files are in place."""
        out = {}
        for pid, key, name in self.db.execute("SELECT id, key, file FROM pairs WHERE status='ok'"):
            if key and name and (self.root / PAIRS / f"{name}.json").exists():
                out[pid] = key
        return out

    def record(self, outcome: PairOutcome, run: int) -> None:
        """Write the pair's files (atomically), then its index row (one transaction)."""
        name = None
        if outcome.status == "ok" and outcome.comparison_json is not None:
            name = file_stem(outcome.id)
            for ext, view in (("txt", outcome.text_view), ("html", outcome.html_view)):
                if view is not None:  # views can be made again from the JSON: no flush to disk
                    write_atomic(self.root / PAIRS / f"{name}.{ext}", view)
            write_atomic(self.root / PAIRS / f"{name}.json", outcome.comparison_json, durable=True)
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                "INSERT OR REPLACE INTO pairs (id, key, status, error, source, translation, source_lang, "
                "target_lang, file, summary, run, seconds, worker, finished) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (outcome.id, outcome.key, outcome.status, outcome.error, outcome.source, outcome.translation,
                 outcome.source_lang, outcome.target_lang, name, json.dumps(outcome.summary, ensure_ascii=False),
                 run, outcome.seconds, outcome.worker, time.time()))

    def rows(self, ids: list[str] | None = None) -> list[dict]:
        """Index rows as dicts (``summary`` parsed), in the order of ``ids`` when given."""
        cols = ("id", "key", "status", "error", "source", "translation", "source_lang", "target_lang", "file",
                "summary", "run", "seconds", "worker", "finished")
        got = {}
        for r in self.db.execute(f"SELECT {', '.join(cols)} FROM pairs"):
            d = dict(zip(cols, r))
            d["summary"] = json.loads(d["summary"]) if d["summary"] else {}
            got[d["id"]] = d
        if ids is None:
            return list(got.values())
        return [got[i] for i in ids if i in got]

    def pairs_with(self, kinds, ids: list[str] | None = None) -> list[str]:
        """The ids of finished pairs (of ``ids``, in their order) with a flag of one of ``kinds``
        or a document verdict among them."""
        out = []
        for r in self.rows(ids):
            sm = r["summary"]
            if r["status"] == "ok" and (any((sm.get("flags") or {}).get(k) for k in kinds) or sm.get("verdict") in kinds):
                out.append(r["id"])
        return out

    def comparison(self, name: str) -> dict:
        with open(self.root / PAIRS / f"{name}.json", encoding="utf-8") as fh:
            return json.load(fh)

    def close(self) -> None:
        self.db.close()
        if self._lock is not None:
            self._lock.close()  # (closing the file releases the lock)
            self._lock = None
