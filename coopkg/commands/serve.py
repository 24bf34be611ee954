"""`coopkg serve`: run the real Oxigraph server read-only on the project graph."""

from __future__ import annotations

import argparse
import signal
import sys


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "serve",
        help="serve the graph read-only with Oxigraph (SPARQL endpoint + query page)",
        description="Build an Oxigraph store from the project graph (cached per content) and run "
        "the Oxigraph server read-only on it: a SPARQL 1.1 endpoint at /query and a query page "
        "at /. Updates are refused (HTTP 403). Stop with Ctrl-C or SIGTERM.",
        epilog="Exit codes: 0 stopped cleanly, 2 build or start error (e.g. port in use).",
    )
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (127.0.0.1: this machine only)"
    )
    p.add_argument("--port", type=int, default=7878, help="TCP port (7878)")
    p.add_argument(
        "--cache-dir", metavar="DIR", help="where built stores are kept (default: .cache/)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from coopkg import paths, server
    from coopkg.errors import CoopkgError

    if not 0 < args.port < 65536:
        raise CoopkgError(f"--port {args.port}: must be between 1 and 65535")
    cache_dir = Path(args.cache_dir) if args.cache_dir else server.default_cache_dir()
    # SIGTERM during the build acts like Ctrl-C, so the temporary build directory is removed.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    location = server.build_store(cache_dir)

    def announce(endpoint: server.Endpoint) -> None:
        print(f"SPARQL endpoint: {endpoint.query_url}")
        print(f"query page:      {endpoint.query_page_url}")
        print(f"graph:           <{paths.GRAPH_IRI}> (also the default graph), read-only")
        print(f"store:           {location}")
        print("Ctrl-C stops the server.")
        sys.stdout.flush()

    return server.serve(location, args.host, args.port, announce=announce)
