"""RDFS entailments for stores without a reasoner: what `coopkg export` and `coopkg load` add.

A store that does not reason answers `?c a coop:Commitment` without the joint commitments (typed
only `coop:JointCommitment`) and `?e sem:hasActor ?a` with nothing (the chairs are stated with
`coop:chairedBy`). So the exports and loads carry, besides the asserted triples, the two RDFS
entailments users query by:

- every instance also typed with each superclass of its classes (RDFS rules rdfs9 + rdfs11):
  `x a C`, `C rdfs:subClassOf+ D` gives `x a D`;
- every statement also made with each superproperty of its property (rdfs7 + rdfs5):
  `s P o`, `P rdfs:subPropertyOf+ Q` gives `s Q o`.

The hierarchy is the one the project graph asserts: the project's ontology, whose axioms name
the standard terms it specialises (coop:JointCommitment ⊑ coop:Commitment, coop:chairedBy ⊑
sem:hasActor, coop:withinUnit ⊑ schema:containedInPlace, …). Only IRIs count as classes and
properties (no OWL restriction blank nodes), and none of RDFS's axiomatic noise is added: no
`rdfs:Resource` types, no reflexive or transitive subClassOf/subPropertyOf triples, no types from
rdfs:domain/rdfs:range. Every triple added here is in the RDFS closure of the asserted graph.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from coopkg.errors import CoopkgError
from coopkg.namespaces import RDFS

MODES = ("rdfs", "none")
DEFAULT = "rdfs"

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS = ox.NamedNode(RDFS + "subClassOf")
SUBPROPERTY = ox.NamedNode(RDFS + "subPropertyOf")
# Superclasses that every resource has in RDFS (and OWL): typing with them says nothing.
TRIVIAL_CLASSES = {
    ox.NamedNode(RDFS + "Resource"),
    ox.NamedNode("http://www.w3.org/2002/07/owl#Thing"),
}


def asserted(store: ox.Store) -> list[ox.Triple]:
    """The triples of the store's default graph (the project graph as loaded)."""
    return [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    ]


def supers(triples: Iterable[ox.Triple], relation: ox.NamedNode) -> dict[ox.NamedNode, set]:
    """Each IRI's strict super-terms under relation (transitive, never the term itself)."""
    direct: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for t in triples:
        if (
            t.predicate == relation
            and isinstance(t.subject, ox.NamedNode)
            and isinstance(t.object, ox.NamedNode)
            and t.subject != t.object
        ):
            direct.setdefault(t.subject, set()).add(t.object)
    closed: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for term in direct:
        seen: set[ox.NamedNode] = set()
        todo = list(direct[term])
        while todo:
            up = todo.pop()
            if up not in seen:
                seen.add(up)
                todo.extend(direct.get(up, ()))
        seen.discard(term)  # a cycle (C ⊑ D ⊑ C) makes them equivalent, not C ⊑ C
        closed[term] = seen
    return closed


def entailments(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The superclass types and superproperty statements that triples entail and do not state,
    in a stable order."""
    have = set(triples)
    by_property = supers(triples, SUBPROPERTY)
    added: set[ox.Triple] = set()
    for t in triples:
        for prop in by_property.get(t.predicate, ()):
            added.add(ox.Triple(t.subject, prop, t.object))
    by_class = supers(triples, SUBCLASS)
    for t in [*triples, *added]:
        if t.predicate == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            for cls in by_class.get(t.object, ()):
                if cls not in TRIVIAL_CLASSES:
                    added.add(ox.Triple(t.subject, RDF_TYPE, cls))
    return sorted(added - have, key=str)


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise CoopkgError(f"unknown entailment {mode!r} (known: {', '.join(MODES)})")
    return mode


def graph_store(store: ox.Store, mode: str = DEFAULT) -> ox.Store:
    """The triples to export or load: the store itself for 'none', else a new in-memory store
    with the asserted triples and their entailments (all in the default graph)."""
    if check_mode(mode) == "none":
        return store
    triples = asserted(store)
    out = ox.Store()
    out.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    out.extend(ox.Quad(t.subject, t.predicate, t.object) for t in entailments(triples))
    return out
