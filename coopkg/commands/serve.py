"""`coopkg serve`: the graph's pages, their RDF and a read-only SPARQL endpoint over HTTP."""

from __future__ import annotations

import argparse
import signal
import sys

from coopkg import namespaces


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "serve",
        help="serve the graph read-only: entity pages, their RDF, a SPARQL endpoint",
        description="Build a store from the project graph (cached per content) and serve it "
        "read-only: every IRI https://w3id.org/coopkg/id/SLUG at /id/SLUG (303 to its page or "
        "its Turtle, JSON-LD or N-Triples by Accept), the home page at /, and a SPARQL 1.1 "
        "endpoint at /query (in a browser: a query page). Updates are refused (HTTP 403), "
        "SERVICE is refused (HTTP 400), queries stop at --timeout, results stop at --max-rows. "
        "Stop with Ctrl-C or SIGTERM.",
        epilog="Exit codes: 0 stopped cleanly, 2 build or start error (e.g. port in use).",
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (127.0.0.1: this machine only)"
    )
    p.add_argument("--port", type=int, default=7878, help="TCP port (7878)")
    p.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where built stores are kept (default: the user cache, $COOPKG_CACHE or "
        "~/.cache/coopkg, shared with `coopkg build`)",
    )
    p.add_argument(
        "--store",
        metavar="DIR",
        help="serve a store built by `coopkg build --store DIR` instead of the project graph",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="a SPARQL query running longer is stopped with HTTP 503 (default: 10)",
    )
    p.add_argument(
        "--max-rows",
        type=int,
        default=10_000,
        metavar="N",
        help="at most N result rows or triples per query (default: 10000)",
    )
    p.add_argument(
        "--workers", type=int, default=2, metavar="N", help="query worker processes (default: 2)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from coopkg import persist, server
    from coopkg.errors import CoopkgError

    if not 0 < args.port < 65536:
        raise CoopkgError(f"--port {args.port}: must be between 1 and 65535")
    if not args.timeout > 0:
        raise CoopkgError(f"--timeout {args.timeout:g}: must be more than 0 seconds")
    if args.max_rows < 1:
        raise CoopkgError(f"--max-rows {args.max_rows}: must be at least 1")
    if not 1 <= args.workers <= 64:
        raise CoopkgError(f"--workers {args.workers}: must be between 1 and 64")
    # SIGTERM during the build acts like Ctrl-C, so the temporary build directory is removed.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    cache_dir = Path(args.cache_dir) if args.cache_dir else server.default_cache_dir()
    if args.store:
        location = Path(args.store)
        persist.read_manifest(location)  # a one-line error when it is not a store
    else:
        location = server.build_store(cache_dir)

    def announce(endpoint: server.Endpoint) -> None:
        print(f"pages:           {endpoint.home_url}")
        print(f"SPARQL endpoint: {endpoint.query_url}")
        print(f"query page:      {endpoint.query_page_url}")
        print(f"graph:           <{namespaces.GRAPH_IRI}> (also the default graph), read-only")
        print(f"store:           {location}")
        print(f"limits:          {args.timeout:g} s per query, {args.max_rows} rows")
        print("Ctrl-C stops the server.")
        sys.stdout.flush()

    return server.serve(
        location,
        args.host,
        args.port,
        timeout=args.timeout,
        max_rows=args.max_rows,
        workers=args.workers,
        cache_dir=cache_dir,
        announce=announce,
    )
