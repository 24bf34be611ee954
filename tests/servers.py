"""Start and stop real Oxigraph servers (the `oxigraph` binary from PyPI) for tests.

Each server listens on 127.0.0.1 on a free port with its own store directory; it is stopped by
its process id (terminate, then kill). Nothing here talks to anything but loopback.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from coopkg.web.yasgui import oxigraph_binary  # the one place that finds the binary

START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def endpoint(path: str, doc: str | None = None) -> property:
    """A read-only property: the server's base URL followed by path."""
    return property(lambda server: server.url + path, doc=doc)


@dataclass(kw_only=True)
class ServerProcess:
    """A SPARQL server process a test started on 127.0.0.1: its HTTP port, the file log() reads,
    the open file its output goes to, and how it stops (by its process id). Subclasses name
    their query URL (`query_url`, where start-up is polled with ASK {})."""

    process: subprocess.Popen
    port: int
    log_path: Path | None = None
    host: str = "127.0.0.1"
    terminate_timeout: float = STOP_TIMEOUT_S
    _log: object = field(default=None, repr=False)

    query_url = endpoint("/query")

    @classmethod
    def launch(cls, command: list[str], *, output: Path, cwd: Path | None = None, **fields):
        """Start command with its stdout and stderr going to the file output."""
        log = open(output, "wb")  # closed by stop()/kill()
        process = subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
        return cls(process=process, _log=log, **fields)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        """What the server logged so far (for failure messages); "" without a log file."""
        if self.log_path is None:
            return ""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def query(self, sparql: str, accept: str = "application/sparql-results+json") -> bytes:
        """Run a SPARQL query by HTTP POST (form-encoded, as the SPARQL protocol allows) on the
        query URL and return the raw response body."""
        request = urllib.request.Request(
            self.query_url,
            data=urllib.parse.urlencode({"query": sparql}).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    def answers(self) -> bool:
        """Whether the server answers `ASK {}` with 200 right now."""
        query = urllib.parse.urlencode({"query": "ASK {}"})
        try:
            with urllib.request.urlopen(f"{self.query_url}?{query}", timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return False

    def wait_until_it_answers(self, timeout: float, interval: float) -> str | None:
        """None once the server answers within timeout seconds; otherwise the server is stopped
        and the reason is returned ("did not answer" or "exited with N")."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if self.answers():
                return None
            time.sleep(interval)
        exit_code = self.process.poll()
        self.stop()
        return "did not answer" if exit_code is None else f"exited with {exit_code}"

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), e.g. to cut a connection mid-request."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT_S)
        self._close_log()

    def stop(self) -> None:
        """Stop the server by its process id: terminate, then kill after a timeout."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=self.terminate_timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT_S)
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None


@dataclass(kw_only=True)
class OxigraphServer(ServerProcess):
    """A running `oxigraph serve` (or `serve-read-only`) process and its URLs."""

    location: Path
    read_only: bool = False

    update_url = endpoint("/update")
    store_url = endpoint("/store")


def start_oxigraph(
    location: Path,
    *,
    read_only: bool = False,
    union_default_graph: bool = False,
    in_memory: bool = False,
    timeout: float = START_TIMEOUT_S,
    attempts: int = 3,
) -> OxigraphServer:
    """Start `oxigraph serve` on 127.0.0.1:<free port> with `location` and wait until it answers.

    Retries on a fresh port if the chosen one was taken in the meantime (the port is picked
    before the server binds it, so another process may win the race). With
    union_default_graph, queries without GRAPH see every named graph (as GraphDB and Virtuoso
    do by default), so the named queries run unchanged on a graph loaded into a named graph.
    With in_memory, the store is kept in memory and `location` only holds the log: a RocksDB
    store slows down with every graph it replaces (each load took longer than the last in a
    loop of fifty), which a test of the client, not of the store, need not wait for.
    """
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("oxigraph server binary not found: install the `oxigraph` package")
    location = Path(location)
    location.mkdir(parents=True, exist_ok=True)
    verb = "serve-read-only" if read_only else "serve"
    if read_only and in_memory:
        raise ValueError("a read-only server needs a store on disk to serve")
    options = [] if in_memory else ["--location", str(location)]
    options += ["--union-default-graph"] if union_default_graph else []
    last_error = ""
    for attempt in range(attempts):
        port = free_port()
        log_path = location.parent / f"{location.name}-oxigraph-{port}.log"
        server = OxigraphServer.launch(
            [str(binary), verb, "--bind", f"127.0.0.1:{port}", *options],
            output=log_path,
            port=port,
            log_path=log_path,
            location=location,
            read_only=read_only,
        )
        outcome = server.wait_until_it_answers(timeout, interval=0.05)
        if outcome is None:
            return server
        last_error = (
            f"oxigraph {verb} on port {port} (attempt {attempt + 1}) {outcome} "
            f"within {timeout:.0f} s: {server.log().strip()[-500:]}"
        )
    raise RuntimeError(last_error)


class LoopbackHelper:
    """A small server a test runs on 127.0.0.1:`port` (a proxy, an authentication front, a
    server that answers one fixed way or never), closed when its `with` block ends."""

    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class _HTTPServer(http.server.ThreadingHTTPServer):
    request_queue_size = 64  # the default 5 can refuse connections on a loaded machine
    daemon_threads = True


class HTTPHelper(LoopbackHelper):
    """A LoopbackHelper that is an http.server on a thread of its own."""

    # How often serve_forever looks whether close() asked it to stop: the default half second
    # was the whole time of many short tests.
    POLL_INTERVAL_S = 0.02

    def _serve(self, handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        self._server = _HTTPServer(("127.0.0.1", 0), handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(self.POLL_INTERVAL_S,), daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class CuttingProxy(LoopbackHelper):
    """A TCP proxy on 127.0.0.1 in front of a server that cuts chosen uploads halfway.

    Requests whose request line (e.g. ``PUT /store?graph=... HTTP/1.1``) makes ``cut(line)``
    true get their headers and the first ``fraction`` of their body forwarded; then both
    connections are closed, as when a network drops mid-upload. Other requests, and matching
    ones beyond ``limit`` cuts, pass through.
    """

    def __init__(
        self, upstream_port: int, cut, fraction: float = 0.5, limit: int | None = None
    ) -> None:
        self.upstream_port = upstream_port
        self.cut = cut
        self.fraction = fraction
        self.limit = limit  # cut at most this many requests (None: every matching one)
        self.cuts = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self.port = self._listener.getsockname()[1]
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._closed.set()
        self._thread.join(timeout=5)
        self._listener.close()

    def _accept_loop(self) -> None:
        # accept() with a timeout, because closing the socket does not wake a blocked accept().
        self._listener.settimeout(0.1)
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        client.settimeout(10)
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10)
        try:
            head = read_head(client)
            if head is None:
                return
            header_block, _, body = head.partition(b"\r\n\r\n")
            request_line = header_block.split(b"\r\n", 1)[0].decode("latin-1")
            exhausted = self.limit is not None and self.cuts >= self.limit
            if exhausted or not self.cut(request_line):
                upstream.sendall(head)
                pump_both(client, upstream)
                return
            length = content_length(header_block)
            keep = int(length * self.fraction)
            while len(body) < keep:
                chunk = client.recv(65536)
                if not chunk:
                    break
                body += chunk
            upstream.sendall(header_block + b"\r\n\r\n" + body[:keep])
            self.cuts += 1
            time.sleep(0.2)  # let the server read the partial body before the connection drops
        except OSError:
            pass
        finally:
            _close(upstream)
            _close(client)


def read_head(client: socket.socket) -> bytes | None:
    """Read from a client until the end of the HTTP request head (what follows is the start of
    the body); None when the client closes first."""
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = client.recv(65536)
        if not chunk:
            return None
        head += chunk
    return head


def content_length(header_block: bytes) -> int:
    for line in header_block.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def pump_both(client: socket.socket, upstream: socket.socket) -> None:
    def pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            try:
                sink.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
    back.start()
    pump(client, upstream)
    back.join(timeout=30)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


class DigestFront(HTTPHelper):
    """A small HTTP Digest (RFC 7616, MD5, qop=auth) front on 127.0.0.1 for a server that has no
    authentication of its own (Oxigraph). Like Virtuoso, it answers a request without valid
    credentials with 401 at once, without reading its body, and closes the connection; an
    authorised request is passed on to the upstream server and its answer relayed."""

    def __init__(self, upstream: str, user: str, password: str, realm: str = "coopkg-test"):
        import hashlib
        import secrets

        front = self
        self.upstream = upstream.rstrip("/")
        self.refused = 0
        self.passed = 0
        nonces: set[str] = set()

        def md5(text: str) -> str:
            return hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: S324 - Digest's own hash

        def authorised(method: str, path: str, header: str | None) -> bool:
            if not header or not header.startswith("Digest "):
                return False
            items = urllib.request.parse_keqv_list(
                urllib.request.parse_http_list(header[len("Digest ") :])
            )
            if items.get("username") != user or items.get("realm") != realm:
                return False
            if items.get("nonce") not in nonces or items.get("uri") != path:
                return False
            ha1 = md5(f"{user}:{realm}:{password}")
            ha2 = md5(f"{method}:{path}")
            parts = [items["nonce"], items.get("nc", ""), items.get("cnonce", ""), "auth", ha2]
            return items.get("response") == md5(":".join([ha1, *parts]))

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                if not authorised(self.command, self.path, self.headers.get("Authorization")):
                    front.refused += 1
                    nonce = secrets.token_hex(16)
                    nonces.add(nonce)
                    self.send_response(401)
                    self.send_header(
                        "WWW-Authenticate",
                        f'Digest realm="{realm}", nonce="{nonce}", qop="auth", algorithm="MD5"',
                    )
                    self.send_header("Content-Length", "0")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.close_connection = True
                    return
                front.passed += 1
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")
                }
                request = urllib.request.Request(
                    front.upstream + self.path, data=body, headers=headers, method=self.command
                )
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        status, reply, kind = response.status, response.read(), response.headers
                except urllib.error.HTTPError as exc:
                    status, reply, kind = exc.code, exc.read(), exc.headers
                self.send_response(status)
                if kind.get("Content-Type"):
                    self.send_header("Content-Type", kind["Content-Type"])
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(reply)

            do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _handle  # noqa: N815

            def log_message(self, *args) -> None:
                pass

        self._serve(Handler)


@dataclass(kw_only=True)
class CoopkgServer(ServerProcess):
    """A real `coopkg serve` process; `lines` holds what it printed on stdout so far."""

    lines: list[str] = field(default_factory=list)
    terminate_timeout: float = 20.0


def start_coopkg_serve(
    *args: str, home: Path, cwd: Path | None = None, start_timeout: float = 90.0
) -> CoopkgServer:
    """Start `coopkg serve ARGS` on a free loopback port (COOPKG_HOME=home) and return it once
    it says it is ready; stop it with its stop()."""
    port = free_port()
    env = dict(os.environ, COOPKG_HOME=str(home), PYTHONPATH=str(Path(__file__).parent.parent))
    process = subprocess.Popen(
        [sys.executable, "-m", "coopkg", "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd or home,
    )
    server = CoopkgServer(process=process, port=port)
    ready = threading.Event()

    def read() -> None:  # a thread, so that waiting for "ready" has a deadline
        for line in process.stdout:
            server.lines.append(line.rstrip("\n"))
            if line.startswith("Ctrl-C stops"):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + start_timeout
    while not ready.wait(0.2):
        if process.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError(
                f"coopkg serve did not start: {server.lines} {process.stderr.read()}"
            )
    return server


@contextlib.contextmanager
def coopkg_serve(
    *args: str, home: Path, cwd: Path | None = None, start_timeout: float = 90.0
) -> Iterator[CoopkgServer]:
    """A real `coopkg serve ARGS` process for the `with` block (see start_coopkg_serve), stopped
    by its pid (SIGTERM, then kill) when the block ends."""
    server = start_coopkg_serve(*args, home=home, cwd=cwd, start_timeout=start_timeout)
    try:
        yield server
    finally:
        server.stop()
