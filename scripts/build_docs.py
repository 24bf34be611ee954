#!/usr/bin/env python3
"""Build the project's generated documentation (what `make docs` runs).

  docs/ontology.html           the ontology reference, by pyLODE 3.3.4 from ontology/coopkg.ttl
  docs/who-committed-what.*    the commitments picture (.mmd, .svg; English, and .vi.* Vietnamese)
  docs/queries.md              every named query with its real result (scripts/gen_query_docs.py),
                               which also fills the main query's result into README.vi.md

pyLODE renders what the ontology says about itself (labels, definitions, version). Two things
are prepared first, on a copy of the graph: each term's @en and @vi labels are joined into one
heading ("Commitment · Cam kết", where pyLODE would run them together), and each term's
definitions become one text with each language marked. The HTML must open without a network:
anything it would fetch (stylesheet, script, image, font) is a build error.

Exit codes: 0 built, 1 the HTML would fetch something from the network, 2 an input is missing
or does not parse.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

from coopkg.namespaces import COOP

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing the package

LANGS = ("en", "vi")  # the order both languages are shown in

# Anything the browser would load by itself: a build error (the page must work offline).
FETCHES = (
    re.compile(r"<link\b[^>]*\bhref=\"(?!data:|#)[^\"]+\"[^>]*>", re.I),
    re.compile(r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc=\"(?!data:)", re.I),
    re.compile(r"@import\b", re.I),
    re.compile(r"url\(\s*['\"]?(?!data:|#)", re.I),
)


class DocsError(Exception):
    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def load_ontology(path: Path):
    import rdflib

    if not path.is_file():
        raise DocsError(f"{path}: no such file")
    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several types; all mean "does not parse"
        raise DocsError(f"{path}: {str(exc).splitlines()[0]}") from exc
    return graph


def _by_lang(literals) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for lit in literals:
        lang = getattr(lit, "language", None) or ""
        if str(lit) not in out.setdefault(lang, []):
            out[lang].append(str(lit))
    return out


def _markdown_text(text: str) -> str:
    """Text pyLODE will pass through Markdown: keep it text (no HTML, no emphasis)."""
    return re.sub(r"([\\`*_\[\]#])", r"\\\1", html.escape(text, quote=False))


def display_graph(ontology):
    """A copy of the ontology in which each term has one bilingual title and description."""
    import rdflib
    from rdflib.namespace import DC, DCTERMS, RDFS, SDO, SKOS

    from coopkg.namespaces import PREFIXES

    label_props = (SKOS.prefLabel, RDFS.label, DCTERMS.title, DC.title, SDO.name)
    text_props = (SKOS.definition, DCTERMS.description, RDFS.comment, DC.description)
    shown = rdflib.Graph(bind_namespaces="core")
    used = {str(t) for triple in ontology for t in triple}
    for prefix, iri in PREFIXES.items():
        if any(u.startswith(iri) for u in used):
            shown.bind(prefix, iri, override=True, replace=True)
    for triple in ontology:
        if triple[1] not in label_props + text_props:
            shown.add(triple)
    for subject in set(ontology.subjects()):
        labels = _by_lang(o for p in label_props for o in ontology.objects(subject, p))
        if labels:
            # One per language (the model allows exactly one prefLabel each), en first.
            parts = [labels[lang][0] for lang in (*LANGS, "") if labels.get(lang)]
            shown.add((subject, DCTERMS.title, rdflib.Literal(" · ".join(parts))))
        texts = _by_lang(o for p in text_props for o in ontology.objects(subject, p))
        if texts:
            paragraphs = []
            for lang in (*LANGS, *sorted(set(texts) - set(LANGS))):
                for text in texts.get(lang, []):
                    mark = f"**{lang}** — " if lang else ""
                    paragraphs.append(mark + _markdown_text(text))
            shown.add((subject, DCTERMS.description, rdflib.Literal("\n\n".join(paragraphs))))
    return shown


def ontology_html(ontology_path: Path) -> str:
    """The pyLODE page for the ontology file, self-contained."""
    import logging

    from rdflib import URIRef

    try:
        from pylode import OntPub
    except ImportError as exc:
        raise DocsError(f"pyLODE 3.3.4 is needed: pip install 'pylode==3.3.4' ({exc})") from exc
    logging.getLogger().setLevel(logging.WARNING)  # pyLODE logs its progress at INFO

    ontology = load_ontology(ontology_path)
    doc = OntPub(ontology=display_graph(ontology), sort_subjects=True)
    # Anchors are the terms' own local names (#Commitment), not pyLODE's label-derived ones,
    # so links into the page match the IRIs' fragments.
    for subject in sorted({s for s in doc.ont.subjects() if isinstance(s, URIRef)}):
        if str(subject).startswith(COOP) and len(str(subject)) > len(COOP):
            doc.fids[str(subject)] = str(subject)[len(COOP) :]
    page = doc.make_html()
    # pyLODE links IRIs under the ontology's IRI (the version IRI) to anchors that do not exist.
    for iri, fid in doc.fids.items():
        if fid and f'id="{fid}"' not in page:
            page = page.replace(f'href="#{fid}"', f'href="{html.escape(iri)}"')
    page = page.replace("<html>", '<html lang="en">', 1)
    page = re.sub(r"<p><strong>vi</strong>", '<p lang="vi"><strong>vi</strong>', page)
    return page


def network_fetches(page: str) -> list[str]:
    """Everything in the page a browser would fetch from elsewhere (should be nothing)."""
    return [m.group(0)[:120] for pattern in FETCHES for m in pattern.finditer(page)]


def build_ontology(ontology_path: Path, out: Path) -> None:
    page = ontology_html(ontology_path)
    fetches = network_fetches(page)
    if fetches:
        raise DocsError(f"{out}: the page would fetch from the network: {fetches[0]}", 1)
    out.write_text(page, encoding="utf-8")


def build_diagrams(docs: Path) -> list[Path]:
    from coopkg import diagram, graph

    store = graph.open_store()
    written = []
    for lang, suffix in (("en", ""), ("vi", ".vi")):
        drawing = diagram.build(store, lang=lang)
        for ext in ("mmd", "svg"):
            path = docs / f"who-committed-what{suffix}.{ext}"
            diagram.write(drawing, path)
            written.append(path)
    return written


def build_queries(docs: Path) -> int:
    sys.path.insert(0, str(ROOT / "scripts"))
    import gen_query_docs

    return gen_query_docs.main(["--out", str(docs / "queries.md")])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build docs/ontology.html (pyLODE), docs/who-committed-what.{mmd,svg} "
        "(and .vi.*) and docs/queries.md from the project's own files.",
        epilog="Exit codes: 0 built, 1 the HTML would fetch from the network, "
        "2 an input is missing or does not parse.",
    )
    parser.add_argument(
        "--only",
        choices=("ontology", "diagrams", "queries"),
        action="append",
        help="build only this part (repeatable; default: all)",
    )
    parser.add_argument(
        "--ontology",
        type=Path,
        default=ROOT / "ontology" / "coopkg.ttl",
        help="the ontology file (default: ontology/coopkg.ttl)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "docs",
        help="the folder to write into (default: docs/)",
    )
    args = parser.parse_args(argv)
    parts = args.only or ["ontology", "diagrams", "queries"]
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        if "ontology" in parts:
            build_ontology(args.ontology, args.out / "ontology.html")
            print(f"wrote {args.out / 'ontology.html'}")
        if "diagrams" in parts:
            for path in build_diagrams(args.out):
                print(f"wrote {path}")
        if "queries" in parts and build_queries(args.out) != 0:
            return 2
    except DocsError as exc:
        print(f"build_docs: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except Exception as exc:  # a CoopkgError from the library: already one line
        if type(exc).__name__ != "CoopkgError":
            raise
        print(f"build_docs: error: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
