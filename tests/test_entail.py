"""RDFS entailments for stores without a reasoner (coopkg/entail.py, `export`/`load
--entailment`).

The reference for "RDFS-valid" is owlrl's RDFS closure of the asserted graph (a reasoner we did
not write): every triple coopkg adds must be in it. The reference for "a store without a
reasoner" is a real `oxigraph serve` without --union-default-graph, loaded with `coopkg load` and
asked through the SPARQL Protocol with default-graph-uri or with GRAPH.
"""

from __future__ import annotations

import io
import json
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from cli_helpers import ROOT, coopkg

from coopkg import entail, graph, namespaces, query, results
from coopkg.namespaces import COOP, KG, OWL, RDFS

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PREFIXES = f"""PREFIX coop: <{COOP}>
PREFIX kg: <{KG}>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX schema: <http://schema.org/>
"""


def nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def turtle(text: str) -> list[ox.Triple]:
    prologue = f"@prefix : <urn:x:> . @prefix rdfs: <{RDFS}> . @prefix owl: <{OWL}> .\n"
    return [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse((prologue + text).encode(), format=ox.RdfFormat.TURTLE)
    ]


@pytest.fixture(scope="module")
def asserted() -> list[ox.Triple]:
    return entail.asserted(graph.open_store())


@pytest.fixture(scope="module")
def entailed(asserted) -> list[ox.Triple]:
    return entail.entailments(asserted)


# --- the rules, on graphs whose answer we know -----------------------------------------------


def test_instances_get_every_superclass_and_statements_every_superproperty():
    triples = turtle(
        """
        :A rdfs:subClassOf :B . :B rdfs:subClassOf :C .
        :p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :r .
        :x a :A . :x :p :y .
        """
    )
    added = {str(t) for t in entail.entailments(triples)}
    assert added == {
        "<urn:x:x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:x:B>",
        "<urn:x:x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:x:C>",
        "<urn:x:x> <urn:x:q> <urn:x:y>",
        "<urn:x:x> <urn:x:r> <urn:x:y>",
    }


def test_no_axiomatic_noise():
    """No rdfs:Resource or owl:Thing types, no reflexive or transitive axioms, no domain/range
    types, no blank-node (OWL restriction) classes, nothing already asserted."""
    triples = turtle(
        """
        :A rdfs:subClassOf :A , rdfs:Resource , owl:Thing , :B ,
            [ a owl:Restriction ; owl:onProperty :p ; owl:someValuesFrom :B ] .
        :B rdfs:subClassOf :C .
        :p rdfs:domain :D ; rdfs:range :E .
        :x a :A , :B ; :p :y .
        """
    )
    added = {str(t) for t in entail.entailments(triples)}
    assert added == {"<urn:x:x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:x:C>"}


def test_a_subclass_cycle_types_with_both_and_ends():
    triples = turtle(":A rdfs:subClassOf :B . :B rdfs:subClassOf :A . :x a :A .")
    added = {str(t) for t in entail.entailments(triples)}
    assert added == {"<urn:x:x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:x:B>"}


def test_superproperty_types_get_their_superclasses():
    """A statement entailed through rdf:type's own subproperty is typed on (rdfs7, then rdfs9)."""
    triples = turtle(
        f":kind rdfs:subPropertyOf <{RDF_TYPE}> . :A rdfs:subClassOf :B . :x :kind :A ."
    )
    added = {str(t) for t in entail.entailments(triples)}
    assert "<urn:x:x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:x:B>" in added


def test_unknown_mode_is_a_one_line_error():
    from coopkg.errors import CoopkgError

    with pytest.raises(CoopkgError, match="unknown entailment 'owl'"):
        entail.graph_store(ox.Store(), "owl")


# --- on the project graph --------------------------------------------------------------------


def test_every_entailed_triple_is_in_the_owlrl_rdfs_closure(asserted, entailed):
    import owlrl
    import rdflib

    closure = rdflib.Graph()
    closure.parse(data=ox.serialize(asserted, format=ox.RdfFormat.N_TRIPLES), format="nt")
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(closure)
    ours = rdflib.Graph()
    ours.parse(data=ox.serialize(entailed, format=ox.RdfFormat.N_TRIPLES), format="nt")
    missing = [t for t in ours if t not in closure]
    assert entailed and not missing, missing[:5]


def test_entailments_are_new_iri_typed_and_never_noise(asserted, entailed):
    have = set(asserted)
    assert not [t for t in entailed if t in have]
    noise = {nn(RDFS + "Resource"), nn(OWL + "Thing"), nn(RDFS + "Class")}
    for t in entailed:
        assert t.predicate not in (nn(RDFS + "subClassOf"), nn(RDFS + "subPropertyOf"))
        if t.predicate == nn(RDF_TYPE):
            assert isinstance(t.object, ox.NamedNode) and t.object not in noise


def test_the_users_examples_are_entailed(entailed):
    found = set(entailed)
    assert (
        ox.Triple(nn(KG + "sa-pa"), nn("http://schema.org/containedInPlace"), nn(KG + "lao-cai"))
        in found
    )
    session = nn(KG + "working-session-2017-05-17")
    has_actor = nn("http://semanticweb.cs.vu.nl/2009/11/sem/hasActor")
    for person in ("hoang-trung-hai", "nguyen-van-vinh", "ngo-thi-thanh-hang", "nguyen-duc-chung"):
        assert ox.Triple(session, has_actor, nn(KG + person)) in found, person


