"""The test toolkit itself: an in-process run of `coopkg` answers what the real process answers,
byte for byte, and leaves nothing behind for the next test (environment, working directory,
standard streams, a previous project)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from cli_helpers import PROJECT, coopkg, coopkg_process, copy_project

CASES = [
    ("query", "who-committed-what", "--lang", "vi", "--format", "csv"),  # CRLF and diacritics
    ("query", "debtors-of-a", "--format", "nt"),  # written through sys.stdout.buffer
    ("validate",),  # exit code 0 with a warning
    ("check",),  # exit code 1
    ("query", "who-commited-what"),  # one-line error, exit code 2
    ("--version",),  # SystemExit from argparse
    (),  # no command: help on stderr, exit code 2
]


@pytest.mark.slow  # one interpreter start-up per case
@pytest.mark.parametrize("args", CASES, ids=lambda a: " ".join(a) or "no-args")
def test_in_process_run_answers_what_the_process_answers(args):
    assert coopkg(*args) == coopkg_process(*args)


def test_stdin_given_as_text_or_bytes():
    query = "SELECT ?n WHERE { VALUES ?n { 1 } }"
    as_text = coopkg("query", "-", "--format", "csv", stdin=query)
    assert as_text == coopkg("query", "-", "--format", "csv", stdin=query.encode("utf-8"))
    assert (as_text.code, as_text.out) == (0, "n\r\n1\r\n")


def test_a_run_puts_back_the_environment_directory_and_streams(tmp_path, monkeypatch):
    monkeypatch.delenv("COOPKG_HOME", raising=False)
    before = (dict(os.environ), Path.cwd(), sys.stdin, sys.stdout, sys.stderr)
    coopkg("stats", cwd=tmp_path)
    coopkg("--debug", "query", "who-commited-what")  # an exception through cli.main
    assert (dict(os.environ), Path.cwd(), sys.stdin, sys.stdout, sys.stderr) == before


def test_nothing_of_one_project_leaks_into_the_next_run(tmp_path):
    """Two projects in turn, in one process: each run reads its own project's files."""
    other = copy_project(tmp_path)
    (other / "queries/qc/commitment-without-creditor-violation.rq").unlink()
    for _ in range(2):
        assert coopkg("check").code == 1
        assert coopkg("check", home=other).code == 0
    assert coopkg("stats", home=PROJECT).out.startswith("triples: 41\n")
    (other / "data/agreement.ttl").write_text('<urn:x:s> <urn:x:p> "o" .\n', encoding="utf-8")
    # the ontology's 7 + the concept scheme's 11 + 1
    assert coopkg("stats", home=other).out.startswith("triples: 19\n")
