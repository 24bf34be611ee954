"""`coopkg query --endpoint` against a real Oxigraph server holding the fixture graph prints
exactly what the embedded run prints, for every form, format and binding kind."""

from __future__ import annotations

import urllib.request

from cli_helpers import coopkg

KG = "https://w3id.org/coopkg/id/"

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


def load_fixture_graph(server) -> None:
    nt = coopkg("export", "--format", "nt", "--entailment", "none")  # the same graph as embedded
    assert nt.code == 0, nt.err
    request = urllib.request.Request(
        server.store_url + "?default",
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
