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
from coopkg.namespaces import SH

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


def to_rdflib(store: ox.Store):
    """The store's triples as an rdflib Graph (parsed once by pyoxigraph, for its errors)."""
    import rdflib

    # Every graph's triples: a .trig or .nq file given to validate is validated, not skipped.
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store]
    data = rdflib.Graph()
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return data


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
    shape_files = list(paths.data_shape_files() if shape_files is None else shape_files)
    if not shape_files:
        raise CoopkgError(f"no shapes found in {paths.display(paths.root() / 'shapes')}")
    ontology_files = list(paths.ontology_files() if ontology_files is None else ontology_files)
    from coopkg import shacl_engines

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
                path=show_path(results_graph, path) if path is not None else "",
                message=str(message) if message is not None else "",
                shape=show_shape(shapes_graph, shape),
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


def show_path(g, path) -> str:
    """A SHACL property path in SPARQL syntax (^p, p/q, p|q, p*, p+, p?)."""
    import rdflib
    from rdflib.collection import Collection

    sh = rdflib.Namespace(SH)
    if isinstance(path, rdflib.URIRef):
        return terms.compact(str(path))
    if (g.value(path, rdflib.RDF.first)) is not None:
        return "/".join(show_path(g, p) for p in Collection(g, path))
    for pred, fmt in (
        (sh.inversePath, "^{}"),
        (sh.zeroOrMorePath, "({})*"),
        (sh.oneOrMorePath, "({})+"),
        (sh.zeroOrOnePath, "({})?"),
    ):
        inner = g.value(path, pred)
        if inner is not None:
            return fmt.format(show_path(g, inner))
    alt = g.value(path, sh.alternativePath)
    if alt is not None:
        return "(" + "|".join(show_path(g, p) for p in Collection(g, alt)) + ")"
    return "[]"


def show_shape(shapes_graph, shape) -> str:
    """A shape's IRI; a blank property shape as its node shape plus its path."""
    import rdflib

    if shape is None:
        return ""
    if isinstance(shape, rdflib.URIRef):
        return terms.compact(str(shape))
    sh = rdflib.Namespace(SH)
    name = shapes_graph.value(shape, sh.name)
    parent = shapes_graph.value(None, sh.property, shape)
    path = shapes_graph.value(shape, sh.path)
    where = show(parent) if parent is not None else "[]"
    if path is not None:
        return f"{where} (property {show_path(shapes_graph, path)})"
    return f"{where} ({name})" if name is not None else where


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
