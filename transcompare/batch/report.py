"""The corpus report of a batch: ``report.json``, ``flags.tsv`` and ``report.html``.

Built from the output folder's index and pair files, over the pairs of the current input only,
so a resumed batch reports on every pair, whichever run compared it.
"""
from __future__ import annotations

import csv
import io
import json
import time

from .. import __version__
from ..files import sheet_row, write_atomic
from ..render import svg
from .inputs import BatchInput
from .results import PAIRS, ResultStore

SCHEMA = "transcompare.batch/1"
HTML_DOCS = 500  # documents listed in report.html (all are in report.json)
KINDS = ("dropped", "added", "altered", "moved")
FLAG_COLUMNS = ["pair_id", "flag_id", "kind", "reasons", "severity", "confidence", "source_ids", "target_ids",
                "message", "source_evidence", "target_evidence", "source_text", "target_text",
                "source_lang", "target_lang"]


def _mean(xs) -> float | None:
    xs = [x for x in xs if x is not None]
    return round(sum(xs) / len(xs), 4) if xs else None


def _badness(p: dict) -> tuple:
    """Worst first: major flags per 100 source statements, then all flags per 100, then lower coverage."""
    if p["status"] != "ok":
        return (1, 0.0, 0.0, 0.0)
    return (0, -(p["major_per_100"] or 0.0), -(p["flags_per_100"] or 0.0), p["coverage"] if p["coverage"] is not None else 1.0)


def _pair_entry(job, row: dict | None) -> dict:
    if row is None:
        return {"id": job.id, "status": "not run", "error": "not compared yet (the batch was stopped before it)",
                "source": job.source, "translation": job.translation,
                "source_lang": job.source_lang, "target_lang": job.target_lang}
    s = row["summary"] or {}
    e = {"id": row["id"], "status": row["status"], "source": row["source"], "translation": row["translation"],
         "source_lang": s.get("source_lang") or row["source_lang"], "target_lang": s.get("target_lang") or row["target_lang"],
         "run": row["run"], "seconds": round(row["seconds"], 3) if row["seconds"] is not None else None,
         "worker": row["worker"]}
    if row["status"] != "ok":
        e["error"] = row["error"]
        return e
    flags = {k: (s.get("flags") or {}).get(k, 0) for k in KINDS}
    n_flags = sum(flags.values())
    statements = s.get("source_statements") or s.get("source_sentences") or 0
    e.update({
        "json": f"{PAIRS}/{row['file']}.json", "view": f"{PAIRS}/{row['file']}.html",
        "text": f"{PAIRS}/{row['file']}.txt",
        "source_sentences": s.get("source_sentences"), "target_sentences": s.get("target_sentences"),
        "coverage": s.get("coverage"), "target_coverage": s.get("target_coverage"),
        "mean_similarity": s.get("mean_similarity"), "flags": flags, "reasons": s.get("reasons") or {},
        "major": s.get("major", 0),
        "flags_per_100": round(100 * n_flags / statements, 2) if statements else None,
        "major_per_100": round(100 * s.get("major", 0) / statements, 2) if statements else None,
        "signature": s.get("signature"),
    })
    for k in ("chrf", "bleu", "ter"):
        if k in s:
            e[k] = s[k]
    return e


def _group(entries: list[dict]) -> dict:
    ok = [e for e in entries if e["status"] == "ok"]
    flags = {k: sum(e["flags"][k] for e in ok) for k in KINDS}
    reasons: dict[str, int] = {}
    for e in ok:
        for r, n in e["reasons"].items():
            reasons[r] = reasons.get(r, 0) + n
    src = sum(e["source_sentences"] or 0 for e in ok)
    return {
        "pairs": len(entries), "ok": len(ok), "failed": len(entries) - len(ok),
        "source_sentences": src, "target_sentences": sum(e["target_sentences"] or 0 for e in ok),
        "flags": flags, "reasons": dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
        "flags_per_100_sentences": round(100 * sum(flags.values()) / src, 2) if src else None,
        "mean_coverage": _mean(e["coverage"] for e in ok),
        "mean_similarity": _mean(e["mean_similarity"] for e in ok),
    }


def build_report(store: ResultStore, inp: BatchInput, settings, run_info: dict) -> dict:
    rows = {r["id"]: r for r in store.rows([p.id for p in inp.pairs])}
    entries = [_pair_entry(job, rows.get(job.id)) for job in inp.pairs]
    by_lang: dict[str, list[dict]] = {}
    for e in entries:
        by_lang.setdefault(f"{e.get('source_lang') or '?'}-{e.get('target_lang') or '?'}", []).append(e)
    return {
        "schema": SCHEMA,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "transcompare": __version__,
        "input": inp.origin,
        "settings": settings.as_dict(),
        "run": run_info,
        "totals": _group(entries),
        "language_pairs": {k: _group(v) for k, v in sorted(by_lang.items())},
        "pairs": entries,
        "unpaired": list(inp.unpaired),
    }


