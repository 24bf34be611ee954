"""`coopkg serve`: the read-only server (pages, SPARQL endpoint) on the graph's store."""

from __future__ import annotations

import json
import signal
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, coopkg_process
from servers import CoopkgServer, coopkg_serve

from coopkg import namespaces, server
from coopkg.errors import CoopkgError

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_HOME = Path(__file__).parent / "fixtures" / "stores" / "project"
# ontology/coopkg.ttl 3 (its header) + ontology/concepts.ttl 3 (one scheme) + data/agreement.ttl
# 10 (2 places x 5); no subclass axiom, so the served graph's entailments add none.
FIXTURE_TRIPLES = 3 + 3 + 10


def worker_pids(served: CoopkgServer) -> list[int]:
    """The pids of the coopkg process's query workers (multiprocessing spawn children; not its
    resource tracker)."""
    pid = served.pid
    pids = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return [child for child in pids if _is_worker(child)]


@pytest.fixture
def served(tmp_path):
    with coopkg_serve(
        "--cache-dir", str(tmp_path / "cache"), home=FIXTURE_HOME, cwd=ROOT, start_timeout=60
    ) as running:
        yield running


def query(url: str, sparql: str) -> dict:
    request = urllib.request.Request(
        f"{url}/query",
        data=urllib.parse.urlencode({"query": sparql}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_serve_prints_the_endpoint_and_query_page_urls(served):
    assert f"pages:           {served.url}/" in served.lines
    assert f"SPARQL endpoint: {served.url}/query" in served.lines
    assert f"query page:      {served.url}/query" in served.lines


def test_serve_answers_a_query_in_the_default_and_the_named_graph(served):
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    assert query(served.url, count)["results"]["bindings"][0]["n"]["value"] == str(FIXTURE_TRIPLES)
    in_graph = f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{namespaces.GRAPH_IRI}> {{ ?s ?p ?o }} }}"
    assert query(served.url, in_graph)["results"]["bindings"][0]["n"]["value"] == str(
        FIXTURE_TRIPLES
    )
    label = 'ASK { <https://w3id.org/coopkg/id/lao-cai> ?p "Lào Cai"@vi }'
    assert query(served.url, label)["boolean"] is True


def test_serve_serves_the_query_page_with_the_endpoint_it_prints(served):
    """The query page's endpoint box names the endpoint that `coopkg serve` prints (/query)."""
    request = urllib.request.Request(f"{served.url}/query", headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/html")
        page = response.read().decode("utf-8")
    assert '<code id="endpoint">/query</code>' in page
    assert '<form method="get" action="/query">' in page
    assert "/sparql" not in page
    printed = next(line for line in served.lines if line.startswith("SPARQL endpoint:"))
    assert printed.endswith("/query")


def test_serve_runs_its_queries_in_worker_processes(served):
    assert len(worker_pids(served)) == 2  # --workers default


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_serve_stops_cleanly_and_stops_the_server(served, signum):
    workers = worker_pids(served)
    assert workers
    served.process.send_signal(signum)
    assert served.process.wait(timeout=20) == 0
    assert "Traceback" not in served.process.stderr.read()
    # The worker processes are gone (reaped, so their pids no longer exist).
    assert not any(_is_worker(pid) for pid in workers)
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{served.url}/query?query=ASK%7B%7D", timeout=5)


def _is_worker(pid: int) -> bool:
    """A live process with this pid that is a spawned worker (pids can be recycled)."""
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def test_serve_on_a_port_in_use_is_one_line_and_exit_2(oxigraph_server, tmp_path):
    # A real process: were the port free after all, the server would run until the timeout.
    port = oxigraph_server.port
    done = coopkg_process(
        "serve", "--port", str(port), "--cache-dir", str(tmp_path / "cache"),
        home=FIXTURE_HOME, cwd=ROOT, timeout=60,
    )  # fmt: skip
    line = assert_one_line_error(
        done, f"coopkg: error: server could not start on 127.0.0.1:{port}: "
    )
    assert "Address already in use" in line


# --- the store cache ------------------------------------------------------------------------


def test_store_is_reused_while_the_files_do_not_change(tmp_path):
    source = tmp_path / "agreement.ttl"
    source.write_bytes((FIXTURE_HOME / "data" / "agreement.ttl").read_bytes())
    first = server.build_store(tmp_path / "cache", [source])
    marker = first / "coopkg-test-marker"
    marker.write_text("built once")
    assert server.build_store(tmp_path / "cache", [source]) == first
    assert marker.exists()


def test_a_changed_file_gives_a_new_store(tmp_path):
    source = tmp_path / "agreement.ttl"
    source.write_bytes((FIXTURE_HOME / "data" / "agreement.ttl").read_bytes())
    first = server.build_store(tmp_path / "cache", [source])
    with source.open("a", encoding="utf-8") as f:
        f.write('\n<urn:x:s> <urn:x:p> "added" .\n')
    second = server.build_store(tmp_path / "cache", [source])
    assert second != first
    assert second.is_dir()


def test_a_failed_build_leaves_nothing_half_written(tmp_path):
    source = tmp_path / "broken.ttl"
    source.write_text('<urn:x:s> <urn:x:p> "ok" .\n<urn:x:s> <urn:x:p> .\n', encoding="utf-8")
    cache = tmp_path / "cache"
    with pytest.raises(CoopkgError) as failed:
        server.build_store(cache, [source])
    assert ":2:" in failed.value.message  # file:line of the bad triple
    assert not cache.exists() or not [p for p in cache.rglob("*") if p.is_file()]


def test_only_the_most_recent_stores_are_kept(tmp_path):
    source = tmp_path / "agreement.ttl"
    source.write_bytes((FIXTURE_HOME / "data" / "agreement.ttl").read_bytes())
    built = []
    for n in range(5):
        with source.open("a", encoding="utf-8") as f:
            f.write(f'\n<urn:x:s> <urn:x:p> "version {n}" .\n')
        built.append(server.build_store(tmp_path / "cache", [source]))
        time.sleep(0.05)  # distinct modification times
    kept = sorted(p for p in (tmp_path / "cache" / "stores").iterdir() if p.is_dir())
    assert kept == sorted(built[-3:])
