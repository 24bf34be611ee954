"""Every `coopkg …` command shown in README.md and README.vi.md runs and succeeds as shown.

The commands are extracted from the READMEs' shell code blocks (```sh, ```bash, ```shell and
```console; a ```text block is a synopsis or sample output, not a command), so a command added
to a README is tested without touching this file. Each runs through bash, as a reader would type
it, from a scratch copy of the checkout's graph folders (so relative paths such as
data/agreement.ttl mean what they mean in the checkout, and files written land in the copy), with
the project as COOPKG_HOME and
the virtual environment's `coopkg` first on PATH. In a ```console block the lines after
`$ coopkg …` are its output, and the output must be exactly that.

Servers are real: a URL on port 7878 of this machine (the README's Oxigraph and `coopkg serve`
port) is pointed at an Oxigraph server the test starts on a free port, with the graph loaded, and
`coopkg serve` is started on a free port and must answer a query. Commands for stores that the
test machines do not have are skipped with the reason below (SKIPPED_PORTS); a URL outside this
machine is skipped as needing the network. Anything else unknown fails rather than skips.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
READMES = (ROOT / "README.md", ROOT / "README.vi.md")
BIN = Path(sys.executable).parent
SHELL_BLOCKS = {"sh", "bash", "shell", "console"}
# Placeholders a README writes in capitals, and what the test puts in their place.
PLACEHOLDERS = {"NAME": "who-committed-what"}
OXIGRAPH_PORT = 7878  # the README's Oxigraph server and `coopkg serve`
SKIPPED_PORTS = {
    3030: "needs Apache Jena Fuseki, which the test machines do not have",
    7200: "needs GraphDB (Ontotext's server, run from its Docker image), "
    "which the test machines do not have",
    8890: "needs a Virtuoso set up with a DBA password and the SPARQL_UPDATE role; "
    "the same load protocol is run against Oxigraph here",
}
LOOPBACK = ("127.0.0.1", "localhost")
URL = re.compile(r"https?://([^/:\s'\"]+)(?::(\d+))?[^\s'\"]*")
# The reader's own query file that the README's example names.
OWN_FILES = {
    "my-question.rq": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n",
}


@dataclass(frozen=True)
class Command:
    readme: str
    line: int
    text: str  # as shown (continuation lines joined)
    output: str | None  # a ```console block's output lines, else None
    block: int  # the line where its code block starts: a block's commands run in order

    @property
    def id(self) -> str:
        return f"{self.readme}:{self.line}"


def _logical_lines(body: str, first_line: int):
    """(line number, text) with backslash-continued lines joined."""
    pending, start = "", None
    for offset, raw in enumerate(body.splitlines()):
        if start is None:
            start = first_line + offset
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1] + " "
            continue
        yield start, pending + raw
        pending, start = "", None
    if pending:
        yield start, pending


def _is_coopkg(text: str) -> bool:
    words = text.split()
    return bool(words) and words[0] in ("coopkg", ".venv/bin/coopkg")


def extract(path: Path) -> list[Command]:
    """The coopkg commands of one README, in order."""
    text = path.read_text(encoding="utf-8")
    commands = []
    for block in re.finditer(r"^```(\w*)[^\n]*\n(.*?)^```", text, re.S | re.M):
        lang = block.group(1)
        if lang not in SHELL_BLOCKS:
            continue
        first = text.count("\n", 0, block.start(2)) + 1
        lines = list(_logical_lines(block.group(2), first))
        if lang == "console":
            for i, (number, line) in enumerate(lines):
                if not line.startswith("$ "):
                    continue
                output = []
                for _, after in lines[i + 1 :]:
                    if after.startswith("$ "):
                        break
                    output.append(after)
                if _is_coopkg(line[2:]):
                    output = "\n".join(output)
                    commands.append(Command(path.name, number, line[2:], output, first))
        else:
            for number, line in lines:
                if _is_coopkg(line.strip()):
                    commands.append(Command(path.name, number, line.strip(), None, first))
    return commands


COMMANDS = [c for readme in READMES for c in extract(readme)]


def test_the_readmes_show_commands_and_the_extraction_finds_them():
    texts = [c.text for c in COMMANDS]
    assert any("commitments-of --bind debtor=kg:lao-cai" in t for t in texts)
    assert any(c.output for c in COMMANDS)  # console blocks with their output
    assert {c.readme for c in COMMANDS} == {"README.md", "README.vi.md"}
    assert any(t.startswith("coopkg load ") for t in texts)


def _skip_reason(text: str) -> str | None:
    for host, port in URL.findall(text):
        if host not in LOOPBACK:
            return f"needs the network ({host})"
        if port and int(port) in SKIPPED_PORTS:
            return SKIPPED_PORTS[int(port)]
    return None


def _words(text: str) -> list[str]:
    return shlex.split(text, comments=True)


def _prepared(command: Command, port: int | None) -> str:
    """The command as bash runs it: the venv's coopkg, placeholders filled, port 7878 pointed
    at the test's server."""
    text = command.text
    if text.startswith(".venv/bin/coopkg"):
        text = str(BIN / "coopkg") + text[len(".venv/bin/coopkg") :]
    for word in set(_words(text)):
        if re.fullmatch(r"[A-Z][A-Z_]{2,}", word):
            assert word in PLACEHOLDERS, f"{command.id}: unknown placeholder {word}"
    for name, value in PLACEHOLDERS.items():
        text = re.sub(rf"\b{name}\b", value, text)
    if port is not None:
        text = re.sub(rf"(127\.0\.0\.1|localhost):{OXIGRAPH_PORT}\b", f"127.0.0.1:{port}", text)
    return text


