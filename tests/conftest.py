"""Shared pytest fixtures: real Oxigraph servers (tests/servers.py) and one real Virtuoso server
per session (tests/virtuoso.py), all on loopback and stopped by their pids."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Make tests/servers.py importable whatever pytest's import mode is.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import OxigraphServer, start_oxigraph


@pytest.fixture
def oxigraph_server_factory(tmp_path_factory):
    """Start any number of real Oxigraph servers; each is stopped by its pid at teardown.

    Call it as ``factory()`` for a read-write server on an empty store, or
    ``factory(location=DIR, read_only=True)`` to serve an existing store read-only;
    ``union_default_graph=True`` makes queries without GRAPH see all named graphs.
    """
    started: list[OxigraphServer] = []

    def start(
        location: Path | None = None, *, read_only: bool = False, union_default_graph=False
    ) -> OxigraphServer:
        if location is None:
            location = tmp_path_factory.mktemp("oxigraph") / "store"
        server = start_oxigraph(
            location, read_only=read_only, union_default_graph=union_default_graph
        )
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.stop()


@pytest.fixture
def oxigraph_server(oxigraph_server_factory) -> OxigraphServer:
    """A real read-write `oxigraph serve` on 127.0.0.1:<free port> with an empty store."""
    return oxigraph_server_factory()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """One real Virtuoso server per test session (per xdist worker), stopped by its pid.

    It starts in about 10 s, so tests share it: each uses its own graphs, or replaces the
    project's dataset graph with the same content.
    """
    from virtuoso import missing, start_virtuoso

    reason = missing()
    if reason is not None:
        pytest.skip(reason)
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()
