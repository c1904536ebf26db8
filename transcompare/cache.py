"""Where transcompare keeps files it can rebuild (language-ID model arrays, later embeddings)."""
from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path | None:
    """``$TRANSCOMPARE_CACHE``, else ``$XDG_CACHE_HOME/transcompare``, else ``~/.cache/transcompare``.

    Returns ``None`` when caching is switched off (``TRANSCOMPARE_CACHE=off``) or no folder can be made.
    """
    env = os.environ.get("TRANSCOMPARE_CACHE")
    if env and env.lower() in ("off", "0", "none", "no"):
        return None
    if env:
        base = Path(env)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "transcompare"
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return base
