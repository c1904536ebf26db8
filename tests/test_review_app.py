"""The review app through FastAPI's TestClient: the queue, actions, CSRF and Origin checks,
the token for other hosts, escaping, static files, export, and decisions that survive a re-run."""
import json
import re

import pytest
from click.testing import CliRunner

from corpora_eval import CORPORA
from transcompare.cli import main
from transcompare.review import ReviewStore
from transcompare.review.result import load_result

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from transcompare.review.app import create_app  # noqa: E402

SRC = CORPORA / "en-vi-flood" / "source.en.txt"
TGT = CORPORA / "en-vi-flood" / "translation.vi.txt"


@pytest.fixture()
def result_json(tmp_path):
    out = tmp_path / "flood.json"
    r = CliRunner().invoke(main, ["compare", str(SRC), str(TGT), "--format", "json", "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out


def client_for(path, token=None, reviewer="ana"):
    res = load_result(path)
    store = ReviewStore(res.default_db())
    store.sync(res.flag_refs())
    app = create_app(res, store, reviewer, token)
    c = TestClient(app, base_url="http://127.0.0.1:8765")
    return c, res, store


def csrf_of(page: str) -> str:
    return re.search(r'data-csrf="([^"]+)"', page).group(1)


def post(c, token, **form):
    return c.post("/decide", data=form, headers={"X-CSRF-Token": token, "Origin": "http://127.0.0.1:8765"})


def test_queue_and_actions(result_json):
    c, res, store = client_for(result_json)
    page = c.get("/").text
    flags = res.docs["flood"]["flags"]
    assert page.count('<article class="card') == len(flags)
    assert f"0 of {len(flags)} reviewed" in page
    assert "<mark>3.2</mark>" in page and "<mark>5,2</mark>" in page  # evidence on both sides
    tok = csrf_of(page)
    first = flags[0]["id"]
    r = post(c, tok, doc="flood", flag=first, action="confirm")
    assert r.status_code == 200 and "s-confirmed" in r.text and f"1 of {len(flags)} reviewed" in r.text
    post(c, tok, doc="flood", flag=first, action="note", value="<b>checked</b>")
    assert store.decision("flood", first).note == "<b>checked</b>"
    assert "&lt;b&gt;checked&lt;/b&gt;" in c.get("/").text
    post(c, tok, doc="flood", flag=flags[1]["id"], action="dismiss")
    page = c.get("/?status=dismissed").text
    assert page.count('<article class="card') == 1
    assert "dismissed" in c.get("/export.csv").text
    assert json.loads(c.get("/export.json").text)["decisions"][0]["flag_id"] in {first, flags[1]["id"]}
    r = post(c, tok, doc="flood", flag=first, action="undo")
    assert store.decision("flood", first).note is None and store.decision("flood", first).status == "confirmed"


def test_csrf_origin_and_static(result_json):
    c, res, _ = client_for(result_json)
    tok = csrf_of(c.get("/").text)
    fid = res.docs["flood"]["flags"][0]["id"]
    assert c.post("/decide", data={"doc": "flood", "flag": fid, "action": "confirm"}).status_code == 403
    bad_origin = c.post("/decide", data={"doc": "flood", "flag": fid, "action": "confirm"},
                        headers={"X-CSRF-Token": tok, "Origin": "http://evil.example"})
    assert bad_origin.status_code == 403
    wrong = c.post("/decide", data={"doc": "flood", "flag": fid, "action": "confirm"},
                   headers={"X-CSRF-Token": "nope", "Origin": "http://127.0.0.1:8765"})
    assert wrong.status_code == 403
    assert c.get("/static/htmx.min.js").status_code == 200
    for path in ("/static/../store.py", "/static/review.sqlite", "/flood.json", "/static/%2e%2e%2fstore.py"):
        assert c.get(path).status_code == 404
    csp = c.get("/").headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp


def test_token_for_other_hosts(result_json):
    c, _, _ = client_for(result_json, token="s3cret")
    assert c.get("/").status_code == 401
    r = c.get("/?token=s3cret", follow_redirects=False)
    assert r.status_code == 303 and "tc_token" in r.headers["set-cookie"]
    c.cookies.set("tc_token", "s3cret")
    assert c.get("/").status_code == 200
    r = CliRunner().invoke(main, ["review", str(result_json), "--host", "0.0.0.0"])
    assert r.exit_code == 2 and "needs --token" in r.output


def test_decisions_survive_a_rerun_and_export_from_cli(result_json, tmp_path):
    c, res, store = client_for(result_json)
    tok = csrf_of(c.get("/").text)
    for f in res.docs["flood"]["flags"][:2]:
        post(c, tok, doc="flood", flag=f["id"], action="confirm")
    store.close()
    # compare again into the same file: same flag ids, the decisions are still there
    r = CliRunner().invoke(main, ["compare", str(SRC), str(TGT), "--format", "json", "-o", str(result_json)])
    assert r.exit_code == 0
    c2, res2, _ = client_for(result_json)
    assert "2 of" in c2.get("/").text
    out = tmp_path / "decisions.csv"
    r = CliRunner().invoke(main, ["review", str(result_json), "--export", str(out), "--stats"])
    assert r.exit_code == 0, r.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    assert "2 of" in r.output and "precision" in r.output


def test_bad_results_are_one_line(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")
    r = CliRunner().invoke(main, ["review", str(bad), "--stats"])
    assert r.exit_code == 2 and "is not JSON" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["review", str(tmp_path), "--stats"])
    assert r.exit_code == 2 and "without report.json" in r.output


def test_corrupt_database_is_one_line(result_json, tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database" * 200)
    r = CliRunner().invoke(main, ["review", str(result_json), "--db", str(junk), "--stats"])
    assert r.exit_code == 2 and "not a readable review database" in r.output and "Traceback" not in r.output


def test_a_batch_folder_is_reviewed_as_its_documents(tmp_path):
    m = tmp_path / "m.csv"
    m.write_text("id,source,translation\n"
                 f"flood,{SRC},{TGT}\n"
                 f"chips,{CORPORA / 'en-de-chips' / 'source.en.md'},{CORPORA / 'en-de-chips' / 'translation.de.md'}\n",
                 encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["batch", str(m), "-o", str(out), "--quiet"]).exit_code == 0
    res = load_result(out)
    assert set(res.docs) == {"flood", "chips"} and res.default_db() == out / "review.sqlite"
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(res.flag_refs()) == sum(sum(e["flags"].values()) for e in rep["pairs"])
    c, _, store = client_for(out)
    page = c.get("/?doc=chips").text
    assert page.count('<article class="card') == len(res.docs["chips"]["flags"])
    tok = csrf_of(page)
    fid = res.docs["chips"]["flags"][0]["id"]
    assert post(c, tok, doc="chips", flag=fid, action="confirm").status_code == 200
    assert store.decision("chips", fid).status == "confirmed" and store.decision("flood", fid) is None


def test_subtitle_flags_show_their_cue_times(tmp_path):
    src, tgt = tmp_path / "ep.en.srt", tmp_path / "ep.vi.srt"
    src.write_text("1\n00:00:01,000 --> 00:00:03,000\nThe bridge opened in 1998.\n\n"
                   "2\n00:00:04,000 --> 00:00:06,000\nIt carries 40,000 cars a day.\n", encoding="utf-8")
    tgt.write_text("1\n00:00:01,000 --> 00:00:03,000\nCây cầu được khánh thành năm 1998.\n\n"
                   "2\n00:00:04,000 --> 00:00:06,000\nMỗi ngày có 60.000 xe qua cầu.\n", encoding="utf-8")
    out = tmp_path / "ep.json"
    assert CliRunner().invoke(main, ["compare", str(src), str(tgt), "--format", "json", "-o", str(out)]).exit_code == 0
    c, res, _ = client_for(out)
    (flag,) = res.docs["ep"]["flags"]
    assert flag["reasons"] == ["number"]
    page = c.get("/").text
    assert page.count("00:00:04.000 → 00:00:06.000") == 2  # beside each side of the card


def test_cards_underline_words_by_the_difference_map_with_a_toggle(result_json):
    c, res, _ = client_for(result_json)
    page = c.get("/").text
    assert 'id="f-map"' in page and "body.nomap" in page
    levels = re.findall(r'<span class="m([123])">', page)
    assert levels  # some words of the flagged pairs are underlined
    # the words underlined are words of the map: their scores reach the first level
    d = json.loads(result_json.read_text(encoding="utf-8"))
    scores = [sc for side in ("source", "target") for s in d[side]["sentences"] for *_, sc in s["diff"]]
    assert max(scores) >= 0.3 and all(0 <= x <= 1 for x in scores)


def test_a_host_name_the_server_does_not_serve_is_refused(result_json):
    # DNS rebinding: a web page's own name pointed at 127.0.0.1, with an Origin to match, must
    # neither read the page (and its CSRF token) nor post a decision nor export
    c, res, store = client_for(result_json)
    evil = TestClient(c.app, base_url="http://evil.example:8765")
    assert evil.get("/").status_code == 421 and "data-csrf" not in evil.get("/").text
    assert evil.get("/export.csv").status_code == 421
    tok = csrf_of(c.get("/").text)
    fid = res.docs["flood"]["flags"][0]["id"]
    r = evil.post("/decide", data={"doc": "flood", "flag": fid, "action": "dismiss"},
                  headers={"X-CSRF-Token": tok, "Origin": "http://evil.example:8765"})
    assert r.status_code == 421 and store.decision("flood", fid) is None
    # the names it serves, on its port only
    for base in ("http://localhost:8765", "http://[::1]:8765"):
        assert TestClient(c.app, base_url=base).get("/").status_code == 200
    assert TestClient(c.app, base_url="http://127.0.0.1:9999").get("/").status_code == 421


def test_bad_ids_and_values_are_4xx_with_a_reason(result_json):
    c, res, store = client_for(result_json)
    tok = csrf_of(c.get("/").text)
    fid = res.docs["flood"]["flags"][0]["id"]
    cases = [({"doc": "flood", "flag": "nope", "action": "confirm"}, 404, "no such flag"),
             ({"doc": "nope", "flag": fid, "action": "confirm"}, 404, "no such document"),
             ({"doc": "flood", "flag": fid, "action": "explode"}, 400, "unknown action"),
             ({"doc": "flood", "flag": fid, "action": "severity", "value": "catastrophic"}, 400, "severity must be")]
    for form, status, reason in cases:
        r = post(c, tok, **form)
        assert r.status_code == status and reason in r.text, (form, r.status_code, r.text)
    assert store.decisions() == []


def test_two_reviewers_posting_at_once_lose_nothing(result_json):
    # a real server (its thread pool), two clients posting 200 decisions each at the same time
    import threading
    import time
    import urllib.request

    import uvicorn

    res = load_result(result_json)
    store = ReviewStore(res.default_db())
    store.sync(res.flag_refs())
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(res, store, "ana", port=port)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    tok = csrf_of(urllib.request.urlopen(base + "/").read().decode())
    flags = [f["id"] for f in res.docs["flood"]["flags"]]
    statuses: list[int] = []

    def client(action):
        for k in range(200):
            body = f"doc=flood&flag={flags[k % len(flags)]}&action={action}".encode()
            req = urllib.request.Request(base + "/decide", data=body, method="POST", headers={
                "X-CSRF-Token": tok, "Origin": base, "Content-Type": "application/x-www-form-urlencoded"})
            with urllib.request.urlopen(req) as r:
                statuses.append(r.status)

    try:
        workers = [threading.Thread(target=client, args=(a,)) for a in ("confirm", "dismiss")]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    finally:
        server.should_exit = True
        t.join(timeout=10)
    assert statuses == [200] * 400
    assert len([a for a in store.audit() if a["action"] in ("confirm", "dismiss")]) == 400


def test_listening_on_every_interface_takes_any_host_name_behind_the_token(result_json):
    # --host 0.0.0.0 is reached by the machine's own names; the token (required there) guards it
    res = load_result(result_json)
    store = ReviewStore(res.default_db())
    store.sync(res.flag_refs())
    app = create_app(res, store, "ana", token="s3cret", host="0.0.0.0", port=8765)
    c = TestClient(app, base_url="http://review.example.org:8765")
    assert c.get("/").status_code == 401  # no token yet
    assert c.get("/?token=s3cret").status_code == 200 and "data-csrf" in c.get("/").text
