"""`coopkg query --endpoint` against a real Oxigraph server holding the fixture graph prints
exactly what the embedded run prints, for every form, format and binding kind.

The server is a plain `oxigraph serve` (its default graph is not the union of the named graphs)
and the graph is loaded into the project's dataset graph, as `coopkg load` does: the queries see
it because coopkg sends the SPARQL Protocol's default-graph-uri."""

from __future__ import annotations

import urllib.parse
import urllib.request

from cli_helpers import coopkg

from coopkg.namespaces import KG
from coopkg.paths import GRAPH_IRI

CASES = [
    ("who-committed-what", "--lang", "en", "--format", "csv"),
    ("who-committed-what", "--format", "table"),
    ("who-committed-what", "--lang", "vi", "--format", "tsv"),
    ("field-labels", "--bind", 'label="Du lịch"@vi', "--format", "json"),
    ("field-labels", "--format", "xml"),
    ("commitments-of", "--bind", "debtor=kg:ha-noi", "--format", "csv"),
    ("has-joint-commitment",),
    ("debtors-of-a", "--format", "nt"),
    ("debtors-of-a", "--format", "ttl"),
]


def load_fixture_graph(server, graph: str | None = GRAPH_IRI) -> None:
    """PUT the fixture graph into the named graph (None: the server's default graph)."""
    nt = coopkg("export", "--format", "nt", "--entailment", "none")  # the graph as embedded
    assert nt.code == 0, nt.err
    where = "default" if graph is None else urllib.parse.urlencode({"graph": graph})
    request = urllib.request.Request(
        f"{server.store_url}?{where}",
        data=nt.out.encode("utf-8"),
        headers={"Content-Type": "application/n-triples"},
        method="PUT",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 201, 204)


def test_endpoint_output_equals_embedded_output(oxigraph_server):
    load_fixture_graph(oxigraph_server)
    for case in CASES:
        embedded = coopkg("query", *case)
        remote = coopkg("query", *case, "--endpoint", oxigraph_server.query_url)
        assert embedded.code == 0, (case, embedded.err)
        assert remote.code == 0, (case, remote.err)
        assert embedded.out, case
        assert remote.out == embedded.out, case


def test_endpoint_rows_are_the_expected_ones(oxigraph_server):
    load_fixture_graph(oxigraph_server)
    run = coopkg(
        "query", "commitments-of", "--bind", f"debtor=<{KG}lao-cai>", "--format", "csv",
        "--endpoint", oxigraph_server.query_url,
    )  # fmt: skip
    assert run.out == f"commitment\r\n{KG}commitment-a\r\n{KG}commitment-b\r\n"


def test_endpoint_refuses_updates_before_sending_them(oxigraph_server):
    load_fixture_graph(oxigraph_server)
    run = coopkg(
        "query", "-e", "DELETE WHERE { ?s ?p ?o }", "--endpoint", oxigraph_server.query_url
    )
    assert run.code == 2
    assert "this is a SPARQL update (DELETE)" in run.err
    after = coopkg("query", "has-joint-commitment", "--endpoint", oxigraph_server.query_url)
    assert after.out == "true\n"


def test_endpoint_not_found_and_bad_query_name_the_url_and_status(oxigraph_server):
    url = oxigraph_server.url + "/nope"
    run = coopkg("query", "has-joint-commitment", "--endpoint", url)
    assert run.code == 2
    assert run.err.startswith(f"coopkg: error: {url}: HTTP 404")
    run = coopkg("query", "-e", "SELECT * {", "--endpoint", oxigraph_server.query_url)
    assert run.code == 2
    assert run.err.startswith(f"coopkg: error: {oxigraph_server.query_url}: HTTP 400")
    assert "Traceback" not in run.err


def test_remote_queries_ask_the_dataset_graph_and_union_asks_none(oxigraph_server):
    load_fixture_graph(oxigraph_server)  # into the dataset graph only
    url = oxigraph_server.query_url
    default = coopkg("query", "commitments-of", "--format", "csv", "--endpoint", url)
    assert default.code == 0, default.err
    assert default.out.count("\r\n") == 4, default.out  # header + 3 rows
    assert default.err == ""
    # --union: no default-graph-uri; a plain Oxigraph's own default graph is empty.
    union = coopkg("query", "commitments-of", "--format", "csv", "--union", "--endpoint", url)
    assert union.code == 0, union.err
    assert union.out == "commitment\r\n"
    assert union.err.count("\n") == 1
    assert union.err.startswith(f"note: 0 rows from {url}, asked with no default-graph-uri")
    # --graph: another graph, here one that is empty; the hint names it.
    other = coopkg(
        "query", "commitments-of", "--graph", "urn:x:nothing", "--format", "csv", "--endpoint", url
    )
    assert other.code == 0, other.err
    assert other.out == "commitment\r\n"
    assert other.err == (
        f"note: 0 rows from {url}, asked with default-graph-uri <urn:x:nothing>; is the "
        "dataset loaded into that graph? (--graph IRI asks another, --union none)\n"
    )


def test_union_sees_a_graph_loaded_into_the_default_graph(oxigraph_server):
    load_fixture_graph(oxigraph_server, graph=None)
    url = oxigraph_server.query_url
    union = coopkg("query", "commitments-of", "--format", "csv", "--union", "--endpoint", url)
    assert union.out.count("\r\n") == 4, union.out


def test_graph_and_union_need_an_endpoint():
    run = coopkg("query", "commitments-of", "--union")
    assert run.code == 2
    assert run.err == "coopkg: error: --graph and --union apply to --endpoint only\n"
