"""The store that `coopkg serve` and `coopkg site` read: the project graph in its named graph.

The project graph's files are bulk-loaded into the named graph GRAPH_IRI of an on-disk
pyoxigraph store, kept in the one cache of built stores (coopkg.persist: keyed by the inputs'
content, built in a temporary directory and renamed into place, pruned). Queries run with the
default graph as the union of all graphs, so both `?s ?p ?o` and `GRAPH <GRAPH_IRI> { … }` see
the data. A store built by `coopkg build` (triples in the default graph) can be served as it is.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from coopkg import namespaces, persist


def served_store_dir(cache_root: Path | None = None, files: list[Path] | None = None) -> Path:
    """The store directory for these files (default: the project graph), the triples in the
    dataset's named graph; built on first use into the one store cache (coopkg.persist)."""
    return persist.cached_store_dir(files, cache_root, graph=namespaces.GRAPH_IRI)


def oxigraph_dir(store_dir: Path) -> Path:
    return Path(store_dir) / persist.STORE_SUBDIR


def open_store(store_dir: Path) -> ox.Store:
    """The store read-only (several processes may read it at once)."""
    return persist.open_read_only(store_dir)
