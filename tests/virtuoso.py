"""Start and stop a real Virtuoso Open Source server (Debian package virtuoso-opensource) for tests.

The server runs `virtuoso-t +foreground` with an ini of its own (written here) whose database,
logs and HTTP root all live in one temporary directory, listens on 127.0.0.1 only (SQL and HTTP
on free ports), and is stopped by its process id. After start-up `isql-vt` creates the test user
with a password, grants it SPARQL_UPDATE (without which Virtuoso answers 403 to writes) and
changes the dba password from the well-known default. docs/stores.md gives the same steps.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from servers import STOP_TIMEOUT_S, free_port

START_TIMEOUT_S = 60.0
USER = "coopkg"
PASSWORD = "coopkg-test-secret"
DBA_PASSWORD = "dba-test-secret"

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {dir}
NumberOfBuffers = 4000
MaxDirtyBuffers = 3000
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
MaxKeepAlives = 4
KeepAliveTimeout = 10

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""

# What isql-vt runs once the server answers: a user who needs a password, allowed to write.
SETUP_SQL = (
    f"DB.DBA.USER_CREATE('{USER}', '{PASSWORD}'); "
    f'GRANT SPARQL_UPDATE TO "{USER}"; '
    f"USER_SET_PASSWORD('dba', '{DBA_PASSWORD}');"
)


def missing() -> str | None:
    """Why Virtuoso cannot run here (one line), or None when virtuoso-t and isql-vt exist."""
    for binary in ("virtuoso-t", "isql-vt"):
        if shutil.which(binary) is None:
            return f"{binary} not installed (Debian package virtuoso-opensource)"
    return None


@dataclass
class VirtuosoServer:
    process: subprocess.Popen
    directory: Path
    http_port: int
    sql_port: int
    user: str = USER
    password: str = PASSWORD
    _log: object = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        """SPARQL queries, no authentication."""
        return f"{self.url}/sparql"

    @property
    def auth_url(self) -> str:
        """SPARQL queries and updates, HTTP Digest."""
        return f"{self.url}/sparql-auth"

    @property
    def store_url(self) -> str:
        """Graph Store Protocol, HTTP Digest."""
        return f"{self.url}/sparql-graph-crud-auth"

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        try:
            return (self.directory / "virtuoso.log").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def query(self, sparql: str, accept: str = "application/sparql-results+json") -> bytes:
        """Run a read query on /sparql (no authentication) and return the raw body."""
        data = urllib.parse.urlencode({"query": sparql}).encode("utf-8")
        request = urllib.request.Request(
            self.query_url,
            data=data,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    def count(self, graph: str) -> int:
        import json

        body = self.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    def stop(self) -> None:
        """Stop the server by its process id: terminate, then kill after a timeout."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S * 3)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT_S)
        if self._log is not None:
            self._log.close()
            self._log = None


def _answers(url: str) -> bool:
    query = urllib.parse.urlencode({"query": "ASK {}"})
    try:
        with urllib.request.urlopen(f"{url}/sparql?{query}", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def start_virtuoso(directory: Path, timeout: float = START_TIMEOUT_S) -> VirtuosoServer:
    """Start virtuoso-t in directory on free loopback ports, wait until /sparql answers, then
    create the test user (isql-vt). Raises RuntimeError with the server's log tail on failure."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    while sql_port == http_port:
        sql_port = free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(
        INI.format(dir=directory, sql_port=sql_port, http_port=http_port), encoding="utf-8"
    )
    log = open(directory / "stdout.log", "wb")  # closed by stop()
    process = subprocess.Popen(
        ["virtuoso-t", "+foreground", "+configfile", str(ini)],
        cwd=directory,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = VirtuosoServer(process, directory, http_port, sql_port, _log=log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if _answers(server.url):
            setup = subprocess.run(
                ["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={SETUP_SQL}"],
                capture_output=True,
                text=True,
                timeout=60,
            )
            if setup.returncode != 0 or "Error" in setup.stdout + setup.stderr:
                server.stop()
                raise RuntimeError(f"isql-vt setup failed: {setup.stdout} {setup.stderr}")
            return server
        time.sleep(0.2)
    exit_code = process.poll()
    server.stop()
    outcome = "did not answer" if exit_code is None else f"exited with {exit_code}"
    raise RuntimeError(
        f"virtuoso-t on port {http_port} {outcome} within {timeout:.0f} s: {server.log()[-800:]}"
    )
