"""`coopkg stats`: triples, entities by class, commitments by debtor and by field."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "stats",
        help="count triples, entities by class, commitments by debtor and by field and debtor",
        description="Statistics of the project graph.",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("en", "vi"), default="en", help="label language (en)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from coopkg import graph, stats
    from coopkg.results import terminal_width

    s = stats.stats(graph.open_store(), lang=args.lang)
    if args.format == "json":
        sys.stdout.write(stats.format_json(s))
    else:
        sys.stdout.write(stats.format_text(s, terminal_width(), args.lang))
    return 0
