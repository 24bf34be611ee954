"""The graph says what the article says, in its words: attributions name the speaker, periods are
grounded or noted, scopes are not flattened, English renderings keep the article's aspect, and the
whole export (project graph + catalog) passes DCAT-AP's mandatory shapes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from cli_helpers import stdout_of

from coopkg import graph

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "data" / "source" / "2017-05-17-ha-noi-lao-cai-working-session.vi.txt"
CATALOG = ROOT / "data" / "catalog.ttl"
SHAPES = ROOT / "shapes" / "dcat-ap"
PREFIXES = """
PREFIX coop: <https://w3id.org/coopkg/ontology#>
PREFIX kg: <https://w3id.org/coopkg/id/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX spdx: <http://spdx.org/rdf/terms#>
"""


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return graph.open_store()


@pytest.fixture(scope="module")
def article() -> str:
    return ARTICLE.read_text(encoding="utf-8")


def select(store: ox.Store, text: str) -> list[dict[str, str]]:
    rows = store.query(PREFIXES + text)
    names = [v.value for v in rows.variables]
    return [{n: (r[n].value if r[n] is not None else None) for n in names} for r in rows]


def spans_of(store: ox.Store, node: str) -> list[dict[str, str]]:
    """The node's spans: exact text and offsets."""
    return select(
        store,
        f"SELECT ?span ?exact ?start ?end WHERE {{ {node} prov:wasDerivedFrom ?span . "
        "?span oa:hasSelector ?q , ?p . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }",
    )


# --- attributions and subjects ------------------------------------------------------------------


@pytest.mark.parametrize(
    "node",
    [
        "kg:assessment-negative",
        "kg:proposal-departments-cooperate",
        "kg:commitment-new-rural-communes",
    ],
)
def test_attribution_to_hoang_trung_hai_cites_a_span_that_names_him(store, article, node):
    spans = spans_of(store, node)
    naming = [s for s in spans if "Hoàng Trung Hải" in s["exact"]]
    assert naming, f"{node}: no span names the speaker: {[s['exact'] for s in spans]}"
    for s in naming:  # and the span is where it says it is in the article
        assert article[int(s["start"]) : int(s["end"])] == s["exact"]


def test_every_attribution_to_a_speaker_cites_a_span_that_names_him(store):
    rows = select(
        store,
        """SELECT DISTINCT ?node ?name WHERE {
             { ?node coop:statedBy ?who } UNION { ?node coop:proposedBy ?who }
             UNION { ?node coop:assessedBy ?who }
             ?who foaf:familyName ?family ; foaf:givenName ?given .
             BIND (CONCAT(?family, " ", ?given) AS ?name)
           }""".replace("SELECT", "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nSELECT", 1),
    )
    assert len(rows) >= 5  # two proposals, two assessments, one stated commitment
    for row in rows:
        exacts = [s["exact"] for s in spans_of(store, f"<{row['node']}>")]
        assert any(row["name"] in e for e in exacts), (row["node"], exacts)


def test_activities_of_both_localities_cite_the_span_with_their_subject(store):
    rows = select(
        store,
        "SELECT ?a WHERE { ?a a coop:CooperationActivity ; "
        "prov:wasAssociatedWith kg:ha-noi , kg:lao-cai }",
    )
    names = {r["a"].rsplit("/", 1)[1] for r in rows}
    assert {"activity-ha-noi-lao-cai-tourism-route", "activity-northwest-tourism-surveys"} <= names
    for row in rows:
        exacts = [s["exact"].lower() for s in spans_of(store, f"<{row['a']}>")]
        assert any("hai địa phương" in e for e in exacts), (row["a"], exacts)


# --- periods ------------------------------------------------------------------------------------


def test_activities_in_2011_2016_are_grounded_in_that_span_and_noted(store):
    rows = select(
        store,
        "SELECT ?a WHERE { ?a a coop:CooperationActivity ; coop:period kg:period-2011-2016 ; "
        "coop:partOf kg:cooperation-2011-2016 }",
    )
    assert len(rows) == 9
    for row in rows:
        node = f"<{row['a']}>"
        exacts = [s["exact"] for s in spans_of(store, node)]
        assert any("Từ năm 2011 đến năm 2016" in e for e in exacts), (node, exacts)
        notes = select(store, f"SELECT ?n WHERE {{ {node} skos:editorialNote ?n }}")
        assert {n["n"].split(":")[0] for n in notes} == {"Editorial", "Ghi chú biên tập"}, node


# --- the proposal's scope -----------------------------------------------------------------------


def test_comprehensive_proposal_covers_all_fields_and_singles_out_some(store):
    node = "kg:proposal-comprehensive-cooperation"
    assert store.query(PREFIXES + f"ASK {{ {node} coop:coversAllFields true }}")
    fields = select(store, f"SELECT ?f WHERE {{ {node} coop:field ?f }}")
    assert len(fields) == 5
    exacts = [s["exact"] for s in spans_of(store, node)]
    assert any("trên tất cả các lĩnh vực, nhất là" in e for e in exacts)
    # The term says why it was minted, in both languages.
    defs = select(store, "SELECT ?d WHERE { coop:coversAllFields skos:definition ?d }")
    assert len(defs) == 2 and any("No standard term" in d["d"] for d in defs)


