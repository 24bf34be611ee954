"""The test toolkit: run `coopkg`, copy a project to run it on, check its one-line errors, and
tiny loopback HTTP servers that answer or fail in chosen ways.

`coopkg(...)` runs the command in this process through `coopkg.cli.main(argv)`: stdout is
captured as bytes (what the command writes through `sys.stdout` and `sys.stdout.buffer`), stdin
is given as text or bytes, COOPKG_HOME and the working directory are set for the call and put
back after it. `coopkg_process(...)` starts the real `python -m coopkg` instead; use it only
where the process itself is under test (a terminal, a file-size limit, stdout on a full disk,
a hang bounded by a timeout, the interpreter's start-up).

Real Oxigraph servers live in tests/servers.py; nothing here talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import io
import os
import shutil
import socket
import subprocess
import sys
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from servers import HTTPHelper, LoopbackHelper

from coopkg import cli, paths

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "cli"
PROJECT = FIXTURES / "project"
# Named queries for copies of the real project (make_project): the tests then do not depend on
# which queries queries/ holds.
HARDENING_QUERIES = ROOT / "tests" / "fixtures" / "hardening" / "queries"
# The real project's files a `coopkg` run reads.
PROJECT_FILES = (
    *paths.GRAPH_FILES,
    f"shapes/{paths.DATA_SHAPES}",
    f"shapes/{paths.ONTOLOGY_SHAPES}",
)
PROCESS_TIMEOUT_S = 90
# Loopback only: a run never goes through a proxy.
PROXY_VARIABLES = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")


@dataclass
class Run:
    code: int
    out: str
    err: str


# --- running the command ----------------------------------------------------------------------


def coopkg(
    *args: str,
    home: Path = PROJECT,
    stdin: str | bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str | None] | None = None,
) -> Run:
    """`coopkg ARGS` in this process with COOPKG_HOME=home, in cwd (default: home); env sets
    more variables for the call (credentials, say), or unsets those given as None.

    stdout and stderr are decoded from the exact bytes written (CRLF stays CRLF).
    """
    out, err = _Capture(), _Capture()
    data = stdin.encode("utf-8") if isinstance(stdin, str) else (stdin or b"")
    with (
        _environment(**(env or {}), COOPKG_HOME=str(home)),
        contextlib.chdir(cwd or home),
        _standard_streams(io.BytesIO(data), out, err),
        _warnings_to_stderr(),
    ):
        code = _main([str(a) for a in args])
    return Run(code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8", "replace"))


def stdout_of(*args: str, home: Path = ROOT, columns: int | None = None) -> str:
    """What `coopkg ARGS` (in this process, on the checkout's project by default) writes on
    stdout; it must exit 0. COLUMNS is set to columns, or unset as in a pipe."""
    run = coopkg(*args, home=home, env={"COLUMNS": None if columns is None else str(columns)})
    assert run.code == 0, run.err
    return run.out


def _main(argv: list[str]) -> int:
    """cli.main as `python -m coopkg` ends: SystemExit and uncaught exceptions become codes."""
    try:
        return cli.main(argv)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except Exception:  # what the interpreter does with an uncaught exception
        traceback.print_exc(file=sys.stderr)
        return 1


class _Capture(io.BytesIO):
    """A byte buffer that stays readable after the command closes its stream."""

    def close(self) -> None:
        pass


@contextlib.contextmanager
def _environment(**values: str | None) -> Iterator[None]:
    """Set the given variables (unset those given as None) and drop the proxy ones for the call;
    put them all back after."""
    saved = {name: os.environ.get(name) for name in (*values, *PROXY_VARIABLES)}
    restore_environment({**dict.fromkeys(PROXY_VARIABLES), **values})
    try:
        yield
    finally:
        restore_environment(saved)


def restore_environment(saved: dict[str, str | None]) -> None:
    """Set environment variables as given: {name: value, or None to unset it} (as saved before
    a change, to put them back)."""
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@contextlib.contextmanager
def _standard_streams(stdin: io.BytesIO, out: io.BytesIO, err: io.BytesIO) -> Iterator[None]:
    """sys.stdin/stdout/stderr as UTF-8 text over the buffers, like PYTHONIOENCODING=utf-8;
    write-through so that text and bytes written to stdout keep their order."""
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(stdin, encoding="utf-8")
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(
        err, encoding="utf-8", errors="backslashreplace", write_through=True
    )
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(ValueError):
                stream.flush()
        sys.stdin, sys.stdout, sys.stderr = saved


@contextlib.contextmanager
def _warnings_to_stderr() -> Iterator[None]:
    """Warnings printed on the command's stderr, as a fresh interpreter prints them (pytest
    would otherwise collect them, and a run would hide what the process shows)."""
    with warnings.catch_warnings():
        warnings.resetwarnings()
        # The filters of a fresh interpreter (python -W and PYTHONWARNINGS aside).
        for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning):
            warnings.filterwarnings("ignore", category=category)
        warnings.filterwarnings("ignore", category=ResourceWarning)
        warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
        warnings.showwarning = _show_warning
        yield


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def process_env(home: Path | None, **extra: str) -> dict[str, str]:
    """The environment of a real `coopkg` process: COOPKG_HOME=home (unset when None, so the
    checkout is the project), this checkout first on PYTHONPATH, no proxy, UTF-8 streams."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("COOPKG_HOME", None)
    for name in PROXY_VARIABLES:
        env.pop(name, None)
    if home is not None:
        env["COOPKG_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


def coopkg_process(
    *args: str,
    home: Path = PROJECT,
    cwd: Path | None = None,
    stdin: str | bytes | None = None,
    stdout=None,
    timeout: float = PROCESS_TIMEOUT_S,
    preexec_fn=None,
) -> Run:
    """The real `python -m coopkg ARGS` with COOPKG_HOME=home, in cwd (default: home).

    stdout is captured unless a file is given (a terminal, /dev/full); preexec_fn runs in the
    child before exec (resource limits).
    """
    proc = subprocess.run(
        [sys.executable, "-m", "coopkg", *args],
        input=stdin.encode("utf-8") if isinstance(stdin, str) else stdin,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=process_env(home),
        cwd=cwd or home,
        timeout=timeout,
        preexec_fn=preexec_fn,
    )
    out = proc.stdout.decode("utf-8") if proc.stdout is not None else ""
    return Run(proc.returncode, out, proc.stderr.decode("utf-8", "replace"))


def assert_one_line_error(run: Run, phrase: str, code: int = 2) -> str:
    """The exit code, one `coopkg: error:` line holding the phrase, no traceback, nothing on
    stdout; returns the line."""
    assert "Traceback" not in run.err, run.err
    assert run.code == code, run
    assert run.out == "", run
    # One error line; a SPARQL syntax error adds its query line and a caret, indented.
    lines = run.err.splitlines()
    assert all(line.startswith("  ") for line in lines[1:]), run.err
    assert len(lines) == 1 or (len(lines) == 3 and lines[2].strip() == "^"), run.err
    assert lines[0].startswith("coopkg: error: "), run.err
    assert phrase in lines[0], run.err
    return lines[0]


# --- projects to run on -----------------------------------------------------------------------


def copy_project(tmp_path: Path) -> Path:
    """A writable copy of the fixture project, for variants (broken files, missing checks)."""
    target = tmp_path / "project"
    shutil.copytree(PROJECT, target)
    return target


def make_project(dest: Path) -> Path:
    """A copy of the real project graph and shapes, with the hardening fixture queries."""
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest / name)
    shutil.copytree(HARDENING_QUERIES, dest / "queries")
    return dest


def digest(*folders: Path) -> dict[str, str]:
    """sha256 of every file (and the mode bits) under the folders, keyed by path."""
    found: dict[str, str] = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and not path.is_symlink():
                data = hashlib.sha256(path.read_bytes()).hexdigest()
                found[str(path)] = f"{data} {oct(path.stat().st_mode)}"
            elif path.is_dir():
                found[str(path)] = "dir"
    return found


# --- loopback HTTP servers that answer or fail in chosen ways ---------------------------------


def refused_url(path: str = "/query") -> str:
    """A loopback URL on a port nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


class SilentServer(LoopbackHelper):
    """A socket that accepts connections and never answers (a hung server)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def close(self) -> None:
        self.sock.close()


class FixedServer(HTTPHelper):
    """An http.server thread that answers every request with one status, type and body, and
    remembers the request lines it saw."""

    def __init__(self, status: int, content_type: str, body: bytes) -> None:
        seen: list[str] = []
        self.seen = seen

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self) -> None:
                seen.append(self.requestline)
                self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = answer  # noqa: N815 (http.server naming)

            def log_message(self, *args) -> None:
                pass

        self._serve(Handler)
