"""The error matrix: every kind of bad input, bad place and failing server, for each verb it
applies to (query, validate, export, load, check, stats).

Each test runs `coopkg` on a copy of the real project and asserts: the exit code, a phrase of
the single `coopkg: error:` line (naming the file and position, or the endpoint and status, or
the closest names), no traceback, nothing on stdout, and that no file changed (a digest of the
project copy and of the working directory before and after; the input files of the case live in
the working directory, so they are covered too).
"""

from __future__ import annotations

import functools
import os
import resource
import shutil
import subprocess
from pathlib import Path

import pytest
from cli_helpers import (
    PROJECT,
    ROOT,
    FixedServer,
    SilentServer,
    assert_one_line_error,
    coopkg,
    coopkg_process,
    digest,
    make_project,
    refused_url,
)

NOT_RESULTS = b"<html><body>hello, this is a web page</body></html>"
HTML_500 = b"<html><head><title>Error</title></head><body><h1>Oops</h1> server broke</body></html>"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the real project, shared by the cases that do not change it."""
    return make_project(tmp_path_factory.mktemp("project"))


@pytest.fixture
def own_project(tmp_path) -> Path:
    """A copy of the real project that the case may break."""
    return make_project(tmp_path / "own")


@pytest.fixture
def work(tmp_path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def fails(
    *args: str, phrase: str, home: Path, cwd: Path, code: int = 2, stdin=None, **process
) -> str:
    """Run coopkg; assert the one-line error and that no file of home or cwd changed.

    Options for the real process (stdout=, preexec_fn=) run it as one; otherwise in-process.
    """
    before = digest(home, cwd)
    if process:
        run = coopkg_process(*args, home=home, cwd=cwd, stdin=stdin, **process)
    else:
        run = coopkg(*args, home=home, cwd=cwd, stdin=stdin)
    line = assert_one_line_error(run, phrase, code)
    assert digest(home, cwd) == before, "a failing run changed files"
    return line


@pytest.fixture
def fails_here(project, work):
    """`fails` on the shared project copy, in the case's own working directory."""
    return functools.partial(fails, home=project, cwd=work)


def each_verb(*cases: tuple[str, ...]):
    """Parametrize a test over `args`, one command line a case, each case named by its verb."""
    return pytest.mark.parametrize("args", cases, ids=[case[0] for case in cases])


def break_turtle(home: Path) -> str:
    """Append a statement with a stray '.' where a predicate belongs; return 'FILE:LINE:COL'."""
    path = home / "data/agreement.ttl"
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    line = text.count("\n") + 1
    bad = "kg:hardening-case coop:debtor [ .\n"
    path.write_text(text + bad, encoding="utf-8")
    return f"data/agreement.ttl:{line}:{bad.index('.') + 1}:"


# --- Turtle with a syntax error ------------------------------------------------------------


@each_verb(
    ("query", "commitments-of"),
    ("validate",),
    ("export", "--format", "nt"),
    ("stats",),
)
def test_turtle_syntax_error_names_file_line_and_column(own_project, work, args):
    where = break_turtle(own_project)
    fails(*args, phrase=where, home=own_project, cwd=work)


def test_load_of_broken_turtle_fails_before_any_request(own_project, work):
    where = break_turtle(own_project)
    with FixedServer(204, "text/plain", b"") as server:
        fails("load", server.url + "/store", phrase=where, home=own_project, cwd=work)
        assert server.seen == [], "a request was sent for a graph that does not parse"


def test_validate_a_given_file_with_a_syntax_error(work, fails_here):
    (work / "bad.ttl").write_text(
        "@prefix ex: <urn:ex:> .\nex:a ex:b ex:c ;\n  ex:d .\n", encoding="utf-8"
    )
    # Line 3 is "  ex:d ." : an object is missing where the '.' stands, column 8.
    fails_here("validate", str(work / "bad.ttl"), phrase="bad.ttl:3:8:")


# --- a file that is not UTF-8 ---------------------------------------------------------------


