"""``registry review``: the local web application over the store (Starlette, Jinja).

    GET  /                         the queue (filters: region, agency, status, warning, q)
    GET  /doc/{id}                 one document: source beside the values; a superseded
                                   extraction redirects to the current one of the same file
    GET  /doc/{id}/page/{n}        a page image of a PDF (PNG) or scan (JPEG), cached
    GET  /doc/{sha256}/{doc_id}    the document of a file by content hash (the comparison
                                   report links here, with #v=<path> or #L<line>)
    GET  /open?sha=…&doc=d1&path=… the same, at a value
    POST /api/doc/{id}/action      accept / edit / reject / add          (JSON, CSRF header)
    POST /api/doc/{id}/status      the document's review status
    POST /api/correction/{cid}/{withdraw|rebase}   a decision on a correction

Safety: every page is rendered with autoescape and a strict Content-Security-Policy
(scripts and styles only from /static, no inline script); every POST must carry
the process's CSRF token in ``X-CSRF-Token`` and a same-origin ``Origin`` when
the browser sends one; the Host header is checked (DNS rebinding); source
files are read only for documents in the store, by row id, never by a path
from the request.
"""

from __future__ import annotations

import getpass
import hmac
import secrets
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pipeline.errors import PipelineError
from pipeline.jsonio import validate_extraction
from pipeline.review import actions
from pipeline.review.book import STATUSES, Book, FileRow, ReviewError
from pipeline.review.fields import FAMILIES, KIND_RU, STATUS_RU, editor_spec
from pipeline.review.overlay import ORPHANED, STALE, Correction
from pipeline.review.queue import Filters, choices, queue
from pipeline.review.registry import overlay_document
from pipeline.review.source import page_image, source_lines
from pipeline.review.views import corrections_list, document_values, flat
from pipeline.store import Store

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


