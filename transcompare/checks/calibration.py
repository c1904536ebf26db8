"""Flag confidence calibrated on the dev data: the share of flags of that kind that were right.

A check's raw confidence orders its flags (a wider margin, a clearer gain) but is not a
probability. ``scripts/calibrate_confidence.py`` runs the planted changes of
``scripts/eval_checks.py`` on FLORES-200 dev documents, records every flag with whether it was
right, and fits, per flag kind (and reason for ``altered``), a monotone step function from raw
confidence to the share of flags that were right (isotonic regression). The table ships as
``calibration.json``; a flag's confidence is its raw confidence read through that table.
"""
from __future__ import annotations

import bisect
import json
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("calibration.json")
#: set by the calibration script while it records raw confidences
DISABLED = False


def key(kind: str, reasons: tuple[str, ...]) -> str:
    """The calibration key of a flag: its kind, and for ``altered`` its first (strongest) reason."""
    return f"altered:{reasons[0]}" if kind == "altered" and reasons else kind


@lru_cache(maxsize=1)
def _tables() -> dict:
    try:
        return json.loads(TABLE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def calibrated(kind: str, reasons: tuple[str, ...], raw: float) -> float:
    """``raw`` read through the table for this kind of flag (the overall table where the kind
    had too few flags to fit); ``raw`` itself when there is no table."""
    if DISABLED:
        return raw
    data = _tables()
    steps = data.get("tables", {}).get(key(kind, reasons)) or data.get("tables", {}).get("*")
    if not steps:
        return raw
    uppers = [u for u, _ in steps]
    k = min(bisect.bisect_left(uppers, raw), len(steps) - 1)
    return round(min(0.99, max(0.01, steps[k][1])), 2)


def signature() -> str:
    """What the table was fitted on, for the report's signature."""
    data = _tables()
    return data.get("id", "none") if not DISABLED else "none"
