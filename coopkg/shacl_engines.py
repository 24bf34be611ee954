"""Which SHACL engine validates, and the data exactly as written for each of them.

Three engines give `coopkg validate` its answer:

- "fast": coopkg/fastvalidate.py, the shapes compiled to SPARQL on pyoxigraph. Fast, but a
  pyoxigraph Store canonicalises literals ("4.0"^^xsd:decimal becomes "4", "5"^^xsd:int
  becomes "5"^^xsd:integer) and the compiler covers only part of SHACL.
- "rust": the `shacl` package (a Rust SHACL Core and SHACL-SPARQL processor), which reads the
  data as written.
- "pyshacl": pySHACL over rdflib, which keeps lexical forms too.

"auto" (the default) checks BEFORE running whether the fast engine can answer exactly: every
literal of the data and the shapes is well-formed, canonical and of a datatype the store keeps
as written; no blank node in the data; no shape feature the compiler does not do (a property
shape nested in a property shape, a SPARQL-based constraint component, anything it reports as
unsupported). If so it runs the fast engine; otherwise it hands the whole job to an exact
engine (exact_engine): pySHACL when the shapes have SPARQL-based constraints (as the project's
do), the Rust engine otherwise. The report says which engine ran and why.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from coopkg import graph, paths
from coopkg.errors import CoopkgError
from coopkg.namespaces import RDF, SH, XSD

ENGINES = ("auto", "fast", "rust", "pyshacl")
_STRING = XSD + "string"
_PLAIN = {_STRING, RDF + "langString"}


# ---------------------------------------------------------------- reading the data as written
def shape_files_or_default(shape_files: Iterable[Path] | None) -> list[Path]:
    """The shape files to validate against (default: the project's data shapes); an error when
    there are none, since no shapes would make any data conform."""
    found = list(paths.data_shape_files() if shape_files is None else shape_files)
    if not found:
        raise CoopkgError(f"no shapes found in {paths.display(paths.root() / 'shapes')}")
    return found


def with_ontology(files: Iterable[Path] | None, ontology: Iterable[Path] | None = None):
    """The files to validate: the project graph by default; given data files together with the
    ontology (default the project's: its classes and concept schemes are what the data's shapes
    refer to), each file once."""
    if files is None:
        return paths.graph_files()
    files = [Path(f) for f in files]
    ontology = paths.ontology_files() if ontology is None else [Path(o) for o in ontology]
    seen = {f.resolve() for f in files if f.exists()}
    return [*(o for o in ontology if o.resolve() not in seen), *files]


def parse(path: Path) -> Iterator[ox.Quad]:
    """One RDF file's quads as written (no store, so no literal is rewritten); a bad file is a
    one-line CoopkgError naming it (and line:column for syntax errors)."""
    return graph.parse_file(Path(path))


def read(files: Iterable[Path]) -> list[ox.Quad]:
    return [q for f in files for q in parse(Path(f))]


def n_triples(quads: Iterable[ox.Quad]) -> str:
    """The quads' triples (every graph merged) as N-Triples, literals exactly as written."""
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()


# ---------------------------------------------------------------- can the fast engine answer?
# Datatypes whose lexical forms a pyoxigraph Store keeps unchanged when they are canonical and
# well-formed (checked here, and again by a round trip through a Store). Any other XSD or RDF
# datatype sends the job to an engine that reads literals as written.
_DATE = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_KEPT = {
    XSD + "integer": re.compile(r"0|-?[1-9]\d{0,17}"),
    XSD + "boolean": re.compile(r"true|false"),
    XSD + "date": re.compile(_DATE),
    XSD + "gYear": re.compile(r"[1-9]\d{3}"),
    XSD + "gYearMonth": re.compile(r"[1-9]\d{3}-(0[1-9]|1[0-2])"),
    # Checksums (spdx:checksumValue): stored as written, either case of hex digit.
    XSD + "hexBinary": re.compile(r"(?:[0-9A-Fa-f]{2})*"),
}


def literal_problem(lit: ox.Literal) -> str | None:
    """Why the fast engine would not see this literal as written, or None."""
    dt = lit.datatype.value
    if dt in _PLAIN or not (dt.startswith(XSD) or dt.startswith(RDF)):
        return None  # strings, and datatypes of no XSD/RDF meaning, are stored as written
    pattern = _KEPT.get(dt)
    if pattern is None:
        return f"the literal {lit} (a store would not keep it as written)"
    if not pattern.fullmatch(lit.value):
        return f"the literal {lit} (ill-formed, or not in the form a store keeps)"
    if dt == XSD + "date":
        try:
            _dt.date.fromisoformat(lit.value)
        except ValueError:
            return f"the ill-formed literal {lit}"
    return None


def data_problem(quads: Iterable[ox.Quad]) -> str | None:
    """The first thing in the data that the fast engine cannot validate exactly, or None."""
    blank, literal = ox.BlankNode, ox.Literal
    checked: set = set()
    for q in quads:
        o = q.object
        if type(q.subject) is blank or type(o) is blank:
            return "blank nodes in the data"
        if type(o) is not literal or o.language is not None:
            continue
        dt = o.datatype.value
        if dt == _STRING or (dt, o.value) in checked:
            continue
        problem = literal_problem(o)
        if problem is not None:
            return problem
        checked.add((dt, o.value))
    return _round_trip_problem({ox.Literal(v, datatype=ox.NamedNode(d)) for d, v in checked})


def _round_trip_problem(literals: set) -> str | None:
    """A Store must give back every literal unchanged (the guard behind the patterns above)."""
    typed = [lit for lit in literals if lit.datatype.value not in _PLAIN]
    store = ox.Store()
    s, p, g = ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.DefaultGraph()
    store.extend(ox.Quad(s, p, lit, g) for lit in typed)
    back = {q.object for q in store}
    for lit in typed:
        if lit not in back:
            return f"the literal {lit} (a store would not keep it as written)"
    return None


def shapes_problem(quads: list[ox.Quad]) -> str | None:
    """The first shape feature the fast engine cannot do exactly, or None."""
    by_pred: dict[str, list[ox.Quad]] = {}
    for q in quads:
        by_pred.setdefault(q.predicate.value, []).append(q)
    types = {(q.subject, q.object.value) for q in by_pred.get(RDF + "type", ())}
    for q in by_pred.get(RDF + "type", ()):
        if q.object.value in (SH + "ConstraintComponent", SH + "SPARQLConstraintComponent"):
            return "a SPARQL-based constraint component in the shapes"
    for local in ("validator", "nodeValidator", "propertyValidator", "parameter"):
        if by_pred.get(SH + local):
            return "a SPARQL-based constraint component in the shapes"
    property_shapes = {q.subject for q in by_pred.get(SH + "path", ())}
    property_shapes |= {s for s, t in types if t == SH + "PropertyShape"}
    for q in by_pred.get(SH + "property", ()):
        if q.subject in property_shapes:
            return "a property shape nested in a property shape"
    for local in ("targetNode", "hasValue"):
        for q in by_pred.get(SH + local, ()):
            if isinstance(q.object, ox.BlankNode):
                return f"a blank node as sh:{local}"
    for q in quads:
        if isinstance(q.object, ox.Literal):
            problem = literal_problem(q.object)
            if problem is not None:
                return problem + " in the shapes"
    literals = {q.object for q in quads if isinstance(q.object, ox.Literal)}
    problem = _round_trip_problem(literals)
    return problem + " in the shapes" if problem else None


# SHACL 5.2.1.1: a SPARQL constraint's query must not use MINUS, SERVICE or VALUES, nor bind a
# pre-bound variable with AS, and a sub-SELECT must return the pre-bound variables ($this).
# pySHACL rejects such shapes as an error; the Rust engine runs them, so they go to pySHACL.
_FORBIDDEN = re.compile(
    r"\b(MINUS|SERVICE|VALUES)\b|\bAS\s*[$?](this|currentShape|shapesGraph)\b", re.IGNORECASE
)
_SUBSELECT = re.compile(r"\{\s*SELECT\b(.*?)\bWHERE\b", re.IGNORECASE | re.DOTALL)
_SPARQL_TEXT = {SH + "select", SH + "ask"}


def prebinding_problem(quads: list[ox.Quad]) -> str | None:
    for q in quads:
        if q.predicate.value in _SPARQL_TEXT and isinstance(q.object, ox.Literal):
            # Strings and IRIs first (either may hold a '#'), then comments.
            text = re.sub(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', '""', q.object.value)
            text = re.sub(r"<[^<>\s]*>", "<>", text)
            text = re.sub(r"#[^\n]*", " ", text)
            if _FORBIDDEN.search(text):
                return "a SPARQL constraint using MINUS, SERVICE, VALUES or AS $this"
            for projection in _SUBSELECT.findall(text):
                if not re.search(r"[$?]this\b|\*", projection):
                    return "a SPARQL constraint with a sub-SELECT that does not return $this"
    return None


_SHAPES_GRAPH_VARS = re.compile(r"[$?](shapesGraph|currentShape)\b")


def exact_engine(shapes: list[ox.Quad]) -> str:
    """The engine that takes over from the fast one: pySHACL for shapes with SPARQL-based
    constraints (the project's sh:sparql constraints were written and are tested against it;
    the Rust engine evaluates their sub-SELECTs and OPTIONALs under $this differently, e.g. it
    misses the open field list's count check), unless they use $shapesGraph or $currentShape,
    which pySHACL does not support; the Rust engine otherwise (all of SHACL Core, faster)."""
    texts = [
        q.object.value
        for q in shapes
        if q.predicate.value in _SPARQL_TEXT and isinstance(q.object, ox.Literal)
    ]
    if prebinding_problem(shapes):
        return "pyshacl"
    if not texts:
        return "rust"
    if any(_SHAPES_GRAPH_VARS.search(t) for t in texts):
        return "rust"
    return "pyshacl"


# ---------------------------------------------------------------- running one engine
class EngineFault(CoopkgError):
    """An engine failed on input that is not wrong (a bug of the engine or its libraries)."""


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback (or warns) for each ill-formed literal it reads; the report
    says it, as a violation of sh:datatype."""
    log = logging.getLogger("rdflib.term")
    old = log.level
    log.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            yield
    finally:
        log.setLevel(old)


def run_pyshacl(data: list[ox.Quad], shapes: list[ox.Quad], ontology: list | None = None):
    """pySHACL on the data as written (`ontology`: pySHACL's ontology graph, which it mixes
    into the data in part); the Report of coopkg.validate."""
    import pyshacl
    import rdflib

    from coopkg import validate
    from coopkg.rdflib_queries import prepared_queries

    with _quiet_rdflib(), prepared_queries():
        data_graph = rdflib.Graph().parse(data=n_triples(data), format="nt")
        shapes_graph = rdflib.Graph().parse(data=n_triples(shapes), format="nt")
        _bind_declared_prefixes(shapes_graph, data_graph)
        ont_graph = None
        if ontology:
            ont_graph = rdflib.Graph().parse(data=n_triples(ontology), format="nt")
        try:
            conforms, results_graph, _ = pyshacl.validate(
                data_graph,
                shacl_graph=shapes_graph,
                ont_graph=ont_graph,
                inference="none",
                advanced=True,
                allow_warnings=True,  # warnings and infos are reported but do not fail
            )
        except Exception as exc:
            from pyshacl import errors

            text = " ".join(str(exc).split())[:200] or type(exc).__name__
            if isinstance(exc, errors.ShapeLoadError | errors.ConstraintLoadError):
                raise CoopkgError(f"shapes: {text}") from exc
            if isinstance(exc, errors.ReportableRuntimeError):
                raise CoopkgError(f"shapes: {text}") from exc
            # Anything else is pySHACL or rdflib failing on this input (e.g. rdflib recurses
            # without end on arithmetic over an ill-formed xsd:integer).
            raise EngineFault(f"pySHACL failed: {type(exc).__name__}: {text}") from exc
        if not isinstance(results_graph, rdflib.Graph):  # pyshacl's ValidationFailure
            message = getattr(results_graph, "message", str(results_graph))
            raise CoopkgError(f"shapes: {' '.join(str(message).split())[:200]}")
        results = validate.read_results(results_graph, label_index(data), shapes_graph)
        return validate.Report(
            bool(conforms), results, results_graph.serialize(format="turtle"), "pyshacl"
        )


def _bind_declared_prefixes(shapes_graph, data_graph) -> None:
    """pySHACL finds an sh:declare'd prefix only on the constraint's own sh:prefixes node, not
    through owl:imports, and otherwise falls back to the data graph's namespace bindings (which
    a Turtle file's @prefix lines give it and N-Triples do not): bind every prefix the shapes
    declare there."""
    import rdflib

    sh = rdflib.Namespace(SH)
    for decl in shapes_graph.objects(None, sh.declare):
        prefix = shapes_graph.value(decl, sh.prefix)
        namespace = shapes_graph.value(decl, sh.namespace)
        if prefix is not None and namespace is not None:
            data_graph.bind(str(prefix), rdflib.URIRef(str(namespace)), override=False)


def run_rust(data: list[ox.Quad], shapes: list[ox.Quad]):
    """The Rust `shacl` engine on the data as written; the Report of coopkg.validate."""
    import rdflib
    import shacl

    from coopkg import validate

    try:
        compiled = shacl.Shapes.from_text(n_triples(shapes), format="ntriples")
        report = compiled.validate_text(n_triples(data), format="ntriples", allow_warnings=True)
    except Exception as exc:  # the engine raises ValueError-like errors for broken shapes
        raise CoopkgError(f"shapes: {' '.join(str(exc).split())[:200]}") from exc
    turtle = report.serialize("turtle")
    with _quiet_rdflib():
        results_graph = rdflib.Graph().parse(data=turtle, format="turtle")
        shapes_graph = rdflib.Graph().parse(data=n_triples(shapes), format="nt")
        results = validate.read_results(results_graph, label_index(data), shapes_graph)
    # As pySHACL's allow_warnings: only sh:Warning and sh:Info results keep conformance.
    allowed = (SH + "Warning", SH + "Info")
    conforms = not any(r.severity_iri not in allowed for r in report.results)
    return validate.Report(conforms, results, turtle, "rust")


def run_fast(store: ox.Store, shapes: list[ox.Quad]):
    """The compiled engine on a store (raises fastvalidate.Unsupported where it cannot)."""
    from coopkg import fastvalidate

    shapes_store = ox.Store()
    shapes_store.extend(shapes)
    compiled = fastvalidate.ShapesGraph(shapes_store)
    conforms, results = fastvalidate.validate_store(store, compiled)
    report = fastvalidate.build_report(conforms, results, store, compiled)
    report.engine = "fast"
    return report


LABEL_PREDICATES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
)


def label_rank(q: ox.Quad) -> tuple[int, str]:
    """How a label quad ranks, least first: English, else Vietnamese, else any language;
    skos:prefLabel before rdfs:label; then the string, so that the choice does not depend on
    triple order."""
    lang = getattr(q.object, "language", None)
    return {"en": 0, "vi": 2}.get(lang, 4) + LABEL_PREDICATES.index(
        q.predicate.value
    ), q.object.value


def label_index(quads: Iterable[ox.Quad]) -> dict[str, str]:
    """Each IRI's label: the least by label_rank."""
    best: dict[str, tuple[int, str]] = {}
    for q in quads:
        if q.predicate.value not in LABEL_PREDICATES or not isinstance(q.subject, ox.NamedNode):
            continue
        key, candidate = q.subject.value, label_rank(q)
        if key not in best or candidate < best[key]:
            best[key] = candidate
    return {k: v for k, (_, v) in best.items()}


# ---------------------------------------------------------------- `coopkg validate`
def validate(
    files: Iterable[Path] | None = None,
    store_dir: Path | None = None,
    engine: str = "auto",
    shape_files: Iterable[Path] | None = None,
    ontology_files: Iterable[Path] | None = None,
):
    """Validate data files (with the ontology; default the project graph) or a built store,
    with the named engine ("auto": the fast one where it is exact). Returns a Report whose
    `engine` says which engine ran and `note` why, when auto did not run the fast one."""
    from coopkg import persist
    from coopkg import validate as report_module

    if engine not in ENGINES:
        raise CoopkgError(f"unknown engine {engine!r} (one of {', '.join(ENGINES)})")
    files = list(files) if files else None
    if store_dir is not None and files:
        raise CoopkgError("give data files or --store, not both")
    shape_files = shape_files_or_default(shape_files)
    shapes = read(shape_files)

    use_store = False
    if store_dir is not None:
        manifest = persist.read_manifest(store_dir)
        inputs = [Path(e["path"]) for e in manifest.get("inputs", [])]
        if not persist.is_current(store_dir, inputs):
            raise CoopkgError(
                f"{store_dir}: its input files changed since it was built; "
                f"run `coopkg build --store {store_dir}` again"
            )
        # The store's files with the ontology; a store built without the ontology is not
        # validated in place (the fast engine then reads the files into memory instead).
        data_files = with_ontology(inputs, ontology_files)
        use_store = len(data_files) == len(inputs)
    else:
        data_files = with_ontology(files, ontology_files)

    # An empty file trivially conforms, which would hide a wrong or empty file: refuse it (the
    # ontology that comes with it does not count).
    for f in files or ():
        if next(parse(Path(f)), None) is None:
            raise CoopkgError(f"{paths.display(Path(f))}: no triples to validate (empty)")
    # Likewise each file of the project graph and each shapes file: one of them empty or cut
    # to its prefixes would make the answer a silent "conforms".
    for f in [*(() if files or store_dir else paths.graph_files()), *shape_files]:
        if next(parse(Path(f)), None) is None:
            raise CoopkgError(f"{paths.display(Path(f))}: holds no triples {paths.where()}")

    def data() -> list[ox.Quad]:
        quads = read(data_files)
        if not quads:
            report_module.require_triples(ox.Store(), files)
        return quads

    if engine == "pyshacl":
        return _guarded("pyshacl", run_pyshacl, data(), shapes)
    if engine == "rust":
        return _guarded("rust", run_rust, data(), shapes)

    from coopkg import fastvalidate

    problem = shapes_problem(shapes) or _scan(data_files)
    if problem is None:
        if use_store:
            store = persist.open_read_only(store_dir)
        else:
            store = ox.Store()
            for f in data_files:
                graph.load_file(store, Path(f))
            report_module.require_triples(store, files)
        try:
            return _guarded("fast", run_fast, store, shapes)
        except fastvalidate.Unsupported as exc:
            problem = str(exc)
        except CoopkgError as exc:  # a fault of the fast engine: an exact one still answers
            if engine == "fast":
                raise
            problem = f"this input ({exc})"
    if engine == "fast":
        raise CoopkgError(f"the fast engine cannot validate this: {problem}")
    quads = data()
    chosen = exact_engine(shapes)
    note = f"the fast engine does not do {problem}"
    try:
        report = _guarded(chosen, run_pyshacl if chosen == "pyshacl" else run_rust, quads, shapes)
    except EngineFault as exc:
        if chosen != "pyshacl":
            raise
        report = _guarded("rust", run_rust, quads, shapes)
        note += f"; {exc}"
    report.note = note
    return report


def _guarded(name: str, run, *args):
    """Run one engine; an exception it raises for input it cannot take is a one-line error
    (exit 2), never a traceback, whose exit code 1 would read as "violations found"."""
    from coopkg import fastvalidate

    try:
        return run(*args)
    except (CoopkgError, fastvalidate.Unsupported, KeyboardInterrupt):
        raise
    except Exception as exc:
        text = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise CoopkgError(f"the {name} engine failed: {text}") from exc


def _scan(files: Iterable[Path]) -> str | None:
    """data_problem over the files, streamed (no list of a million quads kept)."""
    return data_problem(q for f in files for q in parse(Path(f)))
