"""Run a read query on any SPARQL 1.1 endpoint through SPARQLWrapper.

Bindings travel as a trailing VALUES clause built from parsed RDF terms. The answer is parsed
back into pyoxigraph results, so it is printed by exactly the same code as an embedded run.
Imported only for --endpoint (SPARQLWrapper is slow to import).
"""

from __future__ import annotations

import re
import urllib.error

import pyoxigraph as ox

from coopkg.errors import CoopkgError
from coopkg.query import Query, check_read_only, values_clause

_GRAPH_FORMS = {"CONSTRUCT", "DESCRIBE"}


def _excerpt(body: bytes | str | None, limit: int = 120) -> str:
    """The first readable words of an error body (HTML tags removed), on one line."""
    if body is None:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    text = re.sub(r"<[^>]*>", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _response_body(exc: Exception) -> bytes | None:
    """SPARQLWrapper keeps the error body only inside its message, as a bytes repr."""
    import ast

    _, sep, tail = str(exc).partition("Response:\n")
    if not sep:
        return None
    try:
        return ast.literal_eval(tail)
    except (ValueError, SyntaxError):
        return tail.encode("utf-8")


def run(url: str, query: Query, *, timeout: float = 30.0):
    """QuerySolutions, QueryBoolean or a list of Triples from the endpoint at url."""
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper import SPARQLExceptions as sx

    from coopkg.gsp import check_http_url

    check_http_url(url, "--endpoint")  # the same check and message as `coopkg load`
    check_read_only(query)
    if not timeout > 0:
        raise CoopkgError(f"--timeout must be a positive number of seconds, not {timeout:g}")
    graph_form = query.form in _GRAPH_FORMS
    wrapper = SPARQLWrapper(url)
    wrapper.setQuery(query.text + values_clause(query.bindings))
    wrapper.setMethod(POST)
    # setTimeout() truncates to int (0.5 s would become "no timeout"): set the float itself.
    wrapper.timeout = timeout
    wrapper.setOnlyConneg(True)  # no format=/output= parameters: plain SPARQL 1.1 protocol
    wrapper.setReturnFormat(TURTLE if graph_form else JSON)
    status = {
        sx.QueryBadFormed: 400,
        sx.Unauthorized: 401,
        sx.EndPointNotFound: 404,
        sx.URITooLong: 414,
        sx.EndPointInternalError: 500,
    }
    try:
        response = wrapper.query().response
        body = response.read()
        content_type = response.headers.get("Content-Type", "")
    except tuple(status) as exc:
        detail = _excerpt(_response_body(exc))
        code = status[type(exc)]
        raise CoopkgError(f"{url}: HTTP {code}" + (f": {detail}" if detail else "")) from exc
    except urllib.error.HTTPError as exc:
        raise CoopkgError(f"{url}: HTTP {exc.code}: {_excerpt(exc.read()) or exc.reason}") from exc
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
    return parse_answer(url, body, content_type, graph_form)


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
