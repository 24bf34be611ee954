"""Write a graph to a SPARQL server through the SPARQL 1.1 Graph Store HTTP Protocol, safely.

Two modes (docs/stores.md says what each guarantees):

- with an update endpoint: the data goes to a fresh temporary graph (``urn:uuid:…``) first and
  then replaces (``MOVE``) or extends (``ADD`` + ``DROP``) the target graph in ONE SPARQL Update
  request, so a refused or cut upload never touches the target; the temporary graph is dropped
  on failure.
- without one: one plain ``PUT`` (replace) or ``POST`` (append) to the target graph; the target
  is then only as safe as the server makes a single request.

Only urllib is used (no extra dependency). Every network call has a timeout. Credentials come
from COOPKG_USER/COOPKG_PASSWORD or ~/.netrc, never from the command line.
"""

from __future__ import annotations

import http.client
import json
import netrc
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

from coopkg.errors import CoopkgError, excerpt

DEFAULT_TIMEOUT_S = 60.0
EXCERPT_CHARS = 200
# N-Triples is a subset of Turtle, and text/turtle is what every GSP server accepts.
TURTLE = "text/turtle; charset=utf-8"


class HttpStatusError(CoopkgError):
    """The server answered with an HTTP error status (it received the whole request)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class UnreachableError(CoopkgError):
    """The connection was refused: the request never reached the server."""


@dataclass(frozen=True)
class LoadResult:
    """What a load did: where, how, how many triples were sent and (if verified) read back."""

    graph: str
    method: str  # "PUT" (replace) or "POST" (append)
    atomic_via_update: bool  # True when a temporary graph and one SPARQL Update were used
    triples_sent: int
    triples_read_back: int | None


# --- credentials and HTTP -------------------------------------------------------------------


def credentials(url: str) -> tuple[str, str] | None:
    """(user, password) for url from COOPKG_USER/COOPKG_PASSWORD, else ~/.netrc, else None."""
    user = os.environ.get("COOPKG_USER")
    password = os.environ.get("COOPKG_PASSWORD")
    if user is not None or password is not None:
        if not user or password is None:
            raise CoopkgError("set both COOPKG_USER and COOPKG_PASSWORD, or neither")
        return user, password
    host = urllib.parse.urlsplit(url).hostname or ""
    path = os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(host)
    except netrc.NetrcParseError as exc:
        raise CoopkgError(f"{exc.filename}:{exc.lineno}: {exc.msg}") from exc
    except OSError as exc:
        raise CoopkgError(f"{path}: {exc.strerror or exc}") from exc
    if entry is None:
        return None
    login, _account, secret = entry
    return login, secret or ""


def _opener(url: str) -> urllib.request.OpenerDirector:
    """An opener that answers Basic and Digest challenges (Virtuoso uses Digest) if we have
    credentials for url's host."""
    found = credentials(url)
    if found is None:
        return urllib.request.build_opener()
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, url, *found)
    return urllib.request.build_opener(
        urllib.request.HTTPBasicAuthHandler(manager),
        urllib.request.HTTPDigestAuthHandler(manager),
    )