class Review:
    """The application's state: the store path, the cache, the CSRF token."""

    def __init__(self, db: Path, cache: Path | None = None, reviewer: str | None = None):
        self.db = Path(db)
        self.cache = cache or self.db.parent / f".{self.db.stem}-review-cache"
        self.csrf = secrets.token_urlsafe(32)
        self.reviewer = reviewer or _user()
        self.env = Environment(loader=PackageLoader("pipeline.review", "templates"),
                               autoescape=select_autoescape(default=True, default_for_string=True),
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    @contextmanager
    def store(self) -> Iterator[Store]:
        # one connection per request: handlers run in a thread pool
        with Store.open(self.db, must_exist=True) as store:
            yield store

    def prewarm(self) -> None:
        """Read the text of scanned files not yet cached (OCR takes seconds a page), so
        their first view does not wait; run in a background thread by :func:`serve`."""
        with self.store() as store:
            rows = store.conn.execute(
                "SELECT id, path, sha256, format, json_extract(json, '$.source.normalized_text_sha256') AS text_sha"
                " FROM extractions WHERE superseded = 0 AND json_extract(json, '$.source.ocr')").fetchall()
        for r in rows:
            if not (self.cache / r["sha256"] / "text.json").is_file():
                source_lines(FileRow(r["id"], r["path"], r["sha256"], False), r["format"], r["text_sha"], self.cache)

    def page(self, name: str, http_status: int = 200, **ctx) -> HTMLResponse:
        html = self.env.get_template(name).render(csrf=self.csrf, reviewer=self.reviewer, STATUS_RU=STATUS_RU,
                                                  KIND_RU=KIND_RU, **ctx)
        return HTMLResponse(html, status_code=http_status, headers=_headers())


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in a container: ask in the page
        return ""


def _headers() -> dict[str, str]:
    return {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


# ------------------------------------------------------------------ pages


def _queue(rv: Review, request: Request) -> Response:
    q = request.query_params
    f = Filters(**{k: q.get(k, "")[:200] for k in ("region", "agency", "status", "warning", "q")})
    with rv.store() as store:
        rows = queue(store, f)
        opts = choices(store)
        orphans = Book(store).orphans()
    return rv.page("queue.html.j2", rows=rows, f=f, opts=opts, statuses=STATUSES, orphans=orphans)


def _load_doc(store: Store, row: int):
    r = store.conn.execute(
        "SELECT d.id, d.doc_id, d.extraction_id, e.path, e.superseded, e.json FROM documents d"
        " JOIN extractions e ON e.id = d.extraction_id WHERE d.id = ?", (row,)).fetchone()
    if r is None:
        return None
    ex = validate_extraction(r["json"], f"stored extraction {r['extraction_id']}")
    doc = next(d for d in ex.documents if d.id == r["doc_id"])
    return r, ex, doc


def _successor(store: Store, path: str, doc_id: str) -> int | None:
    r = store.conn.execute(
        "SELECT d.id FROM documents d JOIN extractions e ON e.id = d.extraction_id"
        " WHERE e.path = ? AND e.superseded = 0 AND d.doc_id = ? ORDER BY e.id DESC", (path, doc_id)).fetchone()
    return r["id"] if r else None


def _document(rv: Review, request: Request) -> Response:
    row = request.path_params["row"]
    with rv.store() as store:
        try:
            loaded = _load_doc(store, row)
        except PipelineError as exc:
            return _problem(rv, "Документ не читается", exc.one_line(), 500)
        if loaded is None:
            return _problem(rv, "Документа нет в хранилище", f"Документ №{row} не найден. Откройте очередь заново.", 404)
        r, ex, doc = loaded
        if r["superseded"] and request.query_params.get("history") != "1":
            nxt = _successor(store, r["path"], r["doc_id"])
            if nxt and nxt != row:
                return RedirectResponse(f"/doc/{nxt}", status_code=303)
        book = Book(store)
        f = book.file_row(r["extraction_id"])
        corrections = book.for_document(f, doc)
        ov = overlay_document(store, r["extraction_id"], doc, book, f)
        status = book.status(f.sha256, doc.id)
        src = source_lines(f, ex.source.format, ex.source.normalized_text_sha256, rv.cache)
    original = doc.model_dump(mode="json")
    sections = document_values(original, ov)
    values = flat(sections)
    data = {"row": row, "csrf": rv.csrf, "paged": src.paged, "pages": src.pages, "format": ex.source.format,
            "values": [v.js() for v in values],
            "addable": {k: {"title": FAMILIES[k].item, "fields": [editor_spec(fl) for fl in FAMILIES[k].fields]}
                        for k in FAMILIES if FAMILIES[k].can_add},
            "threshold_fields": [editor_spec(fl) for fl in FAMILIES["thresholds"].fields]}
    withdrawn = [c for c in corrections if c.state == "withdrawn"]
    return rv.page("doc.html.j2", ex=ex, doc=doc, m=doc.meta, row=row, src=src, sections=sections, data=data, status=status,
                   corrections=corrections_list(ov, withdrawn), superseded=bool(r["superseded"]),
                   undecided=sum(1 for x in ov.resolved if x.status in (STALE, ORPHANED)),
                   file_name=Path(r["path"]).name)


def _problem(rv: Review, title: str, message: str, status: int) -> Response:
    return rv.page("problem.html.j2", http_status=status, title=title, message=message)


def _open(rv: Review, request: Request) -> Response:
    q = request.query_params
    sha, doc_id, path = q.get("sha", ""), q.get("doc", "d1"), q.get("path", "")
    with rv.store() as store:
        r = store.conn.execute(
            "SELECT d.id FROM documents d JOIN extractions e ON e.id = d.extraction_id"
            " WHERE e.sha256 = ? AND d.doc_id = ? ORDER BY e.superseded, e.id DESC", (sha, doc_id)).fetchone()
    if r is None:
        return _problem(rv, "Документа нет в хранилище", "Ссылка указывает на файл, которого нет в хранилище.", 404)
    return RedirectResponse(f"/doc/{r['id']}" + (f"#v={quote(path)}" if path else ""), status_code=303)


def _by_content(rv: Review, request: Request) -> Response:
    """/doc/{sha256}/{doc_id}: a file by content hash (the report's links); the fragment
    (#v=<path> or #L<line>) is kept by the browser across the redirect."""
    sha, doc_id = request.path_params["sha"], request.path_params["doc_id"]
    with rv.store() as store:
        r = store.conn.execute(
            "SELECT d.id FROM documents d JOIN extractions e ON e.id = d.extraction_id"
            " WHERE e.sha256 = ? AND d.doc_id = ? ORDER BY e.superseded, e.id DESC", (sha, doc_id)).fetchone()
    if r is None:
        return _problem(rv, "Документа нет в хранилище", "Ссылка указывает на файл, которого нет в хранилище.", 404)
    return RedirectResponse(f"/doc/{r['id']}", status_code=303)


def _page_image(rv: Review, request: Request) -> Response:
    row, n = request.path_params["row"], request.path_params["n"]
    with rv.store() as store:
        r = store.conn.execute("SELECT d.extraction_id, e.format, json_extract(e.json, '$.source.ocr') AS ocr"
                               " FROM documents d JOIN extractions e ON e.id = d.extraction_id WHERE d.id = ?",
                               (row,)).fetchone()
        if r is None:
            return Response("нет такого документа", status_code=404, media_type="text/plain; charset=utf-8")
        f = Book(store).file_row(r["extraction_id"])
    img = page_image(f, r["format"], n, rv.cache, scan=bool(r["ocr"]))
    if img is None:
        return Response("страница недоступна", status_code=404, media_type="text/plain; charset=utf-8")
    return Response(img[0], media_type=img[1],
                    headers={"Cache-Control": "private, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff"})


# ------------------------------------------------------------------ API


def _guard(rv: Review, request: Request) -> Response | None:
    token = request.headers.get("x-csrf-token", "")
    if not hmac.compare_digest(token.encode(), rv.csrf.encode()):
        return JSONResponse({"error": "Нет или неверный CSRF-токен: обновите страницу"}, status_code=403)
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host"):
        return JSONResponse({"error": "Запрос с чужого сайта отклонён"}, status_code=403)
    return None


async def _body(request: Request) -> dict:
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise actions.ActionError("Ожидался JSON-объект")
    return body


def _reviewer(rv: Review, body: dict) -> str | None:
    name = str(body.get("reviewer") or "").strip()[:100]
    return name or rv.reviewer or None


async def _action(rv: Review, request: Request) -> Response:
    if (bad := _guard(rv, request)) is not None:
        return bad
    row = request.path_params["row"]
    try:
        body = await _body(request)
        with rv.store() as store:
            loaded = _load_doc(store, row)
            if loaded is None:
                return JSONResponse({"error": "Документ не найден"}, status_code=404)
            r, ex, doc = loaded
            book = Book(store)
            f = book.file_row(r["extraction_id"])
            ov = overlay_document(store, r["extraction_id"], doc, book, f)
            lines = []
            if body.get("action") == "add":
                lines = source_lines(f, ex.source.format, None, rv.cache).lines
            reviewer = _reviewer(rv, body)
            new, withdraw = actions.build(body, doc, ov, lines, reviewer)
            for cid in withdraw:
                book.withdraw(cid, reviewer)
            saved = [book.add(c, f, doc).id for c in new]
    except (actions.ActionError, ReviewError) as exc:
        return JSONResponse({"error": str(exc) if isinstance(exc, actions.ActionError) else exc.reason}, status_code=400)
    return JSONResponse({"ok": True, "saved": saved, "withdrawn": withdraw})


async def _status(rv: Review, request: Request) -> Response:
    if (bad := _guard(rv, request)) is not None:
        return bad
    row = request.path_params["row"]
    try:
        body = await _body(request)
        with rv.store() as store:
            r = store.conn.execute("SELECT d.doc_id, e.sha256 FROM documents d JOIN extractions e"
                                   " ON e.id = d.extraction_id WHERE d.id = ?", (row,)).fetchone()
            if r is None:
                return JSONResponse({"error": "Документ не найден"}, status_code=404)
            Book(store).set_status(r["sha256"], r["doc_id"], str(body.get("status")), _reviewer(rv, body))
    except (actions.ActionError, ReviewError) as exc:
        return JSONResponse({"error": str(exc) if isinstance(exc, actions.ActionError) else exc.reason}, status_code=400)
    return JSONResponse({"ok": True})


async def _decide(rv: Review, request: Request) -> Response:
    """withdraw: take a correction back; rebase: a stale correction applied to the value as extracted now."""
    if (bad := _guard(rv, request)) is not None:
        return bad
    cid, what = request.path_params["cid"], request.path_params["what"]
    try:
        body = await _body(request)
        reviewer = _reviewer(rv, body)
        with rv.store() as store:
            book = Book(store)
            c = book.get(cid)
            if what == "rebase":
                _rebase(store, book, c, int(body.get("row") or 0), reviewer)
            elif what == "withdraw":
                book.withdraw(cid, reviewer)
            else:
                return JSONResponse({"error": "Неизвестное решение"}, status_code=404)
    except (actions.ActionError, ReviewError) as exc:
        return JSONResponse({"error": str(exc) if isinstance(exc, actions.ActionError) else exc.reason}, status_code=400)
    return JSONResponse({"ok": True})


def _rebase(store: Store, book: Book, c: Correction, row: int, reviewer: str | None) -> None:
    loaded = _load_doc(store, row)
    if loaded is None:
        raise actions.ActionError("Документ не найден")
    r, ex, doc = loaded
    f = book.file_row(r["extraction_id"])
    ov = overlay_document(store, r["extraction_id"], doc, book, f)
    res = next((x for x in ov.resolved if x.correction.id == c.id), None)
    if res is None or res.status != STALE:
        raise actions.ActionError("Эта правка не устарела: решать нечего")
    if c.action == "edit":
        body = {"action": "edit", "path": res.target, "values": {"value": c.new} if res.target.startswith("meta.")
                else {res.target.rsplit(".", 1)[1]: c.new}, "comment": c.comment}
        body["path"] = res.target if res.target.startswith("meta.") else res.target.rsplit(".", 1)[0]
    else:
        body = {"action": c.action, "path": res.target, "comment": c.comment}
    new, _ = actions.build(body, doc, ov, [], reviewer)
    book.withdraw(c.id, reviewer)
    for x in new:
        book.add(x, f, doc)


# ------------------------------------------------------------------ app


def create_app(db: str | Path, cache: Path | None = None, allowed_hosts: list[str] | None = None,
               reviewer: str | None = None) -> Starlette:
    """The review application over the store ``db``."""
    rv = Review(Path(db), cache, reviewer)

    def page(fn):
        def endpoint(request: Request) -> Response:
            return fn(rv, request)
        return endpoint

    def api(fn):
        async def endpoint(request: Request) -> Response:
            return await fn(rv, request)
        return endpoint

    static = resources.files("pipeline.review").joinpath("static")
    routes = [
        Route("/", page(_queue)),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/doc/{row:int}", page(_document)),
        Route("/doc/{row:int}/page/{n:int}", page(_page_image)),
        Route("/doc/{sha:str}/{doc_id:str}", page(_by_content)),
        Route("/open", page(_open)),
        Route("/api/doc/{row:int}/action", api(_action), methods=["POST"]),
        Route("/api/doc/{row:int}/status", api(_status), methods=["POST"]),
        Route("/api/correction/{cid:int}/{what:str}", api(_decide), methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(static)), name="static"),
    ]
    hosts = allowed_hosts or ["127.0.0.1", "localhost", "[::1]", "::1"]
    app = Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts)],
                    exception_handlers={500: lambda req, exc: HTMLResponse(
                        rv.env.get_template("problem.html.j2").render(
                            csrf=rv.csrf, reviewer=rv.reviewer, STATUS_RU=STATUS_RU, KIND_RU=KIND_RU,
                            title="Ошибка", message=f"{type(exc).__name__}: {exc}"),
                        status_code=500, headers=_headers())})
    app.state.review = rv
    return app


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False,
          echo=print) -> None:
    """Run the application with uvicorn until interrupted."""
    import uvicorn

    loopback = host in LOOPBACK
    if not loopback:
        echo(f"warning: --host {host} is not loopback: anyone who can reach this machine can read and change "
             "the registry's corrections")
    app = create_app(db, allowed_hosts=None if loopback else ["*"])
    import threading

    threading.Thread(target=app.state.review.prewarm, daemon=True, name="review-prewarm").start()
    url = f"http://{'[::1]' if host == '::1' else host}:{port}/"
    echo(f"review workspace: {url} (store {db}; Ctrl+C stops)")
    if open_browser:
        import webbrowser

        threading.Timer(1.0, webbrowser.open, (url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")
