"""Authenticated loads and queries on real servers: Virtuoso (its own HTTP Digest) and Oxigraph
behind a small Digest front on loopback (tests/servers.py DigestFront: Oxigraph has no
authentication of its own; the front answers unauthorised requests with 401 without reading the
body and closes the connection, as Virtuoso does).

The 50-in-a-row loops load the real project graph (about 540 KB of N-Triples) with the same
library call `coopkg load` makes; they are bounded in count and time and marked slow.
"""

from __future__ import annotations

import time

import pytest
from cli_helpers import ROOT, coopkg
from servers import DigestFront
from virtuoso import missing

from coopkg import graph, gsp, namespaces, paths
from coopkg.errors import CoopkgError

pytestmark = [pytest.mark.server]
needs_virtuoso = pytest.mark.skipif(missing() is not None, reason=missing() or "")

FIXTURE_HOME = paths.root() / "tests" / "fixtures" / "stores" / "project"
# ontology/coopkg.ttl 3 (its header) + ontology/concepts.ttl 3 (one scheme) + data/agreement.ttl
# 10 (2 places x 5); no subclass axiom, so the load's entailments add none.
FIXTURE_TRIPLES = 3 + 3 + 10
PREVIOUS = b'<urn:x:previous> <http://www.w3.org/2000/01/rdf-schema#label> "kept" .\n'
RUNS = 50
# A bound, not a speed target: on a loaded 2-core machine one load of the real graph through
# the Python Digest front takes up to ~4 s (three requests each with two HEADs before them).
LOOP_BUDGET_S = 900.0


def creds(server) -> dict[str, str]:
    return {"COOPKG_USER": server.user, "COOPKG_PASSWORD": server.password}


def project_graph() -> tuple[bytes, int]:
    import pyoxigraph as ox

    store = graph.open_store()
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), len(store)


def load_n_times(runs: int, **kwargs) -> list[str]:
    """gsp.load `runs` times (each verified by reading the count back); the failures' messages.
    Stops early, as a failure, when the time budget is spent."""
    data, triples = project_graph()
    failures: list[str] = []
    started = time.monotonic()
    for run in range(runs):
        if time.monotonic() - started > LOOP_BUDGET_S:
            failures.append(
                f"time budget of {LOOP_BUDGET_S:.0f} s spent after {run} runs "
                f"({len(failures)} failed before)"
            )
            break
        try:
            result = gsp.load(data, triples, timeout=60, **kwargs)
            assert result.triples_read_back == triples, result
        except CoopkgError as exc:
            failures.append(f"run {run + 1}: {exc.message}")
    return failures


# --- Virtuoso -------------------------------------------------------------------------------


@needs_virtuoso
@pytest.mark.parametrize("atomic", [True, False], ids=["via-update", "plain-put"])
def test_virtuoso_replace_and_append_with_digest(virtuoso, atomic):
    target = f"urn:x:coopkg-test:append-{'update' if atomic else 'post'}"
    env = creds(virtuoso)
    base = ["--graph", target, "--endpoint", virtuoso.query_url]
    if atomic:
        base += ["--update-endpoint", virtuoso.auth_url]
    # Append to a graph that was never created: Virtuoso refuses a plain DROP of such a graph.
    first = coopkg("load", virtuoso.store_url, *base, "--append", home=FIXTURE_HOME, env=env)
    assert first.code == 0, first.err
    assert f"now holds {FIXTURE_TRIPLES} triples" in first.out
    assert virtuoso.count(target) == FIXTURE_TRIPLES
    # Replace, then append the same triples: a graph is a set, the count stays.
    again = coopkg("load", virtuoso.store_url, *base, home=FIXTURE_HOME, env=env)
    assert again.code == 0, again.err
    more = coopkg("load", virtuoso.store_url, *base, "--append", home=FIXTURE_HOME, env=env)
    assert more.code == 0, more.err
    assert virtuoso.count(target) == FIXTURE_TRIPLES
    # No temporary graph is left behind.
    leftover = virtuoso.query(
        'ASK { GRAPH ?g { ?s ?p ?o } FILTER STRSTARTS(STR(?g), "urn:uuid:") }'
    )
    assert b"false" in leftover


