"""A batch on a real Dask cluster: `dask scheduler` and two `dask worker` processes on 127.0.0.1.

Results through ``--scheduler`` equal the in-process run; a worker killed mid-batch still ends
with every pair done exactly once; ``--workers 2`` starts its own local cluster."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from test_batch import copies, wait_rows, comparable, index_rows, run

#: end-to-end runs: left out of the quick run (-m "not slow"), run by the README's test command
pytestmark = pytest.mark.slow

pytest.importorskip("distributed", reason="the batch extra (dask.distributed) is not installed")

DASK = shutil.which("dask") or str(Path(sys.executable).parent / "dask")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-thread workers, without nannies (a killed worker stays dead)."""
    tmp = tmp_path_factory.mktemp("dask")
    env = dict(os.environ, TRANSCOMPARE_CACHE=str(tmp / "cache"), PYTHONPATH=str(Path(__file__).parent.parent))
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp)]
    for _ in range(2):
        procs.append(subprocess.Popen([DASK, "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                                       "--host", "127.0.0.1"], env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, cwd=tmp))
    from distributed import Client

    try:
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address, procs[1:]
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def test_scheduler_results_equal_in_process(cluster, tmp_path):
    address, _ = cluster
    m = copies(tmp_path, 4)
    local = run("batch", m, "-o", tmp_path / "local", "--quiet")
    assert local.exit_code == 0, local.output
    remote = run("batch", m, "-o", tmp_path / "remote", "--scheduler", address, "--chunk-size", "1")
    assert remote.exit_code == 0, remote.output
    assert "compared 4, unchanged 0" in remote.output
    for k in range(4):
        name = f"p{k:02d}.json"
        assert comparable(tmp_path / "remote" / "pairs" / name) == comparable(tmp_path / "local" / "pairs" / name)
    rep = json.loads((tmp_path / "remote" / "report.json").read_text(encoding="utf-8"))
    assert len(rep["run"]["workers"]) == 2  # both workers took pairs, each reports its peak memory
    assert all(v > 0 for v in rep["run"]["workers"].values())


def test_worker_killed_mid_batch(cluster, tmp_path):
    address, workers = cluster
    n = 10
    m = copies(tmp_path, n)
    out = tmp_path / "out"
    env = dict(os.environ, TRANSCOMPARE_CACHE=str(tmp_path / "cache"))
    proc = subprocess.Popen([sys.executable, "-m", "transcompare.cli", "batch", str(m), "-o", str(out),
                             "--scheduler", address, "--chunk-size", "1", "--no-cache"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_rows(out, 2, proc)
    victim = workers[0]
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert f"compared {n}, unchanged 0 (kept from an earlier run), failed 0" in stdout
    rows = index_rows(out)
    assert [r[0] for r in rows] == [f"p{k:02d}" for k in range(n)]
    assert all(st == "ok" for _, st, _, _ in rows)
    assert len(list((out / "pairs").glob("*.json"))) == n


def test_a_killed_client_keeps_each_pair_finished_before_the_kill(cluster, tmp_path):
    """One chunk of eight pairs on one worker: each pair is recorded the moment it is done, not
    when the chunk is, so a client killed part-way through the chunk keeps what was finished,
    and the next run compares only the rest."""
    address, _ = cluster
    n = 8
    m = copies(tmp_path, n)
    out = tmp_path / "out"
    env = dict(os.environ, TRANSCOMPARE_CACHE=str(tmp_path / "cache"))
    cmd = [sys.executable, "-m", "transcompare.cli", "batch", str(m), "-o", str(out), "--scheduler", address,
           "--chunk-size", str(n), "--no-cache", "--quiet"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_rows(out, 1, proc, timeout=240)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    first = [pid for pid, st, _, _ in index_rows(out) if st == "ok"]
    assert 1 <= len(first) < n, "the chunk's pairs arrived one by one, and the kill came part-way"
    for pid in first:  # each recorded pair is whole
        assert json.loads((out / "pairs" / f"{pid}.json").read_text(encoding="utf-8"))["source"]["sentences"]
    done = subprocess.run(cmd[:-1], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"compared {n - len(first)}, unchanged {len(first)}" in done.stdout
    rows = index_rows(out)
    assert [r[0] for r in rows] == [f"p{k:02d}" for k in range(n)] and all(st == "ok" for _, st, _, _ in rows)


def test_local_cluster_workers(tmp_path):
    m = copies(tmp_path, 3)
    r = run("batch", m, "-o", tmp_path / "out", "--workers", "2")
    assert r.exit_code == 0, r.output
    assert "compared 3, unchanged 0" in r.output
    rep = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert rep["totals"]["ok"] == 3 and all(w.startswith("tcp://") for w in rep["run"]["workers"])
