"""Shared pytest fixtures: real Oxigraph servers (tests/servers.py) and one real Virtuoso server
per session (tests/virtuoso.py), all on loopback and stopped by their pids; and the `server` mark
on every test that starts a server process (through these fixtures, or in the modules that start
`coopkg serve`), so that `pytest -m "not server"` leaves them out."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Make tests/servers.py importable whatever pytest's import mode is.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import OxigraphServer, start_oxigraph

# Fixtures that start a real server process; a test using one (directly or through another
# fixture) is marked `server`.
SERVER_FIXTURES = {"oxigraph_server", "oxigraph_server_factory", "module_oxigraph_factory"}
# Modules whose tests start `coopkg serve` themselves.
SERVER_MODULES = {"test_serve.py", "test_serve_readonly.py"}


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if SERVER_FIXTURES & set(item.fixturenames) or item.path.name in SERVER_MODULES:
            item.add_marker(pytest.mark.server)


@contextlib.contextmanager
def _oxigraph_servers(tmp_path_factory) -> Iterator[Callable[..., OxigraphServer]]:
    """A function that starts real Oxigraph servers; each is stopped by its pid when the block
    ends.

    Call it as ``start()`` for a read-write server on an empty store, or
    ``start(location=DIR, read_only=True)`` to serve an existing store read-only;
    ``union_default_graph=True`` makes queries without GRAPH see all named graphs;
    ``in_memory=True`` keeps the store in memory (start_oxigraph).
    """
    started: list[OxigraphServer] = []

    def start(
        location: Path | None = None,
        *,
        read_only: bool = False,
        union_default_graph=False,
        in_memory=False,
    ) -> OxigraphServer:
        if location is None:
            location = tmp_path_factory.mktemp("oxigraph") / "store"
        server = start_oxigraph(
            location,
            read_only=read_only,
            union_default_graph=union_default_graph,
            in_memory=in_memory,
        )
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in reversed(started):
            server.stop()


@pytest.fixture
def oxigraph_server_factory(tmp_path_factory):
    """Start real Oxigraph servers for one test (see _oxigraph_servers for the arguments)."""
    with _oxigraph_servers(tmp_path_factory) as start:
        yield start


@pytest.fixture(scope="module")
def module_oxigraph_factory(tmp_path_factory):
    """Start real Oxigraph servers that a module's tests share (a module fixture loads one once);
    they are stopped after the module's last test."""
    with _oxigraph_servers(tmp_path_factory) as start:
        yield start


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
