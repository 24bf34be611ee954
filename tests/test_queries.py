"""Competency questions and quality checks, run with pyoxigraph over the project graph.

Every queries/*.rq has an expected result queries/expected/<stem>.srj (SPARQL JSON results),
compared order-insensitively; every queries/qc/*-violation.rq returns no row on the project graph
and at least one row on its deliberately broken fixture (tests/fixtures/data/qc/<stem>[-…].ru).
A glob that finds nothing fails.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopkg import paths

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
EXPECTED = QUERIES / "expected"
QC = QUERIES / "qc"
BROKEN = ROOT / "tests" / "fixtures" / "data" / "qc"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def project_files() -> list[Path]:
    files = sorted((ROOT / "ontology").glob("*.ttl")) + [ROOT / f for f in paths.SEED_FILES]
    links = ROOT / "data" / "links.ttl"
    return files + ([links] if links.exists() else [])


def load_project() -> ox.Store:
    store = ox.Store()
    for path in project_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return load_project()


def competency_queries() -> list[Path]:
    return sorted(QUERIES.glob("*.rq"))


def violation_queries() -> list[Path]:
    return sorted(QC.glob("*-violation.rq"))


def normalized(term: dict) -> tuple:
    """One SPARQL JSON term as a comparable tuple (a plain literal is an xsd:string)."""
    kind = "literal" if term["type"] == "typed-literal" else term["type"]
    if kind != "literal":
        return (kind, term["value"])
    lang = term.get("xml:lang")
    datatype = None if lang else term.get("datatype", XSD_STRING)
    return (kind, term["value"], lang, datatype)


def table(results: dict) -> tuple[list[str], Counter]:
    names = results["head"]["vars"]
    rows = Counter(
        tuple(sorted((name, normalized(term)) for name, term in binding.items()))
        for binding in results["results"]["bindings"]
    )
    return names, rows


def run(store: ox.Store, text: str) -> dict:
    answer = store.query(text)
    return json.loads(answer.serialize(format=ox.QueryResultsFormat.JSON))


def test_the_globs_find_queries():
    assert len(competency_queries()) >= 14, f"too few queries under {QUERIES}"
    assert violation_queries(), f"no *-violation.rq under {QC}"
    assert sorted(BROKEN.glob("*.ru")), f"no broken fixture under {BROKEN}"


def test_every_query_has_a_bilingual_header():
    for path in competency_queries() + violation_queries():
        head = path.read_text(encoding="utf-8").split("PREFIX", 1)[0]
        assert "(en)" in head and "(vi)" in head and "Returns:" in head, path.name


def test_every_query_has_an_expected_result_and_no_expected_result_is_orphaned():
    stems = {p.stem for p in competency_queries()}
    expected = {p.stem for p in EXPECTED.glob("*.srj")}
    assert stems - expected == set(), f"queries without expected results: {stems - expected}"
    assert expected - stems == set(), f"expected results without a query: {expected - stems}"


@pytest.mark.parametrize("path", competency_queries(), ids=lambda p: p.stem)
def test_query_gives_the_expected_answer(path, store):
    want_names, want_rows = table(json.loads((EXPECTED / f"{path.stem}.srj").read_text("utf-8")))
    have_names, have_rows = table(run(store, path.read_text(encoding="utf-8")))
    assert have_names == want_names
    assert sum(want_rows.values()) > 0, f"{path.stem}: an empty expectation proves nothing"
    missing = want_rows - have_rows
    extra = have_rows - want_rows
    assert not missing and not extra, f"missing {list(missing)}\nextra {list(extra)}"


@pytest.mark.parametrize("path", violation_queries(), ids=lambda p: p.stem)
def test_quality_check_finds_no_violation(path, store):
    rows = run(store, path.read_text(encoding="utf-8"))["results"]["bindings"]
    assert rows == [], f"FAIL {path.name}: {len(rows)} violation(s): {rows}"


def broken_fixtures() -> list[tuple[Path, Path]]:
    pairs = []
    for fixture in sorted(BROKEN.glob("*.ru")):
        owners = [
            q
            for q in violation_queries()
            if fixture.stem == q.stem or fixture.stem.startswith(q.stem + "-")
        ]
        assert len(owners) == 1, f"{fixture.name} names no (or several) violation queries"
        pairs.append((owners[0], fixture))
    return pairs


def test_every_quality_check_has_a_broken_fixture():
    covered = {query for query, _ in broken_fixtures()}
    assert covered == set(violation_queries()), set(violation_queries()) - covered


@pytest.mark.parametrize("query, fixture", broken_fixtures(), ids=lambda p: p.stem)
def test_quality_check_catches_its_broken_fixture(query, fixture):
    store = load_project()
    store.update(fixture.read_text(encoding="utf-8"))
    rows = run(store, query.read_text(encoding="utf-8"))["results"]["bindings"]
    assert rows, f"{query.name} found nothing in {fixture.name}"


def test_labels_follow_lang_bound_by_a_trailing_values_clause(store):
    """`coopkg query --lang vi` binds ?lang with a trailing VALUES on endpoints: labels follow."""
    text = (QUERIES / "who-committed-what.rq").read_text(encoding="utf-8")
    rows = run(store, text + '\nVALUES ?lang { "vi" }')["results"]["bindings"]
    communes = [r for r in rows if r["commitment"]["value"].endswith("new-rural-communes")]
    assert len(communes) == 1
    row = communes[0]
    assert (row["debtors"]["value"], row["debtors"]["xml:lang"]) == ("Hà Nội", "vi")
    assert row["period"]["value"] == "Thời gian tới"
    assert row["fields"]["value"] == "xây dựng nông thôn mới"
    default = run(store, text)["results"]["bindings"]
    assert {r["period"]["xml:lang"] for r in default} == {"en"}


def test_source_sentence_query_narrows_to_a_bound_commitment(store):
    text = (QUERIES / "commitment-source-sentence.rq").read_text(encoding="utf-8")
    bound = (
        text + "\nVALUES ?commitment { <https://w3id.org/coopkg/id/commitment-new-rural-communes> }"
    )
    rows = run(store, bound)["results"]["bindings"]
    # The sentence, and the opening of the speech that names who said it.
    assert sorted(r["exact"]["value"] for r in rows) == [
        "Phát biểu tại buổi làm việc, đồng chí Hoàng Trung Hải",
        "Trong thời gian tới, Hà Nội sẽ giúp đỡ từ một đến hai xã của tỉnh Lào Cai đạt tiêu chí "
        "xã nông thôn mới.",
    ]
