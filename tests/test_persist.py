"""coopkg.persist: build a persistent store atomically, open it read-only, cache by file hashes."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from cli_helpers import assert_one_line_error, coopkg

from coopkg import persist
from coopkg.errors import CoopkgError

EX = "http://example.org/"
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX}p> ?o }}"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def inputs(tmp_path) -> list[Path]:
    nt = write(tmp_path / "a.nt", f'<{EX}a> <{EX}p> "một"@vi .\n<{EX}b> <{EX}p> "hai"@vi .\n')
    ttl = write(tmp_path / "b.ttl", f'@prefix ex: <{EX}> .\nex:c ex:p "ba"@vi .\n')
    return [nt, ttl]


def count(store: ox.Store) -> int:
    return int(next(iter(store.query(COUNT)))["n"].value)


def test_build_then_open_read_only_sees_every_triple(inputs, tmp_path):
    manifest = persist.build(inputs, tmp_path / "store")
    assert manifest["triples"] == 3
    assert [Path(e["path"]).name for e in manifest["inputs"]] == ["a.nt", "b.ttl"]
    store = persist.open_read_only(tmp_path / "store")
    assert count(store) == 3
    # Read-only really is read-only.
    with pytest.raises(RuntimeError, match="read-write"):
        store.add(ox.Quad(ox.NamedNode(f"{EX}x"), ox.NamedNode(f"{EX}p"), ox.Literal("x")))


def test_two_read_only_opens_of_one_store_coexist(inputs, tmp_path):
    persist.build(inputs, tmp_path / "store")
    first = persist.open_read_only(tmp_path / "store")
    second = persist.open_read_only(tmp_path / "store")
    assert count(first) == count(second) == 3


def test_failed_build_leaves_the_old_store_and_no_temporary_directory(inputs, tmp_path):
    persist.build(inputs, tmp_path / "store")
    bad = write(tmp_path / "bad.ttl", f"@prefix ex: <{EX}> .\nex:a ex:p .\n")
    with pytest.raises(CoopkgError, match=r"bad\.ttl:2:\d+: "):
        persist.build([inputs[0], bad], tmp_path / "store")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.nt", "b.ttl", "bad.ttl", "store"]
    assert count(persist.open_read_only(tmp_path / "store")) == 3


def test_rebuild_replaces_the_store_contents(inputs, tmp_path):
    persist.build(inputs, tmp_path / "store")
    persist.build(inputs[:1], tmp_path / "store")
    assert count(persist.open_read_only(tmp_path / "store")) == 2


def test_opening_a_directory_that_is_no_store_is_a_one_line_error(tmp_path):
    with pytest.raises(CoopkgError, match="no coopkg store here; run `coopkg build --store"):
        persist.open_read_only(tmp_path)


def test_building_into_a_foreign_non_empty_directory_is_refused(inputs, tmp_path):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    write(foreign / "notes.txt", "mine")
    with pytest.raises(CoopkgError, match="is not a coopkg store"):
        persist.build(inputs, foreign)
    assert (foreign / "notes.txt").read_text() == "mine"


def test_missing_input_is_named(tmp_path):
    with pytest.raises(CoopkgError, match=r"nope\.ttl: no such file"):
        persist.build([tmp_path / "nope.ttl"], tmp_path / "store")


def test_cache_is_reused_while_files_are_unchanged_and_rebuilt_when_one_changes(inputs, tmp_path):
    cache = tmp_path / "cache"
    first = persist.cached_store_dir(inputs, cache)
    mtime = (first / persist.MANIFEST).stat().st_mtime_ns
    assert persist.cached_store_dir(inputs, cache) == first
    assert (first / persist.MANIFEST).stat().st_mtime_ns == mtime  # not rebuilt
    assert persist.is_current(first, inputs)

    write(inputs[1], f'@prefix ex: <{EX}> .\nex:c ex:p "ba"@vi .\nex:d ex:p "bốn"@vi .\n')
    assert not persist.is_current(first, inputs)
    second = persist.cached_store_dir(inputs, cache)
    assert second != first
    assert count(persist.cached(inputs, cache)) == 4


def test_cache_keeps_only_a_few_stores(inputs, tmp_path):
    cache = tmp_path / "cache"
    for i in range(persist.CACHE_KEEP + 2):
        write(inputs[1], f'@prefix ex: <{EX}> .\nex:c ex:p "{i}" .\n')
        built = persist.cached_store_dir(inputs, cache)
        # Distinct mtimes, so "most recent" is well defined even on coarse clocks.
        os.utime(built / persist.MANIFEST, (i + 1, i + 1))
    assert len(list((cache / "stores").iterdir())) == persist.CACHE_KEEP


def test_cli_build_then_query_the_store(inputs, tmp_path):
    built = coopkg("build", "a.nt", "b.ttl", "--store", "st", cwd=tmp_path)
    assert built.code == 0, built.err
    assert built.out == "built st: 3 triples from 2 file(s)\n"
    query = f"SELECT ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?o"
    ran = coopkg("query", "-e", query, "--format", "csv", "--store", "st", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert ran.out.splitlines() == ["o", "ba", "hai", "một"]


def test_cli_query_on_a_missing_store_is_one_line_exit_2(tmp_path):
    ran = coopkg("query", "-e", "ASK {}", "--store", "nowhere", cwd=tmp_path)
    assert ran.code == 2
    assert ran.err == (
        "coopkg: error: nowhere: no coopkg store here; run `coopkg build --store nowhere`\n"
    )


def test_cli_build_parse_error_names_file_and_line(tmp_path):
    write(tmp_path / "bad.ttl", f"@prefix ex: <{EX}> .\nex:a ex:p .\n")
    ran = coopkg("build", "bad.ttl", "--store", "st", cwd=tmp_path)
    assert_one_line_error(ran, "coopkg: error: bad.ttl:2:")
    assert not (tmp_path / "st").exists()