def test_validate_a_file_that_is_not_utf8(work, fails_here):
    (work / "latin1.ttl").write_bytes('<urn:ex:a> <urn:ex:b> "café" .\n'.encode("latin-1"))
    line = fails_here("validate", str(work / "latin1.ttl"), phrase="latin1.ttl:1:")
    assert "UTF-8" in line


def test_query_file_that_is_not_utf8(work, fails_here):
    (work / "latin1.rq").write_bytes("# café\nASK {}\n".encode("latin-1"))
    fails_here("query", str(work / "latin1.rq"), phrase="latin1.rq: not UTF-8 text (byte 5)")


def test_query_on_stdin_that_is_not_utf8(fails_here):
    fails_here(
        "query",
        "-",
        phrase="<stdin>: not UTF-8 text (byte 0)",
        stdin=b"\xff\xfeASK {}",
    )


@each_verb(
    ("query", "commitments-of"),
    ("export", "--format", "ttl"),
    ("load", "URL"),
)
def test_project_file_that_is_not_utf8(own_project, work, args):
    (own_project / "data/links.ttl").write_bytes(b'<urn:ex:a> <urn:ex:b> "caf\xe9" .\n')
    args = tuple(refused_url("/store") if a == "URL" else a for a in args)
    line = fails(*args, phrase="data/links.ttl:1:", home=own_project, cwd=work)
    assert "UTF-8" in line


# --- an empty file --------------------------------------------------------------------------


def test_validate_an_empty_file(work, fails_here):
    (work / "empty.ttl").write_bytes(b"")
    fails_here("validate", str(work / "empty.ttl"), phrase="empty.ttl: no triples to validate")


@pytest.mark.parametrize("how", ["file", "inline", "stdin"])
def test_query_that_is_empty(work, how, fails_here):
    (work / "empty.rq").write_text("# only a comment\n", encoding="utf-8")
    args, stdin, source = {
        "file": ((str(work / "empty.rq"),), None, "empty.rq"),
        "inline": (("-e", "   "), None, "<inline>"),
        "stdin": (("-",), b"", "<stdin>"),
    }[how]
    fails_here("query", *args, phrase=f"{source}: empty query", stdin=stdin)


def test_load_of_an_empty_project(work, tmp_path):
    empty = tmp_path / "empty-project"
    shutil.copytree(PROJECT / "ontology", empty / "ontology")
    (empty / "data").mkdir(parents=True)
    (empty / "data/agreement.ttl").write_bytes(b"")
    with FixedServer(204, "text/plain", b"") as server:
        fails(
            "load",
            server.url + "/store",
            phrase="data/agreement.ttl: holds no triples",
            home=empty,
            cwd=work,
        )
        assert server.seen == []


# --- a missing file, a directory given as a file ------------------------------------------


def test_validate_a_missing_file(fails_here):
    fails_here("validate", "nope.ttl", phrase="nope.ttl: no such file")


def test_query_a_missing_file(fails_here):
    fails_here("query", "nope.rq", phrase="nope.rq: no such file")


def test_validate_a_directory(work, fails_here):
    (work / "folder.ttl").mkdir()
    fails_here("validate", "folder.ttl", phrase="folder.ttl: is a directory")


def test_query_a_directory(work, fails_here):
    (work / "folder.rq").mkdir()
    fails_here("query", "folder.rq", phrase="folder.rq: is a directory")


def test_export_onto_a_directory(work, fails_here):
    (work / "out.ttl").mkdir()
    fails_here("export", "--out", "out.ttl", phrase="out.ttl: is a directory")


# --- a wrong extension for the content ------------------------------------------------------


def test_turtle_content_in_an_ntriples_file(work, fails_here):
    (work / "data.nt").write_text("@prefix ex: <urn:ex:> .\nex:a ex:b ex:c .\n", encoding="utf-8")
    fails_here("validate", "data.nt", phrase="data.nt:1:1:")