def _env() -> dict[str, str]:
    env = dict(os.environ, COOPKG_HOME=str(ROOT), PYTHONIOENCODING="utf-8")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("COLUMNS", None)  # output as it is in a pipe, whatever terminal runs the tests
    return env


@pytest.fixture(scope="module")
def loaded_oxigraph(module_oxigraph_factory, tmp_path_factory):
    """The README's Oxigraph server (`--union-default-graph`) with the graph loaded."""
    location = tmp_path_factory.mktemp("readme") / "oxigraph-db"
    server = module_oxigraph_factory(location, union_default_graph=True)
    load = subprocess.run(
        [str(BIN / "coopkg"), "load", server.store_url],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert load.returncode == 0, load.stderr
    return server


def _run_serve(text: str, cwd: Path) -> None:
    """`coopkg serve …` on a free port: it must answer a query, then stop cleanly by its pid."""
    port = free_port()
    if re.search(r"--port[ =]\d+", text):
        text = re.sub(r"--port[ =]\d+", f"--port {port}", text)
    else:
        text += f" --port {port}"
    process = subprocess.Popen(
        ["bash", "-c", f"exec {text}"],
        cwd=cwd,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/query?" + urllib.parse.urlencode({"query": "ASK {}"})
        deadline = time.monotonic() + 60
        answered = False
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    answered = response.status == 200
                    break
            except OSError:
                time.sleep(0.2)
        assert answered, (
            process.stderr.read().decode() if process.poll() is not None else "no answer"
        )
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=20)
    assert process.returncode == 0, process.stderr.read().decode()


def _blocks() -> list[list[Command]]:
    """The commands grouped by code block: a block is a sequence (build, then query the store)."""
    blocks: dict[tuple[str, int], list[Command]] = {}
    for command in COMMANDS:
        blocks.setdefault((command.readme, command.block), []).append(command)
    return list(blocks.values())


def _params():
    for block in _blocks():
        marks = []
        texts = [c.text for c in block]
        if any(_skip_reason(t) is None and re.search(rf":{OXIGRAPH_PORT}\b", t) for t in texts):
            marks = [pytest.mark.server, pytest.mark.slow]
        elif any(_words(t)[1] == "serve" for t in texts):
            marks = [pytest.mark.server, pytest.mark.slow]
        elif any(_words(t)[1] in ("validate", "diagram", "build") for t in texts):
            marks = [pytest.mark.slow]
        yield pytest.param(block, id=f"{block[0].readme}:{block[0].block}", marks=marks)


@pytest.mark.parametrize("block", list(_params()))
def test_readme_commands_succeed_as_shown(block, request, tmp_path):
    """Each command of a code block, in order, in one scratch directory."""
    reasons = [(c, _skip_reason(c.text)) for c in block]
    if all(reason for _, reason in reasons):
        pytest.skip("; ".join(f"{c.text}: {reason}" for c, reason in reasons))
    assert not any(reason for _, reason in reasons), f"a block mixes skipped commands: {reasons}"
    for name, content in OWN_FILES.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for command in block:
        run_as_shown(command, request, tmp_path)


def run_as_shown(command: Command, request, cwd: Path) -> None:
    port = None
    if re.search(rf":{OXIGRAPH_PORT}\b", command.text):
        port = request.getfixturevalue("loaded_oxigraph").port
    text = _prepared(command, port)
    if _words(command.text)[1] == "serve":
        _run_serve(text, cwd)
        return
    proc = subprocess.run(
        ["bash", "-c", text], cwd=cwd, env=_env(), capture_output=True, timeout=300
    )
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    if command.output is not None and command.output.startswith("coopkg: error:"):
        assert proc.returncode != 0 and err.rstrip("\n") == command.output, (command.id, err)
        return
    assert proc.returncode == 0, f"{command.id}: `{command.text}` exited {proc.returncode}: {err}"
    if command.output is not None:
        assert out.rstrip("\n") == command.output.rstrip("\n"), command.id
