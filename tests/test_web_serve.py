"""`coopkg serve` over HTTP: content negotiation, pages, limits and refusals, tried with a real
HTTP client against a real server process on 127.0.0.1 (the project graph, a 2 s query limit,
at most 5 result rows)."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from servers import coopkg_serve

from coopkg.namespaces import KG

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 2.0
MAX_ROWS = 5
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

pytestmark = [pytest.mark.server]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect())


def get(url: str, accept: str | None = None, method: str = "GET", body=None, ctype=None):
    """(status, headers, body) of one request; redirects are not followed."""
    headers = {}
    if accept is not None:
        headers["Accept"] = accept
    if ctype:
        headers["Content-Type"] = ctype
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    cache = tmp_path_factory.mktemp("web-serve")
    args = ["--cache-dir", str(cache), "--timeout", str(TIMEOUT_S), "--max-rows", str(MAX_ROWS)]
    with coopkg_serve(*args, home=ROOT) as served:
        yield served.url


# --- content negotiation ------------------------------------------------------------------------

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
CONNEG = [
    # path, Accept, status, Location (303) or Content-Type prefix (200/404/406)
    ("/id/lao-cai", BROWSER, 303, "/doc/lao-cai.html"),
    ("/id/lao-cai", "text/html", 303, "/doc/lao-cai.html"),
    ("/id/lao-cai", "text/turtle", 303, "/doc/lao-cai.ttl"),
    ("/id/lao-cai", "application/ld+json", 303, "/doc/lao-cai.jsonld"),
    ("/id/lao-cai", "application/n-triples", 303, "/doc/lao-cai.nt"),
    ("/id/lao-cai", "text/turtle;q=0.5, application/ld+json", 303, "/doc/lao-cai.jsonld"),
    ("/id/lao-cai", None, 303, "/doc/lao-cai.html"),
    ("/id/lao-cai", "*/*", 303, "/doc/lao-cai.html"),
    ("/id/lao-cai", "image/png", 406, "text/plain"),
    ("/id/lao-cai?format=ttl", BROWSER, 303, "/doc/lao-cai.ttl"),
    ("/id/lao-cai?lang=en", BROWSER, 303, "/doc/lao-cai.en.html"),
    ("/ontology", "text/html", 303, "/doc/ontology.html"),
    ("/ontology", "text/turtle", 303, "/doc/ontology.ttl"),
    ("/id/no-such-thing", "text/html", 404, "text/html"),
    ("/id/no-such-thing", "text/turtle", 404, "text/plain"),
    ("/doc/lao-cai.html", BROWSER, 200, "text/html"),
    ("/doc/lao-cai.en.html", BROWSER, 200, "text/html"),
    ("/doc/lao-cai.ttl", None, 200, "text/turtle"),
    ("/doc/lao-cai.jsonld", None, 200, "application/ld+json"),
    ("/doc/lao-cai.nt", None, 200, "application/n-triples"),
    ("/doc/ontology.html", None, 200, "text/html"),
    ("/doc/ontology.ttl", None, 200, "text/turtle"),
    ("/doc/no-such-thing.html", None, 404, "text/html"),
    ("/", BROWSER, 200, "text/html"),
    ("/index.en.html", BROWSER, 200, "text/html"),
    ("/queries/who-committed-what.html", BROWSER, 200, "text/html"),
    ("/search?q=lao+cai", BROWSER, 200, "text/html"),
    ("/query", BROWSER, 200, "text/html"),
]


@pytest.mark.parametrize(("path", "accept", "status", "expected"), CONNEG)
def test_content_negotiation(base, path, accept, status, expected):
    got, headers, body = get(base + path, accept)
    assert got == status, body[:300]
    if status == 303:
        assert headers["Location"] == expected
        assert "Accept" in headers.get("Vary", "")
    else:
        assert headers["Content-Type"].startswith(expected)


def test_every_format_says_the_same_triples(base):
    """Turtle, N-Triples and JSON-LD (read by pyoxigraph's JSON-LD parser) hold one graph."""
    graphs = {}
    for ext, fmt in (
        ("ttl", ox.RdfFormat.TURTLE),
        ("nt", ox.RdfFormat.N_TRIPLES),
        ("jsonld", ox.RdfFormat.JSON_LD),
    ):
        status, _, body = get(f"{base}/doc/commitment-energy-saving-centre.{ext}")
        assert status == 200
        graphs[ext] = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, fmt)}
    assert graphs["ttl"] == graphs["nt"] == graphs["jsonld"]
    node = ox.NamedNode(KG + "commitment-energy-saving-centre")
    # its statements, its grounding spans with their offsets, the labels of what it points to
    assert any(t.subject == node and t.predicate.value.endswith("#debtor") for t in graphs["ttl"])
    assert any(t.predicate == ox.NamedNode("http://www.w3.org/ns/oa#start") for t in graphs["ttl"])
    ha_noi_label = ox.Triple(
        ox.NamedNode(KG + "ha-noi"),
        ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
        ox.Literal("Hà Nội", language="vi"),
    )
    assert ha_noi_label in graphs["ttl"]