def test_jsonld_content_in_a_turtle_file(work, fails_here):
    (work / "data.ttl").write_text('{"@id": "urn:ex:a", "urn:ex:b": "c"}\n', encoding="utf-8")
    fails_here("validate", "data.ttl", phrase="data.ttl:1:1:")


def test_an_extension_that_is_no_rdf_format(work, fails_here):
    (work / "data.txt").write_text("<urn:ex:a> <urn:ex:b> <urn:ex:c> .\n", encoding="utf-8")
    fails_here("validate", "data.txt", phrase="unknown RDF file extension '.txt'")


def test_turtle_file_given_as_a_query(work, fails_here):
    (work / "data.ttl").write_text("<urn:ex:a> <urn:ex:b> <urn:ex:c> .\n", encoding="utf-8")
    line = fails_here("query", "./data.ttl", phrase="data.ttl:1:")
    assert "SPARQL syntax error" in line


# --- SPARQL errors ----------------------------------------------------------------------------


def test_sparql_syntax_error_inline(fails_here):
    # Line 2 "WHERE { ?s ?p ?o } LIMIT x": the 'x' at column 26 stands where a number belongs.
    fails_here(
        "query",
        "-e",
        "SELECT *\nWHERE { ?s ?p ?o } LIMIT x",
        phrase="<inline>:2:26: SPARQL syntax error",
    )


def test_sparql_syntax_error_at_the_end_of_the_input(fails_here):
    # The query stops after '?x ?p' on line 3: the parser fails at the end, 3:8.
    fails_here(
        "query", "-e", "SELECT ?x\nWHERE {\n  ?x ?p", phrase="<inline>:3:8: SPARQL syntax error"
    )


def test_sparql_syntax_error_in_a_file(work, fails_here):
    # Line 2: the 'x' after LIMIT is at column 36.
    (work / "bad.rq").write_text("# header\nSELECT ?s WHERE { ?s ?p ?o } LIMIT x\n", "utf-8")
    fails_here("query", "bad.rq", phrase="bad.rq:2:36: SPARQL syntax error")


def test_sparql_syntax_error_on_an_endpoint(oxigraph_server, fails_here):
    # Sent as written; the server's 400 answer comes back in one line.
    fails_here(
        "query",
        "-e",
        "SELECT * WHERE { ?s ?p }",
        "--endpoint",
        oxigraph_server.query_url,
        phrase=f"{oxigraph_server.query_url}: HTTP 400",
    )


