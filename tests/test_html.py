"""The HTML report of one comparison (render_html.py): self-contained, aligned rows, evidence
highlighted on both sides, right-to-left and CJK cells, every input text escaped."""
import html as htmllib
import re

import pytest
from click.testing import CliRunner

from corpora_eval import CORPORA
from transcompare import compare, compare_documents, document_from_text
from transcompare.cli import main
from transcompare.render.html import to_html, word_diff

XSS = ['<script>window.__xss=1</script>', '"onmouseover="window.__xss=2"', "</textarea><b>bold</b>",
       '<a href="javascript:window.__xss=3">click</a>', "<img src=x onerror=window.__xss=4>"]


@pytest.fixture(scope="module")
def flood():
    c = compare(CORPORA / "en-vi-flood" / "source.en.txt", CORPORA / "en-vi-flood" / "translation.vi.txt")
    return c, to_html(c)


def test_self_contained(flood):
    _, page = flood
    assert page.startswith("<!doctype html>")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    tags = re.findall(r"<(?:script|link|img|iframe|object|embed)\b[^>]*>", page, flags=re.I)
    assert len(tags) == 1 and "nonce=" in tags[0]  # our one inline script, nothing loaded
    for attr in re.findall(r'(?:src|href)="([^"]*)"', page):
        assert attr.startswith("#"), attr  # only links inside the page


def test_rows_and_highlights(flood):
    c, page = flood
    assert page.count('<tr id="bead-') == len(c.alignment.beads)
    # a dropped statement stands against an empty cell; a merged pair is grouped
    dropped = next(f for f in c.flags if f.kind == "dropped")
    row = re.search(r'<tr id="bead-\d+" class="pair flagged k-dropped[^"]*"[^>]*>.*?</tr>', page, flags=re.S).group(0)
    assert 'class="text empty"' in row and str(dropped.source[0]) in row
    assert re.search(r'<tr id="bead-\d+" class="pair[^"]* group', page)
    # the changed number is marked on both sides, tied to its flag
    number = next(f for f in c.flags if "number" in f.reasons)
    marks = re.findall(rf'<mark class="k-altered" data-flag="{number.id}" title="[^"]*">([^<]*)</mark>', page)
    assert marks == ["3.2", "5,2"]
    # every flag has its permalink anchor and its message
    for f in c.flags:
        assert f'id="flag-{f.id}"' in page and f'href="#flag-{f.id}"' in page
        assert htmllib.escape(f.message, quote=True) in page or f.message in page


def test_same_language_pairs_get_a_word_diff():
    c = compare(CORPORA / "en-en-rewrite" / "source.en.txt", CORPORA / "en-en-rewrite" / "translation.en.txt")
    page = to_html(c)
    assert '<div class="diff"' in page and "<del>" in page and "<ins>" in page
    assert word_diff("He paid 40 dollars.", "He paid 45 dollars.") == [("=", "He paid"), ("-", "40"), ("+", "45"),
                                                                       ("=", "dollars .")]


def test_right_to_left_and_cjk_cells():
    en = "The ministry said 40 people were hurt.\n\nRescue teams worked through the night.\n"
    ar = "قالت الوزارة إن 45 شخصا أصيبوا.\n\nعملت فرق الإنقاذ طوال الليل.\n"
    zh = "该部表示有40人受伤。\n\n救援队彻夜工作。\n"
    for text, lang, direction in ((ar, "ar", "rtl"), (zh, "zh", "ltr")):
        c = compare_documents(document_from_text(en, "en"), document_from_text(text, lang))
        page = to_html(c)
        assert f'<td class="text" lang="{lang}" dir="{direction}">' in page
        assert '<td class="text" lang="en" dir="ltr">' in page
        assert text.split("\n")[0][:6] in page  # the script's characters as they are, not escaped away


def test_input_text_is_escaped_everywhere():
    src = "\n\n".join(f"The report says {k + 10} people saw this: {x} today." for k, x in enumerate(XSS)) + "\n"
    tgt = "\n\n".join(f"The report says {k + 20} people saw this: {x} today." for k, x in enumerate(XSS)) + "\n"
    c = compare_documents(document_from_text(src, "en", path='<img src=x onerror=alert(1)>.txt'),
                          document_from_text(tgt, "en", path='"><script>alert(2)</script>.txt'))
    assert any("number" in f.reasons for f in c.flags)
    page = to_html(c)
    assert page.count("<script") == 1
    assert "<img" not in page and "<textarea" not in page.lower().replace("&lt;/textarea&gt;", "")
    assert "<b>bold</b>" not in page
    assert 'href="javascript:' not in page
    assert not re.search(r'<[^>]*\sonmouseover=', page) and not re.search(r'<[^>]*\sonerror=', page)
    assert "&lt;script&gt;window." in page and "&lt;/script&gt;" in page


def test_cli_writes_html(tmp_path):
    out = tmp_path / "report.html"
    r = CliRunner().invoke(main, ["compare", str(CORPORA / "en-fr-summit" / "source.en.txt"),
                                  str(CORPORA / "en-fr-summit" / "translation.fr.txt"), "--format", "html", "-o", str(out)])
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "en-fr-summit" in page and '<table class="pairs">' in page
