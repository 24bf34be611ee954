"""`coopkg diagram [--lang vi|en] [--out FILE]`: draw who committed what to whom."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "diagram",
        help="draw who committed what to whom (Mermaid, Graphviz DOT or SVG)",
        description=(
            "Draw the commitments in the graph: one arrow per commitment from the debtor to "
            "the creditor (a joint commitment is one double-headed arrow), grouped and coloured by "
            "broad field, "
            "with the meeting and the period in the title. The SVG is drawn without any "
            "system tool."
        ),
        epilog=(
            "Output format from --out's extension: .mmd (Mermaid), .dot (Graphviz source), "
            ".svg (picture). Without --out, Mermaid goes to stdout.\n"
            "Exit codes: 0 success, 2 usage, input or runtime error."
        ),
    )
    p.add_argument(
        "--lang", choices=("vi", "en"), default="en", help="language of the labels (default: en)"
    )
    p.add_argument("--out", type=Path, metavar="FILE", help="write to FILE (.mmd, .dot or .svg)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coopkg import diagram, graph

    if args.out is not None:
        diagram.format_for(args.out)  # refuse an unknown extension before loading the graph
    drawing = diagram.build(graph.open_store(), lang=args.lang)
    if args.out is None:
        sys.stdout.write(diagram.to_mermaid(drawing))
    else:
        diagram.write(drawing, args.out)
    return 0
