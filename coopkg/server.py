"""Serve the project graph read-only with the real Oxigraph server (`oxigraph` from PyPI).

The store is built once per content: its directory name carries a hash of the input files and
the server version, so a changed file gives a new store. It is built in a temporary directory
and renamed into place, so a failed build leaves nothing half-written. The graph goes into the
named graph GRAPH_IRI and the server runs with --union-default-graph, so queries without GRAPH
see it too (the named queries run unchanged).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from coopkg import paths
from coopkg.errors import CoopkgError

READY_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0
BUILD_TIMEOUT_S = 300.0
# The readiness probe talks to our own child on loopback: never through an HTTP proxy.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def oxigraph_binary() -> Path:
    """The `oxigraph` server installed next to this Python (the PyPI package), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise CoopkgError("the oxigraph server is not installed: pip install oxigraph")


def oxigraph_version(binary: Path) -> str:
    try:
        done = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise CoopkgError(f"{binary}: cannot run it: {exc}") from exc
    return done.stdout.strip()


def default_cache_dir() -> Path:
    """.cache/ in the project; for the read-only copy inside an installed package, the user's
    cache (COOPKG_CACHE, XDG_CACHE_HOME/coopkg or ~/.cache/coopkg)."""
    if paths.is_packaged():
        from coopkg import persist

        return persist.cache_root() / "servers"
    return paths.root() / ".cache"


def store_key(files: Iterable[Path], version: str) -> str:
    """A short hash of the server version and each input file's name and bytes."""
    digest = hashlib.sha256(version.encode())
    for path in files:
        digest.update(b"\0" + path.name.encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_store(cache_dir: Path, files: list[Path] | None = None) -> Path:
    """The store directory for the given files (default: the project graph), built if missing."""
    from coopkg.graph import open_store  # parses every file, with file:line errors

    project = files is None
    files = paths.graph_files() if files is None else files
    if not files:
        raise CoopkgError(f"{paths.root()}: no project graph files found (ontology/, data/)")
    binary = oxigraph_binary()
    target = cache_dir / f"oxigraph-{store_key(files, oxigraph_version(binary))}"
    if target.is_dir():
        return target
    data = _ntriples(open_store(files, each_nonempty=project))  # an empty project file fails
    cache_dir.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=cache_dir))
    try:
        command = [str(binary), "load", "--location", str(building), "--format", "nt"]
        done = subprocess.run(
            [*command, "--graph", paths.GRAPH_IRI],
            input=data,
            capture_output=True,
            timeout=BUILD_TIMEOUT_S,
        )
        if done.returncode != 0:
            first = (done.stderr.decode(errors="replace").strip().splitlines() or ["?"])[0]
            raise CoopkgError(f"{binary} load into {building}: exit {done.returncode}: {first}")
        try:
            os.rename(building, target)
        except OSError:
            if not target.is_dir():  # not just another build that finished first
                raise
    except subprocess.TimeoutExpired as exc:
        raise CoopkgError(f"{binary} load: no result within {BUILD_TIMEOUT_S:g} s") from exc
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return target


def _ntriples(store) -> bytes:
    import pyoxigraph as ox

    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


@dataclass(frozen=True)
class Endpoint:
    """Where a running server answers."""

    base_url: str

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def query_page_url(self) -> str:
        return f"{self.base_url}/"


def _url_host(host: str) -> str:
    """The host as it goes into a URL, with 0.0.0.0 / :: replaced by loopback for probing."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


class _Stop(Exception):
    """Raised by the SIGTERM handler to leave the wait loop."""


def serve(
    location: Path,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    announce: Callable[[Endpoint], None] = lambda endpoint: None,
) -> int:
    """Run `oxigraph serve-read-only` on location until Ctrl-C/SIGTERM; return the exit code.

    Calls announce(endpoint) once the server answers. The child is stopped by its pid
    (terminate, then kill after a timeout) whatever ends the wait.
    """
    binary = oxigraph_binary()
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    log_path = location.parent / f"{location.name}-serve-{port}.log"
    endpoint = Endpoint(f"http://{_url_host(host)}:{port}")
    with open(log_path, "wb") as log:
        child = subprocess.Popen(
            [str(binary), "serve-read-only", "--location", str(location), "--bind", bind]
            + ["--union-default-graph"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        _wait_until_ready(child, endpoint, log_path, bind)
        announce(endpoint)
        code = child.wait()
        raise CoopkgError(f"oxigraph server on {bind} stopped by itself: exit {code}")
    except (KeyboardInterrupt, _Stop):
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop(child)


def _raise_stop(signum, frame) -> None:
    raise _Stop


def _wait_until_ready(child: subprocess.Popen, endpoint: Endpoint, log: Path, bind: str) -> None:
    """Wait until OUR child says it listens and then answers a query (another process may
    already hold the port and answer instead, so the probe alone is not enough)."""
    probe = endpoint.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if child.poll() is not None:
            lines = log.read_text(errors="replace").strip().splitlines()
            reason = lines[0] if lines else f"exit {child.returncode}"
            raise CoopkgError(f"oxigraph server could not start on {bind}: {reason}")
        if "Listening for requests" in log.read_text(errors="replace"):
            try:
                with _DIRECT.open(probe, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
        time.sleep(0.1)
    raise CoopkgError(f"oxigraph server on {bind}: no answer within {READY_TIMEOUT_S:g} s")


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait(timeout=STOP_TIMEOUT_S)
