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
from dataclasses import dataclass
from pathlib import Path

from servers import STOP_TIMEOUT_S, ServerProcess, endpoint, free_port

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


@dataclass(kw_only=True)
class VirtuosoServer(ServerProcess):
    """A running `virtuoso-t`, its SQL port (for isql-vt), the test user and its URLs."""

    sql_port: int
    user: str = USER
    password: str = PASSWORD
    terminate_timeout: float = STOP_TIMEOUT_S * 3

    query_url = endpoint("/sparql", "SPARQL queries, no authentication.")
    auth_url = endpoint("/sparql-auth", "SPARQL queries and updates, HTTP Digest.")
    store_url = endpoint("/sparql-graph-crud-auth", "Graph Store Protocol, HTTP Digest.")

    def count(self, graph: str) -> int:
        import json

        body = self.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


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
    server = VirtuosoServer.launch(
        ["virtuoso-t", "+foreground", "+configfile", str(ini)],
        output=directory / "stdout.log",
        cwd=directory,
        port=http_port,
        log_path=directory / "virtuoso.log",
        sql_port=sql_port,
    )
    outcome = server.wait_until_it_answers(timeout, interval=0.2)
    if outcome is not None:
        tail = server.log()[-800:]
        raise RuntimeError(
            f"virtuoso-t on port {http_port} {outcome} within {timeout:.0f} s: {tail}"
        )
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
