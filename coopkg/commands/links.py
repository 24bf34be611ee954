"""`coopkg links [ENTITY ...] [--check --endpoint URL]`: external identifiers, and a check of
the Wikidata links against a SPARQL endpoint."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "links",
        help="list entities' external identifiers as URLs; --check them at a SPARQL endpoint",
        description="List the external identifiers (Wikidata, GeoNames, OpenStreetMap, ISO "
        "3166-2, GSO codes) of an entity, named by IRI, kg: name or label (accents optional), "
        "or of every linked entity. With --check, ask a SPARQL endpoint (Wikidata's: "
        "https://query.wikidata.org/sparql) whether each linked Wikidata item exists and has a "
        "vi or en label matching ours.",
        epilog="Exit codes: 0 success (--check: every link matches), 1 --check found a missing "
        "or mismatched item, 2 usage, input or network error.",
    )
    p.add_argument("entity", nargs="*", help="IRI, kg: name or label (default: all linked)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("en", "vi"), default="en", help="label language (en)")
    p.add_argument("--check", action="store_true", help="check the Wikidata links at --endpoint")
    p.add_argument("--endpoint", metavar="URL", help="SPARQL endpoint for --check")
    p.add_argument(
        "--timeout", type=float, default=30.0, metavar="SECONDS", help="endpoint timeout (30)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from coopkg import graph, links
    from coopkg.errors import CoopkgError

    if args.check and not args.endpoint:
        raise CoopkgError(
            "--check needs --endpoint URL (Wikidata's is https://query.wikidata.org/sparql)"
        )
    if args.endpoint and not args.check:
        raise CoopkgError("--endpoint is used only with --check")
    store = graph.open_store()
    if args.check:
        iris = None
        if args.entity:
            iris = [i for name in args.entity for i in links.resolve_entities(store, name)]
        checks = links.check_wikidata(store, args.endpoint, iris=iris, timeout=args.timeout)
        if not checks:
            raise CoopkgError(
                "no Wikidata link to check"
                + (" for " + ", ".join(args.entity) if args.entity else "")
            )
        sys.stdout.write(links.format_checks(checks, args.endpoint))
        return 0 if all(c.status == "ok" for c in checks) else 1
    found = links.entities(store, args.entity)
    if args.format == "json":
        sys.stdout.write(links.format_json(found))
    else:
        sys.stdout.write(links.format_text(found, args.lang))
    return 0
