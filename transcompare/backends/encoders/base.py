"""The encoder base class, and the token states an encoder gives beside its vectors."""
from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Sequence

import numpy as np


@dataclass(frozen=True, eq=False)
class TokenStates:
    """A text's token states from the pass that embedded it: each token's character span in the
    text (empty for a token that marks a word start and holds no character) and its hidden state
    at the encoder's :attr:`Encoder.states_layer` (float16, one row per token)."""

    spans: tuple[tuple[int, int], ...]
    states: np.ndarray


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
    #: the layer whose token states :meth:`token_states` gives (the difference map compares
    #: them); ``None`` for a backend that has none
    states_layer: int | None = None

    def log_length_ratio(self, src_lang: str, tgt_lang: str) -> float:
        """Typical log token ratio of a translation from ``src_lang`` into ``tgt_lang``."""
        f = self.token_fertility
        return f.get(tgt_lang.split("-")[0], 0.0) - f.get(src_lang.split("-")[0], 0.0)

    def __init__(self) -> None:
        self._cache: dict[str, np.ndarray] = {}
        self._states: dict[str, TokenStates] = {}
        self._stored_states: set[str] = set()
        #: held while the in-memory caches, the on-disk cache or the model are in use: a batch
        #: runs comparisons in threads that share one encoder
        self._lock = threading.RLock()
        self.encoded = 0
        #: the on-disk cache shared by every encoder (None: off); set by ``get_encoder``
        self.store = None

    @abstractmethod
    def _embed(self, texts: list[str]) -> np.ndarray:
        """Vectors for ``texts`` (shape ``(len(texts), dim)``), normalised."""

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for ``text``, without special tokens."""

    def _embed_with_states(self, texts: list[str]) -> tuple[np.ndarray, list[TokenStates]]:
        """:meth:`_embed`, and each text's token states from the same pass (backends that set
        :attr:`states_layer` implement it)."""
        raise NotImplementedError(f"{type(self).__name__} gives no token states")

    def forget(self, keep: int = 0) -> None:
        """Drop the in-memory vectors when there are more than ``keep`` (a long batch would
        otherwise hold every text it ever saw); the on-disk cache keeps them."""
        with self._lock:
            self._drop(keep)

    def _drop(self, keep: int) -> None:
        if len(self._cache) > keep:
            self._cache.clear()
            self._states.clear()
            self._stored_states.clear()

    @property
    def states_id(self) -> str:
        """What identifies this encoder's token states in the on-disk cache."""
        return f"{self.id}|states@{self.states_layer}"

    def token_states(self, texts: Sequence[str]) -> list[TokenStates]:
        """The token states of each text: from the pass that embedded it when that pass ran in
        this process, else from the on-disk cache, else from a new pass (counted in
        ``encoded``). A backend without token states raises ``NotImplementedError``."""
        if self.states_layer is None:
            raise NotImplementedError(f"{type(self).__name__} gives no token states")
        with self._lock:
            return self._cached_states(texts)

    def _cached_states(self, texts: Sequence[str]) -> list[TokenStates]:
        todo = [t for t in dict.fromkeys(texts) if t not in self._states]
        if todo and self.store is not None:
            stored = self.store.get_states(self.states_id, todo)
            self._states.update(stored)
            self._stored_states.update(stored)
            todo = [t for t in todo if t not in stored]
        if todo:
            self._encode(sorted(todo, key=len, reverse=True))
        if self.store is not None:
            new = {t: self._states[t] for t in dict.fromkeys(texts) if t not in self._stored_states}
            if new:
                self.store.put_states(self.states_id, new)
                self._stored_states.update(new)
        return [self._states[t] for t in texts]

    def _encode(self, order: list[str]) -> None:
        """Encode ``order`` (longest first): its vectors, and its token states where the backend
        has them, into the in-memory caches; its vectors into the on-disk cache."""
        if self.states_layer is not None:
            vecs, states = self._embed_with_states(order)
            self._states.update(zip(order, states))
        else:
            vecs = self._embed(order)
        for t, v in zip(order, vecs):
            self._cache[t] = v
        self.encoded += len(order)
        if self.store is not None:
            self.store.put_vectors(self.id, {t: self._cache[t] for t in order})

    def has(self, text: str) -> bool:
        """Whether ``text``'s vector is at hand without encoding (in this process's memo)."""
        return text in self._cache

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return self._embed_cached(texts)

    def _embed_cached(self, texts: Sequence[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if todo and self.store is not None:
            stored = self.store.get_vectors(self.id, todo, self.dim)
            if stored:
                self._cache.update(stored)
                todo = [t for t in todo if t not in stored]
        if todo:
            # longest first keeps batches of similar length together in backends that batch
            self._encode(sorted(todo, key=len, reverse=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts]).astype(np.float32, copy=False)
