"""The second pass's member test: how much better a sentence completes a bead's side, as a match
for the bead's other side, than the document's other sentences would (a z-score against them).

Each candidate ``x = base + tokens * v`` is scored without forming it: ``x . tv`` and ``|x|``
come from ``v . tv`` and ``v . base``.
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from functools import lru_cache
from typing import Sequence

import numpy as np

from .dp import SideFeatures
from .native import compiled

#: the document's other sentences a try is compared with, at most (a fixed even spread beyond)
MAX_POOL = 200
#: pools whose rows are kept per document side, most recently used first: the beads along a
#: long document exclude nearly the same sentences, so a few hundred pools serve thousands of tries
KEEP_POOLS = 8
_POOL_ROWS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_POOL_ROWS_LOCK = threading.Lock()


def statement_pool(own: SideFeatures, excluded: Sequence[int], max_pool: int) -> list[int]:
    """The document's statements other than ``excluded``; beyond ``max_pool`` of them, a fixed
    even spread (so the result is deterministic), picked without listing every statement."""
    return pool_ids(own, excluded, max_pool).tolist()


def pool_ids(own: SideFeatures, excluded: Sequence[int], max_pool: int) -> np.ndarray:
    """:func:`statement_pool` as an array of sentence ids."""
    statements = own.statement_ids
    count = len(statements)
    # where each excluded sentence stands among the statements (if it is one); a few ids, so
    # in Python
    pos = np.searchsorted(statements, excluded).tolist()
    gone = sorted({p for p, x in zip(pos, excluded) if p < count and statements[p] == x})
    size = count - len(gone)
    if size <= max_pool:
        keep = np.ones(count, dtype=bool)
        keep[gone] = False
        return statements[keep]
    p = _spread(size, max_pool).copy()  # the p-th remaining statement:
    for g in gone:  # step over the excluded ones before it, in order
        p += p >= g
    return statements[p]


@lru_cache(maxsize=64)
def _spread(size: int, max_pool: int) -> np.ndarray:
    """``max_pool`` positions spread evenly over ``size``."""
    return (np.arange(max_pool) * (size / max_pool)).astype(np.int64)


def pool_rows(own: SideFeatures, pool: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pool's token counts and vectors in float64, and its vectors' squared lengths: read
    from the document once for each of the :data:`KEEP_POOLS` pools used last (the same values
    as reading them each time)."""
    with _POOL_ROWS_LOCK:
        kept = _POOL_ROWS.get(own)
        if kept is None:
            kept = _POOL_ROWS[own] = OrderedDict()
    key = pool.tobytes()
    rows = kept.get(key)
    if rows is None:
        rows = (own.tokens[pool].astype(np.float64), own.vectors[pool].astype(np.float64), own.square_norms[pool])
        kept[key] = rows
        if len(kept) > KEEP_POOLS:
            kept.popitem(last=False)
    else:
        kept.move_to_end(key)
    return rows


def member_z(own: SideFeatures, other: SideFeatures, members: Sequence[int], cand: int,
             other_ids: Sequence[int], max_pool: int = MAX_POOL) -> float | None:
    """How much better sentence ``cand`` completes ``members`` as a match for ``other_ids`` than
    the document's other sentences do, as a z-score (token-weighted average vectors)."""
    return member_zs(own, other, [(members, cand)], other_ids, max_pool)[0]


def member_zs(own: SideFeatures, other: SideFeatures, tries: Sequence[tuple[Sequence[int], int]],
              other_ids: Sequence[int], max_pool: int = MAX_POOL) -> list[float | None]:
    """:func:`member_z` of each ``(members, cand)`` of ``tries``, all of which hold the same
    sentences in all (a bead's first or last member against the rest): they share the pool of the
    document's other sentences, so its vectors are read once."""
    tv = sum(other.tokens[j] * other.vectors[j] for j in other_ids)
    tv = tv / (np.sqrt(tv.dot(tv)) + 1e-12)  # (np.linalg.norm, without its general machinery)
    pool = pool_ids(own, list(tries[0][0]) + [tries[0][1]], max_pool)
    if len(pool) < 3:
        return [None] * len(tries)  # too short a document to tell
    bases = [sum(own.tokens[i] * own.vectors[i] for i in members) if members else np.zeros_like(tv)
             for members, _ in tries]
    # each candidate x = base + tokens * v without forming it: x.tv and |x| from v.tv and v.base
    t, vectors, square_norms = pool_rows(own, pool)
    columns = np.empty((len(tv), 1 + len(bases)), dtype=np.result_type(tv, *bases))  # (np.stack(axis=1))
    columns[:, 0] = tv
    for k, base in enumerate(bases, 1):
        columns[:, k] = base
    products = vectors @ columns
    t_square = t * t * square_norms
    t_tv = t * products[:, 0]
    # per try: the base's squared length and its product with tv, and the real candidate's cosine
    square_b = [float(base @ base) for base in bases]
    base_tv = [float(base @ tv) for base in bases]
    mine = [base + own.tokens[cand] * own.vectors[cand] for (_, cand), base in zip(tries, bases)]
    val = [float(x @ tv / (np.sqrt(x.dot(x)) + 1e-12)) for x in mine]
    loops = compiled()
    if loops is not None:  # the steps below for every try, compiled
        return loops.member_zs(t, t_square, t_tv, products, np.array(square_b), np.array(base_tv), np.array(val))
    out: list[float | None] = []
    for k, vb in enumerate(products[:, 1:].T):
        square = square_b[k] + 2 * t * vb + t_square
        vals = (base_tv[k] + t_tv) / (np.sqrt(np.maximum(square, 0.0)) + 1e-12)
        out.append((val[k] - _median(vals)) / (_std(vals) + 1e-9))
    return out


def _median(v: np.ndarray) -> float:
    """``np.median`` of a 1-d array (the same value, without its general machinery)."""
    k = len(v) // 2
    if len(v) % 2:
        return float(np.partition(v, k)[k])
    part = np.partition(v, (k - 1, k))
    return float((part[k - 1] + part[k]) / 2)


def _std(v: np.ndarray) -> float:
    """``np.std`` of a 1-d array, computed as numpy does."""
    d = v - np.add.reduce(v) / len(v)
    return float(np.sqrt(np.add.reduce(d * d) / len(v)))
