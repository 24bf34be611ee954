"""Loads lose nothing: concurrent `coopkg load` runs against one real Oxigraph server
end with exactly one complete copy of the graph, and a load whose client is stopped by SIGTERM
in the middle of its upload leaves the old graph as it was (and no temporary graph behind).
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from cli_helpers import make_project, process_env
from servers import content_length, pump_both, read_head

from coopkg import entail, graph, namespaces, paths

GRAPH = namespaces.GRAPH_IRI
LOADERS = 4


def project_triples(home: Path) -> set[str]:
    """What `coopkg load` sends: the project graph and its RDFS entailments."""
    files = [home / f for f in paths.GRAPH_FILES if (home / f).is_file()]
    store = entail.graph_store(graph.open_store(files), "rdfs")
    return {str(ox.Triple(q.subject, q.predicate, q.object)) for q in store}


def server_graphs(server) -> dict[str, int]:
    """Named graph -> triple count, plus '' for the default graph, on the server."""
    sparql = (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } } "
        "GROUP BY ?g"
    )
    answer = json.loads(server.query(sparql))
    return {
        row.get("g", {}).get("value", ""): int(row["n"]["value"])
        for row in answer["results"]["bindings"]
    }


def graph_triples(server) -> set[str]:
    """The target graph's triples as N-Triples lines (blank nodes relabelled by the parser)."""
    url = f"{server.store_url}?{urllib.parse.urlencode({'graph': GRAPH})}"
    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=30) as response:
        data = response.read()
    return {str(t) for t in ox.parse(data, ox.RdfFormat.N_TRIPLES)}


def without_blank_nodes(triples: set[str]) -> set[str]:
    return {t for t in triples if "_:" not in t}


def load_command(home: Path, store_url: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "coopkg", "load", store_url, "--timeout", "60", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=process_env(home),
        cwd=home,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("load") / "project")


MODES = {
    "update-endpoint": lambda s: ("--update-endpoint", s.update_url, "--endpoint", s.query_url),
    "plain-put": lambda s: ("--endpoint", s.query_url),
    "append": lambda s: ("--append",),
}


@pytest.mark.parametrize("mode", list(MODES))
def test_concurrent_loads_leave_exactly_one_complete_copy(oxigraph_server, home, mode):
    expected = project_triples(home)
    runs = [
        load_command(home, oxigraph_server.store_url, *MODES[mode](oxigraph_server))
        for _ in range(LOADERS)
    ]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode()
        assert b"Traceback" not in err
    graphs = server_graphs(oxigraph_server)
    # One graph, no default-graph triples, no temporary urn:uuid graph left behind.
    assert graphs == {GRAPH: len(expected)}, graphs
    got = graph_triples(oxigraph_server)
    assert len(got) == len(expected)
    assert without_blank_nodes(got) == without_blank_nodes(expected)


class StallingProxy:
    """A loopback TCP proxy that passes requests through, except that a PUT or POST to the
    Graph Store gets its headers and half its body forwarded and then stalls, as a slow link
    does; `stalled` is set then. close() drops every connection."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self.accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(client,), daemon=True).start()

    def handle(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
        self.sockets += [client, upstream]
        try:
            head = read_head(client)
            if head is None:
                return
            header, _, body = head.partition(b"\r\n\r\n")
            line = header.split(b"\r\n", 1)[0]
            if line.startswith((b"PUT /store", b"POST /store")):
                length = content_length(header)
                while len(body) < length // 2:
                    body += client.recv(65536)
                upstream.sendall(header + b"\r\n\r\n" + body[: length // 2])
                self.stalled.set()
                self.release.wait(60)
                return
            upstream.sendall(head)
            pump_both(client, upstream)
        except OSError:
            pass
        finally:
            for sock in (client, upstream):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()

    def close(self) -> None:
        self.release.set()
        self.listener.close()


@pytest.mark.parametrize("mode", ["update-endpoint", "plain-put"])
def test_a_load_stopped_by_sigterm_leaves_the_old_graph(oxigraph_server, home, tmp_path, mode):
    first = load_command(home, oxigraph_server.store_url)
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err.decode()
    old = graph_triples(oxigraph_server)

    # The new version: the same graph plus one triple, loaded through the stalling proxy.
    changed = make_project(tmp_path / "changed")
    with open(changed / "data/agreement.ttl", "a", encoding="utf-8") as handle:
        handle.write("\n<urn:ex:new> <urn:ex:p> <urn:ex:o> .\n")
    proxy = StallingProxy(oxigraph_server.port)
    try:
        extra = ("--update-endpoint", f"{proxy.url}/update") if mode == "update-endpoint" else ()
        run = load_command(changed, f"{proxy.url}/store", *extra)
        assert proxy.stalled.wait(60), "the upload never reached the proxy"
        run.send_signal(signal.SIGTERM)
        run.wait(timeout=30)
        assert run.returncode != 0
    finally:
        proxy.close()
    time.sleep(0.5)  # the server sees the cut connection and drops the half request
    assert graph_triples(oxigraph_server) == old
    assert set(server_graphs(oxigraph_server)) == {GRAPH}, "a temporary graph was left behind"
