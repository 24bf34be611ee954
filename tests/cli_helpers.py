"""Run the real `coopkg` entry point as a subprocess against the fixture project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli"
PROJECT = FIXTURES / "project"


@dataclass
class Run:
    code: int
    out: str
    err: str


def coopkg(*args: str, home: Path = PROJECT, stdin: str | None = None, cwd: Path | None = None):
    """`python -m coopkg ARGS` with COOPKG_HOME=home; stdout kept byte-exact (CRLF stays)."""
    env = dict(os.environ, COOPKG_HOME=str(home), PYTHONIOENCODING="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "coopkg", *args],
        input=stdin.encode("utf-8") if stdin is not None else None,
        capture_output=True,
        env=env,
        cwd=cwd or home,
        timeout=60,
    )
    return Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))


def copy_project(tmp_path: Path) -> Path:
    """A writable copy of the fixture project, for variants (broken files, missing checks)."""
    target = tmp_path / "project"
    shutil.copytree(PROJECT, target)
    return target


def assert_one_line_error(run: Run, phrase: str, code: int = 2) -> None:
    """Exit code, the phrase in a single 'coopkg: error:' line, no traceback, nothing on stdout."""
    assert run.code == code, run
    assert run.out == "", run
    assert "Traceback" not in run.err, run.err
    # One error line; a SPARQL syntax error adds its query line and a caret, indented.
    lines = run.err.splitlines()
    assert all(line.startswith("  ") for line in lines[1:]), run.err
    assert len(lines) == 1 or (len(lines) == 3 and lines[2].strip() == "^"), run.err
    assert lines[0].startswith("coopkg: error: "), run.err
    assert phrase in lines[0], run.err
