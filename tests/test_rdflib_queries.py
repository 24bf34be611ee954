"""coopkg.rdflib_queries: rdflib's SPARQL processor with each query text parsed once gives the
answers of rdflib's own processor, and pySHACL's report under it is the report pySHACL gives
with rdflib as shipped (the reference every other pySHACL comparison in the suite relies on)."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import plugin
from rdflib.compare import isomorphic
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.query import Processor

from coopkg import paths
from coopkg.rdflib_queries import PreparedSPARQLProcessor, prepared_queries

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "fixtures" / "data" / "bad"


def project_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in paths.graph_files():
        graph.parse(path, format="turtle")
    return graph


def test_the_block_swaps_the_processor_and_puts_rdflibs_back():
    assert plugin.get("sparql", Processor) is SPARQLProcessor
    with prepared_queries():
        assert plugin.get("sparql", Processor) is PreparedSPARQLProcessor
    assert plugin.get("sparql", Processor) is SPARQLProcessor


def test_rdflibs_processor_is_put_back_after_an_error():
    with pytest.raises(ValueError), prepared_queries():
        raise ValueError("inside")
    assert plugin.get("sparql", Processor) is SPARQLProcessor


def test_a_prepared_query_answers_again_with_other_bindings():
    graph = rdflib.Graph().parse(
        data="<urn:a> <urn:p> 1 . <urn:b> <urn:p> 2 . <urn:b> <urn:p> 3 .", format="turtle"
    )
    text = "SELECT ?o WHERE { ?this <urn:p> ?o } ORDER BY ?o"
    with prepared_queries():
        for subject, expected in (("urn:a", [1]), ("urn:b", [2, 3]), ("urn:a", [1])):
            rows = graph.query(text, initBindings={"this": rdflib.URIRef(subject)})
            assert [row.o.toPython() for row in rows] == expected


def test_an_undeclared_prefix_is_resolved_with_each_graphs_own_bindings():
    """The graph's prefix bindings are part of what the text means: the same text on two graphs
    that bind `ex:` to different namespaces must not share one translation."""
    text = "ASK { ex:s ex:p ex:o }"
    first, second = rdflib.Graph(), rdflib.Graph()
    first.bind("ex", "urn:one:")
    second.bind("ex", "urn:two:")
    first.add((rdflib.URIRef("urn:one:s"), rdflib.URIRef("urn:one:p"), rdflib.URIRef("urn:one:o")))
    second.add((rdflib.URIRef("urn:one:s"), rdflib.URIRef("urn:one:p"), rdflib.URIRef("urn:one:o")))
    with prepared_queries():
        assert first.query(text).askAnswer is True
        assert second.query(text).askAnswer is False


def damaged(base: rdflib.Graph, updates: list[Path]) -> rdflib.Graph:
    assert len(updates) >= 5, "the bad cases are missing"
    for update in updates:
        base.update(update.read_text(encoding="utf-8"))
    return base


def data_case() -> tuple[rdflib.Graph, rdflib.Graph]:
    """The project graph with every SPARQL-constraint bad case applied (each breaks one
    SPARQL-based shape) and one core violation, under the data shapes."""
    updates = sorted(BAD.glob("*--SPARQL.ru")) + [BAD / "Commitment-quantity--Class.ru"]
    shapes = rdflib.Graph()
    for path in paths.data_shape_files():
        shapes.parse(path, format="turtle")
    return damaged(project_graph(), updates), shapes


def ontology_case() -> tuple[rdflib.Graph, rdflib.Graph]:
    """The minimal ontology fixture with every one of its bad cases applied, under the ontology
    shapes (several of their SPARQL constraints have a variable predicate)."""
    fixtures = ROOT / "tests" / "fixtures" / "ontology"
    minimal = rdflib.Graph().parse(fixtures / "minimal.ttl", format="turtle")
    shapes = rdflib.Graph().parse(ROOT / "shapes" / "ontology-shapes.ttl", format="turtle")
    return damaged(minimal, sorted((fixtures / "bad").glob("*.ru"))), shapes


@pytest.mark.slow
@pytest.mark.parametrize("case", [data_case, ontology_case], ids=["data", "ontology"])
def test_pyshacl_reports_the_same_with_both_processors(case):
    """pySHACL with rdflib as shipped, then with the prepared processor: the results graphs are
    the same graph (blank nodes aside)."""
    import pyshacl

    data, shapes = case()

    def run() -> tuple[bool, rdflib.Graph]:
        conforms, report, _ = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
        )
        return conforms, report

    shipped = run()
    with prepared_queries():
        prepared = run()
    assert shipped[0] is False and prepared[0] is False
    sparql_results = set(
        shipped[1].subjects(
            rdflib.SH.sourceConstraintComponent, rdflib.SH.SPARQLConstraintComponent
        )
    )
    assert len(sparql_results) >= 5, "the report must hold what the processor runs: SPARQL results"
    assert isomorphic(shipped[1], prepared[1])
