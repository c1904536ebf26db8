"""The review app end to end: a real server process (`transcompare review`) and headless
Chromium. Three flags reviewed with the keyboard, kept over a reload, a SIGKILL of the server
and a re-run of compare; two browser contexts deciding at once; input text stays text."""
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

from click.testing import CliRunner

from corpora_eval import CORPORA
from transcompare.cli import main
import pytest

#: end-to-end runs: left out of the quick run (-m "not slow"), run by the README's test command
pytestmark = pytest.mark.slow


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(result, port, reviewer):
    p = subprocess.Popen([sys.executable, "-m", "transcompare.cli", "review", str(result), "--port", str(port),
                          "--reviewer", reviewer], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    end = time.time() + 60
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return p
        except OSError:
            if p.poll() is not None:
                raise AssertionError(p.stderr.read())
            time.sleep(0.1)
    raise AssertionError("the review server did not start")


def _compare(src, tgt, out):
    r = CliRunner().invoke(main, ["compare", str(src), str(tgt), "--format", "json", "-o", str(out)])
    assert r.exit_code == 0, r.output


@contextmanager
def serving(result, reviewer="ana", kill=False):
    """A `transcompare review` server on a free port; its address. Stopped at the end, with
    SIGKILL when ``kill`` (as a crash would)."""
    port = _port()
    server = _serve(result, port, reviewer)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        server.wait(10)


def test_review_with_the_keyboard(browser, tmp_path):
    from playwright.sync_api import expect

    src, tgt = CORPORA / "en-vi-flood" / "source.en.txt", CORPORA / "en-vi-flood" / "translation.vi.txt"
    result = tmp_path / "flood.json"
    _compare(src, tgt, result)
    with serving(result, kill=True) as url:
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url)
        total = page.locator("article.card").count()
        assert total >= 3
        for n, key in enumerate(("c", "d", "c"), 1):
            page.keyboard.press("j")
            page.keyboard.press(key)
            # (the page's CSP forbids eval, so no wait_for_function: expect polls from its own world)
            expect(page.locator("#progress")).to_have_text(f"{n} of {total} reviewed")
        page.reload()
        statuses = page.locator("article.card .status").all_inner_texts()
        assert [s.split()[0] for s in statuses[:3]] == ["confirmed", "dismissed", "confirmed"]
        assert all(u.startswith(url) for u in requests), requests
    # the server was killed; the decisions were acknowledged, so they are on disk. Re-run compare too.
    _compare(src, tgt, result)
    with serving(result) as url:
        page = browser.new_page()
        page.goto(url)
        assert page.locator("#progress").inner_text().strip() == f"3 of {total} reviewed"


def test_two_reviewers_at_once_and_escaping(browser, tmp_path):
    src, tgt = tmp_path / "s.txt", tmp_path / "t.txt"
    src.write_text("The minister said <script>window.__xss=1</script> 40 people were hurt.\n\n"
                   "Teams worked <img src=x onerror=window.__xss=2> through the night.\n\n"
                   "Schools stay closed until Friday.\n", encoding="utf-8")
    tgt.write_text("The minister said <script>window.__xss=1</script> 45 people were hurt.\n\n"
                   "Teams worked <img src=x onerror=window.__xss=2> through the day.\n", encoding="utf-8")
    result = tmp_path / "r.json"
    _compare(src, tgt, result)
    with serving(result) as url:
        a, b = browser.new_context(), browser.new_context()
        pa, pb = a.new_page(), b.new_page()
        pa.goto(url)
        pb.goto(url)
        n = pa.locator("article.card").count()
        assert n >= 2
        assert pa.evaluate("typeof window.__xss") == "undefined"
        assert pa.locator("article.card img, article.card script").count() == 0
        assert "<script>window." in pa.locator("main").inner_text()  # shown as text
        # both press at the same moment, each on another flag
        pa.locator("article.card").nth(0).locator("button", has_text="confirm").click(no_wait_after=True)
        pb.locator("article.card").nth(1).locator("button", has_text="dismiss").click(no_wait_after=True)
        pa.wait_for_selector("article.card.s-confirmed")
        pb.wait_for_selector("article.card.s-dismissed")
        pa.reload()
        statuses = [s.split()[0] for s in pa.locator("article.card .status").all_inner_texts()]
        assert statuses[:2] == ["confirmed", "dismissed"]
