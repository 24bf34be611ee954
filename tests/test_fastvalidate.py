"""coopkg.fastvalidate gives exactly pyshacl's report (as `coopkg validate` builds it): on the
real graph, on targeted injected violations, and on randomly damaged copies of the data."""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from pathlib import Path

import cli_helpers
import pyoxigraph as ox
import pytest

from coopkg import fastvalidate, paths
from coopkg import validate as pyshacl_validate
from coopkg.errors import CoopkgError
from coopkg.namespaces import COOP, KG, SKOS, XSD

ROOT = Path(__file__).resolve().parent.parent
# The seed article's graph: its facts, their spans and the spans' anchors.
DATA = [ROOT / name for name in paths.SEED_FILES]
ONTOLOGY = [ROOT / "ontology/coopkg.ttl", ROOT / "ontology/concepts.ttl"]
OA = "http://www.w3.org/ns/oa#"


def both(data_files, shape_files=None, ontology_files=None):
    """(pyshacl report, fast report) for the same inputs."""
    slow = pyshacl_validate.validate(data_files, shape_files, ontology_files)
    fast = fastvalidate.validate_files(data_files, shape_files, ontology_files)
    return slow, fast


def assert_same(slow, fast):
    assert fast.conforms == slow.conforms
    missing = Counter(slow.results) - Counter(fast.results)
    extra = Counter(fast.results) - Counter(slow.results)
    assert (list(missing.elements())[:5], list(extra.elements())[:5]) == ([], [])
    assert fast.results == slow.results  # same rows in the same order


def triples(*files: Path) -> list:
    return [q.triple for f in files for q in ox.parse(path=str(f))]


def write_nt(path: Path, items) -> Path:
    with path.open("wb") as handle:
        ox.serialize(items, handle, format=ox.RdfFormat.N_TRIPLES)
    return path


@pytest.mark.slow
def test_real_graph_same_report_as_pyshacl():
    slow, fast = both(None)
    assert_same(slow, fast)


def iri(x: str) -> ox.NamedNode:
    return ox.NamedNode(x)


def targeted_damage(items: list) -> list:
    """One violation of each kind the data shapes check, on the real data."""
    out = list(items)

    def drop(pred: str, subject_contains: str = ""):
        for t in out:
            if t.predicate.value == pred and subject_contains in t.subject.value:
                out.remove(t)
                return t
        raise AssertionError(f"nothing to drop for {pred}")

    def first_subject(pred: str):
        return next(t.subject for t in out if t.predicate.value == pred)

    drop(COOP + "debtor")  # a commitment without its debtor (minCount)
    start = first_subject(OA + "start")
    out.append(ox.Triple(start, iri(OA + "start"), ox.Literal("five")))  # datatype, lessThan
    out.append(ox.Triple(start, iri(OA + "end"), ox.Literal("3", datatype=iri(XSD + "integer"))))
    commitment = first_subject(COOP + "action")
    out.append(ox.Triple(commitment, iri(COOP + "action"), ox.Literal("again", language="en")))
    out.append(ox.Triple(commitment, iri(COOP + "field"), ox.Literal("tourism")))  # sh:node
    out.append(ox.Triple(commitment, iri(COOP + "field"), iri(KG + "ha-noi")))  # not a field
    labelled = first_subject(SKOS + "hiddenLabel")
    out.append(ox.Triple(labelled, iri(SKOS + "hiddenLabel"), ox.Literal("Hà Nội")))  # pattern
    out.append(ox.Triple(labelled, iri(SKOS + "prefLabel"), ox.Literal("Hai", language="vi")))
    # rdflib and Oxigraph disagree on the truth of a language-tagged string: pyshacl's way wins
    agreement = iri(KG + "cooperation-agreement-2017-2020")
    out.append(
        ox.Triple(agreement, iri(COOP + "fieldListComplete"), ox.Literal("x", language="fr"))
    )
    drop(OA + "exact")  # a quote selector without its quote
    drop("http://spdx.org/rdf/terms#checksumValue")  # sequence path, minCount
    return out


