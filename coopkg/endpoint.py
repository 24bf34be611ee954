"""Run a read query on any SPARQL 1.1 endpoint through SPARQLWrapper.

Bindings travel as a VALUES block built from parsed RDF terms (coopkg.query.with_bindings).
The dataset is named with the SPARQL Protocol's ``default-graph-uri`` (the project graph by
default), so stores whose default graph is not the union of the named graphs answer in full.
Credentials are those of ``coopkg load`` (COOPKG_USER/COOPKG_PASSWORD, ~/.netrc), negotiated
before the query is sent. The answer is parsed back into pyoxigraph results, with booleans in
their canonical form (Virtuoso writes ``"1"^^xsd:boolean``), so it is printed by exactly the
same code as an embedded run. Imported only for --endpoint (SPARQLWrapper is slow to import).
"""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox

from coopkg.errors import CoopkgError, excerpt
from coopkg.query import Query, check_read_only, with_bindings

_GRAPH_FORMS = {"CONSTRUCT", "DESCRIBE"}
EXCERPT_CHARS = 119  # of an error page's text quoted in a message, then "…"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_CANONICAL_BOOLEAN = {"1": "true", "0": "false", "true": "true", "false": "false"}


class Answer:
    """An endpoint's answer: the result, its row count (None for ASK and graphs) and the
    default graph the query asked for (None: the endpoint's own default graph)."""

    def __init__(self, result, rows: int | None, graph: str | None) -> None:
        self.result = result
        self.rows = rows
        self.graph = graph

    def hint(self, url: str) -> str | None:
        """One line for stderr when a remote SELECT found nothing: which graph it asked."""
        if self.rows != 0:
            return None
        if self.graph is None:
            return (
                f"note: 0 rows from {url}, asked with no default-graph-uri (--union): "
                "the endpoint's own default graph; --graph IRI names the dataset graph"
            )
        return (
            f"note: 0 rows from {url}, asked with default-graph-uri <{self.graph}>; "
            "is the dataset loaded into that graph? (--graph IRI asks another, --union none)"
        )


class _KeepErrorBody(urllib.request.BaseHandler):
    """Keeps an error response's status, headers and body on the HTTPError itself.

    SPARQLWrapper reads the body of an HTTPError into the message of its own exception and
    raises that from inside its ``except HTTPError`` block, so the HTTPError stays reachable as
    the exception's ``__context__``; with the body kept on it, the status and body are read
    from there, never parsed back out of a message.
    """

    handler_order = 100  # before urllib's default error handler

    def http_error_default(self, req, fp, code, msg, hdrs):
        body = fp.read() if fp is not None else b""
        error = urllib.error.HTTPError(req.full_url, code, msg, hdrs, io.BytesIO(body))
        error.body = body
        raise error


def _http_error(exc: BaseException) -> urllib.error.HTTPError | None:
    seen = exc
    while seen is not None:
        if isinstance(seen, urllib.error.HTTPError):
            return seen
        seen = seen.__context__
    return None


def run(url: str, query: Query, *, timeout: float = 30.0, graph: str | None = None):
    """QuerySolutions, QueryBoolean or a list of Triples from the endpoint at url."""
    return ask(url, query, timeout=timeout, graph=graph).result


