import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TRANSCOMPARE_DATA", ROOT.parent / "shared" / "data"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def encoder():
    from transcompare.encoders import get_encoder

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