@pytest.mark.parametrize(
    "text, keyword",
    [
        ("INSERT DATA { <urn:ex:a> <urn:ex:b> <urn:ex:c> }", "INSERT"),
        ("# SELECT in a comment\nDELETE WHERE { ?s ?p ?o }", "DELETE"),
        ('PREFIX ex: <urn:ex:select>\nCLEAR DEFAULT # "ASK"', "CLEAR"),
        ("WITH <urn:ex:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
        ("LOAD <http://127.0.0.1:9/x.ttl>", "LOAD"),
    ],
)
def test_update_sent_to_query_is_refused(text, keyword, fails_here):
    fails_here("query", "-e", text, phrase=f"this is a SPARQL update ({keyword})")


def test_update_is_refused_before_reaching_an_endpoint(fails_here):
    with FixedServer(200, "application/sparql-results+json", b"{}") as server:
        fails_here(
            "query",
            "-e",
            "DROP ALL",
            "--endpoint",
            server.url + "/query",
            phrase="this is a SPARQL update (DROP)",
        )
        assert server.seen == [], "the update reached the endpoint"


def test_update_in_a_query_file_is_refused(work, fails_here):
    (work / "drop.rq").write_text("# looks harmless\nDROP GRAPH <urn:ex:g>\n", encoding="utf-8")
    fails_here("query", "drop.rq", phrase="drop.rq: this is a SPARQL update (DROP)")


def test_unknown_named_query_suggests_close_names(fails_here):
    fails_here(
        "query",
        "comitments-of",
        phrase="unknown query 'comitments-of'; did you mean: commitments-of?",
    )


def test_unknown_named_query_far_from_any_lists_the_known(fails_here):
    line = fails_here("query", "zzz", phrase="unknown query 'zzz'; known:")
    assert "labels" in line and "commitments-of" in line


# --- options: --format, --bind ----------------------------------------------------------------


@each_verb(
    ("query", "commitments-of", "--format", "yaml"),
    ("validate", "--format", "yaml"),
    ("export", "--format", "yaml"),
)
def test_unknown_format(args, fails_here):
    fails_here(*args, phrase="argument --format: invalid choice: 'yaml'")


def test_format_that_does_not_fit_the_result(fails_here):
    fails_here("query", "graph-of", "--format", "csv", phrase="a CONSTRUCT/DESCRIBE result is RDF")


def test_graph_format_for_a_table_result(fails_here):
    fails_here("query", "commitments-of", "--format", "ttl", phrase="a SELECT result is a table")


@pytest.mark.parametrize("endpoint", [False, True], ids=["embedded", "endpoint"])
def test_bind_for_a_variable_the_query_lacks(endpoint, fails_here):
    extra = ("--endpoint", refused_url()) if endpoint else ()
    fails_here(
        "query",
        "commitments-of",
        "--bind",
        "nope=kg:ha-noi",
        *extra,
        phrase="--bind nope: queries/commitments-of.rq has no variable ?nope (it has "
        "?commitment, ?creditor, ?debtor)",
    )


@pytest.mark.parametrize(
    "value, phrase",
    [
        ("<urn:ex:a b>", "not a valid RDF term"),
        ("<not an iri", "not a valid RDF term"),
        ("<no-scheme>", "not a valid RDF term"),
        ('"open', "not a valid RDF term"),
        ("nope:x", "not a valid RDF term"),
        ("kg:ha-noi . ?s ?p ?o", "not a valid RDF term"),
        ("kg:ha-noi , kg:lao-cai", "not a single RDF term"),
        ("[]", "only an IRI or a literal can be bound"),
        ("", "not a valid RDF term"),
    ],
)
def test_bind_value_that_is_not_one_rdf_term(value, phrase, fails_here):
    fails_here("query", "commitments-of", "--bind", f"debtor={value}", phrase=phrase)


def test_bind_without_equals_sign(fails_here):
    fails_here("query", "commitments-of", "--bind", "debtor", phrase="NAME=VALUE")


@pytest.mark.parametrize("args", [("query",), ("query", "x", "-e", "ASK {}")], ids=["none", "two"])
def test_query_needs_exactly_one_source(args, fails_here):
    fails_here(*args, phrase="give exactly one of")


def test_export_to_stdout_needs_a_named_format(fails_here):
    fails_here("export", phrase="name the format with --format")


def test_export_format_not_guessable(fails_here):
    fails_here("export", "--out", "graph.txt", phrase="cannot guess the format from '.txt'")


def test_debug_shows_the_traceback(project, work):
    run = coopkg("--debug", "query", "comitments-of", home=project, cwd=work)
    assert run.code != 0
    assert "Traceback" in run.err
    assert "CoopkgError" in run.err


# --- a project without what the verb needs ------------------------------------------------------


def test_check_without_any_check_file(own_project, work):
    assert not (own_project / "queries/qc").exists()
    fails("check", phrase="no quality checks found", home=own_project, cwd=work)


def test_validate_without_shapes(own_project, work):
    (own_project / "shapes/data-shapes.ttl").unlink()
    fails("validate", phrase="no shapes found", home=own_project, cwd=work)


# --- endpoints that fail --------------------------------------------------------------------


def test_query_endpoint_that_refuses(fails_here):
    url = refused_url()
    fails_here(
        "query",
        "commitments-of",
        "--endpoint",
        url,
        "--timeout",
        "5",
        phrase=f"{url}: cannot connect",
    )


def test_load_to_a_server_that_refuses(fails_here):
    url = refused_url("/store")
    fails_here("load", url, "--timeout", "5", phrase="connection refused")


def test_query_endpoint_that_never_answers(fails_here):
    with SilentServer() as silent:
        fails_here(
            "query",
            "commitments-of",
            "--endpoint",
            silent.url + "/query",
            "--timeout",
            "0.5",
            phrase=f"{silent.url}/query: no answer within 0.5 s",
        )


def test_load_to_a_server_that_never_answers(fails_here):
    with SilentServer() as silent:
        fails_here(
            "load", silent.url + "/store", "--timeout", "0.5", phrase="no answer within 0.5 s"
        )


@pytest.mark.parametrize(
    "query, status, content_type, body, phrase",
    [
        ("commitments-of", 500, "text/html", HTML_500, "{url}: HTTP 500: Error Oops server broke"),
        ("commitments-of", 503, "text/plain", b"busy", "{url}: HTTP 503: busy"),
        *(
            (
                query,
                200,
                "text/html",
                NOT_RESULTS,
                f"HTTP 200 but the answer is not {what} (text/html)",
            )
            for query, what in [
                ("commitments-of", "SPARQL results"),
                ("is-debtor", "SPARQL results"),
                ("graph-of", "RDF"),
            ]
        ),
        (
            "commitments-of",
            200,
            "application/sparql-results+json",
            b'{"head": {"vars": [',
            "not SPARQL results (application/sparql-results+json)",
        ),
    ],
    ids=[
        "500-html",
        "503-text",
        "200-html-select",
        "200-html-ask",
        "200-html-construct",
        "200-broken-json",
    ],
)
def test_query_endpoint_that_answers_badly(query, status, content_type, body, phrase, fails_here):
    with FixedServer(status, content_type, body) as server:
        url = server.url + "/query"
        fails_here("query", query, "--endpoint", url, phrase=phrase.format(url=url))


def test_load_to_a_server_answering_500_with_html(fails_here):
    with FixedServer(500, "text/html", HTML_500) as server:
        fails_here("load", server.url + "/store", phrase="HTTP 500 Internal Server Error")


def test_load_verify_answered_with_something_else(fails_here):
    with FixedServer(200, "text/html", NOT_RESULTS) as server:
        fails_here(
            "load",
            server.url + "/store",
            "--endpoint",
            server.url + "/query",
            phrase="unexpected count answer",
        )


@pytest.mark.parametrize("url", ["not a url", "ftp://127.0.0.1/store", "http:///store"])
def test_load_to_something_that_is_not_an_http_url(url, fails_here):
    fails_here("load", url, phrase="not an http:// or https:// URL with a host")


def test_query_endpoint_that_is_not_an_http_url(fails_here):
    fails_here(
        "query",
        "commitments-of",
        "--endpoint",
        "nonsense",
        phrase="--endpoint 'nonsense': not an http:// or https:// URL with a host",
    )


# --- output locations -------------------------------------------------------------------------


def test_export_into_a_missing_directory(work, fails_here):
    fails_here(
        "export",
        "--out",
        "missing/graph.ttl",
        phrase="missing/graph.ttl: directory missing does not exist",
    )
    assert not (work / "missing").exists()


def test_export_into_a_read_only_location(fails_here):
    # sysfs refuses new files even to root (chmod does not stop root).
    target = Path("/sys/coopkg-hardening.ttl")
    if not Path("/sys").is_dir():
        pytest.skip("no /sys on this system")
    fails_here("export", "--out", str(target), phrase=f"{target}: cannot write")
    assert not target.exists()


def _make_read_only(folder: Path) -> None:
    """chmod stops other users; root (as in CI) also needs the immutable attribute."""
    folder.chmod(0o500)
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True, capture_output=True)


