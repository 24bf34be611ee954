"""`coopkg site` and `coopkg export` are reproducible: two runs on the same project write the
same bytes, whatever the interpreter's hash seed (which orders Python sets, and so whatever a
sort leaves tied or a library takes from a set).

The seed is fixed when an interpreter starts, so each run is a real `python -m coopkg`
process with its own PYTHONHASHSEED. Seeds 1 and 2 ordered the project's terms differently
when the site and the JSON-LD export depended on them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from cli_helpers import PROCESS_TIMEOUT_S, ROOT, process_env

from coopkg import export
from coopkg.web.describe import COOP, ONTOLOGY, Graph, Value, value_order

BASE = "https://site.example/coopkg"
SEEDS = ("1", "2")


def run(seed: str, *args: str) -> bytes:
    """`coopkg ARGS` on the project in a process started with PYTHONHASHSEED=seed; stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "coopkg", *args],
        capture_output=True,
        env=process_env(ROOT, PYTHONHASHSEED=seed),
        cwd=ROOT,
        timeout=PROCESS_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_two_site_builds_with_different_hash_seeds_are_byte_identical(tmp_path):
    outs = [tmp_path / f"seed-{seed}" for seed in SEEDS]
    for out, seed in zip(outs, SEEDS, strict=True):
        run(seed, "site", "--out", str(out), "--base-url", BASE)
    first, second = (files(out) for out in outs)
    assert sorted(first) == sorted(second), "the two builds wrote different files"
    assert len(first) > 1000  # the whole site, not an empty folder
    assert "doc/ontology.ttl" in first
    differing = [name for name in sorted(first) if first[name] != second[name]]
    assert not differing, (
        f"PYTHONHASHSEED={SEEDS[0]} and {SEEDS[1]} built different bytes: {differing[0]}"
        f" (and {len(differing) - 1} more files)"
    )


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "nt"])
def test_two_exports_with_different_hash_seeds_are_byte_identical(fmt):
    first, second = (run(seed, "export", "--format", fmt) for seed in SEEDS)
    assert len(first) > 100_000  # the whole graph
    if first != second:
        at = next(
            (i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b),
            min(len(first), len(second)),
        )
        pytest.fail(
            f"export --format {fmt}: PYTHONHASHSEED={SEEDS[0]} and {SEEDS[1]} differ at byte {at}"
        )


# --- the orders themselves, in this process -------------------------------------------------


def test_ontology_terms_differing_only_in_case_are_in_one_order():
    """Names are compared case ignored, then exactly: coop:Polarity (the class) comes before
    coop:polarity (the property), whichever the store or a set gives first."""
    names = ["polarity", "Polarity", "assessedBy", "Assessment", "POLARITY"]
    for order in (names, names[::-1]):
        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode(ONTOLOGY), ox.NamedNode(COOP + "p"), ox.Literal("o")))
        for name in order:
            store.add(ox.Quad(ox.NamedNode(COOP + name), ox.NamedNode(COOP + "p"), ox.Literal("o")))
        terms = Graph(store, root=ROOT).ontology_terms()
        assert terms == [ONTOLOGY] + [
            COOP + n for n in ("assessedBy", "Assessment", "POLARITY", "Polarity", "polarity")
        ]


def test_shown_values_tied_on_their_text_are_ordered_by_what_else_tells_them_apart():
    values = [
        Value("iri", "Hà Nội", iri="https://example.org/b"),
        Value("literal", "hà nội", lang="vi"),
        Value("iri", "Hà Nội", iri="https://example.org/a"),
        Value("literal", "Hà Nội", lang="vi"),
        Value("literal", "Hà Nội", lang="en"),
    ]
    for start in (values, values[::-1]):
        ordered = sorted(start, key=value_order)
        assert [(v.text, v.iri, v.lang) for v in ordered] == [
            ("Hà Nội", "", "en"),
            ("Hà Nội", "", "vi"),
            ("Hà Nội", "https://example.org/a", ""),
            ("Hà Nội", "https://example.org/b", ""),
            ("hà nội", "", "vi"),
        ]


def test_jsonld_lists_nodes_by_id_and_values_sorted_but_keeps_an_rdf_list_in_order():
    subjects = [f"https://w3id.org/coopkg/id/n{i:02d}" for i in range(40)]
    turtle = (
        "".join(f'<{s}> <https://example.org/q> "z", "y", "x" .\n' for s in reversed(subjects))
        + '<https://w3id.org/coopkg/id/n00> <https://example.org/p> ( "b" "a" "c" ) .\n'
    )
    document = json.loads(export.jsonld(list(ox.parse(turtle.encode(), ox.RdfFormat.TURTLE))))
    nodes = [n for n in document["@graph"] if n["id"].startswith("kg:n")]
    assert [n["id"] for n in nodes] == [f"kg:n{i:02d}" for i in range(40)]
    assert all(n["https://example.org/q"] == ["x", "y", "z"] for n in nodes)
    assert nodes[0]["https://example.org/p"] == {"@list": ["b", "a", "c"]}
