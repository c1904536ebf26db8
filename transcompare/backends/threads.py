"""How many threads numpy's BLAS may use for the bundled encoder's matrix products.

OpenBLAS (numpy's BLAS) starts one thread per core and has them spin while they wait for work.
On a machine whose cores are busy with other work, those threads wait for each other and a
compare that takes 3 s on a quiet machine took 18-61 s (issue 26). The count is chosen here,
deliberately, and set only around the encoder's passes (threadpoolctl), never for the process
as a whole:

- ``$TRANSCOMPARE_THREADS`` when set (a positive integer);
- else the cores this process may run on, less those the rest of the machine keeps busy (the
  1-minute load average, less what this process itself runs), at least one.

``scripts/bench_threads.py`` measures the choice, quiet and under load (docs/benchmarks.md).
"""
from __future__ import annotations

import contextlib
import os
import time

_CONTROLLER = None
#: how long a chosen count stands before the load is read again (seconds)
RECHECK = 5.0
_chosen: tuple[float, int, float] | None = None


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def chosen_threads(own_busy: int = 0) -> int:
    """The thread count for the encoder now (``own_busy``: threads of this process that count
    in the load average already, e.g. a batch's other workers on the same machine)."""
    global _chosen
    raw = os.environ.get("TRANSCOMPARE_THREADS", "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            pass
    now = time.monotonic()
    if _chosen is not None and now - _chosen[0] < RECHECK:
        return _chosen[1]
    cores = usable_cores()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = 0.0
    # what this process itself ran since the last choice counts in the load too
    cpu = time.process_time()
    own = 0.0 if _chosen is None else (cpu - _chosen[2]) / max(1e-3, now - _chosen[0])
    others = max(0.0, load - own - own_busy)
    n = max(1, min(cores, int(cores - others + 0.5)))
    _chosen = (now, n, cpu)
    return n


@contextlib.contextmanager
def blas_threads(n: int | None = None):
    """Run the block with numpy's BLAS limited to ``n`` threads (default :func:`chosen_threads`);
    without threadpoolctl, as it is."""
    global _CONTROLLER
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a declared dependency
        yield
        return
    if _CONTROLLER is None:
        _CONTROLLER = ThreadpoolController()
    with _CONTROLLER.limit(limits=n or chosen_threads(), user_api="blas"):
        yield
