"""Fuzzing: random bytes and mutated copies of the project's real Turtle and .rq files
fed to what `coopkg validate`, `coopkg query` and `coopkg load` run never end in anything but a
result or a one-line CoopkgError (no other exception = no traceback), and never hang.

Most runs call the library in-process (fast); a few run the real command as a subprocess with a
timeout. Fuzzed queries run on a small store, so that a mutated query with a cross product stays
small; each example has a deadline that bounds a hang, not a speed.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pyoxigraph as ox
import pytest
from cli_helpers import HARDENING_QUERIES, ROOT, coopkg_process, make_project, refused_url
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopkg import graph, gsp, results
from coopkg import query as q
from coopkg.errors import CoopkgError

AGREEMENT = (ROOT / "data/agreement.ttl").read_bytes()
TURTLE_SOURCES = [AGREEMENT] + [
    (ROOT / f).read_bytes() for f in ("ontology/concepts.ttl",) if (ROOT / f).is_file()
]
QUERY_FILES = sorted(
    list((ROOT / "queries").glob("*.rq"))
    + list((ROOT / "coopkg/sparql").glob("*.rq"))
    + list(HARDENING_QUERIES.glob("*.rq"))
)
QUERY_SOURCES = [p.read_bytes() for p in QUERY_FILES]
EXTENSIONS = [".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"]
HANG = timedelta(seconds=20)  # a hang bound per example, not a speed requirement
# A slice of the real graph: enough for queries to match, small enough that a mutated query
# with a cross product of four patterns stays small.
SMALL = ox.Store()
SMALL.bulk_extend(list(graph.open_store([ROOT / "data/agreement.ttl"]))[:60])


@st.composite
def mutated(draw, sources: list[bytes]) -> bytes:
    """A real file with a few random edits: cut, duplicate, insert, flip, truncate."""
    data = bytearray(draw(st.sampled_from(sources)))
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        j = draw(st.integers(i, min(len(data), i + 200)))
        kind = draw(st.sampled_from(["cut", "dup", "insert", "flip", "truncate", "token"]))
        if kind == "cut":
            del data[i:j]
        elif kind == "dup":
            data[i:i] = data[i:j]
        elif kind == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "flip":
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[i:]
        else:  # a syntax token where it does not belong
            token = draw(st.sampled_from([b".", b";", b",", b"{", b"}", b'"', b"<", b"#", b"@"]))
            data[i:i] = token
    return bytes(data)


turtle_inputs = st.one_of(st.binary(max_size=300), mutated(TURTLE_SOURCES))
query_inputs = st.one_of(st.binary(max_size=200), mutated(QUERY_SOURCES))


def load_or_error(path: Path) -> ox.Store | None:
    """What every verb does first: parse the file; only CoopkgError may escape."""
    try:
        return graph.open_store([path])
    except CoopkgError as exc:
        assert "\n" not in exc.message
        return None


@settings(max_examples=120, deadline=HANG, suppress_health_check=[HealthCheck.too_slow])
@given(data=turtle_inputs, ext=st.sampled_from(EXTENSIONS))
def test_parsing_fuzzed_rdf_gives_a_graph_or_one_error(tmp_path_factory, data, ext):
    path = tmp_path_factory.mktemp("fuzz") / f"input{ext}"
    path.write_bytes(data)
    load_or_error(path)


@settings(max_examples=25, deadline=HANG, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(TURTLE_SOURCES))
def test_validating_fuzzed_turtle_gives_a_report_or_one_error(tmp_path_factory, data):
    from coopkg import fastvalidate, validate

    path = tmp_path_factory.mktemp("fuzz") / "data.ttl"
    path.write_bytes(data)
    try:
        report = fastvalidate.run([path])  # what `coopkg validate FILE` runs
    except CoopkgError as exc:
        assert "\n" not in exc.message
        return
    validate.format_text(report)
    validate.format_json(report)


def run_query(data: bytes):
    try:
        query = q.resolve(text=data.decode("utf-8"))
    except UnicodeDecodeError:
        return None  # the CLI refuses it with "not UTF-8 text" (tests/test_cli_errors.py)
    try:
        return q.run_embedded(SMALL, query)
    except CoopkgError as exc:
        assert "\n" not in exc.message
        return None


@settings(max_examples=200, deadline=HANG, suppress_health_check=[HealthCheck.too_slow])
@given(data=query_inputs, fmt=st.sampled_from(results.ALL_FORMATS))
def test_fuzzed_queries_give_a_result_or_one_error(data, fmt):
    result = run_query(data)
    if result is None:
        return
    try:
        results.write(result, fmt, io.BytesIO())
    except CoopkgError as exc:  # a format that does not fit the result's form
        assert "\n" not in exc.message


@pytest.fixture(scope="module")
def server(module_oxigraph_factory):
    return module_oxigraph_factory()


@pytest.mark.server  # the module's Oxigraph server
@settings(
    max_examples=25,
    deadline=HANG,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=turtle_inputs)
def test_loading_fuzzed_turtle_loads_or_fails_in_one_line(tmp_path_factory, server, data):
    """`coopkg load`: parse, then PUT to a real server; the server may refuse (one line)."""
    path = tmp_path_factory.mktemp("fuzz") / "data.ttl"
    path.write_bytes(data)
    store = load_or_error(path)
    if store is None or len(store) == 0:
        return
    payload = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    graph_iri = "urn:coopkg:fuzz"
    try:
        done = gsp.load(
            payload,
            len(store),
            store_url=server.store_url,
            graph=graph_iri,
            query_url=server.query_url,
            timeout=10,
        )
    except CoopkgError as exc:
        assert "\n" not in exc.message
        return
    assert done.triples_read_back == len(store)


# --- a few runs of the real command ---------------------------------------------------------

SUBPROCESS_CASES = [
    ("validate", b"\x00\xff\xfe garbage", ".ttl"),
    ("validate", AGREEMENT[: len(AGREEMENT) // 2], ".ttl"),
    ("validate", AGREEMENT.replace(b" .\n", b" ;\n", 3), ".ttl"),
    ("validate", b'{"@context": {"@vocab": 5}}', ".jsonld"),
    ("validate", b"<rdf:RDF xmlns:rdf='nope'><unclosed>", ".rdf"),
    ("query", QUERY_SOURCES[0][: len(QUERY_SOURCES[0]) // 2], ".rq"),
    ("query", b"SELECT * WHERE { ?s ?p ?o " * 50, ".rq"),
    ("query", b"\xef\xbb\xbfASK {}", ".rq"),
    ("query", b"SELECT * WHERE { " + b"{ " * 2000 + b"}" * 2000 + b" }", ".rq"),
    ("load", AGREEMENT[:5000], ".ttl"),
]


@pytest.mark.parametrize("verb, data, ext", SUBPROCESS_CASES)
def test_the_command_never_shows_a_traceback(tmp_path, verb, data, ext):
    home = make_project(tmp_path / "project")
    path = tmp_path / f"input{ext}"
    path.write_bytes(data)
    if verb == "load":  # the fuzzed file is the project's data
        (home / "data/agreement.ttl").write_bytes(data)
        args = ["load", refused_url("/store"), "--timeout", "2"]
    else:
        args = [verb, str(path)]
    run = coopkg_process(*args, home=home, cwd=tmp_path, timeout=60)
    assert "Traceback" not in run.err, run.err
    assert run.code in (0, 1, 2), run
    if run.code == 2:
        lines = run.err.splitlines()
        # One error line; a SPARQL syntax error adds the query's line and a caret, indented.
        context = lines[1:] == [] or (len(lines) == 3 and lines[2].strip() == "^")
        assert context and lines[0].startswith("coopkg: error: "), run.err
