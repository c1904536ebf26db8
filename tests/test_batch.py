"""`transcompare batch` as a user runs it: manifests and folders, bad pairs, resume after a kill,
the corpus report, and pairs built from FLORES dev."""
import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpora_eval import CORPORA
from transcompare import compare
from transcompare.batch import pair_folders, read_manifest
from transcompare.batch.results import file_stem
from transcompare.cli import main
from transcompare.errors import InputError

MANIFEST = CORPORA / "pairs.csv"


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def index_rows(out: Path) -> list[tuple]:
    db = sqlite3.connect(out / "index.sqlite")
    try:
        return db.execute("SELECT id, status, run, error FROM pairs ORDER BY id").fetchall()
    finally:
        db.close()


def comparable(path: Path) -> dict:
    """A comparison JSON without the fields that depend on the vector cache's state (what was
    encoded, and that count per sentence)."""
    d = json.loads(path.read_text(encoding="utf-8"))
    d["settings"].pop("sentences_encoded")
    d["settings"].pop("texts_per_sentence")
    return d


# ---------------------------------------------------------------------- inputs

def test_manifest_csv_resolves_paths_and_defaults(tmp_path):
    (tmp_path / "a").mkdir()
    m = tmp_path / "a" / "m.csv"
    m.write_text("source,translation,target_lang\n"
                 "x/s.en.txt,x/t.vi.txt,vi\n"
                 "\n"
                 "/abs/s.txt,/abs/t.txt,\n"
                 ",y/t.txt,\n", encoding="utf-8")
    inp = read_manifest(str(m), source_lang="en")
    assert [p.id for p in inp.pairs[:2]] == ["x/t.vi", "/abs/t"]
    first = inp.pairs[0]
    assert first.source == str(tmp_path / "a" / "x" / "s.en.txt")
    assert (first.source_lang, first.target_lang, first.error) == ("en", "vi", None)
    assert inp.pairs[1].target_lang is None and inp.pairs[1].source == "/abs/s.txt"
    # a row with no source is kept as a failed pair naming its line, not dropped
    assert "line 5" in inp.pairs[2].error and "no source" in inp.pairs[2].error


def test_manifest_jsonl_duplicates_and_broken_lines(tmp_path):
    m = tmp_path / "m.jsonl"
    m.write_text('{"id": "p1", "source": "s1.txt", "translation": "t1.txt", "source_lang": "de"}\n'
                 '{not json\n'
                 '{"id": "p1", "source": "s2.txt", "translation": "t2.txt"}\n', encoding="utf-8")
    pairs = read_manifest(str(m)).pairs
    assert pairs[0].id == "p1" and pairs[0].error is None and pairs[0].source_lang == "de"
    assert "line 2 is not JSON" in pairs[1].error
    assert "repeats the id 'p1'" in pairs[2].error and pairs[2].id != "p1"


@pytest.mark.parametrize("content, message", [
    ("src,tgt\na,b\n", "no source or translation column"),
    ("", "is empty"),
])
def test_manifest_errors_name_the_file(tmp_path, content, message):
    m = tmp_path / "bad.csv"
    m.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_manifest(str(m))
    assert message in str(e.value) and str(m) in str(e.value)


def test_folders_pair_by_name_and_list_the_rest(tmp_path):
    a, b = tmp_path / "en", tmp_path / "vi"
    for d, names in ((a, ["story.en.txt", "same.txt", "sub/deep.en.md", "lonely.en.txt", ".hidden"]),
                     (b, ["story.vi.txt", "same.txt", "sub/deep_vi.md", "other.vi.txt"])):
        for n in names:
            (d / n).parent.mkdir(parents=True, exist_ok=True)
            (d / n).write_text("x", encoding="utf-8")
    inp = pair_folders(str(a), str(b))
    got = {p.id: (Path(p.source).name, Path(p.translation).name) for p in inp.pairs}
    assert got == {"same": ("same.txt", "same.txt"), "story": ("story.en.txt", "story.vi.txt"),
                   "sub/deep": ("deep.en.md", "deep_vi.md")}
    assert [Path(f).name for f in inp.unpaired] == ["lonely.en.txt", "other.vi.txt"]