def _send(
    method: str,
    url: str,
    *,
    data: bytes | None,
    headers: dict[str, str],
    timeout: float,
) -> bytes:
    """One HTTP request; the response body, or a one-line CoopkgError naming URL and status.

    A request with a body is authorised before the body leaves: see negotiated_authorization()."""
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    if data is not None:
        authorization = negotiated_authorization(method, url, timeout)
        if authorization is not None:
            request.add_unredirected_header("Authorization", authorization)
    try:
        with _opener(url).open(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        raise _status_error(method, url, exc) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise _no_answer(method, url, exc, timeout) from exc


def _no_answer(method: str, url: str, exc: Exception, timeout: float) -> CoopkgError:
    """A request that got no HTTP answer, as one line; an UnreachableError when the connection
    was refused (the request never reached the server)."""
    cause = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    error = UnreachableError if isinstance(cause, ConnectionRefusedError) else CoopkgError
    return error(f"{method} {url}: {_reason(cause, timeout)}")


def _status_error(method: str, url: str, exc: urllib.error.HTTPError) -> HttpStatusError:
    try:
        body = exc.read()
    except (OSError, http.client.HTTPException):
        body = b""
    detail = f": {excerpt(body, EXCERPT_CHARS)}" if body.strip() else ""
    return HttpStatusError(f"{method} {url}: HTTP {exc.code} {exc.reason}{detail}", exc.code)


def negotiated_authorization(method: str, url: str, timeout: float) -> str | None:
    """The Authorization header for a request with a body, negotiated without sending the body.

    Sending a large body with a first, unauthenticated request makes some servers (Virtuoso
    with Digest) close the connection after their 401 while the body is still being written:
    the client sees a broken pipe instead of an answer. So, when credentials are known: a
    HEAD request without credentials fetches the challenge; a HEAD request with the answer to
    it checks the credentials (a wrong password is reported as the server's 401 and the body
    is never sent); the real request then carries its own answer to the same challenge.
    No challenge (the server does not ask for credentials): None, the body goes as it is.
    """
    found = credentials(url)
    if found is None:
        return None
    challenge = _challenge(url, None, timeout)
    if challenge is None:
        return None
    answer = _Answer(url, found, challenge)
    refused = _challenge(url, answer.header("HEAD"), timeout)
    if refused is not None:
        raise HttpStatusError(
            f"{method} {url}: HTTP 401 Unauthorized: the server refused the credentials "
            f"for user {found[0]!r} (from {_credentials_source(url)}); the request was not sent",
            401,
        )
    return answer.header(method)


def _credentials_source(url: str) -> str:
    if os.environ.get("COOPKG_USER") is not None:
        return "COOPKG_USER/COOPKG_PASSWORD"
    return "~/.netrc"


def _challenge(url: str, authorization: str | None, timeout: float) -> str | None:
    """HEAD url (with authorization, if given): the WWW-Authenticate challenge of a 401, or
    None for any other answer (the server did not ask for, or accepted, the credentials)."""
    headers = {"Authorization": authorization} if authorization else {}
    request = urllib.request.Request(url, headers=headers, method="HEAD")
    plain = urllib.request.build_opener()
    try:
        with plain.open(request, timeout=timeout):
            return None
    except urllib.error.HTTPError as exc:
        if exc.code != 401:
            return None  # HEAD not allowed, not found, ...: the real request will tell
        offered = exc.headers.get_all("WWW-Authenticate") or []
        # Digest first when a server offers both: it does not send the password itself.
        offered.sort(key=lambda c: not c.strip().lower().startswith("digest"))
        return offered[0] if offered else None
    except (OSError, http.client.HTTPException) as exc:
        raise _no_answer("HEAD", url, exc, timeout) from exc


class _Answer:
    """Authorization headers answering one Basic or Digest challenge, one per request
    (Digest counts its requests: nc=1, 2, ... on the same nonce)."""

    def __init__(self, url: str, found: tuple[str, str], challenge: str) -> None:
        self.url = url
        self.user, self.password = found
        scheme, _, rest = challenge.strip().partition(" ")
        self.scheme = scheme.lower()
        if self.scheme not in ("basic", "digest"):
            raise CoopkgError(
                f"{url}: the server asks for {scheme} authentication; "
                "coopkg answers Basic and Digest only"
            )
        items = urllib.request.parse_http_list(rest)
        self.challenge = urllib.request.parse_keqv_list([i for i in items if "=" in i])
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, self.user, self.password)
        self._digest = urllib.request.HTTPDigestAuthHandler(manager)

    def header(self, method: str) -> str:
        if self.scheme == "basic":
            import base64

            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
            return f"Basic {token}"
        request = urllib.request.Request(self.url, method=method)
        value = self._digest.get_authorization(request, self.challenge)
        if value is None:
            raise CoopkgError(f"{self.url}: cannot answer the server's Digest challenge")
        return f"Digest {value}"


