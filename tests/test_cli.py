"""The `coopkg` verbs, run on the fixture project (tests/fixtures/cli):
exit code, stderr and the exact stdout, written from the fixture data and the W3C formats."""

from __future__ import annotations

import json
import pathlib
import xml.etree.ElementTree as ET

import pytest
from cli_helpers import FIXTURES, coopkg, coopkg_process, copy_project

from coopkg.namespaces import COOP, KG

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_version_and_help_name_the_exit_codes():
    run = coopkg("--version")
    assert (run.code, run.out) == (0, "coopkg 0.1.0\n")
    run = coopkg("--help")
    assert run.code == 0
    assert "exit codes:" in run.out
    assert "1  violations found (validate, check, links --check)" in run.out
    assert "2  usage, input, parse, network or runtime error" in run.out
    for verb in ("query", "queries", "validate", "check", "export", "stats"):
        assert verb in run.out


def test_no_command_prints_help_and_exits_2():
    run = coopkg()
    assert run.code == 2
    assert "usage: coopkg" in run.err


# Verbs run on the fixture project: the arguments, the exit code and the exact stdout.
EXACT_STDOUT = [
    pytest.param(
        ["query", "who-committed-what", "--lang", "en", "--format", "csv"],
        0,
        "commitment,debtor,action\r\n"
        f"{KG}commitment-a,{KG}lao-cai,Promote tourism\r\n"
        f"{KG}commitment-b,{KG}ha-noi,Cooperate in agriculture\r\n"
        f"{KG}commitment-b,{KG}lao-cai,Cooperate in agriculture\r\n",
        id="query-by-name-csv-is-w3c-csv-with-crlf",
    ),
    pytest.param(
        ["query", "who-committed-what", "--lang", "en", "--format", "table"],
        0,
        "commitment      | debtor     | action\n"
        "----------------+------------+-------------------------\n"
        "kg:commitment-a | kg:lao-cai | Promote tourism\n"
        "kg:commitment-b | kg:ha-noi  | Cooperate in agriculture\n"
        "kg:commitment-b | kg:lao-cai | Cooperate in agriculture\n",
        id="query-table-is-aligned-with-compact-iris",
    ),
    # commitment-b is a coop:JointCommitment; only the ontology's subClassOf makes the
    # coop:Commitment shape reach it. ontology-shapes.ttl must not be applied to the data.
    pytest.param(
        ["validate"],
        0,
        "Warning (1)\n"
        '  kg:commitment-b "Commitment B"\n'
        "    path: coop:creditor\n"
        "    message: A commitment should name its creditor.\n"
        "    shape: kg:CommitmentShape (property coop:creditor)\n"
        "engine: fast\n"
        "conforms: 0 violation(s), 1 warning(s), 0 info(s)\n",
        id="validate-project-conforms-with-a-warning-found-through-the-ontology",
    ),
    pytest.param(
        ["validate", str(FIXTURES / "invalid.ttl")],
        1,
        "Violation (1)\n"
        '  kg:commitment-x "Commitment X"\n'
        "    path: coop:debtor\n"
        "    message: A commitment needs at least one debtor.\n"
        "    shape: kg:CommitmentDebtorShape\n"
        "engine: fast\n"
        "does not conform: 1 violation(s), 0 warning(s), 0 info(s)\n",
        id="validate-file-with-violation-exits-1",
    ),
    pytest.param(
        ["check"],
        1,
        "PASS queries/qc/commitment-without-action-violation.rq\n"
        "FAIL queries/qc/commitment-without-creditor-violation.rq: 1 violation(s)\n"
        "  commitment=kg:commitment-b  label=Commitment B\n"
        "2 check(s), 1 failed\n",
        id="check-prints-fail-with-rows-and-exits-1",
    ),
    pytest.param(
        ["queries"],
        0,
        "commitments-of\n"
        "    Which commitments does a debtor have?\n"
        "    bind: debtor (e.g. --bind debtor=kg:…), commitment\n\n"
        "debtors-of-a\n"
        "    Who owes commitment A, as RDF?\n"
        "    bind: d\n\n"
        "field-labels\n"
        "    What are the cooperation fields called?\n"
        "    bind: field, label\n\n"
        "has-joint-commitment\n"
        "    Is there a joint commitment?\n"
        "    bind: c\n\n"
        "who-committed-what\n"
        "    Who committed what?\n"
        "    bind: commitment, debtor, action; labels: --lang vi|en\n",
        id="queries-lists-names-and-questions",
    ),
    # 7 ontology triples + 11 in the concept scheme (the scheme's 3, 4 per field) + 6 for the
    # places + 8 (commitment-a) + 9 (commitment-b).
    pytest.param(
        ["stats"],
        0,
        "triples: 41\n"
        "\n"
        "entities by class:\n"
        "  owl:Class                2\n"
        "  skos:Concept             2\n"
        "  coop:AdministrativeUnit  2\n"
        "  skos:ConceptScheme       1\n"
        "  coop:Commitment          1\n"
        "  coop:JointCommitment     1\n"
        "\n"
        "commitments by debtor:\n"
        "  kg:lao-cai (Lao Cai)  2\n"
        "  kg:ha-noi (Ha Noi)    1\n"
        "\n"
        "commitments by field and debtor:\n"
        "  field       | Lao Cai | Ha Noi | all\n"
        "  ------------+---------+--------+----\n"
        "  Tourism     | 2       | 1      | 2\n"
        "  Agriculture | 1       | 1      | 1\n",
        id="stats-counts-triples-classes-debtors-and-fields",
    ),
]


