"""The validation report (rows grouped by severity; text, turtle or json) and `validate`, the
library call of pySHACL with the ontology as its ontology graph. Which engine `coopkg validate`
runs is decided in coopkg/shacl_engines.py."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from coopkg import paths, terms
from coopkg.errors import CoopkgError
from coopkg.namespaces import RDF, SH

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True, order=True)
class Result:
    severity: str
    focus: str
    label: str
    path: str
    message: str
    shape: str
    value: str


@dataclass
class Report:
    conforms: bool
    results: list[Result]
    graph_turtle: str
    engine: str = "pyshacl"  # which engine answered: fast, rust or pyshacl
    note: str = ""  # why `--engine auto` did not use the fast engine, when it did not

    def by_severity(self) -> dict[str, list[Result]]:
        groups: dict[str, list[Result]] = {s: [] for s in SEVERITIES}
        for r in self.results:
            groups.setdefault(r.severity, []).append(r)
        return groups


def require_triples(store: ox.Store, data_files: Iterable[Path] | None) -> None:
    """An empty graph trivially conforms, which would hide a wrong or empty file: refuse it."""
    if len(store) == 0:
        shown = ", ".join(paths.display(Path(f)) for f in data_files or ()) or "the project graph"
        raise CoopkgError(f"{shown}: no triples to validate (empty)")


def validate(
    data_files: Iterable[Path] | None = None,
    shape_files: Iterable[Path] | None = None,
    ontology_files: Iterable[Path] | None = None,
) -> Report:
    """Validate data files (default: the project graph) against the data shapes."""
    from coopkg import shacl_engines

    shape_files = shacl_engines.shape_files_or_default(shape_files)
    ontology_files = list(paths.ontology_files() if ontology_files is None else ontology_files)

    # Parsed without a store, so that every literal reaches pyshacl exactly as written.
    data = shacl_engines.read(paths.graph_files() if data_files is None else data_files)
    if not data:
        require_triples(ox.Store(), data_files)
    ontology = shacl_engines.read(ontology_files) if ontology_files else None
    return shacl_engines.run_pyshacl(data, shacl_engines.read(shape_files), ontology)


def read_results(results_graph, labels: dict[str, str], shapes_graph) -> list[Result]:
    """A report graph's results as rows; `labels` maps an IRI to the label shown for it."""
    import rdflib

    sh = rdflib.Namespace(SH)
    results, shapes = RdflibShapes(results_graph), RdflibShapes(shapes_graph)
    out = []
    for node in results_graph.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = results_graph.value(node, sh.focusNode)
        severity = results_graph.value(node, sh.resultSeverity)
        path = results_graph.value(node, sh.resultPath)
        shape = results_graph.value(node, sh.sourceShape)
        message = results_graph.value(node, sh.resultMessage)
        value = results_graph.value(node, sh.value)
        component = results_graph.value(node, sh.sourceConstraintComponent)
        if message is None and component is not None:  # an engine that writes none
            message = str(component).removeprefix(SH)
        out.append(
            Result(
                severity=str(severity).removeprefix(SH) if severity else "Violation",
                focus=show(focus),
                label=labels.get(str(focus), "") if isinstance(focus, rdflib.URIRef) else "",
                path=show_path(results, path) if path is not None else "",
                message=str(message) if message is not None else "",
                shape=show_shape(shapes, shape),
                value=show(value) if value is not None else "",
            )
        )
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(out, key=lambda r: (order.get(r.severity, 9), r))


def show(node) -> str:
    import rdflib

    if isinstance(node, rdflib.URIRef):
        return terms.compact(str(node))
    if isinstance(node, rdflib.BNode):
        return "[]"
    return str(node) if node is not None else ""


