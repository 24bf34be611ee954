"""Federated queries (queries/federation/*.rq) run against a local stand-in for Wikidata.

SERVICE needs a constant IRI, so each test copies the query and replaces the IRI
<https://query.wikidata.org/sparql> textually with a second local Oxigraph server's query URL
(queries/federation/README.md says so). No network beyond loopback.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_helpers import ROOT, assert_one_line_error, coopkg

from coopkg import gsp, paths
from coopkg.namespaces import KG

FEDERATION = ROOT / "queries" / "federation"
FIXTURES = Path(__file__).parent / "fixtures" / "stores" / "federation"
PROJECT = FIXTURES / "project"
WIKIDATA = "https://query.wikidata.org/sparql"
WD = "http://www.wikidata.org/entity/"


def federation_queries() -> list[Path]:
    return sorted(FEDERATION.glob("*.rq"))


def test_there_are_at_least_two_federated_queries():
    assert len(federation_queries()) >= 2


@pytest.fixture
def standin(oxigraph_server_factory):
    """A second Oxigraph server holding made-up data in Wikidata's shape."""
    server = oxigraph_server_factory()
    data = (FIXTURES / "wikidata-standin.ttl").read_bytes()
    gsp._send(
        "POST",
        f"{server.store_url}?default",
        data=data,
        headers={"Content-Type": "text/turtle"},
        timeout=10,
    )
    return server


def local_copy(query: Path, service_url: str, tmp_path: Path) -> Path:
    """The query with Wikidata's endpoint IRI replaced by service_url."""
    text = query.read_text(encoding="utf-8")
    assert text.count(f"SERVICE <{WIKIDATA}>") == 1, f"{query.name}: expected one Wikidata SERVICE"
    copy = tmp_path / query.name
    copy.write_text(text.replace(f"<{WIKIDATA}>", f"<{service_url}>"), encoding="utf-8")
    return copy


def rows(stdout: str) -> list[dict[str, str]]:
    """SPARQL JSON results as a list of {variable: value}, in the query's order."""
    bindings = json.loads(stdout)["results"]["bindings"]
    return [{name: term["value"] for name, term in row.items()} for row in bindings]


def table(columns: str, *values: tuple) -> list[dict[str, str]]:
    """Expected rows as rows() gives them: {column: value}; a None value is left out (unbound)."""
    names = columns.split()
    return [{n: v for n, v in zip(names, row, strict=True) if v is not None} for row in values]


def run_both_ways(query: Path, graph_server) -> tuple[list[dict], list[dict]]:
    """The query run embedded on the fixture project and on a server holding it."""
    embedded = coopkg("query", str(query), "--format", "json", home=PROJECT)
    assert embedded.code == 0, embedded.err
    remote = coopkg(
        "query", str(query), "--format", "json", "--endpoint", graph_server.query_url, home=ROOT
    )
    assert remote.code == 0, remote.err
    return rows(embedded.out), rows(remote.out)


@pytest.fixture
def graph_server(oxigraph_server_factory):
    """An Oxigraph server holding the fixture project graph, loaded with `coopkg load`."""
    server = oxigraph_server_factory(union_default_graph=True)
    done = coopkg("load", server.store_url, "--update-endpoint", server.update_url, home=PROJECT)
    assert done.code == 0, done.err
    return server


@pytest.mark.parametrize("query", federation_queries(), ids=lambda p: p.name)
def test_each_federated_query_has_a_bilingual_header(query):
    header = query.read_text(encoding="utf-8").split("PREFIX", 1)[0]
    assert "# Question (en):" in header
    assert "# Câu hỏi (vi):" in header
    assert "# Returns:" in header
    assert "Needs the network" in header


def test_population_joins_units_with_the_remote_statements(standin, graph_server, tmp_path):
    query = local_copy(FEDERATION / "population-wikidata.rq", standin.query_url, tmp_path)
    embedded, remote = run_both_ways(query, graph_server)
    expected = table(
        "unit labelVi labelEn item population asOf",
        (KG + "ha-noi", "Hà Nội", "Hanoi", WD + "Q1858", "1000", "2001-01-01T00:00:00Z"),
        (KG + "ha-noi", "Hà Nội", "Hanoi", WD + "Q1858", "1100", "2002-01-01T00:00:00Z"),
        # No point in time in the stand-in: ?asOf stays unbound.
        (KG + "lao-cai", "Lào Cai", "Lao Cai", WD + "Q36446", "2000", None),
    )
    key = lambda row: (row["unit"], row.get("asOf", ""))  # noqa: E731
    assert sorted(embedded, key=key) == expected
    assert sorted(remote, key=key) == expected


def test_coordinates_join_units_with_the_remote_items(standin, graph_server, tmp_path):
    query = local_copy(FEDERATION / "coordinates-wikidata.rq", standin.query_url, tmp_path)
    embedded, remote = run_both_ways(query, graph_server)
    expected = table(
        "unit label item wikidataLabel coordinates",
        (KG + "ha-noi", "Hà Nội", WD + "Q1858", "Stand-in label A", "Point(1.5 2.5)"),
        # No label in the stand-in: ?wikidataLabel stays unbound.
        (KG + "lao-cai", "Lào Cai", WD + "Q36446", None, "Point(3.5 4.5)"),
    )
    assert embedded == expected
    assert remote == expected


def test_a_dead_remote_endpoint_is_a_one_line_error(oxigraph_server_factory, tmp_path):
    dead = oxigraph_server_factory()
    url = dead.query_url
    dead.stop()
    query = local_copy(FEDERATION / "population-wikidata.rq", url, tmp_path)
    done = coopkg("query", str(query), "--format", "json", home=PROJECT)
    assert_one_line_error(done, "coopkg: error: ")  # and no partial result on stdout before it


def _values_items(query: Path) -> set[str]:
    text = query.read_text(encoding="utf-8")
    block = re.search(r"VALUES \?item \{([^}]*)\}", text)
    assert block, f"{query.name}: no VALUES ?item inside SERVICE"
    return {WD + qid for qid in re.findall(r"wd:(Q\d+)", block.group(1))}


def _linked_unit_items() -> set[str]:
    """Wikidata items the real project graph links its administrative units to."""
    from coopkg import graph

    store = graph.open_store()
    answer = store.query(
        "SELECT DISTINCT ?item { ?unit a <https://w3id.org/coopkg/ontology#AdministrativeUnit> ;"
        " <http://www.w3.org/2002/07/owl#sameAs> ?item "
        f'FILTER STRSTARTS(STR(?item), "{WD}") }}'
    )
    return {row["item"].value for row in answer}


@pytest.mark.parametrize("query", federation_queries(), ids=lambda p: p.name)
def test_the_item_list_matches_the_project_graph_links(query):
    if not paths.graph_files():
        pytest.skip("the project graph has no files yet")
    linked = _linked_unit_items()
    if not linked:
        pytest.skip("the project graph types no linked coop:AdministrativeUnit yet")
    assert _values_items(query) == linked
