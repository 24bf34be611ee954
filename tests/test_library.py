"""The library API the CLI is a thin layer over, called directly on the fixture project."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pyoxigraph as ox
import pytest
from cli_helpers import FIXTURES, PROJECT
from hypothesis import given, settings
from hypothesis import strategies as st

from coopkg import (
    atomic,
    export,
    graph,
    namespaces,
    paths,
    query,
    results,
    sparqltext,
    stats,
    terms,
    validate,
)
from coopkg.errors import CoopkgError
from coopkg.namespaces import KG


@pytest.fixture(autouse=True)
def fixture_project(monkeypatch):
    monkeypatch.setenv("COOPKG_HOME", str(PROJECT))


@pytest.fixture(scope="module")
def store():
    return graph.open_store(
        [
            PROJECT / "ontology/coopkg.ttl",
            PROJECT / "ontology/concepts.ttl",
            PROJECT / "data/agreement.ttl",
        ]
    )


def solutions(result) -> list[dict[str, str]]:
    names = [v.value for v in result.variables]
    return [{n: str(s[n]) for n in names if s[n] is not None} for s in result]


def test_project_graph_files_skip_only_the_optional_links():
    """The fixture project has no data/links.ttl (optional) and no spans and anchors (optional
    together): the ontology, the concept scheme and the facts, in load order."""
    assert [p.name for p in paths.graph_files()] == ["coopkg.ttl", "concepts.ttl", "agreement.ttl"]
    assert len(graph.open_store()) == 41


def test_data_shapes_exclude_the_ontology_shapes():
    assert [p.name for p in paths.data_shape_files()] == ["data-shapes.ttl"]


def test_resolve_by_name_path_and_text():
    by_name = query.resolve("has-joint-commitment")
    assert by_name.path == PROJECT / "queries/has-joint-commitment.rq"
    by_path = query.resolve(str(PROJECT / "queries/field-labels.rq"))
    assert by_path.form == "SELECT"
    assert query.resolve(text="ASK {}").source == "<inline>"
    with pytest.raises(CoopkgError, match="did you mean: field-labels"):
        query.resolve("field-label")


def test_projected_binding_uses_substitution(store):
    q = query.bind(query.resolve("field-labels"), {"label": ox.Literal("Tourism", language="en")})
    rows = solutions(query.run_embedded(store, q))
    assert rows == [{"field": f"<{KG}field-tourism>", "label": '"Tourism"@en'}]


def test_unprojected_binding_falls_back_to_values(store):
    q = query.bind(query.resolve("commitments-of"), {"debtor": ox.NamedNode(f"{KG}ha-noi")})
    assert solutions(query.run_embedded(store, q)) == [{"commitment": f"<{KG}commitment-b>"}]


def test_lang_binds_only_queries_that_ask_for_it():
    assert query.bind(query.resolve("field-labels"), {}, lang="vi").bindings == {}
    q = query.bind(query.resolve("who-committed-what"), {}, lang="vi")
    assert q.bindings == {"lang": ox.Literal("vi")}


def test_updates_are_refused_before_running(store):
    before = len(store)
    with pytest.raises(CoopkgError, match=r"SPARQL update \(INSERT\)"):
        query.run_embedded(store, query.Query("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "<t>"))
    assert len(store) == before


def test_sparqltext_ignores_keywords_in_comments_strings_and_iris():
    text = (
        "# INSERT DATA\nPREFIX d: <urn:DELETE>\n"
        'SELECT ?x ("DROP ?y" AS ?z) WHERE { ?x ?p <urn:?w> }'
    )
    assert sparqltext.first_keyword(text) == "SELECT"
    assert not sparqltext.is_update(text)
    assert sparqltext.variables(text) == {"x", "z", "p"}
    assert sparqltext.is_update("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")


def test_question_reads_wrapped_bilingual_headers():
    text = (
        "# Question (en): What was the code of a unit\n#   on a given date?\n"
        "# Câu hỏi (vi): Mã của đơn vị\n#   vào một ngày là gì?\n# Returns: ?code\nSELECT * {}"
    )
    assert sparqltext.question(text) == "What was the code of a unit on a given date?"
    assert sparqltext.question(text, "vi") == "Mã của đơn vị vào một ngày là gì?"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("<urn:x>", ox.NamedNode("urn:x")),
        ('"Hà Nội"@vi', ox.Literal("Hà Nội", language="vi")),
        ("42", ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
        ("kg:ha-noi", ox.NamedNode(f"{KG}ha-noi")),
        ('"2017-05-17"^^xsd:date', ox.Literal("2017-05-17", datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#date"))),
    ],
)  # fmt: skip
def test_parse_term(value, expected):
    assert terms.parse_term(value) == expected


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_no_bind_value_escapes_being_one_term(value):
    """Any text either becomes one IRI/literal or is refused with a CoopkgError."""
    try:
        term = terms.parse_term(value)
    except CoopkgError:
        return
    assert isinstance(term, ox.NamedNode | ox.Literal)


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_bound_literal_only_ever_matches_itself(text):
    """A literal bound through VALUES (the endpoint path) selects exactly the equal labels."""
    store = graph.open_store([PROJECT / "data/agreement.ttl"])
    q = query.Query(
        "SELECT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }",
        "<t>",
        bindings={"label": ox.Literal(text, language="en")},
    )
    q.text += query.values_clause(q.bindings)
    rows = list(store.query(q.text))
    labels = {"Ha Noi", "Lao Cai", "Tourism", "Agriculture", "Commitment A", "Commitment B"}
    assert len(rows) == (1 if text in labels else 0)


def test_csv_output_is_exact_w3c_csv(store):
    q = query.Query(
        'SELECT ?a ?b WHERE { VALUES (?a ?b) { (<urn:x> "say \\"hi\\", ok") (1 UNDEF) } }', "<t>"
    )
    out = io.BytesIO()
    results.write(query.run_embedded(store, q), "csv", out)
    assert out.getvalue() == b'a,b\r\nurn:x,"say ""hi"", ok"\r\n1,\r\n'


def test_table_aligns_wide_characters(store):
    q = query.Query('SELECT ?a ?b WHERE { VALUES (?a ?b) { ("漢字" "x") ("ab" "y") } }', "<t>")
    text = results.table(query.run_embedded(store, q))
    assert text == "a    | b\n-----+--\n漢字 | x\nab   | y\n"


def test_export_quads_keep_the_named_graph(store):
    data = export.serialize(store, "trig")
    quads = list(ox.parse(data, ox.RdfFormat.TRIG))
    assert len(quads) == len(store)
    assert {q.graph_name for q in quads} == {ox.NamedNode(namespaces.GRAPH_IRI)}


def test_export_jsonld_round_trips(store):
    import rdflib
    from rdflib.compare import isomorphic

    data = export.serialize(store, "jsonld")
    assert json.loads(data)["@context"] == export.context()
    back = rdflib.Graph().parse(data=data, format="json-ld")
    original = rdflib.Graph().parse(data=export.serialize(store, "nt"), format="nt")
    assert isomorphic(back, original)


def test_format_guessed_from_extension():
    assert export.format_for(None, paths.Path("x.nq")) == "nq"
    assert export.format_for("ttl", paths.Path("x.ttl")) == "ttl"
    assert export.format_for("ttl", paths.Path("x.data")) == "ttl"  # no extension to contradict
    with pytest.raises(CoopkgError, match="--format ttl does not match"):
        export.format_for("ttl", paths.Path("x.nq"))  # an N-Quads name holding Turtle
    with pytest.raises(CoopkgError, match="name the format"):
        export.format_for(None, None)


def test_atomic_write_replaces_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "out.ttl"
    atomic.write_bytes(target, b"one")
    atomic.write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]
    with pytest.raises(CoopkgError, match="is a directory"):
        atomic.write_bytes(tmp_path, b"x")


def test_validate_reports_by_severity():
    report = validate.validate([FIXTURES / "invalid.ttl"])
    assert report.conforms is False
    groups = report.by_severity()
    assert [r.focus for r in groups["Violation"]] == ["kg:commitment-x"]
    assert groups["Violation"][0].shape == "kg:CommitmentDebtorShape"
    assert groups["Warning"] == []


def test_stats_numbers(store):
    s = stats.stats(store, lang="vi")
    assert s.triples == 41
    assert s.by_debtor == [("kg:lao-cai", "Lào Cai", 2), ("kg:ha-noi", "Hà Nội", 1)]
    assert s.by_field == [
        ("kg:field-tourism", "Du lịch", 2),
        ("kg:field-agriculture", "Nông nghiệp", 1),
    ]


def test_query_path_imports_no_heavy_library():
    """`coopkg query` must not import rdflib, pyshacl or SPARQLWrapper (start-up speed)."""
    code = (
        "import sys\n"
        "from coopkg.cli import main\n"
        "main(['query', 'who-committed-what', '--format', 'csv'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'rdflib', 'pyshacl', 'SPARQLWrapper', 'owlrl'})\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    env = {"COOPKG_HOME": str(PROJECT), "PATH": ""}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("commitment,debtor,action")
    assert "HEAVY []" in run.stderr


def test_prefix_map_agrees_with_the_json_ld_context_and_the_published_turtle():
    """The one prefix map (tables, --bind, the Turtle formatter) names every namespace as the
    JSON-LD context and the committed Turtle files do: a prefix that means another IRI there, or
    a namespace the map lacks, would print the same IRI two ways."""
    import re

    root = paths.Path(__file__).resolve().parent.parent
    context = json.loads((root / "coopkg" / "context.jsonld").read_text(encoding="utf-8"))
    declared = {
        name: iri
        for name, iri in context["@context"].items()
        if isinstance(iri, str) and iri.endswith(("#", "/"))
    }
    for turtle in [
        *root.glob("ontology/*.ttl"),
        *root.glob("data/*.ttl"),
        *root.glob("shapes/*.ttl"),
    ]:
        for name, iri in re.findall(r"^PREFIX (\w*): <([^>]*)>", turtle.read_text("utf-8"), re.M):
            assert declared.setdefault(name, iri) == iri, f"{turtle.name}: {name}: means {iri}"
    assert declared, "no prefix found in the context or the Turtle files"
    for name, iri in declared.items():
        assert namespaces.PREFIXES.get(name) == iri, f"prefix {name}: <{iri}> missing from PREFIXES"


def test_validate_reads_quads_from_named_graphs(tmp_path):
    """A .trig file's named graph is validated too (here: the commitment without a debtor)."""
    store = graph.open_store([FIXTURES / "invalid.ttl"])
    trig = tmp_path / "invalid.trig"
    trig.write_bytes(export.serialize(store, "trig"))
    report = validate.validate([trig])
    assert [r.focus for r in report.by_severity()["Violation"]] == ["kg:commitment-x"]


def test_resolve_a_name_in_a_folder_of_queries():
    q = query.resolve("qc/commitment-without-action-violation")
    assert q.path == PROJECT / "queries/qc/commitment-without-action-violation.rq"
    assert q.source == "queries/qc/commitment-without-action-violation.rq"
