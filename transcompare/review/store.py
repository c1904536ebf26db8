"""Review decisions that last: one SQLite file, keyed by document and stable flag id.

A flag's id comes from its content (``checks/flags.py``), so re-running a comparison gives an unchanged
flag the same id, and its decision stays attached. ``sync`` loads the flags of the current
result: a decision whose flag is gone is marked stale (kept, not deleted); one whose flag came
back is live again. Every action is one transaction (``BEGIN IMMEDIATE``, WAL), recorded in an
audit trail with the reviewer and the time, so two reviewers on one file lose nothing and an
acknowledged decision survives a killed server. Each thread gets its own connection (the app
serves requests from a pool of threads, and one connection shared by them would begin one
thread's transaction inside another's).
"""
from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import threading
import time
from dataclasses import dataclass

from ..errors import InputError, UsageError
from ..files import open_sqlite, sheet_cell

APP = "transcompare.review/1"
STATUSES = ("confirmed", "dismissed")
SEVERITIES = ("major", "minor")
ACTIONS = ("confirm", "dismiss", "note", "severity", "undo")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS flags (
    doc TEXT NOT NULL, flag_id TEXT NOT NULL, kind TEXT NOT NULL, reasons TEXT NOT NULL,
    severity TEXT NOT NULL, confidence REAL, message TEXT NOT NULL, present INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (doc, flag_id));
CREATE TABLE IF NOT EXISTS decisions (
    doc TEXT NOT NULL, flag_id TEXT NOT NULL, status TEXT, severity TEXT, note TEXT,
    reviewer TEXT NOT NULL, at REAL NOT NULL, stale INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (doc, flag_id));
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL, flag_id TEXT NOT NULL, action TEXT NOT NULL,
    value TEXT, before TEXT, reviewer TEXT NOT NULL, at REAL NOT NULL, undone INTEGER NOT NULL DEFAULT 0);
