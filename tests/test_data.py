"""The data (data/agreement.ttl) against its source: spans, checksum, parsing, shapes, reasoning,
labels; the spans and checksum of every article's graph against its own source file. Every
check here reads the article or the graph; no expected value is copied from output."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, BNode, Literal, Namespace, URIRef
from rdflib.namespace import OWL, SKOS

from coopkg.text import ascii_fold

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "agreement.ttl"
ARTICLE = ROOT / "data" / "source" / "2017-05-17-ha-noi-lao-cai-working-session.vi.txt"
ONTOLOGY = ROOT / "ontology" / "coopkg.ttl"
CONCEPTS = ROOT / "ontology" / "concepts.ttl"
SHAPES = ROOT / "shapes" / "data-shapes.ttl"
ANCHOR = ROOT / "scripts" / "anchor_spans.py"

OA = Namespace("http://www.w3.org/ns/oa#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
COOP = Namespace("https://w3id.org/coopkg/ontology#")
SCHEMA = Namespace("http://schema.org/")
KG = Namespace("https://w3id.org/coopkg/id/")
CONTEXT = 32
# Spans and selectors are citations, not entities: they carry no labels.
NOT_ENTITIES = {OA.SpecificResource, OA.TextQuoteSelector, OA.TextPositionSelector}

sys.path.insert(0, str(ROOT / "scripts"))
import anchor_spans  # noqa: E402


def article_files(root: Path) -> list[tuple[str, Path]]:
    """The project's article graphs (coopkg.paths.article_files) under root."""
    import os

    from coopkg import paths

    saved = os.environ.get("COOPKG_HOME")
    os.environ["COOPKG_HOME"] = str(root)
    try:
        return paths.article_files()
    finally:
        if saved is None:
            del os.environ["COOPKG_HOME"]
        else:
            os.environ["COOPKG_HOME"] = saved


@pytest.fixture(scope="module")
def article() -> str:
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def data() -> rdflib.Graph:
    return rdflib.Graph().parse(DATA, format="turtle")


def entities(graph: rdflib.Graph) -> set[URIRef]:
    """Every typed node of the data but the spans and selectors."""
    typed = set(graph.subjects(RDF.type))
    return {s for s in typed if not set(graph.objects(s, RDF.type)) & NOT_ENTITIES}


# ---------------------------------------------------------------- the source and its spans


def test_article_is_the_described_text(article):
    assert len(article) == 4442
    assert unicodedata.is_normalized("NFC", article)
    assert not article.endswith("\n")
    assert article.startswith(" date 2017-05 ")


def article_sources(graph: rdflib.Graph, root: Path) -> dict[URIRef, Path]:
    """Each schema:NewsArticle of an article's graph and the file its coop:localPath names,
    after checking that file's SHA-256 against the one the graph states."""
    found = {}
    for source in sorted(graph.subjects(RDF.type, SCHEMA.NewsArticle), key=str):
        stated = graph.value(graph.value(source, SPDX.checksum), SPDX.checksumValue, any=False)
        assert stated is not None, f"{source} has no spdx:checksum value"
        path = root / str(graph.value(source, COOP.localPath, any=False))
        assert path.is_file(), f"{source}: coop:localPath {path} is no file"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == str(stated), source
        found[source] = path
    return found


def check_article_graph(path: Path, root: Path) -> int:
    """One article's graph against its own source file: its source's checksum, and every span's
    selectors quote that file exactly; the number of spans checked."""
    graph = rdflib.Graph().parse(path, format="turtle")
    sources = article_sources(graph, root)
    assert len(sources) == 1, f"{path.name}: one schema:NewsArticle expected, found {sources}"
    [(source, source_path)] = sources.items()
    text = source_path.read_text(encoding="utf-8")
    checked = 0
    for span, quote, position in spans(graph):
        start = graph.value(position, OA.start).toPython()
        end = graph.value(position, OA.end).toPython()
        exact = str(graph.value(quote, OA.exact))
        assert text[start:end] == exact, f"{span}: text at [{start},{end}) is not oa:exact"
        assert str(graph.value(quote, OA.prefix)) == text[max(0, start - CONTEXT) : start]
        assert str(graph.value(quote, OA.suffix)) == text[end : end + CONTEXT]
        assert (span, OA.hasSource, source) in graph
        checked += 1
    return checked


def spans(graph: rdflib.Graph):
    for span in sorted(graph.subjects(RDF.type, OA.SpecificResource), key=str):
        selectors = list(graph.objects(span, OA.hasSelector))
        quote = [s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph]
        position = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph]
        assert len(quote) == 1 and len(position) == 1, f"{span}: needs one selector of each kind"
        yield span, quote[0], position[0]


def test_seed_article_has_the_sha256_the_graph_states(data):
    assert article_sources(data, ROOT) == {KG["source-article"]: ARTICLE}


@pytest.mark.parametrize("path", [path for _iri, path in article_files(ROOT)], ids=lambda p: p.name)
def test_every_selector_quotes_its_article_exactly(path):
    checked = check_article_graph(path, ROOT)
    least = 40 if path == DATA else 1
    assert checked >= least, f"only {checked} spans found; the glob or the data is wrong"


