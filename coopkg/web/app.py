"""The web application `coopkg serve` runs (Starlette under uvicorn).

Paths (the same as the static site's, so a page's links work in both):
    /id/{slug}, /ontology   the things' IRIs: 303 See Other to their description, by Accept
                            (or ?format=html|ttl|jsonld|nt, ?lang=vi|en)
    /doc/{slug}.html        the page in Vietnamese; .en.html in English; .ttl .jsonld .nt data
    /doc/ontology.*         the ontology (its terms are hash IRIs: #Commitment)
    /, /index.en.html       home page; /queries/{name}.html a named query's results
    /search?q=              search by label, with or without diacritics
    /query                  the read-only SPARQL endpoint (GET or POST); in a browser, the editor
    /update, /store         refused: 403, the server is read-only
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from coopkg import paths
from coopkg.web import pages as pages_mod
from coopkg.web import rdf, sparql
from coopkg.web.describe import KG, ONTOLOGY, SLUG, Graph

READ_ONLY = "The server is read-only"
MAX_BODY = 1 << 20  # a SPARQL query larger than 1 MiB is refused (413)
HTML_TYPES = ("text/html", "application/xhtml+xml")
DATA_TYPES = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/n-triples": "nt",
    "text/plain": "nt",
}
DOC_NAME = re.compile(
    r"^(?P<slug>[a-z0-9][a-z0-9._-]*?)(?:\.(?P<lang>en|vi))?\.(?P<ext>html|ttl|jsonld|nt)$"
)


def accepted(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (q=0 dropped; order kept on ties)."""
    if not header:
        return [("*/*", 1.0)]
    found = []
    for i, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            if param.lower().startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            found.append((media, q, i))
    found.sort(key=lambda m: (-m[1], m[2]))
    return [(m, q) for m, q, _ in found]


def negotiate(header: str | None, offers: dict[str, str]) -> str | None:
    """The offer (a key of `offers` values) that the Accept header prefers, or None."""
    for media, _ in accepted(header):
        if media in offers:
            return offers[media]
        if media == "*/*" or media == "text/*":
            return offers.get("*/*")
        if media.endswith("/*"):
            kind = media[:-1]
            for offer, value in offers.items():
                if offer.startswith(kind):
                    return value
    return None


def description_offers() -> dict[str, str]:
    offers = {t: "html" for t in HTML_TYPES}
    offers.update(DATA_TYPES)
    offers["*/*"] = "html"
    return offers