@needs_virtuoso
def test_virtuoso_append_adds_to_what_the_graph_held(virtuoso, monkeypatch):
    target = "urn:x:coopkg-test:append-previous"
    monkeypatch.setenv("COOPKG_USER", virtuoso.user)
    monkeypatch.setenv("COOPKG_PASSWORD", virtuoso.password)
    gsp.put_graph(virtuoso.store_url, target, PREVIOUS, append=False, timeout=30)
    env = creds(virtuoso)
    done = coopkg(
        "load", virtuoso.store_url, "--graph", target, "--append", "--endpoint",
        virtuoso.query_url, "--update-endpoint", virtuoso.auth_url, home=FIXTURE_HOME, env=env,
    )  # fmt: skip
    assert done.code == 0, done.err
    assert virtuoso.count(target) == FIXTURE_TRIPLES + 1


@needs_virtuoso
@pytest.mark.parametrize("atomic", [True, False], ids=["via-update", "plain-put"])
def test_virtuoso_wrong_password_is_401_and_the_graph_is_untouched(virtuoso, atomic):
    target = "urn:x:coopkg-test:wrong-password"
    good = coopkg(
        "load", virtuoso.store_url, "--graph", target, home=FIXTURE_HOME, env=creds(virtuoso)
    )
    assert good.code == 0, good.err
    args = ["load", virtuoso.store_url, "--graph", target]
    if atomic:
        args += ["--update-endpoint", virtuoso.auth_url]
    env = {"COOPKG_USER": virtuoso.user, "COOPKG_PASSWORD": "not-the-password"}
    done = coopkg(*args, "--append", home=paths.root(), env=env)
    assert done.code == 2
    assert done.err.count("\n") == 1, done.err
    assert "HTTP 401 Unauthorized" in done.err
    assert "BrokenPipe" not in done.err and "Traceback" not in done.err
    assert virtuoso.count(target) == FIXTURE_TRIPLES


@needs_virtuoso
def test_virtuoso_query_with_credentials_and_with_a_wrong_password(virtuoso):
    loaded = coopkg(
        "load",
        virtuoso.store_url,
        "--update-endpoint",
        virtuoso.auth_url,
        env=creds(virtuoso),
        home=ROOT,
    )
    assert loaded.code == 0, loaded.err
    embedded = coopkg("query", "session-date", "--format", "csv", home=ROOT)
    remote = coopkg(
        "query", "session-date", "--format", "csv", "--endpoint", virtuoso.auth_url,
        env=creds(virtuoso),
            home=ROOT,
        )  # fmt: skip
    assert remote.code == 0, remote.err
    assert remote.out == embedded.out
    wrong = coopkg(
        "query", "session-date", "--endpoint", virtuoso.auth_url,
        env={"COOPKG_USER": virtuoso.user, "COOPKG_PASSWORD": "nope"},
            home=ROOT,
        )  # fmt: skip
    assert wrong.code == 2
    assert wrong.err.count("\n") == 1, wrong.err
    assert "HTTP 401 Unauthorized" in wrong.err


@needs_virtuoso
@pytest.mark.slow
@pytest.mark.parametrize("atomic", [False, True], ids=["plain-put", "via-update"])
def test_virtuoso_50_authenticated_loads_in_a_row(virtuoso, monkeypatch, atomic):
    monkeypatch.setenv("COOPKG_USER", virtuoso.user)
    monkeypatch.setenv("COOPKG_PASSWORD", virtuoso.password)
    failures = load_n_times(
        RUNS,
        store_url=virtuoso.store_url,
        graph=f"urn:x:coopkg-test:fifty-{atomic}",
        update_url=virtuoso.auth_url if atomic else None,
        query_url=virtuoso.query_url,
    )
    assert not failures, f"{len(failures)} of {RUNS} failed:\n" + "\n".join(failures[:5])