@pytest.mark.slow
def test_targeted_violations_same_report_as_pyshacl(tmp_path):
    damaged = write_nt(tmp_path / "damaged.nt", targeted_damage(triples(*ONTOLOGY, *DATA)))
    slow, fast = both([damaged])
    assert not slow.conforms
    fired = {r.shape for r in slow.results}
    assert len(slow.results) >= 10 and len(fired) >= 8  # the damage really is caught
    assert_same(slow, fast)


def random_damage(items: list, seed: int, rate: float) -> list:
    """Drop some triples; repeat others with a random object, a tagged copy or an integer."""
    rng = random.Random(seed)
    objects = [t.object for t in items]
    out = []
    for t in items:
        r = rng.random()
        if r < rate:
            continue
        out.append(t)
        if r < 2 * rate:
            out.append(ox.Triple(t.subject, t.predicate, rng.choice(objects)))
        elif r < 2.5 * rate and isinstance(t.object, ox.Literal):
            tagged = ox.Literal(t.object.value + " x", language=rng.choice(["vi", "en", "fr"]))
            out.append(ox.Triple(t.subject, t.predicate, tagged))
        elif r < 3 * rate:
            out.append(
                ox.Triple(t.subject, t.predicate, ox.Literal("12", datatype=iri(XSD + "integer")))
            )
    return out


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_randomly_damaged_data_same_report_as_pyshacl(tmp_path, seed):
    damaged = write_nt(tmp_path / "damaged.nt", random_damage(triples(*DATA), seed, 0.03))
    # The data alone, the ontology as pyshacl's ontology graph (mixed in as pyshacl does).
    slow, fast = both([damaged])
    assert len(slow.results) > 50
    assert_same(slow, fast)


@pytest.mark.slow
def test_randomly_damaged_ontology_same_report_under_the_ontology_shapes(tmp_path):
    # These shapes use SPARQL constraints where $this is bound only inside FILTER NOT EXISTS,
    # and one with a variable predicate: the per-focus-node path of the engine.
    damaged = write_nt(tmp_path / "onto.nt", random_damage(triples(*ONTOLOGY), 7, 0.03))
    shapes = [ROOT / "shapes/ontology-shapes.ttl"]
    slow, fast = both([damaged], shapes, [])
    assert len(slow.results) > 20
    assert_same(slow, fast)


def test_shapes_it_does_not_compile_fall_back_to_pyshacl(tmp_path):
    shapes = tmp_path / "closed-shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        f"<{KG}S> a sh:NodeShape ; sh:targetClass <{COOP}Commitment> ; sh:closed true ;\n"
        '  sh:message "closed" .\n',
        encoding="utf-8",
    )
    with pytest.raises(fastvalidate.Unsupported, match="sh:closed"):
        fastvalidate.validate_files(DATA, [shapes])
    home = tmp_path / "home"
    (home / "shapes").mkdir(parents=True)
    # The project's data shapes replaced by the one closed shape.
    (home / "shapes/data-shapes.ttl").write_text(shapes.read_text(), encoding="utf-8")
    (home / "ontology").symlink_to(ROOT / "ontology")
    os.environ["COOPKG_HOME"] = str(home)
    try:
        assert paths.data_shape_files() == [home / "shapes/data-shapes.ttl"]
        report = fastvalidate.run(DATA, fallback=True)  # an exact engine: pyshacl's answer
        expected = pyshacl_validate.validate(DATA)
        assert (report.conforms, report.results) == (expected.conforms, expected.results)
        assert not report.conforms and report.results[0].message == "closed"
        with pytest.raises(CoopkgError, match="fast engine cannot validate this: sh:closed"):
            fastvalidate.run(DATA, fallback=False)
    finally:
        del os.environ["COOPKG_HOME"]


def coopkg(*args: str) -> cli_helpers.Run:
    return cli_helpers.coopkg(*args, home=ROOT)


@pytest.mark.slow
def test_cli_engines_and_store_print_the_same_report(tmp_path):
    damaged = write_nt(tmp_path / "damaged.nt", targeted_damage(triples(*ONTOLOGY, *DATA)))
    slow = coopkg("validate", str(damaged), "--engine", "pyshacl", "--format", "json")
    fast = coopkg("validate", str(damaged), "--engine", "fast", "--format", "json")
    assert slow.code == fast.code == 1, fast.err
    built = coopkg("build", str(damaged), "--store", str(tmp_path / "store"))
    assert built.code == 0, built.err
    stored = coopkg("validate", "--store", str(tmp_path / "store"), "--format", "json")
    assert stored.code == 1, stored.err

    def report(run, engine):  # the same report, but each says which engine made it
        doc = json.loads(run.out)
        assert doc.pop("engine") == engine
        doc.pop("engine_note")
        return doc

    assert report(fast, "fast") == report(slow, "pyshacl") == report(stored, "fast")