"""


@dataclass(frozen=True)
class FlagRef:
    """What the store keeps of a flag: enough to list, filter and count it."""

    doc: str
    flag_id: str
    kind: str
    reasons: tuple[str, ...]
    severity: str
    confidence: float
    message: str


@dataclass(frozen=True)
class Decision:
    doc: str
    flag_id: str
    status: str | None  # confirmed | dismissed | None (a note or a severity only)
    severity: str | None  # the reviewer's severity, when changed
    note: str | None
    reviewer: str
    at: float
    stale: bool


class ReviewStore:
    """Decisions on the flags of one result set (a comparison or a batch folder)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = str(path)
        if os.path.isdir(self.path):
            raise InputError("is a folder, not a review database", self.path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        try:
            tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if tables and "meta" not in tables:
                raise InputError("is not a transcompare review database (another program's)", self.path)
            self.db.executescript(_SCHEMA)
            app = self.db.execute("SELECT v FROM meta WHERE k='app'").fetchone()
            if app is None:
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('app', ?)", (APP,))
            elif app[0] != APP:
                raise InputError(f"was written by {app[0]}, which this version cannot read", self.path)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"is not a readable review database ({exc})", self.path) from None

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection to the store (opened on its first use)."""
        db = getattr(self._local, "db", None)
        if db is None:
            # durable: an acknowledged decision is on disk; closed by :meth:`close` from any thread
            db = open_sqlite(self.path, timeout=30, durable=True, threads=True)
            self._local.db = db
            with self._connections_lock:
                self._connections.append(db)
        return db

    def close(self) -> None:
        with self._connections_lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
        self._local = threading.local()

    # ------------------------------------------------------------------ flags of the result

    def sync(self, flags: list[FlagRef]) -> dict:
        """Load the result's flags. Decisions on flags no longer there become stale; decisions
        on flags that are there (again) are live. Returns the counts."""
        keys = {(f.doc, f.flag_id) for f in flags}
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("UPDATE flags SET present=0")
            self.db.executemany(
                "INSERT INTO flags (doc, flag_id, kind, reasons, severity, confidence, message, present) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (doc, flag_id) DO UPDATE SET present=1, "
                "kind=excluded.kind, reasons=excluded.reasons, severity=excluded.severity, "
                "confidence=excluded.confidence, message=excluded.message",
                [(f.doc, f.flag_id, f.kind, ",".join(f.reasons), f.severity, f.confidence, f.message) for f in flags])
            stale = live = 0
            for doc, fid, was in self.db.execute("SELECT doc, flag_id, stale FROM decisions").fetchall():
                now = 0 if (doc, fid) in keys else 1
                stale += now
                live += 1 - now
                if now != was:
                    self.db.execute("UPDATE decisions SET stale=? WHERE doc=? AND flag_id=?", (now, doc, fid))
        return {"flags": len(keys), "decisions_kept": live, "decisions_stale": stale}

    def flags(self) -> list[FlagRef]:
        rows = self.db.execute("SELECT doc, flag_id, kind, reasons, severity, confidence, message FROM flags "
                               "WHERE present=1 ORDER BY doc, rowid").fetchall()
        return [FlagRef(d, i, k, tuple(x for x in r.split(",") if x), s, c, m) for d, i, k, r, s, c, m in rows]

    # ------------------------------------------------------------------ decisions

    def decide(self, doc: str, flag_id: str, action: str, reviewer: str, value: str | None = None) -> Decision | None:
        """Apply one action (confirm, dismiss, note, severity, undo) as one transaction and
        return the decision as it now stands (None when undo leaves none)."""
        if action not in ACTIONS:
            raise UsageError(f"unknown action {action!r} (one of {', '.join(ACTIONS)})")
        if action == "severity" and value not in SEVERITIES:
            raise UsageError(f"severity must be one of {', '.join(SEVERITIES)}")
        now = time.time()
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            if not self.db.execute("SELECT 1 FROM flags WHERE doc=? AND flag_id=?", (doc, flag_id)).fetchone():
                raise UsageError(f"no flag {flag_id} in {doc}")
            before = self._get(doc, flag_id)
            if action == "undo":
                last = self.db.execute(
                    "SELECT id, before FROM audit WHERE doc=? AND flag_id=? AND reviewer=? AND undone=0 "
                    "AND action != 'undo' ORDER BY id DESC LIMIT 1", (doc, flag_id, reviewer)).fetchone()
                if last is None:  # nothing of this reviewer's to take back
                    return self.decision(doc, flag_id)
                self.db.execute("UPDATE audit SET undone=1 WHERE id=?", (last[0],))
                self._put(doc, flag_id, json.loads(last[1]) if last[1] else None, reviewer, now)
            else:
                state = dict(before) if before else {"status": None, "severity": None, "note": None}
                if action in ("confirm", "dismiss"):
                    state["status"] = "confirmed" if action == "confirm" else "dismissed"
                elif action == "note":
                    state["note"] = (value or "").strip() or None
                else:
                    state["severity"] = value
                self._put(doc, flag_id, state, reviewer, now)
            self.db.execute("INSERT INTO audit (doc, flag_id, action, value, before, reviewer, at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (doc, flag_id, action, value, json.dumps(before) if before else None, reviewer, now))
        return self.decision(doc, flag_id)

    def _get(self, doc: str, flag_id: str) -> dict | None:
        r = self.db.execute("SELECT status, severity, note FROM decisions WHERE doc=? AND flag_id=?",
                            (doc, flag_id)).fetchone()
        return {"status": r[0], "severity": r[1], "note": r[2]} if r else None

    def _put(self, doc: str, flag_id: str, state: dict | None, reviewer: str, at: float) -> None:
        if not state or not any(state.values()):
            self.db.execute("DELETE FROM decisions WHERE doc=? AND flag_id=?", (doc, flag_id))
            return
        self.db.execute(
            "INSERT INTO decisions (doc, flag_id, status, severity, note, reviewer, at, stale) VALUES (?, ?, ?, ?, ?, ?, ?, 0) "
            "ON CONFLICT (doc, flag_id) DO UPDATE SET status=excluded.status, severity=excluded.severity, "
            "note=excluded.note, reviewer=excluded.reviewer, at=excluded.at",
            (doc, flag_id, state.get("status"), state.get("severity"), state.get("note"), reviewer, at))

    def decision(self, doc: str, flag_id: str) -> Decision | None:
        r = self.db.execute("SELECT doc, flag_id, status, severity, note, reviewer, at, stale FROM decisions "
                            "WHERE doc=? AND flag_id=?", (doc, flag_id)).fetchone()
        return Decision(*r[:7], bool(r[7])) if r else None

    def decisions(self, include_stale: bool = True) -> list[Decision]:
        q = "SELECT doc, flag_id, status, severity, note, reviewer, at, stale FROM decisions"
        if not include_stale:
            q += " WHERE stale=0"
        return [Decision(*r[:7], bool(r[7])) for r in self.db.execute(q + " ORDER BY doc, flag_id")]

    def audit(self, doc: str | None = None, flag_id: str | None = None) -> list[dict]:
        q, args = "SELECT doc, flag_id, action, value, before, reviewer, at, undone FROM audit", []
        if doc is not None:
            q += " WHERE doc=? AND flag_id=?"
            args = [doc, flag_id]
        cols = ("doc", "flag_id", "action", "value", "before", "reviewer", "at", "undone")
        return [dict(zip(cols, r)) for r in self.db.execute(q + " ORDER BY id", args)]

    # ------------------------------------------------------------------ what the decisions say

    def progress(self) -> tuple[int, int]:
        """(flags with a confirm or dismiss, flags in the result)."""
        done = self.db.execute("SELECT COUNT(*) FROM decisions d JOIN flags f USING (doc, flag_id) "
                               "WHERE f.present=1 AND d.status IS NOT NULL").fetchone()[0]
        total = self.db.execute("SELECT COUNT(*) FROM flags WHERE present=1").fetchone()[0]
        return done, total

    def stats(self) -> list[dict]:
        """Per check (kind, and reason for altered flags): confirmed, dismissed, and the precision
        they imply (confirmed / decided), over live decisions."""
        rows = self.db.execute("SELECT f.kind, f.reasons, d.status FROM decisions d JOIN flags f USING (doc, flag_id) "
                               "WHERE d.stale=0 AND d.status IS NOT NULL").fetchall()
        out: dict[str, dict] = {}
        for kind, reasons, status in rows:
            for check in ([f"{kind}:{r}" for r in reasons.split(",") if r] or [kind]):
                s = out.setdefault(check, {"check": check, "confirmed": 0, "dismissed": 0})
                s[status] += 1
        for s in out.values():
            s["precision"] = round(s["confirmed"] / (s["confirmed"] + s["dismissed"]), 3)
        return sorted(out.values(), key=lambda s: s["check"])

    def export(self, fmt: str) -> str:
        """Every decision, live and stale, with its flag, as CSV or JSON."""
        cols = ["doc", "flag_id", "kind", "reasons", "message", "status", "severity", "note", "reviewer", "at", "stale"]
        rows = self.db.execute(
            "SELECT d.doc, d.flag_id, f.kind, f.reasons, f.message, d.status, d.severity, d.note, d.reviewer, d.at, "
            "d.stale FROM decisions d LEFT JOIN flags f USING (doc, flag_id) ORDER BY d.doc, d.flag_id").fetchall()
        items = [dict(zip(cols, r)) for r in rows]
        for it in items:
            it["stale"] = bool(it["stale"])
            it["at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(it["at"]))
        if fmt == "json":
            return json.dumps({"schema": "transcompare.decisions/1", "decisions": items, "stats": self.stats()},
                              ensure_ascii=False, indent=2) + "\n"
        if fmt == "csv":
            out = io.StringIO()
            w = csv.DictWriter(out, fieldnames=cols, lineterminator="\n")
            w.writeheader()
            w.writerows({k: sheet_cell(v) for k, v in it.items()} for it in items)
            return out.getvalue()
        raise UsageError(f"unknown export format {fmt!r} (csv or json)")
