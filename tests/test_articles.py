"""Many articles, one dataset: a second article's graph in data/articles/ of a temporary copy of
the project (the draft of a fictional test text, never the real data/) is loaded with the seed
article, answered by the dataset's queries, and exported in a named graph of its own."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import rdflib
from cli_helpers import assert_one_line_error, coopkg
from test_data import check_article_graph

from coopkg import namespaces, paths

ROOT = Path(__file__).resolve().parent.parent
TEXT = ROOT / "tests" / "fixtures" / "draft" / "hai-phong-dien-bien.vi.txt"
SLUG = "2019-11-08-hai-phong-dien-bien"
SECOND_GRAPH = namespaces.GRAPH_BASE + SLUG
COOP = rdflib.Namespace("https://w3id.org/coopkg/ontology#")
KG = rdflib.Namespace("https://w3id.org/coopkg/id/")


def copy_project(target: Path) -> Path:
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


@pytest.fixture(scope="module")
def seed_only(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("seed-only"))


@pytest.fixture(scope="module")
def two_articles(tmp_path_factory) -> Path:
    """The project plus the draft of one fictional test text as data/articles/<slug>.ttl, its
    source copied to the coop:localPath the draft gives."""
    home = copy_project(tmp_path_factory.mktemp("two-articles"))
    (home / "data" / "articles").mkdir()
    out = home / "data" / "articles" / f"{SLUG}.ttl"
    run = coopkg("draft", str(TEXT), "--out", str(out), home=home)
    assert run.code == 0, run.err
    draft = rdflib.Graph().parse(out, format="turtle")
    [local] = list(draft.objects(None, COOP.localPath))
    assert str(local) == f"data/source/{SLUG}.vi.txt"
    shutil.copyfile(TEXT, home / str(local))
    return home


def commitments(graph_file: Path) -> set[str]:
    """The commitments a graph file states (joint ones included), read with rdflib."""
    graph = rdflib.Graph().parse(graph_file, format="turtle")
    kinds = (COOP.Commitment, COOP.JointCommitment)
    return {str(s) for kind in kinds for s in graph.subjects(rdflib.RDF.type, kind)}


def column(run, name: str) -> list[str]:
    assert run.code == 0, run.err
    return [row[name] for row in csv.DictReader(io.StringIO(run.out))]


def test_article_files_are_the_seed_then_data_articles_by_name(two_articles, monkeypatch):
    (two_articles / "data" / "articles" / "notes.txt").write_text("not a graph", encoding="utf-8")
    monkeypatch.setenv("COOPKG_HOME", str(two_articles))
    data = two_articles / "data"
    assert paths.article_files() == [
        (namespaces.GRAPH_IRI, data / "agreement.ttl"),
        (SECOND_GRAPH, data / "articles" / f"{SLUG}.ttl"),
    ]
    assert [p.relative_to(two_articles).as_posix() for p in paths.graph_files()] == [
        "ontology/coopkg.ttl",
        "ontology/concepts.ttl",
        "data/agreement.ttl",
        "data/spans.ttl",
        "data/anchors.ttl",
        f"data/articles/{SLUG}.ttl",
        "data/links.ttl",
    ]


def test_the_second_article_is_grounded_in_its_own_source(two_articles):
    checked = check_article_graph(two_articles / "data" / "articles" / f"{SLUG}.ttl", two_articles)
    assert checked > 0


def test_who_committed_what_answers_across_both_articles(two_articles):
    seed = commitments(two_articles / "data" / "agreement.ttl")
    second = commitments(two_articles / "data" / "articles" / f"{SLUG}.ttl")
    assert seed and second and not seed & second
    run = coopkg("query", "who-committed-what", "--format", "csv", home=two_articles)
    assert set(column(run, "commitment")) == seed | second


def test_commitments_of_one_locality_answers_across_both_articles(two_articles, seed_only):
    second = commitments(two_articles / "data" / "articles" / f"{SLUG}.ttl")
    draft = rdflib.Graph().parse(two_articles / "data" / "articles" / f"{SLUG}.ttl")
    of_hai_phong = {c for c in second if (rdflib.URIRef(c), COOP.debtor, KG["hai-phong"]) in draft}
    assert of_hai_phong
    run = coopkg("query", "commitments-of", "--bind", "debtor=kg:hai-phong", home=two_articles)
    assert set(column(run, "commitment")) == of_hai_phong
    # Across both: unbound, every debtor of both articles; Lào Cai's rows are the seed's alone.
    every = coopkg("query", "commitments-of", "--format", "csv", home=two_articles)
    assert set(column(every, "debtor")) >= {str(KG["lao-cai"]), str(KG["hai-phong"])}
    bind = ("--bind", "debtor=kg:lao-cai", "--format", "csv")
    assert coopkg("query", "commitments-of", *bind, home=two_articles).out == (
        coopkg("query", "commitments-of", *bind, home=seed_only).out
    )


def plain(graph: rdflib.Graph) -> set[tuple]:
    """The graph's triples with RDF 1.1's xsd:string literals written as plain ones (rdflib
    keeps the datatype a Turtle file spells out; N-Quads from a store leaves it implicit)."""

    def term(t):
        if isinstance(t, rdflib.Literal) and t.datatype == rdflib.XSD.string:
            return rdflib.Literal(str(t))
        return t

    return {(s, p, term(o)) for s, p, o in graph}


def named_graphs(home: Path, *args: str) -> rdflib.Dataset:
    run = coopkg("export", "--format", "nq", *args, home=home)
    assert run.code == 0, run.err
    dataset = rdflib.Dataset()
    dataset.parse(data=run.out, format="nquads")
    return dataset


def test_nq_export_gives_one_named_graph_per_article(two_articles, seed_only):
    dataset = named_graphs(two_articles, "--entailment", "none")
    named = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert named == {namespaces.GRAPH_IRI, SECOND_GRAPH}
    # The second graph is exactly the article's file; the seed's graph is what the project
    # without the second article exports.
    article = rdflib.Graph().parse(two_articles / "data" / "articles" / f"{SLUG}.ttl")
    assert plain(dataset.graph(rdflib.URIRef(SECOND_GRAPH))) == plain(article)
    alone = named_graphs(seed_only, "--entailment", "none")
    assert {str(g.identifier) for g in alone.graphs() if len(g)} == {namespaces.GRAPH_IRI}
    seed_graph = dataset.graph(rdflib.URIRef(namespaces.GRAPH_IRI))
    assert set(seed_graph) == set(alone.graph(rdflib.URIRef(namespaces.GRAPH_IRI)))


def test_an_articles_entailments_go_into_its_own_graph(two_articles):
    draft = rdflib.Graph().parse(two_articles / "data" / "articles" / f"{SLUG}.ttl")
    joint = set(draft.subjects(rdflib.RDF.type, COOP.JointCommitment))
    assert joint, "the draft has no joint commitment to test with"
    assert not any((c, rdflib.RDF.type, COOP.Commitment) in draft for c in joint)
    dataset = named_graphs(two_articles)  # --entailment rdfs, the default
    second = dataset.graph(rdflib.URIRef(SECOND_GRAPH))
    seed = dataset.graph(rdflib.URIRef(namespaces.GRAPH_IRI))
    for c in joint:
        assert (c, rdflib.RDF.type, COOP.Commitment) in second
        assert (c, rdflib.RDF.type, COOP.Commitment) not in seed


def test_triples_formats_merge_every_article(two_articles):
    merged = coopkg("export", "--format", "nt", "--entailment", "none", home=two_articles)
    assert merged.code == 0, merged.err
    lines = set(merged.out.splitlines())
    quads = named_graphs(two_articles, "--entailment", "none")
    assert len(lines) == len({(s, p, o) for s, p, o, _g in quads.quads()})


@pytest.mark.parametrize("name", ["x.draft.ttl", "Ha-Noi.ttl", "ha-noi-lao-cai-2017.ttl"])
def test_a_misnamed_article_file_is_a_one_line_error(tmp_path, name):
    home = copy_project(tmp_path)
    (home / "data" / "articles").mkdir()
    shutil.copyfile(home / "data" / "agreement.ttl", home / "data" / "articles" / name)
    run = coopkg("query", "session-date", home=home)
    assert_one_line_error(run, f"data/articles/{name}")
