"""A batch on Dask: a local cluster of worker processes, or the scheduler of an existing one.

Pairs go out in chunks (a chunk's comparisons share their encoder calls, ``gather.py``). Each
pair's result comes back the moment that pair is done, not with its chunk: the worker puts it,
compressed, on a Dask queue named for this run, and the client records what it takes off the
queue. A client killed mid-batch therefore loses only the pairs still being compared, as in
this process (``execute.py``). The chunk's own result then says only which of its pairs were
sent (or carries a pair whose result could not be). A chunk run again after its worker died
sends its pairs again; each pair is recorded once.

Only imported for ``--workers`` or ``--scheduler``: it imports ``dask.distributed``.
"""
from __future__ import annotations

import json
import math
import os
import time
import uuid
import zlib

from ..errors import BackendError
from .execute import BatchSettings, chunks, compare_pairs, need_dask, outcome, payloads
from .inputs import PairJob
from .results import PairOutcome

try:  # a worker plugin when dask.distributed is installed (need_dask says so before this is used)
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - exercised where dask is absent
    _WorkerPlugin = object

#: how long the client waits on the result queue before it looks at its chunks again (seconds)
POLL = 0.1
#: how long a chunk that says it sent a pair gives that pair's result to arrive (seconds)
LATE = 10.0


class EncoderPlugin(_WorkerPlugin):
    """Loads the encoder (and translation model) once when a worker starts, or joins later."""

    name = "transcompare-encoder"

    def __init__(self, settings: BatchSettings) -> None:
        self.settings = settings

    def setup(self, worker) -> None:
        from ..backends.encoders import get_encoder

        get_encoder(self.settings.encoder, device=self.settings.device, cache=self.settings.cache)
        if self.settings.mt:
            from ..backends.mt import get_translator

            get_translator(self.settings.mt, device=self.settings.device, cache=self.settings.cache)


def pack(result: dict) -> bytes:
    """A pair's result as the queue carries it: JSON, deflated (the views compress ~5x, and
    everything on a Dask queue passes through the scheduler)."""
    return zlib.compress(json.dumps(result, ensure_ascii=False).encode("utf-8"), 3)


def unpack(data: bytes) -> dict:
    return json.loads(zlib.decompress(data).decode("utf-8"))


def compare_streamed(payloads: list[dict], settings: BatchSettings, queue_name: str) -> dict:
    """The worker's task: :func:`~.execute.compare_pairs`, each pair's result put on the run's
    queue as it is done. The chunk's result keeps, for each pair, only ``{"id", "sent": True}``
    when its result went out on the queue, and the whole result when it could not."""
    from distributed import Queue

    queue = Queue(queue_name)
    sent: set[str] = set()

    def send(r: dict) -> None:
        try:
            queue.put(pack(r))
            sent.add(r["id"])
        except Exception:  # noqa: BLE001 - the result then goes back with its chunk
            pass

    try:
        out = compare_pairs(payloads, settings, send)
    finally:
        try:
            queue.close()  # this task's hold on the queue; the client's keeps it until the run ends
        except Exception:  # noqa: BLE001 - a scheduler gone away: nothing to release
            pass
    out["results"] = [{"id": r["id"], "sent": True} if r["id"] in sent else r for r in out["results"]]
    return out


def client_for(workers: int, scheduler: str | None):
    """A client of the scheduler at ``scheduler``, or of a new local cluster of ``workers``
    single-thread processes (returned too, to be closed)."""
    need_dask()
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None
        except (OSError, TimeoutError) as exc:
            raise BackendError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
    # one thread per worker: the encoder's matrix products already use the worker's core
    import dask

    environ = dict(os.environ)
    # no statistical profiler on the workers: sampling the task's stack every 10 ms costs ~8 % here
    with dask.config.set({"distributed.worker.profile.enabled": False}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address="127.0.0.1:0")  # any free port: no clash with a running cluster
    # Dask sets OMP_NUM_THREADS=1 and the like in this process to start its workers with them; put
    # the caller's environment back, so that what it starts later is not held to one thread
    os.environ.clear()
    os.environ.update(environ)
    return Client(cluster), cluster


