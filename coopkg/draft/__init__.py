"""`coopkg draft`: a grounded draft graph of a new Vietnamese article, for a curator.

The drafting is rule-based (text.py splits and folds, extract.py finds the facts, gazetteer.py
matches localities, emit.py writes the graph in the project's model, evaluate.py compares a
draft with a curated graph). Every node it writes cites the words it comes from, with selectors
computed by coopkg.spans, the code that anchors the curated graph too; what the rules cannot
decide carries ``coop:reviewStatus kg:review-needed`` and an editorial note saying why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Result:
    turtle: str
    draft: object  # build.Draft
    triples: int
    review: int  # nodes marked for review


def local_path(article: Path, slug: str, root: Path) -> str:
    """Where the article lives (or is to live) in the repository: data/source/…"""
    try:
        relative = Path(article).resolve().relative_to(root.resolve())
        if relative.parts[:2] == ("data", "source"):
            return relative.as_posix()
    except ValueError:
        pass
    return f"data/source/{slug}.vi.txt"


def draft_article(article: Path, date: dt.date | None = None, root: Path | None = None) -> Result:
    """Draft the graph of one article file (raises CoopkgError for bad input)."""
    from coopkg import paths
    from coopkg.draft import build, emit, known, text

    base = root or paths.root()
    read = text.read_article(Path(article))
    project = known.load(base)
    drafted = build.Drafter(read, project, date).draft()
    graph = emit.to_graph(drafted, project, local_path(Path(article), drafted.slug, base))
    return Result(
        turtle=serialize(graph),
        draft=drafted,
        triples=len(graph),
        review=len(set(graph.subjects(_review_predicate(), None))),
    )


def _review_predicate():
    import rdflib

    return rdflib.URIRef("https://w3id.org/coopkg/ontology#reviewStatus")


def serialize(graph) -> str:
    """Turtle in the project's canonical form (the prefixes of coopkg.paths, longturtle)."""
    from coopkg.namespaces import PREFIXES

    used = {str(t) for triple in graph for t in triple}
    used |= {str(o.datatype) for o in graph.objects() if getattr(o, "datatype", None)}
    for prefix, iri in PREFIXES.items():
        if any(u.startswith(iri) for u in used):
            graph.bind(prefix, iri, override=True, replace=True)
    return graph.serialize(format="longturtle").rstrip("\n") + "\n"
