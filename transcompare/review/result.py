"""What a review works through: one comparison JSON, or a batch output folder.

Each compared pair is a document (its id: the batch's pair id, or the JSON file's stem); its
flags become the store's ``FlagRef``s, and its sentences give each flag its context.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .store import FlagRef

COMPARISON = "transcompare.comparison/1"
BATCH = "transcompare.batch/1"


@dataclass(frozen=True)
class ResultSet:
    root: Path  # the JSON file or the batch folder
    kind: str  # "comparison" or "batch"
    docs: dict = field(hash=False)  # doc id -> comparison (the JSON contract, docs/json.md)

    def flag_refs(self) -> list[FlagRef]:
        return [FlagRef(doc, f["id"], f["kind"], tuple(f["reasons"]), f["severity"], f["confidence"], f["message"])
                for doc, c in self.docs.items() for f in c["flags"]]

    def default_db(self) -> Path:
        """``review.sqlite`` in a batch folder; ``NAME.review.sqlite`` beside a comparison JSON."""
        if self.kind == "batch":
            return self.root / "review.sqlite"
        return self.root.with_name(self.root.stem + ".review.sqlite")


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot be read ({exc})", str(path)) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"is not JSON ({exc.msg}, line {exc.lineno})", str(path)) from None
    if not isinstance(data, dict):
        raise InputError("is not a transcompare result", str(path))
    return data


def load_result(path: str | Path) -> ResultSet:
    """A comparison JSON (``compare --format json``) or a batch output folder (``batch -o``)."""
    p = Path(path)
    if p.is_dir():
        report = p / "report.json"
        if not report.exists():
            raise InputError("is a folder without report.json; give a batch output folder or a comparison JSON",
                             str(p))
        rep = _read_json(report)
        if rep.get("schema") != BATCH:
            raise InputError(f"is not a batch report ({BATCH})", str(report))
        docs = {}
        for e in rep.get("pairs", []):
            if e.get("status") == "ok" and e.get("json"):
                c = _read_json(p / e["json"])
                if c.get("schema") == COMPARISON:
                    docs[e["id"]] = c
        return ResultSet(p, "batch", docs)
    if not p.exists():
        raise InputError("no such file or folder", str(p))
    c = _read_json(p)
    if c.get("schema") != COMPARISON:
        raise InputError(f"is not a comparison ({COMPARISON}); run 'transcompare compare --format json'", str(p))
    return ResultSet(p, "comparison", {p.stem: c})
