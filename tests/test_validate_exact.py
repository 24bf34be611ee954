"""`coopkg validate` sees literals exactly as written and never crashes on blank nodes, with
every engine and with `--store`; the report says which engine ran; exit 1 means violations.

A pyoxigraph Store rewrites literals ("5"^^xsd:int -> "5"^^xsd:integer, "4.0" -> "4"), so the
default engine must notice such data before it runs and hand it to an engine that reads the
files as written (coopkg/shacl_engines.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from cli_helpers import Run
from cli_helpers import coopkg as run_coopkg

from coopkg import paths, shacl_engines
from coopkg.errors import CoopkgError
from coopkg.namespaces import XSD

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data/agreement.ttl"
# The seed article's graph: its facts, their spans and the spans' anchors.
SEED = [ROOT / name for name in paths.SEED_FILES]
OA_END = "http://www.w3.org/ns/oa#end"
FIELD = "https://w3id.org/coopkg/ontology#field"
PREFIXES = (
    "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    "@prefix ex: <http://example.org/> .\n"
)


def coopkg(*args: str) -> Run:
    """`coopkg ARGS` on the checkout's project, in this process (tests/cli_helpers.py)."""
    return run_coopkg(*args, home=ROOT)


def rewritten(tmp_path: Path, change) -> Path:
    """The seed article's graph with the first triple that `change` rewrites, as N-Triples."""
    out, done = [], False
    for q in (q for path in SEED for q in ox.parse(path=str(path))):
        new = None if done else change(q.triple)
        if new is not None:
            out.append(new)
            done = True
        else:
            out.append(q.triple)
    assert done, "nothing to rewrite"
    path = tmp_path / "changed.nt"
    with path.open("wb") as handle:
        ox.serialize(out, handle, format=ox.RdfFormat.N_TRIPLES)
    return path


def end_as_int(t):
    if t.predicate.value == OA_END and t.object.value == "2044":
        return ox.Triple(
            t.subject, t.predicate, ox.Literal("2044", datatype=ox.NamedNode(XSD + "int"))
        )
    return None


def field_as_blank_node(t):
    if t.predicate.value == FIELD:
        return ox.Triple(t.subject, t.predicate, ox.BlankNode())
    return None


# ---------------------------------------------------------------- the project graph
def test_a_data_file_is_validated_with_the_ontology():
    """The seed article's files alone conform: their concepts live in ontology/, which comes
    with them."""
    run = coopkg("validate", *map(str, SEED))
    assert (run.code, run.err) == (0, "")
    assert run.out.splitlines()[-2:] == [
        "engine: fast",
        "conforms: 0 violation(s), 0 warning(s), 0 info(s)",
    ]


@pytest.mark.parametrize("engine", ["auto", "rust", "pyshacl"])
def test_oa_end_as_xsd_int_is_flagged(tmp_path, engine):
    """oa:end must be an xsd:integer; "2044"^^xsd:int is another datatype, though a Store
    would turn it into "2044"^^xsd:integer."""
    changed = rewritten(tmp_path, end_as_int)
    run = coopkg("validate", str(changed), "--engine", engine, "--format", "json")
    assert run.code == 1, run.err
    doc = json.loads(run.out)
    rows = [r for r in doc["results"]["Violation"] if r["path"] == "oa:end"]
    assert [r["value"] for r in rows] == ["2044"]
    # auto hands the project's shapes (SPARQL constraints) to pySHACL
    assert doc["engine"] == ("pyshacl" if engine == "auto" else engine)
    if engine == "auto":
        assert "xsd:int" in doc["engine_note"] or "XMLSchema#int" in doc["engine_note"]


def test_oa_end_as_xsd_int_is_flagged_in_a_built_store(tmp_path):
    changed = rewritten(tmp_path, end_as_int)
    built = coopkg("build", str(changed), "--store", str(tmp_path / "store"))
    assert built.code == 0, built.err
    run = coopkg("validate", "--store", str(tmp_path / "store"), "--format", "json")
    assert run.code == 1, run.err
    doc = json.loads(run.out)
    assert [r["value"] for r in doc["results"]["Violation"] if r["path"] == "oa:end"] == ["2044"]
    assert doc["engine"] == "pyshacl"
    forced = coopkg("validate", "--store", str(tmp_path / "store"), "--engine", "fast")
    assert forced.code == 2
    assert forced.err.startswith("coopkg: error: the fast engine cannot validate this: ")
    assert forced.err.count("\n") == 1


