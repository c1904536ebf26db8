"""Where transcompare keeps what it can rebuild, and the on-disk cache of sentence vectors and
back-translations shared by every backend.

The cache folder (:func:`cache_dir`: ``$TRANSCOMPARE_CACHE``, else the user cache folder) holds
unpacked model arrays (language ID, the bundled encoder) and one SQLite file, ``cache.sqlite3``.
A vector is keyed by a hash of the encoder's id (model, weights revision, precision) and the
exact text, so a re-run, or a batch that repeats sentences, encodes nothing it has encoded
before, and vectors of different models never mix. Vectors are stored as float32, exactly as the encoder gave them.

The file is bounded: past ``$TRANSCOMPARE_CACHE_MAX_MB`` (default 1024) the entries used longest
ago are removed. SQLite's write-ahead log lets several processes (Dask workers on one machine)
share the file. A cache that cannot be opened or written (read-only folder, full disk) switches
itself off with a warning; it never fails a comparison.
"""
from __future__ import annotations

import hashlib
import os
import functools
import sqlite3
import threading
import time
import warnings
from pathlib import Path
from typing import Iterable

import numpy as np

from ..files import open_sqlite

FILENAME = "cache.sqlite3"
DEFAULT_MAX_MB = 1024
#: the least the vectors get when the unpacked arrays take (nearly) all of a small bound
MIN_STORE_BYTES = 16 * 1024 * 1024
_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (k BLOB PRIMARY KEY, v BLOB NOT NULL, t INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS vectors_t ON vectors (t);
CREATE TABLE IF NOT EXISTS translations (k BLOB PRIMARY KEY, v TEXT NOT NULL, t INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS translations_t ON translations (t);
CREATE TABLE IF NOT EXISTS states (k BLOB PRIMARY KEY, v BLOB NOT NULL, t INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS states_t ON states (t);
"""
#: the tables the cache keeps, each bounded with the others
TABLES = ("vectors", "translations", "states")
#: SQLite caps the number of parameters of one statement; look texts up in chunks
_CHUNK = 500


def cache_dir() -> Path | None:
    """``$TRANSCOMPARE_CACHE``, else ``$XDG_CACHE_HOME/transcompare``, else ``~/.cache/transcompare``.

    Returns ``None`` when caching is switched off (``TRANSCOMPARE_CACHE=off``) or no folder can be made.
    """
    env = os.environ.get("TRANSCOMPARE_CACHE")
    if env and env.lower() in ("off", "0", "none", "no"):
        return None
    if env:
        base = Path(env)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "transcompare"
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return base


#: what :func:`clear_derived` leaves: weights fitted on this machine (``eval_diff.py --fit``), not
#: rebuilt by a start but by an hour of fitting
KEPT_ON_CLEAR = ("diff-weights",)
#: the folders of unpacked model arrays the tool writes (the bundled encoder's, language ID's,
#: one per version): what :func:`clear_derived` removes. Nothing else in the cache folder is
#: touched or counted: it may be a folder the user shares with other programs
DERIVED = ("e5np", "langid-")


def _ours(name: str) -> bool:
    return name.startswith(FILENAME) or name in KEPT_ON_CLEAR or any(
        name == d or (d.endswith("-") and name.startswith(d)) for d in DERIVED)


def usage(base: Path | None = None) -> dict[str, int]:
    """Bytes on disk of what the tool keeps in the cache folder, by entry: ``cache.sqlite3``
    (with its write-ahead log), each folder of unpacked arrays, fitted weights."""
    base = cache_dir() if base is None else base
    out: dict[str, int] = {}
    if base is None:
        return out
    try:
        entries = list(os.scandir(base))
    except OSError:
        return out
    for e in entries:
        if not _ours(e.name):
            continue
        name = FILENAME if e.name.startswith(FILENAME) else e.name
        try:
            if e.is_dir(follow_symlinks=False):
                size = _folder_bytes(Path(e.path))
            else:
                size = e.stat(follow_symlinks=False).st_size
        except OSError:
            continue
        out[name] = out.get(name, 0) + size
    return out


def _folder_bytes(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder, followlinks=False):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def clear_derived(base: Path | None = None) -> int:
    """Remove the unpacked model arrays (rebuilt at the next start, in about a second); the
    bytes freed. Folders of :data:`KEPT_ON_CLEAR` stay."""
    import shutil

    base = cache_dir() if base is None else base
    freed = 0
    for name, size in usage(base).items():
        path = base / name
        if name == FILENAME or name in KEPT_ON_CLEAR or not path.is_dir() or path.is_symlink():
            continue
        shutil.rmtree(path, ignore_errors=True)
        freed += size
    return freed


def prune_siblings(folder: Path, keep: int = 1, prefix: str = "") -> None:
    """Keep only the ``keep`` most recently written folders beside ``folder`` whose names start
    with ``prefix`` (``folder`` always among them): arrays unpacked for other versions, or for a
    model file that has since changed."""
    import shutil

    try:
        siblings = sorted((p for p in folder.parent.iterdir() if p.is_dir() and p.name.startswith(prefix)),
                          key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    kept = [folder] + [p for p in siblings if p != folder][:keep - 1]
    for p in siblings:
        if p not in kept:
            shutil.rmtree(p, ignore_errors=True)


def _key(*parts: str) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.digest()


def _pack_states(st) -> bytes:
    """A text's token states as bytes: count and width (uint32), spans (int32), states (float16)."""
    states = np.ascontiguousarray(st.states, dtype=np.float16)
    spans = np.asarray(st.spans, dtype=np.int32).reshape(-1, 2)
    return (np.array(states.shape, dtype=np.uint32).tobytes() + spans.tobytes() + states.tobytes())


def _unpack_states(blob: bytes):
    from .encoders.base import TokenStates

    try:
        n, d = np.frombuffer(blob[:8], dtype=np.uint32).tolist()
        spans = np.frombuffer(blob[8:8 + 8 * n], dtype=np.int32).reshape(n, 2)
        states = np.frombuffer(blob[8 + 8 * n:], dtype=np.float16).reshape(n, d)
    except ValueError:
        return None  # a damaged entry: encoded again
    return TokenStates(tuple(map(tuple, spans.tolist())), states)


def _serialised(method):
    """Run ``method`` holding the store's lock: one connection serves every thread of a batch
    (comparisons in threads read and write it), and SQLite calls on one connection from two
    threads at once can crash the interpreter."""
    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)
    return locked


class Store:
    """Vectors and translations on disk. Use :func:`open_store` rather than this directly.
    Safe to share between threads: every use of the connection holds one lock."""

    def __init__(self, path: str | os.PathLike, max_bytes: int) -> None:
        self.path = Path(path)
        self.max_bytes = max_bytes
        self._db: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        self._open()

    def _open(self) -> None:
        db = open_sqlite(self.path, timeout=30, threads=True)
        # freed pages go back to the file system after an eviction (a new file; an older one
        # takes the setting at its next VACUUM, which --clear runs)
        db.execute("PRAGMA auto_vacuum=INCREMENTAL")
        db.executescript(_SCHEMA)
        self._db = db

    @property
    def enabled(self) -> bool:
        return self._db is not None

    @_serialised
    def _off(self, exc: Exception) -> None:
        warnings.warn(f"{self.path}: embedding cache switched off ({exc})", RuntimeWarning, stacklevel=3)
        try:
            if self._db is not None:
                self._db.close()
        finally:
            self._db = None

    # ------------------------------------------------------------------ vectors

    def get_vectors(self, encoder_id: str, texts: Iterable[str], dim: int) -> dict[str, np.ndarray]:
        """The stored vectors of those ``texts`` that have one, by text."""
        return self._get("vectors", encoder_id, texts,
                         lambda blob: np.frombuffer(blob, dtype=np.float32) if len(blob) == 4 * dim else None)

    def put_vectors(self, encoder_id: str, items: dict[str, np.ndarray]) -> None:
        self._put("vectors", encoder_id, {t: np.ascontiguousarray(v, dtype=np.float32).tobytes()
                                          for t, v in items.items()})

    # ------------------------------------------------------------------ token states

    def get_states(self, states_id: str, texts: Iterable[str]) -> dict:
        """The stored token states (:class:`~transcompare.backends.encoders.base.TokenStates`)
        of those ``texts`` that have them, by text."""
        return self._get("states", states_id, texts, _unpack_states)

    def put_states(self, states_id: str, items: dict) -> None:
        self._put("states", states_id, {t: _pack_states(v) for t, v in items.items()})

    # ------------------------------------------------------------------ translations

    def get_translations(self, model_id: str, src: str, tgt: str, texts: Iterable[str]) -> dict[str, str]:
        return self._get("translations", f"{model_id}\x00{src}\x00{tgt}", texts, lambda v: v)

    def put_translations(self, model_id: str, src: str, tgt: str, items: dict[str, str]) -> None:
        self._put("translations", f"{model_id}\x00{src}\x00{tgt}", items)

    # ------------------------------------------------------------------ plumbing

    @_serialised
    def _get(self, table: str, scope: str, texts: Iterable[str], decode) -> dict:
        if self._db is None:
            return {}
        keys = {_key(scope, t): t for t in texts}
        found: dict = {}
        now = time.time_ns()
        try:
            items = list(keys.items())
            for k in range(0, len(items), _CHUNK):
                chunk = [key for key, _ in items[k:k + _CHUNK]]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(f"SELECT k, v FROM {table} WHERE k IN ({marks})", chunk).fetchall()
                for key, value in rows:
                    val = decode(value)
                    if val is not None:
                        found[keys[bytes(key)]] = val
                if rows:  # remember the use, for the eviction of the least recently used
                    self._db.execute(f"UPDATE {table} SET t = ? WHERE k IN ({','.join('?' * len(rows))})",
                                     [now] + [r[0] for r in rows])
        except sqlite3.Error as exc:
            self._off(exc)
        return found

    @_serialised
    def _put(self, table: str, scope: str, items: dict) -> None:
        if self._db is None or not items:
            return
        now = time.time_ns()
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany(f"INSERT OR REPLACE INTO {table} (k, v, t) VALUES (?, ?, ?)",
                                     [(_key(scope, t), v, now) for t, v in items.items()])
            self._evict()
        except sqlite3.Error as exc:
            self._off(exc)

    @_serialised
    def size_bytes(self) -> int:
        """Bytes the file uses (pages in use, the free ones left out)."""
        if self._db is None:
            return 0
        page = self._db.execute("PRAGMA page_size").fetchone()[0]
        count = self._db.execute("PRAGMA page_count").fetchone()[0]
        free = self._db.execute("PRAGMA freelist_count").fetchone()[0]
        return int(page) * (int(count) - int(free))

    @_serialised
    def _evict(self) -> None:
        size = self.size_bytes()
        if size <= self.max_bytes:
            return
        # remove the least recently used tenth beyond the bound, oldest first, in both tables
        share = min(1.0, (size - 0.9 * self.max_bytes) / size)
        with self._db:
            self._db.execute("BEGIN")
            for table in TABLES:
                n = self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                drop = int(n * share) + 1
                self._db.execute(f"DELETE FROM {table} WHERE k IN (SELECT k FROM {table} ORDER BY t LIMIT ?)",
                                 (drop,))
        self._db.execute("PRAGMA incremental_vacuum")
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @_serialised
    def count(self, table: str) -> int:
        if self._db is None or table not in TABLES:
            return 0
        return int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    @_serialised
    def clear(self) -> None:
        if self._db is None:
            return
        with self._db:
            self._db.execute("BEGIN")
            for table in TABLES:
                self._db.execute(f"DELETE FROM {table}")
        self._db.execute("PRAGMA auto_vacuum=INCREMENTAL")
        self._db.execute("VACUUM")
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @_serialised
    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


_STORES: dict[str, Store] = {}


def max_bytes() -> int:
    raw = os.environ.get("TRANSCOMPARE_CACHE_MAX_MB")
    try:
        mb = float(raw) if raw else DEFAULT_MAX_MB
    except ValueError:
        mb = DEFAULT_MAX_MB
    return int(max(1.0, mb) * 1024 * 1024)


def store_path() -> Path | None:
    """Where the cache file is (``None`` when caching is off)."""
    base = cache_dir()
    return None if base is None else base / FILENAME


def open_store() -> Store | None:
    """The cache for this process (one per file), or ``None`` when caching is off or impossible."""
    path = store_path()
    if path is None:
        return None
    key = str(path)
    st = _STORES.get(key)
    if st is not None and st.enabled:
        return st
    try:
        # the bound covers the whole folder: the vectors get what the unpacked arrays leave
        others = sum(v for k, v in usage(path.parent).items() if k != FILENAME)
        st = Store(path, max(MIN_STORE_BYTES, max_bytes() - others))
    except (sqlite3.Error, OSError) as exc:
        warnings.warn(f"{path}: embedding cache switched off ({exc})", RuntimeWarning, stacklevel=2)
        return None
    _STORES[key] = st
    return st
