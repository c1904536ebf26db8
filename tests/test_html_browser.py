"""The HTML report in real headless Chromium (Debian's `chromium`, driven by Playwright):
flagged rows and highlights in the DOM, j/k between flags, filters, no network request, no
script from the input running. `.ci/run` installs chromium with apt-get."""
from corpora_eval import CORPORA
from test_html import XSS
from transcompare import compare, compare_documents, document_from_text
from transcompare.render.html import to_html
import pytest

#: end-to-end runs: left out of the quick run (-m "not slow"), run by the README's test command
pytestmark = pytest.mark.slow


def _open(browser, path):
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    requests, dialogs, errors = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return page, requests, dialogs, errors


def test_report_in_chromium(browser, tmp_path):
    c = compare(CORPORA / "en-vi-flood" / "source.en.txt", CORPORA / "en-vi-flood" / "translation.vi.txt")
    path = tmp_path / "report.html"
    path.write_text(to_html(c), encoding="utf-8")
    page, requests, dialogs, errors = _open(browser, path)
    flagged = {(f.source, f.target) for f in c.flags}
    assert page.locator("tr.note").count() == len(flagged)
    assert page.locator(".flag").count() == len(c.flags)
    number = next(f for f in c.flags if "number" in f.reasons)
    assert page.locator(f'mark[data-flag="{number.id}"]').all_inner_texts() == ["3.2", "5,2"]
    assert page.locator('td[dir="ltr"][lang="vi"]').count() > 0

    # j moves to the first flag and gives it a permalink; j again to the next; k back
    page.keyboard.press("j")
    first = page.locator(".flag.current")
    assert first.count() == 1
    first_id = first.get_attribute("id")
    assert first_id == page.locator(".flag").first.get_attribute("id")  # the first in the document
    assert page.evaluate("location.hash") == f"#{first_id}"
    page.keyboard.press("j")
    second_id = page.locator(".flag.current").get_attribute("id")
    assert second_id != first_id
    page.keyboard.press("k")
    assert page.locator(".flag.current").get_attribute("id") == first_id

    # a filter: only dropped flags stay visible, and the rows without flags go
    page.select_option("#f-kind", "dropped")
    visible = page.locator(".flag:visible")
    kinds = {visible.nth(k).get_attribute("data-kind") for k in range(visible.count())}
    assert kinds == {"dropped"}
    assert page.locator("tr.pair:not(.flagged):visible").count() == 0
    page.keyboard.press("j")
    assert page.locator(".flag.current").get_attribute("data-kind") == "dropped"
    page.select_option("#f-kind", "")
    assert page.locator(".flag:visible").count() == len(c.flags)

    # a permalink opens on its flag
    target = c.flags[-1].id
    page.goto(path.as_uri() + f"#flag-{target}")
    assert page.locator(".flag.current").get_attribute("id") == f"flag-{target}"

    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert all(u.startswith("file://") for u in requests), requests  # nothing from the network
    assert not dialogs and not errors


def test_input_scripts_do_not_run(browser, tmp_path):
    src = "\n\n".join(f"The report says {k + 10} people saw this: {x} today." for k, x in enumerate(XSS)) + "\n"
    tgt = "\n\n".join(f"The report says {k + 20} people saw this: {x} today." for k, x in enumerate(XSS)) + "\n"
    c = compare_documents(document_from_text(src, "en"), document_from_text(tgt, "en"))
    path = tmp_path / "xss.html"
    path.write_text(to_html(c), encoding="utf-8")
    page, requests, dialogs, errors = _open(browser, path)
    marks = page.locator("mark")
    for k in range(marks.count()):
        marks.nth(k).hover()
    for k in range(min(5, page.locator("td.text").count())):
        page.locator("td.text").nth(k).hover()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("td.text *:not(p):not(mark), .diff *:not(del):not(ins), .flag img, .flag b").count() == 0
    assert "<script>window." in page.locator("body").inner_text()  # shown as text
    assert all(u.startswith("file://") for u in requests), requests
    assert not dialogs


def test_cjk_and_arabic_cells_render_with_fonts_that_carry_them(browser, tmp_path):
    """The font Chromium actually uses for each cell (DevTools' CSS.getPlatformFontsForNode)
    has the script's glyphs: a CJK font for Chinese, an Arabic one for Arabic, set right to left."""
    en = "The ministry said 40 people were hurt on Monday.\n\nRescue teams worked through the night.\n"
    others = {"zh": "该部表示，周一有40人受伤。\n\n救援队彻夜工作。\n",
              "ar": "قالت الوزارة إن 40 شخصا أصيبوا يوم الاثنين.\n\nعملت فرق الإنقاذ طوال الليل.\n"}
    for lang, text in others.items():
        c = compare_documents(document_from_text(en, "en"), document_from_text(text, lang))
        path = tmp_path / f"{lang}.html"
        path.write_text(to_html(c), encoding="utf-8")
        page, _, _, _ = _open(browser, path)
        cell = page.locator(f'td.text[lang="{lang}"]').first
        assert cell.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        if lang == "ar":
            assert cell.evaluate("e => getComputedStyle(e).direction") == "rtl"
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": f'td.text[lang="{lang}"] p'})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        names = " ".join(f["familyName"] for f in fonts)
        want = "CJK" if lang == "zh" else "Arabic"
        assert want in names, f"{lang} cell drawn with {names}; install fonts-noto-cjk / fonts-noto-core"
        page.screenshot(path=str(tmp_path / f"{lang}.png"))
        page.close()


def test_batch_report_in_chromium(browser, tmp_path):
    """The corpus report opens offline, loads nothing, and each document's link opens its page."""
    from click.testing import CliRunner

    from transcompare.cli import main

    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["batch", str(CORPORA / "pairs.csv"), "-o", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    page, requests, dialogs, errors = _open(browser, out / "report.html")
    assert page.locator("svg").count() == 5
    links = page.locator("td a:first-child")
    n_pairs = len((CORPORA / "pairs.csv").read_text(encoding="utf-8").strip().splitlines()) - 1
    assert links.count() == n_pairs
    first = links.first.get_attribute("href")
    links.first.click()
    page.wait_for_load_state()
    assert page.url.endswith(first) and page.locator("table.pairs").count() == 1
    assert all(u.startswith("file://") for u in requests), requests
    assert not dialogs and not errors
