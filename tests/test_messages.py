"""Messages and outputs people can act on: SPARQL syntax errors in plain words with the line and
a caret, unknown prefixes named, a date binding explained, an endpoint without http:// refused
like `load` does, a Turtle file with a byte-order mark read; JSON/XML results end with a newline,
a CONSTRUCT as JSON-LD is compacted like `export`, and `export` does not write N-Triples into a
file whose name says Turtle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cli_helpers import assert_one_line_error, coopkg

ROOT = Path(__file__).resolve().parent.parent


def real(*args: str, cwd: Path | None = None):
    """coopkg on the real project graph."""
    return coopkg(*args, home=ROOT, cwd=cwd or ROOT)


# --- SPARQL syntax errors -----------------------------------------------------------------------


def test_syntax_error_shows_the_line_and_a_caret_in_plain_words():
    run = real("query", "-e", "SELECT *\nWHERE { ?s ?p ?o } LIMIT x")
    assert_one_line_error(run, "<inline>:2:26: SPARQL syntax error: unexpected 'x'; expected")
    first, source, caret = run.err.splitlines()
    assert "a number" in first and "['" not in first  # no character classes of the grammar
    assert source == "  WHERE { ?s ?p ?o } LIMIT x"
    assert caret == "  " + " " * 25 + "^"  # under column 26, the x


def test_syntax_error_at_the_end_says_the_query_ends():
    run = real("query", "-e", "SELECT * WHERE { ?s ?p ?o")
    assert_one_line_error(run, "<inline>:1:26: SPARQL syntax error: the query ends here")
    assert '"}"' in run.err.splitlines()[0]


def test_unknown_prefix_is_named_with_the_declared_ones_and_the_fix():
    text = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT * WHERE { ?s skos:x kg:y }"
    run = real("query", "-e", text)
    assert_one_line_error(
        run,
        "<inline>:2:28: unknown prefix kg: (the query declares skos:); "
        "add PREFIX kg: <https://w3id.org/coopkg/id/>",
    )
    assert run.err.splitlines()[2] == "  " + " " * 27 + "^"
    run = real("query", "-e", "SELECT * WHERE { ?s foo:bar ?o }")
    assert_one_line_error(run, "unknown prefix foo: (the query declares none)")


def test_prefixed_names_inside_strings_iris_and_comments_are_not_prefixes():
    run = real(
        "query",
        "-e",
        'SELECT ?x WHERE { VALUES ?x { "a:b" <http://x/y:z> } } # c:d',
        "--format",
        "csv",
    )
    assert run.code == 0, run.err


# --- --bind, --endpoint -------------------------------------------------------------------------


def test_a_bare_date_binding_says_how_to_write_a_date():
    run = real("query", "gso-code-as-of", "--bind", "date=2025-07-01")
    assert_one_line_error(run, 'write a date as "2025-07-01"^^xsd:date')


def test_the_date_written_as_said_works():
    run = real(
        "query", "gso-code-as-of", "--bind", 'date="2025-07-01"^^xsd:date', "--format", "csv"
    )
    assert run.code == 0 and "2025-07-01" in run.out, run.err


def test_an_endpoint_without_scheme_gets_the_message_load_gives():
    query = real("query", "session-date", "--endpoint", "127.0.0.1:7878/query")
    load = real("load", "127.0.0.1:7878/store")
    phrase = "not an http:// or https:// URL with a host; did you mean 'http://127.0.0.1:7878/"
    assert_one_line_error(query, "--endpoint '127.0.0.1:7878/query': " + phrase)
    assert_one_line_error(load, phrase)


# --- byte-order mark ----------------------------------------------------------------------------


def test_a_turtle_file_with_a_byte_order_mark_is_read(tmp_path):
    data = tmp_path / "with-bom.ttl"
    data.write_bytes(b"\xef\xbb\xbf" + (ROOT / "data" / "agreement.ttl").read_bytes())
    files = [
        str(data),
        str(ROOT / "data" / "spans.ttl"),
        str(ROOT / "data" / "anchors.ttl"),
        str(ROOT / "ontology" / "coopkg.ttl"),
        str(ROOT / "ontology" / "concepts.ttl"),
    ]
    run = real("validate", *files)
    assert run.code == 0, run.err
    assert "\ufeff" not in run.err


def test_a_byte_order_mark_does_not_shift_error_positions(tmp_path):
    data = tmp_path / "bad.ttl"
    data.write_bytes(b"\xef\xbb\xbf<urn:a> <urn:b> <urn:c> .\n<urn:a> . <urn:c> .\n")
    run = real("validate", str(data))
    assert_one_line_error(run, "bad.ttl:2:")
    assert "\ufeff" not in run.err


# --- outputs ------------------------------------------------------------------------------------


def test_json_and_xml_results_end_with_a_newline():
    for fmt in ("json", "xml"):
        run = real("query", "session-date", "--format", fmt)
        assert run.code == 0 and run.out.endswith("\n") and not run.out.endswith("\n\n"), fmt
        ask = real("query", "-e", "ASK { ?s ?p ?o }", "--format", fmt)
        assert ask.out.endswith("\n") and "true" in ask.out, fmt
    json.loads(real("query", "session-date", "--format", "json").out)


def test_construct_as_jsonld_is_compacted_like_export():
    text = (
        "PREFIX kg: <https://w3id.org/coopkg/id/> CONSTRUCT { kg:commitment-it-application ?p ?o }"
        " WHERE { kg:commitment-it-application ?p ?o }"
    )
    run = real("query", "-e", text, "--format", "jsonld")
    assert run.code == 0, run.err
    doc = json.loads(run.out)
    exported = json.loads(real("export", "--format", "jsonld").out)
    assert doc["@context"] == exported["@context"]
    node = next(
        n for n in doc.get("@graph", [doc]) if n.get("id") == "kg:commitment-it-application"
    )
    assert node["debtor"] == "kg:ha-noi"  # short keys and compact IRIs, as export writes
    assert run.out.endswith("\n")


def test_export_refuses_a_format_that_contradicts_the_extension(tmp_path):
    out = tmp_path / "g.nt"
    run = real("export", "--format", "ttl", "--out", str(out))
    assert_one_line_error(run, "--format ttl does not match")
    assert "means nt" in run.err and not out.exists()


def test_export_follows_the_extension_without_format(tmp_path):
    out = tmp_path / "g.nt"
    assert real("export", "--out", str(out)).code == 0
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("<") and first.endswith(" .")  # N-Triples, not Turtle
    same = tmp_path / "same.ttl"
    assert real("export", "--format", "ttl", "--out", str(same)).code == 0


def test_update_void_says_what_it_did():
    env = dict(os.environ)
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update_void.py"), "--check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("data/catalog.ttl: VoID statistics up to date (")
    assert "triples" in done.stdout and "entities" in done.stdout
