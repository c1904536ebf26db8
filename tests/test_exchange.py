"""TMX 1.4b and XLIFF 2.1 out (validated against their schemas), and back in as pre-aligned
input: a translation memory re-scored as it is aligned."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from transcompare.cli import main
from transcompare.read.bitext import XLIFF_NS, read_bitext

SCHEMAS = Path(__file__).parent / "schemas"
SRC = ("Heavy rain flooded 12 districts of Hue on Sunday, officials said.\n\n"
       "More than 3,200 homes were under water, and 5 people died.\n\n"
       "The provincial government opened 40 shelters for evacuated families.\n\n"
       "Soldiers were sent to the worst-hit areas. Schools stayed closed on Monday.\n")
TGT = ("Mưa lớn đã làm ngập 12 quận của Huế vào Chủ nhật, các quan chức cho biết.\n\n"
       "Hơn 3.200 ngôi nhà bị ngập, và 7 người đã chết.\n\n"
       "Binh lính được điều đến những khu vực bị ảnh hưởng nặng nhất và trường học vẫn đóng cửa vào thứ Hai.\n\n"
       "Một cơn bão khác được dự báo sẽ đổ bộ vào thứ Năm tới.\n")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    d = tmp_path_factory.mktemp("pair")
    (d / "a.en.txt").write_text(SRC, encoding="utf-8")
    (d / "a.vi.txt").write_text(TGT, encoding="utf-8")
    return d / "a.en.txt", d / "a.vi.txt"


@pytest.fixture(scope="module")
def compared(pair):
    r = run("compare", *pair, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def _beads(d):
    return [(tuple(b["source"]), tuple(b["target"])) for b in d["pairs"]]


def test_comparison_has_every_kind_of_unit(compared):
    kinds = {f"{len(s)}-{len(t)}" for s, t in _beads(compared)}
    assert {"1-1", "1-0", "2-1", "0-1"} <= kinds
    assert sorted(f["kind"] for f in compared["flags"]) == ["added", "altered", "dropped"]


def test_align_tmx_valid_and_faithful(pair, tmp_path):
    out = tmp_path / "a.tmx"
    r = run("align", *pair, "--format", "tmx", "-o", out)
    assert r.exit_code == 0, r.output
    doc = etree.parse(str(out))
    dtd = etree.DTD(str(SCHEMAS / "tmx14.dtd"))
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()
    root = doc.getroot()
    assert root.get("version") == "1.4" and root.find("header").get("srclang") == "en"
    tus = root.findall("body/tu")
    aligned = json.loads(run("align", *pair, "--format", "json").output)
    assert len(tus) == len(aligned["beads"])
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for tu, bead in zip(tus, aligned["beads"]):
        langs = [tuv.get(lang) for tuv in tu.findall("tuv")]
        assert langs == (["en"] if bead["source"] else []) + (["vi"] if bead["target"] else [])
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        assert props["x-bead"] == f"{len(bead['source'])}-{len(bead['target'])}"
    # the 2-1 bead's two English sentences are one segment
    two = next(tu for tu, b in zip(tus, aligned["beads"]) if len(b["source"]) == 2)
    assert two.find("tuv/seg").text == "Soldiers were sent to the worst-hit areas. Schools stayed closed on Monday."


def test_compare_xliff_valid_with_flags_as_notes(pair, compared, tmp_path):
    out = tmp_path / "a.xlf"
    assert run("compare", *pair, "--format", "xliff", "-o", out).exit_code == 0
    doc = etree.parse(str(out))
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff_core_2.1.xsd")))
    assert schema.validate(doc), schema.error_log
    root = doc.getroot()
    x = f"{{{XLIFF_NS}}}"
    assert root.get("version") == "2.1" and root.get("srcLang") == "en" and root.get("trgLang") == "vi"
    units = root.findall(f"{x}file/{x}unit")
    assert len(units) == len(compared["pairs"])
    notes = [n for u in units for n in u.iter(f"{x}note") if n.get("category", "").startswith("transcompare-") and
             n.get("category") not in ("transcompare-sentences", "transcompare-similarity")]
    assert sorted(n.get("category") for n in notes) == ["transcompare-added", "transcompare-altered",
                                                         "transcompare-dropped"]
    altered = next(n for n in notes if n.get("category") == "transcompare-altered")
    assert "5" in altered.text and "7" in altered.text and altered.get("priority") == "1"
    # what the schema cannot say: a target only where the bead has one, states that match
    for unit, bead in zip(units, compared["pairs"]):
        seg = unit.find(f"{x}segment")
        has_target = seg.find(f"{x}target") is not None
        assert has_target == bool(bead["target"])
        assert (seg.get("state") == "translated") == has_target


def test_schemas_reject_what_they_should(tmp_path):
    """The test schemas are not vacuous: a broken TMX and a broken XLIFF fail them."""
    dtd = etree.DTD(str(SCHEMAS / "tmx14.dtd"))
    assert not dtd.validate(etree.fromstring(b'<tmx version="1.4"><header srclang="en"/><body/></tmx>'))
    assert not dtd.validate(etree.fromstring(b'<tmx version="1.4"><header creationtool="t" creationtoolversion="1" '
                                             b'segtype="sentence" o-tmf="t" adminlang="en" srclang="en" datatype="x"/>'
                                             b'<body><tu><seg>x</seg></tu></body></tmx>'))
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "xliff_core_2.1.xsd")))
    bad = (f'<xliff xmlns="{XLIFF_NS}" version="2.1" srcLang="en"><file id="f"><unit id="u">'
           '<segment state="done"><source>x</source></segment></unit></file></xliff>')
    assert not schema.validate(etree.fromstring(bad.encode()))
    no_source = (f'<xliff xmlns="{XLIFF_NS}" version="2.1" srcLang="en"><file id="f"><unit id="u">'
                 '<segment><target>x</target></segment></unit></file></xliff>')
    assert not schema.validate(etree.fromstring(no_source.encode()))


@pytest.mark.parametrize("fmt", ["tmx", "xliff"])
def test_round_trip_rescored_as_aligned(pair, compared, tmp_path, fmt):
    out = tmp_path / f"a.{fmt}"
    assert run("compare", *pair, "--format", fmt, "-o", out).exit_code == 0
    src, tgt, beads = read_bitext(str(out))
    assert (src.lang, tgt.lang) == ("en", "vi")
    assert [s.text for s in src.sentences] == [s["text"] for s in compared["source"]["sentences"]]
    assert [s.text for s in tgt.sentences] == [s["text"] for s in compared["target"]["sentences"]]
    assert [(b.source, b.target) for b in beads] == _beads(compared)
    r = run("compare", out, "--format", "json")
    assert r.exit_code == 0, r.output
    again = json.loads(r.output)
    assert _beads(again) == _beads(compared)
    assert again["settings"]["align_method"] == "given"
    assert sorted((f["kind"], tuple(f["reasons"])) for f in again["flags"]) == \
        sorted((f["kind"], tuple(f["reasons"])) for f in compared["flags"])


def test_memory_from_another_tool(tmp_path):
    """A TMX with regional codes, inline codes and a third language; an XLIFF 1.2 file."""
    tmx = tmp_path / "memory.tmx"
    tmx.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header creationtool="OtherCAT" creationtoolversion="9" segtype="sentence" o-tmf="x"
 adminlang="en-US" srclang="en-US" datatype="html"/>
<body>
<tu><tuv xml:lang="en-US"><seg>Heavy rain flooded <bpt i="1">&lt;b&gt;</bpt>12 districts<ept i="1">&lt;/b&gt;</ept> of Hue.</seg></tuv>
<tuv xml:lang="vi-VN"><seg>Mưa lớn làm ngập <bpt i="1">&lt;b&gt;</bpt>12 quận<ept i="1">&lt;/b&gt;</ept> của Huế.</seg></tuv>
<tuv xml:lang="fr-FR"><seg>De fortes pluies ont inondé 12 districts de Hué.</seg></tuv></tu>
<tu><tuv xml:lang="en-US"><seg>Five people died.<ph x="1">&lt;br/&gt;</ph></seg></tuv>
<tuv xml:lang="vi-VN"><seg>Năm người chết.</seg></tuv>
<tuv xml:lang="fr-FR"><seg>Cinq personnes sont mortes.</seg></tuv></tu>
</body></tmx>""", encoding="utf-8")
    r = run("compare", tmx, "--format", "json")
    assert r.exit_code == 2 and "target language" in r.output and "--target-lang" in r.output
    d = json.loads(run("compare", tmx, "--target-lang", "vi-VN", "--format", "json").stdout)
    assert d["source"]["sentences"][0]["text"] == "Heavy rain flooded 12 districts of Hue."
    assert d["target"]["sentences"][0]["text"] == "Mưa lớn làm ngập 12 quận của Huế."
    assert d["source"]["sentences"][1]["text"] == "Five people died."
    assert d["flags"] == []
    xlf = tmp_path / "job.xlf"
    xlf.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="story.html" source-language="en" target-language="de" datatype="html"><body>
