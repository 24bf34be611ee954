"""rdflib's SPARQL query processor, with each distinct query parsed and translated once.

pySHACL runs a SPARQL-based constraint once per focus node: it hands rdflib the same query text
each time, with $this as an initial binding, and rdflib parses that text afresh every time. On
the project graph the parsing is about two thirds of a pySHACL run. rdflib itself evaluates a
prepared query many times with other initial bindings (its prepareQuery); this processor does
the same for a text it has seen: the parse and translation are rdflib's, and so is the
evaluation (evalQuery), so the answers are the ones rdflib's own processor gives.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

from rdflib import plugin
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.query import Processor


@functools.lru_cache(maxsize=1024)
def prepared(text: str, base: str | None = None, namespaces: tuple[tuple[str, str], ...] = ()):
    """The query parsed and translated by rdflib, once a process for each text, base and prefix
    bindings (rdflib resolves a prefix the query does not declare with the graph's bindings, so
    they are part of the key). Evaluating the result does not change it."""
    return translateQuery(parseQuery(text), base, dict(namespaces))


class PreparedSPARQLProcessor(SPARQLProcessor):
    """SPARQLProcessor that parses and translates a given query text once per process."""

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(strOrQuery, str):
            namespaces = tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items()))
            strOrQuery = prepared(strOrQuery, base, namespaces)
        return evalQuery(self.graph, strOrQuery, initBindings, base)


@contextlib.contextmanager
def prepared_queries() -> Iterator[None]:
    """Inside the block, rdflib's "sparql" query processor (the one Graph.query uses, and so
    pySHACL) is PreparedSPARQLProcessor; rdflib's own is put back after it."""
    plugin.register("sparql", Processor, __name__, "PreparedSPARQLProcessor")
    try:
        yield
    finally:
        plugin.register("sparql", Processor, "rdflib.plugins.sparql.processor", "SPARQLProcessor")
