"""A persistent, on-disk pyoxigraph store of the project graph (or given files).

`build(files, store_dir)` bulk-loads the files into a fresh RocksDB store, written first into a
temporary sibling directory and renamed into place, so a failure never leaves a half-written
store behind. `open_read_only(store_dir)` opens such a store without parsing anything: opening
costs milliseconds whatever the graph's size, where parsing a million triples costs seconds.
`cached(files)` does both through a cache keyed by the input files' SHA-256, so a store is
rebuilt automatically when any input changes.

Layout of a store directory:
    DIR/oxigraph/       the pyoxigraph (RocksDB) store
    DIR/manifest.json   the inputs (path, sha256, size), the triple count and the digest
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from coopkg import paths
from coopkg.errors import CoopkgError
from coopkg.graph import rdf_format, syntax_error_message

STORE_SUBDIR = "oxigraph"
MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
# Cached stores kept besides the current one (older keys are removed when a new one is built).
CACHE_KEEP = 3


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def inputs_manifest(files: Sequence[Path]) -> list[dict]:
    """Path, size and SHA-256 of each input, in load order; a missing file is a CoopkgError."""
    entries = []
    for path in files:
        shown = paths.display(path)
        if not path.is_file():
            raise CoopkgError(f"{shown}: no such file")
        rdf_format(path)  # an unknown extension fails here, before any work
        entries.append({"path": str(path.resolve()), "sha256": file_sha256(path)})
    return entries


def inputs_digest(entries: Iterable[dict]) -> str:
    """One key for a list of inputs: changes when any file's content, name or order changes."""
    digest = hashlib.sha256(f"coopkg-store-v{MANIFEST_VERSION}\n".encode())
    for entry in entries:
        digest.update(f"{entry['path']}\t{entry['sha256']}\n".encode())
    return digest.hexdigest()


def _bulk_load(store: ox.Store, path: Path, graph: str | None = None) -> None:
    shown = paths.display(path)
    into = {"to_graph": ox.NamedNode(graph)} if graph else {}
    try:
        store.bulk_load(
            path=str(path), format=rdf_format(path), base_iri=path.resolve().as_uri(), **into
        )
    except SyntaxError as exc:
        raise CoopkgError(syntax_error_message(shown, exc)) from exc
    except (OSError, ValueError) as exc:
        raise CoopkgError(f"{shown}: {exc}") from exc


def build(files: Sequence[Path] | None, store_dir: Path, graph: str | None = None) -> dict:
    """Bulk-load files (default: the project graph) into store_dir; return its manifest.

    The triples go to the default graph, or to the named graph `graph` (the store that
    `coopkg serve` reads: its queries see the union of graphs, so both work there). The store is
    written into a temporary directory next to store_dir and renamed into place only once
    complete; an existing store at store_dir is replaced only then.
    """
    project = files is None
    files = [Path(f) for f in (paths.graph_files() if files is None else files)]
    if not files:
        raise CoopkgError("no input files to build a store from")
    entries = inputs_manifest(files)
    store_dir = Path(store_dir)
    if store_dir.exists() and not (store_dir / MANIFEST).is_file():
        if any(store_dir.iterdir()):
            raise CoopkgError(
                f"{store_dir}: exists and is not a coopkg store (no {MANIFEST}); "
                "choose an empty or new directory"
            )
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{store_dir.name}.build-", dir=store_dir.parent))
    try:
        store = ox.Store(str(tmp / STORE_SUBDIR))
        for path in files:
            before = len(store)
            _bulk_load(store, path, graph)
            if project and len(store) == before:
                raise CoopkgError(f"{paths.display(path)}: holds no triples {paths.where()}")
        store.optimize()
        triples = len(store)
        store.flush()
        del store  # release the RocksDB lock before the directory moves
        manifest = {
            "version": MANIFEST_VERSION,
            "digest": inputs_digest(entries),
            "inputs": entries,
            "triples": triples,
        }
        if graph:
            manifest["graph"] = graph
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        replace_dir(tmp, store_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def replace_dir(new: Path, target: Path) -> None:
    """Move new to target; an old target is moved aside first and removed only afterwards."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def read_manifest(store_dir: Path) -> dict:
    path = Path(store_dir) / MANIFEST
    if not path.is_file():
        raise CoopkgError(
            f"{store_dir}: no coopkg store here; run `coopkg build --store {store_dir}`"
        )
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CoopkgError(f"{path}: unreadable store manifest ({exc})") from exc


def open_read_only(store_dir: Path) -> ox.Store:
    """Open a store built by `build` read-only (no parsing; safe to share between processes)."""
    read_manifest(store_dir)
    try:
        return ox.Store.read_only(str(Path(store_dir) / STORE_SUBDIR))
    except OSError as exc:
        raise CoopkgError(f"{store_dir}: cannot open the store read-only ({exc})") from exc


def is_current(store_dir: Path, files: Sequence[Path]) -> bool:
    """True when store_dir was built from exactly these files with their current content."""
    try:
        manifest = read_manifest(store_dir)
    except CoopkgError:
        return False
    return manifest.get("digest") == inputs_digest(inputs_manifest(files))


def cache_root() -> Path:
    """$COOPKG_CACHE, else $XDG_CACHE_HOME/coopkg, else ~/.cache/coopkg."""
    explicit = os.environ.get("COOPKG_CACHE")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "coopkg"


def cached_store_dir(
    files: Sequence[Path] | None = None, root: Path | None = None, graph: str | None = None
) -> Path:
    """The cache directory for these inputs (and target graph), built when missing or stale.

    Every built store lives here, under the user's cache (cache_root), keyed by the inputs'
    content; the CACHE_KEEP most recent are kept."""
    project = files is None
    files = [Path(f) for f in (paths.graph_files() if files is None else files)]
    entries = inputs_manifest(files)
    base = (root or cache_root()) / "stores"
    key = inputs_digest(entries if not graph else [{"path": graph, "sha256": ""}, *entries])
    store_dir = base / key
    if not (store_dir / MANIFEST).is_file():
        build(None if project else files, store_dir, graph)
        _prune(base, keep=store_dir)
    return store_dir


def cached(files: Sequence[Path] | None = None, root: Path | None = None) -> ox.Store:
    """A read-only store of these inputs from the cache (built on first use or after a change)."""
    return open_read_only(cached_store_dir(files, root))


def _prune(base: Path, keep: Path) -> None:
    """Remove all but the CACHE_KEEP most recently built stores (never `keep`)."""
    stores = sorted(
        (d for d in base.iterdir() if d.is_dir() and (d / MANIFEST).is_file() and d != keep),
        key=lambda d: (d / MANIFEST).stat().st_mtime,
        reverse=True,
    )
    for stale in stores[CACHE_KEEP - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)
