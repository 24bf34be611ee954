"""Tests for the ontology (ontology/*.ttl) and its shapes (shapes/ontology-shapes.ttl).

The real files must conform, also after an OWL RL closure. Every shape has a bad-case fixture
(tests/fixtures/ontology/bad/<shape>.ru: a SPARQL Update that breaks one thing in a copy of the
conforming tests/fixtures/ontology/minimal.ttl), and the test asserts that exactly that shape
fired, with its message and severity. A shape without a fixture fails the suite.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from coopkg.fastvalidate import to_rdflib
from coopkg.namespaces import COOP, COOPSH
from coopkg.text import ascii_fold

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "ontology"
SHAPES_FILE = ROOT / "shapes" / "ontology-shapes.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/coopkg/ontology")
DECLARATION_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
}
# SHACL parameters that make a node shape a constraint of its own (not only a holder of
# sh:property / sh:sparql children), so it needs its own bad-case fixture.
NODE_CONSTRAINT_PARAMETERS = (
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH["in"],
    SH["or"],
    SH["and"],
    SH["not"],
    SH.xone,
    SH.node,
    SH.hasValue,
    SH.pattern,
    SH.closed,
)


def existing_files(pattern: str, under: Path = ROOT) -> list[Path]:
    """Glob that fails when it finds nothing, so a wrong pattern cannot pass silently."""
    found = sorted(under.glob(pattern))
    assert found, f"no file matches {pattern!r} under {under}"
    return found


def ontology_files() -> list[Path]:
    return existing_files("ontology/*.ttl")


@cache
def ontology_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


@cache
def shapes_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_FILE, format="turtle")


def validate(data: rdflib.Graph) -> tuple[bool, rdflib.Graph]:
    """pySHACL under the ontology shapes, run the way `coopkg validate --engine pyshacl` runs it
    (coopkg.shacl_engines.run_pyshacl); (conforms, the results graph)."""
    from coopkg import shacl_engines

    report = shacl_engines.run_pyshacl(quads(data), quads(shapes_graph()))
    return report.conforms, rdflib.Graph().parse(data=report.graph_turtle, format="turtle")


def quads(graph: rdflib.Graph) -> list:
    """The graph's triples as pyoxigraph quads. An OWL RL closure also holds generalized
    triples (a literal as subject), which RDF, and so a file `coopkg validate` reads, cannot
    hold: those are left out."""
    rdf = rdflib.Graph()
    rdf += ((s, p, o) for s, p, o in graph if not isinstance(s, Literal))
    store = ox.Store()
    store.load(rdf.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return list(store)


def copy(graph: rdflib.Graph) -> rdflib.Graph:
    result = rdflib.Graph()
    result += graph
    return result


def local(iri: rdflib.term.Node) -> str:
    assert str(iri).startswith(COOPSH), f"shape {iri} is not a named coopsh: node"
    return str(iri)[len(COOPSH) :]


# ---------------------------------------------------------------- the real files


def test_ontology_files_are_the_two_expected():
    names = {p.name for p in ontology_files()}
    assert {"coopkg.ttl", "concepts.ttl"} <= names


@pytest.mark.slow
def test_real_ontology_conforms_to_its_shapes():
    conforms, report = validate(copy(ontology_graph()))
    assert conforms, report.serialize(format="turtle")
    # allow_warnings would hide should-haves; the real files must not need any.
    assert not list(report.subjects(RDF.type, SH.ValidationResult)), report.serialize(
        format="turtle"
    )


def test_files_are_canonical():
    paths = [*ontology_files(), SHAPES_FILE]
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "fmt_turtle.py"), "--check", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_ontology_file_reads_top_down():
    """The header comes first, then every class, then every property, then the individuals."""
    import re

    text = (ROOT / "ontology" / "coopkg.ttl").read_text(encoding="utf-8")
    blocks = [b for b in text.split("\n\n") if not b.startswith(("PREFIX", "# "))]
    kinds = []
    for block in blocks:
        types = re.search(r"^    a\s+(.*?)(?: ;|\n\.)", block, re.M | re.S)
        declared = types.group(1) if types else ""
        if "owl:Ontology" in declared:
            kinds.append(0)
        elif "owl:Class" in declared:
            kinds.append(1)
        elif "Property" in declared:
            kinds.append(2)
        else:
            kinds.append(3)
    assert kinds[0] == 0, "the file must open with the owl:Ontology header"
    assert kinds == sorted(kinds), "classes, properties and individuals are out of order"
    assert {1, 2, 3} <= set(kinds)
    titles = re.findall(r"^# (.*)$", text, re.M)
    assert titles == ["Ontology header", "Classes", "Properties", "Individuals"]


def test_formatter_layout_does_not_depend_on_the_input_order(tmp_path):
    """Shuffled statements come out the same: the layout is canonical, not the author's."""
    import importlib.util
    import random

    import rdflib

    spec = importlib.util.spec_from_file_location("fmt_turtle", ROOT / "scripts" / "fmt_turtle.py")
    fmt = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fmt)
    source = ROOT / "ontology" / "coopkg.ttl"
    triples = list(rdflib.Graph().parse(source))
    random.Random(7).shuffle(triples)
    shuffled = rdflib.Graph()
    for triple in triples:
        shuffled.add(triple)
    copy_path = tmp_path / "coopkg.ttl"
    copy_path.write_text(shuffled.serialize(format="nt"), encoding="utf-8")
    assert fmt.canonical(copy_path) == source.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path",
    [*ontology_files(), *existing_files("shapes/*.ttl"), *existing_files("data/*.ttl")],
    ids=lambda p: p.name,
)
def test_rdflib_and_pyoxigraph_read_the_same_graph(path: Path):
    """The ontology, the shapes and the data read alike by both parsers coopkg uses."""
    import pyoxigraph
    from rdflib.compare import isomorphic

    by_rdflib = rdflib.Graph().parse(path, format="turtle")
    by_oxigraph = rdflib.Graph()
    with path.open("rb") as stream:
        for quad in pyoxigraph.parse(stream, format=pyoxigraph.RdfFormat.TURTLE):
            by_oxigraph.add(
                tuple(to_rdflib(t) for t in (quad.subject, quad.predicate, quad.object))
            )
    assert len(by_rdflib) == len(by_oxigraph) > 0
    assert isomorphic(by_rdflib, by_oxigraph)


