"""Encode for several comparisons at once: their encoder calls merged, round by round.

The encoder is the cost of a batch, and it is memory-bound on small calls: every forward pass
streams all the model's weights (about 85 MB in float32), whether it carries 2 texts or 16. One
short article asks for its sentences, then for a few pieces at a time (the checks' sub-sentence
texts), so alone it runs many small passes. A chunk of pairs therefore runs each comparison in
its own thread, with an encoder view whose ``embed`` waits at a gate. When every comparison
still running is waiting there, the texts they asked for are encoded in one call (in the order
of the pairs, so a round is the same on every run), and each gets its vectors.

Rounds are deterministic: a comparison runs until its next encoder call, which depends only on
its own inputs and the vectors it got, so round k holds the k-th request of every comparison
still running. Only one thread runs Python at a time (the GIL); the threads exist to wait
together, not to compute in parallel.
"""
from __future__ import annotations

import os
import queue
import threading
from typing import Callable, Sequence

import numpy as np

from ..backends.encoders.base import Encoder


class Gate:
    """Collects the ``embed`` calls of ``n`` comparisons and runs them as one, when all are waiting."""

    def __init__(self, encoder: Encoder, n: int) -> None:
        self.encoder = encoder
        self.live = n
        self.cond = threading.Condition()
        self.waiting: dict[int, list[str]] = {}
        self.results: dict[int, object] = {}
        self.rounds = 0

    def embed(self, slot: int, texts: Sequence[str]) -> tuple[np.ndarray, int]:
        """The vectors of ``texts`` for comparison ``slot``, and how many of them it caused to be encoded."""
        with self.cond:
            self.waiting[slot] = list(texts)
            self._flush_if_all_wait()
            while slot not in self.results:
                self.cond.wait()
            out = self.results.pop(slot)
        if isinstance(out, BaseException):
            raise out
        return out  # type: ignore[return-value]

    def done(self) -> None:
        """A comparison ended (finished or failed): it no longer holds up a round."""
        with self.cond:
            self.live -= 1
            self._flush_if_all_wait()

    def _flush_if_all_wait(self) -> None:
        if not self.waiting or len(self.waiting) < self.live:
            return
        order = sorted(self.waiting)
        enc = self.encoder
        new: dict[str, int] = {}
        for s in order:
            for t in self.waiting[s]:
                if t not in new and not enc.has(t):
                    new[t] = s
        try:
            enc.embed([t for s in order for t in self.waiting[s]])
            for s in order:
                self.results[s] = (enc.embed(self.waiting[s]), sum(1 for v in new.values() if v == s))
        except BaseException as exc:  # noqa: BLE001 - handed to every waiting comparison
            for s in order:
                self.results[s] = exc
        self.rounds += 1
        self.waiting.clear()
        self.cond.notify_all()


class GatedEncoder(Encoder):
    """One comparison's view of a shared encoder: ``embed`` goes through the gate; everything
    else (id, token counts, calibration values, the in-memory vectors) is the shared encoder's."""

    def __init__(self, shared: Encoder, gate: Gate, slot: int) -> None:  # noqa: D107 - no base init: a view
        self._shared = shared
        self._gate = gate
        self._slot = slot
        self.encoded = 0
        # the base class holds these as class attributes, which __getattr__ would never reach
        for name in ("id", "dim", "mean_pooled", "neighbour_cosine", "token_fertility", "states_layer"):
            setattr(self, name, getattr(shared, name))

    def __getattr__(self, name: str):
        return getattr(self._shared, name)

    def _embed(self, texts: list[str]) -> np.ndarray:
        return self.embed(texts)

    def count_tokens(self, text: str) -> int:
        return self._shared.count_tokens(text)

    def has(self, text: str) -> bool:
        return self._shared.has(text)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        shared = self._shared
        if all(shared.has(t) for t in texts):
            # nothing to encode: no need to wait. Whether a text is at hand changes only in a
            # round, when every comparison waits, so this does not make rounds depend on timing.
            return shared.embed(texts)
        vecs, fresh = self._gate.embed(self._slot, texts)
        self.encoded += fresh
        return vecs


_ARENAS_CAPPED = False


def _cap_malloc_arenas() -> None:
    """glibc gives each thread that allocates its own malloc arena, and each arena keeps what it
    once held: on 70 FLORES pairs, 8 comparison threads took the peak memory from 424 to 628 MiB;
    with two arenas (glibc's ``M_ARENA_MAX``) it is 471 MiB. Elsewhere this does nothing."""
    global _ARENAS_CAPPED
    if _ARENAS_CAPPED:
        return
    _ARENAS_CAPPED = True
    if os.environ.get("MALLOC_ARENA_MAX"):
        return  # the user chose
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


def run_gathered(encoder: Encoder, jobs: Sequence[Callable[[Encoder], object]],
                 on_done: Callable[[int, object], None] | None = None) -> list[object]:
    """Run ``jobs`` (each takes an encoder and returns a result, or raises) in threads whose
    encoder calls are merged; return their results (or the exceptions they raised) in order.
    ``on_done(k, result)`` is called in the calling thread as each job ends, in the order they end
    (so that a batch can record a pair the moment it is done)."""
    if len(jobs) == 1:
        try:
            out: object = jobs[0](encoder)
        except Exception as exc:  # noqa: BLE001 - returned like the threaded path
            out = exc
        if on_done is not None:
            on_done(0, out)
        return [out]
    _cap_malloc_arenas()
    gate = Gate(encoder, len(jobs))
    results: list[object] = [None] * len(jobs)
    ended: queue.SimpleQueue = queue.SimpleQueue()

    def work(k: int) -> None:
        try:
            results[k] = jobs[k](GatedEncoder(encoder, gate, k))
        except BaseException as exc:  # noqa: BLE001 - recorded for the caller
            results[k] = exc
        finally:
            gate.done()
            ended.put(k)

    threads = [threading.Thread(target=work, args=(k,), name=f"transcompare-pair-{k}", daemon=True)
               for k in range(len(jobs))]
    for t in threads:
        t.start()
    for _ in range(len(jobs)):
        k = ended.get()
        if on_done is not None:
            on_done(k, results[k])
    for t in threads:
        t.join()
    return results
