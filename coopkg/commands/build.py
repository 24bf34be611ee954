"""`coopkg build [FILE ...] [--store DIR]`: bulk-load the graph into a persistent store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DESCRIPTION = """\
Bulk-load the project graph (or the given RDF files) into a persistent Oxigraph store on disk,
so that later commands open it in milliseconds instead of parsing the files again: pass
`--store DIR` to them. The store is built in a temporary directory beside DIR and renamed into
place, so a failed build leaves any previous store as it was.

Without --store the store goes to the cache ($COOPKG_CACHE, else ~/.cache/coopkg), keyed by the
SHA-256 of the input files: it is rebuilt automatically when one of them changes."""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "build",
        help="bulk-load the graph into a persistent store (for large graphs)",
        description=DESCRIPTION,
        epilog="Exit codes: 0 built, 2 usage, input, parse or runtime error.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help="RDF files (default: graph)")
    p.add_argument("--store", type=Path, metavar="DIR", help="store directory (default: cache)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coopkg import persist

    files = args.files or None
    if args.store is None:
        store_dir = persist.cached_store_dir(files)
        manifest = persist.read_manifest(store_dir)
    else:
        store_dir = args.store
        manifest = persist.build(files, store_dir)
    print(
        f"built {store_dir}: {manifest['triples']} triples from {len(manifest['inputs'])} file(s)"
    )
    sys.stdout.flush()
    return 0
