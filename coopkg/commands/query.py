"""`coopkg query NAME|FILE|-e TEXT|-`: run a read query on the graph or on an endpoint."""

from __future__ import annotations

import argparse
import io
import sys

from coopkg import namespaces

# The same names as coopkg.results.ALL_FORMATS, spelled out so --help needs no import.
FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "query",
        help="run a SPARQL query (a name in queries/, a .rq file, -e TEXT or - for stdin)",
        description="Run a read-only SPARQL query on the project graph or on an endpoint.",
        epilog="Exit codes: 0 success, 2 usage, input, parse, network or runtime error.",
    )
    p.add_argument("query", nargs="?", help="query name (see `coopkg queries`), .rq path, or -")
    p.add_argument("-e", "--expr", metavar="TEXT", help="the query text itself")
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="table (default on a terminal), csv (default otherwise), tsv, json, xml; "
        "CONSTRUCT/DESCRIBE: ttl (default), nt, jsonld",
    )
    p.add_argument(
        "--bind",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help='bind ?NAME to a Turtle term: <iri>, "text"@vi, 42, kg:ha-noi (repeatable)',
    )
    p.add_argument(
        "--lang",
        choices=("vi", "en"),
        help="label language, for queries with ?lang; also the language a table shows (en)",
    )
    p.add_argument(
        "--wide",
        action="store_true",
        help="table: every column, in both languages, unwrapped (default: the readable view "
        "that fits the terminal)",
    )
    p.add_argument(
        "--width",
        type=int,
        metavar="COLUMNS",
        help="table: wrap to this many columns (default: $COLUMNS, else the terminal's width)",
    )
    p.add_argument("--endpoint", metavar="URL", help="run on this SPARQL 1.1 endpoint instead")
    p.add_argument(
        "--timeout", type=float, default=30.0, metavar="SECONDS", help="endpoint timeout (30)"
    )
    graphs = p.add_mutually_exclusive_group()
    graphs.add_argument(
        "--graph",
        metavar="IRI",
        help="with --endpoint: the named graph to query as the default graph (SPARQL Protocol "
        "default-graph-uri); the project's dataset graph unless --union",
    )
    graphs.add_argument(
        "--union",
        action="store_true",
        help="with --endpoint: send no default-graph-uri (the endpoint's own default graph)",
    )
    # Persistent store (coopkg build): open it read-only instead of parsing the files.
    p.add_argument("--store", metavar="DIR", help="query a store built by `coopkg build`")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coopkg import query as q
    from coopkg import results
    from coopkg.errors import CoopkgError

    if (args.query is None) == (args.expr is None):
        raise CoopkgError("give exactly one of: a query name or file, -e TEXT, or -")
    query = q.resolve(args.query, text=args.expr)
    bindings = {}
    if args.bind:
        from coopkg import terms

        bindings = dict(terms.parse_binding(b) for b in args.bind)
    q.bind(query, bindings, lang=args.lang)
    if (args.graph or args.union) and not args.endpoint:
        raise CoopkgError("--graph and --union apply to --endpoint only")
    hint = None
    if args.endpoint:
        from coopkg import endpoint

        graph = None if args.union else (args.graph or namespaces.GRAPH_IRI)
        if graph is not None:
            from coopkg import gsp

            gsp.check_graph_iri(graph)
        answer = endpoint.ask(args.endpoint, query, timeout=args.timeout, graph=graph)
        result = answer.result
        hint = answer.hint(args.endpoint)
    else:
        from coopkg import graph

        if args.store:
            from coopkg import persist

            store = persist.open_read_only(args.store)
        else:
            store = graph.open_store()
        result = q.run_embedded(store, query)
    fmt = args.format or results.default_format(result, sys.stdout.isatty())
    # pyoxigraph evaluates lazily: a SERVICE that fails, say, fails while the rows are read.
    # Render into memory first, so such an error is one line and stdout gets no partial table.
    rendered = io.BytesIO()
    options = {}
    if fmt == "table":
        options = {
            "width": results.terminal_width(args.width),
            "lang": args.lang,
            "view": None if args.wide else view_of(query),
            "wide": args.wide,
        }
    try:
        results.write(result, fmt, rendered, **options)
    except (RuntimeError, OSError, ValueError) as exc:
        raise CoopkgError(f"{query.source}: while evaluating the query: {exc}") from exc
    out = sys.stdout.buffer
    out.write(rendered.getvalue())
    out.flush()
    if hint:
        print(hint, file=sys.stderr)
    return 0


def view_of(query):
    """The readable view of a named query (coopkg.views), None for other queries."""
    from coopkg import paths, views

    if query.path is None or query.path.parent.resolve() != paths.queries_dir().resolve():
        return None
    return views.VIEWS.get(query.path.stem)