class _Taker:
    """The client's side of the result queue: records each pair once, whichever way it came."""

    def __init__(self, queue, record) -> None:
        self.queue = queue
        self.record = record
        self.recorded: set[str] = set()

    def take(self, r: dict) -> None:
        self.take_outcome(outcome(r))

    def take_outcome(self, o: PairOutcome) -> None:
        if o.id not in self.recorded:
            self.recorded.add(o.id)
            self.record(o)

    def drain(self, wait: float = 0.0) -> None:
        """Record what the queue holds, after waiting up to ``wait`` seconds for the first item."""
        if wait > 0:
            try:
                self.take(unpack(self.queue.get(timeout=wait)))
            except TimeoutError:
                return
        for item in self.queue.get(batch=True) or ():
            self.take(unpack(item))

    def chunk_done(self, out: dict) -> None:
        """A chunk's own result: pairs it carries are recorded; pairs it sent are waited for."""
        self.drain()
        for r in out["results"]:
            if not r.get("sent"):
                self.take(r)
        end = time.monotonic() + LATE
        while any(r.get("sent") and r["id"] not in self.recorded for r in out["results"]) and time.monotonic() < end:
            self.drain(POLL)


def run_on_dask(todo: list[PairJob], settings: BatchSettings, skey: str, record, peaks: dict, workers: int,
                scheduler: str | None, chunk_size: int | None) -> None:
    """Compare ``todo`` on Dask, calling ``record`` for each pair once, as its result arrives."""
    from distributed import Queue, as_completed

    client, cluster = client_for(workers, scheduler)
    try:
        client.register_plugin(EncoderPlugin(settings), name=EncoderPlugin.name)
        n_threads = max(1, sum(client.nthreads().values()) or workers or 1)
        size = chunk_size or max(1, min(8, math.ceil(len(todo) / (n_threads * 4))))
        window = max(2 * n_threads, 4)
        jobs = iter(chunks(todo, size))
        pending: dict[str, list[PairJob]] = {}
        ac = as_completed()
        name = f"transcompare-results-{uuid.uuid4().hex}"
        taker = _Taker(Queue(name, client=client), record)

        def submit_next() -> bool:
            for chunk in jobs:
                ready = payloads(chunk, skey, taker.take_outcome)
                if not ready:
                    continue
                fut = client.submit(compare_streamed, ready, settings, name, pure=False)
                pending[fut.key] = chunk
                ac.add(fut)
                return True
            return False

        for _ in range(window):
            if not submit_next():
                break
        while not ac.is_empty():
            if not ac.has_ready():
                taker.drain(POLL)
                continue
            for fut in ac.next_batch(block=False):
                _chunk_finished(fut, pending.pop(fut.key), taker, peaks)
                fut.release()
                submit_next()
        taker.drain()
        taker.queue.close()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _chunk_finished(fut, chunk: list[PairJob], taker: _Taker, peaks: dict) -> None:
    if fut.status == "finished":
        out = fut.result()
        peaks[out["worker"]] = max(peaks.get(out["worker"], 0.0), out["peak_mib"])
        taker.chunk_done(out)
        why = "its result did not arrive"
    else:  # the chunk's workers kept dying (KilledWorker) or it was cancelled
        taker.drain()
        exc = fut.exception() if fut.status == "error" else None
        why = f"{type(exc).__name__}: {exc}" if exc is not None else fut.status
    for job in chunk:  # pairs sent before a worker died are recorded; the rest failed
        taker.take({"id": job.id, "status": "error", "source": job.source, "translation": job.translation,
                    "error": f"worker failed ({why})", "source_lang": job.source_lang,
                    "target_lang": job.target_lang})


__all__ = ["EncoderPlugin", "client_for", "compare_streamed", "pack", "run_on_dask", "unpack"]
