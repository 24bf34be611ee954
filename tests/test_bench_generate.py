"""bench/generate.py: a small synthetic corpus is valid, true to its texts, shaped like the real
data, and the same seed gives the same bytes."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import sys
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = [ROOT / "ontology/coopkg.ttl", ROOT / "ontology/concepts.ttl"]
SHAPES = ROOT / "shapes/data-shapes.ttl"
# The seed article's graph: its facts, their spans and the spans' anchors.
REAL_DATA = [ROOT / "data" / name for name in ("agreement.ttl", "spans.ttl", "anchors.ttl")]
SMALL = 3000  # triples: four or five synthetic articles


def load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench/generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    return module


gen = load_generator()


def generate(target: int = SMALL, seed: int = gen.DEFAULT_SEED, texts: Path | None = None):
    out = io.StringIO()
    count, articles = gen.generate(target, out.write, seed, texts)
    return out.getvalue(), count, articles


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """(N-Triples text, texts directory) of one small corpus, shared by the tests below."""
    root = tmp_path_factory.mktemp("corpus")
    texts = root / gen.TEXTS_PATH
    texts.mkdir(parents=True)
    text, count, articles = generate(texts=texts)
    assert count >= SMALL and articles >= 3
    return text, root


def store_of(text: str, *files: Path) -> ox.Store:
    store = ox.Store()
    store.load(text.encode(), format=ox.RdfFormat.N_TRIPLES)
    for f in files:
        store.load(path=str(f))
    return store


def test_same_seed_gives_identical_output_and_another_seed_does_not():
    first, count, _ = generate()
    second, count2, _ = generate()
    assert first == second and count == count2
    other, _, _ = generate(seed=gen.DEFAULT_SEED + 1)
    assert other != first


def test_triple_count_is_what_was_written_and_reaches_the_target(corpus):
    text, _ = corpus
    lines = text.splitlines()
    assert len(store_of(text)) == len(lines)  # no duplicate triple is counted twice
    assert SMALL <= len(lines) < SMALL + 1500  # stops after the article that reaches it


@pytest.mark.slow
def test_small_corpus_conforms_to_the_project_shapes_with_pyshacl(corpus):
    """pySHACL run as `coopkg validate --engine pyshacl` runs it (shacl_engines.run_pyshacl):
    the data with the ontology, which is also pySHACL's ontology graph."""
    from coopkg import shacl_engines

    text, _ = corpus
    ontology = [q for f in ONTOLOGY for q in ox.parse(path=str(f))]
    data = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)) + ontology
    shapes = list(ox.parse(path=str(SHAPES)))
    report = shacl_engines.run_pyshacl(data, shapes, ontology)
    assert report.engine == "pyshacl"
    assert report.conforms and not report.results, report.graph_turtle[:3000]  # no warning either


def test_every_selector_is_true_for_its_synthetic_text(corpus):
    text, root = corpus
    store = store_of(text)
    query = """
    PREFIX oa: <http://www.w3.org/ns/oa#>
    PREFIX coop: <https://w3id.org/coopkg/ontology#>
    PREFIX spdx: <http://spdx.org/rdf/terms#>
    SELECT ?path ?sha ?exact ?prefix ?suffix ?start ?end WHERE {
      ?span oa:hasSource ?article ; oa:hasSelector ?q, ?p .
      ?article coop:localPath ?path ; spdx:checksum/spdx:checksumValue ?sha .
      ?q oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix .
      ?p oa:start ?start ; oa:end ?end .
    }"""
    rows = list(store.query(query))
    assert len(rows) > 50
    checked_texts = set()
    for r in rows:
        source = root / r["path"].value
        body = source.read_text(encoding="utf-8")
        if source not in checked_texts:
            assert hashlib.sha256(body.encode()).hexdigest() == r["sha"].value
            assert body.startswith(" date ")
            checked_texts.add(source)
        start, end = int(r["start"].value), int(r["end"].value)
        assert body[start:end] == r["exact"].value
        assert body[max(0, start - 32) : start] == r["prefix"].value
        assert body[end : end + 32] == r["suffix"].value
    assert len(checked_texts) >= 3


def shape_signature(store: ox.Store) -> dict[str, set[str]]:
    """For each set of rdf:types an entity has, the predicates such entities use."""
    types: dict = defaultdict(set)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for q in store.quads_for_pattern(None, rdf_type, None):
        types[q.subject].add(q.object.value)
    signature: dict[str, set[str]] = defaultdict(set)
    for q in store:
        if q.subject in types:
            signature[" ".join(sorted(types[q.subject]))].add(q.predicate.value)
    return signature


def test_corpus_uses_only_the_classes_and_properties_of_the_real_data(corpus):
    text, _ = corpus
    real = shape_signature(store_of("", *REAL_DATA))
    synthetic = shape_signature(store_of(text))
    unknown = {t: sorted(ps - real.get(t, set())) for t, ps in synthetic.items()}
    assert {t: ps for t, ps in unknown.items() if ps or t not in real} == {}
    # and it covers the main kinds of fact, not a trivial subset
    for cls in ("Commitment", "JointCommitment", "Proposal", "Assessment", "WorkingSession"):
        assert f"https://w3id.org/coopkg/ontology#{cls}" in synthetic


def test_names_are_vietnamese_with_ascii_folded_hidden_labels(corpus):
    text, _ = corpus
    store = store_of(text)
    query = """
    PREFIX foaf: <http://xmlns.com/foaf/0.1/>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?vi ?hidden WHERE {
      ?p a foaf:Person ; skos:prefLabel ?vi ; skos:hiddenLabel ?hidden .
      FILTER(lang(?vi) = "vi")
    }"""
    rows = [(r["vi"].value, r["hidden"].value) for r in store.query(query)]
    assert len(rows) >= 12
    assert any(vi != hidden for vi, hidden in rows)  # diacritics were there to fold
    for vi, hidden in rows:
        assert hidden == gen.fold(vi) and hidden.isascii()
        assert "đ" not in hidden.lower()


def test_fold_and_slug_handle_d_with_stroke():
    assert gen.fold("Đặng Đức Đạt") == "Dang Duc Dat"
    assert gen.slug("Bà Rịa - Vũng Tàu") == "ba-ria-vung-tau"
    assert len(gen.PROVINCES) == 63
