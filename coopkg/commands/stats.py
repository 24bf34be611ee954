"""`coopkg stats`: triples, entities by class, commitments by debtor and by field."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "stats",
        help="count triples, entities by class, commitments by debtor and by field",
        description="Statistics of the project graph.",
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("en", "vi"), default="en", help="label language (en)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from coopkg import graph, stats

    s = stats.stats(graph.open_store(), lang=args.lang)
    sys.stdout.write(stats.format_json(s) if args.format == "json" else stats.format_text(s))
    return 0
