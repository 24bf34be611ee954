"""`coopkg queries`: the named queries and the question each answers."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "queries",
        help="list the named queries with the question each answers",
        description="List the named queries (queries/*.rq) with the question from their header.",
    )
    p.add_argument("--lang", choices=("en", "vi"), default="en", help="question language (en)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coopkg import query, sparqltext
    from coopkg.errors import CoopkgError
    from coopkg.paths import display, queries_dir

    named = query.named_queries()
    if not named:
        raise CoopkgError(f"no named query found in {display(queries_dir())}/*.rq")
    width = max(len(n) for n in named)
    for name, path in named.items():
        question = sparqltext.question(query.read_query_file(path).text, args.lang)
        print(f"{name:<{width}}  {question}".rstrip())
    return 0