# ---------------------------------------------------------------- OWL 2 DL sanity


def declared(graph: rdflib.Graph, kind: URIRef) -> set[rdflib.term.Node]:
    return set(graph.subjects(RDF.type, kind))


def test_no_property_is_both_object_and_datatype_property():
    graph = ontology_graph()
    both = declared(graph, OWL.ObjectProperty) & declared(graph, OWL.DatatypeProperty)
    assert not both


def test_no_punning_between_classes_properties_and_individuals():
    graph = ontology_graph()
    classes = declared(graph, OWL.Class)
    properties = (
        declared(graph, OWL.ObjectProperty)
        | declared(graph, OWL.DatatypeProperty)
        | declared(graph, OWL.AnnotationProperty)
    )
    individuals = declared(graph, OWL.NamedIndividual)
    assert not classes & properties
    assert not classes & individuals
    assert not properties & individuals


def test_every_coop_term_used_in_ontology_files_is_declared():
    graph = ontology_graph()
    used = {t for triple in graph for t in triple if isinstance(t, URIRef) and t.startswith(COOP)}
    undeclared = {t for t in used if not set(graph.objects(t, RDF.type)) & DECLARATION_TYPES}
    assert used, "no coop: term found at all"
    assert not undeclared


def test_every_predicate_is_builtin_or_declared():
    graph = ontology_graph()
    builtin = (str(RDF), str(RDFS), str(OWL))
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    missing = {
        p
        for p in graph.predicates()
        if not str(p).startswith(builtin) and not any((p, RDF.type, k) in graph for k in kinds)
    }
    assert not missing


def test_object_and_datatype_properties_take_the_right_kind_of_value():
    graph = ontology_graph()
    for prop in declared(graph, OWL.ObjectProperty):
        assert not [o for o in graph.objects(None, prop) if isinstance(o, Literal)], prop
    for prop in declared(graph, OWL.DatatypeProperty):
        assert not [o for o in graph.objects(None, prop) if not isinstance(o, Literal)], prop


