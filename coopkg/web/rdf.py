"""An entity's description as Turtle, N-Triples or JSON-LD (with the project's context).

JSON-LD is written directly as node objects under the project's @context (coopkg/context.jsonld,
inlined so the document stands alone): IRIs as compact IRIs where a context prefix covers them,
literals as value objects. That is valid compacted JSON-LD and costs microseconds, where a
general compaction algorithm (rdflib) costs ~10 ms per entity; tests read it back with a JSON-LD
parser and compare the triples with the Turtle.
"""

from __future__ import annotations

import json
from functools import cache

import pyoxigraph as ox

from coopkg import formats, paths

# extension: (media type, pyoxigraph format; JSON-LD is written by jsonld() with the context)
FORMATS = {ext: (formats.media_type(ext), formats.by_name(ext)) for ext in ("ttl", "nt", "jsonld")}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@cache
def context() -> dict:
    text = paths.package_file("context.jsonld").read_text(encoding="utf-8")
    return json.loads(text)["@context"]


@cache
def _prefixes() -> tuple[tuple[str, str], ...]:
    """(prefix, namespace) pairs of the context, longest namespace first."""
    pairs = [(k, v) for k, v in context().items() if isinstance(v, str) and v.endswith(("#", "/"))]
    return tuple(sorted(pairs, key=lambda kv: -len(kv[1])))


def _compact(iri: str) -> str:
    for prefix, ns in _prefixes():
        if iri.startswith(ns) and len(iri) > len(ns):
            local = iri[len(ns) :]
            if not local.startswith("//") and ":" not in local:
                return f"{prefix}:{local}"
    return iri


def serialize(triples: list[ox.Triple], ext: str) -> bytes:
    if ext == "jsonld":
        return jsonld(triples)
    fmt = FORMATS[ext][1]
    prefixes = formats.used_prefixes(triples) if ext == "ttl" else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes)


def _node_id(term) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return _compact(term.value)


def _object(term) -> dict:
    if isinstance(term, ox.Literal):
        value: dict = {"@value": term.value}
        if term.language:
            value["@language"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            value["@type"] = _compact(term.datatype.value)
        return value
    return {"@id": _node_id(term)}


def jsonld(triples: list[ox.Triple]) -> bytes:
    nodes: dict[str, dict] = {}
    for t in triples:
        key = _node_id(t.subject)
        node = nodes.setdefault(key, {"@id": key})
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(_compact(t.object.value))
        else:
            node.setdefault(_compact(t.predicate.value), []).append(_object(t.object))
    document = {"@context": context(), "@graph": list(nodes.values())}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
