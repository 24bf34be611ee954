"""Never succeed on a partial graph: every command run on a broken copy of the real project
(COOPKG_HOME) fails with one `coopkg: error:` line and exit 2, never a silent 0.

Each case copies ontology/, data/, shapes/ and queries/ of this checkout into a temporary
project, breaks one thing (a file removed, emptied, or reduced to prefixes only; the queries
folder removed or emptied) and runs the commands that read the broken part from another
directory. Nothing may reach stdout (no "triples: 0", no empty export, no "conforms").
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, coopkg

ROOT = Path(__file__).resolve().parent.parent
PREFIXES_ONLY = b"@prefix kg: <https://w3id.org/coopkg/id/> .\n# nothing else\n"

# The commands that read the project graph, with arguments that need no server. `load` is
# pointed at a closed port: it must fail on the graph before it tries the network.
GRAPH_COMMANDS = [
    ("query", "who-committed-what", "--format", "csv"),
    ("query", "-e", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"),
    ("stats",),
    ("export", "--format", "nt"),
    ("export", "--format", "ttl", "--entailment", "none"),
    ("validate",),
    ("validate", "--engine", "pyshacl"),
    ("check",),
    ("diagram",),
    ("links",),
    ("build", "--store", "store"),
    ("load", "http://127.0.0.1:9/store", "--timeout", "2"),
    ("serve", "--port", "9", "--cache-dir", "cache"),
    ("site", "--out", "site"),
    ("draft", str(ROOT / "data/source/2017-05-17-ha-noi-lao-cai-working-session.vi.txt")),
]
# Commands that read the project's ontology and concept schemes with the files they are given.
ONTOLOGY_COMMANDS = [
    ("validate", str(ROOT / "tests/fixtures/cli/invalid.ttl")),
    ("validate", str(ROOT / "tests/fixtures/cli/invalid.ttl"), "--engine", "pyshacl"),
]


def project_copy(tmp_path: Path) -> Path:
    home = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, home / folder)
    return home


def ids(cases):
    return [" ".join(c) for c in cases]


def run_everywhere(home: Path, tmp_path: Path, commands, phrase: str) -> None:
    work = tmp_path / "elsewhere"
    work.mkdir(exist_ok=True)
    for args in commands:
        run = coopkg(*args, home=home, cwd=work)
        assert_one_line_error(run, phrase)
        assert not (work / "store").exists(), "build left a store behind"
        assert not (work / "cache").exists(), "serve built a store"
        assert not (work / "site").exists(), "site wrote pages"


def test_the_intact_copy_works(tmp_path):
    """The control: the same commands on an unbroken copy succeed (so the failures below are
    the breakage's, not the copy's)."""
    home = project_copy(tmp_path)
    for args in [("stats",), ("query", "who-committed-what", "--format", "csv"), ("check",)]:
        run = coopkg(*args, home=home, cwd=tmp_path)
        assert run.code == 0, run
        assert run.out


def test_a_missing_facts_file_is_an_error_for_every_command(tmp_path):
    home = project_copy(tmp_path)
    (home / "data/agreement.ttl").unlink()
    run_everywhere(home, tmp_path, GRAPH_COMMANDS, "data/agreement.ttl: no such file")


@pytest.mark.parametrize("name", ["ontology/coopkg.ttl", "ontology/concepts.ttl"])
def test_a_missing_ontology_or_concept_scheme_file_is_an_error_for_every_command(tmp_path, name):
    """Without the ontology's subclass axioms a query misses the instances of subclasses (a
    joint commitment is a commitment), without the concept schemes it misses the fields' labels
    and hierarchy, and validation misses the classes the shapes refer to: partial answers, so
    an error, as for missing facts."""
    home = project_copy(tmp_path)
    (home / name).unlink()
    run_everywhere(home, tmp_path, [*GRAPH_COMMANDS, *ONTOLOGY_COMMANDS], f"{name}: no such file")


def test_a_missing_ontology_folder_names_its_first_file(tmp_path):
    home = project_copy(tmp_path)
    shutil.rmtree(home / "ontology")
    run_everywhere(home, tmp_path, [("stats",), ("validate",)], "ontology/coopkg.ttl: no such file")


def test_missing_links_are_not_an_error(tmp_path):
    """data/links.ttl is optional: the external identifiers are kept apart from the facts, so
    the answers about the article's facts are the same without them, and a project not linked
    yet says that its entities have no external identifier yet."""
    home = project_copy(tmp_path)
    (home / "data/links.ttl").unlink()
    for args in [("query", "who-committed-what", "--format", "csv"), ("check",)]:
        run = coopkg(*args, home=home, cwd=tmp_path)
        assert run.code == 0, run
        assert run.out == coopkg(*args, home=ROOT, cwd=tmp_path).out
    run = coopkg("links", "lao-cai", home=home, cwd=tmp_path)
    assert (run.code, run.out) == (0, "kg:lao-cai  Lào Cai\n  (no external identifier yet)\n")


@pytest.mark.parametrize(
    ("removed", "kept"),
    [("data/anchors.ttl", "data/spans.ttl"), ("data/spans.ttl", "data/anchors.ttl")],
    ids=["anchors-removed", "spans-removed"],
)
def test_spans_without_anchors_or_anchors_without_spans_are_an_error(tmp_path, removed, kept):
    """The seed's hand-written spans and the anchors generated from them go together: the
    facts grounded in spans that have no position, or positions of no declared span, are a
    partial graph."""
    home = project_copy(tmp_path)
    (home / removed).unlink()
    assert (home / kept).is_file()
    commands = [
        ("query", "who-committed-what", "--format", "csv"),
        ("stats",),
        ("export", "--format", "nt"),
        ("validate",),
        ("check",),
        ("serve", "--port", "9", "--cache-dir", "cache"),
    ]
    run_everywhere(home, tmp_path, commands, f"{removed}: no such file")


@pytest.mark.parametrize(
    "name",
    [
        "data/agreement.ttl",
        "data/spans.ttl",
        "data/anchors.ttl",
        "ontology/coopkg.ttl",
        "ontology/concepts.ttl",
        "data/links.ttl",
    ],
)
@pytest.mark.parametrize("content", [b"", PREFIXES_ONLY], ids=["empty", "prefixes-only"])
def test_an_empty_graph_file_is_an_error(tmp_path, name, content):
    home = project_copy(tmp_path)
    (home / name).write_bytes(content)
    commands = [("stats",), ("export", "--format", "nt"), ("validate",), ("check",), ("serve",)]
    run_everywhere(home, tmp_path, commands, f"{name}: holds no triples")


@pytest.mark.parametrize("content", [None, b"", PREFIXES_ONLY], ids=["missing", "empty", "prefix"])
def test_a_missing_or_empty_shapes_file_is_an_error(tmp_path, content):
    home = project_copy(tmp_path)
    shapes = home / "shapes" / "data-shapes.ttl"
    if content is None:
        shapes.unlink()
        phrase = "no shapes found"
    else:
        shapes.write_bytes(content)
        phrase = "shapes/data-shapes.ttl: holds no triples"
    run_everywhere(
        home, tmp_path, [("validate",), ("validate", "--engine", "pyshacl")], phrase=phrase
    )


@pytest.mark.parametrize("how", ["removed", "emptied"])
def test_a_missing_or_empty_queries_folder_is_an_error(tmp_path, how):
    home = project_copy(tmp_path)
    if how == "removed":
        shutil.rmtree(home / "queries")
        phrase = "queries: no such folder"
    else:
        for path in (home / "queries").glob("*.rq"):
            path.unlink()
        phrase = "queries: no named query (*.rq)"
    run_everywhere(home, tmp_path, [("query", "who-committed-what"), ("queries",)], phrase)
    if how == "removed":
        run_everywhere(home, tmp_path, [("check",)], "no quality checks found")


def test_a_project_folder_that_does_not_exist(tmp_path):
    missing = tmp_path / "nowhere"
    run_everywhere(missing, tmp_path, [("stats",), ("export", "--format", "nt")], "nowhere")
    run = coopkg("--project", str(missing), "stats", cwd=tmp_path)
    assert_one_line_error(run, "--project")


def test_project_option_points_at_a_working_copy(tmp_path):
    """`--project DIR` wins over COOPKG_HOME: a broken home, a good project, the right answer."""
    good = project_copy(tmp_path)
    broken = tmp_path / "broken"
    broken.mkdir()
    run = coopkg("--project", str(good), "stats", home=broken, cwd=tmp_path)
    assert run.code == 0, run
    assert run.out.startswith("triples: ")
    assert run.out == coopkg("stats", home=ROOT, cwd=tmp_path).out
