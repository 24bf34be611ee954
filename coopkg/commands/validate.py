"""`coopkg validate [FILE ...]`: SHACL-validate data files (default: the project graph)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "validate",
        help="validate data against the project's SHACL shapes (pyshacl)",
        description="Validate RDF files (default: the project graph) against shapes/*-shapes.ttl "
        "(except ontology-shapes.ttl), with the ontology as pyshacl's ontology graph.",
        epilog="Exit codes: 0 conforms, 1 violations found, 2 error.",
    )
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help="RDF files to validate")
    p.add_argument("--format", choices=("text", "turtle", "json"), default="text")
    # Faster engine (coopkg/fastvalidate.py): the shapes compiled to SPARQL on
    # pyoxigraph, tested to give pyshacl's results; "auto" falls back to pyshacl for shapes
    # it does not compile.
    p.add_argument(
        "--engine",
        choices=("auto", "fast", "pyshacl"),
        default="auto",
        help="auto (default): the fast engine, pyshacl where it cannot; or force one",
    )
    p.add_argument("--store", type=Path, metavar="DIR", help="validate a `coopkg build` store")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from coopkg import validate

    if args.engine == "pyshacl" and args.store is None:
        report = validate.validate(args.files or None)
    else:
        from coopkg import fastvalidate

        report = fastvalidate.run(args.files or None, args.store, fallback=args.engine == "auto")
    if args.format == "turtle":
        sys.stdout.write(report.graph_turtle)
    elif args.format == "json":
        sys.stdout.write(validate.format_json(report))
    else:
        sys.stdout.write(validate.format_text(report))
    return 0 if report.conforms else 1