@pytest.mark.parametrize(("args", "code", "stdout"), EXACT_STDOUT)
def test_verb_exit_code_and_exact_stdout(args, code, stdout):
    run = coopkg(*args)
    assert run.code == code, run.err
    assert run.out == stdout


def test_query_defaults_to_csv_when_stdout_is_not_a_terminal():
    run = coopkg("query", "who-committed-what", "--lang", "en")
    assert run.out.startswith("commitment,debtor,action\r\n")


def test_query_without_lang_returns_both_languages():
    run = coopkg("query", "who-committed-what", "--format", "csv")
    actions = [line.split(",", 2)[2] for line in run.out.split("\r\n")[1:] if line]
    assert actions == [
        "Promote tourism",
        "Quảng bá du lịch",
        "Cooperate in agriculture",
        "Hợp tác nông nghiệp",
        "Cooperate in agriculture",
        "Hợp tác nông nghiệp",
    ]


def test_query_lang_vi_picks_vietnamese_labels():
    run = coopkg("query", "who-committed-what", "--lang", "vi", "--format", "csv")
    assert run.out.splitlines()[1] == f"{KG}commitment-a,{KG}lao-cai,Quảng bá du lịch"


def test_query_tsv_with_a_projected_binding_uses_turtle_terms():
    run = coopkg("query", "field-labels", "--bind", 'label="Du lịch"@vi', "--format", "tsv")
    assert run.code == 0, run.err
    assert run.out == f'?field\t?label\n<{KG}field-tourism>\t"Du lịch"@vi\n'


def test_query_binding_of_an_unprojected_variable_by_prefixed_name():
    run = coopkg("query", "commitments-of", "--bind", "debtor=kg:ha-noi", "--format", "csv")
    assert run.code == 0, run.err
    assert run.out == f"commitment\r\n{KG}commitment-b\r\n"
    run = coopkg("query", "commitments-of", "--bind", f"?debtor=<{KG}lao-cai>", "--format", "csv")
    assert run.out == f"commitment\r\n{KG}commitment-a\r\n{KG}commitment-b\r\n"


def test_query_json_is_sparql_results_json():
    run = coopkg("query", "field-labels", "--bind", 'label="Tourism"@en', "--format", "json")
    assert run.code == 0, run.err
    assert json.loads(run.out) == {
        "head": {"vars": ["field", "label"]},
        "results": {
            "bindings": [
                {
                    "field": {"type": "uri", "value": f"{KG}field-tourism"},
                    "label": {"type": "literal", "value": "Tourism", "xml:lang": "en"},
                }
            ]
        },
    }


def test_query_xml_is_sparql_results_xml():
    run = coopkg("query", "commitments-of", "--bind", "debtor=kg:ha-noi", "--format", "xml")
    assert run.code == 0, run.err
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(run.out)
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["commitment"]
    uris = [u.text for u in root.findall("r:results/r:result/r:binding/r:uri", ns)]
    assert uris == [f"{KG}commitment-b"]


def test_ask_prints_true_or_false():
    run = coopkg("query", "has-joint-commitment")
    assert (run.code, run.out) == (0, "true\n")
    run = coopkg("query", "-e", f"ASK {{ <{KG}ha-noi> <{COOP}debtor> ?x }}")
    assert (run.code, run.out) == (0, "false\n")


def test_construct_writes_rdf():
    run = coopkg("query", "debtors-of-a", "--format", "nt")
    assert run.code == 0, run.err
    assert run.out == f"<{KG}commitment-a> <{COOP}debtor> <{KG}lao-cai> .\n"
    run = coopkg("query", "debtors-of-a")  # ttl is the default for graphs
    assert run.out == (
        f"@prefix coop: <{COOP}> .\n"
        f"@prefix kg: <{KG}> .\n"
        "kg:commitment-a coop:debtor kg:lao-cai .\n"
    )


def test_query_from_file_and_from_stdin():
    path = FIXTURES / "project" / "queries" / "has-joint-commitment.rq"
    assert coopkg("query", str(path)).out == "true\n"
    text = "SELECT ?n WHERE { VALUES ?n { 1 2 } } ORDER BY ?n"
    run = coopkg("query", "-", "--format", "csv", stdin=text)
    assert (run.code, run.out) == (0, "n\r\n1\r\n2\r\n")