# --- Oxigraph behind a Digest front ---------------------------------------------------------


@pytest.fixture
def guarded_oxigraph(oxigraph_server_factory):
    """Oxigraph (its store in memory: these tests are of the client and the front) behind the
    Digest front."""
    server = oxigraph_server_factory(in_memory=True)
    with DigestFront(server.url, "ana", "s3cret") as front:
        yield server, front


def test_oxigraph_digest_front_wrong_password_is_401_and_no_body_is_sent(guarded_oxigraph):
    server, front = guarded_oxigraph
    env = {"COOPKG_USER": "ana", "COOPKG_PASSWORD": "wrong"}
    done = coopkg("load", f"{front.url}/store", home=FIXTURE_HOME, env=env)
    assert done.code == 2
    assert done.err.count("\n") == 1, done.err
    assert "HTTP 401 Unauthorized" in done.err
    assert front.passed == 0  # nothing got through to Oxigraph
    assert server.query("ASK { GRAPH ?g { ?s ?p ?o } }") == b'{"head":{},"boolean":false}'


@pytest.mark.parametrize("atomic", [True, False], ids=["via-update", "plain-post"])
def test_oxigraph_digest_front_append(guarded_oxigraph, atomic):
    server, front = guarded_oxigraph
    env = {"COOPKG_USER": "ana", "COOPKG_PASSWORD": "s3cret"}
    args = ["load", f"{front.url}/store", "--endpoint", f"{front.url}/query", "--append"]
    if atomic:
        args += ["--update-endpoint", f"{front.url}/update"]
    done = coopkg(*args, home=FIXTURE_HOME, env=env)
    assert done.code == 0, done.err
    assert f"now holds {FIXTURE_TRIPLES} triples" in done.out


@pytest.mark.slow
def test_oxigraph_50_authenticated_loads_in_a_row(guarded_oxigraph, monkeypatch):
    server, front = guarded_oxigraph
    monkeypatch.setenv("COOPKG_USER", "ana")
    monkeypatch.setenv("COOPKG_PASSWORD", "s3cret")
    failures = load_n_times(
        RUNS,
        store_url=f"{front.url}/store",
        graph=namespaces.GRAPH_IRI,
        update_url=None,
        query_url=f"{front.url}/query",
    )
    assert not failures, f"{len(failures)} of {RUNS} failed:\n" + "\n".join(failures[:5])
    assert front.refused >= RUNS  # every load was challenged, and answered


@needs_virtuoso
def test_virtuoso_refused_switch_reads_the_target_back_before_saying_it_is_unchanged(
    virtuoso, monkeypatch
):
    """The update goes to /sparql, where Virtuoso's anonymous user may not write: the upload
    to the temporary graph succeeds, the ADD is refused, and the message says what the target
    holds, from reading it back (and that the temporary graph could not be dropped there)."""
    target = "urn:x:coopkg-test:refused-switch"
    monkeypatch.setenv("COOPKG_USER", virtuoso.user)
    monkeypatch.setenv("COOPKG_PASSWORD", virtuoso.password)
    gsp.put_graph(virtuoso.store_url, target, PREVIOUS, append=False, timeout=30)
    done = coopkg(
        "load", virtuoso.store_url, "--graph", target, "--append",
        "--update-endpoint", virtuoso.query_url, home=FIXTURE_HOME, env=creds(virtuoso),
    )  # fmt: skip
    assert done.code == 2
    line = done.err.strip()
    assert "\n" not in line
    assert line.startswith(f"coopkg: error: POST {virtuoso.query_url}: HTTP ")
    assert (
        "(target graph left as it was: read back the same 1 triple; temporary graph <urn:uuid:"
        in line
    )
    assert virtuoso.count(target) == 1