def test_file_names_are_safe_and_distinct():
    assert file_stem("en-vi-flood") == "en-vi-flood"
    a, b = file_stem("x/t.vi"), file_stem("x_t.vi")
    assert "/" not in a and a != b


# ---------------------------------------------------------------------- end to end on corpora/

@pytest.fixture(scope="module")
def corpora_batch(tmp_path_factory):
    """The bundled manifest plus three bad pairs (missing, binary, empty), run once in-process."""
    tmp = tmp_path_factory.mktemp("corpora-batch")
    os.environ["TRANSCOMPARE_CACHE"] = str(tmp / "cache")
    (tmp / "binary.bin").write_bytes(bytes(range(256)) * 8)
    (tmp / "empty.txt").write_bytes(b"")
    rows = list(csv.DictReader(MANIFEST.open(encoding="utf-8")))
    m = tmp / "pairs.csv"
    with m.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "source", "translation", "source_lang", "target_lang"])
        for r in rows:
            w.writerow([r["id"], CORPORA / r["source"], CORPORA / r["translation"], r["source_lang"], r["target_lang"]])
        src = CORPORA / "en-vi-flood" / "source.en.txt"
        w.writerow(["missing", src, tmp / "nowhere.txt", "", ""])
        w.writerow(["binary", src, "binary.bin", "", ""])
        w.writerow(["empty", "empty.txt", src, "", ""])
    out = tmp / "out"
    r = run("batch", m, "-o", out, "--quiet")
    return m, out, r, rows


def test_batch_goes_on_past_bad_pairs(corpora_batch):
    m, out, r, rows = corpora_batch
    assert r.exit_code == 0, r.output
    assert "failed: missing:" in r.output and "no such file" in r.output
    status = {pid: (st, err) for pid, st, _, err in index_rows(out)}
    assert len(status) == len(rows) + 3
    assert all(status[row["id"]][0] == "ok" for row in rows)
    assert "no such file" in status["missing"][1]
    assert "binary" in status["binary"][1]
    assert "empty" in status["empty"][1]
    # and the exit code says so only when asked
    again = run("batch", m, "-o", out, "--quiet", "--fail-on-error")
    assert again.exit_code == 1


def test_batch_pairs_equal_compare(corpora_batch):
    _, out, _, rows = corpora_batch
    for row in rows[:3]:
        c = compare(CORPORA / row["source"], CORPORA / row["translation"],
                    source_lang=row["source_lang"] or None, target_lang=row["target_lang"] or None)
        d = comparable(out / "pairs" / f"{row['id']}.json")
        assert [f["id"] for f in d["flags"]] == [f.id for f in c.flags]
        assert d["metrics"] == json.loads(json.dumps(c.metrics))
        assert (out / "pairs" / f"{row['id']}.txt").read_text(encoding="utf-8").strip()
        assert "<table class=\"pairs\">" in (out / "pairs" / f"{row['id']}.html").read_text(encoding="utf-8")


