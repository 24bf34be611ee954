"""The data (the seed article's graph: the facts of data/agreement.ttl, the hand-written spans of
data/spans.ttl, the anchors scripts/anchor_spans.py generates into data/anchors.ttl) against its
source: spans, checksum, parsing, shapes, reasoning, labels, which file holds what; the spans and
checksum of every article's graph against its own source file. Every check here reads the
article or the graph; no expected value is copied from output."""

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
SPANS = ROOT / "data" / "spans.ttl"
ANCHORS = ROOT / "data" / "anchors.ttl"
SEED = (DATA, SPANS, ANCHORS)  # the seed article's graph, as coopkg.paths.SEED_FILES names it
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


def parse(*files: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def data() -> rdflib.Graph:
    """The seed article's graph: facts, spans and anchors."""
    return parse(*SEED)


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
    selectors quote that file exactly; the number of spans checked. The seed article's graph is
    its three files."""
    graph = parse(*SEED) if path == DATA else parse(path)
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


def anchor(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ANCHOR), *args, "--article", str(ARTICLE)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def one_error_line(done: subprocess.CompletedProcess, path: Path, text: str) -> tuple[str, str]:
    """(the error line, the line of ``text`` it names) of a run that failed with exit 2."""
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    line_no = int(lines[0].split(f"{path}:")[1].split(":")[0])
    return lines[0], text.splitlines()[line_no - 1]


def test_anchor_script_generates_the_anchors_file_from_the_spans_alone(tmp_path):
    """From a copy of the hand-written spans, the script writes exactly data/anchors.ttl, leaves
    the spans untouched, and a second run changes nothing; --check reports a stale file (exit
    1) without writing it."""
    spans, anchors = tmp_path / "spans.ttl", tmp_path / "anchors.ttl"
    spans.write_bytes(SPANS.read_bytes())
    assert anchor("--check", "--spans", str(spans), "--anchors", str(anchors)).returncode == 1
    assert not anchors.exists(), "--check must write nothing"
    for _ in range(2):
        done = anchor("--spans", str(spans), "--anchors", str(anchors))
        assert done.returncode == 0, done.stderr
        assert anchors.read_bytes() == ANCHORS.read_bytes()
    assert spans.read_bytes() == SPANS.read_bytes(), "the hand-written spans are only read"
    assert anchors.read_text(encoding="utf-8").startswith("# GENERATED by scripts/anchor_spans.py")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anchors.ttl", "spans.ttl"]

    stale = ANCHORS.read_text(encoding="utf-8").replace("oa:end 2044 ;", "oa:end 2045 ;", 1)
    assert stale != ANCHORS.read_text(encoding="utf-8")
    anchors.write_text(stale, encoding="utf-8")
    done = anchor("--check", "--spans", str(spans), "--anchors", str(anchors))
    assert done.returncode == 1 and "anchors are stale" in done.stdout
    assert anchors.read_text(encoding="utf-8") == stale


def test_anchor_script_takes_spans_and_anchors_together_or_neither(tmp_path):
    """A copy of the spans with the default anchors would overwrite data/anchors.ttl."""
    spans = tmp_path / "spans.ttl"
    spans.write_bytes(SPANS.read_bytes())
    before = ANCHORS.stat().st_mtime_ns
    done = anchor("--spans", str(spans))
    assert done.returncode == 2 and "--spans and --anchors together" in done.stderr
    assert ANCHORS.stat().st_mtime_ns == before


def test_anchor_script_reports_a_quote_not_in_the_article_in_one_line(tmp_path):
    spans, anchors = tmp_path / "spans.ttl", tmp_path / "anchors.ttl"
    anchors.write_bytes(ANCHORS.read_bytes())
    broken = SPANS.read_text(encoding="utf-8").replace(
        'oa:exact "Ngày 17-5"', 'oa:exact "Ngày 18-5"', 1
    )
    assert broken != SPANS.read_text(encoding="utf-8")
    spans.write_text(broken, encoding="utf-8")
    done = anchor("--spans", str(spans), "--anchors", str(anchors))
    error, named = one_error_line(done, spans, broken)
    assert "span-session-date-quote" in named
    assert "does not occur" in error
    assert anchors.read_bytes() == ANCHORS.read_bytes(), "a failed run must not write anchors"


def test_a_hand_written_prefix_picks_a_repeated_quote_and_must_be_whole(article, tmp_path):
    """A quote that repeats keeps its oa:prefix in the spans file. A shorter one is refused with
    the value to write; written as told, the anchors come out as before."""
    text = SPANS.read_text(encoding="utf-8")
    hand = rdflib.Graph().parse(SPANS, format="turtle")
    quote = KG["span-tourism-route-building-quote"]
    whole = str(hand.value(quote, OA.prefix))
    assert article.count(str(hand.value(quote, OA.exact))) == 2
    spans, anchors = tmp_path / "spans.ttl", tmp_path / "anchors.ttl"
    spans.write_text(
        text.replace(f'oa:prefix "{whole}"', 'oa:prefix "du lịch, "'), encoding="utf-8"
    )
    done = anchor("--spans", str(spans), "--anchors", str(anchors))
    error, named = one_error_line(done, spans, spans.read_text(encoding="utf-8"))
    assert "span-tourism-route-building-quote" in named
    told = error.split("write oa:prefix ", 1)[1]
    assert told == f'"{whole}"' and len(whole) == CONTEXT
    spans.write_text(text.replace(f'oa:prefix "{whole}"', f"oa:prefix {told}"), encoding="utf-8")
    assert anchor("--spans", str(spans), "--anchors", str(anchors)).returncode == 0
    assert anchors.read_bytes() == ANCHORS.read_bytes()


@pytest.mark.parametrize(
    "extra",
    [
        'kg:span-session-date-quote oa:suffix "x" .',
        "kg:span-session-date oa:hasSelector kg:span-session-date-position .\n"
        "kg:span-session-date-position a oa:TextPositionSelector .",
    ],
    ids=["suffix", "position-selector"],
)
def test_generated_parts_written_by_hand_are_refused(tmp_path, extra):
    """What the script generates has one home, data/anchors.ttl: the same triple written in the
    spans file is an error naming the line, not a second source of truth."""
    spans, anchors = tmp_path / "spans.ttl", tmp_path / "anchors.ttl"
    text = SPANS.read_text(encoding="utf-8") + "\n" + extra + "\n"
    spans.write_text(text, encoding="utf-8")
    done = anchor("--spans", str(spans), "--anchors", str(anchors))
    error, named = one_error_line(done, spans, text)
    assert "span-session-date" in named and "generated into" in error
    assert not anchors.exists()


def test_one_file_of_spans_and_selectors_is_anchored_in_place(tmp_path):
    """--data (an article's graph, a draft): spans and selectors in one file. A missing position
    selector is created and a short prefix completed; the result is the seed's spans and
    anchors merged, in canonical form, and a second run leaves it byte-identical."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from fmt_turtle import canonical

    merged = tmp_path / "merged.ttl"
    parse(SPANS, ANCHORS).serialize(merged, format="turtle")
    merged.write_text(canonical(merged), encoding="utf-8")
    want = merged.read_text(encoding="utf-8")
    damaged = parse(merged)
    span, position = KG["span-session-date"], KG["span-session-date-position"]
    damaged.remove((span, OA.hasSelector, position))
    damaged.remove((position, None, None))
    quote = KG["span-tourism-route-building-quote"]
    damaged.set((quote, OA.prefix, Literal("du lịch, ")))
    copy = tmp_path / "article.ttl"
    damaged.serialize(copy, format="turtle")
    assert anchor("--check", "--data", str(copy)).returncode == 1
    for _ in range(2):
        done = anchor("--data", str(copy))
        assert done.returncode == 0, done.stderr
        assert copy.read_text(encoding="utf-8") == want


# ---------------------------------------------------------------- which file holds what

SELECTORS = {OA.SpecificResource, OA.TextQuoteSelector, OA.TextPositionSelector}


def test_the_seed_files_are_the_ones_the_project_graph_loads():
    from coopkg import paths
    from coopkg.namespaces import GRAPH_IRI

    assert [p.relative_to(ROOT).as_posix() for p in SEED] == list(paths.SEED_FILES)
    assert article_files(ROOT)[0] == (GRAPH_IRI, DATA)


def test_the_facts_file_holds_facts_only():
    """data/agreement.ttl names its spans but describes none: no span or selector node, no
    Web Annotation predicate, and not the source article (the spans file describes it)."""
    facts = parse(DATA)
    typed = set(facts.objects(None, RDF.type))
    assert not typed & SELECTORS
    assert {p for p in facts.predicates() if str(p).startswith(str(OA))} == set()
    assert (KG["source-article"], None, None) not in facts
    cited = set(facts.objects(None, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
    assert len(cited) >= 40 and all(str(c).startswith(str(KG) + "span-") for c in cited)


def test_the_spans_file_holds_the_source_the_spans_and_their_quotes():
    """data/spans.ttl: the source article and its checksum, each span (type, source, its one
    quote selector) and each quote (type, oa:exact, and oa:prefix only where the text repeats
    in the article); nothing the script generates."""
    hand = parse(SPANS)
    article = ARTICLE.read_text(encoding="utf-8")
    source = KG["source-article"]
    spans = set(hand.subjects(RDF.type, OA.SpecificResource))
    quotes = set(hand.subjects(RDF.type, OA.TextQuoteSelector))
    assert len(spans) == len(quotes) >= 40
    assert set(hand.subjects()) == spans | quotes | {source, hand.value(source, SPDX.checksum)}
    for span in spans:
        assert set(hand.predicate_objects(span)) == {
            (RDF.type, OA.SpecificResource),
            (OA.hasSource, source),
            (OA.hasSelector, URIRef(f"{span}-quote")),
        }
    repeated = 0
    for quote in quotes:
        exact = str(hand.value(quote, OA.exact))
        predicates = set(hand.predicates(quote))
        if article.count(exact) > 1:
            assert predicates == {RDF.type, OA.exact, OA.prefix}, quote
            repeated += 1
        else:
            assert predicates == {RDF.type, OA.exact}, quote
    assert repeated >= 1, "no repeated quote: the hand-written prefix is not exercised"


def test_the_anchors_file_holds_only_anchors_of_declared_spans():
    """data/anchors.ttl: per span declared in data/spans.ttl, the link to its position
    selector, that selector's type, start and end, and its quote's suffix and the prefix the
    spans file does not write; nothing else, and nothing the other files state."""
    hand, generated = parse(SPANS), parse(ANCHORS)
    facts = parse(DATA)
    allowed = set()
    for span in hand.subjects(RDF.type, OA.SpecificResource):
        quote = hand.value(span, OA.hasSelector)
        position = URIRef(f"{span}-position")
        allowed |= {(span, OA.hasSelector, position), (position, RDF.type, OA.TextPositionSelector)}
        allowed |= {
            (position, p, o) for p in (OA.start, OA.end) for o in generated.objects(position, p)
        }
        allowed |= {
            (quote, p, o) for p in (OA.prefix, OA.suffix) for o in generated.objects(quote, p)
        }
        assert len(list(generated.objects(position, OA.start))) == 1, span
        assert len(list(generated.objects(position, OA.end))) == 1, span
        assert len(list(generated.objects(quote, OA.suffix))) == 1, span
        assert (
            len(list(hand.objects(quote, OA.prefix)) + list(generated.objects(quote, OA.prefix)))
            == 1
        ), span
    assert set(generated) == allowed
    assert not set(generated) & (set(hand) | set(facts))


def test_every_span_the_facts_cite_has_one_quote_and_one_position_in_the_project_graph():
    """Loaded as the commands load it (coopkg.paths.graph_files()), every span a fact of
    data/agreement.ttl cites is whole: its source, one quote selector with its text, prefix and
    suffix, one position selector with its start and end."""
    from coopkg import graph, paths

    store = graph.open_store(paths.graph_files())
    spans = {
        str(o)
        for o in parse(DATA).objects(None, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    }
    query = """
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?span (COUNT(DISTINCT ?q) AS ?quotes) (COUNT(DISTINCT ?p) AS ?positions)
               (COUNT(DISTINCT ?exact) AS ?e) (COUNT(DISTINCT ?prefix) AS ?pre)
               (COUNT(DISTINCT ?suffix) AS ?suf) (COUNT(DISTINCT ?start) AS ?s)
               (COUNT(DISTINCT ?end) AS ?n) WHERE {
          ?span a oa:SpecificResource ; oa:hasSource ?source .
          OPTIONAL { ?span oa:hasSelector ?q . ?q a oa:TextQuoteSelector ;
                     oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix }
          OPTIONAL { ?span oa:hasSelector ?p . ?p a oa:TextPositionSelector ;
                     oa:start ?start ; oa:end ?end }
        } GROUP BY ?span"""
    found = {}
    for row in store.query(query):
        counts = [
            int(row[name].value) for name in ("quotes", "positions", "e", "pre", "suf", "s", "n")
        ]
        found[row["span"].value] = counts
    assert set(found) == spans
    assert {tuple(c) for c in found.values()} == {(1, 1, 1, 1, 1, 1, 1)}


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
