#!/usr/bin/env python3
"""Fit flag confidence to the share of flags that are right, on planted changes in FLORES dev.

Input: the flags of ``scripts/eval_checks.py --dump FLAGS.jsonl`` (raw confidences; each flag
marked right when it is the planted change, wrong otherwise, every flag on a benign change or
an untouched document wrong). Per calibration key (the flag kind, and for `altered` its first
reason) a monotone step function is fitted by isotonic regression (pool adjacent violators,
each step's share smoothed with one right and one wrong flag). Keys with fewer than
``--min-flags`` flags use the table fitted on all flags ("*").

Judged on documents not fitted on: the table is fitted on the even-numbered documents and the
reliability of raw and calibrated confidence is printed for the odd-numbered ones (expected
calibration error, Brier score, and the share right per confidence band). ``--write`` then fits
on all documents and writes ``transcompare/calibration.json``.

    python scripts/eval_checks.py --limit 100 --dump flags.jsonl
    python scripts/calibrate_confidence.py flags.jsonl [--write]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

from transcompare.checks.calibration import TABLE, key


def isotonic(points: list[tuple[float, bool]]) -> list[list[float]]:
    """Steps [[upper raw confidence, share right], ...] of the increasing fit to ``points``."""
    tied: dict[float, list[float]] = defaultdict(lambda: [0.0, 0.0])  # one block per raw value
    for raw, ok in points:
        tied[raw][0] += float(ok)
        tied[raw][1] += 1.0
    blocks: list[list[float]] = []  # [upper raw, rights, count]
    for raw in sorted(tied):
        blocks.append([raw, tied[raw][0], tied[raw][1]])
        while len(blocks) > 1 and (blocks[-2][1] + 1) / (blocks[-2][2] + 2) >= (blocks[-1][1] + 1) / (blocks[-1][2] + 2):
            top = blocks.pop()
            blocks[-1] = [top[0], blocks[-1][1] + top[1], blocks[-1][2] + top[2]]
    steps = [[round(b[0], 4), round((b[1] + 1) / (b[2] + 2), 4)] for b in blocks]
    steps[-1][0] = 1.0
    return steps


def fit(rows: list[dict], min_flags: int) -> dict[str, list]:
    by_key: dict[str, list] = defaultdict(list)
    for r in rows:
        by_key[key(r["kind"], tuple(r["reasons"]))].append((r["confidence"], r["right"]))
    tables = {"*": isotonic([p for pts in by_key.values() for p in pts])}
    for k, pts in by_key.items():
        if len(pts) >= min_flags:
            tables[k] = isotonic(pts)
    return tables


def apply(tables: dict, r: dict) -> float:
    steps = tables.get(key(r["kind"], tuple(r["reasons"]))) or tables["*"]
    for upper, value in steps:
        if r["confidence"] <= upper:
            return value
    return steps[-1][1]


def report(name: str, conf: list[float], right: list[bool]) -> None:
    n = len(conf)
    brier = sum((c - r) ** 2 for c, r in zip(conf, right)) / n
    edges = [0.0, 0.2, 0.4, 0.6, 0.8, 1.01]
    ece = 0.0
    lines = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        idx = [k for k, c in enumerate(conf) if lo <= c < hi]
        if not idx:
            continue
        mean_c = sum(conf[k] for k in idx) / len(idx)
        share = sum(right[k] for k in idx) / len(idx)
        ece += len(idx) / n * abs(mean_c - share)
        lines.append(f"    {lo:.1f}-{min(hi, 1.0):.1f}  flags {len(idx):5d}  mean confidence {mean_c:.3f}  right {share:.3f}")
    print(f"  {name}: flags {n}, expected calibration error {ece:.3f}, Brier {brier:.3f}")
    print("\n".join(lines))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dumps", nargs="+", help="JSON lines from eval_checks.py --dump")
    ap.add_argument("--min-flags", type=int, default=30)
    ap.add_argument("--write", action="store_true", help=f"fit on all documents and write {TABLE}")
    args = ap.parse_args(argv)
    rows = [json.loads(line) for path in args.dumps for line in Path(path).read_text(encoding="utf-8").splitlines()
            if line.strip()]
    if not rows:
        print("no flags in the input")
        return 1
    train = [r for r in rows if r["doc"] % 2 == 0]
    test = [r for r in rows if r["doc"] % 2 == 1]
    tables = fit(train, args.min_flags)
    print(f"fitted on {len(train)} flags of even-numbered documents; judged on {len(test)} flags of the others")
    right = [bool(r["right"]) for r in test]
    report("raw confidence", [r["confidence"] for r in test], right)
    report("calibrated", [apply(tables, r) for r in test], right)
    if args.write:
        tables = fit(rows, args.min_flags)
        blob = json.dumps(tables, sort_keys=True)
        out = {"id": "flores-dev-" + hashlib.sha256(blob.encode()).hexdigest()[:8], "flags": len(rows),
               "source": "scripts/calibrate_confidence.py on scripts/eval_checks.py --dump", "tables": tables}
        TABLE.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {TABLE} ({len(tables)} tables, id {out['id']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
