"""Scoring a comparison against a corpora pair's expected.json (used by tests and scripts)."""
from __future__ import annotations

import json
from pathlib import Path

CORPORA = Path(__file__).resolve().parent.parent / "corpora"


def pairs() -> list[Path]:
    return sorted(p.parent for p in CORPORA.glob("*/expected.json"))


def sentence_of(doc, needle: str) -> int:
    pos = doc.text.find(needle)
    assert pos >= 0, f"{needle!r} not in {doc.path}"
    for s in doc.sentences:
        if s.start <= pos < s.end:
            return s.id
    raise AssertionError(f"{needle!r} is not inside a sentence of {doc.path}")


def evaluate(comparison, expected: dict) -> dict:
    """Which planted changes were flagged right, and which flags fall on nothing planted. An item
    may allow several reasons (``reasons``) or other kinds (``alternative_kinds``): a weakened
    claim is a change of meaning or a partial omission, a clause cut may take its sentence out.
    An item marked ``open`` (with the reason) is a change the tool is known not to find yet: when
    missed it is listed under ``open``, not ``missed``, so that the rest stays guarded."""
    src, tgt = comparison.source, comparison.target
    found, missed, still_open = [], [], []
    used = set()
    for item in expected["planted"]:
        s_id = sentence_of(src, item["source"]) if "source" in item else None
        t_id = sentence_of(tgt, item["target"]) if "target" in item else None
        hit = None
        kinds = [item["kind"], *item.get("alternative_kinds", ())]
        reasons = item.get("reasons") or [item.get("reason")]
        for k, f in enumerate(comparison.flags):
            if f.kind not in kinds:
                continue
            if f.kind == "altered" and not set(reasons) & set(f.reasons):
                continue
            if s_id is not None and s_id not in f.source:
                continue
            if t_id is not None and f.kind != "altered" and t_id not in f.target:
                continue
            hit = k
            break
        if hit is None:
            (still_open if item.get("open") else missed).append(item)
        else:
            found.append(item)
            used.add(hit)
    # flags that cover a planted sentence but with another kind/reason also count as explained
    planted_src = {sentence_of(src, i["source"]) for i in expected["planted"] if "source" in i}
    planted_tgt = {sentence_of(tgt, i["target"]) for i in expected["planted"] if "target" in i}
    spurious = [f for k, f in enumerate(comparison.flags) if k not in used
                and not (set(f.source) & planted_src) and not (set(f.target) & planted_tgt)]
    return {"found": found, "missed": missed, "open": still_open, "spurious": spurious}


def load_expected(pair: Path) -> dict:
    return json.loads((pair / "expected.json").read_text(encoding="utf-8"))
