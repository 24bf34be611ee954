"""RDF formats: the short names `--format` takes and the file extensions read as RDF, resolved
through pyoxigraph's own table (RdfFormat.from_extension), so the format list is kept in one
place and follows the library."""

from __future__ import annotations

import pyoxigraph as ox

from coopkg import namespaces

# The names `--format` takes for RDF; each is an extension pyoxigraph knows ("xml": RDF/XML).
NAMES = ("ttl", "nt", "nq", "trig", "jsonld", "xml")
QUAD_NAMES = ("nq", "trig")
# Extensions read as RDF (listed in messages); all but .owl (RDF/XML by convention) are
# pyoxigraph's own.
EXTENSIONS = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".json", ".rdf", ".xml", ".owl")
_CONVENTIONS = {".owl": ox.RdfFormat.RDF_XML}


def by_name(name: str) -> ox.RdfFormat | None:
    """The pyoxigraph format of a `--format` name, or None."""
    return ox.RdfFormat.from_extension(name) if name in NAMES else None


def by_extension(suffix: str) -> ox.RdfFormat | None:
    """The pyoxigraph format of a file extension ('.ttl', '.OWL'), or None when not RDF."""
    suffix = suffix.lower()
    if suffix not in EXTENSIONS:
        return None
    return _CONVENTIONS.get(suffix) or ox.RdfFormat.from_extension(suffix[1:])


def name_of(fmt: ox.RdfFormat) -> str:
    """The `--format` name of a pyoxigraph format."""
    return next(name for name in NAMES if by_name(name) == fmt)


def media_type(name: str) -> str:
    """The HTTP content type of a `--format` name, with the charset RDF text is written in."""
    return f"{by_name(name).media_type}; charset=utf-8"


def used_prefixes(triples: list[ox.Triple] | list[ox.Quad]) -> dict[str, str]:
    """The project prefixes that the triples use, so Turtle output has no unused @prefix."""
    iris = {t.value for tr in triples for t in tr if isinstance(t, ox.NamedNode)}
    return {p: ns for p, ns in namespaces.PREFIXES.items() if any(i.startswith(ns) for i in iris)}
