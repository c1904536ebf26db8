"""Batch comparison of whole corpora: a manifest or two folders in, a results folder and a report out.

>>> from transcompare.batch import read_manifest, run_batch
>>> summary = run_batch(read_manifest("pairs.csv"), "out/")  # doctest: +SKIP

Runs in this process, on a local Dask cluster (``workers=N``) or on an existing Dask scheduler
(``scheduler="tcp://host:8786"``); see :func:`run_batch`.
"""
from __future__ import annotations

from .execute import BatchSettings, BatchSummary, need_dask, run_batch
from .inputs import BatchInput, PairJob, pair_folders, read_manifest
from .results import PairOutcome, ResultStore

__all__ = ["BatchInput", "BatchSettings", "BatchSummary", "PairJob", "PairOutcome", "ResultStore",
           "need_dask", "pair_folders", "read_manifest", "run_batch"]