def test_oxigraph_query_page_is_served_with_the_printed_endpoint(base):
    """YASGUI's assets are copied from the oxigraph binary; its endpoint is /query, not the
    /sparql of Oxigraph's own page."""
    text = page(base, "/yasgui")
    assert 'new URL("/query", window.location.href)' in text
    assert "/sparql" not in text
    for asset in ("yasgui.min.js", "yasgui.min.css"):
        status, _, body = get(f"{base}/yasgui-assets/{asset}")
        assert status == 200 and len(body) > 10_000
    assert 'href="/yasgui"' in page(base, "/")


def test_other_sites_scripts_may_read_the_data(base):
    request = urllib.request.Request(
        f"{base}/doc/lao-cai.jsonld", headers={"Origin": "https://example.org"}
    )
    with OPENER.open(request, timeout=30) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_jsonld_uses_the_project_context(base):
    _, _, body = get(f"{base}/doc/lao-cai.jsonld")
    document = json.loads(body)
    context = json.loads((ROOT / "coopkg" / "context.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == context["@context"]
    ids = {node["@id"] for node in document["@graph"]}
    assert "kg:lao-cai" in ids


# --- what a page shows ------------------------------------------------------------------------


def page(base: str, path: str) -> str:
    status, _, body = get(base + path, "text/html")
    assert status == 200, path
    return body.decode("utf-8")


def test_a_province_page_shows_its_identifiers_with_validity(base):
    text = page(base, "/doc/lao-cai.html")
    assert "<h1>Lào Cai</h1>" in text
    assert 'href="http://www.wikidata.org/entity/Q36446"' in text
    assert "2025-06-30" in text  # the GSO province code's end of validity (data/links.ttl)
    assert 'href="/doc/identifier-lao-cai-gso-province-code.html"' in text
    assert "Được nhắc đến bởi" in text  # referenced by


def test_a_commitment_page_reads_as_a_sentence_then_the_quote(base):
    text = page(base, "/doc/commitment-agricultural-investment-linkage.en.html")
    sentence = text.index('id="commitment-sentence"')
    debtor = text.index(">Hà Nội</a>", sentence)
    owes = text.index("owe each other", sentence)
    action = text.index("Continue to support and create favourable conditions for units", sentence)
    quote = text.index("<mark>", sentence)
    assert sentence < debtor < owes < action < quote
    assert "Hà Nội và Lào Cai sẽ tiếp tục hỗ trợ" in text[quote:]
    link = "/doc/source-article.en.html#span-commitment-agricultural-investment-linkage"
    assert f'href="{link}"' in text


def test_the_article_page_highlights_every_span_and_links_to_the_facts(base):
    from coopkg.graph import open_store

    count = (
        "SELECT (COUNT(DISTINCT ?span) AS ?n) { ?span "
        "<http://www.w3.org/ns/oa#hasSource> <https://w3id.org/coopkg/id/source-article> }"
    )
    spans = int(next(iter(open_store().query(count)))["n"].value)
    text = page(base, "/doc/source-article.html")
    assert spans > 50
    assert text.count('<span id="span-') == spans
    assert text.count('<tr id="ev-span-') == spans
    assert 'id="span-commitment-agricultural-investment-linkage"' in text
    row = text[text.index('id="ev-span-commitment-agricultural-investment-linkage"') :]
    row = row[: row.index("</tr>")]
    assert 'href="/doc/commitment-agricultural-investment-linkage.html"' in row


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ha noi", "/doc/ha-noi.html"),
        ("Hà Nội", "/doc/ha-noi.html"),
        ("hoang trung hai", "/doc/hoang-trung-hai.html"),
        ("HOÀNG TRUNG HẢI", "/doc/hoang-trung-hai.html"),
        ("lao cai", "/doc/lao-cai.html"),
        ("nguyen duc chung", "/doc/nguyen-duc-chung.html"),
    ],
)
def test_search_finds_labels_with_or_without_diacritics(base, q, expected):
    text = page(base, "/search?" + urllib.parse.urlencode({"q": q}))
    hits = text[text.index('<ul id="hits">') :]
    first = hits[hits.index("href=") :].split('"')[1]
    assert first == expected