def _reason(exc: object, timeout: float) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g} s (timeout)"
    if isinstance(exc, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError):
        return f"connection closed before the server answered ({exc.__class__.__name__})"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or exc.__class__.__name__


# --- Graph Store Protocol -------------------------------------------------------------------


def graph_url(store_url: str, graph: str) -> str:
    """The GSP URL for one named graph: store_url?graph=<IRI> (indirect identification)."""
    parts = urllib.parse.urlsplit(store_url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in query if k not in ("graph", "default")]
    query.append(("graph", graph))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def put_graph(store_url: str, graph: str, data: bytes, *, append: bool, timeout: float) -> None:
    """PUT (replace) or POST (append) Turtle to one named graph."""
    _send(
        "POST" if append else "PUT",
        graph_url(store_url, graph),
        data=data,
        headers={"Content-Type": TURTLE},
        timeout=timeout,
    )


def read_graph(store_url: str, graph: str, *, timeout: float = DEFAULT_TIMEOUT_S) -> bytes:
    """GET one named graph as N-Triples."""
    return _send(
        "GET",
        graph_url(store_url, graph),
        data=None,
        headers={"Accept": "application/n-triples"},
        timeout=timeout,
    )


def update(update_url: str, sparql: str, *, timeout: float) -> None:
    """Run one SPARQL Update request (form-encoded: the widest-supported way)."""
    _send(
        "POST",
        update_url,
        data=urllib.parse.urlencode({"update": sparql}).encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=timeout,
    )


def count_triples(query_url: str, graph: str, *, timeout: float) -> int:
    """The number of triples in a named graph, asked of a SPARQL query endpoint."""
    sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{_iri(graph)}> {{ ?s ?p ?o }} }}"
    body = _send(
        "POST",
        query_url,
        data=urllib.parse.urlencode({"query": sparql}).encode("ascii"),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
        timeout=timeout,
    )
    try:
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise CoopkgError(
            f"POST {query_url}: unexpected count answer: {excerpt(body, EXCERPT_CHARS)}"
        ) from exc


