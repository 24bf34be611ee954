"""Every constraint of shapes/data-shapes.ttl fires on a bad case and names itself.

A bad case is tests/fixtures/data/bad/<Shape>--<Component>.ru: a SPARQL Update that breaks the
good data in one way. The test applies it to a copy of the good graph and asserts that the shape
coopsh:<Shape> reports <Component>ConstraintComponent with the shape's own sh:message, and (unless
the file's `# also:` line names others) that no other shape fires. A constraint without a bad
case fails the coverage test, so a new constraint cannot go untested.

The bad cases run on coopkg's fast SHACL engine (coopkg/fastvalidate.py); pySHACL, the
reference, validates the good data and a deterministic sample of the bad cases and must report
exactly the same results (tests/test_fastvalidate.py compares the two engines further).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import BNode, Namespace, URIRef

from coopkg import paths

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ROOT / "shapes" / "data-shapes.ttl"
BAD = ROOT / "tests" / "fixtures" / "data" / "bad"
SH = Namespace("http://www.w3.org/ns/shacl#")
COOPSH = Namespace("https://w3id.org/coopkg/shapes#")

# Constraint parameter -> the component pySHACL reports for it.
COMPONENTS = {
    "minCount": "MinCount",
    "maxCount": "MaxCount",
    "class": "Class",
    "datatype": "Datatype",
    "nodeKind": "NodeKind",
    "pattern": "Pattern",
    "minLength": "MinLength",
    "maxLength": "MaxLength",
    "in": "In",
    "hasValue": "HasValue",
    "languageIn": "LanguageIn",
    "lessThan": "LessThan",
    "lessThanOrEquals": "LessThanOrEquals",
    "equals": "Equals",
    "node": "Node",
    "not": "Not",
    "or": "Or",
    "qualifiedMinCount": "QualifiedMinCount",
    "qualifiedMaxCount": "QualifiedMaxCount",
    "sparql": "SPARQL",
    "minInclusive": "MinInclusive",
    "maxInclusive": "MaxInclusive",
    "uniqueLang": "UniqueLang",
}
# Parameters that only qualify another (their component is reported under the main one).
QUALIFIERS = {"qualifiedValueShape", "flags"}


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES, format="turtle")


@pytest.fixture(scope="module")
def good() -> rdflib.Graph:
    """Ontology, concepts and data in one graph, as validation sees them."""
    graph = rdflib.Graph()
    for path in ("ontology/coopkg.ttl", "ontology/concepts.ttl", *paths.SEED_FILES):
        graph.parse(ROOT / path, format="turtle")
    return graph


def reported_shapes(shapes: rdflib.Graph) -> set[URIRef]:
    """Shapes whose results reach the report: targeted node shapes and their property shapes."""
    targeted = set(shapes.subjects(SH.targetClass, None))
    return targeted | {p for s in targeted for p in shapes.objects(s, SH.property)}


def constraint_pairs(shapes: rdflib.Graph) -> set[tuple[str, str]]:
    pairs = set()
    for shape in reported_shapes(shapes):
        assert isinstance(shape, URIRef), f"a reported shape must have an IRI: {shape}"
        for param, component in COMPONENTS.items():
            if (shape, SH[param], None) in shapes:
                pairs.add((shape.split("#")[1], component))
    return pairs


def bad_cases() -> list[Path]:
    return sorted(BAD.glob("*.ru"))


def expected_message(shapes: rdflib.Graph, shape: URIRef, component: str) -> str:
    holder = shapes.value(shape, SH.sparql) if component == "SPARQL" else shape
    return str(shapes.value(holder, SH.message))


def validate_pyshacl(graph: rdflib.Graph, shapes: rdflib.Graph):
    """(conforms, {(shape, component, message)}) of pySHACL's report, the reference, run the
    way `coopkg validate --engine pyshacl` runs it (coopkg.shacl_engines.run_pyshacl)."""
    from coopkg import shacl_engines

    report = shacl_engines.run_pyshacl(list(store_of(graph)), list(store_of(shapes)))
    results_graph = rdflib.Graph().parse(data=report.graph_turtle, format="turtle")
    results = set()
    # Only the report's own results: nested sh:detail results belong to the shape that nests them.
    for result in results_graph.objects(None, SH.result):
        results.add(
            (
                results_graph.value(result, SH.sourceShape),
                results_graph.value(result, SH.sourceConstraintComponent),
                str(results_graph.value(result, SH.resultMessage)),
            )
        )
    return report.conforms, results


@pytest.fixture(scope="module")
def fast_shapes():
    from coopkg import fastvalidate, graph

    return fastvalidate.ShapesGraph(graph.open_store([SHAPES]))


def validate(graph: rdflib.Graph, fast_shapes):
    """The same (conforms, results) by coopkg's fast SHACL engine, which tests/
    test_fastvalidate.py and test_bad_cases_pyshacl_agrees keep equal to pySHACL. pySHACL
    parses each SPARQL constraint once per focus node, so running it on ~190 bad cases would
    take minutes; the fast engine takes well under a second a case. Conformance as `coopkg
    validate` decides it (warnings keep it), as validate_pyshacl does."""
    return validate_store(store_of(graph), fast_shapes, allow_warnings=True)


def store_of(graph: rdflib.Graph) -> ox.Store:
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def validate_store(store: ox.Store, fast_shapes, allow_warnings: bool = False):
    from coopkg import fastvalidate

    conforms, found = fastvalidate.validate_store(store, fast_shapes, allow_warnings=allow_warnings)
    results = {
        (URIRef(r.shape.value), URIRef(r.component.value), str(m.value) if m else "")
        for r in found
        for m in (r.messages or (None,))
    }
    return conforms, results


@pytest.mark.slow
def test_good_data_conforms(good, shapes, fast_shapes):
    graph = rdflib.Graph()
    graph += good
    # Not a warning either: both engines report nothing.
    conforms, results = validate(graph, fast_shapes)
    assert conforms and not results, sorted(results)
    conforms, results = validate_pyshacl(graph, shapes)
    assert conforms and not results, sorted(results)


def test_every_constraint_has_a_message_and_a_severity(shapes):
    helpers = set()
    for param in ("qualifiedValueShape", "not"):
        helpers |= set(shapes.objects(None, SH[param]))
    checked = 0
    for shape in set(shapes.subjects()) - helpers:
        params = [p for p in COMPONENTS if p != "sparql" and (shape, SH[p], None) in shapes]
        if not params:
            continue
        checked += 1
        assert shapes.value(shape, SH.message) is not None, f"{shape} has no sh:message"
        assert shapes.value(shape, SH.severity) is not None, f"{shape} has no sh:severity"
    for constraint in shapes.objects(None, SH.sparql):
        assert shapes.value(constraint, SH.message) is not None, constraint
        assert shapes.value(constraint, SH.severity) is not None, constraint
    assert checked > 50


def test_shapes_use_no_blank_node_for_what_the_report_names(shapes):
    for shape in reported_shapes(shapes):
        assert not isinstance(shape, BNode)


def test_every_constraint_has_a_bad_case(shapes):
    assert bad_cases(), f"no bad case found under {BAD}"
    have = {tuple(p.stem.split("--")) for p in bad_cases()}
    want = constraint_pairs(shapes)
    missing = sorted(want - have)
    assert not missing, f"constraints without a bad case: {missing}"
    stale = sorted(have - want)
    assert not stale, f"bad cases for constraints that do not exist: {stale}"


@pytest.fixture(scope="module")
def good_store(good) -> ox.Store:
    return store_of(good)


# A case takes a tenth to a fifth of a second; all of them take half a minute of CPU, so the
# quick run (-m "not slow") checks every tenth, and the full suite every one.
BAD_CASES = [
    pytest.param(case, marks=() if i % 10 == 0 else pytest.mark.slow, id=case.stem)
    for i, case in enumerate(bad_cases())
]


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_case_fires_its_shape(case, good_store, shapes, fast_shapes):
    shape_name, component = case.stem.split("--")
    shape = COOPSH[shape_name]
    text = case.read_text(encoding="utf-8")
    also = set()
    for line in text.splitlines():
        if line.startswith("# also:"):
            also = set(line.removeprefix("# also:").split())
    # The update runs on a copy in pyoxigraph (rdflib's SPARQL Update takes ten times as long);
    # test_bad_cases_pyshacl_agrees runs a sample of the cases through rdflib and pySHACL.
    store = ox.Store()
    store.bulk_extend(good_store)
    before = len(store)
    store.update(text)
    assert len(store) != before or "DELETE" in text, "the update changed nothing"
    conforms, results = validate_store(store, fast_shapes)
    assert not conforms, f"{case.name}: the data still conforms"
    fired = {(s, c) for s, c, _ in results}
    assert (shape, SH[f"{component}ConstraintComponent"]) in fired, sorted(fired)
    messages = {m for s, c, m in results if s == shape}
    assert expected_message(shapes, shape, component) in messages
    if "*" not in also:
        others = {s for s, _, _ in results} - {shape} - {COOPSH[a] for a in also}
        assert not others, f"{case.name}: other shapes fired too: {sorted(others)}"


# Every 20th bad case (and the first), in name order: deterministic, and spread over the shapes.
PYSHACL_SAMPLE = bad_cases()[::20]


@pytest.mark.slow
@pytest.mark.parametrize("case", PYSHACL_SAMPLE, ids=lambda p: p.stem)
def test_bad_cases_pyshacl_agrees(case, good, shapes, fast_shapes):
    """pySHACL, the reference, reports the same (shape, component, message) set as the engine
    the bad-case test uses."""
    graph = rdflib.Graph()
    graph += good
    graph.update(case.read_text(encoding="utf-8"))
    copy = rdflib.Graph()
    copy += graph
    assert validate_pyshacl(graph, shapes) == validate(copy, fast_shapes)
