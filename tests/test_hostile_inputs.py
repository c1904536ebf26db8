"""Hostile inputs have a budget: a small file that unpacks to far more than a document is refused
with one line, before anything is parsed, in bounded memory (issue 25)."""
import re
import subprocess
import sys
import zipfile

import pytest

from transcompare.errors import InputError
from transcompare.read import read_file
from transcompare.read.base import MAX_DOCX_PARAGRAPHS, MAX_DOCX_XML_BYTES

CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/'
      '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
      '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def docx_of(path, paragraphs: int, text: str = "ab"):
    """A .docx whose body is ``paragraphs`` tiny paragraphs, written as a stream (deflate packs
    the repeats about 300 to 1)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://'
                     b'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            chunk = (f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" * 1000).encode()
            for _ in range(paragraphs // 1000):
                fh.write(chunk)
            fh.write(b"</w:body></w:document>")
    return path


def peak_of_compare(*files) -> tuple[int, int, str]:
    """Run ``transcompare compare`` in a fresh process: its exit code, its peak memory (MiB)
    and what it printed."""
    # the peak of this process's own memory (VmHWM: ru_maxrss would carry over the pytest process
    # the child was forked from)
    code = ("import re, resource, sys\nfrom transcompare.cli import main\ntry:\n    main(sys.argv[1:])\n"
            "except SystemExit as e:\n    rc = e.code\nelse:\n    rc = 0\n"
            "try:\n    kb = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
            "except OSError:\n    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "print('PEAK', kb // 1024, rc, file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", code, "compare", *map(str, files)], capture_output=True, text=True,
                       timeout=300)
    line = next(x for x in r.stderr.splitlines() if x.startswith("PEAK"))
    _, peak, rc = line.split()
    return int(rc), int(peak), r.stderr.replace(line, "").strip()


def test_a_docx_that_unpacks_to_175_mb_is_refused_in_bounded_memory(tmp_path):
    bomb = docx_of(tmp_path / "bomb.docx", 5_000_000)
    assert bomb.stat().st_size < 1_000_000
    rc, peak, said = peak_of_compare(bomb, bomb)
    assert rc == 2 and peak < 600, (rc, peak, said)
    assert said.count("\n") == 0 and "bomb.docx" in said and "MB of XML" in said and "Traceback" not in said


def test_a_docx_of_too_many_tiny_paragraphs_is_refused(tmp_path):
    many = docx_of(tmp_path / "many.docx", MAX_DOCX_PARAGRAPHS + 1000)
    assert sum(i.file_size for i in zipfile.ZipFile(many).infolist()) < MAX_DOCX_XML_BYTES  # the size budget passes
    with pytest.raises(InputError, match=r"many\.docx.*more than 100,000 paragraphs"):
        read_file(str(many))


def test_a_docx_within_the_budget_is_read(tmp_path):
    ok = docx_of(tmp_path / "ok.docx", 2000, "The river rose two metres overnight.")
    parsed = read_file(str(ok))
    assert parsed.text.count("The river rose") == 2000


GOOD_CUE = "1\n00:00:01,000 --> 00:00:02,000\nThe river rose two metres.\n\n"


@pytest.mark.parametrize("bad, line, needle", [
    ("2\n00:0x:02,000 --> 00:00:03,000\nSchools stayed closed.\n", 6, "cannot read the cue's timing"),
    ("2\nSchools stayed closed.\nShops too.\n", 6, "no timing line"),
    ("Schools stayed closed.\n", 5, "text outside any cue"),
    ("2\n99:99:99,999 --> 00:00:00,000\nSchools stayed closed.\n", 6, "out of range"),
    ("2\n00:00:05,000 --> 00:00:03,000\nSchools stayed closed.\n", 6, "ends (00:00:03.000) before it starts"),
])
def test_a_subtitle_cue_that_cannot_be_read_is_an_error_naming_its_line(tmp_path, bad, line, needle):
    # before: the cue vanished without a word (or its times were taken as given)
    p = tmp_path / "ep.srt"
    p.write_text(GOOD_CUE + bad, encoding="utf-8")
    with pytest.raises(InputError, match=rf"ep\.srt.*line {line}: .*{re.escape(needle)}"):
        read_file(str(p))


def test_a_webvtt_cue_without_timing_is_an_error(tmp_path):
    p = tmp_path / "ep.vtt"
    p.write_text("WEBVTT\n\n00:01.000 --> 00:02.000\nMưa lớn.\n\nHơn 3.200 ngôi nhà bị ngập.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 6: text outside any cue"):
        read_file(str(p))


# one line and several lines of real text in each legacy encoding a user may still have files in
LEGACY_TEXTS = {
    "shift_jis": "日本の首都は東京です。多くの人が電車で通勤しています。",
    "euc_jp": "日本の首都は東京です。多くの人が電車で通勤しています。",
    "gb18030": "中国的经济增长了百分之五，出口表现强劲。",
    "big5": "台灣的經濟成長了百分之五，出口表現強勁。",
    "euc_kr": "서울은 대한민국의 수도입니다. 많은 사람들이 지하철을 이용합니다.",
    "koi8_r": "Москва является столицей России. Многие люди ездят на метро.",
    "cp1251": "Москва является столицей России. Многие люди ездят на метро.",
}


@pytest.mark.parametrize("encoding", sorted(LEGACY_TEXTS))
@pytest.mark.parametrize("lines", [1, 6])
def test_legacy_encodings_decode_to_the_right_text(tmp_path, encoding, lines):
    from transcompare.read.decode import decode

    text = LEGACY_TEXTS[encoding]
    if lines == 1:
        text = text.replace("。", "。\n").replace(". ", ".\n").splitlines()[0]  # one short line
    else:
        text = "\n".join([text] * lines)
    out, _ = decode(text.encode(encoding), "doc.txt")
    assert out == text


@pytest.mark.parametrize("data, offset", [(b"The river rose \xff\xfe quickly", 15),
                                          (b"The river rose \xff\xfe quickly.\nIt rained all night long.\n", 15)])
def test_invalid_utf8_is_never_guessed_into_another_alphabet(data, offset):
    # before: "rose яю quickly" (cp1251), in silence
    from transcompare.read.decode import decode

    with pytest.raises(InputError, match=rf"doc\.txt: is not UTF-8 \(invalid byte at offset {offset}\)"):
        decode(data, "doc.txt")


def test_millions_of_tiny_lines_are_refused_before_parsing(tmp_path):
    from transcompare.read.base import MAX_LINES

    p = tmp_path / "lines.txt"
    p.write_bytes(b"a\n" * (MAX_LINES + 1))  # 1 MB
    with pytest.raises(InputError, match=r"lines\.txt: has 500,001 lines; the limit for one document is 500,000"):
        read_file(str(p))
    s = tmp_path / "cues.srt"
    s.write_bytes(b"1\n00:00:01,000 --> 00:00:02,000\nA line.\n\n" * (MAX_LINES // 4 + 1))
    with pytest.raises(InputError, match=r"cues\.srt: has [\d,]+ lines"):
        read_file(str(s))


def test_lenient_skips_a_bad_cue_with_a_warning_naming_its_line(tmp_path):
    from click.testing import CliRunner

    from transcompare.cli import main

    src = tmp_path / "ep.en.srt"
    src.write_text(GOOD_CUE + "2\n00:0x:02,000 --> 00:00:03,000\nSchools stayed closed.\n\n"
                   "3\n00:00:04,000 --> 00:00:05,000\nThe mayor spoke.\n", encoding="utf-8")
    strict = CliRunner().invoke(main, ["compare", str(src), str(src)])
    assert strict.exit_code == 2 and "line 6: cannot read the cue's timing" in strict.output
    r = CliRunner().invoke(main, ["compare", str(src), str(src), "--lenient", "-f", "json"])
    assert r.exit_code == 0, r.output
    warning = [x for x in r.output.splitlines() if x.startswith("warning: skipped a subtitle cue")]
    assert len(warning) == 2 and all("ep.en.srt: line 6: cannot read the cue's timing" in w for w in warning)
    assert "Schools stayed closed" not in r.output and "The mayor spoke" in r.output


def test_a_memory_of_millions_of_tiny_elements_is_refused_before_parsing(tmp_path):
    from transcompare.read import read_bitext
    from transcompare.read.base import MAX_XML_ELEMENTS

    p = tmp_path / "bomb.tmx"
    unit = b'<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="fr"><seg>a</seg></tuv></tu>\n'
    with open(p, "wb") as fh:
        fh.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en"/><body>\n')
        for _ in range(MAX_XML_ELEMENTS // 5 + 1):  # five elements a unit: 9 MB
            fh.write(unit)
        fh.write(b"</body></tmx>\n")
    rc, peak, said = peak_of_compare(p)
    assert rc == 2 and peak < 600 and "XML elements; the limit for one memory" in said, (rc, peak, said)
    small = tmp_path / "ok.tmx"
    small.write_bytes(p.read_bytes()[:2000].rsplit(b"<tu>", 1)[0] + b"</body></tmx>\n")
    src, tgt, beads = read_bitext(str(small), "en", "fr")
    assert len(beads) > 10


def test_a_page_of_too_many_elements_is_refused_before_extraction(tmp_path):
    # the article extraction took 37 s on a 9.8 MB page of 170,000 paragraphs
    from transcompare.read.base import MAX_PAGE_ELEMENTS

    p = tmp_path / "page.html"
    p.write_text("<html><body><article>" + "<p>The river rose.</p>\n" * (MAX_PAGE_ELEMENTS + 1)
                 + "</article></body></html>", encoding="utf-8")
    rc, peak, said = peak_of_compare(p, p)
    assert rc == 2 and peak < 600 and "web page of about" in said, (rc, peak, said)
