"""Served data stays read-only: `coopkg serve` refuses every way of writing (SPARQL
Update in each protocol form, every Graph Store write verb, an update sent to the query
endpoint), the data is the same afterwards, and the server listens on 127.0.0.1 only.

Every write path is tried against one real server (refused with 403), and the listening socket
is read from the kernel.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from cli_helpers import FixedServer, make_project
from servers import coopkg_serve

from coopkg.namespaces import GRAPH_IRI as GRAPH

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, no proxy


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`coopkg serve` on a copy of the real project, on a free port, stopped by its pid."""
    base = tmp_path_factory.mktemp("serve")
    home = make_project(base / "project")
    with coopkg_serve("--cache-dir", str(base / "cache"), home=home, cwd=base) as started:
        yield started


def request(method: str, url: str, body: bytes | None = None, ctype: str | None = None):
    """(status, body) of one HTTP request; HTTP errors are answers too."""
    headers = {"Content-Type": ctype} if ctype else {}
    headers["Accept"] = "application/sparql-results+json"
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with DIRECT.open(req, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def count(base: str) -> int:
    status, body = request("GET", f"{base}/query?" + urllib.parse.urlencode({"query": COUNT}))
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


INSERT = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:ex:s> <urn:ex:p> <urn:ex:o> }} }}"
DROP = "DROP ALL"
TURTLE = b"<urn:ex:s> <urn:ex:p> <urn:ex:o> ."
GRAPH_Q = urllib.parse.urlencode({"graph": GRAPH})
WRITES = [
    ("POST", "/update", INSERT.encode(), "application/sparql-update"),
    ("POST", "/update", DROP.encode(), "application/sparql-update"),
    ("POST", "/update", urllib.parse.urlencode({"update": DROP}).encode(),
     "application/x-www-form-urlencoded"),
    ("GET", "/update?" + urllib.parse.urlencode({"update": DROP}), None, None),
    ("POST", "/query", DROP.encode(), "application/sparql-query"),
    ("POST", "/query", urllib.parse.urlencode({"query": INSERT}).encode(),
     "application/x-www-form-urlencoded"),
    ("PUT", f"/store?{GRAPH_Q}", TURTLE, "text/turtle"),
    ("POST", f"/store?{GRAPH_Q}", TURTLE, "text/turtle"),
    ("DELETE", f"/store?{GRAPH_Q}", None, None),
    ("PUT", "/store?default", TURTLE, "text/turtle"),
    ("DELETE", "/store?default", None, None),
    ("POST", "/store", TURTLE, "text/turtle"),
]  # fmt: skip


@pytest.mark.parametrize(
    "method, path, body, ctype",
    WRITES,
    ids=[f"{m} {p.split('?')[0]} {(b or b'')[:12].decode()}" for m, p, b, _ in WRITES],
)
def test_every_write_is_refused_and_changes_nothing(served, method, path, body, ctype):
    base = served.url
    before = count(base)
    assert before > 1000, "the served graph should be the project graph"
    status, answer = request(method, base + path, body, ctype)
    assert status == 403, (status, answer[:200])
    if not path.startswith("/query"):  # the write endpoints say why in one fixed sentence
        assert answer.decode() == "The server is read-only"
    assert count(base) == before


def test_reading_still_works_after_the_refusals(served):
    base = served.url
    ask = "ASK { GRAPH ?g { <https://w3id.org/coopkg/id/ha-noi> ?p ?o } }"
    status, body = request("GET", f"{base}/query?" + urllib.parse.urlencode({"query": ask}))
    assert status == 200 and json.loads(body)["boolean"] is True


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a socket listening on port (Linux /proc/net/tcp{,6})."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if fields[3] == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                found.add(address)
    return found


def test_listens_on_loopback_only(served):
    port, lines = served.port, served.lines
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp on this system")
    # 0100007F is 127.0.0.1 in the kernel's byte order; 00000000 would be every interface.
    assert listening_addresses(port) == {"0100007F"}
    assert any(f"http://127.0.0.1:{port}/query" in line for line in lines), lines


def test_a_query_cannot_make_the_server_fetch_urls(served):
    """SERVICE would let anyone who can reach the endpoint make it send requests elsewhere:
    the served endpoint refuses it with 400 and a reason, and LOAD with 403; the fixed server
    counts what reaches it."""
    base = served.url
    with FixedServer(200, "application/sparql-results+json", b'{"head":{"vars":[]}}') as other:
        sparql = f"SELECT * WHERE {{ SERVICE <{other.url}/sparql> {{ ?s ?p ?o }} }}"
        status, body = request("GET", f"{base}/query?" + urllib.parse.urlencode({"query": sparql}))
        assert status == 400
        assert body.decode().startswith("SERVICE is not allowed on this endpoint")
        escaped = sparql.replace("SERVICE", "\\u0053ERVICE")
        status, _ = request("POST", f"{base}/query", escaped.encode(), "application/sparql-query")
        assert status == 400
        lower = sparql.replace("SERVICE", "service")
        form = urllib.parse.urlencode({"query": lower}).encode()
        status, _ = request("POST", f"{base}/query", form, "application/x-www-form-urlencoded")
        assert status == 400
        load = f"LOAD <{other.url}/data.ttl>"
        status, _ = request("POST", f"{base}/update", load.encode(), "application/sparql-update")
        assert status == 403
        assert other.seen == [], f"the served endpoint fetched: {other.seen}"


def test_service_in_a_string_or_a_variable_name_is_not_refused(served):
    """The refusal looks at the query's keywords, not at text inside literals or names."""
    base = served.url
    sparql = 'SELECT ?service WHERE { BIND("SERVICE <http://x/>" AS ?service) }'
    status, body = request("GET", f"{base}/query?" + urllib.parse.urlencode({"query": sparql}))
    assert status == 200, body
    assert json.loads(body)["results"]["bindings"][0]["service"]["value"].startswith("SERVICE")