def create_app(
    graph: Graph,
    pool: sparql.Pool | None = None,
    *,
    timing: bool = True,
    yasgui_dir: Path | None = None,
) -> Starlette:
    """The application over one Graph; pool (when given) answers the SPARQL endpoint;
    yasgui_dir (when given) holds Oxigraph's query page assets, served at /yasgui."""
    site = pages_mod.Pages(graph, static=False, endpoint="/query" if pool else None)
    site.yasgui = bool(pool and yasgui_dir)

    def lang_of(request: Request) -> str:
        lang = request.query_params.get("lang", pages_mod.DEFAULT_LANG)
        return lang if lang in pages_mod.LANGS else pages_mod.DEFAULT_LANG

    def html(text: str, status: int = 200, started=None) -> HTMLResponse:
        """An HTML response; with started = (perf_counter, thread_time) at the start of the
        work, a Server-Timing header gives its wall time and its CPU time (this thread's)."""
        response = HTMLResponse(text, status_code=status)
        if started is not None and timing:
            wall = (time.perf_counter() - started[0]) * 1000
            cpu = (time.thread_time() - started[1]) * 1000
            response.headers["Server-Timing"] = f"render;dur={wall:.2f}, cpu;dur={cpu:.2f}"
        return response

    def not_found(request: Request, iri: str = "") -> Response:
        want = negotiate(request.headers.get("accept"), description_offers())
        if want == "html" or want is None:
            return html(site.not_found(lang_of(request), iri or str(request.url.path)), 404)
        return PlainTextResponse(f"not found: {iri or request.url.path}\n", status_code=404)

    def see_other(request: Request, iri: str) -> Response:
        """303 from a thing's IRI to its description in the format the client wants."""
        chosen = request.query_params.get("format")
        if chosen is not None:
            if chosen not in ("html", "ttl", "jsonld", "nt"):
                return PlainTextResponse(
                    f"unknown format {chosen!r}: use html, ttl, jsonld or nt\n", status_code=400
                )
        else:
            chosen = negotiate(request.headers.get("accept"), description_offers())
        if chosen is None:
            return PlainTextResponse(
                "not acceptable: this resource is available as text/html, text/turtle, "
                "application/ld+json and application/n-triples\n",
                status_code=406,
                headers={"Vary": "Accept"},
            )
        if not graph.has_page(iri):
            return not_found(request, iri)
        lang = lang_of(request)
        path = pages_mod.doc_path(iri, lang, chosen).split("#")[0]
        return Response(
            status_code=303,
            headers={"Location": "/" + path, "Vary": "Accept", "Cache-Control": "max-age=3600"},
        )

    def thing(request: Request) -> Response:
        slug = request.path_params["slug"]
        if not SLUG.match(slug) or ".." in slug:
            return not_found(request, KG + slug)
        return see_other(request, KG + slug)

    def ontology(request: Request) -> Response:
        return see_other(request, ONTOLOGY)

    def document(request: Request) -> Response:
        started = (time.perf_counter(), time.thread_time())
        match = DOC_NAME.match(request.path_params["name"])
        if not match:
            return not_found(request)
        slug, lang, ext = match["slug"], match["lang"] or "vi", match["ext"]
        if ext != "html" and match["lang"]:
            return not_found(request)
        if lang == pages_mod.DEFAULT_LANG and match["lang"]:
            return not_found(request)  # Vietnamese is doc/x.html, not doc/x.vi.html
        iri = ONTOLOGY if slug == "ontology" else KG + slug
        if not graph.has_page(iri):
            return not_found(request, iri)
        if ext == "html":
            text = site.ontology(lang) if iri == ONTOLOGY else site.entity(iri, lang)
            return html(text, started=started)
        triples = graph.ontology_description() if iri == ONTOLOGY else graph.description(iri)
        return Response(rdf.serialize(triples, ext), media_type=rdf.FORMATS[ext][0])

    def home(request: Request) -> Response:
        started = (time.perf_counter(), time.thread_time())
        name = request.path_params.get("name", "index.html")
        if name not in ("index.html", "index.en.html"):
            return not_found(request)
        lang = "en" if name == "index.en.html" or lang_of(request) == "en" else "vi"
        return html(site.home(lang), started=started)

    def named_query(request: Request) -> Response:
        started = (time.perf_counter(), time.thread_time())
        match = re.match(r"^([a-z0-9][a-z0-9-]*?)(\.en)?\.html$", request.path_params["name"])
        if not match:
            return not_found(request)
        text = site.query_page(match[1], "en" if match[2] else "vi")
        if text is None:
            return not_found(request)
        return html(text, started=started)

    def search(request: Request) -> Response:
        started = (time.perf_counter(), time.thread_time())
        q = request.query_params.get("q", "")[:200]
        return html(site.search(q, lang_of(request)), started=started)

    async def query(request: Request) -> Response:
        if pool is None:
            return PlainTextResponse("no SPARQL endpoint on this server\n", status_code=404)
        text = None
        if request.method == "GET":
            text = request.query_params.get("query")
            if "update" in request.query_params:
                return PlainTextResponse(READ_ONLY, status_code=403)
        else:
            body = await request.body()
            if len(body) > MAX_BODY:
                return PlainTextResponse("query too large\n", status_code=413)
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-query":
                text = body.decode("utf-8", errors="replace")
            elif ctype == "application/x-www-form-urlencoded":
                form = parse_qs(body.decode("utf-8", errors="replace"))
                if "update" in form:
                    return PlainTextResponse(READ_ONLY, status_code=403)
                text = (form.get("query") or [None])[0]
            elif ctype == "application/sparql-update":
                return PlainTextResponse(READ_ONLY, status_code=403)
            else:
                return PlainTextResponse(
                    "send the query as application/sparql-query or as a form field 'query'\n",
                    status_code=415,
                )
        accept = request.headers.get("accept")
        browser = negotiate(accept, {"text/html": "html", "application/xhtml+xml": "html"})
        wants_html = browser == "html" and not any(
            m in sparql.SELECT_TYPES or m in sparql.GRAPH_TYPES for m, _ in accepted(accept)[:1]
        )
        lang = lang_of(request)
        if text is None:
            if wants_html or request.method == "GET":
                return html(site.editor(lang))
            return PlainTextResponse("no query given\n", status_code=400)
        try:
            sparql.check(text)
        except sparql.Refused as refused:
            if wants_html:
                return html(site.editor(lang, text, error=refused.message), refused.status)
            return PlainTextResponse(refused.message + "\n", status_code=refused.status)
        if wants_html:
            answer = await pool.aquery(text, {"select": "json", "graph": "ttl"})
            if answer.status != 200:
                return html(site.editor(lang, text, error=answer.body.decode()), answer.status)
            return html(site.editor(lang, text, result=_table(answer, lang), error=""))
        want = {
            "select": negotiate(accept, {**sparql.SELECT_TYPES, "*/*": "json"}) or "json",
            "graph": negotiate(accept, {**sparql.GRAPH_TYPES, "*/*": "ttl"}) or "ttl",
        }
        answer = await pool.aquery(text, want)
        headers = {"Coopkg-Truncated": "true"} if answer.truncated else {}
        return Response(
            answer.body, status_code=answer.status, media_type=answer.media, headers=headers
        )

    def _table(answer: sparql.Answer, lang: str) -> dict:
        import json

        if answer.media.startswith("text/turtle"):
            text = answer.body.decode("utf-8")
            return {
                "vars": ["turtle"],
                "rows": [[_literal(text)]],
                "truncated": answer.truncated,
                "error": "",
            }
        data = json.loads(answer.body)
        if "boolean" in data:
            return {
                "vars": ["boolean"],
                "rows": [[data["boolean"]]],
                "truncated": False,
                "error": "",
            }
        names = data["head"]["vars"]
        rows = []
        for binding in data["results"]["bindings"]:
            row = []
            for n in names:
                cell = binding.get(n)
                if cell is None:
                    row.append(None)
                elif cell["type"] == "uri":
                    row.append(graph.value(_named(cell["value"]), lang))
                else:
                    row.append(_literal(cell["value"], cell.get("xml:lang", "")))
            rows.append(row)
        return {"vars": names, "rows": rows, "truncated": answer.truncated, "error": ""}

    def read_only(request: Request) -> Response:
        return PlainTextResponse(READ_ONLY, status_code=403)

    async def not_found_handler(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            return not_found(request)
        return PlainTextResponse(str(exc.detail), status_code=exc.status_code)

    static_dir = paths.package_file("web") / "static"
    methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]
    routes = [
        Route("/", home),
        Route("/id/{slug:path}", thing),
        Route("/ontology", ontology),
        Route("/doc/{name:str}", document),
        Route("/queries/{name:str}", named_query),
        Route("/search", search),
        Route("/query", query, methods=["GET", "HEAD", "POST"]),
        Route("/update", read_only, methods=methods),
        Route("/store", read_only, methods=["PUT", "POST", "DELETE", "PATCH"]),
        Mount("/static", app=StaticFiles(directory=str(static_dir)), name="static"),
    ]
    if site.yasgui:
        from coopkg.web import yasgui

        routes += [
            Route("/yasgui", lambda request: HTMLResponse(yasgui.PAGE)),
            Mount("/yasgui-assets", app=StaticFiles(directory=str(yasgui_dir)), name="yasgui"),
        ]
    routes += [
        Route("/{name:str}", home),  # index.html, index.en.html (last: it matches any name)
    ]
    # Linked data is read by other sites' scripts too: any origin may GET (and POST queries);
    # no credentials are involved, and the server is read-only.
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Accept", "Content-Type"],
            expose_headers=["Coopkg-Truncated", "Location"],
        )
    ]
    app = Starlette(
        routes=routes, middleware=middleware, exception_handlers={404: not_found_handler}
    )
    app.state.graph = graph
    return app


def _named(iri: str):
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def _literal(text: str, lang: str = ""):
    from coopkg.web.describe import Value

    return Value("literal", text, lang=lang)
