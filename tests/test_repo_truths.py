"""Small truths about the repository: what `coopkg queries` and `coopkg stats` show is right and
fits the terminal, the README lists every script, the code's licence file matches pyproject,
`make bench-quick` writes no tracked file, and `make expected` sees what the tests see."""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

from cli_helpers import stdout_of

from coopkg import graph, results, terms
from coopkg import query as q
from coopkg.namespaces import XSD

ROOT = Path(__file__).resolve().parent.parent


# --- coopkg queries -----------------------------------------------------------------------------


def test_queries_wraps_to_the_terminal_and_lists_every_query():
    for width in (80, 120):
        out = stdout_of("queries", columns=width)
        assert max(results._width(line) for line in out.splitlines()) <= width
        names = [line for line in out.splitlines() if line and not line.startswith(" ")]
        assert names == list(q.named_queries())


def test_every_bind_example_that_queries_shows_runs_and_finds_rows():
    out = stdout_of("queries")  # a pipe: one line per entry
    store = graph.open_store()
    blocks = out.strip().split("\n\n")
    assert len(blocks) == len(q.named_queries())
    tried = 0
    for block in blocks:
        name, _question, bind = block.splitlines()
        assert bind.startswith("    bind: "), block
        for example in re.findall(r"\(e\.g\. --bind ([^)]*?)\)(?:,|;|$)", bind):
            (word,) = shlex.split(example)
            variable, term = terms.parse_binding(word)
            query = q.bind(q.resolve(name), {variable: term})
            rows = list(q.run_embedded(store, query))
            assert rows, f"{name}: --bind {word} gives no row"
            tried += 1
    assert tried >= len(blocks) - 1  # every SELECT query has an example


def test_commitments_of_lao_cai_are_the_five_joint_ones():
    out = stdout_of("query", "commitments-of", "--bind", "debtor=kg:lao-cai", "--format", "csv")
    rows = out.strip().splitlines()[1:]
    assert len(rows) == 5 and all(",true," in r for r in rows)  # Lào Cai commits only jointly


# --- coopkg stats -------------------------------------------------------------------------------


def test_stats_field_by_debtor_table_counts_what_the_graph_says():
    doc = json.loads(stdout_of("stats", "--format", "json"))
    cells = {(c["debtor"], c["field"]): c["count"] for c in doc["commitments_by_debtor_and_field"]}
    store = graph.open_store()
    text = """PREFIX coop: <https://w3id.org/coopkg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?d ?f ?c WHERE {
      ?c a/rdfs:subClassOf* coop:Commitment ; coop:debtor ?d ; coop:field ?f
    }"""
    want: dict[tuple[str, str], set[str]] = {}
    for r in store.query(text):
        key = (terms.compact(r["d"].value), terms.compact(r["f"].value))
        want.setdefault(key, set()).add(r["c"].value)
    assert cells == {k: len(v) for k, v in want.items()}
    assert cells[("kg:lao-cai", "kg:field-tourism")] == 2
    assert ("kg:lao-cai", "kg:field-it-application") not in cells  # Hà Nội's alone


def test_stats_table_fits_the_terminal():
    out = stdout_of("stats", columns=80)
    table = out.split("commitments by field and debtor:\n", 1)[1]
    assert table.splitlines()[0].split("|")[1:] == [" Hà Nội ", " Lào Cai ", " all"]
    assert max(results._width(line) for line in table.splitlines()) <= 80


# --- README, licence, make ----------------------------------------------------------------------


def test_readme_layout_table_lists_every_script():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `scripts/` |"))
    for script in sorted((ROOT / "scripts").glob("*.py")):
        assert f"`{script.name}`" in row, script.name


def test_code_licence_file_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    licence = project["license"]
    name = licence if isinstance(licence, str) else licence.get("text")
    assert name == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in text
    assert "LICENSE-DATA" in text and (ROOT / "LICENSE-DATA").exists()


def test_bench_quick_does_not_write_the_tracked_results():
    done = subprocess.run(
        ["make", "-n", "bench-quick"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    runs = [line for line in done.stdout.splitlines() if "bench/run.py" in line]
    assert runs and all("--no-write" in line for line in runs), done.stdout


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_expected_answers_are_up_to_date_and_compared_like_the_tests():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "expected_results.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    same = load_script("expected_results").same_answer
    row_a = {"x": {"type": "literal", "value": "1"}}
    row_b = {"x": {"type": "literal", "value": "2"}}
    typed = {"x": {"type": "literal", "value": "1", "datatype": XSD + "string"}}

    def doc(*rows):
        return {"head": {"vars": ["x"]}, "results": {"bindings": list(rows)}}

    assert same(doc(row_a, row_b), doc(row_b, row_a))  # order does not matter
    assert same(doc(row_a), doc(typed))  # a plain literal is an xsd:string
    assert not same(doc(row_a), doc(row_b))
    assert not same(doc(row_a, row_a), doc(row_a))  # nor do duplicates vanish