def test_corpus_report(corpora_batch):
    _, out, _, rows = corpora_batch
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert rep["schema"] == "transcompare.batch/1"
    t = rep["totals"]
    assert (t["pairs"], t["ok"], t["failed"]) == (len(rows) + 3, len(rows), 3)
    assert set(rep["language_pairs"]) >= {"en-vi", "en-de", "en-fr", "en-es", "en-zh", "en-en"}
    assert rep["language_pairs"]["en-de"]["ok"] == 2
    per_pair = sum(sum(e["flags"].values()) for e in rep["pairs"] if e["status"] == "ok")
    assert sum(t["flags"].values()) == per_pair > 0
    # flags.tsv: every flag once, with its evidence
    with (out / "flags.tsv").open(encoding="utf-8") as fh:
        tsv = list(csv.DictReader(fh, delimiter="\t"))
    assert len(tsv) == per_pair
    number = [x for x in tsv if x["pair_id"] == "en-vi-flood" and x["reasons"] == "number"]
    assert number and "3.2" in number[0]["source_evidence"] and "5,2" in number[0]["target_evidence"]
    html = (out / "report.html").read_text(encoding="utf-8")
    for row in rows:
        assert f'href="pairs/{row["id"]}.html"' in html
    assert "Failed pairs (3)" in html and "no such file" in html
    assert html.count("<svg") == 5
    lowered = html.lower()
    for bad in ("http://", "https://", "<script", "src="):
        assert bad not in lowered
    # worst first: the first listed document has the most major flags per statement
    ok = [e for e in rep["pairs"] if e["status"] == "ok"]
    worst = max(ok, key=lambda e: e["major_per_100"])
    first_doc = html.index('id="doc-1"')
    assert html.index(f'href="pairs/{worst["id"]}.html"', first_doc) < html.index('id="doc-2"')


def test_report_escapes_input_text(tmp_path):
    src = tmp_path / "s.txt"
    tgt = tmp_path / "t.txt"
    src.write_text("The minister said <script>alert(1)</script> 40 people were hurt on Monday.\n\n"
                   "Rescue teams worked through the night.\n", encoding="utf-8")
    tgt.write_text("The minister said <script>alert(1)</script> 45 people were hurt on Monday.\n\n"
                   "Rescue teams worked through the night.\n", encoding="utf-8")
    m = tmp_path / "m.jsonl"
    m.write_text(json.dumps({"id": "<img src=x onerror=alert(2)>", "source": "s.txt", "translation": "t.txt"}) + "\n",
                 encoding="utf-8")
    r = run("batch", m, "-o", tmp_path / "out", "--quiet")
    assert r.exit_code == 0, r.output
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in html and "<script" not in html.lower()
    assert "<img" not in html


# ---------------------------------------------------------------------- resume after a kill

def copies(tmp: Path, n: int) -> Path:
    """n pairs: the bundled pairs again and again, each copy its own files (so each is compared)."""
    rows = list(csv.DictReader(MANIFEST.open(encoding="utf-8")))
    lines = ["id,source,translation"]
    for k in range(n):
        row = rows[k % len(rows)]
        d = tmp / f"p{k:02d}"
        d.mkdir()
        for side in ("source", "translation"):
            text = (CORPORA / row[side]).read_text(encoding="utf-8")
            (d / Path(row[side]).name).write_text(text + f"\n\nCopy {k}.\n" if side == "source" else text,
                                                  encoding="utf-8")
        lines.append(f"p{k:02d},{d.name}/{Path(row['source']).name},{d.name}/{Path(row['translation']).name}")
    m = tmp / "pairs.csv"
    m.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return m


def wait_rows(out: Path, n: int, proc, timeout: float = 120) -> int:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            break
        try:
            done = sum(1 for _, st, _, _ in index_rows(out) if st == "ok")
        except sqlite3.Error:
            done = 0
        if done >= n:
            return done
        time.sleep(0.05)
    raise AssertionError(f"the batch did not record {n} pairs (rc={proc.poll()})")


def _cli(*args) -> list[str]:
    return [sys.executable, "-m", "transcompare.cli", *map(str, args)]


