"""`coopkg export --format … [--out FILE]`: the whole project graph in one RDF format."""

from __future__ import annotations

import argparse
from pathlib import Path

# Kept here (not imported from coopkg.entail) so that --help loads no RDF library.
ENTAILMENT = (
    "rdfs (default): also write the RDFS entailments a store without a reasoner lacks (each "
    "instance typed with its superclasses, each statement also made with its superproperties); "
    "none: the asserted triples only"
)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "export",
        help="write the whole graph as ttl, nt, nq, trig, jsonld or xml",
        description="Export the project graph. ttl, nt, jsonld and xml merge every article into "
        "one graph; nq and trig put each article in a named graph of its own: the seed article, "
        "with the ontology, concept schemes and links, in "
        "https://w3id.org/coopkg/graph/ha-noi-lao-cai-2017, data/articles/SLUG.ttl in "
        "https://w3id.org/coopkg/graph/SLUG. jsonld uses coopkg/context.jsonld. "
        "The format is guessed from --out's extension and must be named for stdout.",
    )
    p.add_argument("--format", choices=("ttl", "nt", "nq", "trig", "jsonld", "xml"))
    p.add_argument("--out", type=Path, metavar="FILE", help="output file (written atomically)")
    p.add_argument("--entailment", choices=("rdfs", "none"), default="rdfs", help=ENTAILMENT)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from coopkg import export

    fmt = export.format_for(args.format, args.out)
    data = export.export_project(fmt, args.out, entailment=args.entailment)
    if data is not None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