def test_classes_used_in_axioms_and_types_are_declared():
    graph = ontology_graph()
    classes = declared(graph, OWL.Class)
    used = set(graph.objects(None, RDFS.subClassOf)) | set(graph.objects(None, RDFS.domain))
    used |= {o for o in graph.objects(None, RDFS.range) if not str(o).startswith(str(rdflib.XSD))}
    used |= {o for o in graph.objects(None, RDF.type) if not str(o).startswith(str(OWL))}
    assert not used - classes


# The OWL 2 datatype map (OWL 2 Structural Specification, section 4): only these may be a range.
OWL2_DATATYPES = {RDFS.Literal, RDF.PlainLiteral, RDF.XMLLiteral, OWL.real, OWL.rational} | {
    rdflib.XSD[name]
    for name in (
        "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger "
        "long int short byte unsignedLong unsignedInt unsignedShort unsignedByte double float "
        "string normalizedString token language Name NCName NMTOKEN boolean hexBinary "
        "base64Binary anyURI dateTime dateTimeStamp"
    ).split()
}


def test_datatype_ranges_are_in_the_owl2_datatype_map():
    graph = ontology_graph()
    ranges = {graph.value(p, RDFS.range) for p in declared(graph, OWL.DatatypeProperty)}
    assert not ranges - OWL2_DATATYPES - {None}


def test_blank_nodes_only_in_rdf_lists():
    graph = ontology_graph()
    blanks = {t for triple in graph for t in triple if isinstance(t, BNode)}
    not_lists = {b for b in blanks if (b, RDF.first, None) not in graph}
    assert not not_lists