# --- English renderings -------------------------------------------------------------------------

# What a Vietnamese word in a label or an action must keep in the English of the same property.
RENDERINGS = [
    ("đẩy mạnh", "step"),  # step up / stepping up
    ("thường xuyên", "regularly"),
    ("chưa", "not yet"),
    ("cụ thể hóa", "concretiz"),
    ("tạo điều kiện", "facilitat|favourable conditions"),
]


def test_labels_and_actions_keep_the_aspect_of_the_vietnamese(store):
    rows = select(
        store,
        """SELECT ?s ?p ?vi ?en WHERE {
             VALUES ?p { skos:prefLabel coop:action coop:statement }
             ?s ?p ?vi , ?en .
             FILTER (LANG(?vi) = "vi" && LANG(?en) = "en")
             FILTER (STRSTARTS(STR(?s), "https://w3id.org/coopkg/id/"))
           }""",
    )
    checked = 0
    for row in rows:
        vi, en = row["vi"].lower(), row["en"].lower()
        for word, english in RENDERINGS:
            if word in vi:
                checked += 1
                assert any(e in en for e in english.split("|")), (row["s"], word, row["en"])
        assert "make it possible" not in en and "make it easier" not in en, row
    assert checked >= 10


def test_labels_keep_the_future_where_the_article_says_se(store):
    """A commitment whose sentence says "sẽ" (will) says so in both labels."""
    rows = select(
        store,
        """SELECT ?c ?vi ?en WHERE {
             ?c a/rdfs:subClassOf* coop:Commitment ; skos:prefLabel ?vi , ?en ;
                prov:wasDerivedFrom/oa:hasSelector/oa:exact ?exact .
             FILTER (LANG(?vi) = "vi" && LANG(?en) = "en" && CONTAINS(?exact, " sẽ "))
           }""".replace(
            "SELECT", "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT", 1
        ),
    )
    assert len({r["c"] for r in rows}) == 3
    for row in rows:
        assert " sẽ " in row["vi"] and " will " in row["en"], row


# --- the catalog and the checksums --------------------------------------------------------------


def test_catalog_description_says_so_far_not_2011_2016():
    store = ox.Store()
    store.load(path=str(CATALOG), format=ox.RdfFormat.TURTLE)
    rows = select(store, "SELECT ?d WHERE { kg:dataset-ha-noi-lao-cai-2017 dct:description ?d }")
    by_lang = {}
    for r in store.query(
        PREFIXES + "SELECT ?d WHERE { kg:dataset-ha-noi-lao-cai-2017 dct:description ?d }"
    ):
        by_lang[r["d"].language] = r["d"].value
    assert len(rows) == 2
    assert "cooperation so far" in by_lang["en"] and "2011–2016" not in by_lang["en"]
    assert "trong thời gian qua" in by_lang["vi"] and "2011–2016" not in by_lang["vi"]


def export_with_catalog() -> str:
    """What `coopkg export --format nt` writes, plus the catalog, as N-Triples text."""
    catalog = ox.serialize(
        ox.parse(path=str(CATALOG), format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES
    )
    return stdout_of("export", "--format", "nt") + catalog.decode("utf-8")


def test_every_checksum_value_is_hex_binary():
    triples = list(ox.parse(export_with_catalog().encode("utf-8"), ox.RdfFormat.N_TRIPLES))
    values = [
        t.object for t in triples if t.predicate.value == "http://spdx.org/rdf/terms#checksumValue"
    ]
    assert len(values) >= 2  # the article and the identifier table
    for value in values:
        assert value.datatype.value == "http://www.w3.org/2001/XMLSchema#hexBinary", value


def dcat_ap_violations(nt: str, shapes_file: str) -> list[tuple[str, str, str]]:
    from pyshacl import validate
    from rdflib import RDF, Graph, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    data = Graph().parse(data=nt, format="nt")
    shapes = Graph().parse(SHAPES / shapes_file, format="turtle")
    assert len(shapes) > 100, f"{shapes_file} looks empty: the check would pass vacuously"
    _, report, _ = validate(data, shacl_graph=shapes, allow_warnings=True)
    return [
        (
            str(report.value(r, sh.focusNode)),
            str(report.value(r, sh.resultPath)),
            str(report.value(r, sh.resultMessage)),
        )
        for r in report.subjects(RDF.type, sh.ValidationResult)
        if report.value(r, sh.resultSeverity) == sh.Violation
    ]


@pytest.fixture(scope="module")
def whole_export() -> str:
    return export_with_catalog()


@pytest.mark.parametrize("shapes_file", ["shapes.ttl", "range.ttl"])
def test_whole_export_has_no_dcat_ap_violation(whole_export, shapes_file):
    assert dcat_ap_violations(whole_export, shapes_file) == []


def test_dcat_ap_check_of_the_export_catches_a_plain_string_checksum(whole_export):
    """The check above can fail: the article's checksum as a plain string is a violation."""
    value = '"d095ad30150d97cdd4fc8184b92a8985079f9cddd558d2d7766e05eb50da5c53"'
    typed = value + "^^<http://www.w3.org/2001/XMLSchema#hexBinary>"
    assert typed in whole_export
    found = dcat_ap_violations(whole_export.replace(typed, value), "shapes.ttl")
    assert any(f[0].endswith("source-article-sha256") for f in found), found
