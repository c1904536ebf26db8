"""Installed package versions for signatures, without importing importlib.metadata (~40 ms)."""
from __future__ import annotations

import glob
import os
import sys
from functools import lru_cache


@lru_cache(maxsize=None)
def dist_version(name: str) -> str:
    """Version of the installed distribution ``name`` ("?" when unknown)."""
    norm = name.replace("-", "_").lower()
    for base in sys.path:
        if not base or not os.path.isdir(base):
            continue
        for d in glob.glob(os.path.join(base, "*.dist-info")):
            stem = os.path.basename(d)[: -len(".dist-info")]
            dist, _, ver = stem.rpartition("-")
            if dist.replace("-", "_").lower() == norm and ver:
                return ver
    try:  # egg-info installs and the like
        from importlib.metadata import PackageNotFoundError, version

        return version(name)
    except PackageNotFoundError:
        return "?"