def _evidence(flag: dict, side: str) -> str:
    return " | ".join(f"{e['start']}-{e['end']}:{e['text']}" for e in flag.get("evidence", []) if e["side"] == side)


def _flags_of(store: ResultStore, entry: dict) -> list[dict]:
    """The flags of one compared pair, with their sentences' texts."""
    try:
        c = json.loads((store.root / entry["json"]).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    src = {s["id"]: s["text"] for s in c["source"]["sentences"]}
    tgt = {s["id"]: s["text"] for s in c["target"]["sentences"]}
    out = []
    for f in c["flags"]:
        out.append(dict(f, source_text=" ".join(src.get(i, "") for i in f["source"]),
                        target_text=" ".join(tgt.get(j, "") for j in f["target"])))
    return out


def flags_tsv(store: ResultStore, report: dict, keep: set[str] = frozenset()) -> tuple[str, dict[str, list[dict]]]:
    """Every flag of every compared pair as TSV, reading each pair file once; the flags of the
    pairs in ``keep`` are handed back too (the HTML report lists them)."""
    out = io.StringIO()
    w = csv.writer(out, delimiter="\t", lineterminator="\n")
    w.writerow(FLAG_COLUMNS)  # (every cell below through sheet_row: no formula reaches a spreadsheet)
    kept: dict[str, list[dict]] = {}
    for e in report["pairs"]:
        if e["status"] != "ok":
            continue
        flags = _flags_of(store, e)
        if e["id"] in keep:
            kept[e["id"]] = flags
        for f in flags:
            w.writerow(sheet_row([e["id"], f["id"], f["kind"], ",".join(f["reasons"]), f["severity"], f["confidence"],
                                  ",".join(map(str, f["source"])), ",".join(map(str, f["target"])), f["message"],
                                  _evidence(f, "source"), _evidence(f, "target"), f["source_text"],
                                  f["target_text"], e.get("source_lang") or "", e.get("target_lang") or ""]))
    return out.getvalue(), kept


def _plots(report: dict) -> list[str]:
    ok = [e for e in report["pairs"] if e["status"] == "ok"]
    t = report["totals"]
    langs = [(k, g["flags_per_100_sentences"] or 0.0) for k, g in report["language_pairs"].items() if g["ok"]]
    return [
        svg.histogram([e["coverage"] for e in ok], 0.0, 1.0, 20, title="Coverage per document",
                      xlabel="share of source statements with a counterpart", color="#4a7bb7"),
        svg.histogram([e["mean_similarity"] for e in ok], 0.0, 1.0, 20, title="Mean similarity per document",
                      xlabel="mean cosine of aligned pairs", color="#6a9a4a"),
        svg.hbars([(k, t["flags"][k]) for k in KINDS], title="Flags per kind"),
        svg.hbars(list(t["reasons"].items())[:12], title="Flags per reason", color="#d08a2c"),
        svg.hbars(langs, title="Flags per 100 source sentences, by language pair", color="#7b5ea7",
                  value_format="{:.2f}"),
    ]


def worst(report: dict) -> list[dict]:
    """The compared documents the HTML report lists: the worst first, at most ``HTML_DOCS``."""
    return [e for e in sorted(report["pairs"], key=_badness) if e["status"] == "ok"][:HTML_DOCS]


def report_html(report: dict, flags: dict[str, list[dict]]) -> str:
    """The corpus report as one page; ``flags`` holds the flags of the documents it lists."""
    from ..render.html import environment

    docs = worst(report)
    details = {e["id"]: flags.get(e["id"], []) for e in docs if sum(e["flags"].values())}
    return environment().get_template("batch_report.html").render(
        r=report, t=report["totals"], docs=docs, n_ok=report["totals"]["ok"], details=details,
        failed=[e for e in report["pairs"] if e["status"] != "ok"], plots=_plots(report), kinds=KINDS,
        limit=HTML_DOCS)


def write_reports(store: ResultStore, inp: BatchInput, settings, run_info: dict) -> tuple[str, ...]:
    report = build_report(store, inp, settings, run_info)
    root = store.root
    paths = (root / "report.json", root / "flags.tsv", root / "report.html")
    tsv, flags = flags_tsv(store, report, {e["id"] for e in worst(report)})
    write_atomic(paths[0], json.dumps(report, ensure_ascii=False, indent=2) + "\n", durable=True)
    write_atomic(paths[1], tsv, durable=True)
    write_atomic(paths[2], report_html(report, flags), durable=True)
    return tuple(str(p) for p in paths)
