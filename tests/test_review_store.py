"""Review decisions in SQLite (transcompare/review/store.py): actions, undo, the audit trail,
decisions kept across re-runs and marked stale when their flag is gone, two writers at once,
a foreign or corrupt file, export and the precision per check."""
import json
import multiprocessing
import sqlite3

import pytest

from corpora_eval import CORPORA
from transcompare import compare
from transcompare.errors import InputError, UsageError
from transcompare.review import FlagRef, ReviewStore


def refs(c, doc="flood"):
    return [FlagRef(doc, f.id, f.kind, f.reasons, f.severity, f.confidence, f.message) for f in c.flags]


@pytest.fixture(scope="module")
def flood():
    return compare(CORPORA / "en-vi-flood" / "source.en.txt", CORPORA / "en-vi-flood" / "translation.vi.txt")


def test_actions_undo_and_audit(tmp_path, flood):
    st = ReviewStore(tmp_path / "r.sqlite")
    st.sync(refs(flood))
    a, b = flood.flags[0].id, flood.flags[1].id
    assert st.decide("flood", a, "confirm", "ana").status == "confirmed"
    d = st.decide("flood", a, "note", "ana", "checked against the wire copy")
    assert (d.status, d.note) == ("confirmed", "checked against the wire copy")
    assert st.decide("flood", a, "severity", "ana", "minor").severity == "minor"
    st.decide("flood", b, "dismiss", "ben")
    assert st.progress() == (2, len(flood.flags))
    # undo takes back the reviewer's own last action on that flag, step by step
    assert st.decide("flood", a, "undo", "ana").severity is None
    assert st.decide("flood", a, "undo", "ana").note is None
    assert st.decide("flood", a, "undo", "ana") is None
    assert st.decide("flood", b, "undo", "ana").status == "dismissed"  # not ana's action
    trail = st.audit("flood", a)
    assert [t["action"] for t in trail] == ["confirm", "note", "severity", "undo", "undo", "undo"]
    assert all(t["reviewer"] == "ana" and t["at"] > 0 for t in trail)
    with pytest.raises(UsageError):
        st.decide("flood", "nope", "confirm", "ana")
    with pytest.raises(UsageError):
        st.decide("flood", b, "severity", "ana", "huge")


def test_decisions_last_across_reruns_and_go_stale(tmp_path, flood):
    path = tmp_path / "r.sqlite"
    st = ReviewStore(path)
    st.sync(refs(flood))
    for f in flood.flags[:3]:
        st.decide("flood", f.id, "confirm", "ana")
    st.close()
    # the same comparison again: same ids, decisions still attached
    again = compare(CORPORA / "en-vi-flood" / "source.en.txt", CORPORA / "en-vi-flood" / "translation.vi.txt")
    st = ReviewStore(path)
    counts = st.sync(refs(again))
    assert counts == {"flags": len(again.flags), "decisions_kept": 3, "decisions_stale": 0}
    # a re-run where the first flag is gone (the translation was fixed): its decision is stale, not lost
    counts = st.sync(refs(again)[1:])
    assert counts["decisions_stale"] == 1
    assert st.decision("flood", flood.flags[0].id).stale
    assert {s["check"] for s in st.stats()} <= {f"{f.kind}:{r}" for f in flood.flags[1:3] for r in f.reasons} | \
        {f.kind for f in flood.flags[1:3]}
    # and back again: live
    st.sync(refs(again))
    assert not st.decision("flood", flood.flags[0].id).stale


def test_export_and_stats(tmp_path, flood):
    st = ReviewStore(tmp_path / "r.sqlite")
    st.sync(refs(flood))
    altered = [f for f in flood.flags if f.kind == "altered"]
    st.decide("flood", altered[0].id, "confirm", "ana")
    st.decide("flood", altered[1].id, "dismiss", "ana")
    dropped = next(f for f in flood.flags if f.kind == "dropped")
    st.decide("flood", dropped.id, "confirm", "ana")
    stats = {s["check"]: s for s in st.stats()}
    assert stats["dropped"] == {"check": "dropped", "confirmed": 1, "dismissed": 0, "precision": 1.0}
    first = f"altered:{altered[0].reasons[0]}"
    assert stats[first]["confirmed"] == 1
    data = json.loads(st.export("json"))
    assert data["schema"] == "transcompare.decisions/1" and len(data["decisions"]) == 3
    csv_text = st.export("csv")
    assert csv_text.splitlines()[0].startswith("doc,flag_id,kind") and len(csv_text.splitlines()) == 4


def _writer(path, doc, ids, who):
    st = ReviewStore(path)
    for fid in ids:
        st.decide(doc, fid, "confirm", who)
        st.decide(doc, fid, "note", who, f"{who} was here")
    st.close()


def test_two_writers_at_once_lose_nothing(tmp_path, flood):
    path = tmp_path / "r.sqlite"
    st = ReviewStore(path)
    many = [FlagRef("doc", f"f{k:03d}", "altered", ("number",), "major", 0.9, "m") for k in range(120)]
    st.sync(many)
    ids = [f.flag_id for f in many]
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), "doc", ids[k::2], who)) for k, who in enumerate(("ana", "ben"))]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    got = st.decisions()
    assert len(got) == 120 and all(d.status == "confirmed" and d.note == f"{d.reviewer} was here" for d in got)
    assert len(st.audit()) == 240


def test_foreign_and_corrupt_files(tmp_path):
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE things (x)")
    db.commit()
    db.close()
    with pytest.raises(InputError, match="not a transcompare review database"):
        ReviewStore(other)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(InputError, match="not a readable review database"):
        ReviewStore(junk)


def test_decision_acknowledged_then_killed_survives(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    path = tmp_path / "r.sqlite"
    st = ReviewStore(path)
    st.sync([FlagRef("doc", "f1", "dropped", (), "major", 0.8, "m")])
    st.close()
    code = ("import sys, time\n"
            "from transcompare.review import ReviewStore\n"
            f"st = ReviewStore({str(path)!r})\n"
            "st.decide('doc', 'f1', 'dismiss', 'ana')\n"
            "print('ok', flush=True)\n"
            "time.sleep(60)\n")
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ok"  # acknowledged
    os.kill(p.pid, signal.SIGKILL)
    p.wait(10)
    d = ReviewStore(path).decision("doc", "f1")
    assert d is not None and d.status == "dismissed" and d.reviewer == "ana"