@pytest.mark.slow
def test_owl_rl_closure_is_consistent_and_still_conforms():
    import owlrl

    graph = copy(ontology_graph())
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    assert not list(graph.subjects(RDF.type, OWL.Nothing))
    errors = list(graph.objects(None, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")))
    assert not errors, errors
    conforms, report = validate(graph)
    assert conforms, report.serialize(format="turtle")


def test_a_clash_is_caught_by_the_closure():
    """The disjointness axioms bite: something both a commitment and a proposal is inconsistent."""
    import owlrl

    graph = copy(ontology_graph())
    thing = URIRef("https://w3id.org/coopkg/id/test-thing")
    graph.add((thing, RDF.type, URIRef(COOP + "Commitment")))
    graph.add((thing, RDF.type, URIRef(COOP + "Proposal")))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    errors = list(graph.objects(None, URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")))
    assert errors


# ---------------------------------------------------------------- labels and concepts


def test_hidden_label_is_the_ascii_folded_vietnamese_label():
    graph = ontology_graph()
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert concepts
    for concept in concepts:
        (vi,) = [x for x in graph.objects(concept, SKOS.prefLabel) if x.language == "vi"]
        assert set(graph.objects(concept, SKOS.hiddenLabel)) == {Literal(ascii_fold(str(vi)))}, (
            concept
        )


def test_vietnamese_labels_are_nfc():
    graph = ontology_graph()
    for _, _, label in graph.triples((None, None, None)):
        if isinstance(label, Literal) and label.language == "vi":
            assert unicodedata.is_normalized("NFC", str(label)), label


def test_rdfs_label_repeats_pref_label():
    graph = ontology_graph()
    labelled = set(graph.subjects(SKOS.prefLabel, None))
    for node in labelled:
        assert set(graph.objects(node, RDFS.label)) == set(graph.objects(node, SKOS.prefLabel)), (
            node
        )


ARTICLE = ROOT / "data" / "source" / "2017-05-17-ha-noi-lao-cai-working-session.vi.txt"


@pytest.mark.parametrize("scheme", ["fields", "industries"])
def test_every_field_and_industry_quotes_the_article(scheme: str):
    """Truth over volume: a field or industry exists because the article names it, and its
    English definition quotes the article's words ("…") verbatim."""
    article = ARTICLE.read_text(encoding="utf-8")
    graph = ontology_graph()
    concepts = set(graph.subjects(SKOS.inScheme, URIRef(f"https://w3id.org/coopkg/id/{scheme}")))
    assert concepts
    for concept in concepts:
        (definition,) = [d for d in graph.objects(concept, SKOS.definition) if d.language == "en"]
        quotes = re.findall(r'"([^"]+)"', str(definition))
        assert quotes, f"{concept}: the definition quotes no words of the article"
        assert all(q in article for q in quotes), (concept, quotes)


def test_fold_handles_d_with_stroke():
    assert ascii_fold("Đảng đào tạo") == "Dang dao tao"


# ---------------------------------------------------------------- one bad case per shape


def checkable_shapes() -> dict[str, dict]:
    """Every unit that can fire: property shapes, SPARQL constraints, and node shapes that
    carry a constraint parameter themselves. Maps local name to its message and severity."""
    shapes = shapes_graph()
    units: dict[str, dict] = {}
    for shape in set(shapes.subjects(SH.path, None)):
        units[local(shape)] = {
            "message": shapes.value(shape, SH.message),
            "severity": shapes.value(shape, SH.severity),
            "source_shape": shape,
        }
    for holder, constraint in shapes.subject_objects(SH.sparql):
        units[local(constraint)] = {
            "message": shapes.value(constraint, SH.message),
            "severity": shapes.value(holder, SH.severity),
            "source_shape": holder,
            "source_constraint": constraint,
        }
    targets = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        has_target = any((shape, t, None) in shapes for t in targets)
        if has_target and any((shape, p, None) in shapes for p in NODE_CONSTRAINT_PARAMETERS):
            units[local(shape)] = {
                "message": shapes.value(shape, SH.message),
                "severity": shapes.value(shape, SH.severity),
                "source_shape": shape,
            }
    return units


BAD_FIXTURES = {p.stem: p for p in (FIXTURES / "bad").glob("*.ru")}


def test_every_shape_has_exactly_one_bad_fixture():
    units = set(checkable_shapes())
    assert units, "no shape found in shapes/ontology-shapes.ttl"
    assert not units - set(BAD_FIXTURES), "shapes without a bad-case fixture"
    assert not set(BAD_FIXTURES) - units, "fixtures for shapes that do not exist"


def test_every_shape_has_a_message_and_an_explicit_severity():
    for name, unit in checkable_shapes().items():
        assert isinstance(unit["message"], Literal) and str(unit["message"]).strip(), name
        assert unit["severity"] in {SH.Violation, SH.Warning}, name


def test_every_targeted_shape_declares_its_severity():
    shapes = shapes_graph()
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    ):
        if (shape, SH.sparql, None) in shapes or (shape, SH.path, None) in shapes:
            assert (shape, SH.severity, None) in shapes, shape


def test_minimal_fixture_conforms():
    conforms, report = validate(minimal_graph())
    assert conforms, report.serialize(format="turtle")
    assert not list(report.subjects(RDF.type, SH.ValidationResult))


@cache
def minimal_graph_cached() -> rdflib.Graph:
    return rdflib.Graph().parse(FIXTURES / "minimal.ttl", format="turtle")


def minimal_graph() -> rdflib.Graph:
    return copy(minimal_graph_cached())


def message_pattern(template: str) -> re.Pattern:
    """A SHACL message template ({?var}, {$this}) as a regex that any substitution matches."""
    parts = re.split(r"\{[?$]\w+\}", template)
    return re.compile(".+".join(re.escape(p) for p in parts), re.DOTALL)


@pytest.mark.parametrize("name", sorted(BAD_FIXTURES))
def test_bad_fixture_fires_exactly_its_shape(name: str):
    units = checkable_shapes()
    assert name in units, f"fixture {name}.ru names no shape"
    unit = units[name]
    data = minimal_graph()
    before = set(data)
    data.update(BAD_FIXTURES[name].read_text(encoding="utf-8"))
    assert set(data) != before, f"{name}.ru changed nothing in minimal.ttl"

    conforms, report = validate(data)
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    assert results, f"{name}: nothing fired"
    fired = set()
    for result in results:
        # SPARQL constraints are named by sh:sourceConstraint, core ones by sh:sourceShape.
        constraint = report.value(result, SH.sourceConstraint)
        source = (
            constraint if isinstance(constraint, URIRef) else report.value(result, SH.sourceShape)
        )
        fired.add(local(source))
    assert fired == {name}
    for result in results:
        assert report.value(result, SH.resultSeverity) == unit["severity"]
        messages = [str(m) for m in report.objects(result, SH.resultMessage)]
        assert messages, f"{name}: a result without a message"
        for message in messages:
            assert message_pattern(str(unit["message"])).fullmatch(message), message
    # A violation makes the graph non-conforming; a warning alone does not.
    assert conforms == (unit["severity"] == SH.Warning)
