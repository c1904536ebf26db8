"""The review app: a local web page to walk through flags, confirm or dismiss them, note and
re-grade them, with decisions kept in the review store.

Server-rendered pages (Jinja2, autoescaped) and htmx (vendored in ``static/``, no CDN). Each
action is a POST that returns the flag's card, swapped in place. Every POST needs the app's
CSRF token in a header and an Origin (or Referer) of this server. With ``token`` set (for a
``--host`` other than 127.0.0.1) every request needs it too, once as ``?token=`` and then as a
cookie. Only the two static files of the app are served; nothing of the result set is served
as a file.

A request whose ``Host`` is not one this server answers to (127.0.0.1, localhost, [::1] or the
``--host`` given, with the app's port) is refused before anything else: a web page the reviewer
visits could otherwise point a name of its own at 127.0.0.1 (DNS rebinding) and read or post
as a same-origin page. Every bad value a request can send is a 4xx with a one-line reason.
"""
from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import urlsplit

import regex as re
from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from ..errors import UsageError
from ..render.html import MAP_LEVELS, direction, environment
from ..text.words import word_spans
from .result import ResultSet
from .store import ACTIONS, STATUSES, ReviewStore

STATIC = Path(__file__).parent / "static"
STATIC_FILES = {"htmx.min.js": "text/javascript", "review.js": "text/javascript"}
#: cards on one page: a batch can hold many thousands of flags; the filters (or decisions) narrow it
PAGE = 200