def check_http_url(url: str, what: str) -> None:
    """Refuse anything but an http(s) URL with a host, before any request is made."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        # "127.0.0.1:7878/query" or "localhost/sparql": a host without its scheme.
        host_like = re.match(r"^[A-Za-z0-9][\w.-]*(:\d+)?(/\S*)?$", url) and (
            ":" in url or "/" in url or "." in url
        )
        hint = f"; did you mean 'http://{url}'?" if host_like else ""
        raise CoopkgError(f"{what} {url!r}: not an http:// or https:// URL with a host{hint}")


def check_graph_iri(iri: str) -> str:
    """A graph IRI safe to send (rejects characters SPARQL forbids between < >)."""
    return _iri(iri)


def _iri(iri: str) -> str:
    """An IRI safe to put between < > in SPARQL (rejects characters SPARQL forbids there)."""
    if not iri or any(c in iri for c in '<>"{}|^`\\') or any(ord(c) <= 0x20 for c in iri):
        raise CoopkgError(f"not a valid graph IRI: {iri!r}")
    return iri


# --- the safe load --------------------------------------------------------------------------


def load(
    data: bytes,
    triples: int,
    *,
    store_url: str,
    graph: str,
    append: bool = False,
    update_url: str | None = None,
    query_url: str | None = None,
    verify: bool | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> LoadResult:
    """Write `data` (Turtle holding `triples` triples) to `graph` on a GSP server.

    verify=None means: verify when a query endpoint is known.
    """
    graph = _iri(graph)
    for option, url in (
        ("URL", store_url),
        ("--update-endpoint", update_url),
        ("--endpoint", query_url),
    ):
        if url is not None:
            check_http_url(url, option)
    if verify is None:
        verify = query_url is not None
    if verify and query_url is None:
        raise CoopkgError("--verify needs a query endpoint (--endpoint URL)")
    if update_url is not None:
        _load_via_temporary_graph(data, store_url, graph, append, update_url, timeout)
    else:
        try:
            put_graph(store_url, graph, data, append=append, timeout=timeout)
        except UnreachableError:
            raise  # nothing reached the server
        except HttpStatusError as exc:
            if exc.status == 401:  # refused before anything was sent
                raise
            raise CoopkgError(f"{exc.message} ({_read_back(store_url, graph, timeout)})") from exc
        except CoopkgError as exc:
            raise CoopkgError(f"{exc.message} ({_read_back(store_url, graph, timeout)})") from exc
    read_back = count_triples(query_url, graph, timeout=timeout) if verify else None
    if read_back is not None and not append and read_back != triples:
        raise CoopkgError(
            f"{query_url}: graph <{graph}> holds {read_back} triples after the load, "
            f"but {triples} were sent"
        )
    method = "POST" if append else "PUT"
    return LoadResult(graph, method, update_url is not None, triples, read_back)


def load_store(store, **options) -> LoadResult:
    """`load` of a pyoxigraph store whose triples are all in its default graph: sent as
    N-Triples, with the store's size as the count to read back. `options` are load's."""
    import pyoxigraph as ox

    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return load(data, len(store), **options)


def _load_via_temporary_graph(
    data: bytes, store_url: str, graph: str, append: bool, update_url: str, timeout: float
) -> None:
    temporary = f"urn:uuid:{uuid.uuid4()}"
    # One request, so a transactional server applies it at once. SILENT: Virtuoso refuses to
    # DROP a graph that was "never explicitly created" (as one made by a GSP PUT is), and would
    # then have applied the ADD before failing, so a plain DROP could fail after the change.
    if append:
        switch = f"ADD <{temporary}> TO <{graph}> ;\nDROP SILENT GRAPH <{temporary}>"
    else:
        switch = f"MOVE <{temporary}> TO <{graph}>"
    before = _triples_in(store_url, graph, timeout)
    switch_sent = False
    try:
        put_graph(store_url, temporary, data, append=False, timeout=timeout)
        switch_sent = True
        update(update_url, switch, timeout=timeout)
    except CoopkgError as exc:
        try:
            update(update_url, f"DROP SILENT GRAPH <{temporary}>", timeout=timeout)
            dropped = ""
        except CoopkgError:
            dropped = f"; temporary graph <{temporary}> could not be dropped"
        state = _what_happened(store_url, graph, before, switch_sent, timeout)
        raise CoopkgError(f"{exc.message} ({state}{dropped})") from exc


def _triples_in(store_url: str, graph: str, timeout: float) -> list[bytes] | None:
    """The graph's triples as sorted N-Triples lines, read back over GSP (none when the server
    has no such graph; None when it cannot be read)."""
    try:
        body = read_graph(store_url, graph, timeout=timeout)
    except HttpStatusError as exc:
        return [] if exc.status == 404 else None
    except CoopkgError:
        return None
    return sorted(line for line in body.splitlines() if line.strip() and not line.startswith(b"#"))


def _read_back(store_url: str, graph: str, timeout: float) -> str:
    """What the target graph holds after a failed plain load, as read back over GSP."""
    try:
        body = read_graph(store_url, graph, timeout=timeout)
    except HttpStatusError as exc:
        return f"reading the target graph back: HTTP {exc.status}"
    except CoopkgError:
        return "the target graph could not be read back: check it"
    n = sum(1 for line in body.splitlines() if line.strip() and not line.startswith(b"#"))
    return f"target graph read back after the failure: {_triples(n)}"


def _what_happened(
    store_url: str, graph: str, before: list[bytes] | None, switch_sent: bool, timeout: float
) -> str:
    """What a failed load did to the target graph, said from reading it back, not assumed."""
    after = _triples_in(store_url, graph, timeout)
    if after is None or before is None:
        if not switch_sent:
            return "the target graph was not written to (the upload to a temporary graph failed)"
        return "could not read the target graph back: check it"
    if after == before:
        return f"target graph left as it was: read back the same {_triples(len(after))}"
    return f"target graph CHANGED: read back {_triples(len(after))}, {len(before)} before"


def _triples(n: int) -> str:
    return f"{n} triple" if n == 1 else f"{n} triples"