def test_a_store_whose_files_changed_is_refused(tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text(DATA.read_text(encoding="utf-8"), encoding="utf-8")
    built = coopkg("build", str(data), "--store", str(tmp_path / "store"))
    assert built.code == 0, built.err
    data.write_text(DATA.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    run = coopkg("validate", "--store", str(tmp_path / "store"))
    assert run.code == 2
    assert "changed since it was built" in run.err and run.err.count("\n") == 1


def test_a_blank_node_field_value_is_a_clean_result(tmp_path):
    """A coop:field value made a blank node: violations reported (it is no field concept) by
    an exact engine; no traceback; --engine fast refuses in one line with exit 2."""
    changed = rewritten(tmp_path, field_as_blank_node)
    run = coopkg("validate", str(changed), "--format", "json")
    assert run.code == 1 and run.err == ""
    doc = json.loads(run.out)
    assert doc["engine"] == "pyshacl" and doc["engine_note"] == (
        "the fast engine does not do blank nodes in the data"
    )
    assert any(
        r["path"] == "coop:field" and r["value"] == "[]" for r in doc["results"]["Violation"]
    )
    forced = coopkg("validate", str(changed), "--engine", "fast")
    assert forced.code == 2 and forced.out == ""
    assert forced.err == (
        "coopkg: error: the fast engine cannot validate this: blank nodes in the data\n"
    )


# ---------------------------------------------------------------- literals, every engine
def small(tmp_path: Path, shapes: str, data: str) -> tuple[Path, Path]:
    s, d = tmp_path / "shapes.ttl", tmp_path / "data.ttl"
    s.write_text(PREFIXES + shapes, encoding="utf-8")
    d.write_text(PREFIXES + data, encoding="utf-8")
    return s, d


def run(shapes: Path, data: Path, engine: str):
    return shacl_engines.validate([data], engine=engine, shape_files=[shapes], ontology_files=[])


EXACT_ENGINES = ["auto", "rust", "pyshacl"]
DATATYPE_SHAPE = (
    'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:message "wrong datatype" ;\n'
    "  sh:property [ sh:path ex:p ; sh:datatype {dt} ] .\n"
)


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_xsd_int_is_valid_under_sh_datatype_xsd_int(tmp_path, engine):
    shapes, data = small(
        tmp_path, DATATYPE_SHAPE.format(dt="xsd:int"), 'ex:a ex:p "5"^^xsd:int .\n'
    )
    report = run(shapes, data, engine)
    assert (report.conforms, report.results) == (True, [])


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_an_ill_formed_byte_violates_sh_datatype(tmp_path, engine):
    shapes, data = small(
        tmp_path, DATATYPE_SHAPE.format(dt="xsd:byte"), 'ex:a ex:p "c"^^xsd:byte, "7"^^xsd:byte .\n'
    )
    report = run(shapes, data, engine)
    assert not report.conforms
    assert [r.value for r in report.results] == ["c"]


@pytest.mark.parametrize("engine", EXACT_ENGINES)
def test_a_value_is_reported_as_written(tmp_path, engine):
    shapes, data = small(
        tmp_path,
        'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:message "too big" ;\n'
        "  sh:property [ sh:path ex:p ; sh:maxInclusive 3 ] .\n",
        'ex:a ex:p "4.0"^^xsd:decimal .\n',
    )
    report = run(shapes, data, engine)
    assert [r.value for r in report.results] == ["4.0"]
    values = [
        q.object
        for q in ox.parse(report.graph_turtle, format=ox.RdfFormat.TURTLE)
        if q.predicate.value == "http://www.w3.org/ns/shacl#value"
    ]
    assert values == [ox.Literal("4.0", datatype=ox.NamedNode(XSD + "decimal"))]


def test_the_fast_engine_refuses_what_a_store_would_rewrite(tmp_path):
    shapes, data = small(
        tmp_path, DATATYPE_SHAPE.format(dt="xsd:int"), 'ex:a ex:p "5"^^xsd:int .\n'
    )
    with pytest.raises(CoopkgError, match=r"the fast engine cannot validate this: the literal"):
        run(shapes, data, "fast")
    report = run(shapes, data, "auto")
    assert report.engine == "rust" and "XMLSchema#int" in report.note


@pytest.mark.parametrize(
    ("literal", "kept"),
    [
        ('"5"^^xsd:integer', True),
        ('"05"^^xsd:integer', False),  # a store writes 5
        ('"-0"^^xsd:integer', False),
        ('"true"^^xsd:boolean', True),
        ('"1"^^xsd:boolean', False),  # a store writes true
        ('"2017-05-17"^^xsd:date', True),
        ('"2017-02-30"^^xsd:date', False),  # ill-formed
        ('"2017-05-17Z"^^xsd:date', False),  # timezones compare differently
        ('"2017"^^xsd:gYear', True),
        ('"4.0"^^xsd:decimal', False),
        ('"5"^^xsd:int', False),
        ('"x"^^<http://example.org/code>', True),  # no XSD meaning: stored as written
        ('"text"', True),
        ('"text"@vi', True),
    ],
)
def test_which_literals_the_fast_engine_takes(literal, kept):
    (quad,) = ox.parse(PREFIXES + f"ex:a ex:p {literal} .", format=ox.RdfFormat.TURTLE)
    assert (shacl_engines.literal_problem(quad.object) is None) == kept


def test_a_parse_error_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    run = coopkg("validate", str(bad))
    assert run.code == 2 and run.out == ""
    assert run.err.startswith("coopkg: error: ") and run.err.count("\n") == 1
    assert "bad.ttl:1:" in run.err


def test_a_store_built_from_a_data_file_is_validated_with_the_ontology(tmp_path):
    built = coopkg("build", *map(str, SEED), "--store", str(tmp_path / "store"))
    assert built.code == 0, built.err
    run = coopkg("validate", "--store", str(tmp_path / "store"))
    assert (run.code, run.err) == (0, "")
    assert run.out.splitlines()[-2:] == [
        "engine: fast",
        "conforms: 0 violation(s), 0 warning(s), 0 info(s)",
    ]


def test_the_engine_that_takes_over():
    """pySHACL for shapes with SPARQL constraints (the project's are tested against it), the
    Rust engine for SHACL Core shapes."""
    from coopkg import paths

    assert shacl_engines.exact_engine(shacl_engines.read(paths.data_shape_files())) == "pyshacl"
    (quad,) = ox.parse(PREFIXES + "ex:S sh:targetNode ex:a .", format=ox.RdfFormat.TURTLE)
    assert shacl_engines.exact_engine([quad]) == "rust"


def test_an_engine_fault_is_an_error_or_a_hand_over(tmp_path, monkeypatch):
    """An exception inside an engine is a one-line CoopkgError (exit 2), not a traceback whose
    exit code 1 would read as "violations found"; under auto a fault of the fast engine hands
    the job to an exact engine."""
    shapes, data = small(tmp_path, DATATYPE_SHAPE.format(dt="xsd:integer"), "ex:a ex:p 5 .\n")

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(shacl_engines, "run_fast", broken)
    with pytest.raises(CoopkgError, match="^the fast engine failed: boom$"):
        run(shapes, data, "fast")
    report = run(shapes, data, "auto")
    assert (report.engine, report.conforms) == ("rust", True)
    assert report.note == "the fast engine does not do this input (the fast engine failed: boom)"
    monkeypatch.setattr(shacl_engines, "run_rust", broken)
    with pytest.raises(CoopkgError, match="^the rust engine failed: boom$"):
        run(shapes, data, "rust")


def test_an_ill_formed_integer_in_the_project_graph_is_a_violation(tmp_path):
    """pySHACL (through rdflib) recurses without end on `?end - ?start` over an ill-formed
    xsd:integer; auto then lets the Rust engine answer, and says so."""

    def ill_formed_end(t):
        if t.predicate.value == OA_END and t.object.value == "2044":
            bad = ox.Literal("20x44", datatype=ox.NamedNode(XSD + "integer"))
            return ox.Triple(t.subject, t.predicate, bad)
        return None

    changed = rewritten(tmp_path, ill_formed_end)
    run = coopkg("validate", str(changed), "--format", "json")
    assert (run.code, run.err) == (1, "")
    doc = json.loads(run.out)
    assert doc["engine"] == "rust" and "pySHACL failed: RecursionError" in doc["engine_note"]
    assert [r["value"] for r in doc["results"]["Violation"] if r["path"] == "oa:end"] == ["20x44"]
    forced = coopkg("validate", str(changed), "--engine", "pyshacl")
    assert forced.code == 2 and forced.err.startswith("coopkg: error: pySHACL failed")


def test_hex_checksums_are_kept_as_written_and_ill_formed_ones_hand_over():
    """spdx:checksumValue is xsd:hexBinary: a well-formed value lets the fast engine run, an
    ill-formed one (odd length, a non-hex digit) is a reason to hand the job over."""
    import pyoxigraph as ox

    from coopkg import shacl_engines

    hex_binary = ox.NamedNode("http://www.w3.org/2001/XMLSchema#hexBinary")
    assert shacl_engines.literal_problem(ox.Literal("d095AD", datatype=hex_binary)) is None
    for bad in ("d09", "zz", "d0 95"):
        assert "ill-formed" in shacl_engines.literal_problem(ox.Literal(bad, datatype=hex_binary))