def _marked(text: str, needles: list[str], words=None) -> list[tuple[str, bool, int]]:
    """``text`` cut into (piece, is_evidence, map level): each evidence text found in the
    sentence is marked; ``words``, ``(start, end, score)`` in the sentence's text, carry the
    difference map's level (0 to 3, as the HTML report underlines them)."""
    spans = []
    for n in needles:
        n = " ".join(n.split())
        if n:
            spans += [(m.start(), m.end()) for m in re.finditer(re.escape(n), text)]
    words = words or []
    cuts = sorted({0, len(text), *(a for a, _ in spans), *(b for _, b in spans),
                   *(a for a, _, _ in words), *(b for _, b, _ in words)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if b <= a:
            continue
        score = next((sc for x, y, sc in words if x <= a and b <= y), None)
        level = 0 if score is None else sum(score >= x for x in MAP_LEVELS)
        out.append((text[a:b], any(x <= a and b <= y for x, y in spans), level))
    return out


def _words(sentence: dict) -> list[tuple[int, int, float]]:
    """A sentence's map as spans of its text: the JSON gives file offsets, and its words are
    the sentence text's words in order."""
    scores = [sc for *_, sc in sentence.get("diff") or ()]
    spans = word_spans(sentence["text"])
    return [(a, b, sc) for (a, b), sc in zip(spans, scores)] if len(spans) == len(scores) else []


def _side(c: dict, side: str, ids: list[int], evidence: list[dict]) -> dict:
    sents = c[side]["sentences"]
    needles = [e["text"] for e in evidence if e["side"] == side and e.get("label") not in ("dropped", "added")]
    lo = (min(ids) if ids else 0) - 1
    hi = (max(ids) if ids else -1) + 1
    return {"lang": c[side]["lang"], "dir": direction(c[side]["lang"]),
            "before": sents[lo]["text"] if 0 <= lo < len(sents) and ids else "",
            "after": sents[hi]["text"] if 0 <= hi < len(sents) and ids else "",
            "sentences": [_marked(sents[i]["text"], needles, _words(sents[i])) for i in ids],
            # subtitles: when the cues are shown
            "times": [sents[i]["time"] for i in ids if sents[i].get("time")]}


def cards(result: ResultSet, store: ReviewStore, filters: dict) -> list[dict]:
    """The flags that pass ``filters`` (doc, kind, reason, severity, status), with context and decision."""
    out = []
    for doc, c in result.docs.items():
        if filters.get("doc") and doc != filters["doc"]:
            continue
        for f in c["flags"]:
            if filters.get("kind") and f["kind"] != filters["kind"]:
                continue
            if filters.get("reason") and filters["reason"] not in f["reasons"]:
                continue
            if filters.get("severity") and f["severity"] != filters["severity"]:
                continue
            d = store.decision(doc, f["id"])
            status = d.status if d and d.status else "open"
            if filters.get("status") and status != filters["status"]:
                continue
            out.append(card(result, store, doc, f["id"], c=c, f=f, d=d))
    return out


def card(result: ResultSet, store: ReviewStore, doc: str, flag_id: str, c: dict | None = None, f: dict | None = None,
         d=None) -> dict:
    c = c or result.docs[doc]
    f = f or next(x for x in c["flags"] if x["id"] == flag_id)
    d = d if d is not None else store.decision(doc, flag_id)
    return {"doc": doc, "flag": f, "decision": d, "status": d.status if d and d.status else "open",
            "source": _side(c, "source", f["source"], f["evidence"]),
            "target": _side(c, "target", f["target"], f["evidence"])}


#: the names a local server answers to, whatever ``--host`` says
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def served_hosts(host: str, port: int) -> frozenset[str] | None:
    """The ``Host`` header values the app accepts: the loopback names and ``host``, each with
    ``port`` (``None`` for port 0, where the system picks it: then any port of those names)."""
    names = set(LOOPBACK) | {f"[{host}]" if ":" in host and not host.startswith("[") else host}
    if port == 0:
        return None
    return frozenset(f"{n}:{port}" for n in names) | (frozenset(names) if port == 80 else frozenset())


#: addresses that listen on every interface: the machine is reached by names of its own, which
#: the app cannot know; ``--token`` (required for them) is then what keeps other pages out
WILDCARDS = ("0.0.0.0", "::", "[::]")


def _host_ok(value: str, hosts: frozenset[str] | None, host: str) -> bool:
    if host in WILDCARDS:
        return True
    value = value.strip().lower()
    if hosts is not None:
        return value in hosts
    name = value.rsplit(":", 1)[0] if not value.endswith("]") else value
    return name in set(LOOPBACK) | {host.lower(), f"[{host.lower()}]"}


def create_app(result: ResultSet, store: ReviewStore, reviewer: str, token: str | None = None,
               host: str = "127.0.0.1", port: int = 8765) -> FastAPI:
    """The app for ``result``, served at ``host``:``port`` (only those names are answered)."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    csrf = secrets.token_urlsafe(24)
    env = environment()
    hosts = served_hosts(host, port)

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if not _host_ok(request.headers.get("host", ""), hosts, host):
            return PlainTextResponse("this server does not answer to that Host name", status_code=421)
        if token is not None:
            given = request.query_params.get("token")
            if given is not None and secrets.compare_digest(given, token):
                resp = RedirectResponse(str(request.url.remove_query_params("token")), status_code=303)
                resp.set_cookie("tc_token", token, httponly=True, samesite="strict")
                return resp
            if not secrets.compare_digest(request.cookies.get("tc_token", ""), token):
                return PlainTextResponse("a token is needed: open the address the server printed", status_code=401)
        if request.method == "POST":
            if not secrets.compare_digest(request.headers.get("x-csrf-token", ""), csrf):
                return PlainTextResponse("missing or wrong CSRF token", status_code=403)
            origin = request.headers.get("origin") or request.headers.get("referer") or ""
            if urlsplit(origin).netloc != request.headers.get("host", ""):
                return PlainTextResponse("request from another origin", status_code=403)
        resp = await call_next(request)
        resp.headers["Content-Security-Policy"] = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                                   "connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
                                                   "form-action 'self'; frame-ancestors 'none'")
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        return resp

    def filters_of(request: Request) -> dict:
        return {k: request.query_params.get(k, "") for k in ("doc", "kind", "reason", "severity", "status")}

    @app.get("/", response_class=HTMLResponse)
    def queue(request: Request):
        fl = filters_of(request)
        done, total = store.progress()
        reasons = sorted({r for c in result.docs.values() for f in c["flags"] for r in f["reasons"]})
        shown = cards(result, store, fl)
        return env.get_template("review.html").render(
            cards=shown[:PAGE], matching=len(shown), page=PAGE, filters=fl, docs=list(result.docs), reasons=reasons, statuses=STATUSES,
            done=done, total=total, stats=store.stats(), reviewer=reviewer, csrf=csrf, root=str(result.root))

    @app.post("/decide", response_class=HTMLResponse)
    def decide(doc: str = Form(...), flag: str = Form(...), action: str = Form(...), value: str = Form("")):
        if action not in ACTIONS:
            raise HTTPException(400, f"unknown action (one of {', '.join(ACTIONS)})")
        if doc not in result.docs:
            raise HTTPException(404, "no such document")
        if not any(f["id"] == flag for f in result.docs[doc]["flags"]):
            raise HTTPException(404, "no such flag in this document")
        try:
            store.decide(doc, flag, action, reviewer, value or None)
        except UsageError as exc:  # a value the action does not take (a severity that is none)
            raise HTTPException(400, str(exc)) from None
        done, total = store.progress()
        return env.get_template("review_card.html").render(c=card(result, store, doc, flag), done=done, total=total,
                                                           oob=True)

    @app.get("/export.{fmt}")
    def export(fmt: str):
        if fmt not in ("csv", "json"):
            raise HTTPException(404)
        return Response(store.export(fmt), media_type="text/csv" if fmt == "csv" else "application/json")

    @app.get("/static/{name}")
    def static(name: str):
        if name not in STATIC_FILES:
            raise HTTPException(404)
        return Response((STATIC / name).read_bytes(), media_type=STATIC_FILES[name])

    return app
