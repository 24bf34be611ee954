"""`coopkg draft ARTICLE.txt`: a grounded draft graph of a new article, for a curator."""

from __future__ import annotations

import argparse
from pathlib import Path


def _date(value: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {value!r}") from None


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "draft",
        help="draft a grounded graph of a new Vietnamese article for a curator to review",
        description="Read a Vietnamese article (UTF-8, normalised to NFC) about a working "
        "session between two localities and write a draft Turtle graph in the project's model: "
        "the source article, the session and its date, the bodies that held it, localities "
        "(matched against the vietnam-provinces gazetteer), people and their posts, chairs and "
        "attendees, candidate commitments, proposals, assessments, stated counts and periods. "
        "Every node cites its span; what the rules cannot decide carries coop:reviewStatus "
        "kg:review-needed and an editorial note. Nodes the project graph already has keep "
        "their IRIs.",
        epilog="The session's year comes from the corpus header (' date YYYY-MM ') unless "
        "--date is given. Exit codes: 0 drafted, 2 error (unreadable input, no date).",
    )
    p.add_argument("article", type=Path, metavar="ARTICLE.txt", help="the article (UTF-8 text)")
    p.add_argument(
        "--out", type=Path, metavar="FILE", help="write the draft here (default: stdout)"
    )
    p.add_argument(
        "--date", type=_date, metavar="YYYY-MM-DD", help="the session's date (overrides the text)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from coopkg import atomic
    from coopkg.draft import draft_article

    result = draft_article(args.article, args.date)
    if args.out:
        atomic.write_bytes(args.out, result.turtle.encode("utf-8"))
        print(
            f"coopkg: drafted {result.triples} triples to {args.out}; "
            f"{result.review} nodes marked for review",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(result.turtle)
    return 0