def _make_writable(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], check=False, capture_output=True)
    folder.chmod(0o700)


def test_export_into_a_read_only_directory_keeps_the_old_file(project, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "graph.nt").write_text("old\n", encoding="utf-8")
    _make_read_only(folder)
    try:
        fails(
            "export", "--out", "graph.nt", phrase="graph.nt: cannot write", home=project, cwd=folder
        )
        assert (folder / "graph.nt").read_text(encoding="utf-8") == "old\n"
        assert sorted(p.name for p in folder.iterdir()) == ["graph.nt"]
    finally:
        _make_writable(folder)


def _file_size_limit(limit: int):
    def apply() -> None:  # runs in the child before exec: writes beyond `limit` bytes fail
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_export_to_a_full_disk_keeps_the_old_file(work, fails_here):
    # A file-size limit makes the write fail as a full disk does (EFBIG instead of ENOSPC).
    (work / "graph.nt").write_text("old\n", encoding="utf-8")
    fails_here(
        "export",
        "--out",
        "graph.nt",
        phrase="graph.nt: cannot write: File too large",
        preexec_fn=_file_size_limit(4096),
    )
    assert sorted(p.name for p in work.iterdir()) == ["graph.nt"], "a temporary file was left"


@each_verb(
    ("query", "commitments-of", "--format", "csv"),
    ("export", "--format", "nt"),
    ("validate", "--format", "json"),
)
def test_standard_output_on_a_full_disk(args, fails_here):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "wb") as full:
        fails_here(
            *args,
            phrase="standard output: No space left on device",
            stdout=full,
        )


