"""Pages rendered in-process from a store: escaping, sentences, search folding, data."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from coopkg.graph import open_store
from coopkg.web import describe, pages
from coopkg.web.describe import KG, Graph

SKOS_PREF = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph(open_store())


def test_a_literal_with_markup_shows_as_text():
    store = open_store()
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    node = ox.NamedNode(KG + "ha-noi")
    store.add(ox.Quad(node, ox.NamedNode("urn:x:note"), ox.Literal(attack, language="en")))
    html = pages.Pages(Graph(store)).entity(KG + "ha-noi", "en")
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_every_page_has_the_other_language_one_click_away(graph):
    html = pages.Pages(graph).entity(KG + "lao-cai", "vi")
    assert 'href="/doc/lao-cai.en.html" hreflang="en"' in html
    html = pages.Pages(graph).entity(KG + "lao-cai", "en")
    assert 'href="/doc/lao-cai.html" hreflang="vi"' in html


def test_unknown_iris_have_no_page(graph):
    assert pages.Pages(graph).entity(KG + "no-such-thing", "vi") is None
    assert describe.slug_of(KG + "../etc/passwd") is None
    assert describe.slug_of(KG + "a/b") is None
    assert describe.slug_of("https://example.org/id/ha-noi") is None


def test_sentence_bounds_stop_at_sentence_ends_and_line_breaks():
    text = "Một. Hai ba bốn. Năm\nSáu bảy."
    start = text.index("ba")
    assert text[slice(*describe.sentence_bounds(text, start, start + 2))] == "Hai ba bốn."
    start = text.index("Năm")
    assert text[slice(*describe.sentence_bounds(text, start, start + 3))] == "Năm"


def test_the_sentence_of_a_fact_marks_exactly_its_quote(graph):
    """Within the sentence shown, the pieces marked for a span are its oa:exact, in order, and
    the sentence is a piece of the article."""
    text = graph.text(KG + "source-article")
    for fact in ("commitment-energy-saving-centre", "commitment-agricultural-investment-linkage"):
        spans = graph.spans_of(KG + fact)
        assert spans
        sentences = graph.sentences(spans)
        for span in spans:
            for sentence in sentences:
                marked = "".join(p for p, covering in sentence.segments if span.slug in covering)
                if marked:
                    assert marked == span.exact
                    break
            else:
                raise AssertionError(f"{span.iri} is marked in no sentence")
        for sentence in sentences:
            assert "".join(p for p, _ in sentence.segments) in text


def test_a_source_text_outside_the_project_is_not_read(tmp_path):
    store = open_store()
    article = ox.NamedNode(KG + "source-article")
    local = ox.NamedNode("https://w3id.org/coopkg/ontology#localPath")
    store.remove(next(iter(store.quads_for_pattern(article, local, None))))
    store.add(ox.Quad(article, local, ox.Literal("../../../../etc/passwd")))
    assert Graph(store).text(KG + "source-article") is None


def test_the_description_holds_statements_labels_and_spans(graph):
    triples = set(graph.description(KG + "lao-cai"))
    subjects = {t.subject.value for t in triples}
    assert KG + "lao-cai" in subjects
    assert KG + "span-mention-lao-cai-province-position" in subjects
    assert (
        ox.Triple(
            ox.NamedNode(KG + "unit-type-province"), SKOS_PREF, ox.Literal("tỉnh", language="vi")
        )
        in triples
    )  # noqa: E501
