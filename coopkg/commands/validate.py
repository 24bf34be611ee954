"""`coopkg validate [FILE ...]`: SHACL-validate data files (default: the project graph)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "validate",
        help="validate data against the project's SHACL shapes",
        description="Validate RDF files together with the ontology (default: the project "
        "graph), or a store built by `coopkg build`, against shapes/*-shapes.ttl (except "
        "ontology-shapes.ttl). Literals are validated exactly as written in the files.",
        epilog="Engines: auto (default) runs the fast engine (the shapes compiled to SPARQL on "
        "pyoxigraph) when it can answer exactly and otherwise hands the whole job to pySHACL "
        "(shapes with SPARQL constraints, as the project's) or the Rust `shacl` engine (SHACL "
        "Core shapes); the report says which engine ran. "
        "Exit codes: 0 conforms, 1 violations found, 2 error.",
    )
    p.add_argument("files", nargs="*", type=Path, metavar="FILE", help="RDF files to validate")
    p.add_argument("--format", choices=("text", "turtle", "json"), default="text")
    p.add_argument(
        "--engine",
        choices=("auto", "fast", "rust", "pyshacl"),
        default="auto",
        help="auto (default): the fast engine where it is exact, else an exact one; fast: the "
        "fast engine or an error; rust: the Rust `shacl` package; pyshacl: pySHACL",
    )
    p.add_argument(
        "--store",
        type=Path,
        metavar="DIR",
        help="validate a store built by `coopkg build --store DIR` (its input files are "
        "read too, to see their literals as written)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from coopkg import shacl_engines, validate

    report = shacl_engines.validate(args.files or None, args.store, args.engine)
    if args.format == "turtle":
        sys.stdout.write(report.graph_turtle)
    elif args.format == "json":
        sys.stdout.write(validate.format_json(report))
    else:
        sys.stdout.write(validate.format_text(report))
    return 0 if report.conforms else 1
