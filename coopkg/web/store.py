"""The store that `coopkg serve` and `coopkg site` read: the project graph in its named graph.

The project graph's files are bulk-loaded into the named graph GRAPH_IRI of an on-disk
pyoxigraph store, cached per content (the key hashes every input file), built in a temporary
directory and renamed into place. Queries run with the default graph as the union of all
graphs, so both `?s ?p ?o` and `GRAPH <GRAPH_IRI> { … }` see the data. A store built by
`coopkg build` (triples in the default graph) can be served as it is.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from coopkg import paths, persist
from coopkg.errors import CoopkgError
from coopkg.graph import rdf_format, syntax_error_message

KEY_SALT = "coopkg-web-store-v1"


def default_cache_dir() -> Path:
    return paths.root() / ".cache"


def served_store_dir(cache_dir: Path, files: list[Path] | None = None) -> Path:
    """The store directory (DIR/oxigraph + manifest) for these files, built when missing."""
    project = files is None  # a project file that adds no triple is an error, as everywhere
    files = [Path(f) for f in (paths.graph_files() if files is None else files)]
    if not files:
        raise CoopkgError(f"{paths.root()}: no project graph files found (ontology/, data/)")
    entries = persist.inputs_manifest(files)
    key = persist.inputs_digest([{"path": KEY_SALT, "sha256": ""}, *entries])[:16]
    target = Path(cache_dir) / f"web-{key}"
    if (target / persist.MANIFEST).is_file():
        return target
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=cache_dir))
    try:
        store = ox.Store(str(building / persist.STORE_SUBDIR))
        graph = ox.NamedNode(paths.GRAPH_IRI)
        for path in files:
            shown = paths.display(path)
            before = len(store)
            try:
                store.bulk_load(
                    path=str(path),
                    format=rdf_format(path),
                    base_iri=path.resolve().as_uri(),
                    to_graph=graph,
                )
            except SyntaxError as exc:
                raise CoopkgError(syntax_error_message(shown, exc)) from exc
            except (OSError, ValueError) as exc:
                raise CoopkgError(f"{shown}: {exc}") from exc
            if project and len(store) == before:
                raise CoopkgError(f"{shown}: holds no triples {paths.where()}")
        triples = len(store)
        store.flush()
        del store
        manifest = {"version": persist.MANIFEST_VERSION, "inputs": entries, "triples": triples}
        manifest["graph"] = paths.GRAPH_IRI
        (building / persist.MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        try:
            building.rename(target)
        except OSError:
            if not (target / persist.MANIFEST).is_file():
                raise
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    _prune(Path(cache_dir), keep=target)
    return target


def _prune(cache_dir: Path, keep: Path, count: int = 3) -> None:
    """Keep the `count` most recently built stores (never `keep`, the one being served)."""
    built = sorted(
        (d for d in cache_dir.glob("web-*") if (d / persist.MANIFEST).is_file() and d != keep),
        key=lambda d: (d / persist.MANIFEST).stat().st_mtime,
        reverse=True,
    )
    for stale in built[count - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)


def oxigraph_dir(store_dir: Path) -> Path:
    return Path(store_dir) / persist.STORE_SUBDIR


def open_store(store_dir: Path) -> ox.Store:
    """The store read-only (several processes may read it at once)."""
    return persist.open_read_only(store_dir)
