"""`coopkg load`: the graph written to a real Oxigraph server through the Graph Store Protocol.

Mechanics (replace, append, failure safety, errors) use a small fixture project
(tests/fixtures/stores/project) so they do not depend on how far the real graph has come; the
round trips (named queries, isomorphism) use the real project graph.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import ROOT, assert_one_line_error, coopkg
from servers import CuttingProxy, HTTPHelper

from coopkg import gsp, namespaces, paths
from coopkg.errors import CoopkgError

FIXTURE_HOME = Path(__file__).parent / "fixtures" / "stores" / "project"
# The project graph there: ontology/coopkg.ttl (the header: type + 2 labels), ontology/concepts.ttl
# (one scheme: type + 2 labels) and data/agreement.ttl (2 places x (2 rdfs:label + 2 prefLabel +
# sameAs)); it has no subclass or subproperty axiom, so the load's entailments add none.
FIXTURE_FILES = ("ontology/coopkg.ttl", "ontology/concepts.ttl", "data/agreement.ttl")
FIXTURE_TRIPLES = 3 + 3 + 10
GRAPH = namespaces.GRAPH_IRI
PREVIOUS = b'<urn:x:previous> <http://www.w3.org/2000/01/rdf-schema#label> "kept" .\n'


def graphs_and_counts(server) -> dict[str, int]:
    """Every named graph on the server and its triple count."""
    body = server.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    rows = json.loads(body)["results"]["bindings"]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


def put_previous(server) -> None:
    """Put a one-triple graph into the target, to see whether a failed load touched it."""
    gsp.put_graph(server.store_url, GRAPH, PREVIOUS, append=False, timeout=10)


def load_args(server, *extra: str, atomic: bool = True) -> list[str]:
    args = ["load", server.store_url, "--endpoint", server.query_url, *extra]
    return args + (["--update-endpoint", server.update_url] if atomic else [])


# --- replace, append, verify ----------------------------------------------------------------


@pytest.mark.parametrize("atomic", [True, False], ids=["via-update", "plain-put"])
def test_loading_twice_gives_the_same_graph_and_count(oxigraph_server, atomic):
    first = coopkg(*load_args(oxigraph_server, atomic=atomic), home=FIXTURE_HOME)
    assert first.code == 0, first.err
    after_first = oxigraph_server.query(
        f"CONSTRUCT {{ ?s ?p ?o }} {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}", "application/n-triples"
    )
    second = coopkg(*load_args(oxigraph_server, atomic=atomic), home=FIXTURE_HOME)
    assert second.code == 0, second.err
    after_second = oxigraph_server.query(
        f"CONSTRUCT {{ ?s ?p ?o }} {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}", "application/n-triples"
    )
    assert sorted(after_first.splitlines()) == sorted(after_second.splitlines())
    # Only the target graph exists: no temporary graph left behind.
    assert graphs_and_counts(oxigraph_server) == {GRAPH: FIXTURE_TRIPLES}
    assert f"now holds {FIXTURE_TRIPLES} triples" in second.out


@pytest.mark.parametrize("atomic", [True, False], ids=["via-update", "plain-put"])
def test_load_replaces_what_the_graph_held_before(oxigraph_server, atomic):
    put_previous(oxigraph_server)
    done = coopkg(*load_args(oxigraph_server, atomic=atomic), home=FIXTURE_HOME)
    assert done.code == 0, done.err
    assert graphs_and_counts(oxigraph_server) == {GRAPH: FIXTURE_TRIPLES}
    ask = f"ASK {{ GRAPH <{GRAPH}> {{ <urn:x:previous> ?p ?o }} }}"
    assert json.loads(oxigraph_server.query(ask))["boolean"] is False


@pytest.mark.parametrize("atomic", [True, False], ids=["via-update", "plain-put"])
def test_append_adds_to_what_the_graph_held_before(oxigraph_server, atomic):
    put_previous(oxigraph_server)
    done = coopkg(*load_args(oxigraph_server, "--append", atomic=atomic), home=FIXTURE_HOME)
    assert done.code == 0, done.err
    assert graphs_and_counts(oxigraph_server) == {GRAPH: FIXTURE_TRIPLES + 1}
    assert f"now holds {FIXTURE_TRIPLES + 1} triples" in done.out


def test_load_into_another_graph_with_graph_option(oxigraph_server):
    done = coopkg(*load_args(oxigraph_server, "--graph", "urn:x:elsewhere"), home=FIXTURE_HOME)
    assert done.code == 0, done.err
    assert graphs_and_counts(oxigraph_server) == {"urn:x:elsewhere": FIXTURE_TRIPLES}


def test_without_endpoint_nothing_is_read_back(oxigraph_server):
    done = coopkg("load", oxigraph_server.store_url, home=FIXTURE_HOME)
    assert done.code == 0, done.err
    assert "verified" not in done.out
    assert "only as atomic as the server's PUT" in done.err
    assert graphs_and_counts(oxigraph_server) == {GRAPH: FIXTURE_TRIPLES}


def test_verify_without_endpoint_is_a_usage_error(oxigraph_server):
    done = coopkg("load", oxigraph_server.store_url, "--verify", home=FIXTURE_HOME)
    assert done.code == 2
    assert done.err.strip() == "coopkg: error: --verify needs a query endpoint (--endpoint URL)"
    assert graphs_and_counts(oxigraph_server) == {}


# --- failure safety -------------------------------------------------------------------------


@pytest.mark.parametrize("atomic", [True, False], ids=["via-update", "plain-put"])
def test_upload_cut_halfway_leaves_the_previous_graph_and_exits_2(oxigraph_server, atomic):
    put_previous(oxigraph_server)
    with CuttingProxy(oxigraph_server.port, lambda line: line.startswith("PUT ")) as proxy:
        args = ["load", f"{proxy.url}/store", "--endpoint", oxigraph_server.query_url]
        if atomic:
            args += ["--update-endpoint", f"{proxy.url}/update"]
        done = coopkg(*args, "--timeout", "10", home=FIXTURE_HOME)
        assert proxy.cuts == 1
    assert done.code == 2
    lines = done.err.strip().splitlines()
    assert len(lines) == 1, done.err
    assert lines[0].startswith(f"coopkg: error: PUT {proxy.url}/store?graph=")
    assert "connection closed before the server answered" in lines[0]
    assert "Traceback" not in done.err
    # The target holds exactly what it held before, and no temporary graph is left.
    assert graphs_and_counts(oxigraph_server) == {GRAPH: 1}
    kept = gsp.read_graph(oxigraph_server.store_url, GRAPH)
    assert kept.strip() == PREVIOUS.strip()


def test_switch_cut_halfway_leaves_the_previous_graph_and_drops_the_temporary(oxigraph_server):
    put_previous(oxigraph_server)
    is_update = lambda line: line.startswith("POST /update")  # noqa: E731
    with CuttingProxy(oxigraph_server.port, is_update, limit=1) as proxy:
        done = coopkg(
            "load",
            oxigraph_server.store_url,
            "--update-endpoint",
            f"{proxy.url}/update",
            "--endpoint",
            oxigraph_server.query_url,
            "--timeout",
            "10",
            home=FIXTURE_HOME,
        )
        assert proxy.cuts == 1
    assert done.code == 2
    line = done.err.strip()
    assert line.startswith(f"coopkg: error: POST {proxy.url}/update: connection closed")
    # The MOVE was sent (in part) but never answered: the command reads the target back and
    # says what it found, not what it assumes.
    assert line.endswith("(target graph left as it was: read back the same 1 triple)")
    # Half a MOVE is no MOVE: the target is as before, and the cleanup dropped the temporary.
    assert graphs_and_counts(oxigraph_server) == {GRAPH: 1}


def test_refused_load_names_url_status_and_body_and_exits_2(oxigraph_server_factory):
    writable = oxigraph_server_factory()
    put_previous(writable)
    writable.stop()
    read_only = oxigraph_server_factory(location=writable.location, read_only=True)
    done = coopkg(*load_args(read_only), home=FIXTURE_HOME)
    assert done.code == 2
    line = done.err.strip()
    assert "\n" not in line
    assert line.startswith(f"coopkg: error: PUT {read_only.store_url}?graph=urn%3Auuid%3A")
    assert "HTTP 403 Forbidden: The server is read-only" in line
    assert "target graph left as it was" in line
    assert graphs_and_counts(read_only) == {GRAPH: 1}


@pytest.mark.parametrize("atomic", [True, False], ids=["via-update", "plain-put"])
def test_bad_data_is_refused_and_the_target_and_no_temporary_graph_remain(oxigraph_server, atomic):
    put_previous(oxigraph_server)
    with pytest.raises(CoopkgError) as caught:
        gsp.load(
            b'<urn:x:s> <urn:x:p> "fine" .\n<urn:x:s> <urn:x:p> .',
            2,
            store_url=oxigraph_server.store_url,
            graph=GRAPH,
            update_url=oxigraph_server.update_url if atomic else None,
            timeout=10,
        )
    assert "HTTP 400 Bad Request" in caught.value.message
    assert "is not a valid RDF object" in caught.value.message
    # What the target holds is read back, not assumed.
    state = "read back the same 1 triple" if atomic else "read back after the failure: 1 triple"
    assert caught.value.message.endswith(f"(target graph left as it was: {state})") or (
        not atomic and caught.value.message.endswith(f"(target graph {state})")
    )
    assert graphs_and_counts(oxigraph_server) == {GRAPH: 1}


def test_unreachable_server_is_one_line_and_exit_2(oxigraph_server):
    url = oxigraph_server.store_url
    oxigraph_server.stop()
    done = coopkg("load", url, "--timeout", "5", home=FIXTURE_HOME)
    line = assert_one_line_error(done, "connection refused (is the server running?)")
    assert line.endswith("connection refused (is the server running?)")


def test_wrong_path_reports_http_404_with_body(oxigraph_server):
    done = coopkg("load", f"{oxigraph_server.url}/nope", home=FIXTURE_HOME)
    assert done.code == 2
    assert f"PUT {oxigraph_server.url}/nope?graph=" in done.err
    assert "HTTP 404 Not Found: PUT /nope is not supported by this server" in done.err


def test_graph_iri_with_forbidden_characters_is_refused_before_any_request(oxigraph_server):
    done = coopkg(*load_args(oxigraph_server, "--graph", "urn:x:a> <b"), home=FIXTURE_HOME)
    assert done.code == 2
    assert "not a valid graph IRI" in done.err
    assert graphs_and_counts(oxigraph_server) == {}


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["not-a-url"], "URL 'not-a-url': not an http:// or https:// URL with a host"),
        (["ftp://h/store"], "URL 'ftp://h/store': not an http:// or https:// URL"),
        (["http://h/store", "--endpoint", "h/query"], "--endpoint 'h/query': not an http://"),
        (["http://h/store", "--update-endpoint", "http:///u"], "--update-endpoint 'http:///u'"),
    ],
)
def test_a_bad_url_is_refused_before_any_request(args, phrase):
    assert_one_line_error(coopkg("load", *args, home=FIXTURE_HOME), phrase)


# --- credentials ----------------------------------------------------------------------------


def test_credentials_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("COOPKG_USER", "ana")
    monkeypatch.setenv("COOPKG_PASSWORD", "s3cret")
    assert gsp.credentials("http://db.example:7200/x") == ("ana", "s3cret")


def test_a_user_without_password_is_an_error(monkeypatch):
    monkeypatch.setenv("COOPKG_USER", "ana")
    monkeypatch.delenv("COOPKG_PASSWORD", raising=False)
    with pytest.raises(CoopkgError, match="set both COOPKG_USER and COOPKG_PASSWORD"):
        gsp.credentials("http://db.example/x")


def netrc(monkeypatch, home: Path, text: str) -> Path:
    """A ~/.netrc with the text in a fresh HOME, and no COOPKG_USER/COOPKG_PASSWORD."""
    monkeypatch.delenv("COOPKG_USER", raising=False)
    monkeypatch.delenv("COOPKG_PASSWORD", raising=False)
    monkeypatch.setenv("HOME", str(home))
    netrc_file = home / ".netrc"
    netrc_file.write_text(text)
    netrc_file.chmod(0o600)
    return netrc_file


def test_credentials_come_from_netrc_by_host(monkeypatch, tmp_path):
    netrc(monkeypatch, tmp_path, "machine db.example login bob password pw\n")
    assert gsp.credentials("http://db.example:8890/sparql-graph-crud-auth") == ("bob", "pw")
    assert gsp.credentials("http://other.example/x") is None


def test_a_broken_netrc_is_reported_with_file_and_line(monkeypatch, tmp_path):
    netrc_file = netrc(monkeypatch, tmp_path, "machine db.example login bob password pw\nmachine\n")
    with pytest.raises(CoopkgError) as caught:
        gsp.credentials("http://db.example/x")
    assert caught.value.message.startswith(f"{netrc_file}:")


def test_credentials_are_sent_when_the_server_asks(oxigraph_server, monkeypatch):
    """A Basic-auth challenge is answered with COOPKG_USER/COOPKG_PASSWORD."""
    import base64
    import http.server

    seen: list[str | None] = []

    class Guard(http.server.BaseHTTPRequestHandler):
        def do_PUT(self):  # noqa: N802 - the http.server naming
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            seen.append(self.headers.get("Authorization"))
            if self.headers.get("Authorization") != "Basic " + base64.b64encode(
                b"ana:s3cret"
            ).decode("ascii"):
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="coopkg"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            # Authorised: pass the upload on to the real server.
            gsp.put_graph(oxigraph_server.store_url, GRAPH, body, append=False, timeout=10)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    class GuardFront(HTTPHelper):
        def __init__(self) -> None:
            self._serve(Guard)

    with GuardFront() as front:
        monkeypatch.setenv("COOPKG_USER", "ana")
        monkeypatch.setenv("COOPKG_PASSWORD", "s3cret")
        gsp.load(PREVIOUS, 1, store_url=f"{front.url}/store", graph=GRAPH, timeout=10)
    assert seen[0] is None  # first without, then with credentials after the challenge
    assert seen[-1] is not None
    assert graphs_and_counts(oxigraph_server) == {GRAPH: 1}


# --- round trips with the real project graph ------------------------------------------------


def _project_graph_ready() -> bool:
    return bool(paths.graph_files())


needs_project_graph = pytest.mark.skipif(
    not _project_graph_ready(), reason="the project graph has no files yet"
)


@needs_project_graph
def test_graph_read_back_over_gsp_is_isomorphic_to_the_local_one(oxigraph_server):
    import rdflib
    from rdflib.compare import isomorphic

    done = coopkg(*load_args(oxigraph_server, "--entailment", "none"), home=ROOT)
    assert done.code == 0, done.err
    local = rdflib.Graph()
    for path in paths.graph_files():
        local.parse(path, format="turtle")
    remote = rdflib.Graph()
    remote.parse(data=gsp.read_graph(oxigraph_server.store_url, GRAPH), format="nt")
    assert len(remote) == len(local)
    assert isomorphic(remote, local)


def _rows(stdout: str) -> list[str]:
    """SPARQL JSON results as a sorted list of canonical rows (order-insensitive compare)."""
    answer = json.loads(stdout)
    if "boolean" in answer:
        return [str(answer["boolean"])]
    return sorted(json.dumps(row, sort_keys=True) for row in answer["results"]["bindings"])


def _named_queries() -> list[str]:
    folder = paths.root() / "queries"
    return sorted(p.stem for p in folder.glob("*.rq")) if folder.is_dir() else []


@needs_project_graph
def test_every_named_query_gives_the_same_rows_over_the_endpoint(oxigraph_server_factory):
    names = _named_queries()
    assert names, "no queries/*.rq found: the comparison would pass vacuously"
    # Union default graph: the named queries have no GRAPH clause (see docs/stores.md).
    server = oxigraph_server_factory(union_default_graph=True)
    done = coopkg(*load_args(server), home=ROOT)
    assert done.code == 0, done.err
    for name in names:
        embedded = coopkg("query", name, "--format", "json", home=ROOT)
        remote = coopkg(
            "query", name, "--format", "json", "--endpoint", server.query_url, home=ROOT
        )
        assert embedded.code == 0, f"{name}: {embedded.err}"
        assert remote.code == 0, f"{name}: {remote.err}"
        assert _rows(remote.out) == _rows(embedded.out), name


def test_the_fixture_project_is_what_the_counts_assume(monkeypatch):
    import rdflib

    monkeypatch.setenv("COOPKG_HOME", str(FIXTURE_HOME))

    graph = rdflib.Graph()
    for name in FIXTURE_FILES:
        graph.parse(FIXTURE_HOME / name, format="turtle")
    assert len(graph) == FIXTURE_TRIPLES
    files = [p.relative_to(FIXTURE_HOME).as_posix() for p in paths.graph_files()]
    assert files == list(FIXTURE_FILES)


@needs_project_graph
@pytest.mark.parametrize("fmt", ["nq", "trig"])
def test_export_keeps_the_named_graph_that_load_writes(oxigraph_server, tmp_path, fmt):
    import rdflib
    from rdflib.compare import isomorphic

    out = tmp_path / f"graph.{fmt}"
    exported = coopkg("export", "--format", fmt, "--out", str(out), home=ROOT)
    assert exported.code == 0, exported.err
    dataset = rdflib.Dataset()
    dataset.parse(out, format={"nq": "nquads", "trig": "trig"}[fmt])
    named = {g.identifier for g in dataset.graphs() if len(g)}
    assert named == {rdflib.URIRef(GRAPH)}
    done = coopkg(*load_args(oxigraph_server), home=ROOT)
    assert done.code == 0, done.err
    remote = rdflib.Graph()
    remote.parse(data=gsp.read_graph(oxigraph_server.store_url, GRAPH), format="nt")
    assert isomorphic(dataset.graph(rdflib.URIRef(GRAPH)), remote)
