"""Serve the project graph read-only: pages, their RDF and a guarded SPARQL endpoint.

The store is built once per content (coopkg.web.store: the key hashes the input files; built in
a temporary directory and renamed into place, so a failed build leaves nothing half-written).
The web application (coopkg.web.app: Starlette, run by uvicorn) renders pages in the server
process and runs SPARQL queries in killable worker processes (coopkg.web.sparql).
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from coopkg.errors import CoopkgError

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_ROWS = 10_000
DEFAULT_WORKERS = 2


def default_cache_dir() -> Path:
    """The one cache of built stores, in the user's cache directory (coopkg.persist)."""
    from coopkg import persist

    return persist.cache_root()


def build_store(cache_dir: Path | None = None, files: list[Path] | None = None) -> Path:
    """The store directory for the given files (default: the project graph), built if missing."""
    from coopkg.web import store

    return store.served_store_dir(cache_dir, files)


@dataclass(frozen=True)
class Endpoint:
    """Where a running server answers."""

    base_url: str

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def query_page_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def home_url(self) -> str:
        return f"{self.base_url}/"


def _url_host(host: str) -> str:
    """The host as it goes into a URL, with 0.0.0.0 / :: replaced by loopback."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or a one-line CoopkgError (port in use, bad address)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        raise CoopkgError(f"server could not start on {shown}: {exc.strerror or exc}") from exc
    sock.set_inheritable(True)
    return sock


def serve(
    store_dir: Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_rows: int = DEFAULT_MAX_ROWS,
    workers: int = DEFAULT_WORKERS,
    cache_dir: Path | None = None,
    announce: Callable[[Endpoint], None] = lambda endpoint: None,
) -> int:
    """Serve store_dir until Ctrl-C/SIGTERM; return the exit code (0 when stopped cleanly)."""
    import uvicorn

    from coopkg.web import app as web_app
    from coopkg.web import sparql, store, yasgui
    from coopkg.web.describe import Graph

    graph = Graph(store.open_store(store_dir))
    pool = sparql.Pool(
        str(store.oxigraph_dir(store_dir)), size=workers, timeout=timeout, max_rows=max_rows
    )
    try:
        pool.start()
        sock = bind(host, port)
        assets = yasgui.assets(Path(cache_dir) if cache_dir else default_cache_dir())
        application = web_app.create_app(graph, pool, yasgui_dir=assets)
        config = uvicorn.Config(application, log_level="warning", access_log=False, lifespan="off")
        endpoint = Endpoint(f"http://{_url_host(host)}:{port}")
        try:
            _announcing_server(config, lambda: announce(endpoint)).run(sockets=[sock])
        except KeyboardInterrupt:  # uvicorn re-raises the signal that stopped it
            pass
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        pool.close()


def _announcing_server(config, announce: Callable[[], None]):
    """uvicorn's Server that announces the endpoint once it listens. By then it handles Ctrl-C
    and SIGTERM itself and stops cleanly; a banner printed before the event loop exists invited
    a Ctrl-C that interrupts the loop's construction and leaves a traceback on stderr."""
    import uvicorn

    class AnnouncingServer(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if not self.should_exit:
                announce()

    return AnnouncingServer(config)