def test_home_page_has_the_table_the_queries_the_search_and_the_editor(base):
    text = page(base, "/")
    assert '<table class="stack who">' in text
    assert text.count('href="/doc/commitment-') >= 12
    assert 'href="/queries/who-committed-what.html"' in text
    assert '<form class="search" action="/search"' in text
    assert 'href="/query"' in text
    english = page(base, "/index.en.html")
    assert "Who committed what" in english


def test_text_from_a_request_is_escaped(base):
    attack = "<script>alert(1)</script>"
    text = page(base, "/search?" + urllib.parse.urlencode({"q": attack}))
    assert attack not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    query = f'SELECT ?x WHERE {{ BIND("{attack}" AS ?x) }}'
    text = page(base, "/query?" + urllib.parse.urlencode({"query": query}))
    assert attack not in text
    assert text.count("&lt;script&gt;") == 2  # in the editor box and in the result cell


# --- limits and refusals ------------------------------------------------------------------------


@pytest.mark.slow
def test_a_slow_query_stops_at_the_limit_while_others_are_served(base):
    url = f"{base}/query?" + urllib.parse.urlencode({"query": SLOW})
    outcome = {}

    def slow() -> None:
        started = time.monotonic()
        outcome["answer"] = get(url, "application/sparql-results+json")
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)  # the slow query is running now
    started = time.monotonic()
    status, _, _ = get(f"{base}/doc/lao-cai.html", "text/html")
    assert status == 200
    ask = f"{base}/query?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    status, _, body = get(ask, "application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True
    assert time.monotonic() - started < TIMEOUT_S  # answered while the slow query ran
    thread.join(timeout=30)
    status, _, body = outcome["answer"]
    assert status == 503
    assert b"timed out" in body
    assert TIMEOUT_S - 0.1 <= outcome["seconds"] <= TIMEOUT_S + 1.0
    # The worker that ran it was replaced: the endpoint still answers.
    status, _, _ = get(ask, "application/sparql-results+json")
    assert status == 200


def test_results_are_capped(base):
    select = f"{base}/query?" + urllib.parse.urlencode({"query": "SELECT * { ?s ?p ?o }"})
    status, headers, body = get(select, "application/sparql-results+json")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    assert headers["Coopkg-Truncated"] == "true"
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    status, headers, body = get(
        f"{base}/query", "application/n-triples", "POST", construct.encode(),
        "application/sparql-query",
    )  # fmt: skip
    assert status == 200
    assert len(body.decode().strip().splitlines()) == MAX_ROWS
    small = "SELECT ?s { VALUES ?s { 1 2 } }"
    status, headers, body = get(
        f"{base}/query?" + urllib.parse.urlencode({"query": small}), "text/csv"
    )
    assert status == 200 and body.decode().split() == ["s", "1", "2"]
    assert "Coopkg-Truncated" not in headers


def raw_get(base: str, target: str) -> tuple[int, bytes]:
    """Send the request target byte for byte (HTTP clients would normalise '..' away)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data


@pytest.mark.parametrize(
    "target",
    [
        "/id/../../pyproject.toml",
        "/id/..%2F..%2Fpyproject.toml",
        "/doc/..%2F..%2Fpyproject.toml",
        "/static/../../../pyproject.toml",
        "/static/..%2F..%2F..%2Fpyproject.toml",
        "/static/../server.py",
        "/id/../../../../etc/passwd",
        "/doc/source-article.html/../../../../etc/passwd",
    ],
)
def test_no_path_outside_the_site_is_readable(base, target):
    status, data = raw_get(base, target)
    assert status in (400, 404), data[:200]
    assert b"[project]" not in data and b"root:x:0" not in data and b"import " not in data


@pytest.mark.parametrize(
    ("method", "path", "body", "ctype"),
    [
        ("POST", "/update", b"INSERT DATA { <urn:x:s> <urn:x:p> 1 }", "application/sparql-update"),
        ("POST", "/query", b"DROP ALL", "application/sparql-query"),
        ("PUT", "/store?default", b"<urn:x:s> <urn:x:p> 1 .", "text/turtle"),
        ("DELETE", "/store?default", None, None),
        ("POST", "/doc/lao-cai.ttl", b"<urn:x:s> <urn:x:p> 1 .", "text/turtle"),
    ],
)
def test_writes_are_refused(base, method, path, body, ctype):
    status, _, _ = get(base + path, None, method, body, ctype)
    assert status in (403, 405)
    if path in ("/update", "/query") or path.startswith("/store"):
        assert status == 403