def test_cli_store_and_files_together_is_a_usage_error(tmp_path):
    run = coopkg("validate", str(DATA[0]), "--store", str(tmp_path))
    assert run.code == 2
    assert run.err == "coopkg: error: give data files or --store, not both\n"


@pytest.mark.slow
def test_violations_only_sparql_constraints_see_run_on_oxigraph_same_as_pyshacl(tmp_path):
    # Core constraints find this data clean, so the SPARQL-based constraints run on Oxigraph
    # (the fast path); they must still report exactly what pyshacl (rdflib) reports.
    items = triples(*ONTOLOGY, *DATA)
    continuation = iri(COOP + "isContinuation")
    post = iri(COOP + "post")
    dropped = [t for t in items if t.predicate == continuation][:1]
    dropped += [t for t in items if t.predicate == post][:1]
    assert len(dropped) == 2
    damaged = write_nt(tmp_path / "damaged.nt", [t for t in items if t not in dropped])
    engine = fastvalidate.Engine(
        store_of_files(damaged), fastvalidate.ShapesGraph.from_files(paths.data_shape_files())
    )
    results = engine.validate()
    assert engine.sparql_engine == "oxigraph"
    assert {r.component.value for r in results} == {
        "http://www.w3.org/ns/shacl#SPARQLConstraintComponent"
    }
    assert len(results) >= 2
    slow, fast = both([damaged])
    assert_same(slow, fast)


def store_of_files(*files: Path) -> ox.Store:
    store = ox.Store()
    for f in files:
        store.load(path=str(f))
    return store


# --- the verdict alone (fastvalidate.conforms) -------------------------------------------------

VERDICT_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:NameShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:severity sh:%s ;
                  sh:message "a thing has a name" ] .
# No sh:message: the fast engine cannot run this constraint and says so (Unsupported).
ex:SparqlShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:sparql [ sh:select "SELECT $this WHERE { $this <http://example.org/never> ?x }" ] .
"""


def verdict_store(data: str) -> ox.Store:
    store = ox.Store()
    store.load(data.encode(), format=ox.RdfFormat.TURTLE)
    return store


@pytest.mark.parametrize("severity", ["Violation", "Warning"])
def test_the_verdict_alone_stops_at_the_first_core_violation(severity):
    """A core result that breaks conformance decides the verdict before the SPARQL constraints
    run (here one the engine cannot run, so validate_store fails on it); a warning does not
    break conformance (allow_warnings), so the SPARQL constraints still run."""
    shapes = fastvalidate.ShapesGraph(verdict_store(VERDICT_SHAPES % severity))
    data = verdict_store("<http://example.org/a> a <http://example.org/Thing> .")
    if severity == "Violation":
        assert fastvalidate.conforms(data, shapes) is False
    else:
        with pytest.raises(fastvalidate.Unsupported):
            fastvalidate.conforms(data, shapes)
    with pytest.raises(fastvalidate.Unsupported):
        fastvalidate.validate_store(data, shapes)


def test_the_verdict_alone_is_validate_stores_verdict():
    shapes = fastvalidate.ShapesGraph(
        verdict_store((VERDICT_SHAPES % "Warning").split("# No sh:message")[0])
    )
    named = verdict_store(
        "<http://example.org/a> a <http://example.org/Thing> ; <http://example.org/name> 'A' ."
    )
    nameless = verdict_store("<http://example.org/a> a <http://example.org/Thing> .")
    for data in (named, nameless):
        for allow_warnings in (True, False):
            expected, _ = fastvalidate.validate_store(data, shapes, allow_warnings=allow_warnings)
            assert fastvalidate.conforms(data, shapes, allow_warnings=allow_warnings) is expected
    assert fastvalidate.conforms(nameless, shapes, allow_warnings=False) is False
    assert fastvalidate.conforms(nameless, shapes) is True  # a warning keeps conformance