class RdflibShapes:
    """An rdflib graph as show_path and show_shape read it. The fast engine reads its
    pyoxigraph shapes through the same five methods (coopkg.fastvalidate.ShapesGraph), so the
    report writes a path and a shape the same way whichever engine answered."""

    def __init__(self, graph) -> None:
        self.graph = graph

    def iri(self, node) -> str | None:
        """The IRI of a named node; None for a blank node or a literal."""
        import rdflib

        return str(node) if isinstance(node, rdflib.URIRef) else None

    def text(self, node) -> str:
        """A literal's lexical form."""
        return str(node)

    def object_of(self, subject, predicate: str):
        import rdflib

        return self.graph.value(subject, rdflib.URIRef(predicate))

    def subject_of(self, predicate: str, obj):
        import rdflib

        return self.graph.value(None, rdflib.URIRef(predicate), obj)

    def items(self, head) -> list:
        """The members of an RDF list."""
        from rdflib.collection import Collection

        return list(Collection(self.graph, head))


def show_path(g, path, nested: bool = False) -> str:
    """A SHACL property path of the shapes `g` (see RdflibShapes) in SPARQL syntax (^p, p/q,
    p|q, p*, p+, p?); a sequence is bracketed inside another path or when it has one step, so
    that no two paths are written alike."""
    iri = g.iri(path)
    if iri is not None:
        return terms.compact(iri)
    if g.object_of(path, RDF + "first") is not None:
        steps = g.items(path)
        text = "/".join(show_path(g, p, nested=True) for p in steps)
        return text if not nested and len(steps) > 1 else f"({text})"
    for name, fmt in (
        ("inversePath", "^{}"),
        ("zeroOrMorePath", "({})*"),
        ("oneOrMorePath", "({})+"),
        ("zeroOrOnePath", "({})?"),
    ):
        inner = g.object_of(path, SH + name)
        if inner is not None:
            return fmt.format(show_path(g, inner, nested=True))
    alt = g.object_of(path, SH + "alternativePath")
    if alt is not None:
        return "(" + "|".join(show_path(g, p, nested=True) for p in g.items(alt)) + ")"
    return "[]"


def show_shape(g, shape) -> str:
    """A shape of the shapes `g` (see RdflibShapes): its IRI, or a blank property shape as its
    node shape plus its path."""
    if shape is None:
        return ""
    iri = g.iri(shape)
    if iri is not None:
        return terms.compact(iri)
    name = g.object_of(shape, SH + "name")
    parent = g.subject_of(SH + "property", shape)
    path = g.object_of(shape, SH + "path")
    parent_iri = g.iri(parent) if parent is not None else None
    where = terms.compact(parent_iri) if parent_iri is not None else "[]"
    if path is not None:
        return f"{where} (property {show_path(g, path)})"
    return f"{where} ({g.text(name)})" if name is not None else where


def format_text(report: Report) -> str:
    lines = []
    for severity, results in report.by_severity().items():
        if not results:
            continue
        lines.append(f"{severity} ({len(results)})")
        for r in results:
            lines.append(f"  {r.focus}" + (f' "{r.label}"' if r.label else ""))
            if r.path:
                lines.append(f"    path: {r.path}")
            if r.value:
                lines.append(f"    value: {r.value}")
            lines.append(f"    message: {r.message}")
            lines.append(f"    shape: {r.shape}")
    lines.append(engine_line(report))
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def engine_line(report: Report) -> str:
    """Which engine answered, and why when `--engine auto` did not use the fast one."""
    return f"engine: {report.engine}" + (f" ({report.note})" if report.note else "")


def summary(report: Report) -> str:
    counts = {s: len(rs) for s, rs in report.by_severity().items()}
    verdict = "conforms" if report.conforms else "does not conform"
    return (
        f"{verdict}: {counts.get('Violation', 0)} violation(s), "
        f"{counts.get('Warning', 0)} warning(s), {counts.get('Info', 0)} info(s)"
    )


def format_json(report: Report) -> str:
    doc = {
        "conforms": report.conforms,
        "engine": report.engine,
        "engine_note": report.note,
        "counts": {s: len(rs) for s, rs in report.by_severity().items()},
        "results": {s: [asdict(r) for r in rs] for s, rs in report.by_severity().items()},
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
