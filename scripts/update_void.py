#!/usr/bin/env python3
"""Recompute the VoID statistics in data/catalog.ttl from the project graph and rewrite them.

Usage: update_void.py [--check]

The project graph (ontology + concepts + the seed article's facts, spans and anchors + other
articles + links, what `coopkg export --format nt` writes) changes as the data grows, so its
counts are computed, never typed by hand:
- the dataset's void:triples (triples in the graph), void:entities (distinct subjects in the
  dataset's void:uriSpace) and void:vocabulary (namespaces of the predicates and classes used);
- each void:Linkset's void:triples (triples with its void:linkPredicate from a subject in the
  dataset's void:uriSpace to an object in the target dataset's void:uriSpace);
- the void:triples of each void:Dataset that is prov:wasDerivedFrom such a dataset and whose IRI
  ends in "-rdfs": the asserted triples plus their RDFS entailments (coopkg/entail.py), what
  `coopkg export` and `coopkg load` write by default. The dataset's own void:triples stays the
  asserted count (`coopkg export --entailment none`).
``--check`` rewrites nothing and exits 1 listing what is stale. Exit codes: 0 up to date (or
rewritten), 1 stale with --check, 2 a file does not load.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "data" / "catalog.ttl"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

sys.path.insert(0, str(ROOT))  # run as a script from a checkout: import coopkg from it
sys.path.insert(0, str(ROOT / "scripts"))  # and the canonical Turtle formatter beside us


@dataclass
class VoidStats:
    """What the catalog should say: per dataset and per linkset IRI."""

    triples: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    vocabularies: dict[str, set[str]] = field(default_factory=dict)


def namespace(iri: str) -> str:
    """The vocabulary namespace of a term: the IRI up to and including its last '#' or '/'."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def open_project_store():
    """The project graph in an embedded store, loaded exactly as `coopkg export` loads it."""
    from coopkg import graph

    return graph.open_store()


def _rows(store, query: str) -> list:
    return list(store.query(query))


def compute(store, catalog) -> VoidStats:
    """Counts for every void:Dataset with a void:uriSpace that is the subject of linksets."""
    from rdflib import RDF, URIRef
    from rdflib.namespace import PROV
    from rdflib.namespace import VOID as V

    derived_from = PROV.wasDerivedFrom
    stats = VoidStats()
    datasets = [d for d in catalog.subjects(RDF.type, V.Dataset) if (d, V.subset, None) in catalog]
    for dataset in datasets:
        space = str(catalog.value(dataset, V.uriSpace))
        stats.triples[str(dataset)] = len(store)
        for derived in catalog.subjects(derived_from, dataset):
            if str(derived).endswith("-rdfs") and (derived, RDF.type, V.Dataset) in catalog:
                from coopkg import entail

                stats.triples[str(derived)] = len(entail.graph_store(store, "rdfs"))
        n = _rows(
            store,
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
            f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{space}")) }}',
        )[0]["n"]
        stats.entities[str(dataset)] = int(n.value)
        used = _rows(
            store,
            f"SELECT DISTINCT ?t WHERE {{ {{ ?s ?t ?o }} UNION {{ ?s <{RDF_TYPE}> ?t }} }}",
        )
        spaces = {namespace(r["t"].value) for r in used if hasattr(r["t"], "value")}
        stats.vocabularies[str(dataset)] = {s for s in spaces if s and s != space}
        for linkset in catalog.objects(dataset, V.subset):
            if (linkset, RDF.type, V.Linkset) not in catalog:
                continue
            predicate = catalog.value(linkset, V.linkPredicate)
            target = catalog.value(linkset, V.objectsTarget)
            target_space = catalog.value(target, V.uriSpace) if target is not None else None
            if not isinstance(predicate, URIRef) or target_space is None:
                raise ValueError(
                    f"{linkset}: a linkset needs void:linkPredicate and a target "
                    "dataset with void:uriSpace"
                )
            n = _rows(
                store,
                f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{predicate}> ?o "
                f'FILTER(STRSTARTS(STR(?s), "{space}") && isIRI(?o) '
                f'&& STRSTARTS(STR(?o), "{target_space}")) }}',
            )[0]["n"]
            stats.triples[str(linkset)] = int(n.value)
    return stats


