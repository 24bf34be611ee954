"""`coopkg load URL`: write the project graph to a SPARQL server's Graph Store (GSP) endpoint."""

from __future__ import annotations

import argparse
import sys

DESCRIPTION = """\
Write the project graph into one named graph of a SPARQL server through the SPARQL 1.1 Graph
Store HTTP Protocol. URL is the server's GSP endpoint, e.g. Oxigraph http://HOST:7878/store,
Fuseki http://HOST:3030/DATASET/data, GraphDB http://HOST:7200/repositories/ID/rdf-graphs/service,
Virtuoso http://HOST:8890/sparql-graph-crud-auth.

PUT replaces the graph (loading twice gives the same graph); --append POSTs. With
--update-endpoint the data goes to a temporary graph first and replaces the target in one
SPARQL Update (MOVE), so a failed load leaves the target as it was. Credentials come from
COOPKG_USER/COOPKG_PASSWORD or ~/.netrc, never from the command line.

With several articles (data/agreement.ttl and data/articles/*.ttl) the graph sent is all of them
merged, so the dataset's queries see every article in --graph; to keep one named graph per
article, load what `coopkg export --format nq` writes with the server's own bulk loader."""


def register(subparsers) -> None:
    from coopkg.paths import GRAPH_IRI

    p = subparsers.add_parser(
        "load",
        help="write the graph to a SPARQL server (Graph Store Protocol)",
        description=DESCRIPTION,
        epilog="Exit codes: 0 loaded (and verified), 2 usage, input, network or server error.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("url", metavar="URL", help="the server's Graph Store Protocol endpoint")
    p.add_argument(
        "--graph",
        metavar="IRI",
        default=GRAPH_IRI,
        help=f"target named graph; it receives every article, merged ({GRAPH_IRI})",
    )
    p.add_argument("--append", action="store_true", help="add to the graph (POST), not replace")
    p.add_argument(
        "--endpoint",
        metavar="QUERY_URL",
        help="the server's SPARQL query endpoint, to read back the triple count",
    )
    p.add_argument(
        "--update-endpoint",
        metavar="URL",
        help="the server's SPARQL Update endpoint: load via a temporary graph and one MOVE",
    )
    p.add_argument(
        "--verify",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="read back the triple count (default: on when --endpoint is given)",
    )
    p.add_argument(
        "--timeout", type=float, default=60.0, metavar="SECONDS", help="per request (60)"
    )
    from coopkg.commands.export import ENTAILMENT

    p.add_argument("--entailment", choices=("rdfs", "none"), default="rdfs", help=ENTAILMENT)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coopkg import entail, graph, gsp
    from coopkg.errors import CoopkgError

    if args.timeout <= 0:
        raise CoopkgError("--timeout must be more than 0 seconds")
    # The triples sent: the asserted graph plus, by default, its RDFS entailments.
    store = entail.graph_store(graph.open_store(), args.entailment)
    triples = len(store)
    if triples == 0:
        raise CoopkgError("the project graph is empty: nothing to load")
    result = gsp.load_store(
        store,
        store_url=args.url,
        graph=args.graph,
        append=args.append,
        update_url=args.update_endpoint,
        query_url=args.endpoint,
        verify=args.verify,
        timeout=args.timeout,
    )
    how = "appended to" if args.append else "replaced"
    mode = "via a temporary graph and one update" if result.atomic_via_update else "in one request"
    print(f"{how} <{result.graph}> at {args.url} with {triples} triples ({mode})")
    if result.triples_read_back is not None:
        print(f"verified: <{result.graph}> now holds {result.triples_read_back} triples")
    elif not result.atomic_via_update:
        print(
            "note: without --update-endpoint the load is only as atomic as the server's PUT",
            file=sys.stderr,
        )
    return 0
