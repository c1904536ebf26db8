"""Inputs as users have them: web pages, .docx, subtitles and http(s) addresses, end to end
through the command line, and the one-line errors for inputs that cannot be read.

Every file is made here: pages laid out as a news site would (navigation, byline, share bar,
related links, comments), a .docx written by python-docx with a footnote part added, subtitles
with timings."""
import functools
import http.server
import io
import json
import threading
import zipfile

import pytest
from click.testing import CliRunner

from transcompare.cli import main
from transcompare.errors import InputError
from transcompare import load_document

EN = ["Floods hit Hue after three days of rain",
      "Heavy rain flooded 12 districts of Hue on Sunday, officials said.",
      "More than 3,200 homes were under water, and 5 people died.",
      "The provincial government opened 40 shelters for evacuated families."]
VI = ["Lũ lụt tại Huế sau ba ngày mưa",
      "Mưa lớn đã làm ngập 12 quận của Huế vào Chủ nhật, các quan chức cho biết.",
      "Hơn 3.200 ngôi nhà bị ngập, và 7 người đã chết."]  # 5 -> 7, the shelters left out
DE = ["Überschwemmungen in Hue nach drei Tagen Regen",
      "Starker Regen überflutete am Sonntag 12 Bezirke von Hue, sagten Beamte.",
      "Mehr als 3.200 Häuser standen unter Wasser, und 5 Menschen starben.",
      "Die Provinzregierung öffnete 40 Notunterkünfte für evakuierte Familien."]
ZH = ["连续三天降雨后洪水袭击顺化",
      "官员说，周日大雨淹没了顺化的12个区。",
      "超过3200所房屋被淹，5人死亡。",
      "省政府为撤离的家庭开放了40个避难所。"]
AR = ["الفيضانات تضرب هوي بعد ثلاثة أيام من الأمطار",
      "قال مسؤولون إن الأمطار الغزيرة أغرقت 12 منطقة في هوي يوم الأحد.",
      "غمرت المياه أكثر من 3200 منزل، وتوفي 5 أشخاص.",
      "فتحت حكومة المقاطعة 40 ملجأ للعائلات التي تم إجلاؤها."]
CHROME = {"en": ("Home", "World", "By Nguyen Van A", "Share on Facebook", "Related articles", "Storm season starts early",
                 "Comments (2)", "Great article, thanks!"),
          "vi": ("Trang chủ", "Thế giới", "Theo Nguyễn Văn A", "Chia sẻ", "Tin liên quan", "Mùa bão đến sớm",
                 "Bình luận (2)", "Bài viết hay quá!"),
          "de": ("Startseite", "Welt", "Von Nguyen Van A", "Teilen", "Lesen Sie auch", "Sturmsaison beginnt früh",
                 "Kommentare (2)", "Toller Artikel!"),
          "zh": ("首页", "国际", "记者 阮文A", "分享", "相关新闻", "风暴季提前到来", "评论 (2)", "好文章！"),
          "ar": ("الرئيسية", "العالم", "بقلم نغوين فان أ", "مشاركة", "مقالات ذات صلة", "موسم العواصف يبدأ مبكرا",
                 "تعليقات (2)", "مقال رائع!")}