@pytest.mark.slow
def test_resume_after_kill(tmp_path):
    m = copies(tmp_path, 10)
    out = tmp_path / "out"
    env = dict(os.environ, TRANSCOMPARE_CACHE=str(tmp_path / "cache"))
    # chunks of 2: results land two at a time, so the kill comes with pairs still to do
    proc = subprocess.Popen(_cli("batch", m, "-o", out, "--quiet", "--no-cache", "--chunk-size", "2"), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_rows(out, 3, proc)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    first = {pid: run_ for pid, st, run_, _ in index_rows(out) if st == "ok"}
    assert 3 <= len(first) < 10, "killed part-way"
    done = subprocess.run(_cli("batch", m, "-o", out, "--no-cache"), env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"compared {10 - len(first)}, unchanged {len(first)}" in done.stdout
    rows = index_rows(out)
    assert [r[0] for r in rows] == [f"p{k:02d}" for k in range(10)]  # each once
    assert all(st == "ok" for _, st, _, _ in rows)
    for pid, _, run_, _ in rows:  # finished pairs were not compared again
        if pid in first:
            assert run_ == first[pid]
        else:
            assert run_ > max(first.values())
    assert sorted(p.name for p in (out / "pairs").glob("*.json")) == [f"p{k:02d}.json" for k in range(10)]
    assert not list((out / "pairs").glob(".*tmp*"))
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert rep["totals"]["ok"] == 10
    # a changed file is compared again, the rest are kept
    f = next((tmp_path / "p03").glob("translation.*"))
    f.write_text(f.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    third = run("batch", m, "-o", out, "--no-cache")
    assert "compared 1, unchanged 9" in third.output


def test_unpaired_files_are_reported(tmp_path):
    a, b = tmp_path / "src", tmp_path / "tgt"
    a.mkdir()
    b.mkdir()
    (a / "flood.en.txt").write_bytes((CORPORA / "en-vi-flood" / "source.en.txt").read_bytes())
    (b / "flood.vi.txt").write_bytes((CORPORA / "en-vi-flood" / "translation.vi.txt").read_bytes())
    (a / "orphan.en.txt").write_text("Nothing pairs with this.\n", encoding="utf-8")
    r = run("batch", a, b, "-o", tmp_path / "out")
    assert r.exit_code == 0, r.output
    assert "unpaired files, not compared (1)" in r.output and "orphan.en.txt" in r.output
    rep = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [Path(f).name for f in rep["unpaired"]] == ["orphan.en.txt"]
    assert rep["pairs"][0]["id"] == "flood" and rep["pairs"][0]["status"] == "ok"


def test_bad_output_folder_and_foreign_index(tmp_path):
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    r = run("batch", MANIFEST, "-o", f)
    assert r.exit_code == 2 and "is a file" in r.output
    out = tmp_path / "out"
    out.mkdir()
    db = sqlite3.connect(out / "index.sqlite")
    db.execute("CREATE TABLE other (x)")
    db.commit()
    db.close()
    r = run("batch", MANIFEST, "-o", out)
    assert r.exit_code == 2 and "not a transcompare batch index" in r.output
    assert "Traceback" not in r.output


# ---------------------------------------------------------------------- FLORES dev pairs

def test_flores_pairs(tmp_path, shared_data):
    path = shared_data / "flores200-dev" / "flores200_dev_8lang_with_docs.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not found")
    docs: dict = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        docs.setdefault(row["doc_index"], []).append(row)
    langs = {"vie_Latn": "vi", "deu_Latn": "de", "fra_Latn": "fr", "spa_Latn": "es", "zho_Hans": "zh",
             "rus_Cyrl": "ru", "arb_Arab": "ar"}
    doc = next(d for k, d in sorted(docs.items()) if len(d) >= 4)
    m = tmp_path / "m.jsonl"
    with m.open("w", encoding="utf-8") as fh:
        src = tmp_path / "src.en.txt"
        src.write_text("\n\n".join(r["eng_Latn"] for r in doc) + "\n", encoding="utf-8")
        for code, short in langs.items():
            t = tmp_path / f"t.{short}.txt"
            t.write_text("\n\n".join(r[code] for r in doc) + "\n", encoding="utf-8")
            fh.write(json.dumps({"id": short, "source": src.name, "translation": t.name}) + "\n")
    r = run("batch", m, "-o", tmp_path / "out", "--quiet")
    assert r.exit_code == 0, r.output
    rep = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert set(rep["language_pairs"]) == {f"en-{s}" for s in langs.values()}  # languages detected right
    assert rep["totals"]["ok"] == 7
    assert all(e["coverage"] == 1.0 for e in rep["pairs"])  # untouched references: every statement kept


@pytest.mark.slow
def test_workers_and_scheduler_options(tmp_path, monkeypatch):
    r = run("batch", MANIFEST, "-o", tmp_path / "o", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1")
    assert r.exit_code == 2 and "give one of them" in r.output
    # the address from the environment is used when nothing else is said; an unreachable one is one line
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://127.0.0.1:1")
    pytest.importorskip("distributed")
    r = run("batch", MANIFEST, "-o", tmp_path / "o2", "--quiet")
    assert r.exit_code == 2 and "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in r.output
    assert "Traceback" not in r.output


def test_progress_and_summary(tmp_path):
    """Without --quiet: a progress bar on stderr, the summary on stdout; with it, neither."""
    m = tmp_path / "m.csv"
    m.write_text("id,source,translation\n"
                 f"flood,{CORPORA / 'en-vi-flood' / 'source.en.txt'},{CORPORA / 'en-vi-flood' / 'translation.vi.txt'}\n",
                 encoding="utf-8")
    env = dict(os.environ, TRANSCOMPARE_CACHE=str(tmp_path / "cache"))
    loud = subprocess.run(_cli("batch", m, "-o", tmp_path / "a"), env=env, capture_output=True, text=True, timeout=300)
    assert loud.returncode == 0, loud.stderr
    assert "1/1" in loud.stderr and "pairs/s" in loud.stderr
    assert loud.stdout.startswith("batch: 1 pair from") and "report:" in loud.stdout
    quiet = subprocess.run(_cli("batch", m, "-o", tmp_path / "b", "--quiet"), env=env, capture_output=True, text=True,
                           timeout=300)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""


def test_a_second_batch_on_the_same_folder_stops_with_a_message(tmp_path):
    from transcompare.batch.results import ResultStore

    m = copies(tmp_path, 2)
    out = tmp_path / "out"
    holder = ResultStore(out)  # a batch running in this folder
    try:
        r = subprocess.run(_cli("batch", m, "-o", out, "--no-cache", "--quiet"), capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 2 and "another batch is writing to this folder" in r.stderr
        assert f"process {os.getpid()}" in r.stderr and r.stderr.strip().count("\n") == 0, r.stderr
        assert index_rows(out) == []  # nothing written beside the batch that holds the folder
    finally:
        holder.close()
    assert run("batch", m, "-o", out, "--no-cache").exit_code == 0  # free again once it is done


def test_resume_removes_what_a_killed_run_left_half_written(tmp_path):
    m = copies(tmp_path, 2)
    out = tmp_path / "out"
    (out / "pairs").mkdir(parents=True)
    stale = [out / "pairs" / ".p00.json.tmp-999999", out / ".report.json.tmp-999999"]
    for f in stale:
        f.write_text("{half", encoding="utf-8")
    assert run("batch", m, "-o", out, "--no-cache").exit_code == 0
    assert not any(f.exists() for f in stale)


def test_each_pair_is_handed_on_the_moment_it_is_done():
    # a batch records a pair as soon as its comparison ends, not when its whole chunk does
    import threading

    from transcompare.backends.encoders import get_encoder
    from transcompare.batch.gather import run_gathered

    slow_done = threading.Event()
    seen = []

    def slow(enc):
        enc.embed(["The river rose two metres overnight."])
        threading.Event().wait(0.3)
        slow_done.set()
        return "slow"

    def quick(enc):
        enc.embed(["Schools stayed closed."])
        return "quick"

    out = run_gathered(get_encoder(cache=False), [slow, quick], lambda k, r: seen.append((k, r, slow_done.is_set())))
    assert out == ["slow", "quick"]
    assert seen == [(1, "quick", False), (0, "slow", True)]