def ask(url: str, query: Query, *, timeout: float = 30.0, graph: str | None = None) -> Answer:
    """Run the query at url with default-graph-uri=graph (None: none sent)."""
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper import SPARQLExceptions as sx

    from coopkg import gsp

    gsp.check_http_url(url, "--endpoint")  # the same check and message as `coopkg load`
    check_read_only(query)
    if not timeout > 0:
        raise CoopkgError(f"--timeout must be a positive number of seconds, not {timeout:g}")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CoopkgError(f"{url}: not an http:// or https:// URL with a host (--endpoint)")
    graph_form = query.form in _GRAPH_FORMS
    wrapper = SPARQLWrapper(url)
    wrapper.setQuery(with_bindings(query.text, query.bindings))
    wrapper.setMethod(POST)
    if graph is not None:
        wrapper.addDefaultGraph(graph)
    # setTimeout() truncates to int (0.5 s would become "no timeout"): set the float itself.
    wrapper.timeout = timeout
    wrapper.setOnlyConneg(True)  # no format=/output= parameters: plain SPARQL 1.1 protocol
    wrapper.setReturnFormat(TURTLE if graph_form else JSON)
    # A wrong password is reported here (HTTP 401), before the query is sent.
    authorization = gsp.negotiated_authorization("POST", url, timeout)
    if authorization is not None:
        wrapper.addCustomHttpHeader("Authorization", authorization)
    urllib.request.install_opener(urllib.request.build_opener(_KeepErrorBody()))
    try:
        response = wrapper.query().response
        body = response.read()
        content_type = response.headers.get("Content-Type", "")
    except (sx.SPARQLWrapperException, urllib.error.HTTPError) as exc:
        error = _http_error(exc)
        if error is None:
            raise CoopkgError(f"{url}: {exc.__class__.__name__}") from exc
        detail = excerpt(getattr(error, "body", b""), EXCERPT_CHARS, markup=True) or error.reason
        raise CoopkgError(f"{url}: HTTP {error.code}: {detail}") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise CoopkgError(f"{url}: no answer within {timeout:g} s (--timeout)") from exc
        text = getattr(reason, "strerror", None) or str(reason)
        raise CoopkgError(f"{url}: cannot connect: {text}") from exc
    except TimeoutError as exc:
        raise CoopkgError(f"{url}: no answer within {timeout:g} s (--timeout)") from exc
    except (OSError, ValueError) as exc:
        raise CoopkgError(f"{url}: {exc}") from exc
    result = parse_answer(url, body, content_type, graph_form)
    if isinstance(result, ox.QuerySolutions):
        result, rows = canonical_solutions(result)
        return Answer(result, rows, graph)
    if isinstance(result, list):
        return Answer([canonical_triple(t) for t in result], None, graph)
    return Answer(result, None, graph)


def canonical_solutions(result: ox.QuerySolutions) -> tuple[ox.QuerySolutions, int]:
    """The same solutions with xsd:boolean literals in canonical form, and their count."""
    out = io.BytesIO()
    result.serialize(out, ox.QueryResultsFormat.JSON)
    document = json.loads(out.getvalue())
    bindings = document.get("results", {}).get("bindings", [])
    for row in bindings:
        for term in row.values():
            if term.get("datatype") == XSD_BOOLEAN and term.get("value") in _CANONICAL_BOOLEAN:
                term["value"] = _CANONICAL_BOOLEAN[term["value"]]
    data = json.dumps(document).encode("utf-8")
    return ox.parse_query_results(data, ox.QueryResultsFormat.JSON), len(bindings)


def canonical_triple(triple: ox.Triple) -> ox.Triple:
    term = triple.object
    if isinstance(term, ox.Literal) and term.datatype.value == XSD_BOOLEAN:
        value = _CANONICAL_BOOLEAN.get(term.value)
        if value is not None and value != term.value:
            return ox.Triple(
                triple.subject, triple.predicate, ox.Literal(value, datatype=term.datatype)
            )
    return triple


def parse_answer(url: str, body: bytes, content_type: str, graph_form: bool):
    """Parse the endpoint's answer with pyoxigraph, or say in one line that it is not results."""
    media = content_type.split(";")[0].strip()
    try:
        if graph_form:
            fmt = ox.RdfFormat.from_media_type(media) if media else None
            if fmt is None:
                raise ValueError
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, fmt)]
        fmt = ox.QueryResultsFormat.from_media_type(media) if media else None
        if fmt is None:
            raise ValueError
        return ox.parse_query_results(body, fmt)
    except (SyntaxError, ValueError) as exc:
        what = "RDF" if graph_form else "SPARQL results"
        shown = media or "no Content-Type"
        raise CoopkgError(f"{url}: HTTP 200 but the answer is not {what} ({shown})") from exc
