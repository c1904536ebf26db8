"""The aligner's compiled loops (``cloops.c``: the band DP's rows, the columns' k best cosines,
the member test's z-scores), where the C extension was built.

The extension is optional (``pyproject.toml``): an install with no C compiler gets none, and each
loop's array form runs instead, with the same results, to the bit (``tests/test_align.py`` runs
both). :func:`compiled` is read at each use, so a test can switch the compiled loops off.
"""
from __future__ import annotations

from importlib import import_module
from types import ModuleType

try:  # (import_module: the extension is a sibling module, not a name of this package)
    LOOPS: ModuleType | None = import_module(".cloops", __package__)
except ImportError:
    LOOPS = None


def compiled() -> ModuleType | None:
    """The compiled loops, or ``None`` where the extension was not built."""
    return LOOPS
