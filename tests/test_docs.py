"""Generated documentation: the pyLODE ontology reference, docs/queries.md, the two READMEs."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from coopkg.namespaces import COOP

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "coopkg.ttl"
TERM_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
)

sys.path.insert(0, str(ROOT / "scripts"))
import build_docs  # noqa: E402
import gen_query_docs  # noqa: E402


def visible_text(page: str) -> str:
    """The page's text as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY, format="turtle")
    return graph


@pytest.fixture(scope="module")
def terms(ontology) -> list[URIRef]:
    found = {
        s
        for t in TERM_TYPES
        for s in ontology.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(COOP)
    }
    assert len(found) > 10, "too few coop: terms found: wrong file or wrong namespace?"
    return sorted(found)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> str:
    """docs/ontology.html built afresh by the real script, into a temporary folder."""
    out = tmp_path_factory.mktemp("docs")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_docs.py"), "--only", "ontology"]
        + ["--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return (out / "ontology.html").read_text(encoding="utf-8")


def test_reference_names_every_class_and_property_in_both_languages(built, ontology, terms):
    text = visible_text(built)
    for term in terms:
        local = str(term)[len(COOP) :]
        assert f"<code>{term}</code>" in built, f"{term} has no entry"
        assert f'id="{local}"' in built, f"{term} has no #{local} anchor"
        for lang in ("en", "vi"):
            labels = [o for o in ontology.objects(term, SKOS.prefLabel) if o.language == lang]
            labels = labels or [o for o in ontology.objects(term, RDFS.label) if o.language == lang]
            assert labels, f"{term} has no @{lang} label in the ontology"
            assert squash(str(labels[0])) in text, f"{term}'s @{lang} label is not shown"


def test_reference_shows_both_languages_definitions(built, ontology, terms):
    text = visible_text(built)
    shown = 0
    for term in terms:
        for definition in ontology.objects(term, SKOS.definition):
            assert squash(str(definition)) in text, f"{term}: definition not shown: {definition}"
            shown += 1
    assert shown >= len(terms), "fewer definitions than terms: are definitions read at all?"
    assert 'lang="vi"' in built


def test_reference_shows_the_ontology_version(built, ontology):
    (header,) = ontology.subjects(RDF.type, OWL.Ontology)
    version_info = ontology.value(header, OWL.versionInfo)
    version_iri = ontology.value(header, OWL.versionIRI)
    assert version_info is not None and version_iri is not None
    text = visible_text(built)
    assert f"Version Info {version_info}" in text
    assert f'<a href="{version_iri}">{version_iri}</a>' in built


def test_reference_fetches_nothing_from_the_network(built):
    assert build_docs.network_fetches(built) == []
    assert "<style>" in built  # pyLODE's stylesheet is inlined, not linked


@pytest.mark.parametrize(
    "snippet",
    [
        '<link rel="stylesheet" href="https://cdn.example.org/pylode.css">',
        '<script src="https://cdn.example.org/x.js"></script>',
        '<img src="https://example.org/logo.png">',
        "<style>@import 'https://fonts.example.org/font.css';</style>",
        "<style>body { background: url(https://example.org/bg.png) }</style>",
    ],
)
def test_network_fetch_detector_catches_what_a_browser_would_load(snippet):
    assert build_docs.network_fetches(snippet)


def test_network_fetch_detector_ignores_inline_data_and_plain_links():
    page = (
        '<link rel="icon" href="data:image/png;base64,AAAA"><a href="https://w3id.org/x">x</a>'
        '<a href="#Commitment">c</a>'
    )
    assert build_docs.network_fetches(page) == []


def test_committed_reference_is_up_to_date(built):
    committed = ROOT / "docs" / "ontology.html"
    assert committed.read_text(encoding="utf-8") == built, (
        "docs/ontology.html differs from what ontology/coopkg.ttl gives: run `make docs`"
    )


def test_missing_ontology_is_one_line_exit_2(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_docs.py"), "--only", "ontology"]
        + ["--ontology", str(tmp_path / "nope.ttl"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "nope.ttl: no such file" in done.stderr


def test_queries_page_is_up_to_date():
    committed = ROOT / "docs" / "queries.md"
    assert committed.read_text(encoding="utf-8") == gen_query_docs.render(), (
        "docs/queries.md is out of date: run `make docs`"
    )


def test_queries_page_has_every_named_query_with_both_questions_and_a_result():
    page = gen_query_docs.render()
    names = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    assert names, "no queries/*.rq found"
    sections = re.split(r"^## ", page, flags=re.M)[1:]
    assert sorted(s.split("\n", 1)[0] for s in sections) == names
    for section in sections:
        assert "**Question:** " in section and "**Câu hỏi:** " in section
        assert "```sparql\n" in section
        assert re.search(r"^Result\b", section, re.M), section[:80]


def test_readmes_link_each_other():
    vi = (ROOT / "README.vi.md").read_text(encoding="utf-8")
    en = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(README.md)" in vi
    assert "(README.vi.md)" in en


@pytest.mark.parametrize("block", gen_query_docs.README_BLOCKS, ids=lambda b: b.path.name)
def test_readme_result_block_is_up_to_date(block):
    text = block.path.read_text(encoding="utf-8")
    assert block.begin in text, f"{block.path.name} lost its generated result block"
    assert gen_query_docs.splice_readme(text, block) == text, (
        f"{block.path.name}'s result is stale: make docs"
    )


def test_english_readme_block_shows_every_commitment_in_english():
    block = next(b for b in gen_query_docs.README_BLOCKS if b.lang == "en")
    table = gen_query_docs.readme_table(block)
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert table.startswith("12 commitments:")  # the article states 12 commitments
    assert len(rows) == 1 + 12  # heading + one row per commitment
    assert "| Hà Nội | Lào Cai | Help one to two communes" in table
    assert "@en" not in table and "@vi" not in table


def test_changelog_names_the_ontology_version(ontology):
    (header,) = ontology.subjects(RDF.type, OWL.Ontology)
    version = str(ontology.value(header, OWL.versionInfo))
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
    assert f"## [{version}]" in changelog
