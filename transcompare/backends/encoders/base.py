"""The encoder base class."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Sequence

import numpy as np


class Encoder(ABC):
    """Embeds texts as L2-normalised float32 vectors.

    Subclasses implement :meth:`_embed` and :meth:`count_tokens`; the base class removes
    duplicate texts, keeps an in-memory cache so every distinct sentence is encoded once per
    process, looks texts up in the on-disk cache (``self.store``, :mod:`transcompare.backends.cache`) before
    encoding them, and counts what it encoded (``self.encoded``) for benchmarks and tests.
    """

    #: identifies model and weights; part of every report's signature
    id: str = "encoder"
    dim: int = 0
    #: whether mean pooling over tokens makes a token-weighted average of sentence
    #: vectors a fair stand-in for the vector of their concatenation
    mean_pooled: bool = True
    #: typical cosine between a sentence and a near-topic sentence that does not translate it
    #: (99th percentile of unrelated cross-language pairs; ``scripts/calibrate_encoder.py``)
    neighbour_cosine: float = 0.80
    #: log of a language's typical token count relative to English for the same sentence
    #: (median over FLORES dev; ``scripts/calibrate_encoder.py``); missing languages count as 0
    token_fertility: dict[str, float] = {}

    def log_length_ratio(self, src_lang: str, tgt_lang: str) -> float:
        """Typical log token ratio of a translation from ``src_lang`` into ``tgt_lang``."""
        f = self.token_fertility
        return f.get(tgt_lang.split("-")[0], 0.0) - f.get(src_lang.split("-")[0], 0.0)

    def __init__(self) -> None:
        self._cache: dict[str, np.ndarray] = {}
        self.encoded = 0
        #: the on-disk cache shared by every encoder (None: off); set by ``get_encoder``
        self.store = None

    @abstractmethod
    def _embed(self, texts: list[str]) -> np.ndarray:
        """Vectors for ``texts`` (shape ``(len(texts), dim)``), normalised."""

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for ``text``, without special tokens."""

    def forget(self, keep: int = 0) -> None:
        """Drop the in-memory vectors when there are more than ``keep`` (a long batch would
        otherwise hold every text it ever saw); the on-disk cache keeps them."""
        if len(self._cache) > keep:
            self._cache.clear()

    def has(self, text: str) -> bool:
        """Whether ``text``'s vector is at hand without encoding (in this process's memo)."""
        return text in self._cache

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if todo and self.store is not None:
            stored = self.store.get_vectors(self.id, todo, self.dim)
            if stored:
                self._cache.update(stored)
                todo = [t for t in todo if t not in stored]
        if todo:
            # longest first keeps batches of similar length together in backends that batch
            order = sorted(todo, key=len, reverse=True)
            vecs = self._embed(order)
            for t, v in zip(order, vecs):
                self._cache[t] = v
            self.encoded += len(order)
            if self.store is not None:
                self.store.put_vectors(self.id, {t: self._cache[t] for t in order})
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts]).astype(np.float32, copy=False)
