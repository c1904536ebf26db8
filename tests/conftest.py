import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TRANSCOMPARE_DATA", ROOT.parent / "shared" / "data"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def encoder():
    from transcompare.backends.encoders import get_encoder

    return get_encoder()


@pytest.fixture(scope="session")
def shared_data():
    if not SHARED.exists():
        pytest.skip(f"dev data not found at {SHARED} (it lives in ../shared/data beside the checkout)")
    return SHARED


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    # tests must not depend on (or fill) the user's cache folder
    monkeypatch.setenv("TRANSCOMPARE_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def compiled_loops():
    """The aligner's compiled loops (transcompare/align/cloops.c), which the install builds with
    the machine's C compiler. A test that asks for them fails where they were not built: the
    speed the README promises is then missing (the array forms' own tests still run)."""
    from transcompare.align import native

    if native.LOOPS is None:
        pytest.fail("the C extension transcompare.align.cloops was not built (no C compiler at install?)")
    return native.LOOPS


CHROMIUM = os.environ.get("TRANSCOMPARE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _no_browser(why: str):
    # CI (.ci/run) installs chromium and sets TRANSCOMPARE_REQUIRE_BROWSER: there a missing browser fails
    if os.environ.get("TRANSCOMPARE_REQUIRE_BROWSER"):
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright (no browser download)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("playwright is not installed (it is in the test extra)")
    if not CHROMIUM:
        _no_browser("no chromium on this machine (apt-get install chromium; .ci/run installs it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()
