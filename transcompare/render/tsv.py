"""TSV: one row per bead, for spreadsheets and scripts. Cells a spreadsheet would read as a
formula are written with a leading ``'`` (:func:`transcompare.files.sheet_cell`)."""
from __future__ import annotations

import csv
import io

from ..files import sheet_row
from ..model import BitextAlignment, Comparison


TSV_COLUMNS = ["source_ids", "target_ids", "bead", "similarity", "length_ratio", "chrf", "bleu", "ter",
               "flag_kinds", "reasons", "severity", "flag_ids", "source_text", "target_text", "back_translation"]


def to_tsv(c: Comparison) -> str:
    """One row per bead; flagged beads carry their flags' kinds and reasons."""
    out = io.StringIO()
    w = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(TSV_COLUMNS)
    flags: dict[tuple, list] = {}
    for f in c.flags:
        flags.setdefault((f.source, f.target), []).append(f)
    for bead, sc in zip(c.alignment.beads, c.scores):
        fl = flags.get((bead.source, bead.target), [])
        w.writerow(sheet_row([
            ",".join(map(str, bead.source)), ",".join(map(str, bead.target)), bead.kind,
            "" if sc.similarity is None else f"{sc.similarity:.4f}",
            "" if sc.length_ratio is None else f"{sc.length_ratio:.3f}",
            "" if sc.chrf is None else sc.chrf, "" if sc.bleu is None else sc.bleu,
            "" if sc.ter is None else sc.ter,
            ",".join(f.kind for f in fl), ",".join(r for f in fl for r in f.reasons),
            ",".join(f.severity for f in fl), ",".join(f.id for f in fl),
            " ".join(c.source.sentences[i].text for i in bead.source),
            " ".join(c.target.sentences[j].text for j in bead.target),
            sc.back_translation or "",
        ]))
    return out.getvalue()


def align_to_tsv(a: BitextAlignment) -> str:
    """Aligned text side by side: source ids, target ids, kind, moved, similarity, source text,
    target text."""
    out = io.StringIO()
    w = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(["source_ids", "target_ids", "kind", "moved", "similarity", "source_text", "target_text"])
    for b, s in zip(a.alignment.beads, a.similarities):
        w.writerow(sheet_row([",".join(map(str, b.source)), ",".join(map(str, b.target)), b.kind,
                              "yes" if b.moved else "", "" if s is None else f"{s:.4f}",
                              " ".join(a.source.sentences[i].text for i in b.source),
                              " ".join(a.target.sentences[j].text for j in b.target)]))
    return out.getvalue()