def test_every_span_is_cited_and_every_citation_is_a_span(data):
    cited = set(data.objects(None, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
    declared = set(data.subjects(RDF.type, OA.SpecificResource))
    assert cited == declared


def test_anchor_check_finds_the_file_anchored():
    done = subprocess.run(
        [sys.executable, str(ANCHOR), "--check"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_anchor_locates_a_repeated_quote_by_its_prefix(article):
    repeated = "xây dựng tuyến du lịch Hà Nội - Lào Cai"
    assert article.count(repeated) == 2
    with pytest.raises(ValueError, match="occurs 2 times"):
        anchor_spans.anchor(article, repeated)
    second = anchor_spans.anchor(article, repeated, "triển khai ")
    assert article[second.start :].startswith(repeated + " - Sa Pa")
    with pytest.raises(ValueError, match="does not occur"):
        anchor_spans.anchor(article, "Hải Phòng")
    with pytest.raises(ValueError, match="empty"):
        anchor_spans.anchor(article, "")


def test_anchor_script_is_idempotent_and_reports_bad_spans_in_one_line(tmp_path):
    copy = tmp_path / "agreement.ttl"
    copy.write_text(DATA.read_text(encoding="utf-8"), encoding="utf-8")
    run = [sys.executable, str(ANCHOR), "--data", str(copy), "--article", str(ARTICLE)]
    assert subprocess.run(run, capture_output=True, cwd=ROOT).returncode == 0
    assert copy.read_text(encoding="utf-8") == DATA.read_text(encoding="utf-8")

    broken = DATA.read_text(encoding="utf-8").replace(
        'oa:exact "Ngày 17-5"', 'oa:exact "Ngày 18-5"', 1
    )
    assert broken != DATA.read_text(encoding="utf-8")
    copy.write_text(broken, encoding="utf-8")
    done = subprocess.run(run, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    line_no = int(lines[0].split(f"{copy}:")[1].split(":")[0])
    assert "span-session-date-quote" in broken.splitlines()[line_no - 1]
    assert "does not occur" in lines[0]
    assert copy.read_text(encoding="utf-8") == broken, "a failed run must not rewrite the file"


# ---------------------------------------------------------------- parsing, blank nodes


def data_turtle_files() -> list[Path]:
    return sorted((ROOT / "data").glob("*.ttl"))


def test_data_turtle_files_exist():
    assert DATA in data_turtle_files()


def test_no_blank_nodes_in_data(data):
    blanks = [t for triple in data for t in triple if isinstance(t, BNode)]
    assert blanks == []


# ---------------------------------------------------------------- shapes and reasoning


def validate(graph: rdflib.Graph, ontology_files: list[Path], folder: Path):
    """`coopkg validate`'s own function (coopkg.validate.validate) on the graph, written to a
    file, with the project's data shapes: (conforms, the text report)."""
    from coopkg import validate as command

    path = folder / "data.nt"
    # OWL RL closure adds generalized triples (a literal as subject) that no RDF file can hold;
    # the command reads files, so they are left out.
    kept = rdflib.Graph()
    kept += (t for t in graph if not isinstance(t[0], Literal))
    kept.serialize(path, format="nt", encoding="utf-8")
    report = command.validate([path], shape_files=[SHAPES], ontology_files=ontology_files)
    return report.conforms, command.format_text(report)


@pytest.mark.slow
def test_data_conforms_to_the_data_shapes(data, tmp_path):
    graph = rdflib.Graph().parse(CONCEPTS) + data
    conforms, text = validate(graph, [ONTOLOGY], tmp_path)
    assert conforms, text


@pytest.mark.slow
def test_owl_rl_closure_is_consistent_and_still_conforms(data, tmp_path):
    import owlrl

    graph = rdflib.Graph().parse(ONTOLOGY).parse(CONCEPTS) + data
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    assert list(graph.subjects(RDF.type, OWL.Nothing)) == []
    errors = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
    assert [str(m) for m in graph.objects(None, errors.error)] == []
    # Proposals and assessments stay apart from commitments even after inference.
    for cls in (COOP.Proposal, COOP.Assessment):
        for node in graph.subjects(RDF.type, cls):
            assert (node, RDF.type, COOP.Commitment) not in graph
    conforms, text = validate(graph, [], tmp_path)
    assert conforms, text


# ---------------------------------------------------------------- labels


def test_every_entity_has_one_vi_and_one_en_label(data):
    found = entities(data)
    assert len(found) > 50
    for node in found:
        pref = list(data.objects(node, SKOS.prefLabel))
        assert sorted(lit.language or "" for lit in pref) == ["en", "vi"], node
        assert set(data.objects(node, RDFS.label)) == set(pref), node
        for label in pref:
            assert unicodedata.is_normalized("NFC", str(label)), (node, label)
            assert str(label).strip() == str(label) and str(label), (node, label)


def test_spans_and_selectors_carry_no_labels(data):
    for cls in NOT_ENTITIES:
        for node in data.subjects(RDF.type, cls):
            assert data.value(node, SKOS.prefLabel) is None, node


def test_fold_handles_d_with_stroke():
    assert ascii_fold("Nguyễn Đức Chung") == "Nguyen Duc Chung"
    assert ascii_fold("đường") == "duong"
    assert ascii_fold("“Sản xuất”") == '"San xuat"', "curly quotes fold to ASCII"
    assert unicodedata.normalize("NFD", "Đ") == "Đ", "Đ does not decompose, hence the explicit fold"


def test_hidden_labels_are_the_ascii_folded_vietnamese_labels(data):
    with_hidden = 0
    for node in entities(data):
        vi = [
            str(lit)
            for p in (SKOS.prefLabel, SKOS.altLabel)
            for lit in data.objects(node, p)
            if lit.language == "vi"
        ]
        want = {ascii_fold(v) for v in vi if ascii_fold(v) != v}
        have = {str(h) for h in data.objects(node, SKOS.hiddenLabel)}
        assert have == want, node
        assert all(h.isascii() for h in have), node
        with_hidden += bool(have)
    assert (KG["hoang-trung-hai"], SKOS.hiddenLabel, Literal("Hoang Trung Hai")) in data
    assert (KG["nguyen-duc-chung"], SKOS.hiddenLabel, Literal("Nguyen Duc Chung")) in data
    assert with_hidden > 40
