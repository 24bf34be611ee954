#!/usr/bin/env python3
"""Anchor the Web Annotation selectors of data/agreement.ttl in the source article.

Usage: anchor_spans.py [--check] [--data FILE] [--article FILE]

Every ``oa:TextQuoteSelector`` carries the ``oa:exact`` text we quote. This script finds that
text in the article (offsets are code points of the whole file text, Python ``str`` indices) and
writes what follows from it: ``oa:prefix`` and ``oa:suffix`` (up to 32 code points, shorter only
at the start or end of the text) and the sibling ``oa:TextPositionSelector``'s ``oa:start`` and
``oa:end`` (end exclusive). The position selector is created, named ``<span>-position``, when the
span has none. Where the exact text occurs more than once, an ``oa:prefix`` already on the
selector (a short hand-written one, or the one a previous run wrote) picks the occurrence it
ends right before; no or several matches is an error. The file is then rewritten atomically in
the canonical form of scripts/fmt_turtle.py, so running the script twice changes nothing.

Exit codes: 0 anchored (or already anchored with --check), 1 --check found stale anchors,
2 a span cannot be anchored or a file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the coopkg package of this checkout, installed or not

from coopkg.spans import CONTEXT, Anchor, anchor, locate  # noqa: E402,F401  (shared with coopkg draft)

DATA = ROOT / "data" / "agreement.ttl"
ARTICLE = ROOT / "data" / "source" / "2017-05-17-ha-noi-lao-cai-working-session.vi.txt"

OA = "http://www.w3.org/ns/oa#"


class AnchorError(Exception):
    """A span that cannot be anchored; the message is one line naming file:line."""


def line_of(source: str, local_name: str) -> int:
    """Line (1-based) where a node is described in the Turtle text, for error messages."""
    for number, line in enumerate(source.splitlines(), start=1):
        if f"kg:{local_name}" in line.split("#")[0] and line.lstrip().startswith(
            f"kg:{local_name}"
        ):
            return number
    for number, line in enumerate(source.splitlines(), start=1):
        if local_name in line:
            return number
    return 1


def anchor_graph(graph, text: str, data_path: Path, source: str) -> None:
    """Set prefix/suffix/start/end on every quote selector of ``graph`` (in place)."""
    from rdflib import RDF, Literal, Namespace, URIRef
    from rdflib.namespace import XSD

    oa = Namespace(OA)
    quotes = sorted(set(graph.subjects(RDF.type, oa.TextQuoteSelector)), key=str)
    if not quotes:
        raise AnchorError(f"{data_path}:1: no oa:TextQuoteSelector to anchor")
    for quote in quotes:
        local = str(quote).rsplit("/", 1)[-1]
        where = f"{data_path}:{line_of(source, local)}"
        exacts = list(graph.objects(quote, oa.exact))
        prefixes = list(graph.objects(quote, oa.prefix))
        if len(exacts) != 1:
            raise AnchorError(f"{where}: {local} needs exactly one oa:exact, has {len(exacts)}")
        if len(prefixes) > 1:
            raise AnchorError(f"{where}: {local} has {len(prefixes)} oa:prefix values")
        spans = list(graph.subjects(oa.hasSelector, quote))
        if len(spans) != 1:
            raise AnchorError(f"{where}: {local} belongs to {len(spans)} spans, needs one")
        try:
            found = anchor(text, str(exacts[0]), str(prefixes[0]) if prefixes else None)
        except ValueError as exc:
            raise AnchorError(f"{where}: {local}: {exc}") from None
        span = spans[0]
        positions = [
            s
            for s in graph.objects(span, oa.hasSelector)
            if (s, RDF.type, oa.TextPositionSelector) in graph
        ]
        if len(positions) > 1:
            raise AnchorError(f"{where}: {span} has {len(positions)} position selectors")
        if positions:
            position = positions[0]
        else:
            position = URIRef(f"{span}-position")
            graph.add((span, oa.hasSelector, position))
            graph.add((position, RDF.type, oa.TextPositionSelector))
        graph.set((quote, oa.prefix, Literal(found.prefix)))
        graph.set((quote, oa.suffix, Literal(found.suffix)))
        graph.set((position, oa.start, Literal(found.start, datatype=XSD.integer)))
        graph.set((position, oa.end, Literal(found.end, datatype=XSD.integer)))


def run(data_path: Path, article_path: Path, check: bool) -> int:
    import rdflib

    try:
        text = article_path.read_text(encoding="utf-8")
        source = data_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AnchorError(f"{exc.filename}:1: cannot read: {exc.strerror}") from None
    graph = rdflib.Graph(bind_namespaces="none")
    try:
        graph.parse(data=source, format="turtle", publicID=data_path.as_uri())
    except Exception as exc:  # rdflib raises several parser types; report one line
        raise AnchorError(f"{data_path}:1: does not parse: {str(exc).splitlines()[0]}") from None
    anchor_graph(graph, text, data_path, source)
    # Format through fmt_turtle's own function so the file is byte-identical to `make fmt`.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from fmt_turtle import canonical

    tmp = data_path.with_name(data_path.name + ".anchor.tmp")
    tmp.write_text(graph.serialize(format="turtle"), encoding="utf-8")

    try:
        want = canonical(tmp)
    finally:
        tmp.unlink()
    if want == source:
        return 0
    if check:
        print(f"anchor_spans: {data_path}: anchors are stale (run scripts/anchor_spans.py)")
        return 1
    tmp.write_text(want, encoding="utf-8")
    tmp.replace(data_path)  # atomic: never a half-written data file
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Fill oa:prefix/oa:suffix/oa:start/oa:end of every quote selector from "
        "its oa:exact, and rewrite the data file canonically.",
        epilog="Exit codes: 0 anchored, 1 stale anchors found (--check), 2 error.",
    )
    parser.add_argument("--check", action="store_true", help="report stale anchors, write nothing")
    parser.add_argument("--data", type=Path, default=DATA, help="Turtle file (data/agreement.ttl)")
    parser.add_argument("--article", type=Path, default=ARTICLE, help="the source article")
    args = parser.parse_args(argv)
    try:
        return run(args.data, args.article, args.check)
    except AnchorError as exc:
        print(f"anchor_spans: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
