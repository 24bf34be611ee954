"""Each error class of `coopkg`: exit code, one `coopkg: error:` line naming the file and
position (or endpoint and status, or the closest names), nothing on stdout, no traceback."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import threading

import pytest
from cli_helpers import assert_one_line_error, coopkg, copy_project


def test_turtle_syntax_error_names_file_line_and_column(tmp_path):
    home = copy_project(tmp_path)
    (home / "data/agreement.ttl").write_text(
        "@prefix kg: <https://w3id.org/coopkg/id/> .\nkg:a kg:b kg:c ;\n    kg:d [ .\n",
        encoding="utf-8",
    )
    # The stray '.' is on line 3, column 12 (1-based: 4 spaces, "kg:d", " [ "), where a
    # predicate should be.
    for verb in (["query", "has-joint-commitment"], ["export", "--format", "nt"], ["stats"]):
        assert_one_line_error(coopkg(*verb, home=home), "data/agreement.ttl:3:12:")
    assert_one_line_error(coopkg("validate", home=home), "data/agreement.ttl:3:12:")


def test_data_file_that_is_not_utf8(tmp_path):
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes('<https://x.example/a> <https://x.example/b> "café" .\n'.encode("latin-1"))
    assert_one_line_error(coopkg("validate", str(bad)), "latin1.ttl:1:")


def test_missing_file_and_directory_given_as_file(tmp_path):
    assert_one_line_error(coopkg("validate", str(tmp_path / "nope.ttl")), "nope.ttl: no such file")
    folder = tmp_path / "dir.ttl"
    folder.mkdir()
    assert_one_line_error(coopkg("validate", str(folder)), "dir.ttl: is a directory")
    assert_one_line_error(coopkg("query", str(tmp_path / "nope.rq")), "nope.rq: no such file")


def test_unknown_rdf_extension(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# not RDF\n", encoding="utf-8")
    assert_one_line_error(coopkg("validate", str(notes)), "unknown RDF file extension '.md'")


def test_sparql_syntax_error_names_line_and_column():
    # The query stops after '?x ?p' on line 3: the parser fails at the end, 3:8.
    run = coopkg("query", "-e", "SELECT ?x\nWHERE {\n  ?x ?p")
    assert_one_line_error(run, "<inline>:3:8: SPARQL syntax error")


def test_sparql_syntax_error_in_a_query_file(tmp_path):
    path = tmp_path / "broken.rq"
    path.write_text("# a comment line\nSELECT * WHERE { ?s ?p ?o", encoding="utf-8")
    run = coopkg("query", str(path))
    assert_one_line_error(run, "broken.rq:2:26: SPARQL syntax error")


@pytest.mark.parametrize(
    "text, keyword",
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
        ("PREFIX x: <urn:x#>\n# SELECT in a comment\nDELETE WHERE { ?s ?p ?o }", "DELETE"),
        ("DROP ALL", "DROP"),
        ("LOAD <http://127.0.0.1:9/x.ttl>", "LOAD"),
    ],
)
def test_update_is_refused(text, keyword):
    run = coopkg("query", "-e", text)
    assert_one_line_error(run, f"this is a SPARQL update ({keyword})")


def test_unknown_query_name_suggests_the_closest():
    run = coopkg("query", "who-commited-what")
    assert_one_line_error(
        run, "unknown query 'who-commited-what'; did you mean: who-committed-what?"
    )


def test_unknown_format_is_a_usage_error():
    run = coopkg("query", "who-committed-what", "--format", "yaml")
    assert_one_line_error(run, "invalid choice: 'yaml'")


def test_wrong_format_for_the_query_form():
    run = coopkg("query", "debtors-of-a", "--format", "csv")
    assert_one_line_error(run, "a CONSTRUCT/DESCRIBE result is RDF: use --format ttl|nt|jsonld")
    run = coopkg("query", "field-labels", "--format", "ttl")
    assert_one_line_error(run, "a SELECT result is a table")


def test_bind_for_a_variable_the_query_lacks():
    run = coopkg("query", "commitments-of", "--bind", "nope=1")
    assert_one_line_error(run, "has no variable ?nope (it has ?commitment, ?debtor)")


@pytest.mark.parametrize(
    "value, phrase",
    [
        ("<not an iri", "not a valid RDF term"),
        ('"unterminated', "not a valid RDF term"),
        ("<relative>", "not a valid RDF term"),
        ("undeclared:x", "not a valid RDF term"),
        ('"x" , "y"', "not a single RDF term"),
        ("[]", "only an IRI or a literal can be bound"),
    ],
)
def test_bind_value_that_is_not_one_rdf_term(value, phrase):
    run = coopkg("query", "commitments-of", "--bind", f"debtor={value}")
    assert_one_line_error(run, phrase)


def test_bind_without_equals_sign():
    assert_one_line_error(coopkg("query", "commitments-of", "--bind", "debtor"), "NAME=VALUE")


def test_query_needs_exactly_one_source():
    assert_one_line_error(coopkg("query"), "give exactly one of")
    assert_one_line_error(coopkg("query", "x", "-e", "ASK {}"), "give exactly one of")


def test_export_to_stdout_needs_a_named_format():
    assert_one_line_error(coopkg("export"), "name the format with --format")


def test_export_format_not_guessable(tmp_path):
    run = coopkg("export", "--out", str(tmp_path / "graph.txt"))
    assert_one_line_error(run, "cannot guess the format from '.txt'")


def test_export_into_a_missing_directory(tmp_path):
    run = coopkg("export", "--out", str(tmp_path / "missing" / "graph.ttl"))
    assert_one_line_error(run, "does not exist")
    assert not (tmp_path / "missing").exists()


def _make_read_only(folder):
    """chmod stops other users; root (as in CI) also needs the immutable attribute."""
    folder.chmod(0o500)
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True, capture_output=True)


def _make_writable(folder):
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], check=False, capture_output=True)
    folder.chmod(0o700)


def test_export_into_a_read_only_directory_keeps_the_old_file(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "graph.nt"
    target.write_text("old\n", encoding="utf-8")
    _make_read_only(folder)
    try:
        run = coopkg("export", "--out", str(target))
        assert_one_line_error(run, "cannot write")
        assert target.read_text(encoding="utf-8") == "old\n"
        assert sorted(p.name for p in folder.iterdir()) == ["graph.nt"]
    finally:
        _make_writable(folder)


def test_check_without_any_check_file_fails(tmp_path):
    home = copy_project(tmp_path)
    for path in (home / "queries/qc").glob("*.rq"):
        path.unlink()
    assert_one_line_error(coopkg("check", home=home), "no quality checks found")


def test_validate_without_shapes_fails(tmp_path):
    home = copy_project(tmp_path)
    (home / "shapes/data-shapes.ttl").unlink()
    assert_one_line_error(coopkg("validate", home=home), "no shapes found")


def test_debug_shows_the_traceback():
    run = coopkg("--debug", "query", "who-commited-what")
    assert run.code != 0
    assert "Traceback" in run.err
    assert "CoopkgError" in run.err


def test_endpoint_that_refuses_the_connection():
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/query"
    run = coopkg("query", "has-joint-commitment", "--endpoint", url, "--timeout", "5")
    assert_one_line_error(run, f"{url}: cannot connect")


def test_endpoint_that_never_answers_times_out():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)  # accepts the connection, never answers
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/query"
        run = coopkg("query", "has-joint-commitment", "--endpoint", url, "--timeout", "0.5")
    assert_one_line_error(run, f"{url}: no answer within 0.5 s")


class _Fixed(http.server.BaseHTTPRequestHandler):
    """Answers every request with a fixed status, content type and body."""

    status = 200
    content_type = "text/html"
    body = b"<html><body><h1>Oops</h1> server broke</body></html>"

    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(self.status)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fixed_server():
    servers = []

    def start(status: int, content_type: str, body: bytes) -> str:
        handler = type(
            "H", (_Fixed,), {"status": status, "content_type": content_type, "body": body}
        )
        server = http.server.HTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/sparql"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_endpoint_http_500_with_html(fixed_server):
    url = fixed_server(500, "text/html", b"<html><body><h1>Oops</h1> server broke</body></html>")
    run = coopkg("query", "has-joint-commitment", "--endpoint", url)
    assert_one_line_error(run, f"{url}: HTTP 500: Oops server broke")


def test_endpoint_http_503(fixed_server):
    url = fixed_server(503, "text/plain", b"busy")
    run = coopkg("query", "has-joint-commitment", "--endpoint", url)
    assert_one_line_error(run, f"{url}: HTTP 503: busy")


def test_endpoint_200_that_is_not_sparql_results(fixed_server):
    url = fixed_server(200, "text/html", b"<html>hello</html>")
    run = coopkg("query", "field-labels", "--endpoint", url)
    assert_one_line_error(run, f"{url}: HTTP 200 but the answer is not SPARQL results (text/html)")
    url = fixed_server(200, "application/sparql-results+json", b"{not json")
    run = coopkg("query", "field-labels", "--endpoint", url)
    assert_one_line_error(run, "answer is not SPARQL results (application/sparql-results+json)")