<trans-unit id="1"><source>More than 3,200 homes were under water.</source><target>Mehr als 3.200 Häuser standen unter Wasser.</target></trans-unit>
<trans-unit id="2"><source>5 people <g id="1">died</g>.</source><target>7 Menschen <g id="1">starben</g>.</target></trans-unit>
</body></file></xliff>""", encoding="utf-8")
    d = json.loads(run("compare", xlf, "--format", "json").output)
    assert (d["source"]["lang"], d["target"]["lang"]) == ("en", "de")
    assert d["target"]["sentences"][1]["text"] == "7 Menschen starben."
    assert [f["reasons"] for f in d["flags"]] == [["number"]]  # 5 -> 7


def test_bad_memories(tmp_path, pair):
    broken = tmp_path / "broken.tmx"
    broken.write_text('<tmx version="1.4"><header srclang="en"><body><tu>', encoding="utf-8")
    r = run("compare", broken)
    assert r.exit_code == 2 and "broken.tmx" in r.output and "not well-formed XML" in r.output
    assert len(r.output.strip().splitlines()) == 1
    empty = tmp_path / "empty.xlf"
    empty.write_text(f'<xliff xmlns="{XLIFF_NS}" version="2.1" srcLang="en"><file id="f"></file></xliff>',
                     encoding="utf-8")
    r = run("compare", empty)
    assert r.exit_code == 2 and "no translation units" in r.output
    out = tmp_path / "a.tmx"
    run("align", *pair, "--format", "tmx", "-o", out)
    r = run("compare", pair[0], out)
    assert r.exit_code == 2 and "holds both sides" in r.output
    r = run("compare", pair[0])
    assert r.exit_code == 2 and "not a TMX or XLIFF file" in r.output
    # an entity that would read a local file stays unread (no XXE)
    evil = tmp_path / "evil.tmx"
    evil.write_text(f"""<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file://{pair[0]}">]>