def test_export_default_is_asserted_plus_entailed_and_none_is_asserted(asserted, entailed):
    nt = coopkg("export", "--format", "nt", home=ROOT)
    assert nt.code == 0, nt.err
    lines = [line for line in nt.out.splitlines() if line]
    assert len(lines) == len(asserted) + len(entailed)
    none = coopkg("export", "--format", "nt", "--entailment", "none", home=ROOT)
    assert len([line for line in none.out.splitlines() if line]) == len(asserted)
    explicit = coopkg("export", "--format", "nt", "--entailment", "rdfs", home=ROOT)
    assert explicit.out == nt.out


def named_query_rows(store: ox.Store, name: str, lang: str | None) -> bytes:
    q = query.resolve(name)
    query.bind(q, {}, lang=lang)
    out = io.BytesIO()
    results.write(query.run_embedded(store, q), "csv", out)
    return out.getvalue()


@pytest.mark.parametrize("lang", [None, "vi"], ids=["no-lang", "vi"])
def test_every_named_query_gives_the_same_rows_on_the_entailed_graph(lang):
    store = graph.open_store()
    with_entailments = entail.graph_store(store, "rdfs")
    assert len(with_entailments) > len(store)
    differ = [
        name
        for name in query.named_queries()
        if named_query_rows(store, name, lang) != named_query_rows(with_entailments, name, lang)
    ]
    assert not differ


# --- on a store without a reasoner -----------------------------------------------------------


def select(server, sparql: str, default_graph: str | None = None) -> list[dict]:
    params = {"query": PREFIXES + sparql}
    if default_graph:
        params["default-graph-uri"] = default_graph
    url = f"{server.query_url}?{urllib.parse.urlencode(params)}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["results"]["bindings"]


@pytest.fixture(scope="module")
def plain_server(module_oxigraph_factory):
    """`oxigraph serve` WITHOUT --union-default-graph, the project loaded by `coopkg load`."""
    server = module_oxigraph_factory()
    done = coopkg(
        "load",
        server.store_url,
        "--endpoint",
        server.query_url,
        "--update-endpoint",
        server.update_url,
        home=ROOT,
    )
    assert done.code == 0, done.err
    return server


@pytest.mark.server
def test_plain_store_counts_12_commitments_by_the_superclass(plain_server, asserted, entailed):
    graph_iri = namespaces.GRAPH_IRI
    by_protocol = select(
        plain_server, "SELECT (COUNT(?c) AS ?n) { ?c a coop:Commitment }", graph_iri
    )
    by_graph = select(
        plain_server,
        f"SELECT (COUNT(?c) AS ?n) {{ GRAPH <{graph_iri}> {{ ?c a coop:Commitment }} }}",
    )
    assert int(by_protocol[0]["n"]["value"]) == int(by_graph[0]["n"]["value"]) == 12
    # The store holds exactly what `export` writes: asserted + entailed.
    total = select(
        plain_server, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"
    )
    assert int(total[0]["n"]["value"]) == len(asserted) + len(entailed)


@pytest.mark.server
def test_plain_store_answers_sem_has_actor_with_chairs_and_attendees(plain_server):
    rows = select(
        plain_server,
        "SELECT ?a { kg:working-session-2017-05-17 sem:hasActor ?a }",
        namespaces.GRAPH_IRI,
    )
    actors = {r["a"]["value"].removeprefix(KG) for r in rows}
    chairs = {"hoang-trung-hai", "nguyen-van-vinh"}
    attendees = {"ngo-thi-thanh-hang", "nguyen-duc-chung"}
    assert chairs | attendees <= actors
    # and the bodies that held it (coop:heldBy ⊑ sem:hasActor), nothing else
    assert actors - chairs - attendees == {
        "ha-noi-party-standing-committee",
        "lao-cai-party-standing-committee",
    }


@pytest.mark.server
def test_plain_store_has_sa_pa_in_lao_cai_by_schema_contained_in_place(plain_server):
    rows = select(
        plain_server,
        f"SELECT ?parent {{ GRAPH <{namespaces.GRAPH_IRI}> "
        "{ kg:sa-pa schema:containedInPlace ?parent } }",
    )
    assert [r["parent"]["value"] for r in rows] == [KG + "lao-cai"]


@pytest.mark.server
def test_plain_store_loaded_without_entailments_lacks_them(oxigraph_server):
    """The control: with --entailment none the same questions get the reasoner-less answers."""
    server = oxigraph_server
    done = coopkg("load", server.store_url, "--entailment", "none", home=ROOT)
    assert done.code == 0, done.err
    n = select(server, "SELECT (COUNT(?c) AS ?n) { ?c a coop:Commitment }", namespaces.GRAPH_IRI)
    assert int(n[0]["n"]["value"]) == 7
    rows = select(server, "SELECT ?p { kg:sa-pa schema:containedInPlace ?p }", namespaces.GRAPH_IRI)
    assert rows == []
