"""How many threads numpy's BLAS may use for the bundled encoder's matrix products.

OpenBLAS (numpy's BLAS) starts one thread per core and has them spin while they wait for work.
On a machine whose cores are busy with other work, those threads wait for each other and a
compare that takes 3 s on a quiet machine took 18-61 s (issue 26). The count is chosen here,
deliberately, and set only around the encoder's passes (threadpoolctl), never for the process
as a whole:

- ``$TRANSCOMPARE_THREADS`` when set (a positive integer);
- else the cores this process may run on, less the threads of other processes that are running
  or ready to run now (the kernel's count, less this process's own), at least one.

``scripts/bench_threads.py`` measures the choice, quiet and under load (docs/benchmarks.md).
"""
from __future__ import annotations

import contextlib
import os
import time

_CONTROLLER = None
#: how long a chosen count stands before the load is read again (seconds)
RECHECK = 5.0
_chosen: tuple[float, int] | None = None


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def others_running(samples: int = 5, gap: float = 0.003) -> float | None:
    """How many threads of other processes are running or ready to run now: the kernel's count
    of runnable threads (``/proc/loadavg``) less this process's own, the median of a few reads
    (``None`` where /proc is not there)."""
    counts = []
    for k in range(samples):
        try:
            with open("/proc/loadavg", "rb") as fh:
                total = int(fh.read().split()[3].split(b"/")[0])
            own = 0
            for task in os.listdir("/proc/self/task"):
                try:
                    with open(f"/proc/self/task/{task}/stat", "rb") as fh:
                        own += fh.read().rsplit(b")", 1)[1].split()[0] == b"R"
                except OSError:
                    continue  # a thread that ended meanwhile
        except (OSError, ValueError, IndexError):
            return None
        counts.append(max(0, total - own))
        if k + 1 < samples:
            time.sleep(gap)
    counts.sort()
    return float(counts[len(counts) // 2])


def chosen_threads() -> int:
    """The thread count for the encoder now: ``$TRANSCOMPARE_THREADS``, else the usable cores
    less those other processes keep running (read again every :data:`RECHECK` seconds)."""
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
    others = others_running()
    if others is None:  # not Linux: the 1-minute load average, which lags
        try:
            others = os.getloadavg()[0]
        except (AttributeError, OSError):
            others = 0.0
    n = max(1, min(cores, int(cores - others + 0.5)))
    _chosen = (now, n)
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