def load_catalog(path: Path = CATALOG):
    import rdflib

    return rdflib.Graph(bind_namespaces="none").parse(path, format="turtle")


def stale(catalog, stats: VoidStats) -> list[str]:
    """One line per VoID value in the catalog that differs from the computed one."""
    from rdflib import URIRef
    from rdflib.namespace import VOID as V

    problems: list[str] = []

    def check(subject: str, prop, want) -> None:
        have = set(catalog.objects(URIRef(subject), prop))
        have_py = {h.toPython() if hasattr(h, "toPython") else h for h in have}
        want_set = want if isinstance(want, set) else {want}
        if prop == V.vocabulary:
            have_py = {str(h) for h in have}
        if have_py != want_set:
            shown = sorted(map(str, have_py)) or ["nothing"]
            wanted = sorted(map(str, want_set))
            problems.append(
                f"{subject} void:{prop.split('#')[-1]} is {', '.join(shown)}, "
                f"the graph gives {', '.join(wanted)}"
            )

    for subject, n in stats.triples.items():
        check(subject, V.triples, n)
    for subject, n in stats.entities.items():
        check(subject, V.entities, n)
    for subject, spaces in stats.vocabularies.items():
        check(subject, V.vocabulary, spaces)
    return problems


def rewrite(catalog, stats: VoidStats, path: Path = CATALOG) -> None:
    """Replace the VoID values and write the catalog in canonical Turtle (atomically)."""
    from fmt_turtle import canonical
    from rdflib import Literal, URIRef
    from rdflib.namespace import VOID as V
    from rdflib.namespace import XSD

    for table, prop in ((stats.triples, V.triples), (stats.entities, V.entities)):
        for subject, n in table.items():
            catalog.set((URIRef(subject), prop, Literal(n, datatype=XSD.integer)))
    for subject, spaces in stats.vocabularies.items():
        catalog.remove((URIRef(subject), V.vocabulary, None))
        for space in sorted(spaces):
            catalog.add((URIRef(subject), V.vocabulary, URIRef(space)))
    tmp = path.with_suffix(".ttl.tmp")
    catalog.serialize(tmp, format="turtle")
    text = canonical(tmp)
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Recompute void:triples, void:entities, void:vocabulary and the linksets' "
        "void:triples in data/catalog.ttl from the project graph.",
        epilog="Exit codes: 0 up to date or rewritten, 1 stale (--check), 2 a file does not load.",
    )
    parser.add_argument("--check", action="store_true", help="report stale values, rewrite nothing")
    args = parser.parse_args(argv)
    from coopkg.errors import CoopkgError

    try:
        store = open_project_store()
        catalog = load_catalog()
        stats = compute(store, catalog)
    except CoopkgError as exc:
        print(f"update_void: {exc}", file=sys.stderr)
        return 2
    except (SyntaxError, ValueError) as exc:  # rdflib parse errors and bad linksets
        print(f"update_void: {CATALOG}: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    problems = stale(catalog, stats)
    shown = CATALOG.relative_to(ROOT)
    if args.check:
        for line in problems:
            print(f"stale: {line} (run scripts/update_void.py)", file=sys.stderr)
        if not problems:
            print(f"{shown}: VoID statistics up to date ({summary(stats)})")
        return 1 if problems else 0
    if problems:
        rewrite(catalog, stats)
        for line in problems:
            print(f"updated: {line}")
        print(f"{shown}: rewrote {len(problems)} value(s) ({summary(stats)})")
    else:
        print(f"{shown}: VoID statistics already up to date, nothing rewritten ({summary(stats)})")
    return 0


def summary(stats: VoidStats) -> str:
    """The dataset's counts in a few words (the dataset is the entry with the most triples)."""
    dataset = max(stats.entities, key=lambda iri: stats.triples.get(iri, 0), default=None)
    if dataset is None:
        return "no dataset"
    return f"{stats.triples.get(dataset, 0)} triples, {stats.entities[dataset]} entities"


if __name__ == "__main__":
    sys.exit(main())