# --- timeouts on every network call (a static check of the code) ------------------------------

NETWORK_CODE = ("coopkg", "scripts", "bench")


def calls_without_timeout(source: str, name: str) -> list[str]:
    """'FILE:LINE call' for each network call in source that has no timeout.

    urlopen(), opener.open(), HTTP(S)Connection() and socket.create_connection() need a
    timeout argument; a function that makes a SPARQLWrapper must set its .timeout (or call
    setTimeout); requests.<verb>() needs timeout=.
    """
    import ast

    found = []
    tree = ast.parse(source)
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
            continue
        body_text = ast.unparse(func) if not isinstance(func, ast.Module) else ""
        for node in ast.walk(func):
            if not isinstance(node, ast.Call):
                continue
            callee = ast.unparse(node.func)
            keywords = {k.arg for k in node.keywords}
            leaf = callee.rsplit(".", 1)[-1]
            needs = (
                leaf == "urlopen"
                or (leaf == "open" and ("opener" in callee.lower() or "DIRECT" in callee))
                or leaf in ("HTTPConnection", "HTTPSConnection", "create_connection")
                or (callee.startswith("requests.") and leaf in ("get", "post", "put", "request"))
            )
            positional_timeout = leaf == "urlopen" and len(node.args) >= 3
            if needs and "timeout" not in keywords and not positional_timeout:
                found.append(f"{name}:{node.lineno} {callee}()")
            if leaf == "SPARQLWrapper" and not isinstance(func, ast.Module):
                if ".timeout =" not in body_text and "setTimeout(" not in body_text:
                    found.append(f"{name}:{node.lineno} {callee}() without a timeout")
    return sorted(set(found))


def test_every_network_call_has_a_timeout():
    files = [p for d in NETWORK_CODE for p in sorted((ROOT / d).rglob("*.py"))]
    assert len(files) > 10
    missing = []
    for path in files:
        missing += calls_without_timeout(path.read_text(encoding="utf-8"), str(path))
    assert not missing, "network calls without a timeout:\n" + "\n".join(missing)


def test_the_timeout_check_finds_calls_without_one():
    bad = (
        "import urllib.request\n"
        "def f(url):\n"
        "    urllib.request.urlopen(url)\n"
        "    _opener(url).open(url)\n"
        "    socket.create_connection(('h', 1))\n"
        "def g(url):\n"
        "    w = SPARQLWrapper(url)\n"
        "    return w.query()\n"
    )
    good = (
        "def f(url):\n    urlopen(url, timeout=5)\n    w = SPARQLWrapper(url)\n    w.timeout = 3\n"
    )
    assert len(calls_without_timeout(bad, "bad.py")) == 4
    assert calls_without_timeout(good, "good.py") == []
