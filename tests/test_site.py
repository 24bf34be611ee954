"""`coopkg site`: every kg: IRI has a page and its data, every link on every page resolves
inside the site, and the w3id redirect rules send each IRI to a file that exists."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from cli_helpers import ROOT, assert_one_line_error, coopkg

from coopkg.graph import open_store
from coopkg.namespaces import KG

BASE = "https://site.example/coopkg"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "public"
    done = coopkg("site", "--out", str(out), "--base-url", BASE, home=ROOT)
    assert done.code == 0, done.err
    assert done.out.startswith(f"wrote {out}: ")
    return out


def kg_iris() -> set[str]:
    """Every kg: IRI in the project graph, as subject or object (read with SPARQL here)."""
    query = (
        "SELECT DISTINCT ?x { { ?x ?p ?o } UNION { ?s ?p ?x } "
        f'FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{KG}")) }}'
    )
    return {row["x"].value for row in open_store().query(query)}


def test_every_kg_iri_has_its_pages_and_data(site):
    iris = kg_iris()
    assert len(iris) > 300
    for iri in iris:
        slug = iri[len(KG) :]
        for name in (f"{slug}.html", f"{slug}.en.html", f"{slug}.ttl", f"{slug}.jsonld"):
            assert (site / "doc" / name).is_file(), f"{iri}: no doc/{name}"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_link_on_every_page_resolves_inside_the_site(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 700
    parsed = {page: parse(page) for page in pages}
    checked = 0
    for page, links in parsed.items():
        for link in links.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto"):
                continue  # external (Wikidata, GeoNames, standard vocabularies)
            assert not parts.scheme and not parts.netloc, f"{page}: {link}"
            assert not link.startswith("/"), f"{page}: absolute path {link}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_relative_to(site.resolve()), f"{page}: {link} leaves the site"
            assert target.is_file(), f"{page.relative_to(site)}: {link} does not resolve"
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                assert parts.fragment in ids, f"{page.relative_to(site)}: no #{parts.fragment}"
            checked += 1
    assert checked > 10000


def rewrite(rules: str, path: str, accept: str) -> str | None:
    """Apply the .htaccess RewriteCond/RewriteRule pairs the way mod_rewrite does ([L])."""
    condition = None
    for line in rules.splitlines():
        if line.startswith("RewriteCond %{HTTP_ACCEPT} "):
            condition = line.split(" ", 2)[2]
            continue
        if line.startswith("RewriteRule "):
            _, pattern, target, flags = line.split(" ")
            matched = re.search(pattern, path)
            ok = condition is None or re.search(condition, accept)
            condition = None
            if matched and ok:
                assert flags in ("[R=303,L]", "[R=302,L]")
                return matched.expand(target.replace("$1", r"\1"))
    return None


@pytest.mark.parametrize(
    ("accept", "ext"),
    [
        ("text/html,application/xhtml+xml,*/*;q=0.8", "html"),
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/n-triples", "nt"),
        ("*/*", "html"),
    ],
)
def test_the_w3id_rules_send_every_iri_to_a_file_of_the_site(site, accept, ext):
    rules = (site / "w3id" / "coopkg" / ".htaccess").read_text(encoding="utf-8")
    assert "RewriteEngine on" in rules
    for iri in sorted(kg_iris()) + ["https://w3id.org/coopkg/ontology"]:
        path = iri.removeprefix("https://w3id.org/coopkg/")
        target = rewrite(rules, path, accept)
        assert target is not None and target.startswith(BASE + "/"), (iri, target)
        local = site / target.removeprefix(BASE + "/")
        assert local.is_file(), (iri, target)
        assert local.suffix == f".{ext}"


def test_a_failed_build_keeps_the_previous_site(site, tmp_path):
    done = coopkg("site", "--out", str(site), "--base-url", "ftp://x", home=ROOT)
    assert_one_line_error(done, "coopkg: error: --base-url 'ftp://x': not an http(s) URL")
    assert (site / "index.html").is_file()
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "notes.txt").write_text("mine")
    assert_one_line_error(coopkg("site", "--out", str(occupied), home=ROOT), "not a coopkg site")
    assert (occupied / "notes.txt").read_text() == "mine"


def test_an_unwritable_place_is_one_line_and_exit_2(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    done = coopkg("site", "--out", str(blocker / "site"), home=ROOT)
    assert_one_line_error(done, f"coopkg: error: {blocker / 'site'}: cannot write the site")
