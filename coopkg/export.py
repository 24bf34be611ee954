"""Export the project graph: ttl, nt, xml, jsonld (every article merged into one graph; jsonld
compacted with coopkg/context.jsonld); nq, trig (one named graph per article: named_graphs())."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from coopkg import atomic, formats, namespaces, paths
from coopkg.errors import CoopkgError

FORMATS = {name: formats.by_name(name) for name in formats.NAMES}
QUAD_FORMATS = formats.QUAD_NAMES


def format_for(fmt: str | None, out: Path | None) -> str:
    """The export format: named, or guessed from --out's extension; must be named for stdout."""
    if fmt:
        if fmt not in FORMATS:
            raise CoopkgError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
        implied = _name_of_extension(out.suffix) if out is not None else None
        if implied is not None and implied != fmt:
            raise CoopkgError(
                f"--format {fmt} does not match {out}: its extension {out.suffix} means "
                f"{implied}; leave out --format (the extension decides) or rename the file"
            )
        return fmt
    if out is None:
        raise CoopkgError("name the format with --format when writing to stdout")
    guessed = _name_of_extension(out.suffix)
    if guessed is None:
        raise CoopkgError(
            f"{out}: cannot guess the format from {out.suffix or 'no extension'!r}; use --format"
        )
    return guessed


def _name_of_extension(suffix: str) -> str | None:
    fmt = formats.by_extension(suffix)
    return None if fmt is None else formats.name_of(fmt)


def context() -> dict:
    """The JSON-LD @context shipped with the package (short keys for web developers)."""
    return json.loads(paths.package_file("context.jsonld").read_text(encoding="utf-8"))["@context"]


def serialize(store: ox.Store, fmt: str) -> bytes:
    """The store's default graph in the format (quad formats: inside the named graph)."""
    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    ]
    if fmt in QUAD_FORMATS:
        graph = ox.NamedNode(namespaces.GRAPH_IRI)
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        prefixes = formats.used_prefixes(triples) if fmt == "trig" else None
        return ox.serialize(quads, format=FORMATS[fmt], prefixes=prefixes)
    if fmt == "jsonld":
        return jsonld(triples)
    prefixes = formats.used_prefixes(triples) if fmt in ("ttl", "xml") else None
    return ox.serialize(triples, format=FORMATS[fmt], prefixes=prefixes)


def serialize_graphs(graphs: list[tuple[str, ox.Store]], fmt: str) -> bytes:
    """Quads: each store's default graph in its named graph, in the order given."""
    quads = [
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(iri))
        for iri, store in graphs
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    ]
    prefixes = formats.used_prefixes(quads) if fmt == "trig" else None
    return ox.serialize(quads, format=FORMATS[fmt], prefixes=prefixes)


def named_graphs(entailment: str = "none") -> list[tuple[str, ox.Store]]:
    """The named graphs of a quad export (docs/model.md "Articles and named graphs"), in order.

    The seed article's graph (namespaces.GRAPH_IRI) holds its files (paths.SEED_FILES: facts,
    spans, anchors) with the ontology, the concept schemes and the links, the parts every
    article shares: with the seed article alone it is the whole project graph, as `coopkg load`
    writes it. Every further article (data/articles/<slug>.ttl) is a graph of its own,
    GRAPH_BASE + <slug>, holding that file's triples. With entailment 'rdfs' each graph also
    holds the entailments of its own triples under the project's class and property hierarchy
    (coopkg/entail.py)."""
    from coopkg import entail, graph

    articles = paths.article_files()
    others = {path.resolve() for _iri, path in articles[1:]}
    shared = [f for f in paths.graph_files() if f.resolve() not in others]
    first = graph.open_store(shared, each_nonempty=True)
    found = [(articles[0][0], entail.graph_store(first, entailment))]
    hierarchy = [
        t for t in entail.asserted(first) if t.predicate in (entail.SUBCLASS, entail.SUBPROPERTY)
    ]
    for iri, path in articles[1:]:
        store = graph.open_store([path], each_nonempty=True)
        if entail.check_mode(entailment) == "rdfs":
            own = entail.asserted(store)
            store.extend(
                ox.Quad(t.subject, t.predicate, t.object)
                for t in entail.entailments([*hierarchy, *own])
            )
        found.append((iri, store))
    return found


def export_project(fmt: str, out: Path | None, entailment: str = "none") -> bytes | None:
    """The project graph in fmt (quad formats: one named graph per article), written to out
    atomically, or returned when out is None (stdout)."""
    from coopkg import graph

    if fmt in QUAD_FORMATS:
        data = serialize_graphs(named_graphs(entailment), fmt)
        if out is None:
            return data
        atomic.write_bytes(out, data)
        return None
    return export(graph.open_store(), fmt, out, entailment=entailment)


def jsonld(triples: list[ox.Triple]) -> bytes:
    """JSON-LD compacted with the project's context (rdflib does the compaction), in one order.

    rdflib lists the nodes in the order of a Python set of its terms, which changes with the
    interpreter's hash seed; the nodes and every array of values are sorted here (keys are
    sorted by the JSON writer), so the same graph gives the same bytes in every run. Arrays of
    an @list (ordered) are left as they are."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    text = graph.serialize(format="json-ld", context=context(), auto_compact=True)
    document = json.loads(text)
    ordered = {k: v if k == "@context" else _in_order(v, k) for k, v in document.items()}
    text = json.dumps(ordered, indent=2, separators=(",", ": "), sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


@cache
def _list_terms() -> frozenset[str]:
    """The context's terms whose values are ordered lists (@container @list), and @list."""
    found = {"@list"}
    for term, definition in context().items():
        if isinstance(definition, dict):
            container = definition.get("@container")
            if container == "@list" or (isinstance(container, list) and "@list" in container):
                found.add(term)
    return frozenset(found)


@cache
def _id_keys() -> tuple[str, ...]:
    """@id and the context's aliases of it ("id")."""
    return ("@id", *sorted(k for k, v in context().items() if v == "@id"))


def _order_key(value, ids: tuple[str, ...]) -> tuple:
    """Nodes by their id, then anything by its JSON text: a total order of JSON values."""
    node_id = ""
    if isinstance(value, dict):
        node_id = next((value[k] for k in ids if isinstance(value.get(k), str)), "")
    return (node_id, json.dumps(value, sort_keys=True, ensure_ascii=False))


def _in_order(value, key: str | None = None):
    """value with every array sorted (nodes by id, the rest by JSON text), except @list arrays."""
    if isinstance(value, dict):
        return {k: _in_order(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_in_order(v) for v in value]
        if key in _list_terms():
            return items
        ids = _id_keys()
        return sorted(items, key=lambda v: _order_key(v, ids))
    return value


def export(store: ox.Store, fmt: str, out: Path | None, entailment: str = "none") -> bytes | None:
    """Write the export to out atomically; return the bytes when out is None (stdout).
    entailment 'rdfs' adds the RDFS entailments of coopkg/entail.py to the asserted triples."""
    from coopkg import entail

    data = serialize(entail.graph_store(store, entailment), fmt)
    if out is None:
        return data
    atomic.write_bytes(out, data)
    return None