def news_page(lang: str, sentences: list[str], date: str = "2026-10-12") -> str:
    """A page as a news site lays it out: the article among navigation, share bar, related
    links, comments and footer."""
    home, world, byline, share, related, rel1, comments, comment = CHROME[lang]
    body = "\n".join(f"<p>{s}</p>" for s in sentences[1:])
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{sentences[0]} | Daily News</title>
<meta name="author" content="Nguyen Van A">
<meta property="article:published_time" content="{date}T08:00:00+07:00">
<meta property="og:site_name" content="Daily News">
<script>window.analytics = {{track: function() {{}}}};</script>
<style>body {{ font-family: sans-serif }}</style></head>
<body>
<header><nav class="menu"><ul><li><a href="/">{home}</a></li><li><a href="/world">{world}</a></li></ul></nav></header>
<main><article>
<h1>{sentences[0]}</h1>
<div class="byline">{byline}</div>
<div class="article-body">
{body}
</div>
<div class="share"><a href="https://facebook.com/share">{share}</a></div>
<aside class="related"><h3>{related}</h3><ul><li><a href="/a">{rel1}</a></li><li><a href="/b">{rel1} 2</a></li></ul></aside>
</article></main>
<section id="comments" class="comments"><h3>{comments}</h3><div class="comment"><p>{comment}</p></div></section>
<footer><p>© 2026 Daily News. All rights reserved.</p></footer>
</body></html>
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def compare_json(*args):
    r = run("compare", *args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def one_line_error(r, *needles):
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("transcompare: error:"), r.output
    assert "Traceback" not in r.output
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def pages(tmp_path):
    out = {}
    for lang, sents in (("en", EN), ("vi", VI), ("de", DE), ("zh", ZH), ("ar", AR)):
        p = tmp_path / f"story.{lang}.html"
        p.write_text(news_page(lang, sents), encoding="utf-8")
        out[lang] = p
    return out


# ------------------------------------------------------------------------------ web pages

@pytest.mark.parametrize("lang,sents", [("en", EN), ("vi", VI), ("de", DE), ("zh", ZH), ("ar", AR)])
def test_page_article_extracted_without_chrome(pages, lang, sents):
    doc = load_document(pages[lang])
    assert doc.format == "html" and doc.lang == lang
    texts = [s.text for s in doc.sentences]
    assert texts == sents  # the headline first, then the article, nothing else
    for chrome in CHROME[lang]:
        assert not any(chrome in t for t in texts), chrome
    assert doc.sentences[0].role == "heading"
    assert doc.meta["title"] == sents[0] and doc.meta["author"] == "Nguyen Van A"
    assert doc.meta["date"] == "2026-10-12" and doc.meta["sitename"] == "Daily News"
    # offsets point into the extracted text
    for s in doc.sentences:
        assert doc.text[s.start:s.end] == s.text


def test_pages_compared_end_to_end(pages):
    d = compare_json(pages["en"], pages["vi"])
    assert d["source"]["format"] == d["target"]["format"] == "html"
    assert d["source"]["meta"]["title"] == EN[0]
    kinds = sorted((f["kind"], tuple(f["reasons"])) for f in d["flags"])
    assert kinds == [("altered", ("number",)), ("dropped", ())]
    number = next(f for f in d["flags"] if f["kind"] == "altered")
    texts = {e["side"]: e["text"] for e in number["evidence"]}
    assert texts == {"source": "5", "target": "7"}
    # the JSON gives the extracted text the offsets point into
    for side in ("source", "target"):
        doc = d[side]
        for s in doc["sentences"]:
            assert doc["text"][s["start"]:s["end"]] == s["text"]
    # a faithful German page: nothing flagged
    assert compare_json(pages["en"], pages["de"])["flags"] == []


def test_boilerplate_left_in_a_page_is_shown_not_flagged(tmp_path):
    en = tmp_path / "a.en.html"
    vi = tmp_path / "a.vi.html"
    en.write_text("<html><body><article><h1>Floods hit Hue after three days of rain</h1>"
                  + "".join(f"<p>{s}</p>" for s in EN[1:3]) + "<p>Source: Reuters</p></article></body></html>",
                  encoding="utf-8")
    vi.write_text("<html><body><article><h1>Lũ lụt tại Huế sau ba ngày mưa</h1>"
                  + "".join(f"<p>{s}</p>" for s in VI[1:2]) + "<p>Hơn 3.200 ngôi nhà bị ngập, và 5 người đã chết.</p>"
                  "<p>Bình luận (0)</p><p>Chia sẻ bài viết</p></article></body></html>", encoding="utf-8")
    d = compare_json(en, vi)
    roles = {s["text"]: s["role"] for side in ("source", "target") for s in d[side]["sentences"]}
    assert roles["Source: Reuters"] == roles["Bình luận (0)"] == roles["Chia sẻ bài viết"] == "boilerplate"
    assert d["flags"] == []
    text = run("compare", en, vi, "--no-color").output
    assert "boilerplate" in text and "\u00b7" in text
    page = tmp_path / "r.html"
    assert run("compare", en, vi, "--format", "html", "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert html.count('<tr id="bead-') > html.count('class="pair boilerplate"') >= 2
    assert html.count(">· boiler&shy;plate</span>") == html.count('class="pair boilerplate"')


def test_lists_tables_and_quotes_in_a_page(tmp_path):
    p = tmp_path / "list.html"
    p.write_text("<html><head><title>Relief plan</title></head><body><article><h1>Relief plan</h1>"
                 "<p>The province announced a relief plan with three parts on Monday.</p>"
                 "<ul><li>Food for 2,500 families in the worst-hit communes.<ul><li>Rice and noodles.</li>"
                 "<li>Clean water.</li></ul></li><li>Repairs to 40 schools before December.</li></ul>"
                 "<blockquote><p>We will not leave anyone behind, the governor said.</p></blockquote>"
                 "<table><tr><td>Deaths</td><td>12</td></tr><tr><td>Missing</td><td>4</td></tr></table>"
                 "<p>The plan costs 150 billion dong in total, officials said.</p></article></body></html>",
                 encoding="utf-8")
    texts = [s.text for s in load_document(p, "en").sentences]
    assert "Food for 2,500 families in the worst-hit communes." in texts
    assert "Rice and noodles." in texts and "Clean water." in texts
    assert "We will not leave anyone behind, the governor said." in texts
    assert {"Deaths", "12", "Missing", "4"} <= set(texts)
    assert texts.index("Food for 2,500 families in the worst-hit communes.") < texts.index("Rice and noodles.") \
        < texts.index("Repairs to 40 schools before December.")


VN_LAYOUT = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title} - Báo Mới</title></head><body>
<header><ul class="menu"><li><a href="/thoi-su">Thời sự</a></li><li><a href="/the-gioi">Thế giới</a></li></ul></header>
<section class="section page-detail"><div class="container"><div class="sidebar-1">
<span class="date">Thứ tư, 16/10/2026, 15:00 (GMT+7)</span>
<h1 class="title-detail">{title}</h1>
<p class="description">{lead}</p>
<article class="fck_detail">{body}
<p class="author_mail"><strong>Ngọc Hân</strong></p></article>
<div class="box-category"><h3 class="title-news"><a href="/x">Bão số 6 đổ bộ Philippines</a></h3></div>
<div class="box_comment"><div class="title">Ý kiến (12)</div><p class="full_content">Mong bà con bình an.</p></div>
</div></div></section><footer>© 2026</footer></body></html>"""


def test_a_lead_printed_outside_the_article_element(tmp_path):
    """Sites such as Vietnamese news sites print the lead ("sapo") between the headline and the
    article element; it is a statement of the article and must not be lost."""
    lead = "Mưa lớn đã làm ngập 12 quận của Huế vào Chủ nhật, các quan chức cho biết."
    body = "".join(f'<p class="Normal">{s}</p>' for s in VI[2:] + ["Quân đội đã điều 300 binh sĩ đến vùng lũ."])
    p = tmp_path / "vn.html"
    p.write_text(VN_LAYOUT.format(title=VI[0], lead=lead, body=body), encoding="utf-8")
    texts = [s.text for s in load_document(p, "vi").sentences]
    assert texts == [VI[0], lead, VI[2], "Quân đội đã điều 300 binh sĩ đến vùng lũ."]
    # a lead the body repeats (here after a dateline) is not taken twice
    q = tmp_path / "vn2.html"
    q.write_text(VN_LAYOUT.format(title=VI[0], lead=lead, body=f'<p class="Normal">HUẾ - {lead}</p>' + body),
                 encoding="utf-8")
    texts = [s.text for s in load_document(q, "vi").sentences]
    assert sum(lead[:30] in t for t in texts) == 1
    # a "teaser" of another story after the article's first paragraph is not a lead
    r = tmp_path / "vn3.html"
    r.write_text(VN_LAYOUT.format(title=VI[0], lead="", body=body).replace(
        '<p class="author_mail">', '<div class="teaser">Bão số 6 đổ bộ Philippines, hàng nghìn người phải sơ tán khỏi nhà.'
        '</div><p class="author_mail">'), encoding="utf-8")
    texts = [s.text for s in load_document(r, "vi").sentences]
    assert not any("Philippines" in t for t in texts)


def test_a_page_laid_out_with_line_breaks(tmp_path):
    p = tmp_path / "br.html"
    p.write_text('<html><head><title>Floods</title></head><body><div id="content"><h1>Floods hit Hue</h1>'
                 '<div class="text">Heavy rain flooded 12 districts of Hue on Sunday,<br>officials said.<br><br>'
                 "More than 3,200 homes were under water, and 5 people died.<br><br>The provincial government "
                 "opened 40 shelters for evacuated families.<br><br>Source: Reuters<br>Comments (0)</div></div>"
                 "</body></html>", encoding="utf-8")
    doc = load_document(p, "en")
    got = [(s.text, s.role) for s in doc.sentences]
    assert got[1] == ("Heavy rain flooded 12 districts of Hue on Sunday, officials said.", "statement")
    assert ("Source: Reuters", "boilerplate") in got and ("Comments (0)", "boilerplate") in got


def test_readability_fallback_when_trafilatura_finds_nothing(pages, monkeypatch):
    monkeypatch.setattr("trafilatura.extract", lambda *args, **kwargs: None)
    doc = load_document(pages["en"])
    assert doc.meta["extracted_by"] == "readability"
    texts = [s.text for s in doc.sentences]
    for s in EN[1:]:
        assert s in texts
    assert not any("Great article" in t for t in texts)


def test_html_report_shows_page_metadata(pages, tmp_path):
    out = tmp_path / "r.html"
    assert run("compare", pages["en"], pages["vi"], "--format", "html", "-o", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "author <b>Nguyen Van A</b>" in page and "sitename <b>Daily News</b>" in page


# ------------------------------------------------------------------------------ .docx

def make_docx(path, paragraphs, footnotes=(), table=None, title="Floods"):
    """A .docx by python-docx, with a footnote part added the way Word stores one."""
    import docx

    d = docx.Document()
    d.core_properties.title = title
    d.core_properties.author = "A. Writer"
    d.add_heading(paragraphs[0], 1)
    for p in paragraphs[1:]:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, val in enumerate(row):
                t.cell(r, c).text = val
    buf = io.BytesIO()
    d.save(buf)
    if not footnotes:
        path.write_bytes(buf.getvalue())
        return path
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    notes = "".join(f'<w:footnote w:id="{k}"><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:footnote>'
                    for k, t in enumerate(footnotes, 1))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
           f'{notes}</w:footnotes>')
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats'
                                    b'.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                                    b"</Relationships>")
            elif item.filename == "word/document.xml":  # a reference to note 1 after the first paragraph's text
                data = data.replace(b"</w:t></w:r></w:p>", b'</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>'
                                    b"</w:p>", 1)
            z.writestr(item, data)
        z.writestr("word/footnotes.xml", xml)
    path.write_bytes(out.getvalue())
    return path


def test_docx_paragraphs_table_and_footnotes(tmp_path):
    import docx

    p = make_docx(tmp_path / "a.docx", EN, footnotes=["Figures from the provincial flood committee."],
                  table=[["Deaths", "5"], ["Homes flooded", "3,200"]])
    assert docx.Document(str(p)).paragraphs  # a real .docx, as Word would open it
    doc = load_document(p)
    texts = [s.text for s in doc.sentences]
    assert texts[:4] == EN
    assert "Deaths" in texts and "5" in texts  # table cells are statements
    assert texts[-1] == "Figures from the provincial flood committee."
    assert doc.sentences[0].role == "heading"
    assert doc.text.rstrip().endswith("[1] Figures from the provincial flood committee.")
    assert doc.meta["title"] == "Floods" and doc.meta["author"] == "A. Writer" and doc.meta["footnotes"] == "1"


def test_docx_compared_with_a_page(tmp_path, pages):
    src = make_docx(tmp_path / "story.en.docx", EN, footnotes=["Figures from the provincial flood committee."])
    d = compare_json(src, pages["vi"])
    assert d["source"]["format"] == "docx"
    reasons = sorted((f["kind"], tuple(f["reasons"])) for f in d["flags"])
    assert ("altered", ("number",)) in reasons
    dropped = [f for f in d["flags"] if f["kind"] == "dropped"]
    dropped_texts = {d["source"]["sentences"][f["source"][0]]["text"] for f in dropped}
    assert EN[3] in dropped_texts and "Figures from the provincial flood committee." in dropped_texts


def test_docx_bad_inputs(tmp_path):
    good = make_docx(tmp_path / "good.docx", EN).read_bytes()
    corrupt = tmp_path / "corrupt.docx"
    corrupt.write_bytes(good[: len(good) // 2])
    one_line_error(run("compare", corrupt, corrupt), "corrupt.docx", "damaged")
    # password-protected: encrypted as Office does it (an OLE container with an EncryptedPackage)
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(good)).encrypt("secret", out)
    locked = tmp_path / "locked.docx"
    locked.write_bytes(out.getvalue())
    one_line_error(run("compare", locked, good and corrupt), "locked.docx", "password-protected")
    # a text file named .docx
    named = tmp_path / "notes.docx"
    named.write_text("Heavy rain flooded 12 districts.\n", encoding="utf-8")
    one_line_error(run("compare", named, named), "notes.docx", "not a Word document", "plain text")
    empty = make_docx(tmp_path / "blank.docx", [" "])
    one_line_error(run("compare", empty, empty), "blank.docx", "no text")


# ------------------------------------------------------------------------------ subtitles

SRT = """1
00:00:01,000 --> 00:00:03,500
<i>Heavy rain flooded</i> 12 districts
of Hue on Sunday.

2
00:00:04,000 --> 00:00:06,000
[Thunder]

3
00:00:06,500 --> 00:00:09,000
More than 3,200 homes were under water.

4
00:00:09,500 --> 00:00:12,000
5 people died, officials said.
"""
VTT = """WEBVTT

NOTE made for the test

1
00:01.000 --> 00:03.500 align:start
<v Anna>Mưa lớn làm ngập 12 quận
của Huế hôm Chủ nhật.

00:06.500 --> 00:09.000
Hơn 3.200 ngôi nhà bị ngập.

00:00:09.500 --> 00:00:12.000
7 người chết, quan chức cho biết.
"""


def test_subtitles_one_cue_a_segment_with_times(tmp_path):
    src, tgt = tmp_path / "ep1.en.srt", tmp_path / "ep1.vi.vtt"
    src.write_text(SRT, encoding="utf-8")
    tgt.write_text(VTT, encoding="utf-8")
    s = load_document(src)
    assert [x.text for x in s.sentences] == ["Heavy rain flooded 12 districts of Hue on Sunday.", "[Thunder]",
                                             "More than 3,200 homes were under water.",
                                             "5 people died, officials said."]
    assert [x.time for x in s.sentences][:2] == ["00:00:01.000 --> 00:00:03.500", "00:00:04.000 --> 00:00:06.000"]
    assert s.sentences[1].role == "boilerplate"  # a sound cue is not a statement
    t = load_document(tgt)
    assert t.sentences[0].text.startswith("Anna: Mưa lớn")  # the speaker is kept
    assert t.sentences[0].time == "00:00:01.000 --> 00:00:03.500"
    d = compare_json(src, tgt)
    assert d["source"]["sentences"][0]["time"] == "00:00:01.000 --> 00:00:03.500"
    assert not any(f["kind"] == "dropped" for f in d["flags"])  # [Thunder] is not flagged
    assert any("number" in f["reasons"] for f in d["flags"])  # 5 -> 7
    text = run("compare", src, tgt, "--no-color").output
    assert "00:00:09.500 --> 00:00:12.000" in text


def test_empty_subtitles(tmp_path):
    p = tmp_path / "empty.vtt"
    p.write_text("WEBVTT\n\nNOTE nothing yet\n", encoding="utf-8")
    one_line_error(run("compare", p, p), "empty.vtt", "no subtitle cues")
    q = tmp_path / "empty.srt"
    q.write_text("1\n\n2\n", encoding="utf-8")
    one_line_error(run("align", q, q), "empty.srt", "no subtitle cues")


# ------------------------------------------------------------------------------ bad pages

def test_bad_pages(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text("<html><head><title>x</title></head><body><div><p class='a", encoding="utf-8")
    one_line_error(run("compare", broken, broken), "broken.html", "no article body")
    nobody = tmp_path / "nobody.html"
    nobody.write_text("<!DOCTYPE html><html><body><nav><a href='/'>Home</a></nav><footer>©</footer></body></html>",
                      encoding="utf-8")
    one_line_error(run("compare", nobody, nobody), "nobody.html", "no article body")
    huge = tmp_path / "huge.html"
    huge.write_text(news_page("en", EN).replace("</body>", "<div>" + "x" * 20_000_000 + "</div></body>"),
                    encoding="utf-8")
    one_line_error(run("compare", huge, huge), "huge.html", "20 MB web page")
    pdf = tmp_path / "story.txt"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    one_line_error(run("compare", pdf, pdf), "story.txt", "is a PDF")


def test_page_in_its_declared_legacy_charset(tmp_path):
    p = tmp_path / "alt.html"
    page = news_page("zh", ZH).replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" '
                                       'content="text/html; charset=gb2312">')
    p.write_bytes(page.encode("gb18030"))
    doc = load_document(p)
    assert doc.encoding == "gb18030" and [s.text for s in doc.sentences] == ZH


def test_legacy_doc_named_docx(tmp_path):
    p = tmp_path / "old.docx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    one_line_error(run("compare", p, p), "old.docx", "legacy binary Office file")


def test_align_reads_every_input(tmp_path, pages):
    src, tgt = tmp_path / "ep1.en.srt", tmp_path / "ep1.vi.vtt"
    src.write_text(SRT, encoding="utf-8")
    tgt.write_text(VTT, encoding="utf-8")
    r = run("align", src, tgt, "--format", "json")
    assert r.exit_code == 0, r.output
    beads = [(b["source"], b["target"]) for b in json.loads(r.output)["beads"]]
    assert beads[0] == ([0], [0]) and ([3], [2]) in beads
    docx_src = make_docx(tmp_path / "story.en.docx", EN)
    r = run("align", docx_src, pages["de"], "--format", "json")
    assert [(b["source"], b["target"]) for b in json.loads(r.output)["beads"]] == [([k], [k]) for k in range(4)]


def test_content_beats_extension(tmp_path, pages):
    """A page saved as .txt is still read as a page; a subtitle file named .txt as subtitles."""
    as_txt = tmp_path / "page.txt"
    as_txt.write_bytes(pages["en"].read_bytes())
    doc = load_document(as_txt)
    assert doc.format == "html" and [s.text for s in doc.sentences] == EN
    xhtml = tmp_path / "page.xml"
    xhtml.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + news_page("de", DE).replace(
        "<!DOCTYPE html>\n<html", '<html xmlns="http://www.w3.org/1999/xhtml"'), encoding="utf-8")
    assert [s.text for s in load_document(xhtml).sentences] == DE
    srt_txt = tmp_path / "subs.txt"
    srt_txt.write_text(SRT, encoding="utf-8")
    assert load_document(srt_txt).format == "srt"
    with pytest.raises(InputError, match="holds both sides"):
        tmx = tmp_path / "memory.txt"
        tmx.write_text('<?xml version="1.0"?><tmx version="1.4"><header/><body/></tmx>', encoding="utf-8")
        load_document(tmx)


# ------------------------------------------------------------------------------ http(s)

@pytest.fixture
def site(pages):
    """The pages served by a local web server on 127.0.0.1, as a news site would serve them."""
    folder = pages["en"].parent

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # no request log on stderr
            pass
    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_batch_of_addresses(site, tmp_path):
    manifest = tmp_path / "pairs.jsonl"
    manifest.write_text(json.dumps({"source": f"{site}/story.en.html", "translation": f"{site}/story.de.html"}) + "\n",
                        encoding="utf-8")
    out = tmp_path / "out"
    assert run("batch", manifest, "-o", out, "--quiet").exit_code == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    (entry,) = report["pairs"]
    assert entry["status"] == "ok" and entry["id"].endswith("/story.de")


def test_urls(site):
    d = compare_json(f"{site}/story.en.html", f"{site}/story.vi.html")
    assert d["source"]["path"] == f"{site}/story.en.html" and d["source"]["format"] == "html"
    assert sorted(f["kind"] for f in d["flags"]) == ["altered", "dropped"]
    one_line_error(run("compare", f"{site}/missing.html", f"{site}/story.vi.html"), "missing.html", "HTTP 404")
    one_line_error(run("compare", "http://127.0.0.1:9/x.html", f"{site}/story.vi.html"), "cannot be fetched")


# ------------------------------------------------------------------------------ batch

def test_batch_reports_and_skips_unreadable_inputs(tmp_path, pages):
    make_docx(tmp_path / "doc.en.docx", EN)
    corrupt = tmp_path / "bad.en.docx"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip")
    empty = tmp_path / "none.vi.vtt"
    empty.write_text("WEBVTT\n", encoding="utf-8")
    manifest = tmp_path / "pairs.csv"
    manifest.write_text("id,source,translation\n"
                        f"page,{pages['en'].name},{pages['vi'].name}\n"
                        f"docx,doc.en.docx,{pages['vi'].name}\n"
                        f"corrupt,bad.en.docx,{pages['vi'].name}\n"
                        f"nocues,{pages['en'].name},none.vi.vtt\n", encoding="utf-8")
    out = tmp_path / "out"
    r = run("batch", manifest, "-o", out, "--quiet")
    assert r.exit_code == 0, r.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    failed = {p["id"]: p["error"] for p in report["pairs"] if p["status"] != "ok"}
    assert set(failed) == {"corrupt", "nocues"}
    assert "damaged" in failed["corrupt"] and "no subtitle cues" in failed["nocues"]
    assert {p["id"] for p in report["pairs"] if p["status"] == "ok"} == {"page", "docx"}
    assert report["totals"]["failed"] == 2
    assert run("batch", manifest, "-o", out, "--quiet", "--fail-on-error").exit_code == 1


# ------------------------------------------------------------------------------ fuzz

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from transcompare.read import read_bytes  # noqa: E402

_FRAGMENTS = st.sampled_from(["<html>", "<body>", "<p>", "</p>", "<article>", "<h1>", "<li>", "<ul>", "<!--", "-->",
                              "WEBVTT\n", "1\n", "00:00:01,000 --> 00:00:02,000\n", "00:01.000 --> 00:02.000\n",
                              "<tmx version='1.4'>", "<tu>", "<seg>", "<xliff>", "&amp;", "&#0;", "\n\n", " ",
                              "Heavy rain flooded 12 districts.", "Mưa lớn.", "大雨。", "<v Anna>", "{\\an8}",
                              "PK\x03\x04", "\ufeff", "<?xml version='1.0'?>"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.one_of(_FRAGMENTS, st.text(max_size=20)), max_size=30),
       ext=st.sampled_from([".html", ".srt", ".vtt", ".docx", ".txt", ".md", ".tmx", ".xlf", ".pdf", ".bin"]))
def test_any_input_reads_or_fails_with_one_reason(parts, ext):
    """Whatever the bytes and the name, a reader either returns a document or raises InputError
    (which the CLI prints as one line): never another exception, which would be a traceback."""
    data = "".join(parts).encode("utf-8", "surrogatepass")
    try:
        raw = read_bytes(data, f"input{ext}")
    except InputError as exc:
        assert str(exc).startswith(f"input{ext}: ") and "\n" not in str(exc)
    else:
        assert raw.blocks and all(raw.text[b.start:b.end].strip() for b in raw.blocks)


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=1, max_value=10_000), flip=st.integers(min_value=0, max_value=10_000))
def test_damaged_docx_is_one_reason(tmp_path_factory, cut, flip):
    base = tmp_path_factory.getbasetemp() / "fuzz.docx"
    if not base.exists():
        make_docx(base, EN, footnotes=["A note."])
    data = bytearray(base.read_bytes())
    data = data[: max(1, len(data) - cut)]
    data[flip % len(data)] ^= 0xFF
    try:
        read_bytes(bytes(data), "damaged.docx")
    except InputError as exc:
        assert "damaged.docx" in str(exc)
