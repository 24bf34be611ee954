"""data/links.ttl: external identifiers are the checked ones, cited, dated, queryable as of a date.

The reference is data/reference/external-ids.csv (a byte copy of the shared table); every
identifier in the graph must be a verified row of it, and no UNVERIFIED candidate may appear.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from pathlib import Path

import cli_helpers
import pyoxigraph as ox
import pytest

from coopkg import graph, paths
from coopkg import query as q
from coopkg.namespaces import KG, XSD

ROOT = Path(__file__).resolve().parent.parent
LINKS = ROOT / "data" / "links.ttl"
CATALOG = ROOT / "data" / "catalog.ttl"
TABLE = ROOT / "data" / "reference" / "external-ids.csv"
QUERIES = ROOT / "queries"

OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
SCHEMA_SAME_AS = "http://schema.org/sameAs"
# Where each IRI scheme's identifiers live, and how the value sits in the IRI.
IRI_SCHEMES = {
    "wikidata": re.compile(r"^http://www\.wikidata\.org/entity/(Q\d+)$"),
    "geonames": re.compile(r"^https://sws\.geonames\.org/(\d+)/$"),
    "osm-relation": re.compile(r"^https://www\.openstreetmap\.org/relation/(\d+)$"),
}
ANY_EXTERNAL = re.compile(
    r"(wikidata\.org/(entity|wiki)/Q\d+|geonames\.org/\d+|openstreetmap\.org/relation/\d+)"
)


def table_rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def verified(rows) -> set[tuple[str, str]]:
    return {(r["scheme"], r["value"]) for r in rows if not r["value"].startswith("UNVERIFIED")}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """The whole project graph, as every command sees it."""
    return graph.open_store()


@pytest.fixture(scope="module")
def links() -> ox.Store:
    """data/links.ttl alone."""
    return graph.open_store([LINKS])


def select(store: ox.Store, text: str) -> list[dict[str, str]]:
    rows = store.query(text)
    names = [v.value for v in rows.variables]
    return [{n: (r[n].value if r[n] is not None else None) for n in names} for r in rows]


# --- the reference table ------------------------------------------------------------------------


def test_reference_table_is_the_copy_whose_checksum_links_ttl_records(links):
    recorded = select(
        links,
        f"SELECT ?v WHERE {{ <{KG}external-ids-table-sha256> "
        "<http://spdx.org/rdf/terms#checksumValue> ?v }",
    )
    assert recorded, "links.ttl records no checksum of external-ids.csv"
    assert hashlib.sha256(TABLE.read_bytes()).hexdigest() == recorded[0]["v"]


def test_reference_table_has_the_columns_and_unverified_rows_we_rely_on():
    rows = table_rows()
    assert list(rows[0]) == ["entity", "scheme", "value", "valid_note", "source"]
    unverified = [r["entity"] for r in rows if r["value"].startswith("UNVERIFIED")]
    assert any(e.startswith("Nguyễn Văn Vịnh") for e in unverified)
    assert any(e.startswith("Sa Pa") for e in unverified)


# --- every identifier is a verified row; no UNVERIFIED one appears --------------------------------


def test_every_linked_iri_is_a_verified_row_of_the_table(store):
    ok = verified(table_rows())
    found = 0
    for row in select(store, "SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER(isIRI(?o)) }"):
        iri = row["o"]
        for scheme, pattern in IRI_SCHEMES.items():
            m = pattern.match(iri)
            if m:
                found += 1
                assert (scheme, m.group(1)) in ok, f"{iri} is not a verified {scheme} row"
    assert found >= 10  # 5 Wikidata + 3 GeoNames + 2 OSM links at least: the scan saw them


def test_no_unverified_candidate_appears_in_any_graph_or_catalog_file():
    candidates = set()
    for r in table_rows():
        if r["value"].startswith("UNVERIFIED"):
            candidates.update(re.findall(r"Q\d+", r["value"]))
    assert candidates == {"Q7395483", "Q1000140"}  # Sa Pa's two contradicting items
    for path in [*paths.graph_files(), CATALOG]:
        text = path.read_text(encoding="utf-8")
        for qid in candidates:
            assert not re.search(rf"\b{qid}\b", text), f"{path.name} mentions unverified {qid}"


def test_every_external_iri_in_the_catalog_is_verified():
    ok = verified(table_rows())
    text = CATALOG.read_text(encoding="utf-8")
    for m in ANY_EXTERNAL.finditer(text):
        iri_tail = m.group(0)
        value = re.search(r"(Q\d+|\d+)$", iri_tail).group(1)
        assert any(v == value for _, v in ok), f"catalog uses unchecked {iri_tail}"


@pytest.mark.parametrize(
    "entity", ["nguyen-van-vinh", "ngo-thi-thanh-hang", "politburo", "central-committee"]
)
def test_entities_marked_unverified_have_no_link(links, entity):
    rows = select(links, f"SELECT ?p ?o WHERE {{ <{KG}{entity}> ?p ?o }}")
    assert rows == []


def test_sa_pa_has_no_wikidata_link_but_its_checked_codes(links):
    rows = select(links, f"SELECT ?o WHERE {{ <{KG}sa-pa> <{OWL_SAME_AS}> ?o }}")
    assert [r["o"] for r in rows] == ["https://sws.geonames.org/1905008/"]


def test_every_identifier_node_matches_the_row_it_cites(store):
    """Value and scheme of each adms:Identifier equal the cited row's; code 15 is in its note."""
    rows = table_rows()
    ids = select(
        store,
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?id ?value ?scheme ?row ?source WHERE {
          ?id a <http://www.w3.org/ns/adms#Identifier> ; skos:notation ?notation ;
              <http://www.w3.org/ns/prov#wasDerivedFrom> ?row .
          ?row <http://purl.org/dc/terms/bibliographicCitation> ?source .
          ?schemeNode skos:notation ?scheme . FILTER(?schemeNode = DATATYPE(?notation))
          BIND(STR(?notation) AS ?value) }""",
    )
    assert len(ids) == 17
    for i in ids:
        # kg:external-ids-row-NN is data row NN of the table (the header is not counted).
        n = int(i["row"].removeprefix(KG + "external-ids-row-"))
        row = rows[n - 1]
        assert i["source"] == row["source"], f"{i['row']} does not quote row {n}'s source"
        assert i["scheme"] == row["scheme"], f"{i['id']} is {i['scheme']}, row {n} is not"
        assert not row["value"].startswith("UNVERIFIED")
        assert row["value"] == i["value"] or f"code {i['value']}" in row["valid_note"], (
            f"{i['id']}: {i['value']} is neither row {n}'s value nor named in its note"
        )


def test_every_link_triple_has_an_identifier_node_that_cites_its_source(links):
    """The owl:sameAs / schema:sameAs link and the cited identifier node agree (same IRI)."""
    unmatched = select(
        links,
        f"""SELECT ?s ?o WHERE {{
          VALUES ?p {{ <{OWL_SAME_AS}> <{SCHEMA_SAME_AS}> }}
          ?s ?p ?o .
          FILTER NOT EXISTS {{
            ?s <http://www.w3.org/ns/adms#identifier> ?id .
            ?id <http://schema.org/url> ?o ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?row .
            ?row <http://purl.org/dc/terms/bibliographicCitation> ?cite }} }}""",
    )
    assert unmatched == []
    counted = select(links, f"SELECT ?s WHERE {{ ?s <{OWL_SAME_AS}>|<{SCHEMA_SAME_AS}> ?o }}")
    assert len(counted) == 10


def test_links_have_no_blank_nodes():
    for path in (LINKS, CATALOG):
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            for term in (t.subject, t.object):
                assert not isinstance(term, ox.BlankNode), f"{path.name}: blank node in {t}"


def test_new_entities_and_nodes_have_one_nfc_label_per_language(links):
    rows = select(
        links,
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?s ?lang (COUNT(?l) AS ?n) (SAMPLE(?l) AS ?label) WHERE {
          { SELECT DISTINCT ?s ?l WHERE { ?s a ?type ; skos:prefLabel ?l } }
          BIND(LANG(?l) AS ?lang) } GROUP BY ?s ?lang""",
    )
    typed = select(links, "SELECT DISTINCT ?s WHERE { ?s a ?type }")
    langs: dict[str, set[str]] = {}
    for r in rows:
        assert r["n"] == "1", f"{r['s']} has {r['n']} prefLabels @{r['lang']}"
        assert unicodedata.is_normalized("NFC", r["label"])
        langs.setdefault(r["s"], set()).add(r["lang"])
    for r in typed:
        assert langs.get(r["s"]) == {"vi", "en"}, f"{r['s']} lacks a vi or en prefLabel"


# --- history: GSO code as of a date -------------------------------------------------------------


def gso_code(store: ox.Store, date: str | None = None, entity: str | None = None):
    """Run queries/gso-code-as-of.rq through coopkg's own binding path; (unit, code) or None."""
    query = q.resolve(str(QUERIES / "gso-code-as-of.rq"))
    bindings = {}
    if date is not None:
        bindings["date"] = ox.Literal(date, datatype=ox.NamedNode(XSD + "date"))
    if entity is not None:
        bindings["entity"] = ox.NamedNode(KG + entity)
    q.bind(query, bindings)
    rows = list(q.run_embedded(store, query))
    assert len(rows) == 1
    code = rows[0]["code"]
    return None if code is None else (rows[0]["unit"].value.removeprefix(KG), code.value)


@pytest.mark.parametrize(
    ("date", "want"),
    [
        (None, ("lao-cai", "10")),  # the default date is the working session's, 2017-05-17
        ("2017-05-17", ("lao-cai", "10")),
        ("2025-06-30", ("lao-cai", "10")),  # code 10 held until 2025-06-30
        ("2025-07-01", ("lao-cai-2025", "15")),  # the merged province took Yên Bái's 15
        ("2031-12-31", ("lao-cai-2025", "15")),
    ],
)
def test_gso_code_of_lao_cai_as_of(store, date, want):
    assert gso_code(store, date) == want


def test_gso_code_of_other_units(store):
    assert gso_code(store, "2017-05-17", "ha-noi") == ("ha-noi", "01")
    assert gso_code(store, "2030-01-01", "ha-noi") == ("ha-noi", "01")  # unchanged after 2025
    assert gso_code(store, "2017-05-17", "yen-bai") == ("yen-bai", "15")
    assert gso_code(store, "2025-07-01", "yen-bai") == ("lao-cai-2025", "15")
    assert gso_code(store, "2017-05-17", "sa-pa") == ("sa-pa", "088")
    # The rural district ended in 2019; the reference gives the town no code: none is returned.
    assert gso_code(store, "2020-01-01", "sa-pa") is None


def test_start_of_code_10_is_left_open(links):
    rows = select(
        links,
        f"""SELECT ?start ?end WHERE {{ <{KG}identifier-lao-cai-gso-province-code>
              <http://purl.org/dc/terms/temporal> ?p .
            OPTIONAL {{ ?p <http://www.w3.org/ns/dcat#startDate> ?start }}
            OPTIONAL {{ ?p <http://www.w3.org/ns/dcat#endDate> ?end }} }}""",
    )
    assert rows == [{"start": None, "end": "2025-06-30"}]


def test_merger_is_dated_and_links_predecessors_to_successor(links):
    rows = select(
        links,
        """PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?date ?used ?generated WHERE {
          ?a a prov:Activity ; <http://purl.org/dc/terms/date> ?date ;
             prov:used ?used ; prov:generated ?generated .
          FILTER(?generated = <https://w3id.org/coopkg/id/lao-cai-2025>) } ORDER BY ?used""",
    )
    assert [(r["date"], r["used"].removeprefix(KG)) for r in rows] == [
        ("2025-07-01", "lao-cai"),
        ("2025-07-01", "yen-bai"),
    ]


# --- the link queries give their expected answers ------------------------------------------


def srj_rows(path: Path) -> list[tuple]:
    data = json.loads(path.read_text(encoding="utf-8"))
    names = data["head"]["vars"]
    out = []
    for b in data["results"]["bindings"]:
        out.append(
            tuple((n, b[n]["value"], b[n].get("datatype")) if n in b else None for n in names)
        )
    return sorted(out, key=repr)


def result_rows(store: ox.Store, path: Path) -> list[tuple]:
    query = q.resolve(str(path))
    rows = q.run_embedded(store, query)
    names = [v.value for v in rows.variables]
    out = []
    for r in rows:
        row = []
        for n in names:
            t = r[n]
            if t is None:
                row.append(None)
            elif isinstance(t, ox.Literal):
                dt = t.datatype.value if t.language is None else None
                dt = None if dt == XSD + "string" else dt
                row.append((n, t.value, dt))
            else:
                row.append((n, t.value, None))
        out.append(tuple(row))
    return sorted(out, key=repr)


@pytest.mark.parametrize("name", ["gso-code-as-of", "external-identifiers"])
def test_link_query_matches_its_expected_results(store, name):
    want = srj_rows(QUERIES / "expected" / f"{name}.srj")
    assert want, "empty expected file"
    assert result_rows(store, QUERIES / f"{name}.rq") == want


def test_report_lists_unlinked_entities_and_no_linked_one(store):
    query = q.resolve(str(QUERIES / "entities-without-external-id.rq"))
    listed = {r["entity"].value.removeprefix(KG) for r in q.run_embedded(store, query)}
    # UNVERIFIED in the table: the two officials and the Party bodies stay unlinked.
    assert {"nguyen-van-vinh", "ngo-thi-thanh-hang", "politburo", "central-committee"} <= listed
    linked = {"ha-noi", "lao-cai", "sa-pa", "communist-party-of-viet-nam", "hoang-trung-hai"}
    assert not listed & linked


# --- `coopkg links` (the real entry point, as a user runs it) -------------------------------------

FIXTURES = ROOT / "tests" / "fixtures" / "links"


def run_links(*args: str) -> cli_helpers.Run:
    """`coopkg links ARGS` on this checkout's graph."""
    return cli_helpers.coopkg("links", *args, home=ROOT)


def coopkg(*args: str):
    """`coopkg links ARGS` on this checkout's graph; (exit code, stdout, stderr)."""
    run = run_links(*args)
    return run.code, run.out, run.err


def test_links_prints_an_entity_s_codes_with_their_validity():
    code, out, err = coopkg("kg:lao-cai-2025", "Yên Bái")
    assert (code, err) == (0, "")
    assert out == (
        "kg:lao-cai-2025  Lào Cai Province (from 2025)\n"
        "  gso-province-code  15  (valid from 2025-07-01)\n"
        "kg:yen-bai  Yên Bái\n"
        "  gso-province-code  15  (valid until 2025-06-30)\n"
    )


@pytest.mark.parametrize(
    "name", ["lao cai", "Lao Cai", "kg:lao-cai", "lao-cai", f"<{KG}lao-cai>", f"{KG}lao-cai"]
)
def test_links_finds_an_entity_by_label_ascii_folded_label_kg_name_or_iri(name):
    code, out, err = coopkg(name)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("kg:lao-cai  ")
    urls = sorted(line.split()[2] for line in lines[1:] if "://" in line)
    assert urls == [
        "http://www.wikidata.org/entity/Q36446",
        "https://sws.geonames.org/1562412/",
        "https://www.openstreetmap.org/relation/1903400",
    ]
    assert "  gso-province-code  10       (valid until 2025-06-30)" in lines


def test_links_says_when_an_entity_has_no_identifier_yet():
    code, out, err = coopkg("Nguyen Van Vinh")
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == "  (no external identifier yet)"


def test_links_unknown_entity_is_one_line_error_with_suggestions():
    phrase = "coopkg: error: no entity named 'Lao Kai' in the graph; did you mean:"
    cli_helpers.assert_one_line_error(run_links("Lao Kai"), phrase)


def test_links_check_needs_an_endpoint():
    code, out, err = coopkg("--check")
    assert (code, out) == (2, "")
    assert "--check needs --endpoint URL" in err


def load_fixture(server, name: str) -> None:
    """PUT a Turtle fixture into the server's default graph (SPARQL Graph Store Protocol)."""
    import urllib.request

    request = urllib.request.Request(
        server.store_url + "?default",
        data=(FIXTURES / name).read_bytes(),
        headers={"Content-Type": "text/turtle"},
        method="PUT",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 201, 204)


def test_links_check_passes_when_every_item_exists_with_a_matching_label(oxigraph_server):
    load_fixture(oxigraph_server, "wikidata-sample.ttl")
    url = oxigraph_server.query_url
    code, out, err = coopkg("--check", "--endpoint", url, "--timeout", "10")
    assert (code, err) == (0, ""), out
    lines = out.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["OK"] * 5
    assert 'OK        kg:ha-noi  http://www.wikidata.org/entity/Q1858  "' in out
    assert lines[-1] == (
        f"checked 5 Wikidata link(s) at {url}: 5 ok, 0 mismatch, 0 missing, 0 redirect"
    )


def test_links_check_reports_mismatch_missing_and_redirect(oxigraph_server):
    load_fixture(oxigraph_server, "wikidata-wrong.ttl")
    url = oxigraph_server.query_url
    code, out, err = coopkg("--check", "--endpoint", url)
    assert (code, err) == (1, "")
    by_item = {line.split()[2]: line for line in out.splitlines()[:-1]}
    wd = "http://www.wikidata.org/entity/"
    assert by_item[wd + "Q1858"].startswith("OK ")
    assert by_item[wd + "Q10769050"].startswith("OK ")
    assert by_item[wd + "Q10800166"].startswith("MISMATCH  kg:nguyen-duc-chung")
    assert '"Example Person"@en' in by_item[wd + "Q10800166"]
    assert "ours: " in by_item[wd + "Q10800166"]
    assert by_item[wd + "Q427325"] == (
        f"MISSING   kg:communist-party-of-viet-nam  {wd}Q427325  not found at the endpoint"
    )
    assert by_item[wd + "Q36446"] == (
        f"REDIRECT  kg:lao-cai  {wd}Q36446  redirects to {wd}Q999999999"
    )
    assert out.splitlines()[-1].endswith("2 ok, 1 mismatch, 1 missing, 1 redirect")


def test_links_check_of_one_entity_asks_only_for_its_item(oxigraph_server):
    load_fixture(oxigraph_server, "wikidata-wrong.ttl")
    code, out, err = coopkg("Hoang Trung Hai", "--check", "--endpoint", oxigraph_server.query_url)
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == 2 and "kg:hoang-trung-hai" in out.splitlines()[0]


def test_links_check_unreachable_endpoint_is_one_line_error():
    import socket

    with socket.socket() as s:  # a loopback port that nothing listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/query"
    done = run_links("--check", "--endpoint", url, "--timeout", "5")
    cli_helpers.assert_one_line_error(done, url)


def test_library_identifier_query_gives_the_rows_of_the_competency_question(store):
    """`coopkg links` runs its own copy under coopkg/sparql; it must answer as the named query."""
    from coopkg import links as links_module

    named = q.read_query_file(paths.queries_dir() / "external-identifiers.rq")
    want = sorted(
        tuple(None if r[v] is None else r[v].value for v in ("entity", "scheme", "value", "url"))
        for r in q.run_embedded(store, named)
    )
    got = sorted((i.entity, i.scheme, i.value, i.url) for i in links_module.identifiers(store))
    assert got, "no identifier found"
    assert got == want