<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>A &x; B.</seg></tuv>
<tuv xml:lang="vi"><seg>A B.</seg></tuv></tu></body></tmx>""", encoding="utf-8")
    r = run("compare", evil, "--format", "json")
    assert "Heavy rain" not in r.output


@pytest.mark.parametrize("pair_dir", sorted(p.parent.name for p in (Path(__file__).parent.parent / "corpora").glob("*/expected.json")))
def test_every_corpus_pair_round_trips(pair_dir, encoder, tmp_path):
    """Written out and read back, each bundled pair gives the same pairs and flags: moved
    paragraphs (their place is in transcompare's own notes), a same-language rewrite, a page pair."""
    from transcompare.render import exchange
    from transcompare import compare, compare_bitext

    folder = Path(__file__).parent.parent / "corpora" / pair_dir
    exp = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    c = compare(folder / exp["source"], folder / exp["translation"], encoder=encoder)
    for fmt, write in (("tmx", exchange.to_tmx), ("xlf", exchange.to_xliff)):
        out = tmp_path / f"memory.{fmt}"
        out.write_text(write(c), encoding="utf-8")
        again = compare_bitext(out, encoder=encoder)
        assert [(b.source, b.target, b.moved) for b in again.alignment.beads] == \
            [(b.source, b.target, b.moved) for b in c.alignment.beads], fmt
        assert [(f.kind, f.reasons, f.source, f.target) for f in again.flags] == \
            [(f.kind, f.reasons, f.source, f.target) for f in c.flags], fmt
