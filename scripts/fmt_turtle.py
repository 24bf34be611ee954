#!/usr/bin/env python3
"""Keep the project's Turtle files in one canonical serialization.

Usage: fmt_turtle.py [--check] [FILE ...]

Without FILE, every *.ttl under ontology/, data/ and shapes/ is handled. The canonical form is
rdflib's ``longturtle`` output with the project's fixed prefixes, so a diff shows only what
changed in meaning; a comment block that opens the file is kept above the prefixes.
``--check`` rewrites nothing and exits 1 listing the files that drift.
Exit codes: 0 canonical (or rewritten), 1 drift found with --check, 2 a file does not parse.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIRS = ("ontology", "data", "shapes")
# Third-party files kept byte-identical to their published copies (DCAT-AP 3.0.0 shapes).
VERBATIM = ("shapes/dcat-ap",)

# One prefix map for every file, shared with the CLI (coopkg/paths.py), so the same IRI always
# prints the same way. Imported from the checkout so the script runs without installing coopkg.
sys.path.insert(0, str(ROOT))
from coopkg.namespaces import PREFIXES  # noqa: E402


def canonical(path: Path) -> str:
    """Return the canonical Turtle text of one file (raises on a parse error).

    A file with an ``owl:Ontology`` reads top-down: its header first, then classes, properties
    and everything else, each section sorted by subject; any other file is one sorted block.
    The file's leading comment block (what the file holds, who writes it) is kept verbatim
    above the prefixes.
    """
    import rdflib

    graph = rdflib.Graph(bind_namespaces="none")
    graph.parse(path, format="turtle")
    _bind_used_prefixes(graph)
    comment = leading_comment(path.read_text(encoding="utf-8"))
    sections = _sections(graph)
    if len(sections) == 1:
        return comment + _serialize(graph).rstrip("\n") + "\n"
    head = _serialize(graph).split("\n\n", 1)[0]  # the PREFIX block of the whole file
    parts = [comment + head]
    for title, subjects in sections:
        if not subjects:
            continue
        part = rdflib.Graph(bind_namespaces="none")
        for prefix, iri in graph.namespaces():
            part.bind(prefix, iri, override=True, replace=True)
        for subject in subjects:
            _copy_description(graph, subject, part)
        body = _serialize(part).split("\n\n", 1)[1].strip("\n")
        parts.append(f"# {title}\n\n{body}")
    return "\n\n".join(parts) + "\n"


def leading_comment(text: str) -> str:
    """The lines starting with '#' that open the file, then one blank line ('' if none)."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.rstrip())
    return "".join(line + "\n" for line in lines) + ("\n" if lines else "")


def _bind_used_prefixes(graph) -> None:
    """Bind only the prefixes the file uses, so unused ones do not clutter it."""
    used = {str(t) for triple in graph for t in triple}
    for prefix, iri in PREFIXES.items():
        if any(u.startswith(iri) for u in used):
            graph.bind(prefix, iri, override=True, replace=True)


def _serialize(graph) -> str:
    return graph.serialize(format="longturtle")


# Section titles and the rdf:type values that put a subject in them, in reading order.
_OWL = "http://www.w3.org/2002/07/owl#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_SH = "http://www.w3.org/ns/shacl#"
SECTIONS = (
    ("Ontology header", {_OWL + "Ontology"}),
    ("Classes", {_OWL + "Class", _RDFS + "Class"}),
    (
        "Properties",
        {
            _OWL + "ObjectProperty",
            _OWL + "DatatypeProperty",
            _OWL + "AnnotationProperty",
            _RDF + "Property",
        },
    ),
)


def _sections(graph) -> list[tuple[str, list]]:
    """Named subjects grouped by SECTIONS, the rest last; one group when there is no header."""
    import rdflib

    subjects = sorted({s for s in graph.subjects() if not isinstance(s, rdflib.BNode)}, key=str)
    if not any(str(o) == _OWL + "Ontology" for o in graph.objects(predicate=rdflib.RDF.type)):
        return [("", subjects)]
    grouped: list[tuple[str, list]] = [(title, []) for title, _ in SECTIONS]
    rest: list = []
    for subject in subjects:
        types = {str(o) for o in graph.objects(subject, rdflib.RDF.type)}
        for (_, wanted), (_, members) in zip(SECTIONS, grouped, strict=True):
            if types & wanted:
                members.append(subject)
                break
        else:
            rest.append(subject)
    shapes = {_SH + "NodeShape", _SH + "PropertyShape"}
    is_shape = any(str(o) in shapes for o in graph.objects(predicate=rdflib.RDF.type))
    return [*grouped, ("Shapes" if is_shape else "Individuals", rest)]


def _copy_description(graph, subject, into) -> None:
    """Copy the triples of ``subject`` and of the blank nodes it reaches (OWL lists)."""
    import rdflib

    todo, seen = [subject], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            into.add((node, p, o))
            if isinstance(o, rdflib.BNode):
                todo.append(o)


def default_files() -> list[Path]:
    files: list[Path] = []
    for d in DIRS:
        files.extend(sorted((ROOT / d).rglob("*.ttl")))
    verbatim = [ROOT / v for v in VERBATIM]
    return [f for f in files if not any(f.is_relative_to(v) for v in verbatim)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Rewrite Turtle files in the project's canonical serialization.",
        epilog="Exit codes: 0 canonical or rewritten, 1 drift found (--check), 2 parse error.",
    )
    parser.add_argument("files", nargs="*", type=Path, help="Turtle files (default: all)")
    parser.add_argument("--check", action="store_true", help="report drift, rewrite nothing")
    args = parser.parse_args(argv)
    files = args.files or default_files()
    if not files:
        print("fmt_turtle: no Turtle file found", file=sys.stderr)
        return 2
    drift: list[Path] = []
    for path in files:
        try:
            want = canonical(path)
        except Exception as exc:  # rdflib raises several types; report them all in one line
            print(f"fmt_turtle: {path}: {exc}".splitlines()[0], file=sys.stderr)
            return 2
        have = path.read_text(encoding="utf-8")
        if have != want:
            drift.append(path)
            if not args.check:
                tmp = path.with_suffix(path.suffix + ".tmp")
                tmp.write_text(want, encoding="utf-8")
                tmp.replace(path)  # atomic: never a half-written file
    if args.check and drift:
        for path in drift:
            print(f"not canonical: {path} (run `make fmt`)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