def test_queries_lang_vi_gives_the_vietnamese_questions():
    run = coopkg("queries", "--lang", "vi")
    assert "who-committed-what\n    Ai cam kết làm gì?\n" in run.out


def test_validate_json_and_turtle_formats():
    run = coopkg("validate", str(FIXTURES / "invalid.ttl"), "--format", "json")
    assert run.code == 1
    doc = json.loads(run.out)
    assert doc["conforms"] is False
    assert doc["counts"] == {"Violation": 1, "Warning": 0, "Info": 0}
    assert doc["results"]["Violation"] == [
        {
            "severity": "Violation",
            "focus": "kg:commitment-x",
            "label": "Commitment X",
            "path": "coop:debtor",
            "message": "A commitment needs at least one debtor.",
            "shape": "kg:CommitmentDebtorShape",
            "value": "",
        }
    ]
    run = coopkg("validate", str(FIXTURES / "invalid.ttl"), "--format", "turtle")
    assert run.code == 1
    assert "sh:ValidationReport" in run.out and "sh:conforms false" in run.out


def test_check_passes_when_every_check_is_empty(tmp_path):
    home = copy_project(tmp_path)
    (home / "queries/qc/commitment-without-creditor-violation.rq").unlink()
    run = coopkg("check", home=home)
    assert (run.code, run.out) == (
        0,
        "PASS queries/qc/commitment-without-action-violation.rq\n1 check(s), 0 failed\n",
    )


def test_stats_json_with_vietnamese_labels():
    run = coopkg("stats", "--lang", "vi", "--format", "json")
    doc = json.loads(run.out)
    assert doc["triples"] == 41
    assert doc["commitments_by_debtor"][0] == {
        "debtor": "kg:lao-cai",
        "label": "Lào Cai",
        "count": 2,
    }


def test_export_nt_to_stdout_and_formats_by_extension(tmp_path):
    run = coopkg("export", "--format", "nt")
    assert run.code == 0, run.err
    # 41 asserted triples + 1 entailed: the joint commitment b is also a coop:Commitment.
    assert len(run.out.splitlines()) == 42
    assert f"<{KG}commitment-a> <{COOP}debtor> <{KG}lao-cai> .\n" in run.out
    assert f"<{KG}commitment-b> <{RDF_TYPE}> <{COOP}Commitment> .\n" in run.out
    asserted = coopkg("export", "--format", "nt", "--entailment", "none")
    assert len(asserted.out.splitlines()) == 41
    assert f"<{KG}commitment-b> <{RDF_TYPE}> <{COOP}Commitment> .\n" not in asserted.out
    out = tmp_path / "graph.trig"
    run = coopkg("export", "--out", str(out))
    assert (run.code, run.out) == (0, "")
    text = out.read_text(encoding="utf-8")
    assert "<https://w3id.org/coopkg/graph/ha-noi-lao-cai-2017> {" in text
    nq = tmp_path / "graph.nq"
    assert coopkg("export", "--out", str(nq)).code == 0
    lines = nq.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 42
    assert all(
        line.endswith(" <https://w3id.org/coopkg/graph/ha-noi-lao-cai-2017> .") for line in lines
    )


def test_export_jsonld_uses_the_context_short_keys(tmp_path):
    out = tmp_path / "graph.jsonld"
    assert coopkg("export", "--out", str(out)).code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    nodes = {n["id"]: n for n in doc["@graph"]}
    assert nodes["kg:commitment-a"]["debtor"] == "kg:lao-cai"
    assert nodes["kg:commitment-a"]["action"] == {"en": "Promote tourism", "vi": "Quảng bá du lịch"}
    assert doc["@context"]["debtor"] == {"@id": "coop:debtor", "@type": "@id"}


def test_query_defaults_to_table_on_a_terminal():
    """With stdout on a terminal (a pseudo-terminal here) the default format is the table."""
    import os
    import pty

    leader, follower = pty.openpty()
    run = coopkg_process("query", "commitments-of", "--bind", "debtor=kg:ha-noi", stdout=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal is closed once everything is read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert run.code == 0, run.err
    # The terminal turns "\n" into "\r\n" on output.
    assert (
        b"".join(chunks).decode("utf-8") == "commitment\r\n---------------\r\nkg:commitment-b\r\n"
    )


def test_one_version_for_the_package_the_metadata_and_the_ontology():
    """pyproject reads the version from coopkg.__version__; the ontology is released with it."""
    from importlib.metadata import version

    import rdflib

    from coopkg import __version__

    assert version("coopkg") == __version__
    root = pathlib.Path(__file__).resolve().parent.parent
    ontology = rdflib.Graph().parse(root / "ontology" / "coopkg.ttl")
    header = rdflib.URIRef("https://w3id.org/coopkg/ontology")
    assert str(ontology.value(header, rdflib.OWL.versionInfo)) == __version__
    assert str(ontology.value(header, rdflib.OWL.versionIRI)).endswith("/" + __version__)
